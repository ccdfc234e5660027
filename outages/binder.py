"""The emergency binder: everything a person needs when the portal cannot be reached,
as one A4 PDF (tagged for accessibility, black and white, the date on every page).

The PDF is kept in VAR_DIR with the digest of its contents; `refresh()` makes it again
only when the contents changed (the periodic job and a download both call it).
WeasyPrint is imported only in `render_pdf`.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from beredskab.models import EscalationChain, Supplier
from outages.models import AppendixRow, Playbook

# The contact centre's fall-backs, in the plan's words (section 6).
CONTACT_CENTRE_FALLBACKS = [
    "Samwin/Jansson (omstilling) og InDialog (telefonrobot) er uafhængige af hinanden og "
    "placeret uden for kommunen: det ene kan virke, selvom det andet er nede.",
    "Ved lokalt el- eller netværksnedbrud: genetablér internet via hotspot eller fra "
    "hjemmearbejdspladsen, log på VPN og Teams, og besvar opkald via pc eller mobiltelefon.",
    "Kontaktcenteret omplaceres til en lokation med strøm og netværk eller bruger "
    "batteridrevne hotspots.",
    "Telefonrobotten kan informere borgerne om nedbrud, nød- og evakueringsplaner.",
    "Forvaltningerne informeres hurtigst muligt; borgerne orienteres via medierne.",
]


def _chains(at: datetime) -> list[dict]:
    out = []
    chains = EscalationChain.objects.filter(is_active=True).prefetch_related(
        "steps__notify_roles", "steps__notify_people"
    )
    for chain in chains:
        steps = []
        for step in chain.steps.order_by("position"):
            people = [
                {"name": p.name, "mobile": str(p.mobile or ""), "email": p.email}
                for p in step.resolve_recipients(at=at)
            ]
            steps.append(
                {
                    "position": step.position,
                    "name": step.name,
                    "minutes": step.ack_timeout_minutes,
                    "nearest_leader": step.notify_nearest_leader,
                    "people": people,
                }
            )
        out.append({"name": chain.name, "kind": chain.get_event_kind_display(), "steps": steps})
    return out


def contents(at: datetime | None = None) -> dict:
    """What the binder holds, as plain data (so its digest says when it changed)."""
    at = at or timezone.now()
    playbooks = []
    for book in Playbook.objects.prefetch_related("sections__items"):
        sections = [
            {
                "title": s.title,
                "items": [
                    {"text": i.text, "owner": str(i.get_owner_role_display())}
                    for i in s.items.all()
                ],
            }
            for s in book.sections.all()
        ]
        playbooks.append(
            {"name": book.name, "introduction": book.introduction, "sections": sections}
        )
    appendix = [
        {
            "function": r.function,
            "can_keep": str(r.get_can_keep_display()),
            "workaround": r.workaround,
            "depends_on": [s.name for s in r.depends_on.all()],
        }
        for r in AppendixRow.objects.prefetch_related("depends_on")
    ]
    suppliers = [
        {
            "name": s.name,
            "phone": s.support_phone.as_international if s.support_phone else "",
            "email": s.support_email,
            "hours": s.support_hours,
            "systems": [system.name for system in s.systems.all()],
        }
        for s in Supplier.objects.prefetch_related("systems")
    ]
    return {
        "playbooks": playbooks,
        "appendix": appendix,
        "chains": _chains(at),
        "suppliers": suppliers,
        "fallbacks": CONTACT_CENTRE_FALLBACKS,
    }


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def render_pdf(data: dict, made_at: datetime) -> bytes:
    import weasyprint  # heavy (Pango, fonts): loaded only when the binder is made

    html = render_to_string("outages/binder.html", {**data, "made_at": made_at})
    # Tagged PDF (structure for screen readers); no base_url: the CSS is inline.
    return weasyprint.HTML(string=html).write_pdf(pdf_tags=True)


def binder_dir() -> Path:
    return Path(settings.VAR_DIR) / "binder"


def pdf_path() -> Path:
    return binder_dir() / "beredskabsmappe.pdf"


def _digest_path() -> Path:
    return binder_dir() / "beredskabsmappe.sha256"


def refresh(force: bool = False) -> bool:
    """Make the PDF again if its contents changed (or it is missing). True if made."""
    data = contents()
    wanted = digest(data)
    path, stamp = pdf_path(), _digest_path()
    if not force and path.exists() and stamp.exists() and stamp.read_text() == wanted:
        return False
    binder_dir().mkdir(parents=True, exist_ok=True)
    document = render_pdf(data, timezone.now())
    # Written beside, then moved: a reader never gets half a file.
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(document)
    os.replace(partial, path)
    stamp.write_text(wanted)
    return True
