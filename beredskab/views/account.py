"""The login's own pages on django-allauth: login, logout, password change and reset,
the re-authentication page. Answers bad input with HTTP 400.

The portal's rule is a 4xx for a form with errors (so tests, monitors and screen
readers alike can tell a failed submit from a page view); allauth's views answer 200.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from beredskab.forms.account import EmailChangeForm
from beredskab.reauth import ReauthForm, passkey_request_options, recently_authenticated
from beredskab.services.account import change_login_email
from beredskab.sessions import clear_offline_copy
from beredskab.sms_login import is_sms_session


class _BadInput400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(_BadInput400, allauth_views.LoginView):
    def get_context_data(self, **kwargs):
        from beredskab import entra

        context = super().get_context_data(**kwargs)
        # The municipality's own accounts first, when Entra ID is configured.
        context["entra_offered"] = entra.is_configured()
        context["entra_provider_id"] = entra.PROVIDER_ID
        context["entra_organisation"] = settings.ENTRA_ORGANISATION_NAME
        return context

    def render_to_response(self, context, **kwargs):
        from beredskab import entra

        response = super().render_to_response(context, **kwargs)
        if entra.is_configured():
            # The Entra button's POST is answered by a redirect to the tenant's
            # authorisation page; browsers hold redirects after a form to form-action.
            response._csp_update = {"form-action": [entra.authority_origin()]}
        return response


class PasswordChangeView(_BadInput400, allauth_views.PasswordChangeView):
    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request  # beredskab.reauth asks for the current password
        return kwargs


class PasswordResetView(_BadInput400, allauth_views.PasswordResetView):
    pass


class PasswordResetFromKeyView(_BadInput400, allauth_views.PasswordResetFromKeyView):
    pass


class LogoutView(allauth_views.LogoutView):
    """Logging out also clears the browser's offline copy (the service worker's cache).
    POST only: a link or an image on another site must not log anyone out."""

    http_method_names = ["post", "options"]

    def post(self, *args, **kwargs):
        return clear_offline_copy(super().post(*args, **kwargs))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Prove it is still you (the password again), then go on to ?next=. For flows that
    start with a GET (beredskab.reauth.reauth_required sends them here)."""
    target = _safe_next(request)
    if request.method == "GET" and recently_authenticated(request):
        return redirect(target)
    form = ReauthForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        messages.success(request, _("Thank you. You can go on."))
        return redirect(target)
    from beredskab import entra

    # An Entra login has no portal password: it confirms by signing in at Entra again.
    entra_reauth = entra.is_configured() and entra.uses_entra(request.user)
    context = {
        "form": form,
        "next": target,
        "reauth_minutes": settings.REAUTH_WINDOW_MINUTES,
        # Logged in by an SMS code (emergency mode): a fresh code, not the password.
        "sms_session": is_sms_session(request),
        "entra_reauth": entra_reauth,
        "entra_provider_id": entra.PROVIDER_ID,
        "entra_organisation": settings.ENTRA_ORGANISATION_NAME,
    }
    if form.passkey_offered:
        context["passkey_options"] = passkey_request_options(request)
    response = render(request, "account/reauth.html", context, status=400 if form.errors else 200)
    if entra_reauth:
        response._csp_update = {"form-action": [entra.authority_origin()]}
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """The login's own e-mail address (where password reset links go)."""
    form = EmailChangeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        change_login_email(request.user, form.cleaned_data["email"], actor=request.user)
        messages.success(
            request, _("Your e-mail address is changed. The old address has been told.")
        )
        return redirect("email_change")
    return render(
        request,
        "account/email_change.html",
        {"form": form, "current": request.user.email},
        status=400 if form.errors else 200,
    )
