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

from beredskab import timeline
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


def _people_changed() -> None:
    """After the commit, let feature apps that derive data from people catch up (the
    training app's assignments) through an AppConfig hook: the core imports no app."""
    for config in apps.get_app_configs():
        hook = getattr(config, "people_changed", None)
        if callable(hook):
            transaction.on_commit(hook, robust=True)


@transaction.atomic
def save_department(form: DepartmentForm, *, actor) -> Department:
    department = _save_model_form(form, "department", actor)
    _people_changed()
    return department


@transaction.atomic
def save_person(form: PersonForm, *, actor) -> Person:
    person = _save_model_form(form, "person", actor)
    person.sync_login()
    _people_changed()
    return person


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
}
EXTRA_FIELD_LABELS = {"steps": _("steps"), "absences": _("absences")}


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


def timeline_rows(obj: models.Model) -> list[TimelineRow]:
    """The object's timeline, newest first, with readable kinds and field names."""
    rows = []
    for event in timeline.events_for(obj).order_by("-seq"):
        suffix = event.kind.rsplit(".", 1)[-1]
        changed = event.data.get("changed", []) if isinstance(event.data, dict) else []
        rows.append(
            TimelineRow(
                event=event,
                label=str(KIND_LABELS.get(suffix, event.kind)),
                changed=[_field_label(type(obj), name) for name in changed],
            )
        )
    return rows
