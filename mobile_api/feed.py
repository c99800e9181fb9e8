"""The phones' incremental feed of assignments: what changed since the phone's last sync, and
what it must drop.

A cursor of times (rows updated after the last sync) misses what the phone must forget (an
inspection moved to another team, an officer taken off a team: the row is no longer in the
officer's view, so no query of that view can return it) and a row written by a transaction that
commits after the sync read, stamped before it. So the cursor names what the phone holds instead:
each assignment's id with a short digest of exactly what the phone was sent. The server answers
the assignments whose content differs from the digest (new or changed, a revealed operation
included) and the ids the phone holds that are no longer its (``removed``). The phone then holds
exactly what a full sync would give it, whatever was committed when.

The cursor is the key of a stored ``FeedCursor`` row holding, per assignment, 16 bytes of UUID
and 6 bytes of SHA-256 of the assignment as sent: short whatever the phone holds (a URL stays
within a server's request-line limit). Rows live as long as a device token
(``MOBILE_TOKEN_TTL_DAYS``); an unknown or expired cursor, or one of the earlier form (a time),
is answered with the full feed (``full``: replace what you hold).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

PREFIX = "3."
_ID, _TAG = 16, 6
_ENTRY = _ID + _TAG


@dataclass(frozen=True)
class Held:
    """What the phone holds, read from its cursor; ``None`` entries when it cannot say (a cursor
    of the earlier form): then it gets the full feed."""

    tags: dict[uuid.UUID, bytes] | None


def tag(item: dict[str, Any]) -> bytes:
    canonical = json.dumps(item, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).digest()[:_TAG]


def pack(items: list[dict[str, Any]]) -> bytes:
    return b"".join(uuid.UUID(str(item["id"])).bytes + tag(item) for item in items)


def unpack(raw: bytes) -> Held:
    return Held(
        {uuid.UUID(bytes=raw[i : i + _ID]): raw[i + _ID : i + _ENTRY] for i in range(0, len(raw), _ENTRY)}
    )


def key(officer_id: int, packed: bytes) -> str:
    return hashlib.sha256(f"{officer_id}:".encode() + packed).hexdigest()


def changes(held: Held, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """(what to send, ids to remove) for a phone holding ``held`` when the full feed is ``items``."""
    if held.tags is None:
        return items, []
    current = {uuid.UUID(str(item["id"])) for item in items}
    sent = [item for item in items if held.tags.get(uuid.UUID(str(item["id"]))) != tag(item)]
    removed = sorted(str(i) for i in held.tags if i not in current)
    return sent, removed
