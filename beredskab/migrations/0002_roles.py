"""Create the canonical roles (groups) and the portal's custom permissions.

Production gets them from migrating; the lists live in beredskab.roles, and this
migration is re-runnable: it adds what is missing and fixes group permissions.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from beredskab.roles import PERMISSIONS, ROLE_PERMISSIONS

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    content_type, _ = ContentType.objects.get_or_create(app_label="beredskab", model="capability")
    permissions = {}
    for codename, name in PERMISSIONS.items():
        permission, _ = Permission.objects.update_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions[codename] = permission
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        group.permissions.set([permissions[c] for c in codenames])


class Migration(migrations.Migration):
    dependencies = [
        ("beredskab", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
