"""SCIM provisioning (issue 22): the clients' tokens, the SCIM groups and the two
tables the portal's people edit (group → role, department value → department), the
matches of hand-made people and the deactivations a provisioning batch asked for.

The directory Person is the SCIM User (its provisioning fields live on Person);
these tables hold only what SCIM adds around it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskab.roles import Role


class ScimToken(models.Model):
    """A provisioning client's bearer token. Only its SHA-256 is stored."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")

    def __str__(self) -> str:
        return self.name

    @property
    def actor(self) -> str:
        """How the client appears on timelines: a client, not a person."""
        return f"SCIM: {self.name}"


class ScimGroup(models.Model):
    """A SCIM Group as sent by the provisioning client. Its members get roles only
    through GroupRoleMapping; no Django group is ever written from here."""

    display_name = models.CharField(_("name"), max_length=200, unique=True)
    external_id = models.CharField(_("external id"), max_length=200, null=True, blank=True)
    members = models.ManyToManyField(
        "beredskab.Person", verbose_name=_("members"), blank=True, related_name="scim_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("provisioned group")
        verbose_name_plural = _("provisioned groups")

    def __str__(self) -> str:
        return self.display_name


class GroupRoleMapping(models.Model):
    """A provisioned group's display name → a portal role. A row for a privileged role
    counts only when an admin approved it (approved_by)."""

    group_name = models.CharField(_("provisioned group"), max_length=200)
    role = models.CharField(_("role"), max_length=40, choices=Role)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["group_name", "role"]
        verbose_name = _("group to role mapping")
        verbose_name_plural = _("group to role mappings")
        constraints = [
            models.UniqueConstraint(fields=["group_name", "role"], name="scim_group_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_name} → {self.role}"


class DepartmentMapping(models.Model):
    """A provisioned `department` value → a portal department. Values SCIM sends that
    are not here yet are added with no department: listed for the systemkoordinator,
    never guessed."""

    value = models.CharField(_("value from Entra ID"), max_length=200, unique=True)
    department = models.ForeignKey(
        "beredskab.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        ordering = ["value"]
        verbose_name = _("department mapping")
        verbose_name_plural = _("department mappings")

    def __str__(self) -> str:
        return self.value


class ScimMatch(models.Model):
    """A hand-made person that SCIM's first create matched instead of duplicating."""

    class By(models.TextChoices):
        EMPLOYEE_NUMBER = "employee_number", _("employee number")
        EMAIL = "email", _("e-mail")

    person = models.ForeignKey(
        "beredskab.Person", on_delete=models.CASCADE, related_name="scim_matches"
    )
    matched_by = models.CharField(_("matched by"), max_length=20, choices=By)
    matched_at = models.DateTimeField(_("matched at"))
    client = models.CharField(_("provisioning client"), max_length=100)

    class Meta:
        ordering = ["-matched_at"]
        verbose_name = _("provisioning match")
        verbose_name_plural = _("provisioning matches")

    def __str__(self) -> str:
        return f"{self.person} ({self.matched_by})"


class ScimDeactivation(models.Model):
    """One deactivation a provisioning client asked for (active:false or DELETE).
    Counted per batch window for the mass-deactivation hold."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied")
        HELD = "held", _("Held for an admin")
        CONFIRMED = "confirmed", _("Confirmed by an admin")
        REFUSED = "refused", _("Refused by an admin")

    person = models.ForeignKey(
        "beredskab.Person", on_delete=models.CASCADE, related_name="scim_deactivations"
    )
    requested_at = models.DateTimeField(_("requested at"))
    client = models.CharField(_("provisioning client"), max_length=100)
    delete = models.BooleanField(_("deleted"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=State)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["state", "requested_at"], name="scim_deact_state_at")]

    def __str__(self) -> str:
        return f"{self.person} ({self.state})"
