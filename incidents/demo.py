"""Demo incidents for `load_demo` (never in production): fictitious, no personal data."""

from __future__ import annotations

from django.contrib.auth.models import User

from incidents.models import Answer, Incident, IncidentKind
from incidents.services.report import Report, report

DEMO_REPORTS = [
    (
        "demo-incident-1",
        IncidentKind.PHISHING,
        "Mail med link til falsk login-side modtaget af flere i Borgerservice.",
        Answer.NO,
    ),
    (
        "demo-incident-2",
        IncidentKind.MISDIRECTED,
        "Brev med sagsoplysninger sendt til forkert adresse.",
        Answer.YES,
    ),
]


def load_incidents(stdout=None) -> list[Incident]:
    reporter = User.objects.filter(username="medarbejder").first()
    if reporter is None:
        return []
    created = []
    for nonce, kind, text, personal in DEMO_REPORTS:
        # The nonce is the stable key: a second load_demo finds the same rows.
        key = nonce.replace("-", "").ljust(32, "0")[:32]
        if Incident.objects.filter(nonce=key).exists():
            continue
        created.append(
            report(
                reporter,
                Report(description=text, kind=kind, personal_data=personal, nonce=key),
                escalate=False,
            )
        )
    if created and stdout is not None:
        stdout.write(f"Created {len(created)} demo incidents")
    return created
