"""docker-compose.yml publishes nothing on the host's public interfaces (issue 24, item 5):
the app listens only where the TLS proxy reaches it, so nobody can go around the proxy
(and its X-Forwarded-For) to guess passwords.

PyYAML is not a dependency, so the compose file's `ports:` lists are read as text: both
the short syntax ("127.0.0.1:8000:8000") and the long one (`host_ip:`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def published_ports(text: str) -> list[dict]:
    """Every entry of every `ports:` list: {"service": ..., "host_ip": ..., "raw": ...}."""
    out: list[dict] = []
    service = None
    in_services = False
    ports_indent: int | None = None
    entry: dict | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0:
            in_services = stripped == "services:"
            ports_indent = None
            continue
        if in_services and indent == 2 and stripped.endswith(":"):
            service = stripped[:-1]
            ports_indent = None
            continue
        # The list ends at the next key as far left as `ports:` (items may sit at its level).
        if ports_indent is not None and (
            indent < ports_indent or (indent == ports_indent and not stripped.startswith("- "))
        ):
            ports_indent = None
        if stripped == "ports:":
            ports_indent = indent
            continue
        if ports_indent is None:
            continue
        if stripped.startswith("- "):
            item = stripped[2:].strip()
            if re.match(r"^[a-z_]+:\s", item):  # the long syntax: a mapping
                entry = {"service": service, "host_ip": "", "raw": item}
                key, _, value = item.partition(":")
                entry[key.strip()] = value.strip().strip("'\"")
            else:
                entry = {"service": service, "raw": item, **_short_syntax(item)}
            out.append(entry)
        elif entry is not None and ":" in stripped:  # a further key of a long entry
            key, _, value = stripped.partition(":")
            entry[key.strip()] = value.strip().strip("'\"")
            entry["raw"] += f" {stripped}"
    return out


def _short_syntax(item: str) -> dict:
    spec = item.strip("'\"").split("/")[0]  # "/tcp"
    ipv6 = re.match(r"^\[([^\]]+)\]:(.+)$", spec)
    if ipv6:
        return {"host_ip": ipv6.group(1)}
    parts = spec.split(":")
    # "8000" or "8000:8000": every interface; "IP:HOST:CONTAINER": that address only.
    return {"host_ip": parts[0] if len(parts) == 3 else ""}


def test_it_publishes_no_port_on_every_interface():
    ports = published_ports((ROOT / "docker-compose.yml").read_text())
    assert ports, "the web server must be reachable by the proxy on the host's loopback"
    for port in ports:
        assert port["host_ip"] in LOOPBACK, f"{port['service']}: {port['raw']}"


def test_it_runs_no_service_on_the_hosts_network():
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"^\s*network_mode:\s*['\"]?host", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("compose", "host_ip"),
    [
        ('services:\n  web:\n    ports:\n      - "8000:8000"\n', ""),
        ("services:\n  web:\n    ports:\n      - 8000\n", ""),
        ('services:\n  web:\n    ports:\n      - "0.0.0.0:8000:8000"\n', "0.0.0.0"),
        ('services:\n  web:\n    ports:\n      - "127.0.0.1:8000:8000/tcp"\n', "127.0.0.1"),
        ('services:\n  web:\n    ports:\n      - "[::1]:8000:8000"\n', "::1"),
        ("services:\n  web:\n    ports:\n      - target: 8000\n        published: 8000\n", ""),
        (
            "services:\n  web:\n    ports:\n      - target: 8000\n        host_ip: 127.0.0.1\n",
            "127.0.0.1",
        ),
    ],
)
def test_it_reads_each_way_of_publishing_a_port(compose, host_ip):
    (port,) = published_ports(compose)
    assert port["service"] == "web"
    assert port["host_ip"] == host_ip
