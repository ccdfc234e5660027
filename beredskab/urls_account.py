"""/accounts/: the login on django-allauth, under allauth's URL names and, for the many
templates and tests that use them, Django's usual names too (login, logout,
password_change, password_reset, ...). Only the pages the portal uses are exposed:
no sign-up form, no e-mail management of allauth's own. The second factor's pages are
under 2fa/ (beredskab/urls_mfa.py)."""

from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from beredskab import entra_oidc
from beredskab.views import account, emergency

RESET_KEY = r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$"

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="account_login"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="account_logout"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    # Closed (the adapter says so): shows "sign-up is closed"; allauth links to it by name.
    path("signup/", allauth_views.signup, name="account_signup"),
    path("reauth/", account.reauth, name="reauth"),
    # "Log ind med SMS-kode": exists only while the emergency mode is on (404 otherwise).
    path("sms/", emergency.sms_login_request, name="sms_login"),
    path("sms/kode/", emergency.sms_login_code, name="sms_login_code"),
    # Entra ID sign-in (allauth's URL names, which its provider reverses); only the
    # provider_id "entra" answers. The callback is what the tenant registers.
    path("oidc/<str:provider_id>/login/", entra_oidc.login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        entra_oidc.callback,
        name="openid_connect_callback",
    ),
    path("2fa/", include("beredskab.urls_mfa")),
    path("email/", account.email_change, name="account_email"),
    path("email/", account.email_change, name="email_change"),
    path("password/change/", account.PasswordChangeView.as_view(), name="account_change_password"),
    path("password/change/", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/set/", allauth_views.password_set, name="account_set_password"),
    path("password/reset/", account.PasswordResetView.as_view(), name="account_reset_password"),
    path("password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        allauth_views.password_reset_done,
        name="account_reset_password_done",
    ),
    path("password/reset/done/", allauth_views.password_reset_done, name="password_reset_done"),
    re_path(
        RESET_KEY,
        account.PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
    re_path(RESET_KEY, account.PasswordResetFromKeyView.as_view(), name="password_reset_confirm"),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="password_reset_complete",
    ),
]
