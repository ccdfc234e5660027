"""The one canonical list of roles and the portal's custom permissions.

Roles are Django groups (named by the role's code) created by a data migration, so
production has them without fixtures. Object rules live in each app's access.py;
this module only says which role holds which capability.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskab import extensions


class Role(models.TextChoices):
    MEDARBEJDER = "medarbejder", _("Employee")
    LEDER = "leder", _("Leader")
    SYSTEMKOORDINATOR = "systemkoordinator", _("Systemkoordinator")
    EKSTERN_DPO = "ekstern_dpo", _("External DPO")
    IT = "it", _("IT department")
    FRONTDESK = "frontdesk", _("Frontdesk")
    BEREDSKABSGRUPPE = "beredskabsgruppe", _("Beredskabsgruppe")
    KONTAKTCENTER = "kontaktcenter", _("Contact centre")
    KONTAKTCENTERLEDER = "kontaktcenterleder", _("Contact centre leader")
    ADMIN = "admin", _("Administrator")


# The core's own permissions, codename -> description. Feature apps contribute theirs
# (beredskab.extensions.Permission); all_permissions() is the whole list. Stored on
# beredskab.Capability (an unmanaged model with no table) so that every app's
# sensitive acts share one content type.
CORE_PERMISSIONS: dict[str, str] = {
    "manage_directory": "Can edit departments, people, suppliers and systems",
    "manage_chains": "Can edit escalation chains",
    "test_chain": "Can start a test run of an escalation chain",
    "edit_infosec_page": "Can edit the information-security page",
    "send_broadcast": "Can send messages to departments and write press texts",
    "manage_media_list": "Can keep the media list press texts go to",
}

# Which role holds which of the core's permissions (an admin holds every permission).
CORE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.LEDER: ["send_broadcast"],
    Role.SYSTEMKOORDINATOR: [
        "manage_directory",
        "manage_chains",
        "test_chain",
        "edit_infosec_page",
        "send_broadcast",
    ],
    Role.KONTAKTCENTER: ["send_broadcast"],
    Role.KONTAKTCENTERLEDER: ["send_broadcast", "manage_media_list"],
}


def all_permissions() -> dict[str, str]:
    """Every portal permission, codename -> description: the core's and the apps'."""
    out = dict(CORE_PERMISSIONS)
    for permission in extensions.permissions():
        if permission.codename in out:
            raise ValueError(f"permission {permission.codename!r} is defined twice")
        out[permission.codename] = permission.description
    return out


def role_permissions() -> dict[str, list[str]]:
    """Role -> the codenames its group holds, for every role."""
    out: dict[str, list[str]] = {str(role): [] for role in Role}
    for role, codenames in CORE_ROLE_PERMISSIONS.items():
        out[str(role)].extend(codenames)
    for permission in extensions.permissions():
        for role in permission.roles:
            out[str(role)].append(permission.codename)
    out[str(Role.ADMIN)] = list(all_permissions())
    return out


# Roles held only by people outside the municipality: no mandatory courses for them.
EXTERNAL_ROLES = {Role.EKSTERN_DPO}


def perm(codename: str) -> str:
    """The dotted name for user.has_perm()."""
    if codename not in CORE_PERMISSIONS and not extensions.has_permission(codename):
        raise KeyError(f"unknown portal permission {codename!r}")
    return f"beredskab.{codename}"


def _access_sql() -> str:
    """Roles and permissions of one user in one statement (table names from the models)."""
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType

    user_groups = User.groups.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    user_perms = User.user_permissions.through._meta.db_table
    group, permission = Group._meta.db_table, Permission._meta.db_table
    content_type = ContentType._meta.db_table
    return (
        f"SELECT g.name, ct.app_label, p.codename FROM {user_groups} ug"
        f" JOIN {group} g ON g.id = ug.group_id"
        f" LEFT JOIN {group_perms} gp ON gp.group_id = g.id"
        f" LEFT JOIN {permission} p ON p.id = gp.permission_id"
        f" LEFT JOIN {content_type} ct ON ct.id = p.content_type_id"
        " WHERE ug.user_id = %s"
        " UNION ALL"
        f" SELECT NULL, ct.app_label, p.codename FROM {user_perms} up"
        f" JOIN {permission} p ON p.id = up.permission_id"
        f" JOIN {content_type} ct ON ct.id = p.content_type_id"
        " WHERE up.user_id = %s"
    )


def load_access(user) -> None:
    """Read a user's roles and permissions together, in one query, into the caches that
    user_roles() and Django's ModelBackend (user.has_perm) read.

    Every page asks both: the menu and the banner ask for roles, every view for a
    permission; Django alone spends three queries on them. A superuser's permissions
    are left to ModelBackend (it grants them all); so are an inactive user's (none).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    user._beredskab_roles = {name for name, _, _ in rows if name is not None}
    if user.is_superuser or not user.is_active:
        return
    user._group_perm_cache = {
        f"{app}.{code}" for name, app, code in rows if name is not None and code is not None
    }
    user._user_perm_cache = {f"{app}.{code}" for name, app, code in rows if name is None}
    user._perm_cache = user._user_perm_cache | user._group_perm_cache


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_beredskab_roles", None) is None:
        load_access(user)
    return user._beredskab_roles


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def sync_roles(apps=None) -> None:
    """Create the role groups and permissions, and set each group's permissions.

    Idempotent. The roles migration calls it with the historical app registry; tests
    call it after a flush emptied the tables (a transactional test does that).
    """
    if apps is None:
        from django.apps import apps
    content_types = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")

    content_type, _ = content_types.objects.get_or_create(app_label="beredskab", model="capability")
    permissions = {}
    for codename, name in all_permissions().items():
        permission, _ = permission_model.objects.update_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions[codename] = permission
    for role, codenames in role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=str(role))
        group.permissions.set([permissions[c] for c in codenames])


def roles_holding(codename: str) -> list[str]:
    """The roles whose groups hold portal permission `codename` (the 403 page names them)."""
    perm(codename)
    return [role for role, codenames in role_permissions().items() if codename in codenames]


def labels_of(codes) -> list[str]:
    """Role codes as their names, in the reader's language (unknown codes as they are)."""
    names = dict(Role.choices)
    return [str(names.get(code, code)) for code in codes]
