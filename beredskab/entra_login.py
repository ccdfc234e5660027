"""The Entra sign-in's hooks into allauth: which app exists, who may come in, the
second-factor stage, and the proof kept in the session.

- The SocialApp comes from settings (ENTRA_*) only, never from database rows, so no
  admin screen can add another identity provider.
- A sign-in creates nothing: an oid that is not linked to an active login gets the
  Danish page "Du er ikke oprettet i portalen" (403), and no e-mail ever connects an
  account (SOCIALACCOUNT_EMAIL_AUTHENTICATION is off, and no e-mail is read).
- allauth.mfa asks a login with an activated authenticator (TOTP, passkey) for it;
  the stage below does that for Entra sign-ins as for passwords, except when the
  ID token proved a second factor at Entra (beredskab.entra.proof_in_claims).
"""

from __future__ import annotations

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.shortcuts import render

from beredskab import entra


def _claims_of(sociallogin) -> dict:
    if sociallogin is None or sociallogin.account.provider != entra.PROVIDER_ID:
        return {}
    return dict((sociallogin.account.extra_data or {}).get("id_token") or {})


def login_proves_mfa(sociallogin) -> bool:
    claims = _claims_of(sociallogin)
    return bool(claims) and entra.proof_in_claims(claims)


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        if not entra.is_configured():
            return []
        if provider not in (None, "openid_connect", entra.PROVIDER_ID):
            return []
        if client_id and client_id != settings.ENTRA_CLIENT_ID:
            return []
        app = SocialApp(
            provider="openid_connect",
            provider_id=entra.PROVIDER_ID,
            name="Entra ID",
            client_id=settings.ENTRA_CLIENT_ID,
            secret=settings.ENTRA_CLIENT_SECRET,
            settings={
                "server_url": entra.authority_url(),
                "oauth_pkce_enabled": True,
                "uid_field": "oid",
                "fetch_userinfo": False,
            },
        )
        return [app]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        # The token is verified (beredskab.entra_oidc); now: is this oid one of ours?
        user = entra.login_for_oid(sociallogin.account.uid)
        if user is None or not sociallogin.is_existing or sociallogin.user.pk != user.pk:
            raise ImmediateHttpResponse(render(request, "account/entra_unknown.html", status=403))
        reauth_user = (sociallogin.state or {}).get("reauth_user")
        if reauth_user is not None and reauth_user != user.pk:
            # A re-authentication must prove the same person, not switch to another.
            from beredskab.entra_oidc import refusal_page

            raise ImmediateHttpResponse(refusal_page(request, "other_person"))
        if settings.ENTRA_ROLE_SOURCE == "token":
            from beredskab.entra_roles import apply_token_roles

            apply_token_roles(user, _claims_of(sociallogin).get("roles") or [])

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        from beredskab.entra_oidc import refusal_page

        reason = getattr(exception, "reason", None)
        if reason is None:
            unreachable = isinstance(exception, requests.RequestException)
            reason = "unreachable" if unreachable else "unknown"
        raise ImmediateHttpResponse(refusal_page(request, reason))


class EntraAwareAuthenticateStage(AuthenticateStage):
    """allauth.mfa's second-factor stage, skipped when the Entra sign-in proved one."""

    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if login_proves_mfa(sociallogin):
            return False
        return super()._should_handle(request)


def on_login(sender, request, user, sociallogin=None, **kwargs) -> None:
    """allauth's user_logged_in (connected in BeredskabConfig.ready), sent once the login
    is complete (all stages passed): the session holds this login's Entra proof, and
    only this login's. A password login never has one."""
    request.session[entra.MFA_PROOF_SESSION_KEY] = login_proves_mfa(sociallogin)
