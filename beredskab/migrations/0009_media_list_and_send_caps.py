"""Press texts go only to a media list (authority issue, item 7), and broadcasts and
press texts record who sent them for the daily caps.

The free "recipients" text becomes "sent_to": kept for texts already sent (who got
them), emptied for drafts, whose free addresses must not be sent to any more. The
new permission manage_media_list reaches the role groups through sync_roles.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_unsent_free_addresses(apps, schema_editor):
    apps.get_model("beredskab", "PressText").objects.filter(sent_at__isnull=True).update(sent_to="")


def sync(apps, schema_editor):
    from beredskab.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("beredskab", "0008_role_grants"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MediaOutlet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="outlet")),
                (
                    "email",
                    models.EmailField(max_length=254, unique=True, verbose_name="e-mail address"),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Only active outlets receive press texts.",
                        verbose_name="active",
                    ),
                ),
            ],
            options={
                "verbose_name": "media outlet",
                "verbose_name_plural": "media list",
                "ordering": ["name", "email"],
            },
        ),
        migrations.RenameField(
            model_name="presstext",
            old_name="recipients",
            new_name="sent_to",
        ),
        migrations.AlterField(
            model_name="presstext",
            name="sent_to",
            field=models.TextField(blank=True, editable=False, verbose_name="sent to"),
        ),
        migrations.RunPython(forget_unsent_free_addresses, migrations.RunPython.noop),
        migrations.AddField(
            model_name="broadcast",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="presstext",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="broadcast",
            index=models.Index(fields=["created_at"], name="broadcast_created_idx"),
        ),
        migrations.AddField(
            model_name="presstext",
            name="outlets",
            field=models.ManyToManyField(
                blank=True,
                related_name="press_texts",
                to="beredskab.mediaoutlet",
                verbose_name="media",
            ),
        ),
        migrations.AddIndex(
            model_name="presstext",
            index=models.Index(fields=["sent_at"], name="press_sent_idx"),
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
