"""Entra ID sign-in on allauth's OpenID Connect provider, with the checks it leaves out.

allauth's provider (65.x) skips the ID token's signature in the code flow (OIDC Core
allows that when the token came straight from the token endpoint over TLS) and never
sends or checks a nonce. For the municipality's staff login every ID token is checked
in full here: the signature against the tenant's JWKS (RS256 only), issuer, audience,
expiry, a nonce made for this one login and kept in its state, and the tenant (`tid`).
The account is then found by `oid` alone (SocialAccount.uid, see beredskab.entra).

Only the verified ID token is used: Entra's userinfo endpoint (Microsoft Graph) carries
neither `oid` nor `tid`, and allauth would prefer it to the token.

The provider class replaces allauth's through SOCIALACCOUNT_PROVIDERS["openid_connect"]
["provider_class"]; its login and callback views below replace allauth's, which build
allauth's own adapter and so would skip the checks.
"""

from __future__ import annotations

import hmac
import json
import secrets

import jwt  # pyjwt, from allauth's socialaccount extra
import requests
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from jwt import exceptions as jwt_errors

from beredskab.entra import PROVIDER_ID

# Entra signs ID tokens with RS256; anything else (HS256 with the public key as secret,
# "none") is refused before the key is even looked up.
ALGORITHMS = ["RS256"]
# Seconds of clock difference tolerated between the portal and Entra.
LEEWAY_SECONDS = 60
# The claims kept on SocialAccount.extra_data: what the portal uses, nothing more.
KEPT_CLAIMS = ("oid", "tid", "sub", "iss", "acrs", "roles", "name", "preferred_username")
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "nonce", "tid", "oid"]


# Why a sign-in was refused, as the person is told (the page adds what to do).
REFUSALS = {
    "signature": _("The answer from Entra ID was not signed by the municipality's tenant."),
    "issuer": _("The answer did not come from the municipality's Entra ID."),
    "audience": _("The answer from Entra ID was meant for another application."),
    "expired": _("The answer from Entra ID has expired. Try again."),
    "nonce": _("The answer from Entra ID did not belong to this sign-in. Try again."),
    "tenant": _("Only accounts from the municipality's own tenant can sign in here."),
    "claims": _("The answer from Entra ID lacked information the portal needs."),
    "token": _("The answer from Entra ID could not be read."),
    "unreachable": _("Entra ID did not answer. Try again in a moment."),
    "unknown": _("The sign-in with Entra ID did not complete. Try again."),
    "other_person": _("You confirmed with another account than the one signed in."),
}


def refusal_page(request: HttpRequest, reason: str) -> HttpResponse:
    """The one Danish page for a refused Entra sign-in (403: the answer was refused)."""
    reason = reason if reason in REFUSALS else "unknown"
    return render(
        request,
        "account/entra_refused.html",
        {"reason": REFUSALS[reason], "reason_code": reason},
        status=403,
    )


class TokenRejected(OAuth2Error):
    """An ID token the portal refuses; `reason` picks the Danish page's explanation."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"Entra ID token rejected: {reason}")


def _reason_for(exc: jwt_errors.PyJWTError) -> str:
    if isinstance(exc, jwt_errors.MissingRequiredClaimError):
        return "nonce" if exc.claim == "nonce" else "claims"
    for cls, reason in (
        (jwt_errors.InvalidSignatureError, "signature"),
        (jwt_errors.ExpiredSignatureError, "expired"),
        (jwt_errors.InvalidAudienceError, "audience"),
        (jwt_errors.InvalidIssuerError, "issuer"),
        (jwt_errors.ImmatureSignatureError, "expired"),
    ):
        if isinstance(exc, cls):
            return reason
    return "token"


def verify_id_token(raw: str, *, jwks_uri: str, issuer: str, client_id: str, nonce: str | None):
    """The ID token's claims, or TokenRejected. Every check, in the order a forger meets them."""
    try:
        header = jwt.get_unverified_header(raw)
    except jwt_errors.PyJWTError as exc:
        raise TokenRejected("token") from exc
    if header.get("alg") not in ALGORITHMS or not header.get("kid"):
        raise TokenRejected("signature")
    try:
        _alg, key = jwtkit.fetch_key(raw, jwks_uri, jwtkit.lookup_kid_jwk)
    except OAuth2Error as exc:  # no key with that kid in the tenant's JWKS
        raise TokenRejected("signature") from exc
    try:
        claims = jwt.decode(
            raw,
            key=key,
            algorithms=ALGORITHMS,
            audience=client_id,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt_errors.PyJWTError as exc:
        raise TokenRejected(_reason_for(exc)) from exc
    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
        raise TokenRejected("audience")
    # The nonce was made for this login and kept in its (single-use) state: a token
    # replayed from another login, or one without a nonce, does not match.
    if not nonce or not hmac.compare_digest(str(claims["nonce"]), nonce):
        raise TokenRejected("nonce")
    # Only the municipality's own tenant: a multi-tenant app registration, or a token
    # from another directory, must not sign anyone in.
    if str(claims["tid"]) != settings.ENTRA_TENANT_ID:
        raise TokenRejected("tenant")
    return claims


def authorisation_claims() -> str | None:
    """The `claims` request parameter asking Entra for the Conditional Access
    authentication context (ENTRA_AUTH_CONTEXT) in the ID token's `acrs`."""
    ctx = settings.ENTRA_AUTH_CONTEXT
    if not ctx:
        return None
    return json.dumps({"id_token": {"acrs": {"essential": True, "value": ctx}}})


class EntraAdapter(OpenIDConnectOAuth2Adapter):
    expected_nonce: str | None = None

    def __init__(self, request: HttpRequest, provider_id: str = PROVIDER_ID) -> None:
        super().__init__(request, provider_id)

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        raw = kwargs["response"].get("id_token")
        if not raw:
            raise TokenRejected("token")
        claims = verify_id_token(
            raw,
            jwks_uri=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            client_id=app.client_id,
            nonce=self.expected_nonce,
        )
        data = {"id_token": {k: claims[k] for k in KEPT_CLAIMS if k in claims}}
        return self.get_provider().sociallogin_from_response(request, data)


class EntraProvider(OpenIDConnectProvider):
    oauth2_adapter_class = EntraAdapter

    def get_default_scope(self):
        # `profile` brings `oid`; the e-mail address is the directory's business.
        return ["openid", "profile"]

    def get_redirect_from_request_kwargs(self, request: HttpRequest) -> dict:
        kwargs = super().get_redirect_from_request_kwargs(request)
        # Only a login: "connect" would let a signed-in person bind an oid to their own
        # login (linking is an admin's or provisioning's job), and the request may not
        # add scopes or authorisation parameters (the nonce and claims are ours).
        kwargs["process"] = AuthProcess.LOGIN
        kwargs.pop("scope", None)
        kwargs.pop("auth_params", None)
        return kwargs

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        claims = authorisation_claims()
        if claims:
            auth_params["claims"] = claims
        if request.POST.get("reauth") == "1" and request.user.is_authenticated:
            # Re-authentication (beredskab.reauth): Entra asks for the credentials
            # again, and only the same person may come back (entra_login checks).
            auth_params["prompt"] = "login"
            kwargs["reauth_user"] = request.user.pk
        kwargs["auth_params"] = auth_params
        kwargs["scope"] = self.get_default_scope()
        # Kept in the login's state (the session), checked against the ID token.
        kwargs["nonce"] = nonce
        return super().redirect(request, AuthProcess.LOGIN, next_url, data, **kwargs)

    def extract_common_fields(self, data):
        # Nothing from the token is written onto the login (name, e-mail): the
        # directory and the admin own those.
        return {}

    def extract_email_addresses(self, data):
        return []


class EntraCallbackView(OAuth2CallbackView):
    def _get_state(self, request: HttpRequest, provider):
        # allauth unstashes the state (single use) here; the nonce in it is what the
        # ID token must carry. (_get_state is allauth-internal; allauth is pinned <66.)
        state, response = super()._get_state(request, provider)
        if state is not None:
            if state.get("process") != AuthProcess.LOGIN:
                state["nonce"] = None
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


def _check_provider(provider_id: str) -> None:
    if provider_id != PROVIDER_ID:
        raise Http404


@login_not_required
@require_POST
def login(request: HttpRequest, provider_id: str):
    """POST only: a link on another site must not start a login in the browser."""
    _check_provider(provider_id)
    try:
        return OAuth2LoginView.adapter_view(EntraAdapter(request))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except requests.RequestException:  # the discovery document did not answer
        return refusal_page(request, "unreachable")


@login_not_required
@require_GET
def callback(request: HttpRequest, provider_id: str):
    _check_provider(provider_id)
    try:
        return EntraCallbackView.adapter_view(EntraAdapter(request))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except requests.RequestException:  # discovery did not answer before the token call
        return refusal_page(request, "unreachable")
