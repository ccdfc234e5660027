from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeredskabConfig(AppConfig):
    name = "beredskab"
    verbose_name = _("Preparedness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beredskab import (
            grants,
            pending,
            throttle,  # noqa: F401  (held reports on the pending page)
        )
        from beredskab.celery import ensure_filesystem_broker_dirs
        from beredskab.escalation import timeline_texts  # noqa: F401  (registers the texts)
        from beredskab.services import account  # noqa: F401  (registers its timeline text)

        pending.register(grants.pending_provider)
        from beredskab.scim import people as scim_people

        pending.register(scim_people.pending_provider)
        ensure_filesystem_broker_dirs()

        from django.contrib.auth.signals import user_logged_in

        from beredskab.sessions import start_clocks

        # Whatever logs a person in (Django's views, allauth, force_login in tests), the
        # session's clocks start at that moment; the middleware only has to check them.
        user_logged_in.connect(start_clocks, dispatch_uid="beredskab.sessions.start_clocks")

        from beredskab import reauth

        # A login is a fresh proof of identity: re-authentication's window starts with it.
        user_logged_in.connect(reauth.on_login, dispatch_uid="beredskab.reauth.on_login")

        from beredskab import breakglass, emergency

        # A break-glass login is told at once to the admins and the systemkoordinator;
        # every login while the emergency mode is on goes on the mode's timeline.
        user_logged_in.connect(breakglass.on_login, dispatch_uid="beredskab.breakglass.on_login")
        user_logged_in.connect(emergency.on_login, dispatch_uid="beredskab.emergency.on_login")

        from allauth.account.signals import user_logged_in as allauth_logged_in

        from beredskab import entra_login

        # After every allauth login (all stages passed): the session keeps this login's
        # proof of a second factor at Entra ID, or False (beredskab.entra.has_entra_mfa_proof).
        allauth_logged_in.connect(entra_login.on_login, dispatch_uid="beredskab.entra.on_login")

        from allauth.mfa import signals as mfa_signals

        from beredskab.mfa_forms import count_failed_factor
        from beredskab.services import factors

        # A wrong TOTP or recovery code counts toward the login's lock-out (axes).
        mfa_signals.authentication_failed.connect(
            count_failed_factor, dispatch_uid="beredskab.mfa_forms.count_failed_factor"
        )
        # Factors bound and removed go on the person's timeline; logins for "Min konto".
        mfa_signals.authenticator_added.connect(
            factors.on_authenticator_added, dispatch_uid="beredskab.factors.added"
        )
        mfa_signals.authenticator_removed.connect(
            factors.on_authenticator_removed, dispatch_uid="beredskab.factors.removed"
        )
        user_logged_in.connect(factors.record_login, dispatch_uid="beredskab.factors.login")
