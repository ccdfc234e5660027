"""The portal's URLs plus allauth.mfa's (exposed by the mfa package); for the test that
a break-glass account with a TOTP is asked for it."""

from django.urls import include, path

from beredskab.urls import urlpatterns as portal

urlpatterns = [path("accounts/2fa/", include("allauth.mfa.urls")), *portal]
