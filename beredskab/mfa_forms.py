"""allauth.mfa's code forms (login and re-authentication) under the login's lock-out.

A wrong TOTP or recovery code counts toward axes for the username and the client
address exactly as a wrong password does (beredskab.apps connects allauth.mfa's
authentication_failed signal to Django's user_login_failed, which axes counts), and a
locked pair is refused here before the code is even looked at, so guessing codes after
a stolen password is stopped as guessing passwords is.
"""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.enrolment import is_locked_out

LOCKED = _("Too many wrong attempts. Wait a while and try again.")


class _LockoutMixin:
    def clean_code(self) -> str:
        if is_locked_out(context.request, self.user):
            raise forms.ValidationError(LOCKED, code="locked")
        return super().clean_code()


class AuthenticateForm(_LockoutMixin, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_LockoutMixin, mfa_forms.ReauthenticateForm):
    pass


class AuthenticateWebAuthnForm(webauthn_forms.AuthenticateWebAuthnForm):
    """A passkey at login: refused while locked out, and a failure (a passkey of
    another account, a forged or replayed answer) counts toward the lock-out too;
    allauth.mfa sends no signal for it."""

    def clean_credential(self):
        if self.user is not None and is_locked_out(context.request, self.user):
            raise forms.ValidationError(LOCKED, code="locked")
        try:
            return super().clean_credential()
        except forms.ValidationError:
            if self.user is not None:
                count_failed_factor(None, request=context.request, user=self.user)
            raise


def count_failed_factor(sender, request=None, user=None, **kwargs) -> None:
    """allauth.mfa authentication_failed receiver: the failure counts toward axes."""
    from django.contrib.auth.signals import user_login_failed

    if user is None or request is None:
        return
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
