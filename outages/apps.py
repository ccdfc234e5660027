from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutagesConfig(AppConfig):
    name = "outages"
    verbose_name = _("Outages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beredskab import pending
        from outages import checks, contributions, timeline_texts  # noqa: F401  (register)
        from outages.services.campaigns.pending import pending_campaigns

        pending.register(pending_campaigns)
        contributions.contribute()

        from beredskab.escalation import subjects
        from outages.models import PowerOutage, SystemOutage
        from outages.models.power import PowerStatus
        from outages.models.system_outage import RUN_ENDS

        # Each outage owns its escalation run; restored, closed or dismissed, it ends.
        subjects.register(SystemOutage, prefix="outage", is_closed=lambda o: o.status in RUN_ENDS)
        subjects.register(
            PowerOutage,
            prefix="power",
            is_closed=lambda o: o.status in (PowerStatus.POWER_RESTORED, PowerStatus.CLOSED),
        )

    def load_plan(self, stdout) -> None:
        """Hook called by `manage.py load_plan`: the power-outage playbook and Bilag 1."""
        from outages.plan import load_appendix_1, load_message_templates, load_power_playbook

        load_power_playbook(stdout)
        load_appendix_1(stdout)
        load_message_templates(stdout)

    def load_demo(self, stdout) -> None:
        """Hook called by `manage.py load_demo`: one phone on the exercise test list."""
        from outages.models import ExerciseNumber

        _number, created = ExerciseNumber.objects.get_or_create(
            number="+4521990200",  # fictitious, like the demo's other numbers
            defaults={"label": "Frontdesk's test phone"},
        )
        if created and stdout is not None:
            stdout.write("Added a demo exercise test number")
