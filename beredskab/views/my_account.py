""" "Min konto": the person's factors, open sessions (with "log ud overalt"), recent
logins, and the contact data the directory holds; and an admin's reset of a person's
second factors."""

from __future__ import annotations

from importlib import import_module

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab.access import person_of
from beredskab.leavers import sessions_of
from beredskab.mfa_policy import may_reset_factors, requires_second_factor
from beredskab.models import LoginRecord, Person
from beredskab.reauth import ReauthForm
from beredskab.services import factors
from beredskab.sessions import SEEN_KEY, STARTED_KEY, end_session


def open_sessions(request) -> list[dict]:
    """The signed-in person's live sessions, newest first, this one marked (found as
    beredskab.leavers finds them; a store without a table lists just this session)."""
    current = request.session.session_key
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if getattr(store_class, "get_model_class", None) is None:
        return [{"current": True, "started": None, "seen": None}]
    rows = [
        {
            "current": key == current,
            "started": _from_ts(data.get(STARTED_KEY)),
            "seen": _from_ts(data.get(SEEN_KEY)),
        }
        for key, data in sessions_of(request.user)
    ]
    rows.sort(key=lambda r: r["started"] or timezone.now(), reverse=True)
    return rows


def _from_ts(value):
    if value is None:
        return None
    return timezone.datetime.fromtimestamp(int(value), tz=timezone.get_current_timezone())


@never_cache
@require_GET
def my_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    authenticators = list(Authenticator.objects.filter(user=user).order_by("created_at"))
    return render(
        request,
        "beredskab/my_account.html",
        {
            "person": person_of(user),
            "totp": [a for a in authenticators if a.type == Authenticator.Type.TOTP],
            "passkeys": [a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN],
            "recovery": [a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES],
            "required": requires_second_factor(user, request),
            "sessions": open_sessions(request),
            "logins": LoginRecord.objects.filter(user=user)[: settings.ACCOUNT_RECENT_LOGINS],
        },
    )


@require_POST
def log_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this person, this one included, and go to the login."""
    factors.log_out_everywhere(request)
    response = redirect("login")
    end_session(request, response)
    messages.success(request, _("You are logged out everywhere."))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def reset_factors(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin removes a person's second factors (a lost phone): after re-authentication,
    on the person's timeline, told to the person by e-mail and SMS."""
    if not may_reset_factors(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    if person.user is None:
        messages.error(request, _("This person has no login, so there is nothing to reset."))
        return redirect(person)
    form = ReauthForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        removed = factors.reset_factors(person, actor=request.user)
        if removed:
            messages.success(request, _("The second factors were reset. The person has been told."))
        else:
            messages.info(request, _("The person had no second factor; their sessions ended."))
        return redirect(person)
    return render(
        request,
        "beredskab/directory/reset_factors.html",
        {
            "person": person,
            "form": form,
            "count": Authenticator.objects.filter(user=person.user).count(),
        },
        status=400 if form.errors else 200,
    )
