"""Health probes of the channels: a short HTTP GET, only to allow-listed hosts.

Run every minute by beat (contactcenter.tasks.probe_channels). Each channel is claimed
by a conditional update before it is probed, and the HTTP call happens outside any
transaction, so two runs at once never probe a channel twice nor hold a lock on it.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import datetime

from contactcenter.models import ContactChannel, host_allowed

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere, also off the allow-list: it counts as a failure.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxies from the environment, no redirects.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def probe_url(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """(answered with 2xx, a short detail). Refuses hosts off the allow-list."""
    if not host_allowed(url):
        return False, "host not allowed"
    request = urllib.request.Request(url, headers={"User-Agent": "Beredskabsportalen-probe"})
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return False, type(reason).__name__ if not isinstance(reason, str) else reason[:100]
    if 200 <= status < 300:
        return True, f"HTTP {status}"
    return False, f"HTTP {status}"


def run_probes(now: datetime) -> dict[str, str]:
    """Probe every channel with a health URL that is due; returns {key: new state}."""
    changed: dict[str, str] = {}
    for channel in ContactChannel.objects.exclude(health_url=""):
        if not channel.claim_probe(now):
            continue
        ok, detail = probe_url(channel.health_url)
        new_state = channel.record_probe(ok, detail, now)
        if new_state is not None:
            changed[channel.key] = new_state
            log.info("channel %s probed %s: now %s", channel.key, detail, new_state)
    return changed
