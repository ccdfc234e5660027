"""Live fragments that keep what people type.

A polled fragment carries the version of what it shows in its own URL (`?v=...`).
When nothing has changed since, the poll is answered 204 No Content, which htmx does
not swap: the fragment, and any form in it, is left exactly as it is. When something
changed, the fragment is swapped; forms inside it are marked `hx-preserve` (with a
stable id), so a note being typed survives that swap too. No trigger filter or
`hx-vals` with `js:` is needed, so the strict CSP (no eval) holds.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

PARAM = "v"


def version(*parts) -> str:
    """A short fingerprint of what a fragment shows (ids, statuses, times, counts)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def unchanged(request: HttpRequest, current: str) -> HttpResponse | None:
    """204 for a poll whose fragment is still current, else None (render it)."""
    if getattr(request, "htmx", False) and request.GET.get(PARAM) == current:
        response = HttpResponse(status=204)
        patch_vary_headers(response, ["HX-Request"])
        add_never_cache_headers(response)
        return response
    return None
