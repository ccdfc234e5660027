from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contactcenter.models import ContactChannel, CrisisMessage, RobotIntegration


@admin.register(ContactChannel)
class ContactChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "state", "state_since", "updated_by_text"]
    list_editable = ["position"]
    search_fields = ["name", "key"]
    # The state and the health URL change only through the status board (one method,
    # with a timeline event saying who and when); admin edits the description only.
    readonly_fields = [
        "state",
        "state_since",
        "note",
        "updated_by_text",
        "confirmed_at",
        "health_url",
        "last_probe_at",
        "last_probe_ok",
    ]


@admin.register(CrisisMessage)
class CrisisMessageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "version", "published_at", "published_by_text"]
    list_filter = ["status"]
    # Published text is history: drafts are written and published in the portal.
    readonly_fields = [f.name for f in CrisisMessage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RobotIntegration)
class RobotIntegrationAdmin(admin.ModelAdmin):
    list_display = ["name", "token_hint", "created_at", "rotated_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_hint", "created_at", "rotated_at", "revoked_at", "last_used_at"]
    fields = ["name", *readonly_fields]
    actions = ["revoke_tokens"]

    # Tokens are made and changed on the portal's integrations page, which shows a new
    # token once; the admin may only revoke.
    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        for integration in queryset:
            integration.revoke(actor=request.user)
