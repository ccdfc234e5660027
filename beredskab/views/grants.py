"""Role grants in the portal: grant on the person's page, remove, decide as the second
person, and the "Afventer godkendelse" page listing all that waits for a decision.

Access: a login that may grant no role gets 403; a grant outside what the user may
decide or remove (their own, another role, already decided) gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab import grants
from beredskab.access import can
from beredskab.forms.grants import DecisionForm, GrantForm, RemoveForm
from beredskab.models import Person, RoleGrant
from beredskab.models.grants import GrantStatus
from beredskab.pending import pending_for
from beredskab.views.directory._common import form_data


def _powers(request: HttpRequest) -> frozenset[str]:
    powers = grants.powers_of(request.user)
    if not powers:
        raise PermissionDenied
    return powers


def grantable_to(user, person: Person) -> list[str]:
    """The roles `user` may grant `person` now: none to themself, none already open."""
    if grants.is_own(user, person) or not person.is_active:
        return []
    held = set(person.role_grants.open().values_list("role", flat=True))
    return sorted(grants.powers_of(user) - held)


def _back(request: HttpRequest, person: Person) -> str:
    """The person's page for those who may read the directory, else the pending page."""
    if can(request.user, "manage_directory"):
        return person.get_absolute_url()
    return reverse("pending")


def _error(form, exc: grants.GrantError) -> None:
    form.add_error(None, str(exc))


@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    _powers(request)
    person = get_object_or_404(Person, pk=pk)
    form = GrantForm(
        form_data(request), grantable=grantable_to(request.user, person), request=request
    )
    if form.is_bound and form.is_valid():
        try:
            item = grants.grant(
                person,
                form.cleaned_data["role"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except grants.GrantError as exc:
            _error(form, exc)
        else:
            if item.status == GrantStatus.PENDING:
                messages.success(
                    request, _("The role awaits approval by a second person who may grant it.")
                )
            else:
                messages.success(request, _("The role was granted."))
            return redirect(_back(request, person))
    return render(
        request,
        "beredskab/grants/grant.html",
        {
            "form": form,
            "person": person,
            "own": grants.is_own(request.user, person),
            "cancel_url": _back(request, person),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def role_remove(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    _powers(request)
    item = get_object_or_404(RoleGrant.objects.select_related("person"), pk=grant_pk, person_id=pk)
    if not grants.may_remove(request.user, item):
        raise Http404
    form = RemoveForm(form_data(request), request=request)
    if form.is_bound and form.is_valid():
        try:
            grants.remove(item, by=request.user)
        except grants.GrantError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("The role was removed."))
            return redirect(_back(request, item.person))
    return render(
        request,
        "beredskab/grants/remove.html",
        {"form": form, "grant": item, "cancel_url": _back(request, item.person)},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def role_grant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _powers(request)
    item = get_object_or_404(RoleGrant.objects.select_related("person", "granted_by"), pk=pk)
    if not grants.may_decide(request.user, item):
        raise Http404
    form = DecisionForm(form_data(request), request=request)
    if form.is_bound and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.APPROVE:
                grants.approve(item, by=request.user)
                messages.success(request, _("The role was approved and has taken effect."))
            else:
                grants.refuse(item, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The role was refused."))
        except grants.GrantError as exc:
            _error(form, exc)
        else:
            return redirect("pending")
    return render(
        request,
        "beredskab/grants/decide.html",
        {"form": form, "grant": item, "granted_by": grants.name_of(item.granted_by)},
        status=400 if form.is_bound else 200,
    )


@require_GET
def pending(request: HttpRequest) -> HttpResponse:
    """Everything that waits for a second person and that this user may decide on.
    Open to every login: each provider lists only what the user may decide."""
    return render(request, "beredskab/grants/pending.html", {"items": pending_for(request.user)})
