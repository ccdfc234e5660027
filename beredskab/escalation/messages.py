"""The texts of escalation messages: one small function each, rendered in Danish."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

EXERCISE_PREFIX = "ØVELSE"


def ack_url(token: str) -> str:
    return settings.BASE_URL + reverse("escalation:ack", args=[token])


def _prefix(run) -> str:
    return f"{EXERCISE_PREFIX}: " if run.is_exercise else ""


def _render(func):
    """Messages go out in the portal's language (Danish), whoever triggered them."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


@_render
def notify_sms(run, step, token: str) -> str:
    return _prefix(run) + _("%(title)s. %(summary)s Acknowledge: %(link)s") % {
        "title": run.title,
        "summary": run.summary,
        "link": ack_url(token),
    }


@_render
def remind_sms(run, step, token: str) -> str:
    return _prefix(run) + _("REMINDER: %(title)s is not acknowledged. Acknowledge: %(link)s") % {
        "title": run.title,
        "link": ack_url(token),
    }


@_render
def deputy_sms(run, step, token: str, absent_name: str) -> str:
    return _prefix(run) + _(
        "%(title)s: %(name)s has not answered; you are the deputy. Acknowledge: %(link)s"
    ) % {"title": run.title, "name": absent_name, "link": ack_url(token)}


@_render
def unacknowledged_sms(run) -> str:
    return _prefix(run) + _(
        "NOBODY ACKNOWLEDGED: %(title)s went through every step without an answer. "
        "Take over in the portal: %(link)s"
    ) % {"title": run.title, "link": settings.BASE_URL + reverse("escalation:run", args=[run.pk])}


@_render
def email_subject(run, kind: str) -> str:
    labels = {
        "notify": _("Escalation"),
        "remind": _("Reminder"),
        "deputy": _("Escalation (deputy)"),
        "unacknowledged": _("Not acknowledged"),
    }
    return f"{_prefix(run)}{labels.get(kind, _('Escalation'))}: {run.title}"[:200]


@_render
def email_body(run, step, sms_text: str) -> str:
    lines = [sms_text, ""]
    if step is not None and step.checklist:
        lines.append(_("Checklist for this step:"))
        lines += [f"- {item}" for item in step.checklist]
        lines.append("")
    lines.append(
        _("The escalation in the portal: %(link)s")
        % {"link": settings.BASE_URL + reverse("escalation:run", args=[run.pk])}
    )
    return "\n".join(lines)
