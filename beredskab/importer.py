"""Read an uploaded table (CSV) into rows with their row numbers, or one clear error.

Generic on purpose: it knows nothing of bookings or courses. A caller says which
fields it wants and which column titles may hold each, and gets back the rows with
those fields; the caller validates the values and reports row errors by number.

    table = read_table(data, columns={"email": ["e-mail", "email"]}, required=["email"])
    for row in table.rows:
        row.number, row["email"]

Danish exports come in many shapes: UTF-8 with or without a byte-order mark,
Windows-1252 (older Excel), UTF-16 with a mark (Excel's "Unicode text"); separated by
";" (Danish Excel, where "," is the decimal comma), "," or a tab. The separator is
sniffed from the header line. Row numbers are the file's line numbers as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (";", ",", "\t")


class ImportFailed(ValueError):
    """The file as a whole cannot be read; the message says why, for the person."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


@dataclass(frozen=True)
class RowError:
    number: int
    message: str

    def __str__(self) -> str:
        return _("Row %(number)s: %(message)s") % {"number": self.number, "message": self.message}


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    encoding: str
    delimiter: str
    # Which file column each field was read from (the field's name -> the column title).
    mapped: dict[str, str] = field(default_factory=dict)
    # Rows the reader itself could not use (e.g. more cells than the header has).
    errors: list[RowError] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name), decided from the whole file: UTF-8 only if all of it
    decodes (a Windows-1252 export is often plain ASCII for its first many KB, its
    Danish letters late). UTF-8 is tried first: Windows-1252 would accept almost
    any bytes, so it is the fallback, and its five undefined bytes are an error."""
    if data.startswith(codecs.BOM_UTF8):
        candidates: Sequence[str] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        _("The file's characters could not be read. Save it as CSV in UTF-8 or Windows-1252.")
    )


def _normal(title: str) -> str:
    return " ".join(title.replace("\ufeff", "").strip().casefold().split())


def sniff_delimiter(first_line: str) -> str:
    """The candidate that splits the header line into the most cells (";" on a tie,
    as Danish Excel writes it)."""
    best, best_count = DELIMITERS[0], 1
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(cells) > best_count:
            best, best_count = delimiter, len(cells)
    return best


def _map_columns(
    header: list[str], columns: Mapping[str, Sequence[str]], required: Iterable[str]
) -> dict[str, int]:
    positions = {_normal(title): i for i, title in enumerate(header)}
    mapped: dict[str, int] = {}
    for name, titles in columns.items():
        for title in titles:
            if _normal(title) in positions:
                mapped[name] = positions[_normal(title)]
                break
    missing = [name for name in required if name not in mapped]
    if missing:
        wanted = "; ".join(" / ".join(f'"{title}"' for title in columns[name]) for name in missing)
        raise ImportFailed(
            _("The file has no column for: %(wanted)s. Columns found: %(found)s.")
            % {"wanted": wanted, "found": ", ".join(f'"{h}"' for h in header) or "-"}
        )
    return mapped


def read_table(
    data: bytes,
    *,
    columns: Mapping[str, Sequence[str]],
    required: Iterable[str] = (),
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Parse the whole file. Raises ImportFailed for a file that cannot be used at all;
    rows it cannot split are in `table.errors`; blank lines are skipped."""
    if not data:
        raise ImportFailed(_("The file is empty."))
    if len(data) > max_bytes:
        raise ImportFailed(
            _("The file is too large (at most %(limit)s MB).")
            % {"limit": f"{max_bytes / 1024 / 1024:g}"}
        )
    text, encoding = decode(data)
    if "\x00" in text:
        raise ImportFailed(_("The file is not a text table (it contains NUL bytes)."))
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed(_("The file is empty."))
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_number = 0
    rows: list[Row] = []
    errors: list[RowError] = []
    mapped: dict[str, int] = {}
    number = 0
    try:
        for cells in reader:
            # Records, not physical lines: a quoted cell may span lines, and a
            # spreadsheet still shows it as one row.
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                header_number = number
                titles = [_normal(title) for title in header if title]
                if len(titles) != len(set(titles)):
                    raise ImportFailed(_("The header row names a column twice."))
                mapped = _map_columns(header, columns, required)
                continue
            if len(rows) + len(errors) >= max_rows:
                raise ImportFailed(
                    _("The file has too many rows (at most %(limit)s).") % {"limit": max_rows}
                )
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                errors.append(RowError(number, _("more cells than the header row has columns")))
                continue
            values = {
                name: cells[i].strip() if i < len(cells) else "" for name, i in mapped.items()
            }
            for name in columns:
                values.setdefault(name, "")
            rows.append(Row(number, values))
    except csv.Error as exc:
        raise ImportFailed(
            _("Row %(number)s could not be read (%(reason)s).")
            % {"number": number + 1, "reason": str(exc)}
        ) from exc
    if header is None:
        raise ImportFailed(_("The file is empty."))
    if not rows and not errors:
        raise ImportFailed(
            _("The file has a header row (row %(number)s) but no rows below it.")
            % {"number": header_number}
        )
    return Table(
        header=header,
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        mapped={name: header[i] for name, i in mapped.items()},
        errors=errors,
    )
