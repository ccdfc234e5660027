"""Forms for the provisioning tables (issue 22): a department value's department, a
group's role (a grant of power: the password is asked again, beredskab.reauth)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskab.models import Department, GroupRoleMapping
from beredskab.reauth import ReauthMixin
from beredskab.roles import Role


class DepartmentMappingForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Not mapped"),
    )


class GroupMappingForm(ReauthMixin, forms.Form):
    group_name = forms.CharField(label=_("Group in Entra ID"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["group_name", "role", self.reauth_field])

    def clean(self):
        cleaned = super().clean()
        name, role = cleaned.get("group_name", "").strip(), cleaned.get("role")
        cleaned["group_name"] = name
        if (
            name
            and role
            and GroupRoleMapping.objects.filter(group_name__iexact=name, role=role).exists()
        ):
            self.add_error("role", _("This group already gives this role."))
        return cleaned
