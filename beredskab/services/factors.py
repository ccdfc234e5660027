"""Second factors as events: bound and removed (by the owner) and reset (by an admin)
go on the person's timeline; a reset is told to the person by e-mail and SMS; every
login is recorded for "Min konto"."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import timeline
from beredskab.client_ip import client_ip
from beredskab.models import LoginRecord, Person
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person

# Login rows kept per person ("Min konto" shows settings.ACCOUNT_RECENT_LOGINS of them).
KEEP_LOGINS = 50

timeline.register_kind("mfa.factor_added", gettext_lazy("A second factor was added"))
timeline.register_kind("mfa.factor_removed", gettext_lazy("A second factor was removed"))
timeline.register_kind("mfa.factors_reset", gettext_lazy("The second factors were reset"))
timeline.register_kind("login.logged_out_everywhere", gettext_lazy("Logged out everywhere"))


def subject_for(user):
    # The person's timeline when the login belongs to a person, else the login's own.
    return getattr(user, "person", None) or user


def on_authenticator_added(sender, request=None, user=None, authenticator=None, **kwargs):
    if user is None or authenticator is None:
        return
    timeline.record(
        subject_for(user),
        "mfa.factor_added",
        actor=getattr(request, "user", None) or user,
        data={"type": authenticator.type},
    )


def on_authenticator_removed(sender, request=None, user=None, authenticator=None, **kwargs):
    if user is None or authenticator is None:
        return
    timeline.record(
        subject_for(user),
        "mfa.factor_removed",
        actor=getattr(request, "user", None) or user,
        data={"type": authenticator.type},
    )


def reset_factors(person: Person, *, actor) -> int:
    """Remove every factor of the person's login (they enrol again, with a fresh SMS
    code), end their sessions, record it and tell them. Returns how many were removed."""
    from allauth.mfa.models import Authenticator

    from beredskab.leavers import end_sessions

    user = person.user
    if user is None:
        return 0
    with transaction.atomic():
        factors = Authenticator.objects.filter(user=user)
        types = sorted({a.type for a in factors})
        removed = factors.count()
        factors.delete()
        sessions = end_sessions(user)
        event = timeline.record(
            person,
            "mfa.factors_reset",
            actor=actor,
            data={"types": types, "sessions_ended": sessions},
        )
        with translation.override(settings.LANGUAGE_CODE):
            when = timezone.localtime().strftime("%d.%m.%Y %H:%M")
            sms = _(
                "Beredskabsportalen: your second factor was reset by an admin on %(when)s. "
                "Set it up again at your next login. If you did not ask for this, tell IT."
            ) % {"when": when}
            subject = _("Your second factor in Beredskabsportalen was reset")
            email = _(
                "Your second factor (authenticator app, passkeys and recovery codes) in "
                "Beredskabsportalen was reset by an admin on %(when)s, and your sessions "
                "were ended. At your next login you set it up again, with a code sent by "
                "SMS to your mobile.\n\nIf you did not ask for this, contact IT at once."
                "\n\n%(url)s\n\nBeredskabsportalen"
            ) % {"when": when, "url": settings.BASE_URL + "/"}
        outbox.enqueue(
            to_person(
                person,
                key=f"mfa-reset:{person.pk}:{event.pk}",
                sms=sms,
                subject=subject,
                email=email,
                priority=Priority.ESCALATION,
            )
        )
    return removed


def log_out_everywhere(request) -> int:
    """End every session of the signed-in person (this one too); on the timeline."""
    from beredskab.leavers import end_sessions

    user = request.user
    ended = end_sessions(user)
    timeline.record(
        subject_for(user), "login.logged_out_everywhere", actor=user, data={"sessions": ended}
    )
    return ended


def record_login(sender, request=None, user=None, **kwargs) -> None:
    """user_logged_in receiver: one row for "Min konto"."""
    if user is None or request is None:
        return
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    methods = []
    if hasattr(request, "session"):
        methods = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    LoginRecord.objects.create(
        user=user,
        ip_address=client_ip(request) or None,
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:200],
        second_factor=any(m.get("method") == "mfa" for m in methods),
    )
    # Only the recent ones are shown; older rows (addresses are personal data) go.
    keep = LoginRecord.objects.filter(user=user).values_list("pk", flat=True)[:KEEP_LOGINS]
    LoginRecord.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
