"""Timeline hash version 2 and the one UPDATE the timeline allows: a retention purge.

1. New columns: hash_version (existing rows stay version 1, their hashes unchanged),
   content_salt, content_digest and purged_at.
2. Every existing event gets a salt and a digest of its data, so a purge can keep the
   digest. This is the only time rows are changed wholesale: on PostgreSQL the
   append-only trigger is switched off for it inside this migration's transaction.
3. The trigger function is replaced: UPDATE and DELETE stay forbidden, except an
   UPDATE that (a) runs with the session flag `beredskab.timeline_purge` set to 'on'
   (beredskab.timeline.purge_content sets it for its own transaction only), (b) turns
   an unpurged event with a digest into a purged one whose data is the tombstone `{}`
   and whose salt is empty, and (c) changes no other column.
"""

import secrets

from django.db import migrations, models

TABLE = "beredskab_timelineevent"
TRIGGER = "beredskab_timeline_append_only"

ALLOW_PURGE = """
CREATE OR REPLACE FUNCTION beredskab_timeline_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('beredskab.timeline_purge', true) = 'on'
       AND OLD.purged_at IS NULL
       AND NEW.purged_at IS NOT NULL
       AND OLD.content_digest <> ''
       AND NEW.data = '{}'::jsonb
       AND NEW.content_salt = ''
       AND (NEW.id, NEW.subject_type, NEW.subject_id, NEW.subject_text, NEW.seq, NEW.at,
            NEW.actor_id, NEW.actor_text, NEW.kind, NEW.prev_hash, NEW.hash,
            NEW.hash_version, NEW.content_digest)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.subject_type, OLD.subject_id, OLD.subject_text, OLD.seq, OLD.at,
            OLD.actor_id, OLD.actor_text, OLD.kind, OLD.prev_hash, OLD.hash,
            OLD.hash_version, OLD.content_digest)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the timeline is append-only: %% on beredskab_timelineevent is forbidden', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION beredskab_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the timeline is append-only: %% on beredskab_timelineevent is forbidden', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def digests(apps, schema_editor):
    from beredskab.models.timeline import content_digest

    TimelineEvent = apps.get_model("beredskab", "TimelineEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    batch = []
    for event in TimelineEvent.objects.filter(content_digest="").only("pk", "data").iterator(
        chunk_size=2000
    ):
        event.content_salt = secrets.token_hex(16)
        event.content_digest = content_digest(event.content_salt, event.data)
        batch.append(event)
        if len(batch) == 2000:
            TimelineEvent.objects.bulk_update(batch, ["content_salt", "content_digest"])
            batch = []
    TimelineEvent.objects.bulk_update(batch, ["content_salt", "content_digest"])
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
        schema_editor.execute(ALLOW_PURGE)


def undo(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("beredskab", "0015_lifecycle_states_subjects_completion")]

    operations = [
        migrations.AddField(
            model_name="timelineevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(db_default=1, default=2),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="content_salt",
            field=models.CharField(blank=True, db_default="", default="", max_length=32),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="content_digest",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="purged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="content purged"),
        ),
        migrations.RunPython(digests, undo),
    ]
