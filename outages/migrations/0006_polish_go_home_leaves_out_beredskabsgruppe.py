"""The power outage's "go home" and "stay home tomorrow" templates leave out the
beredskabsgruppe, who stay (issue 21). Only templates nobody changed that way yet."""

from django.db import migrations

KEYS = ("el-nedbrud-gaa-hjem", "el-nedbrud-bliv-hjemme")


def leave_out_beredskabsgruppe(apps, schema_editor):
    MessageTemplate = apps.get_model("beredskab", "MessageTemplate")
    for template in MessageTemplate.objects.filter(key__in=KEYS):
        if not template.excluded_roles:
            template.excluded_roles = ["beredskabsgruppe"]
            template.save(update_fields=["excluded_roles"])


class Migration(migrations.Migration):
    dependencies = [
        ("outages", "0005_campaign_limits_and_flags"),
        ("beredskab", "0014_polish_exclusions_risk_reviews"),
    ]

    operations = [migrations.RunPython(leave_out_beredskabsgruppe, migrations.RunPython.noop)]
