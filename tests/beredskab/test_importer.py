"""The reusable CSV importer: encodings, separators, column mapping, row numbers, limits."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskab.importer import ImportFailed, read_table, sniff_delimiter

COLUMNS = {
    "name": ["Navn", "Name"],
    "email": ["E-mail", "Email", "Mail"],
    "note": ["Bemærkning"],
}


@pytest.fixture(autouse=True)
def english():
    """These tests read the English source texts of the errors."""
    with translation.override("en"):
        yield


def read(data: bytes, **kwargs):
    kwargs.setdefault("columns", COLUMNS)
    kwargs.setdefault("required", ["name", "email"])
    return read_table(data, **kwargs)


def test_it_reads_utf8_with_semicolons_and_numbers_rows_as_a_spreadsheet_does():
    table = read("Navn;E-mail\nSøren Ærø;s@x.dk\nÅse;a@x.dk\n".encode())
    assert table.delimiter == ";"
    assert table.encoding == "utf-8"
    assert [(r.number, r["name"], r["email"]) for r in table.rows] == [
        (2, "Søren Ærø", "s@x.dk"),
        (3, "Åse", "a@x.dk"),
    ]


def test_it_reads_utf8_with_a_byte_order_mark():
    table = read(codecs.BOM_UTF8 + "Navn,E-mail\nØrsted,o@x.dk\n".encode())
    assert table.encoding == "utf-8-sig"
    assert table.header == ["Navn", "E-mail"]
    assert table.rows[0]["name"] == "Ørsted"


def test_it_reads_windows_1252_as_older_danish_excel_writes_it():
    table = read("Navn;E-mail\r\nBjørn Æbelø;b@x.dk\r\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0]["name"] == "Bjørn Æbelø"


def test_it_reads_utf16_with_tabs_as_excel_unicode_text():
    table = read("Navn\tE-mail\nÅge\tage@x.dk\n".encode("utf-16"))
    assert table.delimiter == "\t"
    assert table.rows[0]["email"] == "age@x.dk"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ('"a;b",c,d', ","), ("a", ";")],
)
def test_it_sniffs_the_separator_from_the_header(line, expected):
    assert sniff_delimiter(line) == expected


def test_it_maps_columns_by_any_of_their_titles_ignoring_case_and_spaces():
    table = read(b"  EMAIL ;name;Other\nx@y.dk;X;z\n")
    assert table.mapped == {"email": "EMAIL", "name": "name"}
    assert table.rows[0].values == {"email": "x@y.dk", "name": "X", "note": ""}


def test_it_names_the_missing_required_column_and_the_columns_found():
    with pytest.raises(ImportFailed) as caught:
        read(b"Navn;Telefon\nX;123\n")
    assert '"E-mail"' in str(caught.value)
    assert '"Telefon"' in str(caught.value)


def test_it_skips_blank_lines_but_keeps_the_row_numbers_true():
    table = read(b"Navn;E-mail\n\nA;a@x.dk\n;\nB;b@x.dk\n")
    assert [r.number for r in table.rows] == [3, 5]


def test_it_counts_a_quoted_cell_over_two_lines_as_one_row():
    table = read(b'Navn;E-mail;Bem\xc3\xa6rkning\nA;a@x.dk;"two\nlines"\nB;b@x.dk;\n')
    assert [(r.number, r["note"]) for r in table.rows] == [(2, "two\nlines"), (3, "")]


def test_it_fills_short_rows_and_reports_rows_with_extra_cells():
    table = read(b"Navn;E-mail\nA\nB;b@x.dk;surplus\nC;c@x.dk;\n")
    assert [(r.number, r["name"], r["email"]) for r in table.rows] == [
        (2, "A", ""),
        (4, "C", "c@x.dk"),
    ]
    assert [e.number for e in table.errors] == [3]
    assert "Row 3" in str(table.errors[0])


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"Navn;E-mail\n", "no rows"),
        (b"Navn;E-mail\nA\x00;a@x.dk\n", "NUL"),
        (b"Navn;Navn;E-mail\nA;B;c\n", "twice"),
        (b"Navn;E-mail\nA;\x81\x8d\x8f\n", "characters"),
    ],
)
def test_it_refuses_a_file_it_cannot_use_with_a_clear_reason(data, words):
    with pytest.raises(ImportFailed) as caught:
        read(data)
    assert words in str(caught.value)


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    with pytest.raises(ImportFailed, match="too large"):
        read(b"Navn;E-mail\n" + b"A;a@x.dk\n" * 200, max_bytes=1000)


def test_it_refuses_too_many_rows():
    with pytest.raises(ImportFailed, match="too many rows"):
        read(b"Navn;E-mail\n" + b"A;a@x.dk\n" * 11, max_rows=10)


def test_it_accepts_exactly_the_row_limit():
    assert len(read(b"Navn;E-mail\n" + b"A;a@x.dk\n" * 10, max_rows=10).rows) == 10


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=400))
def test_it_answers_random_bytes_with_rows_or_a_clear_error(data):
    try:
        table = read(data)
    except ImportFailed as exc:
        assert str(exc)
    else:
        assert all(r.number >= 2 for r in table.rows)


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8))
def test_it_reads_back_any_csv_written_by_the_csv_module(pairs):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Navn", "E-mail"])
    writer.writerows(pairs)
    expected = [(n.strip(), e.strip()) for n, e in pairs if n.strip() or e.strip()]
    if not expected:
        with pytest.raises(ImportFailed, match="no rows"):
            read(buffer.getvalue().encode())
        return
    table = read(buffer.getvalue().encode())
    assert [(r["name"], r["email"]) for r in table.rows] == expected


def test_it_decides_the_encoding_from_the_whole_file_not_its_start():
    # 200 KB of plain ASCII rows (valid UTF-8 and valid Windows-1252 alike), then
    # Danish letters and typographic quotes only at the end, as Windows-1252.
    ascii_rows = "".join(f"Person {n};p{n}@x.dk\r\n" for n in range(10_000))
    late = "Søren “Sølle” Ærø;s@x.dk\r\nÅse ‘Å’ Østergård;a@x.dk\r\n"
    data = ("Navn;E-mail\r\n" + ascii_rows + late).encode("cp1252")
    assert len(data) > 150_000
    table = read(data)
    assert table.encoding == "cp1252"
    names = [row["name"] for row in table.rows[-2:]]
    assert "Søren “Sølle” Ærø" in names[0]
    assert "Åse ‘Å’ Østergård" in names[1]


def test_utf8_is_chosen_only_when_all_of_the_file_decodes():
    text = "Navn;E-mail\r\n" + "A;a@x.dk\r\n" * 5000 + "Bjørn “B”;b@x.dk\r\n"
    assert read(text.encode("utf-8")).encoding == "utf-8"
    assert read(text.encode("cp1252")).encoding == "cp1252"
