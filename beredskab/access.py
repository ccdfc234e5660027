"""Access rules of the shared core. Every beredskab view goes through these.

Not logged in → 302 to the login (LoginRequiredMiddleware); a role without the
feature → 403 (PermissionDenied); an object outside the user's scope → 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from beredskab.models import Department, EscalationChain, Person, Supplier, System
from beredskab.roles import perm


def require_perm(codename: str) -> Callable:
    """View decorator: 403 unless the user holds the portal permission `codename`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm(codename)):
                raise PermissionDenied
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
        raise PermissionDenied
    return get_object_or_404(Person, pk=pk)


def get_department_for(user, pk: int, write: bool = False) -> Department:
    if not can(user, "manage_directory"):
        raise PermissionDenied
    return get_object_or_404(Department, pk=pk)


def get_supplier_for(user, pk: int, write: bool = False) -> Supplier:
    if not can(user, "manage_directory"):
        raise PermissionDenied
    return get_object_or_404(Supplier, pk=pk)


def get_system_for(user, pk: int, write: bool = False) -> System:
    # Every employee may read the register (what a system is, who supplies it);
    # only the directory's managers may change it.
    if write and not can(user, "manage_directory"):
        raise PermissionDenied
    return get_object_or_404(System, pk=pk)


def get_chain_for(user, pk: int, write: bool = False) -> EscalationChain:
    if not can(user, "manage_chains"):
        raise PermissionDenied
    return get_object_or_404(EscalationChain, pk=pk)
