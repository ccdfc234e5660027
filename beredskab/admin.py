from django.contrib import admin

from beredskab import models


class AbsenceInline(admin.TabularInline):
    model = models.Absence
    extra = 0


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "department", "mobile", "is_active"]
    list_filter = ["department", "roles", "is_active"]
    search_fields = ["name", "email", "employee_number"]
    filter_horizontal = ["roles"]
    inlines = [AbsenceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sync_login_groups()


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    filter_horizontal = ["leaders"]


@admin.register(models.Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "support_phone", "support_email"]


@admin.register(models.System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "hosting", "confidentiality", "availability", "integrity"]
    list_filter = ["hosting", "is_example"]


class StepInline(admin.StackedInline):
    model = models.EscalationStep
    extra = 0
    filter_horizontal = ["notify_roles", "notify_people"]


@admin.register(models.EscalationChain)
class EscalationChainAdmin(admin.ModelAdmin):
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
