"""The content of the 2026 IT-beredskabsplan of Jobcenter og Borgerservice, as rows.

The three escalation chains and the information-security links, in Danish (the plan's
language, and staff edit them as data). `beredskab.plan` loads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beredskab.models import Completion, EventKind
from beredskab.models.escalation_states import LEADER, role_position
from beredskab.roles import Role


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
    # When the step counts as acknowledged (escalation_states.Completion) and, for
    # "each position", which positions: the plan's "X og Y" means both X and Y.
    completion: str = Completion.ANYONE
    positions: list[str] = field(default_factory=list)


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

# The step's name says when it is reached; the binder adds "(kvittér inden for N min)".
ESCALATION_STEP_NAME = "Forvaltningens ledelse og IT-afdelingen, når ingen har kvitteret"

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
                completion=Completion.EACH_POSITION,
                positions=[LEADER, role_position(Role.SYSTEMKOORDINATOR)],
                checklist=BREACH_LEADER_CHECKLIST,
            ),
            StepSpec(
                name="Ekstern DPO og IT-afdelingen",
                ack_timeout_minutes=30,
                roles=[Role.EKSTERN_DPO, Role.IT],
                is_external=True,
                completion=Completion.EACH_POSITION,
                positions=[role_position(Role.EKSTERN_DPO), role_position(Role.IT)],
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
                completion=Completion.EACH_POSITION,
                positions=[LEADER, role_position(Role.SYSTEMKOORDINATOR)],
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
                completion=Completion.EACH_POSITION,
                positions=[role_position(Role.IT), role_position(Role.EKSTERN_DPO)],
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
                completion=Completion.EACH_POSITION,
                positions=[LEADER, role_position(Role.BEREDSKABSGRUPPE)],
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


# The three pages on the staff intranet (medarbejderportalen) that the plan names, with
# the addresses the plan gives for them (it-beredskabsplan-2026, section 2).
INTRANET = "https://medarbejderportalen.aabenraa.dk"
INFOSEC_PAGE = f"{INTRANET}/hjaelp-til-alle/it-og-digitalisering/informationssikkerhed/"
MINDZEED_PAGE = f"{INTRANET}/vidensbasen/programmer/oevrige-programmer/mindzeed"
INCIDENT_PAGE = (
    f"{INTRANET}/hjaelp-til-alle/it-og-digitalisering/informationssikkerhed/"
    "sikkerhedshaendelser-og-brud#hvad-er-en-haendelseslog--ad"
)


@dataclass(frozen=True)
class LinkSpec:
    key: str
    title: str
    guidance: str
    position: int
    # The intranet page the plan names for it; the policy, data protection, phishing and
    # mobile devices are all on the information-security page.
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
        url=INFOSEC_PAGE,
    ),
    LinkSpec(
        key="databeskyttelse",
        title="Databeskyttelse",
        guidance=(
            "Information om databeskyttelse og om, hvordan vi sikkert og korrekt håndterer "
            "borgernes data."
        ),
        position=20,
        url=INFOSEC_PAGE,
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
        url=INCIDENT_PAGE,
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
        url=INCIDENT_PAGE,
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
        url=INFOSEC_PAGE,
    ),
    LinkSpec(
        key="mobile-enheder",
        title="Mobile enheder",
        guidance="Vejledning i sikker brug af mobiltelefoner, tablets og bærbare pc'er.",
        position=60,
        url=INFOSEC_PAGE,
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
        url=MINDZEED_PAGE,
    ),
]
