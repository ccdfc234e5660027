"""The shared directory: departments, people and their absences (suppliers and systems
are in systems.py)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from beredskab.roles import Role


class Capability(models.Model):
    """Holds the portal's custom permissions; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        # Filled from beredskab.roles.all_permissions() by the roles data migrations.
        permissions = ()

    def __str__(self) -> str:
        return "capability"


class Department(models.Model):
    class Kind(models.TextChoices):
        FORVALTNING = "forvaltning", _("Forvaltning")
        UNIT = "unit", _("Unit")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    leaders = models.ManyToManyField(
        "Person", verbose_name=_("leaders"), blank=True, related_name="leads"
    )
    deputy = models.ForeignKey(
        "Person",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for_departments",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:department_detail", args=[self.pk])

    @staticmethod
    def subtree_ids(department_ids) -> set[int]:
        """The given departments and every unit under them, at any depth (two queries'
        worth of work: one read of the whole tree). Safe against a cycle in the data."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        out: set[int] = set()
        todo = list(department_ids)
        while todo:
            pk = todo.pop()
            if pk not in out:
                out.add(pk)
                todo.extend(children.get(pk, []))
        return out

    @staticmethod
    def tree(departments) -> list[tuple[Department, list]]:
        """Nest departments under their parents: [(department, [(child, [...]), ...]), ...].

        Built from one list, so it costs no queries of its own. A department whose
        parent is not in the list, or that sits in a cycle, is shown at the top.
        """
        departments = list(departments)
        ids = {d.pk for d in departments}
        children: dict[int | None, list[Department]] = {}
        for d in departments:
            children.setdefault(d.parent_id if d.parent_id in ids else None, []).append(d)
        placed: set[int] = set()

        def nest(parent_id):
            out = []
            for d in children.get(parent_id, []):
                if d.pk not in placed:
                    placed.add(d.pk)
                    out.append((d, nest(d.pk)))
            return out

        roots = nest(None)
        for d in departments:
            if d.pk not in placed:
                placed.add(d.pk)
                roots.append((d, nest(d.pk)))
        return roots

    def ancestors(self) -> list[Department]:
        """Parent, grandparent, ... (stops on a cycle rather than looping forever)."""
        seen: set[int] = {self.pk} if self.pk else set()
        out: list[Department] = []
        node = self.parent
        while node is not None and node.pk not in seen:
            out.append(node)
            seen.add(node.pk)
            node = node.parent
        return out

    def clean(self) -> None:
        if self.parent_id and self.pk:
            if self.parent_id == self.pk or any(a.pk == self.pk for a in self.parent.ancestors()):
                raise ValidationError(
                    {"parent": _("A department cannot be placed under itself or its own units.")}
                )


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def internal(self):
        return self.filter(external_organisation="")

    def with_role(self, role: str):
        return self.filter(roles__name=role).distinct()

    def present_at(self, at: datetime):
        """People not away at `at` (an absence covers [starts_at, ends_at))."""
        return self.exclude(absences__starts_at__lte=at, absences__ends_at__gt=at)


class Person(models.Model):
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = PhoneNumberField(_("mobile"), blank=True, region="DK")
    email = models.EmailField(_("e-mail"), blank=True)
    employee_number = models.CharField(_("employee number"), max_length=64, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    has_it_access = models.BooleanField(_("has IT access"), default=True)
    external_organisation = models.CharField(
        _("external organisation"),
        max_length=150,
        blank=True,
        help_text=_("For people outside the municipality, e.g. the external DPO or a supplier."),
    )
    roles = models.ManyToManyField(
        Group, verbose_name=_("roles"), blank=True, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    deputy = models.ForeignKey(
        "self",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_for",
        help_text=_("Takes this person's place in escalations while they are away."),
    )
    reachable_during_outage = models.BooleanField(_("reachable during an outage"), default=False)
    alternative_mobile = PhoneNumberField(
        _("alternative number during an outage"), blank=True, region="DK"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Provisioning (SCIM, issue 22). external_id is Entra ID's `oid`: sign-in matches
    # on it too (beredskab.scim.people.person_for_external_id).
    external_id = models.CharField(
        _("external id"), max_length=100, null=True, blank=True, unique=True
    )
    scim_user_name = models.CharField(
        _("provisioned user name"), max_length=254, null=True, blank=True, unique=True
    )
    scim_department = models.CharField(_("provisioned department"), max_length=200, blank=True)
    # A provisioned mobile that is not a valid Danish mobile: kept as given, flagged
    # for the systemkoordinator, and not used (mobile stays empty) until fixed.
    mobile_as_given = models.CharField(_("mobile as provisioned"), max_length=60, blank=True)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # The manager's SCIM id as sent; resolved to `manager` when that person arrives.
    manager_ref = models.CharField(_("manager reference"), max_length=100, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # Completion imports match on employee number: it must identify one person.
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~Q(employee_number=""),
                name="person_employee_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    def role_labels(self) -> list[str]:
        """Readable names of this person's roles (uses prefetched roles when there)."""
        labels = []
        for group in self.roles.all():
            try:
                labels.append(str(Role(group.name).label))
            except ValueError:
                labels.append(group.name)
        return sorted(labels)

    @property
    def is_external(self) -> bool:
        return bool(self.external_organisation)

    def is_absent(self, at: datetime | None = None, absent: set[int] | None = None) -> bool:
        """Away at `at`. `absent`: the pks already known to be away then (stand_ins())."""
        if absent is not None:
            return self.pk in absent
        at = at or timezone.now()
        return self.absences.filter(starts_at__lte=at, ends_at__gt=at).exists()

    def can_be_notified(self, at: datetime | None = None, absent: set[int] | None = None) -> bool:
        """Active, present and with a mobile: usable as an escalation recipient."""
        return self.is_active and bool(self.mobile) and not self.is_absent(at, absent)

    def stand_in(
        self, at: datetime | None = None, absent: set[int] | None = None, people=None
    ) -> Person | None:
        """This person, or their deputy while they are away (one hop, no loops).
        `absent` and `people` (pk → Person) are what stand_ins() read in advance."""
        at = at or timezone.now()
        if self.can_be_notified(at, absent):
            return self
        if not self.deputy_id or self.deputy_id == self.pk:
            return None
        deputy = people[self.deputy_id] if people is not None else self.deputy
        return deputy if deputy.can_be_notified(at, absent) else None

    def nearest_leader(self, at: datetime | None = None) -> Person | None:
        """The own unit's leaders (not the person) → the unit's deputy → the parent unit.

        A leader who is absent, inactive or has no mobile is skipped.
        """
        at = at or timezone.now()
        seen: set[int] = set()
        department = self.department
        while department is not None and department.pk not in seen:
            seen.add(department.pk)
            candidates = list(department.leaders.exclude(pk=self.pk).order_by("name", "pk"))
            if department.deputy_id and department.deputy_id != self.pk:
                candidates.append(department.deputy)
            for candidate in candidates:
                if candidate.can_be_notified(at):
                    return candidate
            department = department.parent
        return None

    # No sync_login(): the directory never writes a login (issue 24). Roles reach the
    # login's groups only through the grant transitions in beredskab.grants.


def absent_ids(pks, at: datetime) -> set[int]:
    """Which of these people are away at `at`, in one query."""
    pks = list(pks)
    if not pks:
        return set()
    away = Absence.objects.filter(person_id__in=pks, starts_at__lte=at, ends_at__gt=at)
    return set(away.values_list("person_id", flat=True))


def stand_ins(people, at: datetime) -> list[tuple[Person, Person]]:
    """(who is told, whom they are told for) for each of `people` reachable at `at`:
    the person, or their deputy while they are away (Person.stand_in); each one told
    once. Two queries whatever the number of people: their deputies, and who is away."""
    people = list(people)
    known = {person.pk: person for person in people}
    missing = {p.deputy_id for p in people if p.deputy_id and p.deputy_id not in known}
    if missing:
        known.update(Person.objects.in_bulk(missing))
    absent = absent_ids(known, at)
    out: list[tuple[Person, Person]] = []
    told: set[int] = set()
    for person in people:
        stand_in = person.stand_in(at, absent=absent, people=known)
        if stand_in is not None and stand_in.pk not in told:
            told.add(stand_in.pk)
            out.append((stand_in, person))
    return out


def reachable_deputies(people, at: datetime, exclude=()) -> list[tuple[Person, Person]]:
    """(deputy, whom they stand in for) for each of `people` whose deputy can be told at
    `at`, whether or not the person is away; each deputy once, for the first they stand
    in for, and none whose pk is in `exclude`. Two queries whatever the number."""
    people = list(people)
    found = Person.objects.in_bulk(
        {p.deputy_id for p in people if p.deputy_id and p.deputy_id != p.pk} - set(exclude)
    )
    absent = absent_ids(found, at)
    out: list[tuple[Person, Person]] = []
    for person in people:
        deputy = found.pop(person.deputy_id, None)
        if deputy is not None and deputy.can_be_notified(at, absent):
            out.append((deputy, person))
    return out


class Absence(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="absences"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_start"
            )
        ]
        # Serves "who is away now" in escalation recipient resolution.
        indexes = [models.Index(fields=["person", "ends_at"], name="absence_person_ends")]

    def __str__(self) -> str:
        return f"{self.person}: {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The absence must end after it starts.")})
