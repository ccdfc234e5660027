"""A login's own e-mail address: changed only by its owner after re-entering the
password (or by an admin, through the same function), on the person's timeline, and the
OLD address is told, so a takeover through the address cannot go unnoticed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredskab import timeline
from beredskab.models.outbox import Priority
from beredskab.notify.outbox import NewMessage, enqueue

timeline.register_kind(
    "login.email_changed", gettext_lazy("The login's e-mail address was changed")
)


def _subject_for(user):
    # The person's timeline when the login belongs to a person (the rule), else
    # the login's own chain (a superuser made with createsuperuser).
    return getattr(user, "person", None) or user


def change_login_email(user, new_email: str, *, actor) -> bool:
    """Set the login's address (user.email and allauth's primary EmailAddress). Returns
    False if it was already that address. Only field names go on the timeline: the
    addresses are personal data."""
    from allauth.account.models import EmailAddress

    new_email = new_email.strip()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        old_email = user.email or ""
        if old_email.lower() == new_email.lower():
            return False
        user.email = new_email
        user.save(update_fields=["email"])
        EmailAddress.objects.filter(user=user).exclude(email__iexact=new_email).delete()
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=new_email.lower(), defaults={"primary": True, "verified": False}
        )
        if not address.primary:
            address.primary = True
            address.save(update_fields=["primary"])
        subject = _subject_for(user)
        event = timeline.record(
            subject,
            "login.email_changed",
            actor=actor,
            data={"changed": ["email"], "login": user.get_username(), "by_owner": actor == user},
        )
        if old_email:
            enqueue([_notice(user, old_email, event.pk)])
    return True


def _notice(user, old_email: str, event_pk: int) -> NewMessage:
    when = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    body = _(
        "The e-mail address of your login %(username)s to Beredskabsportalen was changed "
        "on %(when)s. Password reset links now go to the new address.\n\n"
        "If you did not do this, contact IT at once: someone may have taken over your "
        "login.\n\n%(url)s\n\nBeredskabsportalen"
    ) % {"username": user.get_username(), "when": when, "url": settings.BASE_URL + "/"}
    person = getattr(user, "person", None)
    return NewMessage(
        channel="email",
        recipient=old_email,
        subject=_("Your e-mail address in Beredskabsportalen was changed"),
        body=body,
        idempotency_key=f"login-email-changed:{user.pk}:{event_pk}",
        priority=Priority.ESCALATION,
        recipient_name=person.name if person else user.get_username(),
        person_id=person.pk if person else None,
    )
