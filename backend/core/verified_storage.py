"""Local uploads written whole or not at all.

The bytes go to a hidden temporary name beside the target, are flushed to disk and read back
(size and SHA-256), and only then take their name (a hard link: never over another file). A
disk that fills up or a folder that turns read-only mid-write leaves nothing under the name and
answers 507 (full) or 503 with ``Retry-After`` (``StorageUnavailable``), so the client's retry is
stored under the name the first try had. Before, Django's storage wrote in place: a full disk
left 2 MB of a 3 MB photo under the name, answered 500, and the retry got a suffixed name.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError

# How long a client should wait before retrying a write the storage could not take.
STORAGE_RETRY_AFTER_SECONDS = 60
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


class StorageUnavailable(DomainError):
    """The file could not be written (disk full, folder read-only); nothing of it was kept and
    the same request may be sent again later. 507 when the disk is full, 503 otherwise."""

    code = "storage_unavailable"
    status = 503
    title = _("The file could not be stored just now; nothing was kept. Retry later.")

    def __init__(self, *, full: bool, reason: str) -> None:
        super().__init__(extra={"retry_after": STORAGE_RETRY_AFTER_SECONDS})
        self.status = 507 if full else 503
        self.code = "storage_full" if full else "storage_unavailable"
        self.reason = reason
        self.headers = {"Retry-After": str(STORAGE_RETRY_AFTER_SECONDS)}


class VerifiedFileSystemStorage(FileSystemStorage):
    """Django's local storage, writing each file whole or not at all (see the module's note)."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        temporary = None
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".tmp")
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    data = chunk.encode() if isinstance(chunk, str) else chunk
                    out.write(data)
                    digest.update(data)
                    size += len(data)
                out.flush()
                os.fsync(out.fileno())
            if (size, digest.hexdigest()) != _measure(temporary):
                raise OSError(errno.EIO, "the file read back differs from the bytes written")
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            while True:
                try:
                    os.link(temporary, full_path)  # never over an existing file, atomic
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        except OSError as exc:
            raise StorageUnavailable(full=exc.errno in _FULL, reason=str(exc)) from exc
        finally:
            if temporary is not None:
                # A folder turned read-only keeps a hidden temporary, never a file under the name.
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def _measure(path: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stored:
        while block := stored.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()
