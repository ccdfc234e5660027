"""Every URL of the portal, requested as every role (DESIGN.md "Access").

Not logged in → 302 to the login; a role without the feature → 403; an object outside
the user's scope → 404; the few public pages answer without a login.

The table ACCESS below declares every named URL of the project's apps. A URL that
exists but is not declared fails `test_it_declares_every_url`, so whoever adds a URL
also says here who may open it. To declare one, add a line:

    "app:name": Spec(allowed=ROLES_WITH_X, kwargs=some_factory),

`kwargs` builds the objects the URL needs and returns its URL kwargs; it is called
afresh for every request, with the user making it (None when anonymous), so a factory
can make an object inside or outside that user's scope.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from beredskab.models import (
    Absence,
    Broadcast,
    Department,
    EscalationChain,
    EscalationRun,
    EventKind,
    InfoLink,
    MediaOutlet,
    Person,
    PressText,
    RunStep,
    Supplier,
    System,
)
from beredskab.roles import Role
from contactcenter.models import ContactChannel, CrisisMessage, RobotIntegration

ANONYMOUS = "anonymous"
NO_ROLE = "no role"
ROLES: tuple[str, ...] = tuple(Role.values)

# Who may do what. Written out on purpose rather than derived from roles.py, so that
# a permission given to the wrong role by mistake makes this test fail.
EVERYONE = frozenset(ROLES) | {NO_ROLE}
SYSTEMKOORDINATOR_AND_ADMIN = frozenset({Role.SYSTEMKOORDINATOR, Role.ADMIN})
DIRECTORY_MANAGERS = SYSTEMKOORDINATOR_AND_ADMIN  # manage_directory
CHAIN_MANAGERS = SYSTEMKOORDINATOR_AND_ADMIN  # manage_chains
INFOSEC_EDITORS = SYSTEMKOORDINATOR_AND_ADMIN  # edit_infosec_page
CHAIN_TESTERS = SYSTEMKOORDINATOR_AND_ADMIN  # test_chain
# See every escalation run: manage_incident_log, manage_outages or test_chain.
RUN_OVERSEERS = frozenset({Role.SYSTEMKOORDINATOR, Role.IT, Role.ADMIN})
BROADCASTERS = frozenset(  # send_broadcast
    {Role.LEDER, Role.SYSTEMKOORDINATOR, Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER, Role.ADMIN}
)
MEDIA_LIST_KEEPERS = frozenset({Role.KONTAKTCENTERLEDER, Role.ADMIN})  # manage_media_list

# Project URLs outside the table's reach: Django admin, the language switch and
# Django's auth views (tested on their own at the bottom of this module).
SKIPPED_PREFIXES = ("admin/", "i18n/", "accounts/")

Kwargs = Callable[[User | None], dict]


@dataclass(frozen=True)
class Spec:
    allowed: frozenset[str]
    kwargs: Kwargs | None = None
    # What a logged-in user outside `allowed` gets: 403 (no such feature for the
    # role) or 404 (the object is outside the user's scope).
    denied: int = 403
    method: str = "get"
    data: dict = field(default_factory=dict)
    # What an allowed user gets. A POST without valid data may answer 400.
    ok: frozenset[int] = frozenset({200})
    # Answers without a login (then `allowed` does not matter for the anonymous).
    public: bool = False


# --- Factories: each call makes fresh objects (POSTs may delete or change them) ---
_serial = itertools.count(1)


def _n() -> int:
    return next(_serial)


def infolink(user=None) -> dict:
    n = _n()
    return {"pk": InfoLink.objects.create(key=f"matrix-{n}", title=f"Link {n}", guidance="x").pk}


def department(user=None) -> dict:
    return {"pk": Department.objects.create(name=f"Matrix unit {_n()}").pk}


def person(user=None) -> dict:
    return {"pk": Person.objects.create(name=f"Matrix person {_n()}").pk}


def person_with_login(user=None) -> dict:
    n = _n()
    login = User.objects.create_user(username=f"matrix-login-{n}", password="x-matrix-1234")
    return {"pk": Person.objects.create(name=f"Matrix person {n}", user=login).pk}


def absence(user=None) -> dict:
    someone = Person.objects.create(name=f"Matrix person {_n()}")
    now = timezone.now()
    away = Absence.objects.create(person=someone, starts_at=now, ends_at=now + timedelta(days=2))
    return {"pk": someone.pk, "absence_pk": away.pk}


def supplier(user=None) -> dict:
    return {"pk": Supplier.objects.create(name=f"Matrix supplier {_n()}").pk}


def system(user=None) -> dict:
    return {"pk": System.objects.create(name=f"Matrix system {_n()}").pk}


def chain(user=None) -> dict:
    made = EscalationChain.objects.create(
        name=f"Matrix chain {_n()}", event_kind=EventKind.values[0]
    )
    return {"pk": made.pk}


def run_outside_scope(user=None) -> dict:
    """A run nobody reported and nobody is notified on: only its overseers see it."""
    run = EscalationRun.objects.create(
        chain_name="Matrix chain",
        event_kind=EventKind.values[0],
        title=f"Matrix run {_n()}",
        started_at=timezone.now(),
    )
    step = RunStep.objects.create(
        run=run, position=1, name="First", ack_timeout_minutes=15, checklist=["Call IT"]
    )
    return {"pk": run.pk, "step_pk": step.pk}


def run_only(user=None) -> dict:
    return {"pk": run_outside_scope(user)["pk"]}


def chain_to_test(user=None) -> dict:
    return {"chain_pk": chain(user)["pk"]}


def broadcast(user=None) -> dict:
    n = _n()
    return {"pk": Broadcast.objects.create(subject=f"B {n}", body="x", nonce=f"matrix-{n}").pk}


def press_text(user=None) -> dict:
    # No recipients: sending it is refused, so the matrix never queues e-mail.
    return {"pk": PressText.objects.create(title=f"Press {_n()}", body="x").pk}


def media_outlet(user=None) -> dict:
    n = _n()
    return {"pk": MediaOutlet.objects.create(name=f"Outlet {n}", email=f"m{n}@example.invalid").pk}


def contact_channel(user=None) -> dict:
    return {"pk": ContactChannel.objects.create(key=f"matrix-{_n()}", name="Matrix channel").pk}


# edit_channel_status: the contact centre, IT and leaders.
CHANNEL_EDITORS = frozenset(
    {Role.LEDER, Role.IT, Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER, Role.ADMIN}
)
ROBOT_PUBLISHERS = frozenset({Role.LEDER, Role.KONTAKTCENTERLEDER, Role.ADMIN})
# Agents say they are reachable; leaders and the switchboard see the list.
CONTACT_AGENTS = frozenset({Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER})
REACHABLE_VIEWERS = CONTACT_AGENTS | {Role.LEDER, Role.ADMIN}


def crisis_draft(user=None) -> dict:
    return {"pk": CrisisMessage.objects.create(body=f"Matrix besked {_n()}").pk}


def robot_integration(user=None) -> dict:
    return {"pk": RobotIntegration.create_with_token(f"Matrix {_n()}", actor="matrix")[0].pk}


# view_compliance: leaders (their own department tree), the systemkoordinator and the
# admin; manage_training (the import): the systemkoordinator and the admin.
COMPLIANCE_VIEWERS = frozenset({Role.LEDER, Role.SYSTEMKOORDINATOR, Role.ADMIN})
TRAINING_MANAGERS = SYSTEMKOORDINATOR_AND_ADMIN


def training_assignment(user=None) -> dict:
    """A course assigned to someone in a unit the requesting leader leads."""
    from training.models import Assignment, Course, Module

    n = _n()
    unit = Department.objects.create(name=f"Matrix training unit {n}")
    if user is not None and user.groups.filter(name=Role.LEDER).exists():
        unit.leaders.add(user.person)
    module = Module.objects.create(key=f"matrix-{n}", name=f"Matrix module {n}")
    course = Course.objects.create(
        module=module, key=f"matrix-{n}", title=f"Course {n}", url="https://example.invalid/c"
    )
    someone = Person.objects.create(name=f"Matrix learner {n}", department=unit)
    made = Assignment.objects.create(
        person=someone, course=course, assigned_at=timezone.now(), due_on=timezone.localdate()
    )
    return {"pk": made.pk}


def nonexistent(*names: str) -> Kwargs:
    """Kwargs pointing at objects that do not exist: every logged-in user gets 404.

    A placeholder that still proves login-first and deny-by-default; replace it with
    a real factory (and the roles allowed) when the app's own tests settle.
    """
    return lambda user: dict.fromkeys(names, 999_999)


# view_incident_log: leaders (their own department tree), the systemkoordinator, the
# DPO and IT; manage_incident_log (and record_datatilsynet_notification): the
# systemkoordinator; the taskforce: also the leader of the incident's department.
INCIDENT_READERS = frozenset(
    {Role.LEDER, Role.SYSTEMKOORDINATOR, Role.EKSTERN_DPO, Role.IT, Role.ADMIN}
)
INCIDENT_MANAGERS = SYSTEMKOORDINATOR_AND_ADMIN
TASKFORCE_DECIDERS = frozenset({Role.LEDER, Role.SYSTEMKOORDINATOR, Role.ADMIN})
VIEW_LOG_READERS = frozenset({Role.SYSTEMKOORDINATOR, Role.EKSTERN_DPO, Role.ADMIN})


def incident(user=None) -> dict:
    """An incident someone else reported, in a unit the requesting leader leads: a
    leader reaches it, an employee (not the reporter) gets 404 from the receipt."""
    from incidents.models import Incident

    n = _n()
    unit = Department.objects.create(name=f"Matrix incident unit {n}")
    if user is not None and user.groups.filter(name=Role.LEDER).exists():
        unit.leaders.add(user.person)
    now = timezone.now()
    made = Incident.objects.create(
        reference=f"M-{n}", description="x", department=unit, reported_at=now, aware_at=now
    )
    return {"pk": made.pk}


def incident_letters(user=None) -> dict:
    from incidents.models import LetterRecipient, LetterText

    pk = incident(user)["pk"]
    now = timezone.now()
    LetterText.objects.create(
        incident_id=pk,
        what_happened="a",
        consequences="b",
        measures="c",
        advice="d",
        contact="e",
        updated_at=now,
    )
    LetterRecipient.objects.create(incident_id=pk, name="Navn", address="Vej 1", added_at=now)
    return {"pk": pk, "part": 1}


def incident_attachment(user=None) -> dict:
    from django.core.files.base import ContentFile

    from incidents.models import Attachment, Incident

    pk = incident(user)["pk"]
    item = Attachment(
        incident=Incident.objects.get(pk=pk),
        token=f"matrix{_n()}",
        original_name="a.txt",
        content_type="text/plain",
        size=1,
        uploaded_at=timezone.now(),
    )
    item.file.save(item.token, ContentFile(b"x"), save=False)
    item.save()
    return {"pk": pk, "attachment_pk": item.pk}


# manage_outages: IT and the systemkoordinator declare and move a system outage on.
OUTAGE_MANAGERS = frozenset({Role.SYSTEMKOORDINATOR, Role.IT, Role.ADMIN})


def _outage(status: str) -> dict:
    from outages.models import SystemOutage

    now = timezone.now()
    made = SystemOutage.objects.create(
        description=f"Matrix outage {_n()}",
        status=status,
        reported_at=now,
        began_at=now,
        last_update_at=now,
    )
    return {"pk": made.pk}


def outage_reported(user=None) -> dict:
    return _outage("reported")


def outage_declared(user=None) -> dict:
    """Declared: everyone reads it; a step without data is refused (400) or taken (302)."""
    return _outage("declared")


def outage_restored(user=None) -> dict:
    return _outage("restored")


# A power outage is declared by leaders, IT, the systemkoordinator and the
# beredskabsgruppe; playbooks and Appendix 1 are edited with manage_playbooks.
POWER_DECLARERS = frozenset(
    {Role.LEDER, Role.IT, Role.SYSTEMKOORDINATOR, Role.BEREDSKABSGRUPPE, Role.ADMIN}
)
PLAYBOOK_EDITORS = SYSTEMKOORDINATOR_AND_ADMIN


def _power(status: str) -> dict:
    from outages.models import PowerOutage

    made = PowerOutage.objects.create(
        title=f"Matrix power {_n()}", meeting_point="P", status=status, declared_at=timezone.now()
    )
    return {"pk": made.pk}


def power_declared(user=None) -> dict:
    return _power("declared")


def power_restored(user=None) -> dict:
    return _power("power_restored")


def power_item(user=None) -> dict:
    """An item of the beredskabsgruppe: only its role (and the admin) ticks it."""
    from outages.models import RunItem

    kwargs = power_declared(user)
    item = RunItem.objects.create(
        outage_id=kwargs["pk"], section="S", position=1, text="x", owner_role=Role.BEREDSKABSGRUPPE
    )
    return {"pk": kwargs["pk"], "item_pk": item.pk}


def playbook(user=None) -> dict:
    from outages.models import Playbook

    n = _n()
    made = Playbook.objects.create(key=f"matrix-{n}", name=f"Matrix {n}", event_kind="power_outage")
    return {"pk": made.pk}


def playbook_item(user=None) -> dict:
    from outages.models import PlaybookItem, PlaybookSection

    pk = playbook(user)["pk"]
    section = PlaybookSection.objects.create(playbook_id=pk, title="S")
    item = PlaybookItem.objects.create(section=section, text="x", owner_role=Role.LEDER)
    return {"pk": pk, "item_pk": item.pk}


def appendix_row(user=None) -> dict:
    from outages.models import AppendixRow

    return {"row_pk": AppendixRow.objects.create(function=f"Matrix {_n()}", can_keep="no").pk}


# send_mass_sms and approve_mass_sms: frontdesk, leaders and the admin.
CAMPAIGN_SENDERS = frozenset({Role.FRONTDESK, Role.LEDER, Role.ADMIN})


def campaign_draft(user=None) -> dict:
    from outages.models import Campaign

    now = timezone.now()
    made = Campaign.objects.create(
        period_start=now,
        period_end=now + timedelta(hours=8),
        place=f"Matrix place {_n()}",
        reason="Matrix",
        created_at=now,
        updated_at=now,
    )
    return {"pk": made.pk}


def campaign_with_upload(user=None) -> dict:
    from outages.models import CampaignUpload

    kwargs = campaign_draft(user)
    CampaignUpload.objects.create(
        campaign_id=kwargs["pk"],
        data=b"Hvem;Nummer\r\nA;20123456\r\n",
        header=["Hvem", "Nummer"],
        uploaded_at=timezone.now(),
    )
    return kwargs


def campaign_ready(user=None) -> dict:
    """Bookings loaded and the message written: the confirm page shows the count."""
    from outages.models import CampaignMessage, CampaignRecipient

    kwargs = campaign_draft(user)
    CampaignRecipient.objects.create(campaign_id=kwargs["pk"], mobile="+4520123456")
    CampaignMessage.objects.create(
        campaign_id=kwargs["pk"], position=1, template="Aflyst {tider}", composed_at=timezone.now()
    )
    return kwargs


def campaign_awaiting(user=None) -> dict:
    """Confirmed by someone else; waits for a second person's approval."""
    from outages.models import Campaign, CampaignMessage

    kwargs = campaign_ready(user)
    Campaign.objects.filter(pk=kwargs["pk"]).update(status="awaiting_approval")
    CampaignMessage.objects.filter(campaign_id=kwargs["pk"]).update(
        confirmed_at=timezone.now(), confirmed_by_text="Someone else"
    )
    return kwargs


def campaign_sending(user=None) -> dict:
    """Sent (no SMS in the outbox): nothing failed to retry, it can be closed."""
    from outages.models import Campaign, CampaignMessage

    kwargs = campaign_ready(user)
    Campaign.objects.filter(pk=kwargs["pk"]).update(status="sending")
    now = timezone.now()
    CampaignMessage.objects.filter(campaign_id=kwargs["pk"]).update(
        confirmed_at=now, sent_at=now, planned_count=0
    )
    return kwargs


# Who may grant (and remove, and approve) some role: beredskab.authority.GRANTS. The
# contact centre's leader grants only the contact-centre role, which is what the
# factories below use, so all three reach these pages.
ROLE_GRANTERS = frozenset({Role.SYSTEMKOORDINATOR, Role.KONTAKTCENTERLEDER, Role.ADMIN})


def _contact_centre_grant(status: str) -> dict:
    from beredskab.models import RoleGrant

    someone = Person.objects.create(name=f"Matrix grantee {_n()}")
    made = RoleGrant.objects.create(
        person=someone, role=Role.KONTAKTCENTER, status=status, granted_at=timezone.now()
    )
    return {"pk": someone.pk, "grant_pk": made.pk}


def active_grant(user=None) -> dict:
    return _contact_centre_grant("active")


def pending_grant(user=None) -> dict:
    """Requested by nobody in the matrix: any granter of the role may decide on it."""
    return {"pk": _contact_centre_grant("pending")["grant_pk"]}


SAVED_OR_BAD_INPUT = frozenset({302, 400})
ADMINS = frozenset({Role.ADMIN})


def department_value(user=None) -> dict:
    from beredskab.models import DepartmentMapping

    return {"pk": DepartmentMapping.objects.create(value=f"Matrix value {_n()}").pk}


def group_mapping(user=None) -> dict:
    from beredskab.models import GroupRoleMapping

    row = GroupRoleMapping.objects.create(group_name=f"Matrix group {_n()}", role=Role.IT)
    return {"pk": row.pk}


def deactivated_person(user=None) -> dict:
    return {"pk": Person.objects.create(name=f"Matrix leaver {_n()}", is_active=False).pk}


# SCIM answers its bearer token only: without one, 401 whoever asks (no login involved).
SCIM_ENDPOINT = Spec(allowed=EVERYONE, public=True, ok=frozenset({401}), denied=401)

ACCESS: dict[str, Spec] = {
    # --- beredskab: pages ---
    "home": Spec(allowed=EVERYONE),
    "accessibility": Spec(allowed=EVERYONE, public=True),
    "healthz": Spec(allowed=EVERYONE, public=True, ok=frozenset({200, 503})),
    "healthz_full": Spec(allowed=EVERYONE, public=True, ok=frozenset({200, 503})),
    # Only in DEBUG with the console SMS backend (the demo); tests run without DEBUG.
    "demo_sms": Spec(allowed=frozenset(), denied=404),
    # The language switch is on the login page too.
    "set_language": Spec(
        allowed=EVERYONE,
        public=True,
        method="post",
        data={"language": "da", "next": "/"},
        ok=frozenset({302}),
    ),
    # --- beredskab: information security ---
    "infosec": Spec(allowed=EVERYONE),
    "infosec_add": Spec(allowed=INFOSEC_EDITORS),
    "infosec_edit": Spec(allowed=INFOSEC_EDITORS, kwargs=infolink),
    "infosec_delete": Spec(allowed=INFOSEC_EDITORS, kwargs=infolink),
    "infosec_move": Spec(
        allowed=INFOSEC_EDITORS,
        kwargs=infolink,
        method="post",
        data={"direction": "up"},
        ok=frozenset({302}),
    ),
    # --- directory (the systemkoordinator's register) ---
    "directory:index": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:department_list": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:department_create": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:department_detail": Spec(allowed=DIRECTORY_MANAGERS, kwargs=department),
    "directory:department_edit": Spec(allowed=DIRECTORY_MANAGERS, kwargs=department),
    "directory:person_list": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:person_create": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:person_detail": Spec(allowed=DIRECTORY_MANAGERS, kwargs=person),
    "directory:person_edit": Spec(allowed=DIRECTORY_MANAGERS, kwargs=person),
    "directory:absence_add": Spec(
        allowed=DIRECTORY_MANAGERS, kwargs=person, method="post", ok=SAVED_OR_BAD_INPUT
    ),
    "directory:absence_remove": Spec(
        allowed=DIRECTORY_MANAGERS, kwargs=absence, method="post", ok=frozenset({302})
    ),
    # Roles: granted on the person's page, by whoever may grant some role; removed and
    # approved by whoever may grant that role ("Afventer godkendelse" lists them).
    "directory:role_grant": Spec(allowed=ROLE_GRANTERS, kwargs=person),
    "directory:role_remove": Spec(allowed=ROLE_GRANTERS, kwargs=active_grant),
    "pending": Spec(allowed=EVERYONE),
    "role_grant_decide": Spec(allowed=ROLE_GRANTERS, kwargs=pending_grant),
    # Admins see the emergency mode and may switch it off; switching it on takes a
    # break-glass admin (tests/beredskab/emergency/test_emergency_mode.py).
    "emergency_mode": Spec(allowed=frozenset({Role.ADMIN})),
    # --- provisioning (SCIM, issue 22) ---
    "scim_held": Spec(allowed=ADMINS),
    "provisioning": Spec(allowed=DIRECTORY_MANAGERS),
    "provisioning_department": Spec(
        allowed=DIRECTORY_MANAGERS, kwargs=department_value, method="post", ok=frozenset({302})
    ),
    "provisioning_mapping_add": Spec(
        allowed=DIRECTORY_MANAGERS, method="post", ok=frozenset({400})
    ),
    # Saved within the re-authentication window, 400 outside it.
    "provisioning_mapping_approve": Spec(
        allowed=ADMINS, kwargs=group_mapping, method="post", ok=SAVED_OR_BAD_INPUT
    ),
    # IT is a privileged role: only an admin removes its mapping.
    "provisioning_mapping_delete": Spec(
        allowed=ADMINS, kwargs=group_mapping, method="post", ok=frozenset({302})
    ),
    "provisioning_reactivate": Spec(
        allowed=ADMINS, kwargs=deactivated_person, method="post", ok=SAVED_OR_BAD_INPUT
    ),
    "scim_spc": SCIM_ENDPOINT,
    "scim_resource_types": SCIM_ENDPOINT,
    "scim_resource_type": Spec(
        **{**SCIM_ENDPOINT.__dict__, "kwargs": lambda u=None: {"name": "User"}}
    ),
    "scim_schemas": SCIM_ENDPOINT,
    "scim_schema": Spec(**{**SCIM_ENDPOINT.__dict__, "kwargs": lambda u=None: {"urn": "x"}}),
    "scim_root_search": SCIM_ENDPOINT,
    "scim_users": SCIM_ENDPOINT,
    "scim_users_search": SCIM_ENDPOINT,
    "scim_user": Spec(**{**SCIM_ENDPOINT.__dict__, "kwargs": lambda u=None: {"pk": "1"}}),
    "scim_groups": SCIM_ENDPOINT,
    "scim_groups_search": SCIM_ENDPOINT,
    "scim_group": Spec(**{**SCIM_ENDPOINT.__dict__, "kwargs": lambda u=None: {"pk": "1"}}),
    "scim_unknown": Spec(**{**SCIM_ENDPOINT.__dict__, "kwargs": lambda u=None: {"rest": "x"}}),
    # Second factors are reset by an admin only (beredskab/views/my_account.py).
    "directory:reset_factors": Spec(allowed=frozenset({Role.ADMIN}), kwargs=person_with_login),
    # "Min konto": everyone's own page; "log ud overalt" ends the session (302 to login).
    "my_account": Spec(allowed=EVERYONE),
    "log_out_everywhere": Spec(allowed=EVERYONE, method="post", ok=frozenset({302})),
    "directory:supplier_list": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:supplier_create": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:supplier_detail": Spec(allowed=DIRECTORY_MANAGERS, kwargs=supplier),
    "directory:supplier_edit": Spec(allowed=DIRECTORY_MANAGERS, kwargs=supplier),
    "directory:system_list": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:system_create": Spec(allowed=DIRECTORY_MANAGERS),
    "directory:system_detail": Spec(allowed=DIRECTORY_MANAGERS, kwargs=system),
    "directory:system_edit": Spec(allowed=DIRECTORY_MANAGERS, kwargs=system),
    "directory:chain_list": Spec(allowed=CHAIN_MANAGERS),
    "directory:chain_create": Spec(allowed=CHAIN_MANAGERS),
    "directory:chain_detail": Spec(allowed=CHAIN_MANAGERS, kwargs=chain),
    "directory:chain_edit": Spec(allowed=CHAIN_MANAGERS, kwargs=chain),
    # --- escalation runs; the SMS acknowledgement link and the provider webhook ---
    "escalation:run_list": Spec(allowed=EVERYONE),
    "escalation:run": Spec(allowed=RUN_OVERSEERS, kwargs=run_only, denied=404),
    "escalation:run_ack": Spec(
        allowed=RUN_OVERSEERS,
        kwargs=run_outside_scope,
        denied=404,
        method="post",
        ok=frozenset({302}),
    ),
    "escalation:run_tick": Spec(
        allowed=RUN_OVERSEERS,
        kwargs=run_outside_scope,
        denied=404,
        method="post",
        data={"item": "0"},
        ok=frozenset({302}),
    ),
    "escalation:run_close": Spec(
        allowed=RUN_OVERSEERS, kwargs=run_only, denied=404, method="post", ok=frozenset({400})
    ),
    "escalation:chain_test": Spec(allowed=CHAIN_TESTERS, kwargs=chain_to_test),
    # An unknown token is gone (410); it never asks for a login.
    "escalation:ack": Spec(
        allowed=EVERYONE,
        public=True,
        kwargs=lambda user: {"token": "no-such-token"},
        ok=frozenset({410}),
    ),
    # Unsigned callbacks are refused whoever sends them.
    "twilio_status": Spec(allowed=EVERYONE, public=True, method="post", ok=frozenset({403})),
    "gatewayapi_status": Spec(allowed=EVERYONE, public=True, method="post", ok=frozenset({403})),
    # --- messages to departments and press texts ---
    "broadcast:list": Spec(allowed=BROADCASTERS),
    "broadcast:new": Spec(allowed=BROADCASTERS),
    "broadcast:detail": Spec(allowed=BROADCASTERS, kwargs=broadcast),
    "broadcast:press_new": Spec(allowed=BROADCASTERS),
    "broadcast:press_detail": Spec(allowed=BROADCASTERS, kwargs=press_text),
    # Without the password (outside the re-authentication window) nothing is sent: 400.
    "broadcast:press_send": Spec(
        allowed=BROADCASTERS, kwargs=press_text, method="post", ok=frozenset({400})
    ),
    "broadcast:media": Spec(allowed=MEDIA_LIST_KEEPERS),
    "broadcast:media_edit": Spec(allowed=MEDIA_LIST_KEEPERS, kwargs=media_outlet),
    # --- feature apps (placeholders until their issues land) ---
    # --- incidents: the report form, the receipt, the hændelseslog ---
    "incidents:index": Spec(allowed=EVERYONE),
    "incidents:report": Spec(allowed=EVERYONE),
    "incidents:mine": Spec(allowed=EVERYONE),
    "incidents:receipt": Spec(allowed=INCIDENT_READERS, kwargs=incident, denied=404),
    "incidents:attachment": Spec(allowed=INCIDENT_READERS, kwargs=incident_attachment, denied=404),
    "incidents:log": Spec(allowed=INCIDENT_READERS),
    "incidents:export_csv": Spec(allowed=INCIDENT_READERS),
    "incidents:export_pdf": Spec(allowed=INCIDENT_READERS),
    "incidents:detail": Spec(allowed=INCIDENT_READERS, kwargs=incident),
    "incidents:draft": Spec(allowed=INCIDENT_READERS, kwargs=incident),
    "incidents:draft_pdf": Spec(allowed=INCIDENT_READERS, kwargs=incident),
    "incidents:taskforce": Spec(allowed=TASKFORCE_DECIDERS, kwargs=incident),
    "incidents:transition": Spec(
        allowed=INCIDENT_MANAGERS,
        kwargs=incident,
        method="post",
        data={"to": "assessing", "reason": "matrix"},
        ok=frozenset({302}),
    ),
    "incidents:new_escalation": Spec(
        allowed=INCIDENT_MANAGERS, kwargs=incident, method="post", ok=frozenset({302})
    ),
    "incidents:awareness": Spec(
        allowed=INCIDENT_MANAGERS, kwargs=incident, method="post", ok=frozenset({400})
    ),
    "incidents:release": Spec(
        allowed=SYSTEMKOORDINATOR_AND_ADMIN, kwargs=incident, method="post", ok=frozenset({302})
    ),
    "incidents:assess": Spec(allowed=INCIDENT_MANAGERS, kwargs=incident),
    "incidents:decide": Spec(allowed=INCIDENT_MANAGERS, kwargs=incident),
    "incidents:facts": Spec(allowed=INCIDENT_MANAGERS, kwargs=incident),
    # The DPO may always record a recommendation (issue 17).
    "incidents:advise": Spec(allowed=frozenset({Role.EKSTERN_DPO}), kwargs=incident),
    "incidents:notify": Spec(allowed=INCIDENT_MANAGERS, kwargs=incident),
    "incidents:kind_chains": Spec(allowed=CHAIN_MANAGERS),
    "incidents:view_log": Spec(allowed=VIEW_LOG_READERS, kwargs=incident),
    "incidents:letters": Spec(allowed=INCIDENT_READERS, kwargs=incident),
    "incidents:letters_pdf": Spec(allowed=INCIDENT_READERS, kwargs=incident_letters),
    "incidents:letters_text": Spec(
        allowed=INCIDENT_MANAGERS, kwargs=incident, method="post", ok=frozenset({400})
    ),
    "incidents:letters_import": Spec(
        allowed=INCIDENT_MANAGERS, kwargs=incident, method="post", ok=frozenset({400})
    ),
    "incidents:letters_sent": Spec(
        allowed=INCIDENT_MANAGERS, kwargs=incident, method="post", ok=frozenset({400})
    ),
    "outages:index": Spec(allowed=EVERYONE),
    "outages:report": Spec(allowed=EVERYONE),
    "outages:detail": Spec(allowed=EVERYONE, kwargs=outage_declared),
    "outages:release": Spec(
        allowed=SYSTEMKOORDINATOR_AND_ADMIN,
        kwargs=outage_reported,
        method="post",
        ok=frozenset({302}),
    ),
    "outages:declare": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_reported, method="post", ok=frozenset({400})
    ),
    "outages:dismiss": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_reported, method="post", ok=frozenset({400})
    ),
    "outages:contacted": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_declared, method="post", ok=frozenset({302})
    ),
    "outages:eta": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_declared, method="post", ok=frozenset({400})
    ),
    "outages:restoring": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_declared, method="post", ok=frozenset({302})
    ),
    "outages:restored": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_declared, method="post", ok=frozenset({302})
    ),
    "outages:close": Spec(
        allowed=OUTAGE_MANAGERS, kwargs=outage_restored, method="post", ok=frozenset({400})
    ),
    "outages:power_list": Spec(allowed=EVERYONE),
    "outages:power_declare": Spec(allowed=POWER_DECLARERS),
    "outages:power": Spec(allowed=EVERYONE, kwargs=power_declared),
    "outages:power_item": Spec(
        allowed=frozenset({Role.BEREDSKABSGRUPPE, Role.ADMIN}),
        kwargs=power_item,
        method="post",
        data={"state": "done"},
        ok=frozenset({302}),
    ),
    "outages:power_status": Spec(
        allowed=POWER_DECLARERS,
        kwargs=power_declared,
        method="post",
        data={"to": "running"},
        ok=frozenset({302}),
    ),
    "outages:power_close": Spec(
        allowed=POWER_DECLARERS, kwargs=power_restored, method="post", ok=frozenset({302})
    ),
    "outages:playbooks": Spec(allowed=EVERYONE),
    "outages:playbook": Spec(allowed=EVERYONE, kwargs=playbook),
    "outages:section_add": Spec(
        allowed=PLAYBOOK_EDITORS, kwargs=playbook, method="post", ok=frozenset({400})
    ),
    "outages:item_add": Spec(
        allowed=PLAYBOOK_EDITORS, kwargs=playbook, method="post", ok=frozenset({400})
    ),
    "outages:item_edit": Spec(allowed=PLAYBOOK_EDITORS, kwargs=playbook_item),
    "outages:item_delete": Spec(
        allowed=PLAYBOOK_EDITORS, kwargs=playbook_item, method="post", ok=frozenset({302})
    ),
    "outages:appendix": Spec(allowed=EVERYONE),
    "outages:appendix_add": Spec(allowed=PLAYBOOK_EDITORS),
    "outages:appendix_edit": Spec(allowed=PLAYBOOK_EDITORS, kwargs=appendix_row),
    "outages:binder": Spec(allowed=POWER_DECLARERS),
    # --- outages: booking cancellation by mass SMS ---
    "outages:campaigns": Spec(allowed=CAMPAIGN_SENDERS),
    "outages:campaign_new": Spec(allowed=CAMPAIGN_SENDERS),
    "outages:campaign": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft),
    "outages:campaign_import": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft),
    "outages:campaign_mapping": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_with_upload),
    "outages:campaign_preview": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft),
    "outages:campaign_flags": Spec(
        allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft, method="post", ok=frozenset({302})
    ),
    "outages:campaign_compose": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft),
    "outages:campaign_count": Spec(
        allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft, method="post", data={"template": "x"}
    ),
    "outages:campaign_confirm": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_ready),
    "outages:campaign_approve": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_awaiting),
    "outages:campaign_retry": Spec(
        allowed=CAMPAIGN_SENDERS,
        kwargs=campaign_sending,
        method="post",
        data={"message": "0", "round": "1"},
        ok=frozenset({302}),
    ),
    "outages:campaign_cancel": Spec(
        allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft, method="post", ok=frozenset({302})
    ),
    "outages:campaign_close": Spec(
        allowed=CAMPAIGN_SENDERS, kwargs=campaign_sending, method="post", ok=frozenset({302})
    ),
    "outages:campaign_report": Spec(allowed=CAMPAIGN_SENDERS, kwargs=campaign_draft),
    # The offline copy's service worker: no data, so no login.
    "service_worker": Spec(allowed=EVERYONE, public=True),
    # --- contact centre: the status board ---
    "contactcenter:index": Spec(allowed=EVERYONE),
    "contactcenter:channel": Spec(allowed=EVERYONE, kwargs=contact_channel),
    "contactcenter:channel_health": Spec(
        allowed=CHANNEL_EDITORS, kwargs=contact_channel, method="post", ok=SAVED_OR_BAD_INPUT
    ),
    # --- contact centre: the crisis message, its integrations, the robot and voice line ---
    "contactcenter:messages": Spec(allowed=CHANNEL_EDITORS),
    "contactcenter:message_new": Spec(allowed=CHANNEL_EDITORS),
    "contactcenter:message": Spec(allowed=CHANNEL_EDITORS, kwargs=crisis_draft),
    "contactcenter:message_edit": Spec(allowed=CHANNEL_EDITORS, kwargs=crisis_draft),
    # Without the revision the publisher reviewed, nothing is published: 400.
    "contactcenter:message_publish": Spec(
        allowed=ROBOT_PUBLISHERS, kwargs=crisis_draft, method="post", ok=frozenset({400})
    ),
    "contactcenter:message_withdraw": Spec(
        allowed=ROBOT_PUBLISHERS, kwargs=crisis_draft, method="post", ok=frozenset({302})
    ),
    "contactcenter:message_copy": Spec(
        allowed=CHANNEL_EDITORS, kwargs=crisis_draft, method="post", ok=frozenset({302})
    ),
    "contactcenter:integrations": Spec(allowed=ROBOT_PUBLISHERS),
    "contactcenter:integration_create": Spec(
        allowed=ROBOT_PUBLISHERS, method="post", ok=frozenset({400})
    ),
    # Just logged in, so inside the re-authentication window: the new token is shown (the
    # password outside the window is tested in tests/contactcenter/test_integrations.py).
    "contactcenter:integration_rotate": Spec(
        allowed=ROBOT_PUBLISHERS, kwargs=robot_integration, method="post", ok=frozenset({200})
    ),
    "contactcenter:integration_revoke": Spec(
        allowed=ROBOT_PUBLISHERS, kwargs=robot_integration, method="post", ok=frozenset({302})
    ),
    # Unsigned calls and requests without a token are refused whoever sends them.
    "contactcenter:voice": Spec(allowed=EVERYONE, public=True, method="post", ok=frozenset({403})),
    "robot_api:message": Spec(allowed=EVERYONE, public=True, ok=frozenset({401})),
    # --- contact centre: who is reachable, where the centre works ---
    # Any employee declares themselves reachable (issue 21); externals are refused
    # (tests/contactcenter/test_reachable_employees.py).
    "contactcenter:reachable_me": Spec(allowed=EVERYONE),
    "contactcenter:reachable_withdraw": Spec(allowed=EVERYONE, method="post", ok=frozenset({302})),
    "contactcenter:reachable_list": Spec(allowed=REACHABLE_VIEWERS),
    "contactcenter:location": Spec(allowed=CHANNEL_EDITORS),
    "training:index": Spec(allowed=EVERYONE),
    "training:compliance": Spec(allowed=COMPLIANCE_VIEWERS),
    "training:compliance_csv": Spec(allowed=COMPLIANCE_VIEWERS),
    "training:import": Spec(allowed=TRAINING_MANAGERS),
    "training:record": Spec(allowed=COMPLIANCE_VIEWERS, kwargs=training_assignment),
}


def project_url_names() -> set[str]:
    """Every URL pattern of the project, as "namespace:name" (unnamed ones flagged)."""
    found: set[str] = set()

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(SKIPPED_PREFIXES):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                # An unnamed URL cannot be declared (nor reversed): flag it by route.
                found.add(namespace + pattern.name if pattern.name else f"<unnamed /{route}>")

    walk(get_resolver().url_patterns, "", "")
    return found


def test_it_declares_every_url():
    undeclared = sorted(project_url_names() - set(ACCESS))
    assert not undeclared, (
        "URLs missing from ACCESS in tests/test_access_matrix.py "
        f"(declare who may open them): {undeclared}"
    )


def test_it_declares_no_url_that_does_not_exist():
    stale = sorted(set(ACCESS) - project_url_names())
    assert not stale, f"ACCESS declares URLs that no longer exist: {stale}"


def test_it_covers_every_role():
    # The role list is the canonical one; a new role must be walked too.
    assert set(ROLES) == {choice.value for choice in Role}
    assert len(ROLES) >= 10


@pytest.fixture
def users_by_role(make_user) -> dict[str, User | None]:
    users: dict[str, User | None] = {ANONYMOUS: None, NO_ROLE: make_user(username="no-role")}
    for role in ROLES:
        users[role] = make_user(role, username=f"only-{role}")
    return users


def _request(client: Client, spec: Spec, name: str, user: User | None):
    client.logout()
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=spec.kwargs(user) if spec.kwargs else None)
    if spec.method == "post":
        return url, client.post(url, spec.data)
    return url, client.get(url)


def _problem(who: str, spec: Spec, url: str, response) -> str | None:
    status = response.status_code
    if who == ANONYMOUS and not spec.public:
        login = reverse("login")
        location = response.get("Location", "")
        if status == 302 and location.startswith(f"{login}?next="):
            return None
        return f"{who}: expected 302 to {login}, got {status} {location}".rstrip()
    if spec.public and who == ANONYMOUS or who in spec.allowed:
        expected = spec.ok
    else:
        expected = frozenset({spec.denied})
    if status not in expected:
        return f"{who}: expected {sorted(expected)}, got {status} for {url}"
    return None


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_every_role_as_declared(name, users_by_role):
    spec = ACCESS[name]
    client = Client()  # one client: building its request handler is the slow part
    problems = []
    for who, user in users_by_role.items():
        url, response = _request(client, spec, name, user)
        problem = _problem(who, spec, url, response)
        if problem:
            problems.append(problem)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


# --- Django's auth views: the public ones answer anyone; password change needs a login ---
PUBLIC_AUTH_PAGES = {
    "login": None,
    "password_reset": None,
    "password_reset_done": None,
    "password_reset_confirm": {"uidb36": "1", "key": "not-a-token"},
    "password_reset_complete": None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC_AUTH_PAGES))
def test_it_serves_the_public_auth_pages_without_login(client, name):
    response = client.get(reverse(name, kwargs=PUBLIC_AUTH_PAGES[name]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sms_login", "sms_login_code"])
def test_it_has_no_sms_login_pages_without_the_emergency_mode(client, name):
    # With the mode on they are public: tests/beredskab/emergency/test_sms_login.py.
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ["password_change", "password_change_done", "email_change"])
def test_it_lets_every_role_change_its_password(name, users_by_role):
    client = Client()
    for who, user in users_by_role.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(reverse(name))
        expected = 302 if user is None else 200
        assert response.status_code == expected, who


# --- Entra ID sign-in and the second-factor step: public, and safe for every role ---
ENTRA_PAGES = {
    # The login starts by POST only; a GET is refused whoever asks.
    ("openid_connect_login", (("provider_id", "entra"),)): 405,
    # A callback without the login's state is refused with the Danish page.
    ("openid_connect_callback", (("provider_id", "entra"),)): 403,
    # Without a login waiting for its second factor, back to the login page.
    ("mfa_authenticate", ()): 302,
}


@pytest.mark.parametrize(("page", "expected"), sorted(ENTRA_PAGES.items()))
def test_it_answers_the_entra_pages_for_every_role(page, expected, users_by_role, settings):
    settings.ENTRA_TENANT_ID = "11111111-2222-4333-8444-555555555555"
    settings.ENTRA_CLIENT_ID, settings.ENTRA_CLIENT_SECRET = "client", "secret"
    settings.ENTRA_AUTHORITY_URL = "http://127.0.0.1:9/unused"
    name, kwargs = page
    client = Client()
    for who, user in users_by_role.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(reverse(name, kwargs=dict(kwargs)))
        assert response.status_code == expected, (who, response.status_code)
