"""Access rules of the shared core. Every beredskab view goes through these.

Not logged in → 302 to the login (LoginRequiredMiddleware); a role without the
feature → 403 (PermissionDenied); an object outside the user's scope → 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from beredskab import grants
from beredskab.models import Department, EscalationChain, Person, RoleGrant, Supplier, System
from beredskab.roles import perm


def require_perm(codename: str) -> Callable:
    """View decorator: 403 unless the user holds the portal permission `codename`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm(codename)):
                raise PermissionDenied(codename)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can(user, codename: str) -> bool:
    return bool(user.is_authenticated and user.has_perm(perm(codename)))


def person_of(user) -> Person | None:
    """The Person linked to this login, or None (e.g. a bare superuser)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def get_person_for(user, pk: int, write: bool = False) -> Person:
    if not can(user, "manage_directory"):
        raise PermissionDenied("manage_directory")
    return get_object_or_404(Person, pk=pk)


def get_department_for(user, pk: int, write: bool = False) -> Department:
    if not can(user, "manage_directory"):
        raise PermissionDenied("manage_directory")
    return get_object_or_404(Department, pk=pk)


def get_supplier_for(user, pk: int, write: bool = False) -> Supplier:
    if not can(user, "manage_directory"):
        raise PermissionDenied("manage_directory")
    return get_object_or_404(Supplier, pk=pk)


def get_system_for(user, pk: int, write: bool = False) -> System:
    # Every employee may read the register (what a system is, who supplies it);
    # only the directory's managers may change it.
    if write and not can(user, "manage_directory"):
        raise PermissionDenied
    return get_object_or_404(System, pk=pk)


def get_chain_for(user, pk: int, write: bool = False) -> EscalationChain:
    if not can(user, "manage_chains"):
        raise PermissionDenied("manage_chains")
    return get_object_or_404(EscalationChain, pk=pk)


def get_person_to_grant(user, pk: int) -> Person:
    """The person to grant a role to: any person, for a login that may grant some role
    (the contact centre's leader too, who has no directory); 403 for everyone else."""
    if not grants.powers_of(user):
        raise PermissionDenied
    return get_object_or_404(Person, pk=pk)


def get_grant_for(user, pk: int, *, to: str, person_pk: int | None = None) -> RoleGrant:
    """A role grant that `user` may act on: `to` is "decide" (the second person) or
    "remove". A login that may grant no role gets 403; a grant they may not act on
    (their own, a role outside their table, already decided) 404."""
    if not grants.powers_of(user):
        raise PermissionDenied
    found = RoleGrant.objects.select_related("person", "granted_by")
    if person_pk is not None:
        found = found.filter(person_id=person_pk)
    item = get_object_or_404(found, pk=pk)
    allowed = grants.may_decide(user, item) if to == "decide" else grants.may_remove(user, item)
    if not allowed:
        raise Http404
    return item
