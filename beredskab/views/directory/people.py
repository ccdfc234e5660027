"""People: who they are, their roles, deputy and absence periods."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab import grants
from beredskab.access import get_person_for, require_perm
from beredskab.forms.directory import AbsenceForm, PersonForm
from beredskab.forms.grants import GrantForm
from beredskab.mfa_policy import may_reset_factors
from beredskab.models import Absence, Person
from beredskab.models.grants import GrantStatus
from beredskab.services import directory as service
from beredskab.views.directory._common import form_data, paginate, render_form
from beredskab.views.grants import grantable_to

TEMPLATE_FORM = "beredskab/directory/object_form.html"


@require_GET
@require_perm("manage_directory")
def person_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    people = (
        Person.objects.select_related("department", "user")
        .prefetch_related(
            "roles",
            Prefetch(
                "absences",
                queryset=Absence.objects.filter(starts_at__lte=now, ends_at__gt=now),
                to_attr="current_absences",
            ),
        )
        .order_by("name", "pk")
    )
    return render(
        request, "beredskab/directory/person_list.html", {"page": paginate(request, people)}
    )


def _roles_context(request: HttpRequest, person: Person) -> dict:
    """The person's roles with what this user may do about them (beredskab.grants)."""
    user = request.user
    open_grants = list(person.role_grants.open().select_related("granted_by__person"))
    grantable = grantable_to(user, person)
    return {
        "active_grants": [
            (g, grants.may_remove(user, g)) for g in open_grants if g.status == GrantStatus.ACTIVE
        ],
        "pending_grants": [
            (g, grants.may_decide(user, g)) for g in open_grants if g.status == GrantStatus.PENDING
        ],
        "own_person": grants.is_own(user, person),
        "grant_form": GrantForm(grantable=grantable, request=request) if grantable else None,
    }


def _render_detail(
    request: HttpRequest, person: Person, absence_form: AbsenceForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "beredskab/directory/person_detail.html",
        {
            "person": person,
            "absences": person.absences.filter(ends_at__gt=now),
            "past_absences": person.absences.filter(ends_at__lte=now).order_by("-starts_at")[:10],
            "absent_now": person.is_absent(now),
            "leads": person.leads.all(),
            "deputy_for": person.deputy_for.all(),
            "absence_form": absence_form,
            "timeline": service.timeline_rows(person),
            "may_reset_factors": may_reset_factors(request.user),
            **_roles_context(request, person),
        },
        status=status,
    )


@require_GET
@require_perm("manage_directory")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    return _render_detail(request, person, AbsenceForm())


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(form_data(request))
    if form.is_bound and form.is_valid():
        person = service.save_person(form, actor=request.user)
        messages.success(request, _("The person was created."))
        return redirect(person)
    return render_form(
        request,
        TEMPLATE_FORM,
        {"form": form, "title": _("New person"), "cancel_url": reverse("directory:person_list")},
    )


@require_http_methods(["GET", "POST"])
@require_perm("manage_directory")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, write=True)
    form = PersonForm(form_data(request), instance=person)
    if form.is_bound and form.is_valid():
        person = service.save_person(form, actor=request.user)
        messages.success(request, _("The person was saved."))
        return redirect(person)
    return render_form(
        request,
        TEMPLATE_FORM,
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": person.name},
            "cancel_url": person.get_absolute_url(),
            "login": person.user,
        },
    )


@require_POST
@require_perm("manage_directory")
def absence_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, write=True)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, person, form, status=400)
    service.add_absence(person, form, actor=request.user)
    messages.success(request, _("The absence was added."))
    return redirect(person)


@require_POST
@require_perm("manage_directory")
def absence_remove(request: HttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, write=True)
    absence = get_object_or_404(person.absences, pk=absence_pk)
    service.remove_absence(absence, actor=request.user)
    messages.success(request, _("The absence was removed."))
    return redirect(person)
