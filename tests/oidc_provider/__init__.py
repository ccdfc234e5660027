"""A real OpenID provider for the Entra ID sign-in tests: django-oauth-toolkit with OIDC
and an RS256 key made at start, run as a separate process (tests/oidc_provider/run.py,
started by the `oidc_provider` fixture in tests/beredskab/entra_support.py). It issues
Entra-shaped ID tokens (tid, oid, acrs, roles) and misbehaves when told to (POST
/control/): wrong audience, expired, repeated or missing nonce, bad signature, foreign
tenant, wrong issuer. Not part of the portal."""
