"""Create the canonical roles (groups) and the portal's custom permissions.

Production gets them from migrating; the lists live in beredskab.roles, and this
migration is re-runnable: it adds what is missing and fixes group permissions.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from beredskab.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("beredskab", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
