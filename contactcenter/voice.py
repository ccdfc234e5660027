"""The fallback voice line's TwiML, built with the twilio library's VoiceResponse.

It reads the live crisis message in Danish, then puts the caller through to the first
agent on the reachable list, or says when the centre expects to answer again. Calls
go only to numbers on that list, and only to Danish ones: the number is checked when
an agent sets it and again here, so a number stored before the rule (or written past
the form) is skipped rather than dialled.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from twilio.twiml.voice_response import VoiceResponse

from contactcenter.access import AGENT_ROLES
from contactcenter.models import CentreLocation, CrisisMessage, Reachability, is_danish_number
from contactcenter.plan import VOICE_TEXTS

LANGUAGE = "da-DK"
DIAL_TIMEOUT_SECONDS = 25
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


DANISH_MONTHS = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()


def first_reachable_number(now: datetime) -> str | None:
    """The agent who has been reachable the longest; only people on the list, and only
    Danish numbers."""
    # Any employee may be on the list (calls are put through to them by the centre),
    # but the unattended voice line dials only the centre's own agents.
    agents = Reachability.objects.current(now).filter(person__roles__name__in=AGENT_ROLES)
    for reachable in agents:
        if is_danish_number(reachable.number):
            return reachable.number.as_e164
    return None


def danish_time(when: datetime, now: datetime) -> str:
    local, today = timezone.localtime(when, COPENHAGEN), timezone.localtime(now, COPENHAGEN)
    clock = f"klokken {local:%H.%M}"
    if local.date() == today.date():
        return f"i dag {clock}"
    return f"den {local.day}. {DANISH_MONTHS[local.month - 1]} {clock}"


def expected_back_text(now: datetime) -> str:
    expected = CentreLocation.current().expected_answer_at
    if expected is None or expected <= now:
        return VOICE_TEXTS["unknown_back"]
    return VOICE_TEXTS["expected_back"].format(when=danish_time(expected, now))


def voice_response(now: datetime) -> VoiceResponse:
    response = VoiceResponse()
    message = CrisisMessage.objects.live().first()
    response.say(message.body if message else VOICE_TEXTS["no_message"], language=LANGUAGE)
    number = first_reachable_number(now)
    if number:
        response.say(VOICE_TEXTS["connecting"], language=LANGUAGE)
        response.dial(number, timeout=DIAL_TIMEOUT_SECONDS)
        # Reached only when nobody answers the dialled number.
        response.say(VOICE_TEXTS["no_answer"], language=LANGUAGE)
    else:
        response.say(expected_back_text(now), language=LANGUAGE)
    response.hangup()
    return response
