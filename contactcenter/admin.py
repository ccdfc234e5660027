from django.contrib import admin

from contactcenter.models import ContactChannel


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
