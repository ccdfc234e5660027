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
register_kind(
    "power.declared", _("Power outage declared: %(title)s. Meeting point %(meeting_point)s")
)
register_kind("power.no_chain", _("No power-outage escalation chain: nobody was told"))
register_kind("power.escalation_started", _("Escalation started: %(chain)s"))
register_kind("power.status_changed", _("Status %(from)s → %(to)s. %(reason)s"))
register_kind("power.item_done", _("Done: %(item)s. %(note)s"))
register_kind("power.item_not_applicable", _("Not applicable: %(item)s. %(note)s"))
register_kind("playbook.changed", _("Playbook changed: %(change)s"))
register_kind("appendix.changed", _("Appendix 1 changed: %(function)s"))
