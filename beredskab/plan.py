"""The plan's own content as data, and the loaders `manage.py load_plan` runs.

This is the 2026 IT-beredskabsplan of Jobcenter og Borgerservice written out as rows:
the three escalation chains and the information-security links. Names, steps and
checklist items are in Danish, the plan's language, because staff edit them in the
portal as data. Loading is safe in production and idempotent: a row is created only
when nothing with its stable key exists, and an existing row is never changed, so
whatever staff edited in the portal survives every later `load_plan`.

Feature apps add their own parts of the plan through an AppConfig hook (see
`load_app_hooks`), so this module imports no feature app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from beredskab import timeline
from beredskab.models import EscalationChain, EscalationStep, EventKind, InfoLink, TimelineEvent
from beredskab.roles import Role

LOADER = "load_plan"


@dataclass(frozen=True)
class StepSpec:
    name: str
    ack_timeout_minutes: int
    checklist: list[str]
    roles: list[str] = field(default_factory=list)
    nearest_leader: bool = False
    is_external: bool = False
    by_sms: bool = True
    by_email: bool = True


@dataclass(frozen=True)
class ChainSpec:
    event_kind: str
    name: str
    description: str
    steps: list[StepSpec]


# Step 1 of the breach chain is the plan's own sentence: "skal nærmeste leder og
# systemkoordinatoren kontaktes, som herefter kontakter kommunens eksterne DPO i
# samarbejde med IT-afdelingen. Lækkets omfang og alvor vurderes, og det afgøres, om der
# er grundlag for at nedsætte en taskforce."
BREACH_LEADER_CHECKLIST = [
    "Systemkoordinatoren er orienteret",
    "Kontakt kommunens eksterne DPO i samarbejde med IT-afdelingen",
    "Vurdér lækkets omfang og alvor",
    "Afgør, om der er grundlag for at nedsætte en taskforce",
    "Er et IT-system involveret: kontakt systemleverandøren",
    "Registrér hændelsen i hændelsesloggen",
]

ESCALATION_STEP_NAME = "Forvaltningens ledelse og IT-afdelingen (ingen kvittering)"

# Escalated when nobody acknowledges: the forvaltning's leadership and central IT.
ESCALATION_CHECKLIST = [
    "Tidligere trin har ikke kvitteret: sørg for, at nærmeste leder, systemkoordinatoren "
    "og den eksterne DPO er kontaktet",
    "Vurdér, om der skal nedsættes en taskforce",
]

CHAINS: list[ChainSpec] = [
    ChainSpec(
        event_kind=EventKind.BREACH,
        name="Databrud eller cyberangreb",
        description=(
            "Ved mistanke om databrud eller cyberangreb kontaktes nærmeste leder og "
            "systemkoordinatoren, som herefter kontakter kommunens eksterne DPO i samarbejde "
            "med IT-afdelingen. Lækkets omfang og alvor vurderes, og det afgøres, om der er "
            "grundlag for at nedsætte en taskforce."
        ),
        steps=[
            StepSpec(
                name="Nærmeste leder og systemkoordinator",
                ack_timeout_minutes=15,
                roles=[Role.SYSTEMKOORDINATOR],
                nearest_leader=True,
                checklist=BREACH_LEADER_CHECKLIST,
            ),
            StepSpec(
                name="Ekstern DPO og IT-afdelingen",
                ack_timeout_minutes=30,
                roles=[Role.EKSTERN_DPO, Role.IT],
                is_external=True,
                checklist=[
                    "Bekræft modtagelsen",
                    "Vurdér sammen med systemkoordinatoren lækkets omfang og alvor",
                    "Rådgiv om anmeldelse til Datatilsynet – senest 72 timer efter, at "
                    "bruddet er opdaget (databeskyttelsesforordningen art. 33)",
                    "Vurdér, om de berørte borgere skal underrettes (art. 34)",
                    "IT-afdelingen: inddæm hændelsen og sikr logfiler og spor",
                ],
            ),
            StepSpec(
                name=ESCALATION_STEP_NAME,
                ack_timeout_minutes=60,
                roles=[Role.IT],
                checklist=ESCALATION_CHECKLIST,
            ),
        ],
    ),
    ChainSpec(
        event_kind=EventKind.SYSTEM_OUTAGE,
        name="Systemnedbrud",
        description=(
            "Ved systemnedbrud følges samme procedurer som ved databrud eller cyberangreb. "
            "Systemleverandøren kontaktes for information om tidshorisont for genetablering "
            "af systemet. Så længe systemet er nede, kan borgersager ikke ajourføres: der er "
            "ikke adgang til borgerens sag, kontaktoplysninger eller mulighed for at træffe "
            "afgørelser."
        ),
        steps=[
            StepSpec(
                name="Nærmeste leder og systemkoordinator",
                ack_timeout_minutes=15,
                roles=[Role.SYSTEMKOORDINATOR],
                nearest_leader=True,
                checklist=[
                    "Systemkoordinatoren er orienteret",
                    "Kontakt systemleverandøren for information om tidshorisont for "
                    "genetablering af systemet",
                    "Kontakt kommunens eksterne DPO i samarbejde med IT-afdelingen",
                    "Vurdér nedbruddets omfang og alvor – er der tegn på et cyberangreb?",
                    "Afgør, om der er grundlag for at nedsætte en taskforce",
                    "Orientér medarbejderne om nedbruddet og den forventede genetablering",
                ],
            ),
            StepSpec(
                name="IT-afdelingen og ekstern DPO",
                ack_timeout_minutes=30,
                roles=[Role.IT, Role.EKSTERN_DPO],
                is_external=True,
                checklist=[
                    "Bekræft modtagelsen",
                    "IT-afdelingen: følg op hos systemleverandøren på tidshorisonten for "
                    "genetablering",
                    "Vurdér, om nedbruddet er et brud på persondatasikkerheden (tab af "
                    "tilgængelighed eller integritet), og om det skal anmeldes til "
                    "Datatilsynet inden for 72 timer",
                ],
            ),
            StepSpec(
                name=ESCALATION_STEP_NAME,
                ack_timeout_minutes=60,
                roles=[Role.IT],
                checklist=ESCALATION_CHECKLIST,
            ),
        ],
    ),
    ChainSpec(
        event_kind=EventKind.POWER_OUTAGE,
        name="Nedbrud på el-nettet",
        description=(
            "Ved el-nedbrud bortfalder kablet og trådløst netværk samt strøm til enheder "
            "uden batteri, og almindelig betjening kan ikke opretholdes. Borgere henvises "
            "til at gå hjem, medarbejdere orienteres og sendes hjem, bortset fra "
            "beredskabsgruppen. Se Bilag 1 for, hvad der kan opretholdes."
        ),
        steps=[
            StepSpec(
                name="Nærmeste leder og beredskabsgruppen",
                ack_timeout_minutes=15,
                roles=[Role.BEREDSKABSGRUPPE],
                nearest_leader=True,
                checklist=[
                    "Aktivér beredskabsgruppen (mobiltelefoner, bærbare pc'er og mobilnet)",
                    "Orientér medarbejderne og send dem hjem, bortset fra beredskabsgruppen",
                    "Bærbare enheder: slå straks WiFi, Bluetooth, NFC og ikke-kritiske apps "
                    "fra, og skru skærmens lysstyrke ned til et minimum",
                    "Elektroniske døre samt brand- og overfaldsalarmer er ude af drift",
                    "Brug Bilag 1 til at afgøre, hvad der kan opretholdes",
                ],
            ),
            StepSpec(
                name="Frontdesk: aflys bookede tider og sæt dørvagt",
                ack_timeout_minutes=15,
                roles=[Role.FRONTDESK],
                checklist=[
                    "Aflys borgere med bookede tider via masse-SMS fra Frontdesk "
                    "(løsningen er off-site og virker fortsat)",
                    "Sæt en dørvagt, der afviser nyankomne borgere, som ikke har modtaget beskeden",
                    "Henvis borgere i huset til at gå hjem",
                ],
            ),
            StepSpec(
                name="Kontaktcenteret",
                ack_timeout_minutes=15,
                roles=[Role.KONTAKTCENTERLEDER, Role.KONTAKTCENTER],
                checklist=[
                    "Genetabler internetforbindelse via hotspot eller hjemmearbejdsplads, og "
                    "log på VPN og Teams",
                    "Omplacér kontaktcenteret til en lokation med strøm og netværk, eller "
                    "brug batteridrevne hotspots",
                    "Opdatér telefonrobottens (InDialog) krisebesked om nedbruddet",
                    "Opdatér status for kontaktcenterets kanaler",
                    "Omstil kun til medarbejdere, der selv har sikret, at de er kontaktbare",
                ],
            ),
            StepSpec(
                name="Orientér forvaltningerne og borgerne",
                ack_timeout_minutes=30,
                roles=[Role.SYSTEMKOORDINATOR],
                checklist=[
                    "Informér forvaltningerne hurtigst muligt",
                    "Orientér borgerne via medierne",
                    "Hold Bilag 1 opdateret, mens nedbruddet varer",
                ],
            ),
        ],
    ),
]


@dataclass(frozen=True)
class LinkSpec:
    key: str
    title: str
    guidance: str
    position: int
    # Left blank on purpose: the municipality fills in its intranet's addresses.
    url: str = ""


INFO_LINKS: list[LinkSpec] = [
    LinkSpec(
        key="sikkerhedspolitik",
        title="Informationssikkerhedspolitik og regler",
        guidance=(
            "Aabenraa Kommune har vedtaget en central informationssikkerhedspolitik med "
            "tilhørende regler, som fastlægger de overordnede rammer for "
            "informationssikkerhed og databeskyttelse."
        ),
        position=10,
    ),
    LinkSpec(
        key="databeskyttelse",
        title="Databeskyttelse",
        guidance=(
            "Information om databeskyttelse og om, hvordan vi sikkert og korrekt håndterer "
            "borgernes data."
        ),
        position=20,
    ),
    LinkSpec(
        key="haendelseslog",
        title="Hændelseslog: anmeld en sikkerhedshændelse",
        guidance=(
            "En hændelseslog er en registrering af alle sikkerhedshændelser – fra de helt "
            "små hændelser til større sikkerhedsbrud, som skal indberettes til "
            "Datatilsynet. Får du mistanke om et databrud eller cyberangreb, så kontakt "
            "nærmeste leder og systemkoordinatoren, og anmeld hændelsen."
        ),
        position=30,
    ),
    LinkSpec(
        key="beredskabsplan-databrud",
        title="Kommunens beredskabsplan ved større databrud eller cyberangreb",
        guidance=(
            "IT-afdelingen har udarbejdet en central beredskabsplan ved større datalæk, "
            "databrud eller cyberangreb. Planen omfatter alle forvaltninger og afdelinger, "
            "herunder decentrale enheder som KIS i Jobcenter og Borgerservice."
        ),
        position=40,
    ),
    LinkSpec(
        key="phishing",
        title="Phishing",
        guidance=(
            "Vejledning i at genkende og håndtere phishing: klik ikke på links og åbn ikke "
            "vedhæftede filer i mistænkelige mails, og anmeld mailen som en "
            "sikkerhedshændelse."
        ),
        position=50,
    ),
    LinkSpec(
        key="mobile-enheder",
        title="Mobile enheder",
        guidance="Vejledning i sikker brug af mobiltelefoner, tablets og bærbare pc'er.",
        position=60,
    ),
    LinkSpec(
        key="mindzeed",
        title="Mindzeed – e-læring i informationssikkerhed",
        guidance=(
            "Alle ansatte med IT-adgang skal gennemføre et fælles onboardingmodul på syv "
            "korte kurser; derefter får medarbejdergrupper kurser målrettet deres "
            "arbejdsområder. Kurserne er obligatoriske, og der udsendes ugentlige "
            "påmindelser, indtil de er gennemført."
        ),
        position=70,
    ),
]


def _write(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def load_chains(stdout=None) -> list[EscalationChain]:
    """Create each chain of the plan whose event kind has no chain yet.

    The event kind is the chain's stable key: staff may rename a chain, change its
    steps or deactivate it, and `load_plan` leaves it exactly so. Steps are only
    written together with a new chain, so a step staff deleted stays deleted.
    """
    created: list[EscalationChain] = []
    groups = {group.name: group for group in Group.objects.all()}
    for spec in CHAINS:
        if EscalationChain.objects.filter(event_kind=spec.event_kind).exists():
            continue
        if EscalationChain.objects.filter(name=spec.name).exists():
            _write(stdout, f"Skipped escalation chain {spec.name!r}: the name is taken")
            continue
        missing = {r for step in spec.steps for r in step.roles} - set(groups)
        if missing:
            # The roles come from a data migration; without them the chain is useless.
            raise LookupError(f"role groups missing (run migrate first): {sorted(missing)}")
        with transaction.atomic():
            chain = EscalationChain.objects.create(
                name=spec.name, event_kind=spec.event_kind, description=spec.description
            )
            for position, step_spec in enumerate(spec.steps, start=1):
                step = EscalationStep.objects.create(
                    chain=chain,
                    position=position,
                    name=step_spec.name,
                    notify_nearest_leader=step_spec.nearest_leader,
                    by_sms=step_spec.by_sms,
                    by_email=step_spec.by_email,
                    is_external=step_spec.is_external,
                    ack_timeout_minutes=step_spec.ack_timeout_minutes,
                    checklist="\n".join(step_spec.checklist),
                )
                step.notify_roles.set([groups[role] for role in step_spec.roles])
            timeline.record(chain, "chain.created", actor=LOADER, data={"source": LOADER})
        created.append(chain)
        _write(stdout, f"Created escalation chain: {chain.name} ({len(spec.steps)} steps)")
    return created


def _deleted_by_staff(spec: LinkSpec) -> bool:
    """A plan link staff deleted in the portal stays deleted (its timeline says so)."""
    return (
        TimelineEvent.objects.filter(
            subject_type=InfoLink._meta.label_lower, kind="infolink.deleted"
        )
        .filter(Q(data__key=spec.key) | Q(data__title=spec.title))
        .exists()
    )


def load_info_links(stdout=None) -> list[InfoLink]:
    """Create the plan's information-security links that are missing (by key)."""
    created: list[InfoLink] = []
    for spec in INFO_LINKS:
        if _deleted_by_staff(spec):
            continue
        link, was_created = InfoLink.objects.get_or_create(
            key=spec.key,
            defaults={
                "title": spec.title,
                "guidance": spec.guidance,
                "position": spec.position,
                "url": spec.url,
            },
        )
        if was_created:
            created.append(link)
            _write(stdout, f"Created information-security link: {link.title}")
    return created


def load_app_hooks(hook: str, stdout=None) -> list[str]:
    """Call `hook(stdout)` on every installed app's AppConfig that defines it.

    This is how feature apps add their part of the plan (or demo) without the core
    importing them. Returns the labels of the apps that took part.
    """
    called: list[str] = []
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if callable(method):
            method(stdout)
            called.append(config.label)
    return called


def load_plan(stdout=None) -> None:
    """Everything `manage.py load_plan` does, in one transaction."""
    with transaction.atomic():
        load_chains(stdout)
        load_info_links(stdout)
        load_app_hooks("load_plan", stdout)
