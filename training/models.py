"""Mandatory security training: modules of courses, assignments per person, completions.

The plan (section 2): every employee with IT access completes the onboarding module;
groups then get courses aimed at their work; all are mandatory, with weekly reminders
until they are done. The courses themselves live on the e-learning platform (Mindzeed);
the portal only knows who must take which, by when, and who has.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beredskab.models import Department, Person


class Module(models.Model):
    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Stable id used by load_plan.")
    )
    name = models.CharField(_("name"), max_length=150)
    for_everyone = models.BooleanField(
        _("for everyone with IT access"),
        default=False,
        help_text=_("The onboarding module. Otherwise the roles and departments below."),
    )
    roles = models.ManyToManyField(Group, verbose_name=_("roles"), blank=True, related_name="+")
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
        help_text=_("Their units are included."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.name


class DeadlineFrom(models.TextChoices):
    START_DATE = "start_date", _("The person's start date (or the assignment, if later)")
    ASSIGNED = "assigned", _("The day the course was assigned")


class Course(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="courses"
    )
    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Stable id used by load_plan.")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link to the course"), max_length=500)
    deadline_days = models.PositiveSmallIntegerField(
        _("days to complete"), default=30, validators=[MinValueValidator(1)]
    )
    deadline_from = models.CharField(
        _("counted from"), max_length=20, choices=DeadlineFrom, default=DeadlineFrom.ASSIGNED
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["module__position", "position", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def due_on(self, person: Person, assigned_on: date) -> date:
        """The deadline for `person` assigned on `assigned_on`. From the start date, a
        course assigned long after the person started is still due N days from the
        assignment: nobody is overdue the moment a course is introduced."""
        base = assigned_on
        if self.deadline_from == DeadlineFrom.START_DATE and person.start_date:
            base = max(person.start_date, assigned_on)
        return base + timedelta(days=self.deadline_days)


class CompletionSource(models.TextChoices):
    IMPORT = "import", _("Imported from the e-learning platform")
    LEADER = "leader", _("Recorded by a leader")


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        """Assignments that count: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def done(self):
        return self.current().filter(completed_on__isnull=False)

    def outstanding(self):
        return self.current().filter(completed_on__isnull=True)

    def overdue(self, today: date):
        return self.outstanding().filter(due_on__lt=today)


class Assignment(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("assigned"))
    due_on = models.DateField(_("due"))
    # Set when the person no longer belongs to the course's audience and had not done
    # it. A completed course is never withdrawn; a withdrawn one comes back if they do.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    completion_source = models.CharField(
        _("recorded from"), max_length=10, choices=CompletionSource, blank=True
    )
    completion_note = models.CharField(_("note"), max_length=500, blank=True)
    completion_recorded_at = models.DateTimeField(null=True, blank=True)
    completion_recorded_by = models.CharField(max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "course__position"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # One assignment per person and course: sync_assignments relies on it.
            models.UniqueConstraint(fields=["person", "course"], name="assignment_unique"),
        ]
        indexes = [
            # The weekly reminder job: outstanding assignments by person.
            models.Index(
                fields=["person"],
                name="assignment_outstanding",
                condition=Q(withdrawn_at__isnull=True, completed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.course}"

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.withdrawn_at is None and self.due_on < today
