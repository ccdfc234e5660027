"""Who did something, as the records and the pages name them. The one way to say it.

A login with a person in the directory reads as the person ("Lone Petersen"), a login
without one as its username, a text actor (a provisioning client, "SCIM: entra-id") as
given, a Person as their name, and nobody (the system) as "". CPR numbers are masked
and the text fits the 200-character *_by_text fields and the timeline's actor text.
"""

from __future__ import annotations

from beredskab.cpr import mask_cpr

MAX_LENGTH = 200


def actor_text(actor) -> str:
    if actor is None:
        return ""
    if isinstance(actor, str):
        text = actor
    elif hasattr(actor, "get_username"):
        person = getattr(actor, "person", None)
        text = str(person) if person is not None else actor.get_username()
    else:
        text = str(actor)
    return mask_cpr(text)[:MAX_LENGTH]
