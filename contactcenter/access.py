"""Who may do what in the contact centre. Every contactcenter view goes through these.

Not logged in → 302 to the login (middleware); a role without the feature → 403;
an object that does not exist → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from beredskab.access import can, person_of
from beredskab.models import Person
from beredskab.roles import Role, has_role
from contactcenter.models import ContactChannel

# The agents who answer calls; the fallback voice line calls only them.
AGENT_ROLES = (Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER)
# Leaders and the switchboard see who is reachable (and put calls through to them).
REACHABLE_LIST_ROLES = (Role.LEDER, Role.KONTAKTCENTER, Role.KONTAKTCENTERLEDER, Role.ADMIN)


def can_edit_channels(user) -> bool:
    """The contact centre, IT and leaders keep the board, the location and the draft."""
    return can(user, "edit_channel_status")


def can_publish(user) -> bool:
    return can(user, "publish_robot_message")


def can_write_message(user) -> bool:
    return can_edit_channels(user) or can_publish(user)


def can_manage_integrations(user) -> bool:
    # Those who answer for what the robot says also answer for who may fetch it.
    return can_publish(user)


def can_see_reachable(user) -> bool:
    return bool(user.is_authenticated and has_role(user, *REACHABLE_LIST_ROLES))


def agent_person(user) -> Person:
    """The Person behind an agent's login; 403 for anyone who is not an agent."""
    person = person_of(user)
    if person is None or not has_role(user, *AGENT_ROLES):
        raise PermissionDenied
    return person


def reachable_person(user) -> Person:
    """Whoever declares themselves reachable: any active employee with a person in the
    directory (the plan: calls are put through to employees who made sure they can be
    reached); 403 for a login without one and for people outside the municipality."""
    person = person_of(user)
    if person is None or not person.is_active or person.is_external:
        raise PermissionDenied
    return person


def may_declare_reachable(user) -> bool:
    try:
        reachable_person(user)
    except PermissionDenied:
        return False
    return True


def is_agent(user) -> bool:
    try:
        agent_person(user)
    except PermissionDenied:
        return False
    return True


def get_channel_for(user, pk: int, write: bool = False) -> ContactChannel:
    # Every member of staff may read the board; only its editors change it.
    if write and not can_edit_channels(user):
        raise PermissionDenied
    return get_object_or_404(ContactChannel, pk=pk)


def require(check) -> None:
    if not check:
        raise PermissionDenied
