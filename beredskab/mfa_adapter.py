"""How the portal bends allauth.mfa: a person who must have a second factor cannot
remove their last one (an admin resets factors instead, beredskab.services.factors),
and a refused code says it may have been used already."""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _


class PortalMFAAdapter(DefaultMFAAdapter):
    # A used TOTP code is refused as a wrong one is; the message says both.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("The code is not right, or it has been used already."),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        from beredskab.mfa_policy import FACTOR_TYPES, requires_second_factor

        if authenticator.type not in FACTOR_TYPES:
            return True
        request = context.request
        user = authenticator.user
        if request is None or not requires_second_factor(user, request):
            return True
        others = (
            type(authenticator)
            .objects.filter(user_id=user.pk, type__in=FACTOR_TYPES)
            .exclude(pk=authenticator.pk)
        )
        return others.exists()
