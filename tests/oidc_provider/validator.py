"""Entra-shaped ID tokens, and the misbehaviours the tests ask for."""

import base64
import json
import time

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import state as control

FOREIGN_TENANT = "99999999-9999-4999-8999-999999999999"
# Made once per process: a key the portal has never seen, for "bad_signature".
ROGUE_KEY = jwk.JWK.generate(kty="RSA", size=2048)


def _b64json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class EntraShapedValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        user = control.load()["users"].get(request.user.username, {})
        claims = {"tid": user.get("tid", ""), "oid": user.get("oid", "")}
        claims["name"] = user.get("name", request.user.username)
        for extra in ("email", "preferred_username"):
            if user.get(extra):
                claims[extra] = user[extra]
        if user.get("roles"):
            claims["roles"] = user["roles"]
        if user.get("acrs"):
            claims["acrs"] = user["acrs"]
        return claims

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        state = control.load()
        header_b64, claims_b64, _sig = serialized.split(".")
        header, claims = _b64json(header_b64), _b64json(claims_b64)
        if claims.get("nonce"):
            state["nonces"].append(claims["nonce"])
            control.save(state)
        what = state["misbehave"]
        if not what:
            return serialized
        key = request.client.jwk_key
        now = int(time.time())
        if what == "wrong_audience":
            claims["aud"] = "another-application"
        elif what == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif what == "repeat_nonce":
            seen = state["nonces"]
            claims["nonce"] = seen[-2] if len(seen) > 1 else "an-old-nonce"
        elif what == "missing_nonce":
            claims.pop("nonce", None)
        elif what == "foreign_tenant":
            claims["tid"] = FOREIGN_TENANT
        elif what == "wrong_issuer":
            claims["iss"] = "https://login.example.invalid/other/v2.0"
        elif what == "bad_signature":
            key = ROGUE_KEY  # same kid in the header, another key's signature
        token_ = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
        token_.make_signed_token(key)
        return token_.serialize()
