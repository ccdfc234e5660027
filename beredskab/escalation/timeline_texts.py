"""How an escalation's timeline events read for people (beredskab.timeline.describe)."""

from django.utils.translation import gettext_lazy as _

from beredskab.timeline import register_kind

VIA = {"portal": _("in the portal"), "link": _("by the link in the SMS")}

register_kind("run.started", _("Escalation started (chain: %(chain)s)"))
register_kind("step.started", _("%(step)s: told %(recipients)s"))
register_kind("step.skipped", _("%(step)s: skipped (an external step in an exercise)"))
register_kind("step.nobody", _("%(step)s: nobody could be reached"))
register_kind(
    "step.acknowledged",
    _("%(step)s: acknowledged %(via)s; %(cancelled_messages)s unsent messages cancelled"),
    labels={"via": VIA},
)
register_kind(
    "step.reminded", _("%(step)s: reminded after the deadline; deputies told: %(deputies)s")
)
register_kind("step.timed_out", _("%(step)s: not acknowledged in time; the escalation moves on"))
register_kind("run.acknowledged", _("Escalation acknowledged: no steps left"))
register_kind(
    "run.unacknowledged",
    _("Nobody acknowledged: %(alerted)s messages to the systemkoordinator and IT"),
)
register_kind(
    "step.confirmed",
    _("%(step)s: %(person)s acknowledged %(via)s; still waiting for %(waiting_for)s"),
    labels={"via": VIA},
)
register_kind("step.cancelled", _("%(step)s: cancelled (%(why)s)"))
register_kind(
    "run.subject_closed",
    _(
        "Escalation ended with its case: %(reason)s; "
        "%(cancelled_messages)s unsent messages cancelled"
    ),
)
register_kind("run.deadline_escalated", _("%(why)s: told %(to)s (%(step)s)"))
register_kind("run.resolved", _("Escalation closed as resolved: %(reason)s"))
register_kind("run.cancelled", _("Escalation cancelled: %(reason)s"))
register_kind("checklist.ticked", _("%(step)s: done: %(item)s. %(note)s"))
register_kind("checklist.noted", _("%(step)s: note on %(item)s: %(note)s"))
