"""CPR masking: a valid DDMMYY, an optional dash, space, dot or slash, four digits,
standing alone; in ASCII or full-width digits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskab.cpr import MASK, contains_cpr, mask_cpr

M = MASK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010190-1234", M),
        ("010190 1234", M),
        ("0101901234", M),
        ("311299-0001", M),
        ("Substitute: 610190-1234", f"Substitute: {M}"),
        ("910190-1234 is a substitute number too", f"{M} is a substitute number too"),
        ("Borgerens cpr er 150784-1234", f"Borgerens cpr er {M}"),
        ("150784-1234 ringede", f"{M} ringede"),
        ("(150784-1234), [0101901234]; cpr:150784 1234.", f"({M}), [{M}]; cpr:{M}."),
        ("cpr-nr.:150784-1234!", f"cpr-nr.:{M}!"),
        ("text\n010190-1234\nmore", f"text\n{M}\nmore"),
        ("pasted from Word: 010190\u20131234", f"pasted from Word: {M}"),
        ("0101901234 5678", f"{M} 5678"),
        # Dot and slash separators (the authority issue, item 12).
        ("010190.1234", M),
        ("010190/1234", M),
        ("cpr 150784.1234, tlf.", f"cpr {M}, tlf."),
        ("Sag 12/010190/1234 lukket", f"Sag 12/{M} lukket"),
        ("010190-1234/020290-1234", f"{M}/{M}"),
        # Full-width digits and separators (U+FF10-U+FF19), from phones and PDFs.
        ("０１０１９０－１２３４", M),
        ("０１０１９０１２３４", M),
        ("Cpr ０１０１９０ １２３４ ok", f"Cpr {M} ok"),
        ("０１０１９０．１２３４", M),
        ("０１０１９０／１２３４", M),
        ("mixed 0101９０-12３4!", f"mixed {M}!"),
        ("no-break 010190\u00a01234", f"no-break {M}"),
    ],
)
def test_it_masks_cpr_numbers(text, expected):
    assert mask_cpr(text) == expected
    assert contains_cpr(text)


def test_it_keeps_the_danish_text_around_a_masked_number():
    text = "Sagsbehandler på Ærø så 150784-1234 på skærmen"
    assert mask_cpr(text) == f"Sagsbehandler på Ærø så {M} på skærmen"


def test_it_masks_several_numbers_in_one_text():
    text = "Første 010190-1234, anden 020291 4321 og tredje 0303925678."
    assert mask_cpr(text) == f"Første {M}, anden {M} og tredje {M}."


@pytest.mark.parametrize(
    "text",
    [
        "Ring +45 20 12 34 56",
        "Ring 20123456 eller 20 12 34 56",
        "+4531011234",
        "Konto 123456789012",
        "Konto 5470-0101901234",
        "000190-1234",  # day 00
        "320190-1234",  # day 32
        "450190-1234",  # between 32 and 60
        "600190-1234",  # day 60
        "920190-1234",  # day 92
        "990190-1234",
        "010090-1234",  # month 00
        "011390-1234",  # month 13
        "Mødet er 2026-11-27 kl. 10",
        "27-11-2026 og 27.11.2026 og 27112026",
        "Sag 24/12345",
        "Beløb: 1.234.567,89 kr. og 1234567890,50 kr",
        "Kr. 3.101.901.234",
        "EAN 57980001019012345",
        "inside 12010190123456 a run",
        "0101901234-5",
        "010190-12345",
        "010190--1234",
        "Dato 27.11.2026 kl. 10.30",
        "Version 1.2.3/4567",
        "Full-width run １２０１０１９０１２３４５６",
        "Full-width account ５４７０－０１０１９０１２３４",
        "",
    ],
)
def test_it_leaves_other_numbers_alone(text):
    assert mask_cpr(text) == text
    assert not contains_cpr(text)


def test_it_passes_none_and_empty_through():
    assert mask_cpr("") == ""
    assert mask_cpr(None) is None


@st.composite
def cpr_numbers(draw) -> str:
    day = draw(st.integers(1, 31)) + draw(st.sampled_from([0, 60]))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    separator = draw(st.sampled_from(["", "-", " ", ".", "/", "\u2013", "\uff0d"]))
    text = f"{day:02d}{month:02d}{year:02d}{separator}{serial:04d}"
    if draw(st.booleans()):
        # Full-width digits, some or all of them.
        text = "".join(
            chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() and draw(st.booleans()) else c
            for c in text
        )
    return text


letters = st.text(st.characters(categories=["L"]), max_size=20)


@settings(deadline=None)
@given(before=letters, number=cpr_numbers(), after=letters)
def test_it_masks_any_valid_number_among_letters(before, number, after):
    assert mask_cpr(f"{before}{number}{after}") == f"{before}{M}{after}"


@settings(deadline=None)
@given(
    st.text(st.sampled_from("0123456789- +/.aæ\u2013０１９／．"), max_size=40)
    | st.text(max_size=40)
)
def test_it_masks_idempotently(text):
    once = mask_cpr(text)
    assert mask_cpr(once) == once
    assert not contains_cpr(once)
