from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactcenterConfig(AppConfig):
    name = "contactcenter"
    verbose_name = _("Contact centre")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contactcenter import contributions

        contributions.contribute()

    def load_plan(self, stdout) -> None:
        """Hook called by `manage.py load_plan`: the channels and the message templates."""
        from contactcenter.plan import load_channels, load_message_templates

        load_channels(stdout)
        load_message_templates(stdout)
