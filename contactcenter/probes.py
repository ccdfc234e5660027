"""Health probes of the channels: a short HTTP GET, only to allow-listed hosts.

Run every minute by beat (contactcenter.tasks.probe_channels). Each channel is claimed
by a conditional update before it is probed, and the HTTP call happens outside any
transaction, so two runs at once never probe a channel twice nor hold a lock on it.

What a probe may reach (the authority issue, item 12): http or https, port 80 or 443,
a host name on CONTACT_PROBE_ALLOWED_HOSTS. The name is resolved here, every address
it resolves to is checked (public, or inside CONTACT_PROBE_ALLOWED_NETWORKS), and the
connection goes to the checked address, so DNS cannot point an allowed name at the
cloud metadata service or an internal port between the check and the call. Redirects
are never followed: a 3xx is a failed probe.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings

from contactcenter.models import ContactChannel, host_allowed

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
USER_AGENT = "Beredskabsportalen-probe"


class ProbeRefused(Exception):
    """The probe will not call this address; the text is the short detail."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this: no DNS in tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to a checked address (tests replace this to reach a local
    server on another port: binding 80 or 443 needs privileges)."""
    return socket.create_connection((address, port), timeout=timeout)


def address_allowed(address: str) -> bool:
    """A public address, or one inside CONTACT_PROBE_ALLOWED_NETWORKS."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for network in settings.CONTACT_PROBE_ALLOWED_NETWORKS:
        if ip in ipaddress.ip_network(network, strict=False):
            return True
    return ip.is_global


def checked_address(host: str, port: int) -> str:
    """The address to connect to: refused when ANY address of the name is not allowed
    (a name that answers with a public and a private address is not to be trusted)."""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise ProbeRefused(f"DNS: {type(error).__name__}") from None
    if not addresses:
        raise ProbeRefused("DNS: no address")
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise ProbeRefused(f"address not allowed: {refused[0]}")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = open_socket(self._address, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = open_socket(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def probe_url(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """(answered with 2xx, a short detail). Refuses anything off the allow-list."""
    if not host_allowed(url):
        return False, "host not allowed"
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        address = checked_address(host, port)
    except ProbeRefused as refused:
        return False, str(refused)[:100]
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address, timeout)
    try:
        # http.client follows no redirects: a 3xx comes back as the answer.
        connection.request("GET", path, headers={"User-Agent": USER_AGENT})
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as error:
        return False, type(error).__name__
    finally:
        connection.close()
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
