"""The login's own forms on django-allauth: password change through the one
re-authentication helper, password reset that also finds addresses kept only on the
login (user.email), whatever their case."""

from __future__ import annotations

from allauth.account.forms import ChangePasswordForm, LoginForm, ResetPasswordForm
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from beredskab.reauth import ReauthMixin


class PortalLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page links to the password reset once, below the form.
        self.fields["password"].help_text = ""


class PortalChangePasswordForm(ReauthMixin, ChangePasswordForm):
    """The current password is checked by beredskab.reauth (so wrong guesses count toward
    the login's lock-out) and not asked again inside the re-authentication window."""

    reauth_field = "oldpassword"
    field_order = ["oldpassword", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def clean_oldpassword(self) -> str:
        # Checked in ReauthMixin.clean(); allauth's own check_password() here would be
        # an unlimited oracle beside the lock-out.
        return self.cleaned_data.get("oldpassword", "")


class PortalResetPasswordForm(ResetPasswordForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        # allauth looks at its EmailAddress rows and at user.email lower-cased; logins made
        # in Django admin keep their address only on the user, in any case.
        known = {u.pk for u in self.users}
        more = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
        self.users = list(self.users) + [u for u in more if u.pk not in known]
        # Entra ID logins have no portal password, and a reset must not give them one
        # beside Entra (and its Conditional Access): nothing is sent to them, and the
        # answer stays the same as for any address.
        from beredskab.entra import users_without_password_reset

        self.users = users_without_password_reset(self.users)
        return email


class EmailChangeForm(ReauthMixin, forms.Form):
    """The login's own e-mail address, changed by its owner with the password again."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.request.user.email or "").lower():
            raise forms.ValidationError(_("That is already your address."), code="same")
        return email
