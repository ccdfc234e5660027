"""Role grants in the portal: grant on the person's page, remove, decide as the second
person, and the "Afventer godkendelse" page listing all that waits for a decision.

Access goes through beredskab.access (get_person_to_grant, get_grant_for).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beredskab import grants
from beredskab.access import can, get_grant_for, get_person_to_grant
from beredskab.actors import actor_text
from beredskab.forms.grants import DecisionForm, GrantForm, RemoveForm
from beredskab.models import Person
from beredskab.models.grants import GrantStatus
from beredskab.pending import pending_for
from beredskab.views.directory._common import form_data


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
    person = get_person_to_grant(request.user, pk)
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
    item = get_grant_for(request.user, grant_pk, to="remove", person_pk=pk)
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
    item = get_grant_for(request.user, pk, to="decide")
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
        {"form": form, "grant": item, "granted_by": actor_text(item.granted_by)},
        status=400 if form.is_bound else 200,
    )


@require_GET
def pending(request: HttpRequest) -> HttpResponse:
    """Everything that waits for a second person and that this user may decide on.
    Open to every login: each provider lists only what the user may decide."""
    return render(request, "beredskab/grants/pending.html", {"items": pending_for(request.user)})
