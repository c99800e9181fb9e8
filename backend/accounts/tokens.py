"""The shape of a script's token. Stored as ``backend.core.tokens.token_hash`` makes it."""

from __future__ import annotations

import re
import secrets

# Marks our tokens apart from the officers' device tokens (and lets secret scanners find them).
TOKEN_PREFIX = "jia_"  # noqa: S105 (a marker, not a secret)
# 256 random bits in token_urlsafe's alphabet: 43 characters.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")


def token_new() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
