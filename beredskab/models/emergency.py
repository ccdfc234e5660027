"""Break-glass accounts, the emergency mode and the SMS codes that sign people in while
it is on (issue 13: "Break-glass accounts", "SMS-code sign-in when Entra ID is down")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BreakGlassAccount(models.Model):
    """A named local login kept sealed for the day Entra ID or Microsoft 365 is down.

    Made and removed only by `manage.py break_glass` (an operator with shell access);
    every change and every login is on the timeline."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="break_glass",
    )
    label = models.CharField(_("label"), max_length=150, blank=True)
    created_by = models.CharField(_("created by"), max_length=150)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("break-glass account")
        verbose_name_plural = _("break-glass accounts")

    def __str__(self) -> str:
        return self.label or self.user.get_username()


class EmergencyPeriodQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(ended_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


class EmergencyPeriod(models.Model):
    """One stretch of emergency mode: from starts_at until ends_at, or until switched
    off early (ended_at). Its timeline chain holds the switch and every login in it."""

    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300)
    started_by_text = models.CharField(_("switched on by"), max_length=200)
    ended_at = models.DateTimeField(_("switched off at"), null=True, blank=True)
    ended_by_text = models.CharField(_("switched off by"), max_length=200, blank=True)

    objects = EmergencyPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("emergency mode period")
        verbose_name_plural = _("emergency mode periods")
        indexes = [
            # Every page's banner and every SMS session ask "is the mode on now?".
            models.Index(fields=["ends_at"], name="emergency_open_idx", condition=Q(ended_at=None)),
        ]

    def __str__(self) -> str:
        return f"Nødtilstand {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class SmsCodePurpose(models.TextChoices):
    LOGIN = "login", _("Sign-in")
    REAUTH = "reauth", _("Re-authentication")


class SmsCode(models.Model):
    """One request for an SMS code. A row is written for every request, also for a
    username nobody has (then without a user or a code), so the rate limits count the
    same whether or not the username exists. The code itself is kept only as an HMAC."""

    purpose = models.CharField(max_length=10, choices=SmsCodePurpose, default=SmsCodePurpose.LOGIN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A digest of what was typed (username or mobile, normalised): no personal data here.
    key_digest = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            # The per-username and per-address rate limits count recent requests.
            models.Index(fields=["key_digest", "created_at"], name="smscode_key_idx"),
            models.Index(fields=["client_ip", "created_at"], name="smscode_ip_idx"),
            # Checking a code reads the user's newest live code of a purpose.
            models.Index(fields=["user", "purpose", "created_at"], name="smscode_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
