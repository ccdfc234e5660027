"""The provisioning pages (issue 22): what SCIM could not decide alone, for the
systemkoordinator (department values, flagged mobiles, matches, group → role table)
and for admins (privileged mappings, held deactivations, undoing a deactivation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beredskab import timeline
from beredskab.access import require_perm
from beredskab.authority import is_privileged
from beredskab.forms.grants import DecisionForm
from beredskab.forms.provisioning import DepartmentMappingForm, GroupMappingForm
from beredskab.models import DepartmentMapping, GroupRoleMapping, Person, ScimMatch
from beredskab.reauth import ReauthForm
from beredskab.scim import groups, people


def _admin_only(user) -> None:
    if not people.may_decide(user):
        raise PermissionDenied


def _resync(group_name: str) -> None:
    members = Person.objects.filter(scim_groups__display_name__iexact=group_name).distinct()
    groups.sync_roles(list(members), client=f"SCIM: {group_name}")


def _page(request, *, mapping_form=None, status=200):
    return render(
        request,
        "beredskab/provisioning/index.html",
        {
            "unmapped": DepartmentMapping.objects.filter(department__isnull=True),
            "mapped": DepartmentMapping.objects.filter(department__isnull=False).select_related(
                "department"
            ),
            "department_form": DepartmentMappingForm(),
            "flagged": people.flagged_people().order_by("name"),
            "matches": ScimMatch.objects.select_related("person")[:100],
            "mappings": GroupRoleMapping.objects.select_related("approved_by"),
            "mapping_form": mapping_form or GroupMappingForm(request=request),
            "is_admin": people.may_decide(request.user),
            "deactivated": Person.objects.filter(is_active=False, scim_deactivations__isnull=False)
            .distinct()
            .order_by("name")[:100],
        },
        status=status,
    )


@require_perm("manage_directory")
def index(request):
    return _page(request)


@require_POST
@require_perm("manage_directory")
def department_mapping(request, pk):
    row = get_object_or_404(DepartmentMapping, pk=pk)
    form = DepartmentMappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a department from the list."))
        return _page(request, status=400)
    with transaction.atomic():
        row.department = form.cleaned_data["department"]
        row.save(update_fields=["department"])
        if row.department:
            # The people who came with this value join the department now.
            for person in Person.objects.filter(scim_department=row.value):
                person.department = row.department
                person.save(update_fields=["department"])
                timeline.record(
                    person, "person.updated", actor=request.user, data={"changed": ["department"]}
                )
    messages.success(request, _("The department mapping was saved."))
    return redirect("provisioning")


@require_POST
@require_perm("manage_directory")
def mapping_add(request):
    form = GroupMappingForm(request.POST, request=request)
    if not form.is_valid():
        return _page(request, mapping_form=form, status=400)
    role = form.cleaned_data["role"]
    admin = people.may_decide(request.user)
    with transaction.atomic():
        row = GroupRoleMapping.objects.create(
            group_name=form.cleaned_data["group_name"],
            role=role,
            created_by=request.user,
            # An admin's own row for a privileged role is approved by its making.
            approved_by=request.user if admin and is_privileged(role) else None,
            approved_at=timezone.now() if admin and is_privileged(role) else None,
        )
        _resync(row.group_name)
    if is_privileged(role) and not admin:
        messages.success(
            request,
            _("The mapping gives a privileged role: it takes effect when an admin approves it."),
        )
    else:
        messages.success(request, _("The mapping was saved."))
    return redirect("provisioning")


@require_POST
@require_perm("manage_directory")
def mapping_approve(request, pk):
    _admin_only(request.user)
    row = get_object_or_404(GroupRoleMapping, pk=pk, approved_by__isnull=True)
    form = ReauthForm(request.POST, request=request)
    if not form.is_valid():
        messages.error(request, _("Confirm with your password."))
        return _page(request, status=400)
    with transaction.atomic():
        row.approved_by, row.approved_at = request.user, timezone.now()
        row.save(update_fields=["approved_by", "approved_at"])
        _resync(row.group_name)
    messages.success(request, _("The mapping was approved and has taken effect."))
    return redirect("provisioning")


@require_POST
@require_perm("manage_directory")
def mapping_delete(request, pk):
    row = get_object_or_404(GroupRoleMapping, pk=pk)
    if is_privileged(row.role):
        _admin_only(request.user)
    with transaction.atomic():
        name = row.group_name
        row.delete()
        _resync(name)
    messages.success(request, _("The mapping was removed."))
    return redirect("provisioning")


@require_POST
@require_perm("manage_directory")
def reactivate(request, pk):
    _admin_only(request.user)
    person = get_object_or_404(Person, pk=pk, is_active=False)
    form = ReauthForm(request.POST, request=request)
    if not form.is_valid():
        messages.error(request, _("Confirm with your password."))
        return _page(request, status=400)
    people.reverse_deactivation(person, by=request.user)
    messages.success(
        request,
        _(
            "%(name)s is active again and back in their chain steps. "
            "Their login opens with manage.py reactivate_login."
        )
        % {"name": person.name},
    )
    return redirect("provisioning")


@require_http_methods(["GET", "POST"])
def held(request):
    """An admin confirms or refuses the deactivations a provisioning batch had held."""
    _admin_only(request.user)
    form = DecisionForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_bound and form.is_valid():
        confirm = form.cleaned_data["decision"] == DecisionForm.APPROVE
        count = people.decide_held(by=request.user, confirm=confirm)
        if confirm:
            messages.success(request, _("%(count)s people were deactivated.") % {"count": count})
        else:
            messages.success(
                request, _("The held deactivations were refused; the people stay active.")
            )
        return redirect("pending")
    return render(
        request,
        "beredskab/provisioning/held.html",
        {"form": form, "rows": people.held().order_by("person__name")},
        status=400 if form.is_bound else 200,
    )
