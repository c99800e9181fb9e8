"""Transactions that PostgreSQL may abort for the sake of others, retried.

Two writers that lock the same rows in different orders deadlock, and PostgreSQL aborts one of
them (SQLSTATE 40P01); a serializable transaction can be refused likewise (40001). Nothing of the
aborted transaction is kept, so running it again is safe and is what its client would do anyway:
doing it here means the client gets its answer instead of an error.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

T = TypeVar("T")

RETRIED_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ATTEMPTS = 4


def _retriable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRIED_SQLSTATES


def atomic_retrying(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """``work()`` in one transaction, run again (up to ``attempts`` times) when the database
    aborted it as a deadlock's victim. Inside an outer transaction it runs once: only the outer
    transaction could be retried whole."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if attempt == attempts or not _retriable(exc):
                raise
            time.sleep(random.uniform(0, 0.05 * attempt))
    raise AssertionError("unreachable")
