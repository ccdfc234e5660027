"""How the outages' timeline events read for people."""

from django.utils.translation import gettext_lazy as _

from beredskab.timeline import register_kind

register_kind("outage.reported", _("Reported as unavailable: %(system)s"))
register_kind("outage.declared", _("Declared: %(systems)s"))
register_kind("outage.no_chain", _("No system-outage escalation chain: nobody was told"))
register_kind("outage.escalation_started", _("Escalation started: %(chain)s"))
register_kind("outage.dismissed", _("Dismissed: %(reason)s"))
register_kind("outage.supplier_contacted", _("Supplier contacted. ETA %(eta)s. %(note)s"))
register_kind("outage.eta", _("New expected restoration: %(eta)s. %(note)s"))
register_kind("outage.restoring", _("Restoring. %(note)s"))
register_kind("outage.restored", _("Restored. %(note)s"))
register_kind("outage.closed", _("Closed. What happened: %(what_happened)s"))
