"""Messages to the staff of chosen departments, and press texts for the media.

Both go through the outbox and on the timeline. A feature (an outage, the contact
centre) ties them to its event with `context_key`, e.g. "outage:12", so the core
never needs to know who uses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.roles import Role


class MessageTemplate(models.Model):
    class Purpose(models.TextChoices):
        BROADCAST = "broadcast", _("Message to departments")
        PRESS = "press", _("Press text")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    name = models.CharField(_("name"), max_length=150)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    owner_app = models.CharField(
        _("owner"), max_length=40, blank=True, help_text=_("The part of the portal it belongs to.")
    )
    # Role codes (beredskab.roles.Role) the message is not for, e.g. "go home" is not
    # for the beredskabsgruppe, who stay; the form starts with these left out.
    excluded_roles = models.JSONField(_("roles left out"), default=list, blank=True)

    class Meta:
        ordering = ["purpose", "name"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.name


class Broadcast(models.Model):
    departments = models.ManyToManyField(
        "beredskab.Department", verbose_name=_("departments"), related_name="+"
    )
    include_subunits = models.BooleanField(_("include their units"), default=True)
    # People holding any of these roles (Role codes) were left out of the recipients.
    excluded_roles = models.JSONField(_("roles left out"), default=list, blank=True)
    by_sms = models.BooleanField(_("by SMS"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    context_key = models.CharField(_("event"), max_length=60, blank=True, db_index=True)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # From the form that sent it: a double click or a second tab sends nothing more.
    nonce = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    created_by_text = models.CharField(_("sent by"), max_length=200, blank=True)
    # Who sent it, for the daily cap per sender (BROADCAST_MAX_PER_DAY). Logins are
    # deactivated, never deleted; SET_NULL only keeps a stray delete from cascading.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The daily caps: broadcasts sent since a time, in total and per sender.
            models.Index(fields=["created_at"], name="broadcast_created_idx"),
        ]
        verbose_name = _("message to departments")
        verbose_name_plural = _("messages to departments")

    def __str__(self) -> str:
        return self.subject

    @property
    def group_key(self) -> str:
        return f"broadcast:{self.pk}"


class MediaOutletQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class MediaOutlet(models.Model):
    """One address on the media list: the only addresses a press text may go to.

    The kontaktcenterleder or an admin keeps the list (permission manage_media_list),
    so an agent cannot mail an arbitrary outside address in the municipality's name.
    """

    name = models.CharField(_("outlet"), max_length=150)
    email = models.EmailField(_("e-mail address"), unique=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active outlets receive press texts.")
    )

    objects = MediaOutletQuerySet.as_manager()

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("media outlet")
        verbose_name_plural = _("media list")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs):
        # One address is one outlet whatever its case: the unique check sees it so.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class PressText(models.Model):
    title = models.CharField(_("headline"), max_length=200)
    body = models.TextField(_("text"))
    outlets = models.ManyToManyField(
        MediaOutlet, verbose_name=_("media"), related_name="press_texts", blank=True
    )
    # The addresses it went to, one per line, written when it is sent (the media list
    # may change later; this says who got it).
    sent_to = models.TextField(_("sent to"), blank=True, editable=False)
    context_key = models.CharField(_("event"), max_length=60, blank=True, db_index=True)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    created_by_text = models.CharField(_("written by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The daily caps: press texts sent since a time, in total and per sender.
            models.Index(fields=["sent_at"], name="press_sent_idx"),
        ]
        verbose_name = _("press text")
        verbose_name_plural = _("press texts")

    def __str__(self) -> str:
        return self.title

    @property
    def group_key(self) -> str:
        return f"press:{self.pk}"

    def recipient_list(self) -> list[str]:
        """Where it goes (or went): the active outlets chosen, or once sent, sent_to."""
        if self.sent_at is not None:
            return [line for line in self.sent_to.splitlines() if line.strip()]
        return [o.email for o in self.outlets.all() if o.active]


for _kind, _text in {
    "broadcast.sent": _("Sent to %(people)s people in %(departments)s (%(messages)s messages)"),
    "broadcast.sent_excluding": _(
        "Sent to %(people)s people in %(departments)s, leaving out %(excluded)s "
        "(%(messages)s messages)"
    ),
    "press.written": _("Press text written for %(outlets)s"),
    "press.sent": _("Press text sent to %(outlets)s"),
    "media_outlet.added": _("Added to the media list: %(name)s <%(email)s>"),
    "media_outlet.changed": _("Media list changed: %(name)s <%(email)s>, active: %(active)s"),
}.items():
    timeline.register_kind(
        _kind,
        _text,
        labels={"active": {True: _("yes"), False: _("no")}, "excluded": Role},
    )
