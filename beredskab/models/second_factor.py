"""The second factor's own records: the one-time SMS codes that open a first
enrolment, and the recent logins "Min konto" shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentCode(models.Model):
    """A six-digit code sent by SMS before a person's first factor can be bound.

    Only a keyed hash is stored (beredskab.enrolment.code_digest): a database dump does not
    hand anyone a live code. Single use (used_at), valid until expires_at, and at most
    settings.MFA_ENROL_CODE_TRIES wrong tries before it is spent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class LoginRecord(models.Model):
    """One successful login, for "Min konto" (when, from where, with which browser,
    and whether a second factor was given). Kept short: the newest per user are read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_records"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    second_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("login")
        verbose_name_plural = _("logins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}"
