"""The provider's control state: one JSON file, so the test and the server agree."""

import json

from django.conf import settings

DEFAULT = {"users": {}, "misbehave": "", "nonces": [], "authorize": []}


def load() -> dict:
    path = settings.STATE_DIR / "state.json"
    if not path.exists():
        return json.loads(json.dumps(DEFAULT))
    return {**DEFAULT, **json.loads(path.read_text())}


def save(state: dict) -> None:
    path = settings.STATE_DIR / "state.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(path)
