"""Leavers (issue 24, item 6): a person deactivated in the directory loses access at
once. Their login is disabled, their sessions end, and they leave the chain steps
that name them; a step that then reaches nobody is reported to the systemkoordinator.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab import timeline
from beredskab.models import EscalationStep, Person
from beredskab.notify import outbox
from beredskab.notify.people import to_person
from beredskab.roles import Role


def end_sessions(user) -> int:
    """Delete every session of `user`; returns how many.

    Django keeps no index from a user to their sessions, so the live ones are read and
    decoded: a rare act (someone leaves) over at most a few thousand rows. With a store
    that has no table (cache, signed cookies) nothing can be listed; there the disabled
    login already ends each session at its next request (PortalBackend.get_user refuses
    an inactive user), so this is the belt to those braces.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session_key, _data in sessions_of(user):
        # Through the store, so a cached_db store also forgets its cached copy.
        store_class(session_key).delete()
        ended += 1
    return ended


def sessions_of(user):
    """(session key, decoded data) of every live session of `user`; nothing for a store
    without a table (see end_sessions). Also lists them on "Min konto"."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return []
    decoder = store_class()
    found = []
    live = get_model().objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        data = decoder.decode(session.session_data)
        if str(data.get(SESSION_KEY)) == str(user.pk):
            found.append((session.session_key, data))
    return found


def _warn_text(person: Person, steps) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        names = "; ".join(str(step) for step in steps)
        sms = _(
            "Beredskabsportalen: %(person)s was deactivated and the escalation step %(steps)s "
            "now reaches nobody. Add someone to the step."
        ) % {"person": person.name, "steps": names}
        subject = _("An escalation step reaches nobody")
        email = sms
    return sms, subject, email


@transaction.atomic
def deactivate(person: Person, *, actor) -> dict:
    """Take access away from a person who has just been saved as inactive."""
    now = timezone.now()
    user = person.user
    login_disabled = False
    sessions_ended = 0
    if user is not None:
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            login_disabled = True
        sessions_ended = end_sessions(user)
    steps = list(
        EscalationStep.objects.filter(notify_people=person).select_related("chain").distinct()
    )
    for step in steps:
        step.notify_people.remove(person)
        timeline.record(step.chain, "chain.updated", actor=actor, data={"changed": ["steps"]})
    empty = [s for s in steps if not s.notify_nearest_leader and not s.resolve_recipients(at=now)]
    event = timeline.record(
        person,
        "person.deactivated",
        actor=actor,
        data={
            "login_disabled": login_disabled,
            "sessions_ended": sessions_ended,
            "steps_left": [step.pk for step in steps],
            "steps_reaching_nobody": [step.pk for step in empty],
        },
    )
    if empty:
        sms, subject, email = _warn_text(person, empty)
        messages = []
        coordinators = Person.objects.active().with_role(Role.SYSTEMKOORDINATOR)
        for coordinator in coordinators.exclude(pk=person.pk):
            messages += to_person(
                coordinator,
                key=f"person:{person.pk}:deactivated:{event.pk}:to:{coordinator.pk}",
                sms=sms,
                subject=subject,
                email=email,
                group_key=f"person:{person.pk}:deactivated",
            )
        outbox.enqueue(messages)
    return {"login_disabled": login_disabled, "sessions_ended": sessions_ended, "empty": empty}
