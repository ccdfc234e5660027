"""/accounts/2fa/: allauth.mfa's pages under its own URL names, each behind the
portal's rules (beredskab/views/mfa.py). allauth's own re-authentication pages are not
exposed: beredskab.reauth is the one re-authentication, and asks for the factor too."""

from allauth.mfa.base import views as base_views
from allauth.mfa.recovery_codes import views as rc_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.urls import path

from beredskab.views import mfa
from beredskab.views.mfa import guarded, guarded_add

urlpatterns = [
    path("", base_views.index, name="mfa_index"),
    path("start/", mfa.enrol, name="mfa_enrol"),
    path("authenticate/", mfa.authenticate, name="mfa_authenticate"),
    path("totp/activate/", guarded_add(totp_views.activate_totp), name="mfa_activate_totp"),
    path("totp/deactivate/", guarded(totp_views.deactivate_totp), name="mfa_deactivate_totp"),
    path(
        "recovery-codes/",
        guarded(rc_views.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "recovery-codes/generate/",
        guarded(rc_views.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "recovery-codes/download/",
        guarded(rc_views.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path("webauthn/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("webauthn/add/", guarded_add(webauthn_views.add_webauthn), name="mfa_add_webauthn"),
    path(
        "webauthn/keys/<int:pk>/remove/",
        guarded(webauthn_views.remove_webauthn),
        name="mfa_remove_webauthn",
    ),
    path(
        "webauthn/keys/<int:pk>/edit/",
        guarded(webauthn_views.edit_webauthn),
        name="mfa_edit_webauthn",
    ),
]
