"""The portal's own error pages: Danish, in the layout, each saying what happened and
where to go (settings: handler400/403/404/500 in beredskab.urls, CSRF_FAILURE_VIEW).

The 500 page is rendered without a request context: the context processors ask the
database (the menu, the banners), and the database may be what failed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from beredskab.roles import Role, all_permissions, roles_holding


def roles_for(exception: Exception | None) -> list[str]:
    """The roles that could do what was refused, when the refusal named its permission
    (require_perm and the access helpers raise PermissionDenied(codename))."""
    if not isinstance(exception, PermissionDenied) or not exception.args:
        return []
    codename = str(exception.args[0])
    if codename not in all_permissions():
        return []
    return [str(Role(role).label) for role in roles_holding(codename) if role != Role.ADMIN]


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("errors/400.html", {}, request))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"roles": roles_for(exception)}
    return HttpResponseForbidden(loader.render_to_string("errors/403.html", context, request))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("errors/404.html", {}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # A database that is away: 503 + Retry-After (beredskab/views/unavailable.py).
    from beredskab.views.unavailable import unavailable_response

    # No request: no context processor runs, so nothing here touches the database.
    return unavailable_response() or HttpResponseServerError(
        loader.render_to_string("errors/500.html", {})
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("errors/csrf.html", {}, request))
