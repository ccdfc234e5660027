"""The emergency mode's page, and the sign-in by SMS code while it is on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from beredskab import emergency, sms_login
from beredskab.breakglass import is_break_glass_admin
from beredskab.forms.emergency import EmergencyModeForm, SmsLoginCodeForm, SmsLoginRequestForm
from beredskab.models import SmsCodePurpose
from beredskab.roles import Role, has_role

PENDING_KEY = "_beredskab_sms_login"


def _may_see_mode(user) -> bool:
    return user.is_superuser or has_role(user, Role.ADMIN) or is_break_glass_admin(user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def emergency_mode(request: HttpRequest) -> HttpResponse:
    """Admins see the mode and may switch it off; only a break-glass admin (a
    break-glass account holding the admin role) may switch it on."""
    if not _may_see_mode(request.user):
        raise PermissionDenied
    may_switch_on = is_break_glass_admin(request.user)
    period = emergency.current()
    form = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "off":
        if emergency.switch_off(by=request.user):
            messages.success(request, _("The emergency mode is off. SMS-code sessions ended."))
        return redirect("emergency_mode")
    if request.method == "POST":
        if not may_switch_on:
            raise PermissionDenied
        form = EmergencyModeForm(request.POST, request=request)
        if period is not None:
            form.add_error(None, _("The emergency mode is already on."))
        if form.is_valid():
            data = form.cleaned_data
            emergency.switch_on(hours=data["hours"], reason=data["reason"], by=request.user)
            messages.success(request, _("The emergency mode is on."))
            return redirect("emergency_mode")
        status = 400
    elif may_switch_on and period is None:
        form = EmergencyModeForm(request=request, initial={"hours": 4})
    return render(
        request,
        "beredskab/emergency_mode.html",
        {
            "period": period,
            "form": form,
            "may_switch_on": may_switch_on,
            "max_hours": settings.EMERGENCY_MODE_MAX_HOURS,
        },
        status=status,
    )


def _mode_or_404() -> None:
    # Without the mode the sign-in by SMS code does not exist.
    if not emergency.is_on():
        raise Http404


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def sms_login_request(request: HttpRequest) -> HttpResponse:
    """Step 1: a username or mobile; a code goes to the mobile in the directory."""
    _mode_or_404()
    if request.user.is_authenticated:
        return redirect("home")
    form = SmsLoginRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        issued = sms_login.issue(request, form.cleaned_data["identifier"])
        if issued.limited:
            return render(
                request,
                "account/sms_login_limited.html",
                {"minutes": issued.retry_minutes},
                status=429,
            )
        request.session[PENDING_KEY] = {"login": issued.login, "at": timezone.now().isoformat()}
        return redirect("sms_login_code")
    return render(
        request,
        "account/sms_login.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def sms_login_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code. The same answer whether or not anyone got a code."""
    _mode_or_404()
    pending = request.session.get(PENDING_KEY)
    if request.user.is_authenticated:
        return redirect("home")
    if not pending:
        return redirect("sms_login")
    form = SmsLoginCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=pending["login"],
            sms_token=form.cleaned_data["code"].strip(),
            purpose=SmsCodePurpose.LOGIN,
        )
        if user is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error(
            "code", _("The code is wrong, has expired or has been used. Ask for a new one.")
        )
    return render(
        request,
        "account/sms_login_code.html",
        {"form": form, "minutes": settings.SMS_LOGIN_CODE_MINUTES},
        status=400 if form.errors else 200,
    )
