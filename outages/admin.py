from django.contrib import admin

from outages.models import AffectedSystem, EtaEstimate, SystemOutage


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
