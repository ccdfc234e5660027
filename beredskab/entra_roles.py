"""Roles from the Entra ID token (ENTRA_ROLE_SOURCE = "token").

At each sign-in the ID token's `roles` claim (the app roles assigned to the person in
the tenant) is mapped through ENTRA_APP_ROLE_MAP to portal roles and applied through
beredskab.grants.sync_from_provisioning: added and removed grants are on the person's
timeline and told by e-mail. App roles without a mapping are ignored. With the default
source "scim", provisioning owns roles and the token's are not read.
"""

from __future__ import annotations

import logging

from django.conf import settings

from beredskab import grants

log = logging.getLogger(__name__)


def portal_roles(app_roles) -> set[str]:
    if isinstance(app_roles, str):
        app_roles = [app_roles]
    mapping = settings.ENTRA_APP_ROLE_MAP
    out = {mapping[r] for r in app_roles if isinstance(r, str) and r in mapping}
    unknown = out - grants.ALL_ROLES
    if unknown:
        log.warning("ENTRA_APP_ROLE_MAP names roles the portal does not have: %s", unknown)
    return out & grants.ALL_ROLES


def apply_token_roles(user, app_roles) -> dict | None:
    person = getattr(user, "person", None)
    if person is None:
        return None
    return grants.sync_from_provisioning(person, portal_roles(app_roles), source="Entra ID")
