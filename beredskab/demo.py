"""Demo data for `load_demo` (never in production). No real URLs or phone numbers.

Every name, company, phone number and address here is made up. Phone numbers are
fictitious: they are valid Danish numbers for `phonenumbers` (so the forms and the
SMS code accept them) in a pattern nobody should mistake for a real contact
(+45 2199 00nn for people, +45 7099 00nn for suppliers); e-mails are @example.invalid.

Like `load_plan`, loading is idempotent: rows are found by a stable key (a department's
or supplier's name, a person's e-mail, a login's username) and only created when
missing, so a second run changes nothing.
"""

# ruff: noqa: E501  (the data below are tables: one row a line reads best)
from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from beredskab.grants import grant_directly, login_linked
from beredskab.models import (
    Absence,
    Department,
    EscalationChain,
    EventKind,
    MediaOutlet,
    Person,
    Supplier,
    System,
)
from beredskab.plan import ESCALATION_STEP_NAME, load_app_hooks
from beredskab.roles import Role

DEMO_PASSWORD = "beredskab-demo-2026"

# (username, role) — one login per role; printed by `make run` and listed in the README.
DEMO_LOGINS: list[tuple[str, str]] = [
    ("medarbejder", "medarbejder"),
    ("leder", "leder"),
    ("systemkoordinator", "systemkoordinator"),
    ("dpo", "ekstern_dpo"),
    ("it", "it"),
    ("frontdesk", "frontdesk"),
    ("beredskabsgruppe", "beredskabsgruppe"),
    ("kontaktcenter", "kontaktcenter"),
    ("kontaktcenterleder", "kontaktcenterleder"),
    ("admin", "admin"),
]

DOMAIN = "example.invalid"
FORVALTNING = "Beskæftigelse og Borgerservice"
IT_DEPARTMENT = "IT-afdelingen"

# fmt: off
# name, kind, parent, leaders (person keys), deputy (person key)
DEPARTMENTS: list[tuple[str, str, str | None, list[str], str]] = [
    (FORVALTNING, Department.Kind.FORVALTNING, None, ["henrik.lauridsen"], "karen.jessen"),
    ("Jobcenter", Department.Kind.UNIT, FORVALTNING, ["karen.jessen"], "anders.kjaer"),
    ("Borgerservice", Department.Kind.UNIT, FORVALTNING, ["birgitte.nissen"], "thomas.jorgensen"),
    ("KIS", Department.Kind.UNIT, FORVALTNING, ["jesper.thomsen"], "hanne.poulsen"),
    ("Kontaktcenter", Department.Kind.UNIT, FORVALTNING, ["susanne.clausen"], "niels.bertelsen"),
    (IT_DEPARTMENT, Department.Kind.UNIT, None, ["lars.ostergaard"], "kim.holm"),
]

M, L, S = Role.MEDARBEJDER, Role.LEDER, Role.SYSTEMKOORDINATOR
IT, F, B = Role.IT, Role.FRONTDESK, Role.BEREDSKABSGRUPPE
K, KL = Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER

# key (e-mail's local part), name, title, department, roles, login, personal deputy,
# reachable during an outage. A login's person holds exactly the login's role.
PEOPLE: list[tuple[str, str, str, str | None, list[str], str, str, bool]] = [
    ("henrik.lauridsen", "Henrik Lauridsen", "Forvaltningschef", FORVALTNING, [M, L], "", "karen.jessen", True),
    ("karen.jessen", "Karen Møller Jessen", "Jobcenterchef", "Jobcenter", [L], "leder", "anders.kjaer", True),
    ("anders.kjaer", "Anders Kjær", "Afdelingsleder", "Jobcenter", [M, L], "", "karen.jessen", True),
    ("lone.petersen", "Lone Petersen", "Systemkoordinator", "Jobcenter", [S], "systemkoordinator", "rikke.lund", True),
    ("mads.hansen", "Mads Hansen", "Jobkonsulent", "Jobcenter", [M], "medarbejder", "", False),
    ("sofie.christensen", "Sofie Christensen", "Sagsbehandler", "Jobcenter", [M, B], "", "", True),
    ("jens.schmidt", "Jens Schmidt", "Sagsbehandler", "Jobcenter", [M], "", "", False),
    ("birgitte.nissen", "Birgitte Nissen", "Leder af Borgerservice", "Borgerservice", [M, L], "", "thomas.jorgensen", True),
    ("thomas.jorgensen", "Thomas Jørgensen", "Teamkoordinator", "Borgerservice", [M, L], "", "", True),
    ("rikke.lund", "Rikke Lund", "Systemkoordinator", "Borgerservice", [M, S], "", "lone.petersen", True),
    ("pia.andersen", "Pia Andersen", "Frontdeskmedarbejder", "Borgerservice", [F], "frontdesk", "", True),
    ("ole.madsen", "Ole Madsen", "Frontdeskmedarbejder og dørvagt", "Borgerservice", [M, F, B], "", "", True),
    ("camilla.sorensen", "Camilla Sørensen", "Borgerservicemedarbejder", "Borgerservice", [B], "beredskabsgruppe", "", True),
    ("jesper.thomsen", "Jesper Thomsen", "Leder af KIS", "KIS", [M, L], "", "hanne.poulsen", True),
    ("hanne.poulsen", "Hanne Poulsen", "Faglig koordinator", "KIS", [M, L], "", "", True),
    ("line.frederiksen", "Line Frederiksen", "Integrationskonsulent", "KIS", [M], "", "", False),
    ("susanne.clausen", "Susanne Clausen", "Kontaktcenterleder", "Kontaktcenter", [KL], "kontaktcenterleder", "niels.bertelsen", True),
    ("niels.bertelsen", "Niels Bertelsen", "Teamleder", "Kontaktcenter", [M, K, KL], "", "", True),
    ("maria.knudsen", "Maria Knudsen", "Kontaktcentermedarbejder", "Kontaktcenter", [K], "kontaktcenter", "", True),
    ("peter.mortensen", "Peter Mortensen", "Kontaktcentermedarbejder", "Kontaktcenter", [M, K], "", "", False),
    ("lars.ostergaard", "Lars Østergaard", "IT-chef", IT_DEPARTMENT, [M, L, IT], "", "kim.holm", True),
    ("kim.holm", "Kim Holm", "IT-driftsansvarlig", IT_DEPARTMENT, [IT], "it", "tina.vestergaard", True),
    ("tina.vestergaard", "Tina Vestergaard", "IT-sikkerhedskonsulent", IT_DEPARTMENT, [M, IT, B], "", "", True),
    ("erik.dam", "Erik Dam", "Portaladministrator", IT_DEPARTMENT, [Role.ADMIN], "admin", "", False),
    ("charlotte.winther", "Charlotte Winther", "Ekstern databeskyttelsesrådgiver (DPO)", None, [Role.EKSTERN_DPO], "dpo", "", True),
    ("jonas.berg", "Jonas Berg", "Supportansvarlig", None, [], "", "", False),
]
# People outside the municipality: no IT access of ours, no training.
EXTERNAL = {
    "charlotte.winther": "Databeskyttelsesrådgivning ApS (fiktiv)",
    "jonas.berg": "Omstillingshuset A/S (fiktiv)",
}
# Leaders with a planned absence. It starts in the future, so today every escalation
# reaches its first choice; the deputy takes over only once time reaches it.
FUTURE_ABSENCES = {"birgitte.nissen": (30, 14, "Ferie")}  # key: (starts in days, days, note)
# The forvaltning's leader, named on the "no acknowledgement" steps (load_plan cannot
# name people: production's people are not known when the plan is loaded).
ESCALATION_LEADER = "henrik.lauridsen"

# name, support phone (fictitious), e-mail, support hours, notes on the agreement
SUPPLIERS: list[tuple[str, str, str, str, str]] = [
    ("Omstillingshuset A/S (fiktiv)", "+4570990001", "omstilling", "Døgnet rundt ved nedbrud", "Driftsaftale med oppetidsgaranti; hostet uden for kommunen."),
    ("Talerobot ApS (fiktiv)", "+4570990002", "talerobot", "Hverdage 8–16", "Drift og træning af telefonrobotten; krisebeskeder kan ændres døgnet rundt."),
    ("Skyplatform Danmark A/S (fiktiv)", "+4570990003", "skyplatform", "Døgnet rundt", "Licens- og supportaftale for Microsoft 365 og Teams via forhandler."),
    ("Netsikring ApS (fiktiv)", "+4570990004", "netsikring", "Hverdage 7–17, vagt uden for åbningstid", "Drift af VPN og firewall."),
    ("Bookingløsninger ApS (fiktiv)", "+4570990005", "booking", "Hverdage 8–16", "Bookingsystemet Frontdesk inkl. SMS-modul; hostet uden for kommunen."),
    ("Kommunale Fagsystemer A/S (fiktiv)", "+4570990006", "fagsystemer", "Hverdage 8–15:30", "Fagsystemer til beskæftigelse, ydelser og integration."),
    ("Journal og Arkiv ApS (fiktiv)", "+4570990007", "journal", "Hverdage 8–16", "ESDH- og journalløsning."),
]

CASE_IMPACT = (
    "Borgersager kan ikke ajourføres\n"
    "Ingen adgang til borgerens sag og kontaktoplysninger\n"
    "Der kan ikke træffes afgørelser"
)
ASSESSED_ON = date(2026, 1, 15)
H = System.Hosting

# Systems: the plan names the first six; the rest are typical of a jobcenter and a
# citizen service and marked as examples. C/A/I are confidentiality, availability,
# integrity (1–4). needs: P = building power, N = municipal network, V = VPN.
SYSTEMS: list[dict] = [
    dict(name="Samwin/Jansson", supplier="Omstillingshuset A/S (fiktiv)", hosting=H.HOSTED, needs="", cai=(2, 4, 2), coordinator="rikke.lund",
         purpose="Omstilling og telefonhåndtering i kontaktcenteret.",
         justification="Tilgængelighed er kritisk: borgerne skal kunne komme igennem på hovednummeret. Placeret uden for kommunen på separat el-net og netværk, uafhængigt af InDialog.",
         impact="Borgere kan ikke stilles om til medarbejdere\nKøer og opkaldsoversigt er ikke tilgængelige"),
    dict(name="InDialog", supplier="Talerobot ApS (fiktiv)", hosting=H.HOSTED, needs="", cai=(2, 3, 3), coordinator="rikke.lund",
         purpose="Machine learning-baseret telefonrobot til grundlæggende hjælp og omstilling; giver i krisesituationer borgerne information om nedbrud samt nød- og evakueringsplaner.",
         justification="Integritet vurderes højt, fordi robotten informerer borgere i krisesituationer, og beskeden skal være korrekt. Samwin/Jansson fungerer, hvis robotten er nede.",
         impact="Borgerne får ikke automatisk hjælp eller omstilling\nKrisebeskeder kan ikke afspilles for borgerne"),
    dict(name="Microsoft Teams (telefoni)", supplier="Skyplatform Danmark A/S (fiktiv)", hosting=H.CLOUD, needs="", cai=(3, 3, 2), coordinator="lone.petersen",
         purpose="Intern telefoni; besvarelse af opkald via pc eller mobiltelefon, både på fastnet- og mobilnumre.",
         justification="Bruges af kontaktcenteret under nedbrud fra hjemmearbejdsplads eller hotspot (sammen med VPN).",
         impact="Opkald kan ikke besvares via Teams\nIntern telefoni og onlinemøder er utilgængelige"),
    dict(name="Microsoft 365 (SharePoint og OneDrive)", supplier="Skyplatform Danmark A/S (fiktiv)", hosting=H.CLOUD, needs="V", cai=(3, 3, 3), coordinator="lone.petersen",
         purpose="Mail, dokumenter og samarbejde; data gemt på SharePoint eller OneDrive.",
         justification="Kan anvendes under el-nedbrud, så længe der er netværksadgang, og data er gemt på SharePoint eller OneDrive. I visse tilfælde kræver adgangen, at pc'en er tilsluttet VPN.",
         impact="Ingen adgang til mail og dokumenter på SharePoint og OneDrive"),
    dict(name="VPN (fjernadgang)", supplier="Netsikring ApS (fiktiv)", hosting=H.ON_PREMISES, needs="N", cai=(3, 4, 3), coordinator="lone.petersen",
         purpose="Sikker fjernadgang til kommunens netværk fra hjemmearbejdsplads eller hotspot.",
         justification="Forudsætning for at arbejde hjemmefra eller via hotspot under nedbrud, bl.a. for Teams og dele af Microsoft 365. Kører i kommunens datacenter, ikke i Jobcenter og Borgerservices bygning.",
         impact="Ingen fjernadgang til kommunens interne systemer\nKontaktcenteret kan ikke arbejde fra hjemmearbejdsplads eller hotspot"),
    dict(name="Frontdesk (booking)", supplier="Bookingløsninger ApS (fiktiv)", hosting=H.HOSTED, needs="", cai=(3, 3, 3), coordinator="rikke.lund",
         purpose="Booking af tider i Jobcenter og Borgerservice; masse-SMS til borgere med bookede tider.",
         justification="Indeholder borgeres navne og telefonnumre. Løsningen er off-site og bruges under el-nedbrud til at aflyse bookede tider via masse-SMS.",
         impact="Borgere kan ikke booke eller aflyse tider\nBookede borgere kan ikke aflyses via masse-SMS"),
    dict(name="Sagssystem for beskæftigelse (eksempel)", supplier="Kommunale Fagsystemer A/S (fiktiv)", hosting=H.HOSTED, needs="N", cai=(4, 3, 4), coordinator="lone.petersen",
         purpose="Sagsbehandling, planer og samtaler med borgere i Jobcenter.",
         justification="Følsomme personoplysninger om borgernes helbred og sociale forhold; forkerte data kan føre til forkerte afgørelser.",
         impact=CASE_IMPACT),
    dict(name="Ydelsessystem (eksempel)", supplier="Kommunale Fagsystemer A/S (fiktiv)", hosting=H.HOSTED, needs="N", cai=(4, 3, 4), coordinator="lone.petersen",
         purpose="Beregning og udbetaling af ydelser, fx kontanthjælp og sygedagpenge.",
         justification="CPR-numre og økonomiske oplysninger; fejl i data giver forkerte udbetalinger.",
         impact=CASE_IMPACT + "\nYdelser kan ikke beregnes eller udbetales"),
    dict(name="ESDH og journalisering (eksempel)", supplier="Journal og Arkiv ApS (fiktiv)", hosting=H.ON_PREMISES, needs="PN", cai=(4, 3, 4), coordinator="rikke.lund",
         purpose="Elektronisk sags- og dokumenthåndtering og journalisering.",
         justification="Alle sagers dokumenter; journalisering er en lovpligt, og dokumenter må ikke ændres ubemærket. Kører on-site og er utilgængeligt ved el-nedbrud.",
         impact="Dokumenter kan ikke journaliseres\n" + CASE_IMPACT),
    dict(name="Pas og kørekort (eksempel)", supplier="Kommunale Fagsystemer A/S (fiktiv)", hosting=H.HOSTED, needs="PN", cai=(4, 2, 4), coordinator="rikke.lund",
         purpose="Ansøgning om og udlevering af pas og kørekort i Borgerservice.",
         justification="Identitetsoplysninger og biometri; kræver strøm til foto- og fingeraftryksudstyr i Borgerservice.",
         impact="Pas og kørekort kan ikke bestilles eller udleveres\nIngen adgang til borgerens kontaktoplysninger"),
    dict(name="Integrationssystem for KIS (eksempel)", supplier="Kommunale Fagsystemer A/S (fiktiv)", hosting=H.HOSTED, needs="V", cai=(4, 2, 3), coordinator="lone.petersen",
         purpose="Sagsbehandling og tolkebestilling i KIS.",
         justification="Følsomme oplysninger om flygtninge og indvandrere; kortere nedetid kan håndteres manuelt.",
         impact=CASE_IMPACT),
    dict(name="Digital Post og borgeroverblik (eksempel)", supplier="Kommunale Fagsystemer A/S (fiktiv)", hosting=H.CLOUD, needs="", cai=(3, 2, 3), coordinator="rikke.lund",
         purpose="Breve til borgere og overblik over borgerens kontaktoplysninger.",
         justification="Personoplysninger; breve kan vente nogle timer.",
         impact="Breve til borgerne kan ikke sendes\nIngen adgang til borgerens kontaktoplysninger"),
]
# fmt: on


def _write(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def _mobile(index: int) -> str:
    return f"+45219900{index:02d}"  # fictitious, see the module docstring


def _alternative_mobile(index: int) -> str:
    return f"+45219901{index:02d}"  # fictitious, see the module docstring


def load_departments(stdout=None) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for name, kind, parent, _leaders, _deputy in DEPARTMENTS:
        department, created = Department.objects.get_or_create(
            name=name, defaults={"kind": kind, "parent": departments.get(parent)}
        )
        departments[name] = department
        if created:
            _write(stdout, f"Created department: {name}")
    return departments


def load_people(departments: dict[str, Department], stdout=None) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for index, (key, name, title, department, roles, _login, _deputy, reachable) in enumerate(
        PEOPLE, start=1
    ):
        email = f"{key}@{DOMAIN}"
        person = Person.objects.filter(email=email).first()
        if person is None:
            external = EXTERNAL.get(key, "")
            person = Person.objects.create(
                name=name,
                title=title,
                department=departments.get(department) if department else None,
                mobile=_mobile(index),
                email=email,
                employee_number="" if external else f"DEMO{index:03d}",
                start_date=date(2020, 1, 1) + timedelta(days=97 * index),
                has_it_access=not external,
                external_organisation=external,
                reachable_during_outage=reachable,
                alternative_mobile=_alternative_mobile(index) if reachable else "",
            )
            grant_directly(person, *roles, reason="demo")
            _write(stdout, f"Created person: {name}")
        people[key] = person
    for key, *_rest, deputy, _reachable in PEOPLE:
        person = people[key]
        if deputy and person.deputy_id is None:
            person.deputy = people[deputy]
            person.save(update_fields=["deputy"])
    return people


def fill_department_leaders(departments: dict[str, Department], people: dict[str, Person]):
    """Leaders and deputy for a department that has none yet (staff's choice wins)."""
    for name, _kind, _parent, leaders, deputy in DEPARTMENTS:
        department = departments[name]
        if not department.leaders.exists():
            department.leaders.set([people[key] for key in leaders])
        if department.deputy_id is None:
            department.deputy = people[deputy]
            department.save(update_fields=["deputy"])


def load_logins(people: dict[str, Person], stdout=None) -> None:
    """One login per role, linked to its person, with the person's roles as groups."""
    by_login = {login: key for key, *_r, login, _d, _reachable in PEOPLE if login}
    for username, role in DEMO_LOGINS:
        person = people[by_login[username]]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": person.email,
                "first_name": person.name.split()[0],
                "last_name": person.name.split()[-1],
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            _write(stdout, f"Created login: {username} ({role})")
        if person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
            created = True
        if created:
            login_linked(person)


def load_suppliers(stdout=None) -> dict[str, Supplier]:
    suppliers: dict[str, Supplier] = {}
    for name, phone, mailbox, hours, notes in SUPPLIERS:
        supplier, created = Supplier.objects.get_or_create(
            name=name,
            defaults={
                "support_phone": phone,
                "support_email": f"{mailbox}@{DOMAIN}",
                "support_hours": hours,
                "agreement_notes": notes,
            },
        )
        suppliers[name] = supplier
        if created:
            _write(stdout, f"Created supplier: {name}")
    return suppliers


def load_systems(suppliers: dict[str, Supplier], people: dict[str, Person], stdout=None):
    for spec in SYSTEMS:
        confidentiality, availability, integrity = spec["cai"]
        coordinator = people[spec["coordinator"]]
        _system, created = System.objects.get_or_create(
            name=spec["name"],
            defaults={
                "purpose": spec["purpose"],
                "supplier": suppliers[spec["supplier"]],
                "hosting": spec["hosting"],
                "needs_building_power": "P" in spec["needs"],
                "needs_municipal_network": "N" in spec["needs"],
                "needs_vpn": "V" in spec["needs"],
                "confidentiality": confidentiality,
                "availability": availability,
                "integrity": integrity,
                "rating_justification": spec["justification"],
                "assessed_on": ASSESSED_ON,
                "assessed_by": f"{coordinator.name}, {coordinator.title.lower()}",
                "coordinator": coordinator,
                "outage_impact": spec["impact"],
                "is_example": spec["name"].endswith("(eksempel)"),
            },
        )
        if created:
            _write(stdout, f"Created system: {spec['name']}")


def load_absences(people: dict[str, Person], stdout=None) -> None:
    now = timezone.now()
    for key, (starts_in, days, note) in FUTURE_ABSENCES.items():
        person = people[key]
        if person.absences.exists():
            continue
        starts_at = now + timedelta(days=starts_in)
        Absence.objects.create(
            person=person, starts_at=starts_at, ends_at=starts_at + timedelta(days=days), note=note
        )
        _write(stdout, f"Created absence: {person.name}")


def name_escalation_leader(people: dict[str, Person], stdout=None) -> None:
    """Put the forvaltning's leader on the plan's "no acknowledgement" steps."""
    leader = people[ESCALATION_LEADER]
    chains = EscalationChain.objects.filter(
        event_kind__in=[EventKind.BREACH, EventKind.SYSTEM_OUTAGE]
    )
    for chain in chains:
        step = chain.steps.filter(name=ESCALATION_STEP_NAME).first()
        if step is not None and not step.notify_people.exists():
            step.notify_people.add(leader)
            _write(stdout, f"Named {leader.name} on: {step}")


DEMO_MEDIA = (("JydskeVestkysten (eksempel)", "redaktion"), ("DR Syd (eksempel)", "dr-syd"))


def load_media_list(stdout=None) -> None:
    """A small media list, so a press text can be tried in the demo (fictitious)."""
    for name, local in DEMO_MEDIA:
        _outlet, created = MediaOutlet.objects.get_or_create(
            email=f"{local}@{DOMAIN}", defaults={"name": name}
        )
        if created:
            _write(stdout, f"Media list: {name}")


def load_demo(stdout=None) -> None:
    """Everything `manage.py load_demo` does, in one transaction. Never in production:
    the command refuses before it gets here."""
    with transaction.atomic():
        departments = load_departments(stdout)
        people = load_people(departments, stdout)
        fill_department_leaders(departments, people)
        load_logins(people, stdout)
        suppliers = load_suppliers(stdout)
        load_systems(suppliers, people, stdout)
        load_absences(people, stdout)
        name_escalation_leader(people, stdout)
        load_media_list(stdout)
        load_app_hooks("load_demo", stdout)
