from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beredskab.escalation import subjects
        from incidents import contributions, timeline_texts  # noqa: F401  (registers texts)
        from incidents.models import Incident, IncidentStatus

        contributions.contribute()

        # An incident owns its escalation run; closed, the run ends (services.triage).
        subjects.register(
            Incident, prefix="incident", is_closed=lambda i: i.status == IncidentStatus.CLOSED
        )

    def load_plan(self, stdout) -> None:
        """Hook called by `manage.py load_plan`: which chain each kind of incident starts."""
        from incidents.plan import load_kind_chains

        load_kind_chains(stdout)

    def load_demo(self, stdout) -> None:
        """Hook called by `manage.py load_demo`: a few fictitious incidents."""
        from incidents.demo import load_incidents

        load_incidents(stdout)
