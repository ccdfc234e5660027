"""Create and edit the shared directory: one function per object type.

Each function takes a validated form, saves it in one transaction and writes one
timeline event naming the fields that changed. Only field names go into the event:
phone numbers, e-mails and absence notes are personal data and stay out of the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from beredskab import grant_notices, leavers, timeline
from beredskab.forms.chains import ChainForm, StepFormSet
from beredskab.forms.directory import (
    AbsenceForm,
    DepartmentForm,
    PersonForm,
    SupplierForm,
    SystemForm,
)
from beredskab.models import (
    Absence,
    Department,
    EscalationChain,
    Person,
    Supplier,
    System,
    TimelineEvent,
)
from beredskab.roles import Role

# Steps are renumbered 1..n on every save; moving them out of the way first keeps the
# unique (chain, position) constraint from firing while two steps swap places.
_POSITION_OFFSET = 10_000


def _save_model_form(form, prefix: str, actor) -> models.Model:
    """Save a validated ModelForm (with its many-to-many fields) and record the change."""
    created = form.instance._state.adding
    changed = sorted(form.changed_data)
    obj = form.save()
    if created or changed:
        kind = f"{prefix}.created" if created else f"{prefix}.updated"
        timeline.record(obj, kind, actor=actor, data={"changed": changed})
    return obj


def people_changed() -> None:
    """After the commit, let feature apps that derive data from people catch up (course
    assignments, say) through an AppConfig hook: the core imports no app."""
    for config in apps.get_app_configs():
        hook = getattr(config, "people_changed", None)
        if callable(hook):
            transaction.on_commit(hook, robust=True)


@transaction.atomic
def save_department(form: DepartmentForm, *, actor) -> Department:
    department = _save_model_form(form, "department", actor)
    people_changed()
    return department


@transaction.atomic
def save_person(form: PersonForm, *, actor) -> Person:
    """Save a person's directory entry. The directory never writes the linked login's
    username, e-mail or password, nor roles (those are granted, beredskab.grants)."""
    before = None
    if not form.instance._state.adding:
        # Read from the table: validation has already copied the new values onto the instance.
        before = (
            Person.objects.select_for_update()
            .filter(pk=form.instance.pk)
            .values("email", "mobile", "is_active")
            .first()
        )
    person = _save_model_form(form, "person", actor)
    if before is not None:
        after_person_saved(person, before, actor=actor)
    people_changed()
    return person


def after_person_saved(person: Person, before: dict, *, actor) -> None:
    """What a change of a person's entry sets off, from the portal or Django admin:
    the old address and number are told of new contact details, and a deactivated
    person loses access (beredskab.leavers)."""
    old_email, old_mobile = before["email"] or "", str(before["mobile"] or "")
    changed = [
        name
        for name, old, new in (
            ("email", old_email, person.email or ""),
            ("mobile", old_mobile, str(person.mobile or "")),
        )
        if old != new
    ]
    if changed:
        seq = timeline.events_for(person).order_by("-seq").values_list("seq", flat=True).first()
        grant_notices.contact_changed(
            person,
            old_email=old_email,
            old_mobile=old_mobile,
            changed=changed,
            actor=actor,
            key=f"person:{person.pk}:contact:{seq}",
        )
    if before["is_active"] and not person.is_active:
        leavers.deactivate(person, actor=actor)


@transaction.atomic
def add_absence(person: Person, form: AbsenceForm, *, actor) -> Absence:
    absence = form.save(commit=False)
    absence.person = person
    absence.save()
    timeline.record(person, "person.absence_added", actor=actor, data={"changed": ["absences"]})
    return absence


@transaction.atomic
def remove_absence(absence: Absence, *, actor) -> None:
    person = absence.person
    absence.delete()
    timeline.record(person, "person.absence_removed", actor=actor, data={"changed": ["absences"]})


@transaction.atomic
def save_supplier(form: SupplierForm, *, actor) -> Supplier:
    return _save_model_form(form, "supplier", actor)


@transaction.atomic
def save_system(form: SystemForm, *, actor) -> System:
    return _save_model_form(form, "system", actor)


@transaction.atomic
def save_chain(form: ChainForm, steps: StepFormSet, *, actor) -> EscalationChain:
    """Save the chain and its steps, in the order the formset gives them."""
    created = form.instance._state.adding
    changed = sorted(form.changed_data)
    chain = form.save()
    steps.instance = chain
    if steps.has_changed():
        changed.append("steps")
        for step_form in steps.deleted_forms:
            if step_form.instance.pk:
                step_form.instance.delete()
        chain.steps.update(position=F("position") + _POSITION_OFFSET)
        for position, step_form in enumerate(steps.ordered_forms, start=1):
            step = step_form.save(commit=False)
            step.chain = chain
            step.position = position
            step.save()
            step_form.save_m2m()
    if created or changed:
        kind = "chain.created" if created else "chain.updated"
        timeline.record(chain, kind, actor=actor, data={"changed": changed})
    return chain


# --- Reading the timeline back for a detail page ---

KIND_LABELS = {
    "created": _("Created"),
    "updated": _("Changed"),
    "absence_added": _("Absence added"),
    "absence_removed": _("Absence removed"),
    "role_requested": _("Role granted, awaiting approval"),
    "role_granted": _("Role granted"),
    "role_approved": _("Role approved"),
    "role_refused": _("Role refused"),
    "role_removed": _("Role removed"),
    "deactivated": _("Deactivated: login disabled, sessions ended"),
    "login_linked": _("Login linked"),
    "login_reactivated": _("Login enabled again"),
    # Provisioning (SCIM, issue 22); the actor is the provisioning client.
    "provisioned": _("Changed by provisioning"),
    "scim_matched": _("Matched by provisioning instead of created"),
    "mobile_flagged": _("Provisioned mobile is not a Danish mobile: not used for SMS"),
    "deactivation_held": _("Deactivation by provisioning held for an admin"),
    "deactivation_refused": _("Deactivation by provisioning refused by an admin"),
    "reactivated": _("Active again, back in their chain steps"),
    "scim_deleted": _("Deleted in Entra ID: no longer provisioned"),
}
EXTRA_FIELD_LABELS = {"steps": _("steps"), "absences": _("absences"), "groups": _("groups")}


@dataclass(frozen=True)
class TimelineRow:
    event: TimelineEvent
    label: str
    changed: list[str]


def _field_label(model: type[models.Model], name: str) -> str:
    if name in EXTRA_FIELD_LABELS:
        return str(EXTRA_FIELD_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def timeline_rows(obj: models.Model) -> list[TimelineRow]:
    """The object's timeline, newest first, with readable kinds and field names."""
    rows = []
    for event in timeline.events_for(obj).order_by("-seq"):
        suffix = event.kind.rsplit(".", 1)[-1]
        data = event.data if isinstance(event.data, dict) else {}
        changed = [_field_label(type(obj), name) for name in data.get("changed", [])]
        if data.get("role"):
            changed.append(_role_label(data["role"]))
        rows.append(
            TimelineRow(
                event=event, label=str(KIND_LABELS.get(suffix, event.kind)), changed=changed
            )
        )
    return rows
