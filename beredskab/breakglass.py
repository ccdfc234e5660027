"""Break-glass accounts: a few named local logins, sealed in the safe, for the day Entra
ID or Microsoft 365 is down (README "Break-glass accounts").

- `is_break_glass(user)`: the mark. The second-factor policy (beredskab/mfa_policy.py)
  asks it: a break-glass login always needs a second factor.
- `add()` / `remove()`: only through `manage.py break_glass`, each on the timeline.
- `on_login`: the user_logged_in receiver. A break-glass login is on the timeline and
  told AT ONCE by SMS and e-mail to the admins and the systemkoordinator(s), through the
  outbox on the escalation queue, so that nobody can use a sealed account unnoticed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import timeline
from beredskab.client_ip import client_ip
from beredskab.models import BreakGlassAccount, Person
from beredskab.models.outbox import Priority
from beredskab.notify import outbox, people
from beredskab.notify.outbox import NewMessage
from beredskab.roles import Role, has_role

timeline.register_kind("breakglass.added", gettext_lazy("Marked as a break-glass account"))
timeline.register_kind("breakglass.removed", gettext_lazy("No longer a break-glass account"))
timeline.register_kind(
    "breakglass.login",
    gettext_lazy("Break-glass login %(login)s from %(address)s; the admins were told"),
)

# Who is told of every break-glass login.
WATCHERS = (Role.ADMIN, Role.SYSTEMKOORDINATOR)


class BreakGlassError(Exception):
    pass


def is_break_glass(user) -> bool:
    """Is this login a break-glass account? (Always needs a second factor.)"""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    cached = getattr(user, "_beredskab_break_glass", None)
    if cached is None:
        cached = user._beredskab_break_glass = BreakGlassAccount.objects.filter(
            user_id=user.pk
        ).exists()
    return cached


def is_break_glass_admin(user) -> bool:
    """A break-glass account holding the admin role (or a superuser's powers): the one
    who may switch on the emergency mode."""
    return is_break_glass(user) and (user.is_superuser or has_role(user, Role.ADMIN))


def subject_for(user):
    # The person's timeline when the login belongs to a person, else the login's own.
    return Person.objects.filter(user_id=user.pk).first() or user


def add(username: str, *, label: str = "", actor: str) -> BreakGlassAccount:
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.select_for_update().filter(username__iexact=username).first()
        if user is None:
            raise BreakGlassError(f"No login named {username}.")
        if not user.is_active:
            raise BreakGlassError(f"The login {user.get_username()} is inactive.")
        if BreakGlassAccount.objects.filter(user=user).exists():
            raise BreakGlassError(f"{user.get_username()} is already a break-glass account.")
        account = BreakGlassAccount.objects.create(user=user, label=label, created_by=actor[:150])
        timeline.record(
            subject_for(user),
            "breakglass.added",
            actor=actor,
            data={"login": user.get_username(), "label": label},
        )
    return account


def remove(username: str, *, actor: str) -> None:
    with transaction.atomic():
        account = (
            BreakGlassAccount.objects.select_for_update()
            .select_related("user")
            .filter(user__username__iexact=username)
            .first()
        )
        if account is None:
            raise BreakGlassError(f"{username} is not a break-glass account.")
        user = account.user
        account.delete()
        timeline.record(
            subject_for(user), "breakglass.removed", actor=actor, data={"login": user.username}
        )


def _digest(text: str) -> str:
    return hashlib.blake2b(text.lower().encode(), digest_size=8).hexdigest()


def _notices(user, event_pk: int, address: str) -> list[NewMessage]:
    when = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    with translation.override(settings.LANGUAGE_CODE):
        names = {"login": user.get_username(), "when": when, "address": address or "?"}
        sms = (
            _(
                "Beredskabsportalen: the break-glass account %(login)s logged in %(when)s from "
                "%(address)s. If this is not planned, call IT at once."
            )
            % names
        )
        subject = _("Break-glass login: %(login)s") % names
        email = (
            _(
                "The break-glass account %(login)s logged in to Beredskabsportalen on %(when)s "
                "from the address %(address)s.\n\nBreak-glass accounts are kept sealed for the "
                "day Entra ID is down. If nobody planned this login (a real emergency or the "
                "quarterly test), call IT at once and have the account's password and second "
                "factor replaced."
            )
            % names
            + f"\n\n{settings.BASE_URL}/\n\nBeredskabsportalen"
        )
    key = f"breakglass-login:{event_pk}"
    messages: list[NewMessage] = []
    told_emails: set[str] = set()
    watchers = Person.objects.active().filter(roles__name__in=[str(r) for r in WATCHERS])
    for person in watchers.distinct().order_by("pk"):
        messages += people.to_person(
            person,
            key=f"{key}:{person.pk}",
            sms=sms,
            subject=subject,
            email=email,
            group_key=key,
            priority=Priority.ESCALATION,
        )
        if person.email:
            told_emails.add(person.email.lower())
    # Admin logins without a directory entry (the first superuser) get the e-mail.
    from beredskab.grant_notices import admin_addresses

    for address_to, name in admin_addresses().items():
        if address_to not in told_emails:
            messages.append(
                NewMessage(
                    channel="email",
                    recipient=address_to,
                    subject=subject,
                    body=email,
                    idempotency_key=f"{key}:admin:{_digest(address_to)}",
                    recipient_name=name,
                    group_key=key,
                    priority=Priority.ESCALATION,
                )
            )
    return messages


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in BeredskabConfig.ready)."""
    if not is_break_glass(user):
        return
    address = (client_ip(request) if request is not None else None) or ""
    with transaction.atomic():
        event = timeline.record(
            subject_for(user),
            "breakglass.login",
            actor=user,
            data={"login": user.get_username(), "address": address},
        )
        outbox.enqueue(_notices(user, event.pk, address))
