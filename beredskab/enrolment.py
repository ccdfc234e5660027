"""The one-time SMS code that opens a person's FIRST second-factor enrolment.

A phished password alone must not let an attacker bind their own authenticator: before
the first factor is bound, the portal sends a six-digit code to the mobile the directory
holds for the person (through the outbox), and only a session that typed it back within
settings.MFA_ENROL_CODE_MINUTES may enrol. Codes are single use, limited to
settings.MFA_ENROL_CODES_PER_HOUR per person, spent after settings.MFA_ENROL_CODE_TRIES
wrong tries, and stored only as a keyed hash. Wrong codes also count toward the login's
lock-out (axes, username and address), like wrong passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beredskab.access import person_of
from beredskab.models import EnrolmentCode, OutboxMessage
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.people import to_person

# Set in the session when the code was typed back; the enrolment pages check it.
SESSION_KEY = "_beredskab_enrol_sms_at"


class CodeRefused(Exception):
    """Why a code was not sent or not accepted; str() is the Danish/English message."""


def code_digest(user_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"enrol:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _group_key(code: EnrolmentCode) -> str:
    return f"mfa-enrol:{code.user_id}:{code.pk}"


def send_code(user) -> EnrolmentCode:
    """Make a code and put its SMS in the outbox. Raises CodeRefused with the reason."""
    person = person_of(user)
    if person is None or not person.mobile:
        raise CodeRefused(
            _(
                "The directory has no mobile number for you, so no code can be sent. "
                "Ask the systemkoordinator or an admin to add your mobile."
            )
        )
    since = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        recent = EnrolmentCode.objects.select_for_update().filter(user=user, created_at__gte=since)
        if recent.count() >= settings.MFA_ENROL_CODES_PER_HOUR:
            raise CodeRefused(_("Too many codes were sent in the last hour. Try again later."))
        # A new code replaces the old ones: only the newest can be typed back.
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        code = f"{secrets.randbelow(10**6):06d}"
        row = EnrolmentCode.objects.create(
            user=user,
            digest=code_digest(user.pk, code),
            expires_at=timezone.now() + timedelta(minutes=settings.MFA_ENROL_CODE_MINUTES),
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "Beredskabsportalen: your code to set up a second factor is %(code)s. "
                "It is valid for %(minutes)s minutes. If you did not ask for it, tell IT."
            ) % {"code": code, "minutes": settings.MFA_ENROL_CODE_MINUTES}
        outbox.enqueue(
            to_person(
                person,
                key=f"mfa-enrol:{user.pk}:{row.pk}",
                sms=text,
                group_key=_group_key(row),
                priority=Priority.ESCALATION,
            )
        )
    return row


def _count_toward_lockout(request, user) -> None:
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )


def is_locked_out(request, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def check_code(request, code: str) -> None:
    """Accept the newest live code of request.user, or raise CodeRefused."""
    user = request.user
    if is_locked_out(request, user):
        raise CodeRefused(_("Too many wrong attempts. Wait a while and try again."))
    now = timezone.now()
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        row = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.expires_at <= now:
            raise CodeRefused(
                _("The code has expired or has already been used. Ask for a new code.")
            )
        if not hmac.compare_digest(row.digest, code_digest(user.pk, code)):
            row.failed_tries += 1
            if row.failed_tries >= settings.MFA_ENROL_CODE_TRIES:
                row.used_at = now
            row.save(update_fields=["failed_tries", "used_at"])
            failed = True
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            failed = False
    if failed:
        # Outside the transaction: axes writes its own rows.
        _count_toward_lockout(request, user)
        raise CodeRefused(_("The code is not right."))
    # The code's text has done its job; the outbox forgets it (an SMS still waiting to
    # go is cancelled first: the code it carries is spent).
    outbox.cancel(OutboxMessage.objects.for_group(_group_key(row)))
    outbox.purge_group(_group_key(row))
    request.session[SESSION_KEY] = now.isoformat()


def may_enrol(request) -> bool:
    """Whether this session may bind a factor: the person has one already (then the
    re-authentication asked for it), or typed back an SMS code within the window."""
    from beredskab.mfa_policy import has_factor

    if has_factor(request.user):
        return True
    from beredskab.reauth import stamped_within

    return stamped_within(request, SESSION_KEY, timedelta(minutes=settings.MFA_ENROL_CODE_MINUTES))
