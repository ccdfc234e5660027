"""The double-submit guard: a form carries a nonce, and what it creates is created once
per nonce, however often (and however concurrently) the form is sent.

The model has a unique `nonce` field. A resubmit that arrives after the first has
committed finds its row; two submits at the same moment both pass that check, and the
database's unique constraint decides: the loser's INSERT waits for the winner's commit,
fails, is rolled back (its savepoint only), and the winner's row is returned. Nothing of
the loser's work is kept, and the caller never sees the IntegrityError (no 500).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

T = TypeVar("T", bound=models.Model)


def existing(model: type[T], nonce: str) -> T | None:
    return model._default_manager.filter(nonce=nonce).first()


def once_per_nonce(model: type[T], nonce: str, create: Callable[[], T]) -> T:
    """`create()` (which saves a `model` row with this `nonce`) once per nonce; the row
    the first submit created for every later or concurrent one. In a transaction."""
    if nonce and (found := existing(model, nonce)) is not None:
        return found
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        found = existing(model, nonce) if nonce else None
        if found is None:  # another constraint failed: not a double submit
            raise
        return found
