"""What waits for a second person ("Afventer godkendelse"): role grants, campaigns,
held provisioning runs, held reports. Each app registers a provider from its
AppConfig.ready(), so the core lists them without importing any feature app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PendingItem:
    kind: str  # translated text: "Role grant", "Campaign", ...
    title: str  # what it is, for a person
    url: str  # where the second person decides
    requested_by: str
    requested_at: datetime | None


Provider = Callable[[object], Iterable[PendingItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register `provider(user) -> items that `user` may decide on`. Idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def pending_for(user) -> list[PendingItem]:
    items: list[PendingItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (i.requested_at is None, i.requested_at or 0))
