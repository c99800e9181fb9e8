"""The embedded broker `make run` uses: kombu's file-system transport, made safe for a web
process and a worker sharing one folder.

kombu's own transport creates a message file in the queue folder and then writes into it, and
its reader takes any file it lists: a worker that lists the folder in between reads an empty
message and dies on it (seen under load), and the message is lost. Here a message is written
whole into a staging folder on the same file system and renamed into the queue folder, which is
atomic: the worker sees a complete file or none. A file that still cannot be read is logged
and left aside, never fatal to the worker.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)


class Channel(filesystem.Channel):
    @property
    def staging_folder(self) -> Path:
        folder = Path(
            self.transport_options.get("staging_folder") or Path(self.data_folder_out).parent / "staging"
        )
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        staged = self.staging_folder / name
        with open(staged, "wb") as f:
            f.write(str_to_bytes(dumps(payload)))
            f.flush()
            os.fsync(f.fileno())
        os.replace(staged, os.path.join(self.data_folder_out, name))

    def _get(self, queue: str) -> Any:
        try:
            return super()._get(queue)
        except ValueError as exc:  # not JSON: a file put there by something else
            logger.error("broker: unreadable message in %s skipped: %s", self.data_folder_in, exc)
            raise Empty() from exc


class Transport(filesystem.Transport):
    Channel = Channel


def install() -> None:
    """Make ``filesystem://`` mean this transport (called by the Celery app, in every process)."""
    from kombu.transport import TRANSPORT_ALIASES

    TRANSPORT_ALIASES["filesystem"] = "backend.outbox.transport:Transport"


__all__ = ["Channel", "Transport", "install"]
