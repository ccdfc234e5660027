"""The client's address, as the login lock-out (axes) and the re-authentication see it.

X-Forwarded-For is written by whoever sends the request, so it is believed only when
the request came from one of our own reverse proxies (settings.TRUSTED_PROXIES,
addresses or CIDR ranges, empty by default). Each of our proxies appends the address it
saw to the RIGHT end, so walking from the right, the first entry that is not one of our
proxies is the client; everything to the left of it the client may have made up.
With no trusted proxy (or a peer that is not one) the client is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    """settings.TRUSTED_PROXIES parsed (read at call time, so tests can override it)."""
    return _networks(tuple(e for e in getattr(settings, "TRUSTED_PROXIES", ()) if e.strip()))


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = address.strip()
    # "[2001:db8::1]:443" and "198.51.100.1:443": some proxies append the port.
    if address.startswith("["):
        address = address[1:].split("]", 1)[0]
    elif address.count(":") == 1:
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def is_trusted_proxy(address: str | None, networks: tuple[Network, ...] | None = None) -> bool:
    parsed = _parse(address or "")
    if parsed is None:
        return False
    networks = trusted_networks() if networks is None else networks
    return any(parsed in net for net in networks)


def client_ip(request) -> str | None:
    """The address of the client: REMOTE_ADDR, or, when that is a trusted proxy, the
    last hop in X-Forwarded-For that is not a trusted proxy."""
    remote_addr = request.META.get("REMOTE_ADDR")
    networks = trusted_networks()
    if not networks or not is_trusted_proxy(remote_addr, networks):
        return remote_addr
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        parsed = _parse(hop)
        if parsed is None:
            # Garbage in the chain before reaching an untrusted hop: our proxies never
            # write that, so the rest of the header is the client's own. Stop here and
            # count it against the last proxy of ours that handed it on.
            return remote_addr
        if not is_trusted_proxy(hop, networks):
            return str(parsed)
    # Only our own proxies in the chain (a health probe from inside): the peer itself.
    return remote_addr
