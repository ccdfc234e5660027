from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Security training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from training import contributions, timeline_texts  # noqa: F401  (registers texts)

        contributions.contribute()

    def people_changed(self) -> None:
        """Hook the directory's services call after a person or department changed
        (beat's hourly sync catches edits made elsewhere, e.g. in Django admin)."""
        from training.services.assignments import sync_assignments

        sync_assignments()

    def load_plan(self, stdout) -> None:
        """Hook called by `manage.py load_plan`: the onboarding and targeted modules,
        then the assignments for the people already in the directory."""
        from training.plan import load_courses
        from training.services.assignments import sync_assignments

        load_courses(stdout)
        result = sync_assignments()
        if result.created and stdout is not None:
            stdout.write(f"Training: {result.created} assignments created")

    def load_demo(self, stdout) -> None:
        """Hook called by `manage.py load_demo`: the demo's people get their courses at
        once (load_plan ran before they existed; beat's hourly sync would be late)."""
        from training.services.assignments import sync_assignments

        result = sync_assignments()
        if result.created and stdout is not None:
            stdout.write(f"Training: {result.created} assignments created")
