"""Entra ID sign-in: the questions the rest of the portal asks about it.

- `is_configured()`: is the Entra login offered at all (ENTRA_TENANT_ID, ENTRA_CLIENT_ID
  and ENTRA_CLIENT_SECRET all set)?
- `login_for_oid(oid)`: THE lookup of a login by Entra's immutable object id. A
  SocialAccount(provider="entra", uid=oid) links them; it is made by an admin
  (`manage.py link_entra`) or by provisioning, never by a sign-in. E-mail and name
  are never used to find anyone.
- `has_entra_mfa_proof(request)`: did this session's Entra sign-in prove a second
  factor (the authentication context in `acrs`, or the tenant enforces MFA)?
  The portal's own second-factor policy asks this.

The OpenID Connect machinery (token checks) is beredskab/entra_oidc.py; the sign-in's
hooks (no sign-up, unknown oid, roles, the proof) are beredskab/social_adapter.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy

from beredskab import timeline

# SocialAccount.provider for Entra logins (allauth stores the app's provider_id).
PROVIDER_ID = "entra"
# Session key: True when this session's Entra sign-in carried proof of a second factor.
MFA_PROOF_SESSION_KEY = "entra_mfa_proof"

timeline.register_kind(
    "person.entra_linked",
    gettext_lazy("The login was linked to an Entra ID account and lost its portal password"),
)


def is_configured() -> bool:
    return bool(
        settings.ENTRA_TENANT_ID and settings.ENTRA_CLIENT_ID and settings.ENTRA_CLIENT_SECRET
    )


def authority_url() -> str:
    """Where the tenant's OpenID configuration lives (ENTRA_AUTHORITY_URL overrides it,
    so the tests point it at their local provider)."""
    if settings.ENTRA_AUTHORITY_URL:
        return settings.ENTRA_AUTHORITY_URL.rstrip("/")
    return f"https://login.microsoftonline.com/{settings.ENTRA_TENANT_ID}/v2.0"


def authority_origin() -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(authority_url())
    return f"{parts.scheme}://{parts.netloc}"


def login_for_oid(oid: str):
    """The active login linked to this Entra object id, or None."""
    from allauth.socialaccount.models import SocialAccount

    account = (
        SocialAccount.objects.filter(provider=PROVIDER_ID, uid=str(oid))
        .select_related("user")
        .first()
    )
    if account is None or not account.user.is_active:
        return None
    return account.user


def oid_of(user) -> str | None:
    from allauth.socialaccount.models import SocialAccount

    return (
        SocialAccount.objects.filter(provider=PROVIDER_ID, user=user)
        .values_list("uid", flat=True)
        .first()
    )


def uses_entra(user) -> bool:
    """A login that signs in through Entra ID (and so has no portal password)."""
    return oid_of(user) is not None


class LinkError(Exception):
    pass


@transaction.atomic
def link(user, oid: str, *, actor=None):
    """Link a login to an Entra object id. The login loses its portal password: from
    now on it signs in through Entra ID only, and no password reset applies to it."""
    from allauth.socialaccount.models import SocialAccount

    oid = str(oid).strip().lower()
    taken = SocialAccount.objects.filter(provider=PROVIDER_ID, uid=oid).exclude(user=user)
    if taken.exists():
        raise LinkError(f"oid {oid} is already linked to another login")
    account, _created = SocialAccount.objects.update_or_create(
        provider=PROVIDER_ID, user=user, defaults={"uid": oid}
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person = getattr(user, "person", None)
    if person is not None:
        timeline.record(person, "person.entra_linked", actor=actor, data={"changed": ["login"]})
    return account


def users_without_password_reset(users):
    """Drop the logins that sign in through Entra: a reset mail would give them a portal
    password beside Entra (and its Conditional Access)."""
    from allauth.socialaccount.models import SocialAccount

    users = list(users)
    linked = set(
        SocialAccount.objects.filter(provider=PROVIDER_ID, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in users if u.pk not in linked and u.has_usable_password()]


def proof_in_claims(claims: dict) -> bool:
    """Does this verified ID token prove a second factor at Entra ID?

    v2.0 ID tokens carry no `amr`. The proof is either the Conditional Access
    authentication context the portal asked for (ENTRA_AUTH_CONTEXT) named in `acrs`,
    or the tenant's promise (ENTRA_TENANT_ENFORCES_MFA) that Conditional Access demands
    MFA for this application: the README makes that the tenant's responsibility.
    """
    if settings.ENTRA_TENANT_ENFORCES_MFA:
        return True
    ctx = settings.ENTRA_AUTH_CONTEXT
    acrs = claims.get("acrs") or []
    if isinstance(acrs, str):
        acrs = [acrs]
    return bool(ctx) and ctx in acrs


def has_entra_mfa_proof(request) -> bool:
    return bool(getattr(request, "session", None) and request.session.get(MFA_PROOF_SESSION_KEY))
