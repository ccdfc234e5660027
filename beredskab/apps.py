from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeredskabConfig(AppConfig):
    name = "beredskab"
    verbose_name = _("Preparedness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beredskab import throttle  # noqa: F401  (held reports on the pending page)
        from beredskab.celery import ensure_filesystem_broker_dirs
        from beredskab.escalation import timeline_texts  # noqa: F401  (registers the texts)

        ensure_filesystem_broker_dirs()
