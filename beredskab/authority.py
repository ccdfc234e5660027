"""Who holds power: the one list of privileged roles, and who may grant which role.

*Privileged* (the authority issue's word, also used by sign-in and provisioning):
the roles admin, systemkoordinator and it, and any role holding a permission that
reaches outside the portal or grants power (mass SMS, broadcasts and press, voice
forwarding, robot tokens, role grants). Everything that asks "is this powerful?"
asks here, so a new permission that reaches outside only has to be added once.
"""

from __future__ import annotations

from beredskab import extensions
from beredskab.roles import Role, role_permissions

# Roles privileged by what they are, whatever permissions they hold today.
PRIVILEGED_BY_NATURE: frozenset[str] = frozenset({Role.ADMIN, Role.SYSTEMKOORDINATOR, Role.IT})

# The core's permissions that reach outside the portal (SMS, e-mail, calls) or grant
# power. A feature app marks its own (mass SMS, the phone robot's message, its tokens
# and voice forwarding) with Permission(outside=True) in beredskab.extensions.
CORE_OUTSIDE_PERMISSIONS: frozenset[str] = frozenset(
    {
        "send_broadcast",
        "manage_media_list",  # where press texts may go
        "manage_directory",  # role grants and the contact data links are sent to
    }
)


def outside_permissions() -> frozenset[str]:
    contributed = {p.codename for p in extensions.permissions() if p.outside}
    return CORE_OUTSIDE_PERMISSIONS | contributed


def privileged_roles() -> frozenset[str]:
    """Every privileged role: by nature, or by holding an outside permission."""
    outside = outside_permissions()
    by_permission = {
        str(role) for role, codes in role_permissions().items() if outside & set(codes)
    }
    return frozenset({str(r) for r in PRIVILEGED_BY_NATURE} | by_permission)


def is_privileged(role: str) -> bool:
    return str(role) in privileged_roles()


# Which role may grant (and remove) which roles. Nobody grants anything to themself;
# a privileged role also needs a second person who may grant it (see beredskab.grants).
_ALL = frozenset(str(r) for r in Role)
GRANTS: dict[str, frozenset[str]] = {
    Role.ADMIN: _ALL,
    Role.SYSTEMKOORDINATOR: _ALL - {str(Role.ADMIN), str(Role.SYSTEMKOORDINATOR)},
    Role.KONTAKTCENTERLEDER: frozenset({str(Role.KONTAKTCENTER)}),
}


def grantable_by(roles) -> frozenset[str]:
    """The roles that someone holding `roles` may grant or remove."""
    out: set[str] = set()
    for role in roles:
        out |= GRANTS.get(str(role), frozenset())
    return frozenset(out)


def may_grant(granter_roles, role: str) -> bool:
    return str(role) in grantable_by(granter_roles)
