"""The integrations allowed to fetch the crisis message, and their tokens.

A token is shown exactly once, in the answer to the POST that made it; only its hash
is stored. The answer is never cached. Making or changing a token lets a system read
the crisis message: both ask for the password again (beredskab.reauth).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from beredskab.reauth import ReauthForm, code_factors, recently_authenticated
from contactcenter import access
from contactcenter.forms import IntegrationForm
from contactcenter.models import RobotIntegration


def _token_page(request: HttpRequest, integration: RobotIntegration, token: str) -> HttpResponse:
    response = render(
        request,
        "contactcenter/integration_token.html",
        {"integration": integration, "token": token},
    )
    add_never_cache_headers(response)
    return response


def _list_page(
    request: HttpRequest, form: IntegrationForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "contactcenter/integrations.html",
        {
            "integrations": RobotIntegration.objects.all(),
            "form": form,
            "reauth_needed": not recently_authenticated(request),
            # A person with a second factor gives a code too (beredskab.reauth).
            "reauth_code_needed": bool(code_factors(request.user)),
            "rotate_error": error,
        },
        status=status,
    )


@require_GET
def integration_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_integrations(request.user))
    return _list_page(request, IntegrationForm(request=request))


@require_POST
def integration_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_integrations(request.user))
    form = IntegrationForm(request.POST, request=request)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    integration, token = RobotIntegration.create_with_token(
        form.cleaned_data["name"], actor=request.user
    )
    return _token_page(request, integration, token)


@require_POST
def integration_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_integrations(request.user))
    integration = get_object_or_404(RobotIntegration, pk=pk)
    reauth = ReauthForm(request.POST, request=request)
    if not reauth.is_valid():
        error = " ".join(reauth.errors.get("password", []) + reauth.errors.get("reauth_code", []))
        return _list_page(request, IntegrationForm(request=request), error=error, status=400)
    token = integration.rotate(actor=request.user)
    return _token_page(request, integration, token)


@require_POST
def integration_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_integrations(request.user))
    integration = get_object_or_404(RobotIntegration, pk=pk)
    integration.revoke(actor=request.user)
    messages.success(
        request, _("The token of %(name)s no longer works.") % {"name": integration.name}
    )
    return redirect("contactcenter:integrations")
