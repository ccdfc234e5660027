from django.contrib import admin

from incidents.models import (
    Advice,
    Assessment,
    DpcAdjustment,
    Incident,
    KindChain,
    Notification,
    RiskFacts,
    StandInAct,
)


@admin.register(KindChain)
class KindChainAdmin(admin.ModelAdmin):
    list_display = ["kind", "chain"]
    list_editable = ["chain"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    # Read-only: changes go through the portal so they land on the timeline.
    list_display = ["reference", "kind", "status", "severity", "reported_at"]
    list_filter = ["status", "kind", "severity"]
    search_fields = ["reference"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment, Notification, DpcAdjustment, Advice, RiskFacts, StandInAct)
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
