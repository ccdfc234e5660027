"""In PostgreSQL, forbid UPDATE and DELETE on the timeline table.

The hash chain makes tampering evident; this trigger makes it take a superuser who
drops the trigger first. TRUNCATE (used by test flushes) is not a row operation.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION beredskab_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the timeline is append-only: %% on beredskab_timelineevent is forbidden', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER beredskab_timeline_append_only
BEFORE UPDATE OR DELETE ON beredskab_timelineevent
FOR EACH ROW EXECUTE FUNCTION beredskab_timeline_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS beredskab_timeline_append_only ON beredskab_timelineevent;
DROP FUNCTION IF EXISTS beredskab_timeline_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("beredskab", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
