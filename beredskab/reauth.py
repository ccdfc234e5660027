"""The one re-authentication helper for every action that reaches outside or grants
power: campaigns (confirm and approve), staff broadcasts, press texts, role grants,
robot tokens, voice forwarding, the login's own e-mail and password.

A person proves it is still them by their password (through django.contrib.auth's
authenticate(), so a wrong one counts toward the same lock-out as the login: axes,
keyed on username and address). A person who has a second factor also gives a code
from it (an authenticator app's TOTP or a recovery code), counted toward the same
lock-out. A success is valid for settings.REAUTH_WINDOW_MINUTES (default 10); within it
the form asks for nothing.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "_beredskab_reauth_at"


def _window() -> timedelta:
    return timedelta(minutes=getattr(settings, "REAUTH_WINDOW_MINUTES", 10))


def stamped_within(request, key: str, window: timedelta) -> bool:
    """Whether the session holds an ISO time under `key` that is less than `window` old."""
    stamp = request.session.get(key) if hasattr(request, "session") else None
    if not stamp:
        return False
    try:
        at = timezone.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return False
    return timezone.now() - at < window


def recently_authenticated(request) -> bool:
    """Whether this session proved its password within the window."""
    return stamped_within(request, SESSION_KEY, _window())


def mark_authenticated(request) -> None:
    """Record a fresh proof of identity (the login itself is one)."""
    request.session[SESSION_KEY] = timezone.now().isoformat()


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in BeredskabConfig.ready): a login just proved
    the password, so the window starts now."""
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def reauth_required(view):
    """View decorator for flows that start with a GET: outside the window the person is
    sent to the re-authentication page first and comes back to this URL afterwards."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('reauth')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


def verify_password(request, password: str, *, mark: bool = True) -> bool:
    """Check the signed-in person's password as the login would, counting a failure
    toward the login's lock-out. True (and, with mark, the window restarts) only for
    this user."""
    user = request.user
    if not user.is_authenticated or not password:
        return False
    found = authenticate(request, username=user.get_username(), password=password)
    if found is None or found.pk != user.pk:
        return False
    if mark:
        mark_authenticated(request)
    return True


# A session made by an SMS code in the emergency mode has no password to ask for: the
# proof is a fresh code instead (beredskab/sms_login.py).
def _sms_login():
    from beredskab import sms_login

    return sms_login


def _sms_session(request) -> bool:
    return _sms_login().is_sms_session(request)


def code_factors(user):
    """The person's factors that take a typed code (TOTP, recovery codes); passkeys
    cannot be typed, so a passkey-only person gives a recovery code here."""
    from allauth.mfa.models import Authenticator

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Authenticator.objects.filter(user_id=user.pk).exclude(type=Authenticator.Type.WEBAUTHN)
    )


def has_passkey(user) -> bool:
    from allauth.mfa.models import Authenticator

    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()


def passkey_request_options(request) -> dict:
    """What the browser needs to ask the person's passkey (and the challenge, kept in
    the session by allauth.mfa until verify_passkey)."""
    from allauth.mfa.webauthn.internal import auth

    return {"request_options": auth.begin_authentication(request.user)}


def _count_failure(request, user) -> None:
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def verify_passkey(request, credential: str) -> bool:
    """Check a WebAuthn answer from one of the signed-in person's passkeys against the
    challenge of passkey_request_options; a failure (another account's passkey, a
    replayed answer) counts toward the lock-out like a wrong password."""
    import json

    from allauth.mfa.webauthn.internal import auth

    from beredskab.enrolment import is_locked_out

    user = request.user
    if is_locked_out(request, user):
        return False
    try:
        data = json.loads(credential)
        auth.parse_authentication_response(data)
        authenticator = auth.complete_authentication(user, data)
    except (ValueError, TypeError, forms.ValidationError):
        _count_failure(request, user)
        return False
    authenticator.record_usage()
    return True


def verify_code(request, code: str) -> bool:
    """Check a code from the signed-in person's second factor. A wrong one counts toward
    the login's lock-out (username and address), like a wrong password; a used TOTP
    code is refused (allauth.mfa remembers it for its whole window)."""
    from beredskab.enrolment import is_locked_out

    user = request.user
    code = (code or "").strip().replace(" ", "")
    if not code or is_locked_out(request, user):
        return False
    for authenticator in code_factors(user):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    _count_failure(request, user)
    return False


class ReauthMixin:
    """Form mixin: a password field (and, for a person with a second factor, a code
    field) asked only outside the window.

    Forms pass `request=` to __init__. After is_valid(), the form has proved identity.
    """

    reauth_field = "password"
    code_field = "reauth_code"
    credential_field = "reauth_credential"
    passkey_offered = False

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields[self.reauth_field] = forms.CharField(
            label=_("Your password"),
            strip=False,
            required=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            help_text=_("Asked again for actions that reach outside the portal."),
        )
        self.code_needed = False
        if _sms_session(request):
            self.fields[self.reauth_field] = _sms_login().reauth_code_field()
        if recently_authenticated(request):
            self.fields[self.reauth_field].widget = forms.HiddenInput()
            self.reauth_needed = False
        elif _sms_session(request):
            # The fresh SMS code is the proof (the phone); no password or factor to ask.
            self.reauth_needed = True
        else:
            self.reauth_needed = True
            if code_factors(request.user):
                self.code_needed = True
                self.fields[self.code_field] = forms.CharField(
                    label=_("Code from your second factor"),
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(
                        attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                    ),
                    help_text=_(
                        "The six digits from your authenticator app, or one of your recovery codes."
                    ),
                )
            if has_passkey(request.user):
                # Filled by the browser (WebAuthn) on the re-authentication page; the
                # code field stays for the person who has no passkey at hand.
                self.code_needed = True
                self.passkey_offered = True
                self.fields[self.credential_field] = forms.CharField(
                    required=False, widget=forms.HiddenInput()
                )

    def clean(self):
        cleaned = super().clean()
        if recently_authenticated(self.request):
            return cleaned
        if _sms_session(self.request):
            _sms_login().clean_reauth_code(self, self.reauth_field, cleaned)
            return cleaned
        password = cleaned.get(self.reauth_field) or ""
        from beredskab import entra

        if entra.uses_entra(self.request.user):
            # No portal password to type: the person confirms at Entra (the re-
            # authentication page's button), then sends the form again within the window.
            self.add_error(
                self.reauth_field,
                forms.ValidationError(
                    _(
                        "You sign in with the municipality's account: confirm it is you at "
                        "%(url)s, then send this form again."
                    )
                    % {"url": f"{reverse('reauth')}?{urlencode({'next': self.request.path})}"},
                    code="entra",
                ),
            )
            return cleaned
        password_ok = False
        if not password:
            self.add_error(
                self.reauth_field,
                forms.ValidationError(_("Enter your password to continue."), code="required"),
            )
        elif not verify_password(self.request, password, mark=False):
            self.add_error(
                self.reauth_field,
                forms.ValidationError(_("The password is not right."), code="password"),
            )
        else:
            password_ok = True
        if not self.code_needed:
            if password_ok:
                mark_authenticated(self.request)
            return cleaned
        code = cleaned.get(self.code_field) or ""
        credential = (cleaned.get(self.credential_field) or "") if self.passkey_offered else ""
        if credential:
            if password_ok and verify_passkey(self.request, credential):
                mark_authenticated(self.request)
            elif password_ok:
                self.add_error(
                    None,
                    forms.ValidationError(
                        _("The passkey was not accepted. Try again, or use a code."),
                        code="passkey",
                    ),
                )
            return cleaned
        if not code:
            self.add_error(
                self.code_field if self.code_field in self.fields else None,
                forms.ValidationError(
                    _("Enter a code from your second factor to continue."), code="required"
                ),
            )
        elif not password_ok:
            # Not tried: a code is spent only together with the right password.
            pass
        elif not verify_code(self.request, code):
            self.add_error(
                self.code_field,
                forms.ValidationError(
                    _("The code is not right, or it has been used already."), code="code"
                ),
            )
        else:
            mark_authenticated(self.request)
        return cleaned


class ReauthForm(ReauthMixin, forms.Form):
    """Just the re-authentication, for a page that has no other fields."""
