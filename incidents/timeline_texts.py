"""How the incident's timeline events read for people."""

from django.utils.translation import gettext_lazy as _

from beredskab.timeline import register_kind
from incidents.models.letters import LetterChannel
from incidents.models.standin import StandInAct

register_kind("incident.reported", _("Reported: %(kind_label)s (%(reference)s)"))
register_kind("incident.escalation_started", _("Escalation started: %(chain)s"))
register_kind("incident.no_chain", _("No escalation chain for this kind: nobody was told"))
register_kind("incident.status_changed", _("Status %(from)s → %(to)s: %(reason)s"))
register_kind("incident.awareness_changed", _("Awareness moved to %(to)s: %(reason)s"))
register_kind("incident.assessed", _("Severity assessed: SE %(score)s (%(severity)s)"))
register_kind("incident.decision", _("Decision: %(decision)s. %(rationale)s"))
register_kind("incident.taskforce", _("Taskforce: %(taskforce)s. %(reason)s"))
register_kind(
    "incident.notification_recorded",
    _("Datatilsynet notified (%(phase)s), receipt %(receipt_number)s"),
)
register_kind("incident.clock_stopped", _("72-hour clock stopped: %(why)s"))
register_kind("incident.clock_restarted", _("72-hour clock running again: %(why)s"))
register_kind("incident.clock_reminder", _("Reminder: %(hours)s hours since awareness"))
register_kind("incident.facts_updated", _("Notification facts updated: %(fields)s"))
register_kind("incident.attachment_added", _("File attached: %(file)s"))
register_kind(
    "incident.purged",
    _("Personal data removed after %(years)s years (retention); statistics kept"),
)
register_kind("letters.text_saved", _("Letter to the people affected saved"))
register_kind("letters.list_imported", _("%(count)s people added to the letter list"))
register_kind(
    "letters.sent",
    _("%(count)s letters recorded as sent on %(sent_on)s (%(via)s)"),
    labels={"via": LetterChannel},
)
register_kind("kindchain.changed", _("Chain changed from %(from)s to %(to)s"))
register_kind(
    "incident.stand_in",
    _("Recorded %(act)s as deputy for %(for)s, who is away"),
    labels={"act": StandInAct.Act},
)
register_kind("incident.stand_in_told", _("%(to)s told on return of what the deputy recorded"))
register_kind(
    "incident.dpo_advice",
    _(
        "DPO's recommendation: notify Datatilsynet: %(notify)s; "
        "inform the people: %(inform_subjects)s"
    ),
)
register_kind(
    "incident.deadline_escalated",
    _("%(hours)s hours since awareness: the escalation's management step was told: %(to)s"),
)
