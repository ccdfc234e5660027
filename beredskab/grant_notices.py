"""The notices about authority: role grants, and contact details changed in the
directory. One small function per text, rendered in the portal's language (Danish)
whoever triggered it, and sent through the outbox like every other message."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from beredskab.actors import actor_text
from beredskab.models import Person
from beredskab.models.outbox import Priority
from beredskab.notify import outbox
from beredskab.notify.outbox import NewMessage
from beredskab.roles import Role


def _digest(text: str) -> str:
    # Keys hold no addresses: the outbox's keys are not personal data.
    return hashlib.blake2b(text.lower().encode(), digest_size=8).hexdigest()


def admin_addresses() -> dict[str, str]:
    """address → name of everyone who administers the portal: people in the admin
    role, and the logins that are superusers or admins (the first admin from
    createsuperuser may have no directory entry). Each address once."""
    out: dict[str, str] = {}
    for person in Person.objects.active().with_role(Role.ADMIN).exclude(email=""):
        out.setdefault(person.email.lower(), person.name)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN))
        .exclude(email="")
        .distinct()
    )
    for user in users:
        out.setdefault(user.email.lower(), user.get_username())
    return out


def _grant_text(grant, what: str, actor) -> tuple[str, str]:
    names = {
        "by": actor_text(actor) or _("the system"),
        "person": grant.person.name,
        "role": grant.role_label,
        "granter": actor_text(grant.granted_by) or _("the system"),
    }
    subject = _("Role change in Beredskabsportalen: %(role)s for %(person)s") % names
    if what == "requested":
        body = _(
            "%(by)s asks to give %(person)s the role %(role)s. It is a privileged role, so "
            "it takes effect only when a second person who may grant it approves it."
        )
    elif what == "granted" and grant.without_second_person:
        body = _(
            "%(by)s gave %(person)s the role %(role)s. Nobody else may grant this role yet, "
            "so it took effect at once without a second person's approval."
        )
    elif what == "granted":
        body = _("%(by)s gave %(person)s the role %(role)s.")
    elif what == "approved":
        body = _("%(by)s approved the role %(role)s for %(person)s, granted by %(granter)s.")
    elif what == "refused":
        body = _("%(by)s refused the role %(role)s for %(person)s.")
    else:
        body = _("%(by)s removed the role %(role)s from %(person)s.")
    link = settings.BASE_URL + reverse("pending")
    footer = _(
        "If this is not right, tell an administrator at once. What awaits approval: %(link)s"
    ) % {"link": link}
    return subject, f"{body % names}\n\n{footer}"


def tell(grant, what: str, actor) -> list[int]:
    """E-mail the person and the admins about one step of a grant (after commit)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _grant_text(grant, what, actor)
    recipients = dict(admin_addresses())
    if grant.person.email:
        recipients.setdefault(grant.person.email.lower(), grant.person.name)
    messages = [
        NewMessage(
            channel="email",
            recipient=address,
            subject=subject,
            body=body,
            idempotency_key=f"rolegrant:{grant.pk}:{what}:{_digest(address)}",
            recipient_name=name,
            person_id=grant.person.pk if address == (grant.person.email or "").lower() else None,
            group_key=f"rolegrant:{grant.pk}",
            priority=Priority.ESCALATION,
        )
        for address, name in recipients.items()
    ]
    return outbox.enqueue(messages)


def contact_changed(person: Person, *, old_email: str, old_mobile: str, changed, actor, key: str):
    """Tell the person, at the OLD address and the OLD number, that their contact
    details were changed: the ones acknowledgement links and messages go to. A
    takeover through the directory is then noticed by the one it is aimed at."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = {"email": _("e-mail address"), "mobile": _("mobile number")}
        what = ", ".join(str(labels[name]) for name in changed)
        subject = _("Your contact details in Beredskabsportalen were changed")
        text = _(
            "%(by)s changed your %(what)s in Beredskabsportalen. Messages and links now go "
            "to the new details. If you did not expect this, tell the systemkoordinator or "
            "IT at once."
        ) % {"by": actor_text(actor) or _("the system"), "what": what}
    common = {"recipient_name": person.name, "person_id": person.pk, "group_key": key}
    messages = []
    if old_email:
        messages.append(
            NewMessage(
                channel="email",
                recipient=old_email,
                subject=subject,
                body=text,
                idempotency_key=f"{key}:email",
                **common,
            )
        )
    if old_mobile:
        messages.append(
            NewMessage(
                channel="sms",
                recipient=old_mobile,
                body=text,
                idempotency_key=f"{key}:sms",
                **common,
            )
        )
    return outbox.enqueue(messages)
