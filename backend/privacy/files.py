"""Files that belong to a person (a worker's card photo, a signature), encrypted at rest.

Fernet, under the same ``PERSONAL_DATA_KEYS`` as the encrypted columns, applied in chunks so a
large photo is never held whole in memory, on upload or when served:

    b"JIPD1\\n"  then, per chunk:  4-byte big-endian length + the chunk's Fernet token (raw bytes)

Each chunk's plain text starts with its index (4 bytes) and a last-chunk flag (1 byte): chunks
cannot be reordered, dropped or cut off at the end without the reading failing. A file no
configured key opens raises ``UnreadableFile``; callers answer as for any unreadable value.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterator
from typing import IO

from cryptography.fernet import InvalidToken

from backend.privacy import crypto

MAGIC = b"JIPD1\n"
CHUNK = 1 << 16
_HEADER = struct.Struct(">IB")  # chunk index, last-chunk flag
_LENGTH = struct.Struct(">I")


class UnreadableFile(Exception):
    """No configured key opens this file, or it was cut or altered."""


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _chunks(source: IO[bytes], size: int) -> Iterator[tuple[bytes, bool]]:
    """The source's chunks, each with whether it is the last (an empty file is one empty chunk)."""
    current = source.read(size)
    while True:
        following = source.read(size) if current else b""
        yield current, not following
        if not following:
            return
        current = following


def encrypt_file(source: IO[bytes], out: IO[bytes], *, chunk_size: int = CHUNK) -> None:
    """Write ``source`` (read from where it stands) to ``out`` encrypted under the first key."""
    fernet = crypto.fernet()
    out.write(MAGIC)
    for index, (data, last) in enumerate(_chunks(source, chunk_size)):
        token = base64.urlsafe_b64decode(fernet.encrypt(_HEADER.pack(index, last) + data))
        out.write(_LENGTH.pack(len(token)) + token)


def _tokens(source: IO[bytes]) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise UnreadableFile("not an encrypted personal file")
    while True:
        length = source.read(_LENGTH.size)
        if not length:
            return
        if len(length) != _LENGTH.size:
            raise UnreadableFile("cut off")
        token = source.read(_LENGTH.unpack(length)[0])
        yield base64.urlsafe_b64encode(token)


def _opened(source: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(token, plain data) of each chunk, each checked (key, order, completeness) before given."""
    fernet = crypto.fernet()
    ended = False
    for expected, token in enumerate(_tokens(source)):
        if ended:
            raise UnreadableFile("data after the last chunk")
        try:
            plain = fernet.decrypt(token)
        except (InvalidToken, ValueError) as exc:
            raise UnreadableFile("no configured key opens it, or it was altered") from exc
        index, last = _HEADER.unpack_from(plain)
        if index != expected:
            raise UnreadableFile("chunks out of order")
        ended = bool(last)
        yield token, plain[_HEADER.size :]
    if not ended:
        raise UnreadableFile("cut off before its last chunk")


def decrypt_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The plain bytes of an encrypted file, chunk by chunk, each checked before it is given."""
    for _token, data in _opened(source):
        yield data


def decrypt_file(source: IO[bytes], out: IO[bytes]) -> None:
    for data in decrypt_chunks(source):
        out.write(data)


def is_current(source: IO[bytes]) -> bool:
    """Whether the file was encrypted under the first (current) key (its first chunk says)."""
    try:
        first = next(_tokens(source))
    except (UnreadableFile, StopIteration):
        return False
    return crypto.is_current(first.decode("ascii"))


def rotate_file(source: IO[bytes], out: IO[bytes]) -> None:
    """Re-encrypt under the first key, chunk by chunk (each chunk checked on the way)."""
    fernet = crypto.fernet()
    out.write(MAGIC)
    for token, _data in _opened(source):
        fresh = base64.urlsafe_b64decode(fernet.rotate(token))
        out.write(_LENGTH.pack(len(fresh)) + fresh)
