"""The one re-authentication helper for every action that reaches outside or grants
power: campaigns (confirm and approve), staff broadcasts, press texts, role grants,
robot tokens, voice forwarding, the login's own e-mail and password.

A person proves it is still them by their password (through django.contrib.auth's
authenticate(), so a wrong one counts toward the same lock-out as the login: axes,
keyed on username and address). A success is valid for settings.REAUTH_WINDOW_MINUTES
(default 10); within it the form asks for nothing.
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


def recently_authenticated(request) -> bool:
    """Whether this session proved its password within the window."""
    stamp = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not stamp:
        return False
    try:
        at = timezone.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return False
    return timezone.now() - at < _window()


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


def verify_password(request, password: str) -> bool:
    """Check the signed-in person's password as the login would, counting a failure
    toward the login's lock-out. True (and the window restarts) only for this user."""
    user = request.user
    if not user.is_authenticated or not password:
        return False
    found = authenticate(request, username=user.get_username(), password=password)
    if found is None or found.pk != user.pk:
        return False
    mark_authenticated(request)
    return True


# A session made by an SMS code in the emergency mode has no password to ask for: the
# proof is a fresh code instead (beredskab/sms_login.py).
def _sms_login():
    from beredskab import sms_login

    return sms_login


def _sms_session(request) -> bool:
    return _sms_login().is_sms_session(request)


class ReauthMixin:
    """Form mixin: a password field that is asked only outside the window.

    Forms pass `request=` to __init__. After is_valid(), the form has proved identity.
    """

    reauth_field = "password"

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
        if _sms_session(request):
            self.fields[self.reauth_field] = _sms_login().reauth_code_field()
        if recently_authenticated(request):
            self.fields[self.reauth_field].widget = forms.HiddenInput()
            self.reauth_needed = False
        else:
            self.reauth_needed = True

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
        elif not password:
            self.add_error(
                self.reauth_field,
                forms.ValidationError(_("Enter your password to continue."), code="required"),
            )
        elif not verify_password(self.request, password):
            self.add_error(
                self.reauth_field,
                forms.ValidationError(_("The password is not right."), code="password"),
            )
        return cleaned


class ReauthForm(ReauthMixin, forms.Form):
    """Just the re-authentication, for a page that has no other fields."""
