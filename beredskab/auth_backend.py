"""The portal's login backend: Django's ModelBackend, with fewer queries on every page.

Every page asks who the user is (the login and its Person: the footer, the access
rules), which roles they hold (the menu, the banner) and which permissions (deny by
default, on every view). ModelBackend answers these with four queries; this backend
with two: the login with its Person (select_related), and roles and permissions
together (beredskab.roles.load_access). Its answers are ModelBackend's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from beredskab.roles import load_access


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
        ):
            load_access(user_obj)
        return super().get_all_permissions(user_obj, obj)
