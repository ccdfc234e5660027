"""Django's login, logout and password views, answering bad input with HTTP 400.

The portal's rule is a 4xx for a form with errors (so tests, monitors and screen
readers alike can tell a failed submit from a page view); Django's views answer 200.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from beredskab.sessions import clear_offline_copy


class _BadInput400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(_BadInput400, auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordChangeView(_BadInput400, auth_views.PasswordChangeView):
    pass


class PasswordResetView(_BadInput400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(_BadInput400, auth_views.PasswordResetConfirmView):
    pass


class LogoutView(auth_views.LogoutView):
    """Logging out also clears the browser's offline copy (the service worker's cache)."""

    def post(self, request, *args, **kwargs):
        return clear_offline_copy(super().post(request, *args, **kwargs))
