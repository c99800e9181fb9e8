"""Writes and reads of the assignment feed's cursors (the rules are in mobile_api/feed.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from backend.registry.models import Officer
from mobile_api import feed
from mobile_api.models import FeedCursor


def _oldest_kept() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.MOBILE_TOKEN_TTL_DAYS)


def feed_cursor_recall(*, officer: Officer, cursor: str) -> feed.Held | None:
    """What the phone held when it was given ``cursor``; None when the cursor is not of the
    stored form. An unknown or expired one of that form says nothing: the full feed follows."""
    if not cursor.startswith(feed.PREFIX):
        return None
    key = cursor[len(feed.PREFIX) :]
    rows = FeedCursor.objects.filter(key=key, officer=officer, created_at__gte=_oldest_kept())
    row = rows.only("held").first()
    return feed.Held(None) if row is None else feed.unpack(bytes(row.held))


def feed_cursor_remember(*, officer: Officer, items: list[dict[str, Any]]) -> str:
    """Store what the phone holds after this answer and return its cursor: two queries whatever
    it holds. The same holdings reuse one row (the insert is skipped on its key), and rows older
    than a device token may live go."""
    packed = feed.pack(items)
    key = feed.key(officer.pk, packed)
    FeedCursor.objects.bulk_create([FeedCursor(key=key, officer=officer, held=packed)], ignore_conflicts=True)
    FeedCursor.objects.filter(officer=officer, created_at__lt=_oldest_kept()).delete()
    return feed.PREFIX + key
