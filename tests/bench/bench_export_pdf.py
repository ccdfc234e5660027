"""Benchmark: the largest PDF export of the hændelseslog the bound allows.

Prints (DESIGN.md: one `name=value unit` line per figure on stdout):
  incident_pdf_largest_ms   INCIDENT_PDF_EXPORT_MAX incidents, every text at its
                            INCIDENT_PDF_TEXT_MAX_CHARS cap  (budget: well under 30 s)
  incident_pdf_max_count    the bound it was measured at

Only the PDF is measured (the template and WeasyPrint, which is nearly all of the
request's time); the database part is the CSV export's query and is covered by the
hændelseslog benchmark. Needs no database: the incidents are made up in memory.
Run it with `make bench` or `uv run python tests/bench/bench_export_pdf.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.pop("TESTING", None)
    os.environ.setdefault("DJANGO_ENV", "demo")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beredskab.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-var-"))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # WeasyPrint logs every page at INFO
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import timezone

    from incidents.export import LONG_COLUMNS, PdfEntry, header, shorten

    count = settings.INCIDENT_PDF_EXPORT_MAX
    limit = settings.INCIDENT_PDF_TEXT_MAX_CHARS
    labels = header()
    long_text = shorten("Medarbejderen klikkede på et link i en mail og " * 200, limit)[0]
    facts = [
        (labels[i], value)
        for i, value in enumerate(
            [
                "",
                "2026-03-01 10:00",
                "Phishing",
                "Registreret",
                "Høj",
                "Jobcenter",
                "SBSYS, KMD Nexus",
                "Ja",
                "Ved ikke",
                "2026-03-01 10:00",
                "2026-03-04 10:00",
                "Løber",
                "Anmeld",
                "",
                "",
                "",
                "",
            ]
        )
        if i and i not in LONG_COLUMNS and value
    ]
    entries = [
        PdfEntry(
            reference=f"H-2026-{n:04d}",
            facts=facts,
            texts=[(labels[i], long_text) for i in LONG_COLUMNS],
            shortened=True,
        )
        for n in range(1, count + 1)
    ]
    import weasyprint

    started = time.monotonic()
    html = render_to_string(
        "incidents/log_print.html",
        {"entries": entries, "shortened": True, "generated_at": timezone.now()},
    )
    weasyprint.HTML(string=html).write_pdf()
    elapsed = (time.monotonic() - started) * 1000
    print(f"incident_pdf_largest_ms={elapsed:.1f} ms", flush=True)
    print(f"incident_pdf_max_count={count} count", flush=True)


if __name__ == "__main__":
    main()
