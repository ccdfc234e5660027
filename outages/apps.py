from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutagesConfig(AppConfig):
    name = "outages"
    verbose_name = _("Outages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from outages import timeline_texts  # noqa: F401  (registers the event texts)
