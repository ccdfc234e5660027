"""The admin's AppConfig, apart from beredskab.apps: a second AppConfig there would
make Django pick the wrong one for the beredskab app itself."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (beredskab.admin_site): superusers
    only, without the User and Group pages."""

    default_site = "beredskab.admin_site.PortalAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscover: every app's admin.py is imported by now
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        for model in (get_user_model(), Group):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
