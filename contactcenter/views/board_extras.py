"""What the board shows beside the channels. Filled in by the later parts."""

from __future__ import annotations

from django.http import HttpRequest


def board_extras(request: HttpRequest) -> dict:
    return {}
