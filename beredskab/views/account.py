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


class _BadInput400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(_BadInput400, allauth_views.LoginView):
    pass


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
    context = {"form": form, "next": target, "reauth_minutes": settings.REAUTH_WINDOW_MINUTES}
    if form.passkey_offered:
        context["passkey_options"] = passkey_request_options(request)
    return render(request, "account/reauth.html", context, status=400 if form.errors else 200)


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
