"""SMS length in segments: GSM-7 (160, then 153 per part) or UCS-2 (70, then 67)."""

from __future__ import annotations

import pytest

from beredskab.notify.segments import is_gsm7, segment_info


def test_it_counts_danish_letters_as_gsm7():
    assert is_gsm7("Æble, øl og ål: ÆØÅ æøå")
    assert segment_info("æøå").encoding == "GSM-7"


@pytest.mark.parametrize("quote", ["\u201c", "\u201d", "\u2018", "\u2019"])
def test_it_counts_curly_quotes_as_ucs2(quote):
    assert not is_gsm7(f"Det er {quote}vigtigt{quote}")
    assert segment_info(quote).encoding == "UCS-2"


@pytest.mark.parametrize(
    ("length", "segments"), [(0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3)]
)
def test_it_splits_gsm7_at_160_then_153(length, segments):
    info = segment_info("ø" * length)
    assert (info.encoding, info.units, info.segments) == ("GSM-7", length, segments)


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_it_splits_ucs2_at_70_then_67(length, segments):
    info = segment_info("\u201c" * length)
    assert (info.encoding, info.units, info.segments) == ("UCS-2", length, segments)


def test_it_counts_extension_characters_twice():
    assert segment_info("€" * 80).units == 160
    assert segment_info("€" * 80 + "a").segments == 2


def test_it_counts_an_emoji_as_two_ucs2_units():
    assert segment_info("\U0001f6a8").units == 2
