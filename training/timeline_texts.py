"""How the training app's events on a person's timeline read for people."""

from django.utils.translation import gettext_lazy as _

from beredskab.timeline import register_kind

register_kind("training.assignments_synced", _("Mandatory courses now: %(courses)s"))
register_kind("training.completed", _("Course completed (%(source)s): %(courses)s"))
