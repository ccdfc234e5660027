"""Helpers for the booking-cancellation tests: a campaign, exports in several shapes."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outages.models import Campaign
from outages.models.system_outage import COPENHAGEN
from outages.services import campaigns as service

# A period on a fixed day, so the times in the exports are inside or outside it for sure.
START = datetime(2026, 11, 28, 8, 0, tzinfo=COPENHAGEN)
END = datetime(2026, 11, 28, 16, 0, tzinfo=COPENHAGEN)

HEADER = "Navn;Mobil;Tidspunkt;Ydelse;Sted"
# Row 2..: two bookings for Søren (one SMS), a landline-looking but valid number,
# another Danish number, and six bad rows (a foreign and a premium-rate number among
# them: campaigns text Danish numbers only, and never premium-rate ones).
ROWS = [
    "Søren Ærø;20 12 34 56;28-11-2026 10:30;Pas;Borgerservice",  # 2
    "Søren Ærø;+45 20123456;28.11.2026 14.00;Kørekort;Borgerservice",  # 3: same citizen
    "Åse Øberg;0045 31-22-33-44;2026-11-28 09:15;Pas;Borgerservice",  # 4
    "Kim Berg;40 11 22 33;28-11-2026 11:00;Pas;Borgerservice",  # 5
    "Ingen Nummer;;28-11-2026 12:00;Pas;Borgerservice",  # 6: no number
    "Forkert Nummer;12;28-11-2026 12:00;Pas;Borgerservice",  # 7: invalid
    "For Sent;40506070;29-11-2026 10:00;Pas;Borgerservice",  # 8: outside the period
    "Søren Ærø;20123456;28-11-2026 10:30;Pas;Borgerservice",  # 9: duplicate of row 2
    "Ulla Udland;+46 70 123 45 67;28-11-2026 11:30;Pas;Borgerservice",  # 10: foreign
    "Per Præmie;90 12 34 56;28-11-2026 12:30;Pas;Borgerservice",  # 11: premium-rate
]


def export(rows=ROWS, header=HEADER, encoding="cp1252", newline="\r\n") -> bytes:
    text = newline.join([header, *rows]) + newline
    data = text.encode(encoding)
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    return data


def upload(data: bytes, name: str = "bookinger.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def make_campaign(user, *, is_exercise=False, **fields) -> Campaign:
    return service.start(
        user,
        period_start=fields.pop("period_start", START),
        period_end=fields.pop("period_end", END),
        place=fields.pop("place", "Borgerservice"),
        reason=fields.pop("reason", "Strømsvigt på rådhuset"),
        is_exercise=is_exercise,
        **fields,
    )


def post_file(client, campaign, data: bytes, name: str = "bookinger.csv"):
    return client.post(
        reverse("outages:campaign_import", args=[campaign.pk]), {"file": upload(data, name)}
    )
