"""The phone robot's crisis message, and the integrations allowed to fetch it.

Drafts are written and previewed; a leder or kontaktcenterleder publishes one, which
supersedes the message that was live, so only one is ever live (a partial unique
constraint says so to the database too). Each published message gets the next version
number; nothing published is edited afterwards: a change is a new draft.

A draft's `revision` counts its edits. The publisher reviews a revision on the draft's
page and publishes that revision: if someone edited the draft in between, the review
no longer holds and publishing is refused (the authority issue, item 12).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.actors import actor_text
from beredskab.cpr import mask_cpr


class MessageError(Exception):
    """A transition that is not allowed; the text is for people."""


def length_problem(body: str) -> str | None:
    """Why the robot cannot read `body`, or None."""
    limit = settings.ROBOT_MESSAGE_MAX_LENGTH
    if not body.strip():
        return gettext("Write the message the robot should read.")
    if len(body) > limit:
        over = len(body) - limit
        return ngettext(
            "The phone robot can read at most %(limit)d characters. This text has "
            "%(length)d: shorten it by %(over)d character.",
            "The phone robot can read at most %(limit)d characters. This text has "
            "%(length)d: shorten it by %(over)d characters.",
            over,
        ) % {"limit": limit, "length": len(body), "over": over}
    return None


def has_placeholders(body: str) -> bool:
    return bool(re.search(r"\[[^\]]*\]", body))


def publish_problem(body: str) -> str | None:
    """Why this text cannot go live, or None."""
    problem = length_problem(body)
    if problem is None and has_placeholders(body):
        problem = gettext(
            "Replace the text in [brackets] with the facts before the message is published."
        )
    return problem


class CrisisMessageQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=CrisisMessage.Status.LIVE)

    def drafts(self):
        return self.filter(status=CrisisMessage.Status.DRAFT)


class CrisisMessage(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        SUPERSEDED = "superseded", _("Replaced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    template_key = models.CharField(_("template"), max_length=60, blank=True)
    body = models.TextField(_("message"))
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True)
    # Bumped by every edit: what the publisher reviewed is (pk, revision).
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    created_by_text = models.CharField(_("written by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by_text = models.CharField(_("published by"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("taken down"), null=True, blank=True)
    ended_by_text = models.CharField(_("taken down by"), max_length=200, blank=True)

    objects = CrisisMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("crisis message")
        verbose_name_plural = _("crisis messages")
        constraints = [
            # Only one message is ever live: the robot endpoint reads "the" live one.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="live"), name="one_live_crisis_message"
            )
        ]

    def __str__(self) -> str:
        if self.version:
            return gettext("Crisis message version %(version)d") % {"version": self.version}
        return gettext("Crisis message draft %(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def etag(self) -> str:
        digest = hashlib.sha256(f"{self.pk}:{self.version}:{self.body}".encode()).hexdigest()
        return digest[:32]

    @classmethod
    def write(cls, body: str, *, actor, template_key: str = "") -> CrisisMessage:
        body = mask_cpr(body.strip())
        with transaction.atomic():
            message = cls.objects.create(
                body=body, template_key=template_key[:60], created_by_text=actor_text(actor)
            )
            timeline.record(
                message, "crisis_message.drafted", actor=actor, data={"template": template_key}
            )
        return message

    def edit(self, body: str, *, actor) -> None:
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            if not row.is_draft:
                raise MessageError(gettext("Only a draft can be edited; make a new version."))
            row.body = mask_cpr(body.strip())
            row.updated_at = timezone.now()
            # An edit clears any review of the earlier text (see publish).
            row.revision += 1
            row.save(update_fields=["body", "updated_at", "revision"])
            timeline.record(
                row, "crisis_message.edited", actor=actor, data={"revision": row.revision}
            )
        self.refresh_from_db()

    def publish(
        self, *, actor, reviewed_revision: int | None = None, at: datetime | None = None
    ) -> None:
        """Make this draft the live message; the one that was live is replaced.

        `reviewed_revision` is the revision the publisher read; publishing is refused
        when the draft has been edited since. The views always pass it; None is for
        code that publishes a text it has just written itself (tests, load_plan).
        """
        at = at or timezone.now()
        with transaction.atomic():
            # Lock every message that is live or this one: two publishers queue here.
            rows = {
                m.pk: m
                for m in type(self)
                .objects.select_for_update()
                .filter(Q(pk=self.pk) | Q(status=self.Status.LIVE))
            }
            row = rows[self.pk]
            if not row.is_draft:
                raise MessageError(gettext("Only a draft can be published."))
            if reviewed_revision is not None and reviewed_revision != row.revision:
                raise MessageError(
                    gettext(
                        "The text was changed after you read it. Read the text below "
                        "again, then publish it."
                    )
                )
            problem = publish_problem(row.body)
            if problem:
                raise MessageError(problem)
            for other in rows.values():
                if other.pk != row.pk and other.is_live:
                    other.status = self.Status.SUPERSEDED
                    other.ended_at, other.ended_by_text = at, actor_text(actor)
                    other.save(update_fields=["status", "ended_at", "ended_by_text"])
                    timeline.record(
                        other,
                        "crisis_message.superseded",
                        actor=actor,
                        at=at,
                        data={"version": other.version},
                    )
            latest = type(self).objects.aggregate(v=Max("version"))["v"] or 0
            row.status = self.Status.LIVE
            row.version = latest + 1
            row.published_at, row.published_by_text = at, actor_text(actor)
            row.save(update_fields=["status", "version", "published_at", "published_by_text"])
            timeline.record(
                row,
                "crisis_message.published",
                actor=actor,
                at=at,
                data={
                    "version": row.version,
                    "revision": row.revision,
                    "length": len(row.body),
                },
            )
        self.refresh_from_db()

    def withdraw(self, *, actor, at: datetime | None = None) -> None:
        at = at or timezone.now()
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            if not row.is_live:
                raise MessageError(gettext("Only the live message can be withdrawn."))
            row.status = self.Status.WITHDRAWN
            row.ended_at, row.ended_by_text = at, actor_text(actor)
            row.save(update_fields=["status", "ended_at", "ended_by_text"])
            timeline.record(
                row, "crisis_message.withdrawn", actor=actor, at=at, data={"version": row.version}
            )
        self.refresh_from_db()

    def new_version(self, *, actor) -> CrisisMessage:
        """A new draft starting from this message's text."""
        return type(self).write(self.body, actor=actor, template_key=self.template_key)


def hash_token(raw: str) -> str:
    # The token is 256 random bits: a plain SHA-256 is enough (no dictionary to guess
    # from), and a lookup by hash never compares secrets character by character.
    return hashlib.sha256(raw.encode()).hexdigest()


class RobotIntegration(models.Model):
    """One system (the phone robot, a test rig) allowed to fetch the crisis message.

    Only the token's hash is stored; the token itself is shown once, when it is made.
    """

    TOKEN_PREFIX = "bprobot_"
    # Recording every poll would write a row every few seconds; once a minute is enough.
    USE_RESOLUTION = timedelta(minutes=1)

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts"), max_length=20, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by_text = models.CharField(_("created by"), max_length=200, blank=True)
    rotated_at = models.DateTimeField(_("token changed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("robot integration")
        verbose_name_plural = _("robot integrations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def _new_token(cls) -> tuple[str, str, str]:
        raw = cls.TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, hash_token(raw), raw[: len(cls.TOKEN_PREFIX) + 4]

    @classmethod
    def create_with_token(cls, name: str, *, actor) -> tuple[RobotIntegration, str]:
        raw, digest, hint = cls._new_token()
        with transaction.atomic():
            integration = cls.objects.create(
                name=name.strip(),
                token_hash=digest,
                token_hint=hint,
                created_by_text=actor_text(actor),
            )
            timeline.record(integration, "robot_integration.created", actor=actor)
        return integration, raw

    def rotate(self, *, actor) -> str:
        """A new token; the old one stops working at once. Also re-activates."""
        raw, digest, hint = self._new_token()
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            row.token_hash, row.token_hint = digest, hint
            row.rotated_at, row.revoked_at = timezone.now(), None
            row.save(update_fields=["token_hash", "token_hint", "rotated_at", "revoked_at"])
            timeline.record(row, "robot_integration.rotated", actor=actor)
        self.refresh_from_db()
        return raw

    def revoke(self, *, actor) -> None:
        with transaction.atomic():
            row = type(self).objects.select_for_update().get(pk=self.pk)
            if row.revoked_at is not None:
                return
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            timeline.record(row, "robot_integration.revoked", actor=actor)
        self.refresh_from_db()

    @classmethod
    def authenticate(cls, raw: str, now: datetime | None = None) -> RobotIntegration | None:
        if not raw or len(raw) > 200:
            return None
        integration = cls.objects.filter(
            token_hash=hash_token(raw), revoked_at__isnull=True
        ).first()
        if integration is None:
            return None
        now = now or timezone.now()
        if integration.last_used_at is None or now - integration.last_used_at > cls.USE_RESOLUTION:
            cls.objects.filter(pk=integration.pk).update(last_used_at=now)
        return integration


for _kind, _text in {
    "crisis_message.drafted": _("Draft written"),
    "crisis_message.edited": _("Draft edited (revision %(revision)s)"),
    "crisis_message.published": _("Published as version %(version)s"),
    "crisis_message.superseded": _("Replaced by a newer version"),
    "crisis_message.withdrawn": _("Withdrawn; the robot has no crisis message"),
    "robot_integration.created": _("Integration created with a new token"),
    "robot_integration.rotated": _("Token changed; the old token no longer works"),
    "robot_integration.revoked": _("Token revoked"),
}.items():
    timeline.register_kind(_kind, _text)
