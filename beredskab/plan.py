"""The loaders `manage.py load_plan` runs; the plan's content is in `plan_content`.

The content is the 2026 IT-beredskabsplan written out as rows, in Danish. Loading is
safe in production and idempotent: a row is created only when nothing with its stable
key exists, and an existing row is never changed, so
whatever staff edited in the portal survives every later `load_plan`.

Feature apps add their own parts of the plan through an AppConfig hook (see
`load_app_hooks`), so this module imports no feature app.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from beredskab import timeline
from beredskab.models import EscalationChain, EscalationStep, InfoLink, TimelineEvent
from beredskab.plan_content import (  # noqa: F401 - re-exported for callers and tests
    CHAINS,
    ESCALATION_STEP_NAME,
    INFO_LINKS,
    ChainSpec,
    LinkSpec,
    StepSpec,
)

LOADER = "load_plan"


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
                    completion=step_spec.completion,
                    positions=list(step_spec.positions),
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
        elif spec.url and not link.url:
            # Loaded before the plan's addresses were known: a blank address is filled
            # in (one staff set is never changed).
            InfoLink.objects.filter(pk=link.pk, url="").update(url=spec.url)
            _write(stdout, f"Added the intranet address to: {link.title}")
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
