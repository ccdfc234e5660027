"""The demo's console SMS backend sends nothing; this page shows what it would have
sent (the demo only: DJANGO_ENV=demo with the console backend, whatever DEBUG is), so
the acknowledgement links can be tried. An admin sees every message; anyone else only
the messages sent to their own person, because an acknowledgement link acts in its
recipient's name."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beredskab.access import person_of
from beredskab.models import OutboxMessage
from beredskab.roles import Role, has_role


def _sees_every_message(user) -> bool:
    return user.is_superuser or has_role(user, Role.ADMIN)


@require_GET
def console_sms(request: HttpRequest) -> HttpResponse:
    if settings.PRODUCTION or settings.SMS_BACKEND != "console":
        raise Http404
    messages = OutboxMessage.objects.filter(channel="sms")
    sees_every_message = _sees_every_message(request.user)
    if not sees_every_message:
        person = person_of(request.user)
        if person is None:
            messages = messages.none()
        else:
            # By the link to the person, or by their number for rows written without one.
            own = Q(person=person)
            if person.mobile:
                own |= Q(recipient=str(person.mobile))
            messages = messages.filter(own)
    messages = messages.order_by("-created_at", "-id")[:100]
    return render(
        request,
        "beredskab/demo_sms.html",
        {"sms_messages": messages, "sees_every_message": sees_every_message},
    )
