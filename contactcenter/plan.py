"""The contact centre's part of the plan: its channels, as data (Danish, as in the plan).

Loaded by `python manage.py load_plan` through ContactcenterConfig.load_plan. Staff
edit the rows in the portal afterwards; the loader only creates what is missing.
"""

from __future__ import annotations

from django.db import transaction

from beredskab.models import MessageTemplate
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


# The crisis message's templates: what the phone robot reads to citizens, in Danish.
# [kantede parenteser] mark what the contact centre fills in before publishing.
CRISIS_TEMPLATES: dict[str, dict[str, str]] = {
    "stroemsvigt": {
        "name": "Strømsvigt",
        "body": (
            "Du har ringet til kommunen. Der er i øjeblikket strømsvigt i [område] siden "
            "klokken [tid]. Vi arbejder på at genoprette forsyningen og forventer at være "
            "tilbage [tidspunkt]. Borgerservice og flere af kommunens systemer er derfor "
            "ikke tilgængelige. Er der fare for liv eller helbred, så ring 1-1-2. Følg med "
            "på kommunens hjemmeside og i lokalradioen. Hvis din henvendelse kan vente, så "
            "ring igen, når strømmen er tilbage."
        ),
    },
    "systemnedbrud": {
        "name": "Systemnedbrud",
        "body": (
            "Du har ringet til kommunen. Vi har i øjeblikket nedbrud på [system], og vi kan "
            "derfor ikke slå din sag op eller behandle den lige nu. Vi forventer, at "
            "systemet virker igen [tidspunkt]. Dine oplysninger er ikke gået tabt. Har du "
            "en aftale i dag, gælder den fortsat, medmindre vi kontakter dig. Ring igen "
            "senere, eller skriv til os via borger.dk."
        ),
    },
    "evakuering": {
        "name": "Evakuering",
        "body": (
            "Du har ringet til kommunen. Myndighederne har besluttet at evakuere [område]. "
            "Forlad området ad [rute], og tag medicin, legitimation og varmt tøj med. Der er "
            "opsamlingssted på [adresse]. Har du brug for hjælp til at komme væk, så ring "
            "1-1-2. Følg politiets og beredskabets anvisninger, og lyt til DR P4 for "
            "opdateringer."
        ),
    },
}

# What the fallback voice line says around the crisis message. Always Danish: it is
# read to citizens with language="da-DK", whatever language the portal's user reads.
VOICE_TEXTS: dict[str, str] = {
    "no_message": "Du har ringet til kommunen.",
    "connecting": "Vent venligst, du bliver nu stillet videre til en medarbejder.",
    "expected_back": (
        "Kontaktcentret kan ikke besvare opkald lige nu. Vi forventer at tage telefonen "
        "igen {when}. Ring venligst igen senere."
    ),
    "unknown_back": (
        "Kontaktcentret kan ikke besvare opkald lige nu. Ring venligst igen senere. Er der "
        "fare for liv eller helbred, så ring 1-1-2."
    ),
    "no_answer": "Medarbejderen svarer ikke. Ring venligst igen senere.",
}


# The contact centre's own templates for telling the departments and the press,
# used through beredskab's department broadcast (broadcast:new?template=<key>).
BROADCAST_TEMPLATE_KEY = "kontaktcenter-afdelinger"
PRESS_TEMPLATE_KEY = "kontaktcenter-presse"
MESSAGE_TEMPLATES: list[dict[str, str]] = [
    {
        "key": BROADCAST_TEMPLATE_KEY,
        "purpose": MessageTemplate.Purpose.BROADCAST,
        "name": "Kontaktcentret: hovednummeret er ramt",
        "subject": "Kontaktcentret kan ikke tage telefonen",
        "body": (
            "Kontaktcentret er ramt af nedbrud, og borgere kan ikke komme igennem på "
            "hovednummeret. Telefonrobotten giver borgerne besked om situationen. Henvis "
            "borgere til kommunens hjemmeside, og ring 1-1-2 ved fare for liv. Vi melder "
            "ud, når hovednummeret virker igen."
        ),
    },
    {
        "key": PRESS_TEMPLATE_KEY,
        "purpose": MessageTemplate.Purpose.PRESS,
        "name": "Kontaktcentret: pressemeddelelse",
        "subject": "Kommunens hovednummer er ramt af nedbrud",
        "body": (
            "Kommunens hovednummer kan i øjeblikket ikke besvare opkald på grund af et "
            "nedbrud. Borgere, der ringer, får en indtalt besked om situationen. Kommunen "
            "arbejder på at genoprette forbindelsen. Har man brug for akut hjælp, skal man "
            "ringe 1-1-2. Nyt følger på kommunens hjemmeside."
        ),
    },
]


def load_message_templates(stdout=None) -> list[MessageTemplate]:
    """Create the contact centre's message templates that are missing (by key)."""
    created: list[MessageTemplate] = []
    with transaction.atomic():
        for spec in MESSAGE_TEMPLATES:
            fields = dict(spec)
            key = fields.pop("key")
            template, was_created = MessageTemplate.objects.get_or_create(
                key=key, defaults={**fields, "owner_app": "contactcenter"}
            )
            if was_created:
                created.append(template)
                if stdout is not None:
                    stdout.write(f"Created message template: {template.name}")
    return created
