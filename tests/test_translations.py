"""Danish is required: every entry of the .po translated, none fuzzy, and the committed
.mo compiled from exactly this .po. The comparison is by content (the .po parsed here,
the .mo read by gettext), since git keeps no mtimes and a fresh machine may have no
gettext tools."""

from __future__ import annotations

import ast
import gettext
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DANISH_PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which a Python literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete #~ entries left out; the header included)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None
    fuzzy_next = False

    def flush() -> None:
        nonlocal entry
        if entry.msgstr or entry.msgid or entry.msgid_plural:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if entry.msgstr:  # flags open the next entry
                flush()
            fuzzy_next = fuzzy_next or "fuzzy" in line[2:].replace(" ", "").split(",")
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = "", line
        if keyword in {"msgctxt", "msgid"} and entry.msgstr:
            flush()
        if keyword == "msgctxt":
            entry.msgctxt, target = _unquote(rest), ("msgctxt", None)
        elif keyword == "msgid":
            entry.msgid, target = _unquote(rest), ("msgid", None)
            entry.line, entry.fuzzy, fuzzy_next = number, fuzzy_next, False
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = _unquote(rest), ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index], target = _unquote(rest), ("msgstr", index)
        elif keyword == "" and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(rest)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(rest))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    flush()
    return entries


def compile_catalog(entries: list[Entry]) -> dict:
    """What gettext's catalogue holds after msgfmt of these entries (fuzzy ones left out)."""
    catalog: dict = {}
    for entry in entries:
        if entry.fuzzy or entry.msgid == "":
            continue
        if entry.msgid_plural is not None:
            if all(entry.msgstr.values()):
                for index, text in entry.msgstr.items():
                    catalog[(entry.key, index)] = text
        elif entry.msgstr.get(0):
            catalog[entry.key] = entry.msgstr[0]
    return catalog


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def untranslated(entries: list[Entry]) -> list[str]:
    return [
        e.label() for e in entries if e.msgid != "" and (not e.msgstr or not all(e.msgstr.values()))
    ]


def test_it_has_the_danish_catalogue():
    assert DANISH_PO.exists(), f"{DANISH_PO.relative_to(ROOT)} is missing: Danish is required"


def test_it_has_no_untranslated_entry():
    problems = {
        str(po.relative_to(ROOT)): missing
        for po in CATALOGUES
        if (missing := untranslated(parse_po(po)))
    }
    assert problems == {}


def test_it_has_no_fuzzy_entry():
    problems = {
        str(po.relative_to(ROOT)): fuzzy
        for po in CATALOGUES
        if (fuzzy := [e.label() for e in parse_po(po) if e.fuzzy and e.msgid != ""])
    }
    assert problems == {}


def test_it_has_a_compiled_catalogue_matching_each_po():
    stale = []
    for po in CATALOGUES:
        mo = po.with_suffix(".mo")
        if not mo.exists():
            stale.append(f"{mo.relative_to(ROOT)} is missing")
        elif read_mo(mo) != compile_catalog(parse_po(po)):
            stale.append(f"{mo.relative_to(ROOT)} does not match its .po: run make compilemessages")
    assert stale == []


def _extract_afresh(tmp_path: Path) -> Path:
    """Run makemessages over a copy of the source (the files git tracks, plus new
    ones not ignored), so the committed catalogue can be compared with the source."""
    import shutil
    import subprocess
    import sys

    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    copy = tmp_path / "src"
    for name in listed:
        source = ROOT / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete"]
        + [f"--ignore={name}" for name in ("var", ".venv", "staticfiles", "tests")],
        cwd=copy,
        # The demo, explicitly: without DJANGO_ENV the settings are production's.
        env={**os.environ, "DJANGO_ENV": "demo", "DJANGO_SETTINGS_MODULE": "beredskab.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return copy / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_it_has_an_entry_for_every_string_in_the_source(tmp_path):
    """A string wrapped for translation but never added to the .po shows in English
    on a Danish page; an entry whose string left the source is dead weight."""
    import shutil

    from tests.conftest import need

    need(shutil.which("xgettext") is not None, "gettext's xgettext is not installed")
    need(shutil.which("git") is not None and (ROOT / ".git").exists(), "not a git checkout")
    fresh = {e.key for e in parse_po(_extract_afresh(tmp_path)) if e.msgid}
    committed = {e.key for e in parse_po(DANISH_PO) if e.msgid}
    assert sorted(fresh - committed) == [], "run make messages and translate the new strings"
    assert sorted(committed - fresh) == [], "entries no source string uses any more"


# --- the checker itself, on small catalogues written here ---

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def write_po(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "django.po"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def write_mo(path: Path, catalog: dict) -> None:
    """A minimal GNU .mo writer (as msgfmt would), to build test fixtures."""
    import struct

    messages = {
        "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    }
    plurals: dict[str, dict[int, str]] = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = text
        else:
            messages[key] = text
    pairs = [(k.encode(), v.encode()) for k, v in messages.items()]
    for key, forms in plurals.items():
        plural_id = key + "\x00" + key + "s"
        pairs.append((plural_id.encode(), "\x00".join(forms[i] for i in sorted(forms)).encode()))
    pairs.sort()
    ids = b"".join(k + b"\x00" for k, _ in pairs)
    strs = b"".join(v + b"\x00" for _, v in pairs)
    start = 7 * 4 + 16 * len(pairs)
    key_table, value_table, offset = [], [], 0
    for k, _ in pairs:
        key_table += [len(k), start + offset]
        offset += len(k) + 1
    offset = 0
    for _, v in pairs:
        value_table += [len(v), start + len(ids) + offset]
        offset += len(v) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(pairs), 28, 28 + 8 * len(pairs), 0, 0)
    path.write_bytes(
        header
        + struct.pack(f"{len(key_table)}i", *key_table)
        + struct.pack(f"{len(value_table)}i", *value_table)
        + ids
        + strs
    )


def test_it_notices_an_empty_msgstr(tmp_path):
    po = write_po(tmp_path, 'msgid "Log in"\nmsgstr "Log ind"\n\nmsgid "Log out"\nmsgstr ""\n')
    assert untranslated(parse_po(po)) == ["line 9: 'Log out'"]


def test_it_notices_an_empty_plural_form(tmp_path):
    body = 'msgid "%(n)s step"\nmsgid_plural "%(n)s steps"\nmsgstr[0] "%(n)s trin"\nmsgstr[1] ""\n'
    assert len(untranslated(parse_po(write_po(tmp_path, body)))) == 1


def test_it_notices_a_fuzzy_entry(tmp_path):
    po = write_po(
        tmp_path, '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello %s"\nmsgstr "Hej %s"\n'
    )
    assert [e.msgid for e in parse_po(po) if e.fuzzy] == ["Hello %s"]


def test_it_reads_multi_line_strings_context_and_escapes(tmp_path):
    body = 'msgctxt "verb"\nmsgid ""\n"Report \\"this\\"\\n"\n"now"\nmsgstr "Anmeld\\n"\n"nu"\n'
    (entry,) = [e for e in parse_po(write_po(tmp_path, body)) if e.msgid]
    assert entry.key == 'verb\x04Report "this"\nnow'
    assert entry.msgstr == {0: "Anmeld\nnu"}


def test_it_ignores_obsolete_entries(tmp_path):
    po = write_po(tmp_path, '#~ msgid "Gone"\n#~ msgstr ""\n')
    assert untranslated(parse_po(po)) == []


def test_it_accepts_a_mo_compiled_from_the_po(tmp_path):
    body = (
        'msgid "Log in"\nmsgstr "Log ind"\n\n'
        'msgid "step"\nmsgid_plural "steps"\nmsgstr[0] "trin"\nmsgstr[1] "trin"\n'
    )
    catalog = compile_catalog(parse_po(write_po(tmp_path, body)))
    write_mo(tmp_path / "django.mo", catalog)
    assert read_mo(tmp_path / "django.mo") == catalog


def test_it_notices_a_po_changed_after_its_mo(tmp_path):
    write_mo(tmp_path / "django.mo", {"Log in": "Log ind"})
    po = write_po(tmp_path, 'msgid "Log in"\nmsgstr "Log på"\n')
    assert read_mo(tmp_path / "django.mo") != compile_catalog(parse_po(po))
