"""How the outages' timeline events read for people."""

from django.utils.translation import gettext, ngettext
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
register_kind("campaign.created", _("Booking cancellation started: %(place)s. %(reason)s"))


def _count(data, key: str) -> int:
    try:
        return int(data.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _imported(data) -> str:
    bookings = ngettext("%(n)s booking", "%(n)s bookings", _count(data, "bookings")) % {
        "n": data["bookings"]
    }
    mobiles = ngettext(
        "%(n)s unique mobile number", "%(n)s unique mobile numbers", _count(data, "unique_mobiles")
    ) % {"n": data["unique_mobiles"]}
    rejected = ngettext("%(n)s row rejected", "%(n)s rows rejected", _count(data, "rejected")) % {
        "n": data["rejected"]
    }
    return gettext("Bookings loaded: %(bookings)s, %(mobiles)s, %(rejected)s") % {
        "bookings": bookings,
        "mobiles": mobiles,
        "rejected": rejected,
    }


def _composed(data) -> str:
    return ngettext(
        "Message written (%(segments)s SMS segment)",
        "Message written (%(segments)s SMS segments)",
        _count(data, "segments"),
    ) % {"segments": data["segments"]}


register_kind("campaign.imported", _imported)
register_kind(
    "campaign.flags_decided",
    _(
        "Flagged imported values decided: %(confirmed)s confirmed, %(excluded)s rows"
        " excluded, %(open)s still open"
    ),
)
register_kind("campaign.composed", _composed)
register_kind("campaign.follow_up", _("Follow-up message %(message)s written"))
register_kind("campaign.confirmed", _("Message %(message)s confirmed: %(sms)s SMS"))
register_kind("campaign.awaiting_approval", _("Waiting for another person's approval"))
register_kind("campaign.approved", _("Message %(message)s approved"))
register_kind(
    "campaign.sending",
    _(
        "Message %(message)s handed to the outbox: %(sms)s SMS"
        " (%(would_have_been_sent)s only counted)"
    ),
)
register_kind("campaign.retried", _("Failed SMS of message %(message)s sent again: %(sms)s"))
register_kind("campaign.cancelled", _("Cancelled; %(sms_stopped)s SMS stopped before sending"))
register_kind("campaign.closed", _("Closed"))
register_kind(
    "campaign.purged",
    _("Citizens' data purged: %(recipients)s recipients, %(sms)s SMS; the counts are kept"),
)
