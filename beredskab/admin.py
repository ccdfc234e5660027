from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from beredskab import grants, models, timeline
from beredskab.services import directory

User = get_user_model()


class TimelineAdminMixin:
    """Edits made in Django admin land on the object's timeline like portal edits do.

    Only field names are recorded: phone numbers and e-mails stay out of the log.
    """

    timeline_prefix = ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = sorted(form.changed_data)
        changed += [formset.model._meta.model_name for formset in formsets if formset.has_changed()]
        if not change or changed:
            kind = f"{self.timeline_prefix}.{'updated' if change else 'created'}"
            timeline.record(form.instance, kind, actor=request.user, data={"changed": changed})


class AbsenceInline(admin.TabularInline):
    model = models.Absence
    extra = 0


@admin.register(models.Person)
class PersonAdmin(TimelineAdminMixin, admin.ModelAdmin):
    """Roles are read-only here: they are granted on the person's page in the portal
    (beredskab.grants). The rest follows the portal's rules: new contact details are
    told at the old ones, a deactivated person loses access, a linked login gets the
    person's granted roles."""

    timeline_prefix = "person"
    list_display = ["name", "title", "department", "is_active"]
    list_select_related = ["department"]
    list_filter = ["department", "roles", "is_active"]
    search_fields = ["name", "email", "employee_number"]
    exclude = ["roles"]
    readonly_fields = ["role_list"]
    inlines = [AbsenceInline]

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return ", ".join(obj.role_labels()) if obj.pk else ""

    def save_model(self, request, obj, form, change):
        # On the request, not on self: one ModelAdmin serves every request at once.
        request._person_before = None
        if change:
            request._person_before = (
                models.Person.objects.filter(pk=obj.pk)
                .values("email", "mobile", "is_active", "user_id")
                .first()
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person, before = form.instance, getattr(request, "_person_before", None)
        if before is None:
            if person.user_id:
                grants.login_linked(person, actor=request.user)
            return
        directory.after_person_saved(person, before, actor=request.user)
        if before["user_id"] != person.user_id:
            previous = User.objects.filter(pk=before["user_id"]).first()
            grants.login_linked(person, previous_user=previous, actor=request.user)


@admin.register(models.Department)
class DepartmentAdmin(TimelineAdminMixin, admin.ModelAdmin):
    timeline_prefix = "department"
    list_display = ["name", "kind", "parent", "deputy"]
    list_select_related = ["parent", "deputy"]
    search_fields = ["name"]
    filter_horizontal = ["leaders"]


@admin.register(models.Supplier)
class SupplierAdmin(TimelineAdminMixin, admin.ModelAdmin):
    timeline_prefix = "supplier"
    search_fields = ["name"]
    list_display = ["name", "support_phone", "support_email"]


@admin.register(models.System)
class SystemAdmin(TimelineAdminMixin, admin.ModelAdmin):
    timeline_prefix = "system"
    list_display = ["name", "supplier", "hosting", "confidentiality", "availability", "integrity"]
    list_select_related = ["supplier"]
    search_fields = ["name", "purpose"]
    list_filter = ["hosting", "is_example"]


class StepInline(admin.StackedInline):
    model = models.EscalationStep
    extra = 0
    filter_horizontal = ["notify_roles", "notify_people"]


@admin.register(models.EscalationChain)
class EscalationChainAdmin(TimelineAdminMixin, admin.ModelAdmin):
    timeline_prefix = "chain"
    list_display = ["name", "event_kind", "is_active"]
    inlines = [StepInline]


@admin.register(models.InfoLink)
class InfoLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "url"]


@admin.register(models.TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["subject_type", "subject_id", "seq", "at", "kind", "actor_text"]
    list_filter = ["subject_type", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
