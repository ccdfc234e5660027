"""Who must have a second factor, and the middleware that holds them to it.

The rule (issue 13): a privileged login (beredskab.authority: a privileged role, or a
superuser) needs a second factor unless Entra ID has proved one for this session.
A person the rule applies to who has no factor yet sees only the enrolment pages (and
logout) until they have bound one; once they have one, allauth.mfa asks for it at every
login (its AuthenticateStage) and beredskab.reauth asks for it again before dangerous
actions.

The emergency package adds break-glass accounts to the rule (`or is_break_glass(user)`
in requires_second_factor) when the branches are merged.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from beredskab.authority import privileged_roles

# What counts as "a factor": recovery codes alone are a way back in, not a factor.
FACTOR_TYPES = ("totp", "webauthn")
# The session key the Entra ID sign-in sets when the token carried MFA proof (used only
# until beredskab.entra exists on main; see has_entra_mfa_proof).
ENTRA_PROOF_SESSION_KEY = "entra_mfa_proof"


def has_entra_mfa_proof(request) -> bool:
    """Whether this session's Entra ID sign-in proved a second factor."""
    try:
        from beredskab.entra import has_entra_mfa_proof as entra_proof
    except ImportError:
        session = getattr(request, "session", None)
        return bool(session and session.get(ENTRA_PROOF_SESSION_KEY))
    return bool(entra_proof(request))


def is_privileged_user(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    names = {group.name for group in user.groups.all()}
    return bool(names & privileged_roles())


def has_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def requires_second_factor(user, request) -> bool:
    """True for a privileged or break-glass login without Entra ID proof, while the
    setting is on. A session made by an SMS code in the emergency mode is exempt: the
    code proved the phone, and a second factor would lock everyone out that day."""
    from beredskab.breakglass import is_break_glass
    from beredskab.sms_login import is_sms_session

    if not getattr(settings, "MFA_REQUIRED_FOR_PRIVILEGED", True):
        return False
    if request is not None and is_sms_session(request):
        return False
    if not (is_privileged_user(user) or is_break_glass(user)):
        return False
    return not has_entra_mfa_proof(request)


def may_reset_factors(user) -> bool:
    """An admin (the role) or a superuser may reset another person's factors."""
    from beredskab.roles import Role

    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=Role.ADMIN).exists()


def _allowed_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),  # the enrolment pages: /accounts/2fa/...
        reverse("logout"),
        reverse("reauth"),
        reverse("set_language"),
        # The demo's phone, where the enrolment SMS shows (404 outside the demo).
        reverse("demo_sms"),
        settings.STATIC_URL,
    )


class SecondFactorMiddleware:
    """A person who must have a second factor and has none is sent to enrolment from
    every page but enrolment, logout and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_allowed_prefixes())
            and requires_second_factor(user, request)
            and not has_factor(user)
        ):
            return redirect("mfa_enrol")
        return self.get_response(request)
