"""The plan's part of the outages app (section 5): the power-outage playbook in the
plan's own words, and a first Appendix 1 ("Bilag 1") for the systemkoordinator to
check and complete. Idempotent: an existing playbook or row is left as edited."""

from __future__ import annotations

from django.db import transaction

from beredskab.models import EventKind, MessageTemplate, System
from beredskab.roles import Role
from outages.models import AppendixRow, Keep, Playbook, PlaybookItem, PlaybookSection

POWER_PLAYBOOK_KEY = "el-nedbrud"

POWER_PLAYBOOK: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Beredskabsgruppen og medarbejderne",
        [
            (Role.LEDER, "Aktivér beredskabsgruppen (mobiltelefoner, bærbare pc'er og mobilnet)"),
            (Role.LEDER, "Orientér medarbejderne og send dem hjem, bortset fra beredskabsgruppen"),
            (Role.LEDER, "Orientér forvaltningerne hurtigst muligt"),
        ],
    ),
    (
        "Borgerne",
        [
            (Role.FRONTDESK, "Aflys borgere med bookede tider via masse-SMS fra Frontdesk"),
            (Role.BEREDSKABSGRUPPE, "Sæt en dørvagt, der afviser nyankomne borgere"),
            (Role.BEREDSKABSGRUPPE, "Borgere henvises til at gå hjem"),
            (Role.KONTAKTCENTER, "Orientér borgerne via medierne"),
        ],
    ),
    (
        "Udstyr og bygning",
        [
            (
                Role.BEREDSKABSGRUPPE,
                "Bærbare enheder: slå straks WiFi, Bluetooth, NFC og ikke-kritiske apps fra, "
                "og skru skærmens lysstyrke ned til et minimum",
            ),
            (
                Role.BEREDSKABSGRUPPE,
                "Elektroniske døre samt brand- og overfaldsalarmer er ude af drift: "
                "aftal manuel dækning",
            ),
            (
                Role.IT,
                "Brug Microsoft 365 over mobilnettet; data på SharePoint/OneDrive, evt. via VPN",
            ),
        ],
    ),
    (
        "Kontaktcenteret",
        [
            (
                Role.KONTAKTCENTER,
                "Omplacér kontaktcenteret til en lokation med strøm og netværk, eller brug "
                "batteridrevne hotspots",
            ),
        ],
    ),
]

# A first Bilag 1 from the plan's examples; the systemkoordinator checks and completes it.
APPENDIX_1: list[tuple[str, str, str, list[str]]] = [
    ("Pas og kørekort", Keep.NO, "Borgeren henvises til en anden kommune eller en ny tid", []),
    ("Sundhedskort", Keep.NO, "Borgeren bestiller kortet på borger.dk", []),
    ("Flytning", Keep.PARTLY, "Borgeren melder flytning selv på borger.dk", []),
    ("Pension", Keep.PARTLY, "Telefonisk vejledning fra bærbar pc via mobilnet og VPN", []),
    ("Jobcentersamtaler", Keep.PARTLY, "Samtaler flyttes til telefon eller aflyses via SMS", []),
    (
        "Kontaktcenteret",
        Keep.PARTLY,
        "Omplaceres til en lokation med strøm eller bruger batteridrevne hotspots; "
        "telefonrobotten informerer borgerne",
        [],
    ),
]


@transaction.atomic
def load_power_playbook(stdout=None) -> Playbook:
    playbook, created = Playbook.objects.get_or_create(
        key=POWER_PLAYBOOK_KEY,
        defaults={
            "name": "Nedbrud på el-nettet",
            "event_kind": EventKind.POWER_OUTAGE,
            "introduction": (
                "Ved el-nedbrud bortfalder kablet og trådløst netværk samt strøm til enheder "
                "uden batteri, og almindelig betjening kan ikke opretholdes. Se Bilag 1 for, "
                "hvad der kan opretholdes."
            ),
        },
    )
    if created:
        for s_position, (title, items) in enumerate(POWER_PLAYBOOK, start=1):
            section = PlaybookSection.objects.create(
                playbook=playbook, position=s_position, title=title
            )
            for i_position, (role, text) in enumerate(items, start=1):
                PlaybookItem.objects.create(
                    section=section, position=i_position, text=text, owner_role=role
                )
        if stdout is not None:
            stdout.write(f"Loaded the playbook {playbook.name}")
    return playbook


@transaction.atomic
def load_appendix_1(stdout=None) -> int:
    made = 0
    for position, (function, keep, workaround, systems) in enumerate(APPENDIX_1, start=1):
        row, created = AppendixRow.objects.get_or_create(
            function=function,
            defaults={"position": position, "can_keep": keep, "workaround": workaround},
        )
        if created:
            row.depends_on.set(System.objects.filter(name__in=systems))
            made += 1
    if made and stdout is not None:
        stdout.write(f"Loaded {made} rows of Appendix 1")
    return made


# The power outage's messages, sent through beredskab's department broadcast and press
# text (broadcast:new?template=<key>, broadcast:press_new?template=<key>).
GO_HOME_KEY = "el-nedbrud-gaa-hjem"
STAY_HOME_KEY = "el-nedbrud-bliv-hjemme"
PRESS_KEY = "el-nedbrud-presse"
# The beredskabsgruppe stays when everyone else goes home (the plan), so neither
# "go home" nor "stay home tomorrow" is sent to them.
MESSAGE_TEMPLATES: list[dict] = [
    {
        "key": GO_HOME_KEY,
        "excluded_roles": [Role.BEREDSKABSGRUPPE.value],
        "purpose": MessageTemplate.Purpose.BROADCAST,
        "name": "El-nedbrud: gå hjem",
        "subject": "Strømmen er gået: gå hjem",
        "body": (
            "Der er nedbrud på el-nettet. Almindelig betjening kan ikke opretholdes. Alle "
            "medarbejdere, bortset fra beredskabsgruppen, bedes gå hjem nu. Slå WiFi, "
            "Bluetooth og NFC fra på bærbare enheder for at spare strøm. Følg med på "
            "portalen og i SMS'er fra kommunen."
        ),
    },
    {
        "key": STAY_HOME_KEY,
        "excluded_roles": [Role.BEREDSKABSGRUPPE.value],
        "purpose": MessageTemplate.Purpose.BROADCAST,
        "name": "El-nedbrud: bliv hjemme i morgen",
        "subject": "Strømmen er ikke tilbage: bliv hjemme i morgen",
        "body": (
            "Nedbruddet på el-nettet fortsætter. Mød ikke ind i morgen, medmindre du er i "
            "beredskabsgruppen. Arbejd hjemmefra, hvis det er muligt. Vi giver besked, når "
            "strømmen er tilbage."
        ),
    },
    {
        "key": PRESS_KEY,
        "purpose": MessageTemplate.Purpose.PRESS,
        "name": "El-nedbrud: pressemeddelelse",
        "subject": "Strømnedbrud: Borgerservice og Jobcenter er lukket",
        "body": (
            "På grund af et nedbrud på el-nettet er Borgerservice og Jobcenter lukket. "
            "Borgere med bookede tider får besked pr. SMS. Kommunen arbejder på at "
            "genoprette driften, og nyt følger på kommunens hjemmeside. Har man brug for "
            "akut hjælp, skal man ringe 1-1-2."
        ),
    },
]


@transaction.atomic
def load_message_templates(stdout=None) -> int:
    made = 0
    for spec in MESSAGE_TEMPLATES:
        fields = dict(spec)
        key = fields.pop("key")
        _template, created = MessageTemplate.objects.get_or_create(
            key=key, defaults={**fields, "owner_app": "outages"}
        )
        made += created
    if made and stdout is not None:
        stdout.write(f"Created {made} power-outage message templates")
    return made
