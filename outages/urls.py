from django.urls import path

from outages.views import (
    binder,
    campaign_bookings,
    campaign_message,
    campaigns,
    playbooks,
    power,
    report,
    status,
    steps,
)

app_name = "outages"

urlpatterns = [
    path("", status.index, name="index"),
    path("meld/", report.report, name="report"),
    path("<int:pk>/", report.detail, name="detail"),
    path("<int:pk>/frigiv/", report.release, name="release"),
    path("<int:pk>/erklaer/", steps.declare, name="declare"),
    path("<int:pk>/afvis/", steps.dismiss, name="dismiss"),
    path("<int:pk>/leverandoer/", steps.contacted, name="contacted"),
    path("<int:pk>/eta/", steps.eta, name="eta"),
    path("<int:pk>/genopretter/", steps.restoring, name="restoring"),
    path("<int:pk>/genoprettet/", steps.restored, name="restored"),
    path("<int:pk>/luk/", steps.close, name="close"),
    # Power outages: the playbook run as a live checklist.
    path("strom/", power.power_list, name="power_list"),
    path("strom/erklaer/", power.power_declare, name="power_declare"),
    path("strom/<int:pk>/", power.power, name="power"),
    path("strom/<int:pk>/punkt/<int:item_pk>/", power.power_item, name="power_item"),
    path("strom/<int:pk>/status/", power.power_status, name="power_status"),
    path("strom/<int:pk>/luk/", power.power_close, name="power_close"),
    # Playbooks and Appendix 1 (Bilag 1).
    path("drejeboger/", playbooks.playbook_list, name="playbooks"),
    path("drejeboger/<int:pk>/", playbooks.playbook, name="playbook"),
    path("drejeboger/<int:pk>/afsnit/", playbooks.section_add, name="section_add"),
    path("drejeboger/<int:pk>/punkt/", playbooks.item_add, name="item_add"),
    path("drejeboger/<int:pk>/punkt/<int:item_pk>/", playbooks.item_edit, name="item_edit"),
    path(
        "drejeboger/<int:pk>/punkt/<int:item_pk>/slet/",
        playbooks.item_delete,
        name="item_delete",
    ),
    # Booking cancellation by mass SMS (campaigns go by id: no citizen's data in URLs).
    path("aflysninger/", campaigns.campaign_list, name="campaigns"),
    path("aflysninger/ny/", campaigns.campaign_new, name="campaign_new"),
    path("aflysninger/<int:pk>/", campaigns.campaign, name="campaign"),
    path(
        "aflysninger/<int:pk>/bookinger/", campaign_bookings.campaign_import, name="campaign_import"
    ),
    path(
        "aflysninger/<int:pk>/kolonner/",
        campaign_bookings.campaign_mapping,
        name="campaign_mapping",
    ),
    path(
        "aflysninger/<int:pk>/gennemse/",
        campaign_bookings.campaign_preview,
        name="campaign_preview",
    ),
    path("aflysninger/<int:pk>/kontrol/", campaign_bookings.campaign_flags, name="campaign_flags"),
    path(
        "aflysninger/<int:pk>/besked/", campaign_message.campaign_compose, name="campaign_compose"
    ),
    path(
        "aflysninger/<int:pk>/besked/laengde/",
        campaign_message.campaign_count,
        name="campaign_count",
    ),
    path(
        "aflysninger/<int:pk>/bekraeft/", campaign_message.campaign_confirm, name="campaign_confirm"
    ),
    path(
        "aflysninger/<int:pk>/godkend/", campaign_message.campaign_approve, name="campaign_approve"
    ),
    path("aflysninger/<int:pk>/send-igen/", campaigns.campaign_retry, name="campaign_retry"),
    path("aflysninger/<int:pk>/stop/", campaigns.campaign_cancel, name="campaign_cancel"),
    path("aflysninger/<int:pk>/afslut/", campaigns.campaign_close, name="campaign_close"),
    path("aflysninger/<int:pk>/rapport/", campaigns.campaign_report, name="campaign_report"),
    path("beredskabsmappe.pdf", binder.binder_pdf, name="binder"),
    path("bilag-1/", playbooks.appendix, name="appendix"),
    path("bilag-1/ny/", playbooks.appendix_edit, name="appendix_add"),
    path("bilag-1/<int:row_pk>/", playbooks.appendix_edit, name="appendix_edit"),
]
