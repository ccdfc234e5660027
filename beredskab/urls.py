from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from beredskab.notify import webhook_gatewayapi, webhooks
from beredskab.views import (
    demo_sms,
    emergency,
    grants,
    health,
    infosec,
    my_account,
    pages,
    provisioning,
)

infosec_patterns = [
    path("", infosec.index, name="infosec"),
    path("ny/", infosec.create, name="infosec_add"),
    path("<int:pk>/rediger/", infosec.edit, name="infosec_edit"),
    path("<int:pk>/slet/", infosec.delete, name="infosec_delete"),
    path("<int:pk>/flyt/", infosec.move, name="infosec_move"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("informationssikkerhed/", include(infosec_patterns)),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/full", health.healthz_full, name="healthz_full"),
    path("demo/sms/", demo_sms.console_sms, name="demo_sms"),
    path("accounts/", include("beredskab.urls_account")),
    path("konto/", my_account.my_account, name="my_account"),
    path("konto/log-ud-overalt/", my_account.log_out_everywhere, name="log_out_everywhere"),
    # The language switch works before login too (it is on the login page).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("directory/", include("beredskab.urls_directory")),
    # "Afventer godkendelse": everything that waits for a second person.
    path("afventer/", grants.pending, name="pending"),
    path("afventer/roller/<int:pk>/", grants.role_grant_decide, name="role_grant_decide"),
    # The emergency mode (sign-in by SMS code while Entra ID is down).
    path("noedmode/", emergency.emergency_mode, name="emergency_mode"),
    path("afventer/deaktiveringer/", provisioning.held, name="scim_held"),
    # What provisioning (SCIM) leaves for people to decide: beredskab/views/provisioning.py.
    path("provisionering/", provisioning.index, name="provisioning"),
    path(
        "provisionering/afdeling/<int:pk>/",
        provisioning.department_mapping,
        name="provisioning_department",
    ),
    path("provisionering/gruppe/", provisioning.mapping_add, name="provisioning_mapping_add"),
    path(
        "provisionering/gruppe/<int:pk>/godkend/",
        provisioning.mapping_approve,
        name="provisioning_mapping_approve",
    ),
    path(
        "provisionering/gruppe/<int:pk>/slet/",
        provisioning.mapping_delete,
        name="provisioning_mapping_delete",
    ),
    path(
        "provisionering/person/<int:pk>/genaktiver/",
        provisioning.reactivate,
        name="provisioning_reactivate",
    ),
    path("incidents/", include("incidents.urls")),
    path("outages/", include("outages.urls")),
    # The offline copy's service worker: at the root, so its scope is the whole site.
    # Feature apps are included by name only: beredskab imports none of them.
    path("", include("outages.urls_root")),
    path("contactcenter/", include("contactcenter.urls")),
    # The phone robot fetches the crisis message here with its bearer token (no login).
    path("api/robot/", include("contactcenter.urls_api")),
    path("training/", include("training.urls")),
    path("broadcasts/", include("beredskab.urls_broadcast")),
    path("webhooks/twilio/status", webhooks.twilio_status, name="twilio_status"),
    path(
        "webhooks/gatewayapi/status",
        webhook_gatewayapi.gatewayapi_status,
        name="gatewayapi_status",
    ),
    # Escalation runs and the short acknowledgement link (/a/<token>/) sent by SMS.
    path("", include("beredskab.urls_escalation")),
    # SCIM 2.0 provisioning from Entra ID (bearer token, no login): beredskab/scim.
    path("scim/v2/", include("beredskab.scim.urls")),
    path("admin/", admin.site.urls),
]

# The portal's own error pages (beredskab/views/errors.py); CSRF_FAILURE_VIEW in settings.
# A database that is away gets 503 + Retry-After from the 500 handler.
handler400 = "beredskab.views.errors.bad_request"
handler403 = "beredskab.views.errors.permission_denied"
handler404 = "beredskab.views.errors.page_not_found"
handler500 = "beredskab.views.errors.server_error"
