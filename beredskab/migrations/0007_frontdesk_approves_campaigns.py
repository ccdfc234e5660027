"""Frontdesk may approve a booking-cancellation campaign (a second person from
frontdesk or a leader): re-sync the role groups' permissions from beredskab.roles."""

from django.db import migrations


def sync(apps, schema_editor):
    from beredskab.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("beredskab", "0006_broadcasts")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
