from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeredskabConfig(AppConfig):
    name = "beredskab"
    verbose_name = _("Preparedness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from beredskab import grants, pending
        from beredskab.celery import ensure_filesystem_broker_dirs
        from beredskab.escalation import timeline_texts  # noqa: F401  (registers the texts)
        from beredskab.services import account  # noqa: F401  (registers its timeline text)

        pending.register(grants.pending_provider)
        ensure_filesystem_broker_dirs()

        from django.contrib.auth.signals import user_logged_in

        from beredskab.sessions import start_clocks

        # Whatever logs a person in (Django's views, allauth, force_login in tests), the
        # session's clocks start at that moment; the middleware only has to check them.
        user_logged_in.connect(start_clocks, dispatch_uid="beredskab.sessions.start_clocks")

        from beredskab import reauth

        # A login is a fresh proof of identity: re-authentication's window starts with it.
        user_logged_in.connect(reauth.on_login, dispatch_uid="beredskab.reauth.on_login")

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
