"""The contact centre's part of the plan: its channels, as data (Danish, as in the plan).

Loaded by `python manage.py load_plan` through ContactcenterConfig.load_plan. Staff
edit the rows in the portal afterwards; the loader only creates what is missing.
"""

from __future__ import annotations

from django.db import transaction

from contactcenter.models import ContactChannel

# key -> fields. The key is the stable id: renaming a channel in the portal keeps it.
CHANNELS: list[dict[str, object]] = [
    {
        "key": "hovednummer",
        "name": "Hovednummeret",
        "description": (
            "Kommunens hovednummer, som borgere og virksomheder oplever det. Ved lokalt el- "
            "eller netværksnedbrud kan hovednummeret ikke kontaktes, før medarbejdere har "
            "genetableret internetforbindelse via hotspot eller en ekstern forsyning, fx fra "
            "hjemmearbejdsplads."
        ),
        "position": 10,
    },
    {
        "key": "samwin-jansson",
        "name": "Samwin/Jansson",
        "description": (
            "Omstilling og telefonhåndtering. Placeret uden for kommunen på separat el-net "
            "og netværk, uafhængigt af InDialog."
        ),
        "position": 20,
    },
    {
        "key": "indialog",
        "name": "InDialog (telefonrobot)",
        "description": (
            "Machine learning-baseret telefonrobot til grundlæggende hjælp og omstilling. "
            "Kan i krisesituationer give borgere information om nedbrud, nød- og "
            "evakueringsplaner samt anden relevant information. Placeret uden for kommunen, "
            "uafhængigt af Samwin/Jansson."
        ),
        "position": 30,
    },
    {
        "key": "teams-telefoni",
        "name": "Teams-telefoni",
        "description": (
            "Intern telefoni via Microsoft Teams. Ved nedbrud kan medarbejdere via "
            "hjemmearbejdsplads eller hotspot logge på VPN og Teams og besvare opkald via "
            "pc eller mobiltelefon – både på fastnet- og mobilnumre."
        ),
        "position": 40,
    },
]


def load_channels(stdout=None) -> list[ContactChannel]:
    """Create the plan's channels that are missing (by key); never touch existing ones."""
    created: list[ContactChannel] = []
    with transaction.atomic():
        for spec in CHANNELS:
            fields = dict(spec)
            key = fields.pop("key")
            channel, was_created = ContactChannel.objects.get_or_create(key=key, defaults=fields)
            if was_created:
                created.append(channel)
                if stdout is not None:
                    stdout.write(f"Created contact channel: {channel.name}")
    return created
