"""Six-digit SMS codes: sign-in while the emergency mode is on, and re-authentication in
a session made that way (such a person has no usable password).

- A code goes to the person's mobile AS THE DIRECTORY HOLDS IT, never to a number typed
  in; only an active person with an active login and a mobile gets one.
- Codes are single use, valid SMS_LOGIN_CODE_MINUTES, kept only as an HMAC (a six-digit
  code under a plain hash is found by trying a million), spent after
  SMS_LOGIN_CODE_MAX_ATTEMPTS wrong tries, and a new code replaces the older ones.
- Requests are limited per username/mobile and per client address; every request is
  counted, for names nobody has too, so neither the answer nor the limit tells whether
  a username exists.
- Checking goes through django.contrib.auth.authenticate() with SmsCodeBackend, so axes
  sees it like a password: a locked (username, address) pair is refused, and a wrong
  code counts toward the same lock-out.
- An SMS session lives only while the mode is on: SmsCodeBackend.get_user() lets its
  user in only then, so switching the mode off logs every such session out.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, get_user_model
from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from beredskab import emergency
from beredskab.client_ip import client_ip
from beredskab.models import Person, SmsCode, SmsCodePurpose
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.outbox import NewMessage

BACKEND_PATH = "beredskab.sms_login.SmsCodeBackend"
CODE_LENGTH = 6


def is_sms_session(request) -> bool:
    """Was this session made by an SMS code?"""
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) == BACKEND_PATH


def _digest(text: str) -> str:
    return salted_hmac("beredskab.sms_login.key", text.strip().lower()).hexdigest()


def _code_hash(row_pk: int, code: str) -> str:
    return salted_hmac(f"beredskab.sms_login.code:{row_pk}", code, algorithm="sha256").hexdigest()


def _as_mobile(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def eligible_person(user) -> Person | None:
    """The directory entry a code may go to: an active person with a mobile, whose
    login is active."""
    if user is None or not user.is_active:
        return None
    person = Person.objects.filter(user_id=user.pk, is_active=True).exclude(mobile="").first()
    return person


def resolve(identifier: str):
    """The login a username or a mobile number names, if a code may go to it."""
    identifier = identifier.strip()
    if not identifier:
        return None
    users = get_user_model()
    user = users.objects.filter(username__iexact=identifier).first()
    if user is None and (mobile := _as_mobile(identifier)):
        matches = list(Person.objects.filter(mobile=mobile, is_active=True, user__isnull=False)[:2])
        # A number two people share names nobody in particular: no code.
        user = matches[0].user if len(matches) == 1 else None
    return user if eligible_person(user) else None


def normalised_key(identifier: str) -> str:
    identifier = identifier.strip()
    return (_as_mobile(identifier) or identifier.lower()) if identifier else ""


@dataclass(frozen=True)
class Issued:
    limited: bool
    retry_minutes: int = 0
    login: str = ""  # the lock-out's username for the code that follows


def _window():
    return timedelta(minutes=settings.SMS_LOGIN_CODE_WINDOW_MINUTES)


def _limited(key_digest: str, address: str | None, now) -> bool:
    since = now - _window()
    recent = SmsCode.objects.filter(created_at__gt=since)
    if recent.filter(key_digest=key_digest).count() >= settings.SMS_LOGIN_CODE_MAX_PER_USER:
        return True
    if address and recent.filter(client_ip=address).count() >= (
        settings.SMS_LOGIN_CODE_MAX_PER_ADDRESS
    ):
        return True
    return False


def _sms_text(code: str, purpose: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if purpose == SmsCodePurpose.REAUTH:
            text = _(
                "Your code to confirm an action in Beredskabsportalen: %(code)s. "
                "Valid for %(minutes)s minutes. Never give it to anyone."
            )
        else:
            text = _(
                "Your code to log in to Beredskabsportalen: %(code)s. "
                "Valid for %(minutes)s minutes. Never give it to anyone."
            )
        return text % {"code": code, "minutes": settings.SMS_LOGIN_CODE_MINUTES}


def issue(request, identifier: str, purpose: str = SmsCodePurpose.LOGIN, user=None) -> Issued:
    """Count the request and, if it names someone who may get one, send a fresh code.
    The outcome for the caller is the same whether or not anyone got a code."""
    now = timezone.now()
    address = client_ip(request)
    if user is None:
        user = resolve(identifier)
    # One count per login, whether it is asked for by username or by mobile.
    key = _digest(f"user:{user.pk}" if user is not None else normalised_key(identifier))
    with transaction.atomic():
        if _limited(key, address, now):
            return Issued(limited=True, retry_minutes=settings.SMS_LOGIN_CODE_WINDOW_MINUTES)
        row = SmsCode.objects.create(
            purpose=purpose,
            user=user,
            key_digest=key,
            client_ip=address,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.SMS_LOGIN_CODE_MINUTES),
        )
        person = eligible_person(user)
        if person is not None:
            # A new code replaces the older ones of the same purpose.
            SmsCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).exclude(
                pk=row.pk
            ).update(expires_at=now)
            code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
            row.code_hash = _code_hash(row.pk, code)
            row.save(update_fields=["code_hash"])
            outbox.enqueue(
                [
                    NewMessage(
                        channel="sms",
                        recipient=str(person.mobile),
                        body=_sms_text(code, purpose),
                        idempotency_key=f"smscode:{row.pk}:sms",
                        recipient_name=person.name,
                        person_id=person.pk,
                        group_key=f"smscode:{row.pk}",
                        # Someone waits at the login page: never behind a mass SMS.
                        priority=Priority.ESCALATION,
                    )
                ]
            )
    login = user.get_username() if user is not None else identifier.strip()
    return Issued(limited=False, login=login)


def check_code(user, code: str, purpose: str) -> bool:
    """Spend the user's live code of `purpose` if `code` is it."""
    code = (code or "").strip()
    now = timezone.now()
    live = (
        SmsCode.objects.filter(
            user=user,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=now,
            failed_attempts__lt=settings.SMS_LOGIN_CODE_MAX_ATTEMPTS,
        )
        .exclude(code_hash="")
        .order_by("-created_at")
        .first()
    )
    if live is None:
        return False
    if len(code) == CODE_LENGTH and code.isdigit():
        right = hmac.compare_digest(live.code_hash, _code_hash(live.pk, code))
    else:
        right = False
    if not right:
        SmsCode.objects.filter(pk=live.pk).update(failed_attempts=F("failed_attempts") + 1)
        return False
    # Single use: of two requests with the same code, only the one that spends it wins.
    won = SmsCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now)
    if won:
        # The text with the code has done its work: forget it in the outbox too.
        outbox.purge_group(f"smscode:{live.pk}")
    return bool(won)


class SmsCodeBackend(BaseBackend):
    """authenticate(request, username=..., sms_token=..., purpose=...) checks a code.

    (The credential is called a token so Django's and axes' logs mask it.)"""

    def authenticate(self, request, username=None, sms_token=None, purpose=None, **kwargs):
        if sms_token is None or username is None or not emergency.is_on():
            return None
        user = get_user_model().objects.filter(username__iexact=username).first()
        if eligible_person(user) is None:
            return None
        if not check_code(user, sms_token, purpose or SmsCodePurpose.LOGIN):
            return None
        return user

    def get_user(self, user_id):
        # An SMS session ends with the mode.
        if not emergency.is_on():
            return None
        from beredskab.auth_backend import PortalBackend

        user = PortalBackend().get_user(user_id)
        return user if eligible_person(user) is not None else None


def verify_sms_code(request, code: str) -> bool:
    """Re-authentication in an SMS session: a fresh code instead of the password,
    counted toward the login's lock-out like a wrong password."""
    from beredskab.reauth import mark_authenticated

    user = request.user
    if not user.is_authenticated or not code:
        return False
    found = authenticate(
        request, username=user.get_username(), sms_token=code, purpose=SmsCodePurpose.REAUTH
    )
    if found is None or found.pk != user.pk:
        return False
    mark_authenticated(request)
    return True


def send_reauth_code(request) -> Issued:
    user = request.user
    return issue(request, user.get_username(), SmsCodePurpose.REAUTH, user=user)


# --- The re-authentication field in an SMS session (used by beredskab.reauth.ReauthMixin) ---


def reauth_code_field():
    from django import forms
    from django.utils.translation import gettext_lazy

    return forms.CharField(
        label=gettext_lazy("Code from SMS"),
        required=False,
        max_length=CODE_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": CODE_LENGTH}
        ),
        help_text=gettext_lazy(
            "You logged in with an SMS code. Continue without a code and we send one to "
            "your mobile; then enter it."
        ),
    )


def clean_reauth_code(form, field_name: str, cleaned: dict) -> None:
    """No code: send one (a POST, so no page view sends an SMS). A code: check it."""
    from django import forms

    code = (cleaned.get(field_name) or "").strip()
    if not code:
        sent = send_reauth_code(form.request)
        message = (
            _("Too many codes were asked for. Wait %(minutes)s minutes and try again.")
            % {"minutes": sent.retry_minutes}
            if sent.limited
            else _("We have sent a code by SMS to your mobile. Enter it to continue.")
        )
        form.add_error(field_name, forms.ValidationError(message, code="sms_code_sent"))
    elif not verify_sms_code(form.request, code):
        form.add_error(
            field_name,
            forms.ValidationError(
                _("The code is wrong, has expired or has been used. Ask for a new one."),
                code="sms_code",
            ),
        )


# Rows are needed for the rate limits' window; the SMS texts only until the code expires.
KEEP_ROWS = timedelta(days=1)


def purge(now=None) -> int:
    """Forget the texts of expired codes in the outbox, and old request rows. Idempotent
    (beat runs it hourly). Returns the number of rows deleted."""
    now = now or timezone.now()
    expired = SmsCode.objects.filter(expires_at__lte=now).exclude(code_hash="")
    for pk in expired.filter(created_at__gt=now - KEEP_ROWS - timedelta(hours=2)).values_list(
        "pk", flat=True
    ):
        outbox.purge_group(f"smscode:{pk}")
    deleted, _counts = SmsCode.objects.filter(created_at__lte=now - KEEP_ROWS).delete()
    return deleted
