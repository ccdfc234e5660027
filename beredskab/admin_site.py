"""Django admin for superusers only (issue 24, item 1).

Django lets any staff login in; here an admin-role login that is staff but not a
superuser gets nothing. The User and Group pages are taken out: logins and roles are
managed on the portal's own pages, where the rules hold (grants with approval, the
timeline, notices to the person), and the admin's generic forms would bypass them.
"""

from __future__ import annotations

from django.contrib import admin


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_superuser)
