"""Role grants: the only way a person gets or loses a role (issue 24, item 2).

A row is one grant of one role to one person, from request to removal. Its status
moves only through the transition methods in beredskab.grants, which also copy the
role to the person's login (user.groups): nothing else writes Person.roles or the
login's groups, so the table is the history of who gave whom which power.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.roles import Role


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")
    REMOVED = "removed", _("Removed")


# The state machine: from a status, the statuses a transition may lead to.
GRANT_TRANSITIONS: dict[str, frozenset[str]] = {
    GrantStatus.PENDING: frozenset({GrantStatus.ACTIVE, GrantStatus.REFUSED}),
    GrantStatus.ACTIVE: frozenset({GrantStatus.REMOVED}),
    GrantStatus.REFUSED: frozenset(),
    GrantStatus.REMOVED: frozenset(),
}
OPEN_GRANT_STATUSES = (GrantStatus.PENDING, GrantStatus.ACTIVE)


class RoleGrantQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_GRANT_STATUSES)

    def pending(self):
        return self.filter(status=GrantStatus.PENDING)


class RoleGrant(models.Model):
    person = models.ForeignKey(
        "beredskab.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=40, choices=Role)
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus, default=GrantStatus.PENDING
    )
    # Logins, not people: a superuser from createsuperuser has no directory entry.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    # Took effect without a second person because nobody else could approve it
    # (a fresh install; the only holder of the power to grant it).
    without_second_person = models.BooleanField(_("without a second person"), default=False)
    # Given outside the portal's pages: fixtures, the demo, roles held before grants.
    is_direct = models.BooleanField(_("given directly"), default=False)
    # Granted by a provisioning client (SCIM) applying a group mapping: its name.
    provisioned_by = models.CharField(_("granted by provisioning"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            # One open (pending or active) grant per person and role: a double click or
            # two granters at once cannot give the same role twice.
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(status__in=["pending", "active"]),
                name="rolegrant_one_open_per_role",
            ),
        ]
        # Serves the "Afventer godkendelse" page: the pending grants, oldest first.
        indexes = [models.Index(fields=["status", "granted_at"], name="rolegrant_status_at")]

    def __str__(self) -> str:
        return f"{self.person}: {self.role_label} ({self.get_status_display()})"

    @property
    def role_label(self) -> str:
        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role

    def may_move_to(self, status: str) -> bool:
        return status in GRANT_TRANSITIONS.get(self.status, frozenset())
