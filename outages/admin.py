from django.contrib import admin

from outages.models import (
    AffectedSystem,
    Campaign,
    ColumnMapping,
    EtaEstimate,
    ExerciseNumber,
    SystemOutage,
)


class AffectedInline(admin.TabularInline):
    model = AffectedSystem
    extra = 0


class EtaInline(admin.TabularInline):
    model = EtaEstimate
    extra = 0


@admin.register(SystemOutage)
class SystemOutageAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "reported_at", "declared_at", "restored_at"]
    list_filter = ["status"]
    inlines = [AffectedInline, EtaInline]
    # Status moves only through the model's transitions (and the timeline).
    readonly_fields = ["status"]


@admin.register(ExerciseNumber)
class ExerciseNumberAdmin(admin.ModelAdmin):
    """The exercise test list: an exercise campaign sends only to these numbers."""

    list_display = ["label", "number"]
    search_fields = ["label"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    # Citizens' recipients are not shown here; the campaign's pages show them to frontdesk.
    list_display = ["pk", "place", "status", "is_exercise", "created_at", "created_by_text"]
    list_filter = ["status", "is_exercise"]
    # Status moves only through the services' transitions (and the timeline).
    readonly_fields = [
        "status",
        "import_summary",
        "created_by_id",
        "cancelled_at",
        "closed_at",
        "ended_at",
        "purged_at",
        "nonce",
    ]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["pk", "updated_at"]
