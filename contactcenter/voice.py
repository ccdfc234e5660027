"""The fallback voice line's TwiML, built with the twilio library's VoiceResponse.

It reads the live crisis message in Danish, then puts the caller through to the first
agent on the reachable list, or says when the centre expects to answer again. Calls
go only to numbers on that list.
"""

from __future__ import annotations

from datetime import datetime

from twilio.twiml.voice_response import VoiceResponse

from contactcenter.models import CrisisMessage
from contactcenter.plan import VOICE_TEXTS

LANGUAGE = "da-DK"
DIAL_TIMEOUT_SECONDS = 25


def first_reachable_number(now: datetime) -> str | None:
    """Stage 3 fills this in from the reachable list."""
    return None


def expected_back_text(now: datetime) -> str:
    return VOICE_TEXTS["unknown_back"]


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
