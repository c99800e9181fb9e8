"""Application-level encryption of personal data.

Keys come from settings, never from the repository:

- ``PERSONAL_DATA_KEYS``: Fernet keys (AES-128-CBC + HMAC-SHA256, authenticated, from
  ``cryptography``). The first encrypts; every one decrypts, so a new key is put first and the
  old ones stay until ``manage.py rotate_personal_data_keys`` has re-encrypted every value.
- ``PERSONAL_DATA_INDEX_KEY``: the key of the "blind index", an HMAC-SHA256 of a normalised value
  kept beside a ciphertext when a lookup needs equality (the same document number seen again).
  It is separate from the encryption keys, so it survives their rotation.

A value that no configured key opens (a restored backup without its key) is read as
``Unreadable``: it shows as unreadable and saves back unchanged, never as an error page.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "gAAAAA"  # noqa: S105  (every Fernet token, version byte 0x80, starts so in base64)


class Unreadable(str):
    """A ciphertext no configured key opens. Its text says so; ``token`` keeps the stored value,
    which is written back as it was if the row is saved."""

    token: str

    def __new__(cls, token: str) -> Unreadable:
        value = super().__new__(cls, "[unreadable]")
        value.token = token
        return value


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS must be set: no key to encrypt personal data with.")
    try:
        return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


def _keys() -> tuple[str, ...]:
    return tuple(settings.PERSONAL_DATA_KEYS or ())


def fernet() -> MultiFernet:
    return _fernet(_keys())


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plain text of ``token``; ``Unreadable`` when no configured key opens it."""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return Unreadable(token)


def is_token(value: str) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def is_current(token: str) -> bool:
    """Whether ``token`` was made with the first (current) key."""
    try:
        Fernet(_keys()[0].encode()).decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError, IndexError):
        return False
    return True


def rotate(token: str) -> str:
    """``token`` re-encrypted under the first key (unchanged plain text)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def normalise(value: str) -> str:
    """What two spellings of one document number share: NFKC, case-folded, no spaces or dashes."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


def blind_index(value: str, *, purpose: str = "") -> str:
    """A keyed hash (HMAC-SHA256 under PERSONAL_DATA_INDEX_KEY) for equality lookups; "" for an
    empty value. ``purpose`` separates indexes so one kind's hash never matches another's."""
    plain = normalise(value)
    if not plain:
        return ""
    key = settings.PERSONAL_DATA_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("PERSONAL_DATA_INDEX_KEY must be set: no key for the personal data index.")
    return hmac.new(key.encode(), f"{purpose}\x00{plain}".encode(), hashlib.sha256).hexdigest()


def coded_reference(value: str, *, scope: str) -> str:
    """A short, stable, non-reversible reference for others to quote instead of ``value``."""
    digest = blind_index(f"{scope}:{value}", purpose="coded-reference") if value else ""
    return f"SP-{digest[:8].upper()}" if digest else ""
