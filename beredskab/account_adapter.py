"""How the portal bends django-allauth: no sign-up, the client address from our own
proxy rule, and every account e-mail (password reset, notices) sent by a Celery task,
so a request never waits on the mail server and a reset answers at once whether or
not the address belongs to a login."""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from beredskab.client_ip import client_ip

log = logging.getLogger(__name__)


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Logins are made by an admin (README "First start"); nobody signs up.
        return False

    def get_login_stages(self) -> list[str]:
        # allauth.mfa's second-factor stage, skipped for an Entra sign-in that proved a
        # second factor at Entra (beredskab/entra_login.py); otherwise the same stage.
        return [
            "beredskab.entra_login.EntraAwareAuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def get_client_ip(self, request) -> str:
        # allauth's rate limits count per address: the same address the lock-out sees.
        return client_ip(request) or super().get_client_ip(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # From BASE_URL, not the request's Host header: the link in the mail must point at
        # the portal whatever host name the request came in on.
        uidb36, _sep, token = key.partition("-")
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": token})
        return settings.BASE_URL + path

    def get_password_change_redirect_url(self, request) -> str:
        return reverse("password_change_done")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from beredskab.tasks import send_account_mail

        request = allauth_context.request
        # allauth.mfa sends its notices from on_commit callbacks, which may run after the
        # request's context has ended (a test's captured callbacks): no site then.
        site = get_current_site(request) if request is not None else None
        ctx = {"request": request, "email": email, "current_site": site}
        ctx.update(context)
        # Rendered here (the templates need the request and the user); only the finished
        # text goes to the worker, and nothing of it is stored in the database.
        msg = self.render_mail(template_prefix, email, ctx)
        body, html = msg.body, ""
        if getattr(msg, "content_subtype", "plain") == "html":
            body, html = strip_tags(msg.body), msg.body
        for alternative, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                html = alternative
        kwargs = {
            "subject": msg.subject,
            "body": body,
            "from_email": msg.from_email,
            "to": list(msg.to),
            "html": html,
            "headers": dict(msg.extra_headers or {}),
        }
        try:
            send_account_mail.apply_async(kwargs=kwargs, retry=False)
        except Exception as exc:  # noqa: BLE001 - a broker outage must not tell who has a login
            log.warning("account mail not handed to the worker (%s)", exc.__class__.__name__)
