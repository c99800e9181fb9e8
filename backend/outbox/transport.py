"""The brokers' transports, each kombu's own with one fault mended.

The embedded broker `make run` uses: kombu's file-system transport, made safe for a web
process and a worker sharing one folder.

kombu's own transport creates a message file in the queue folder and then writes into it, and
its reader takes any file it lists: a worker that lists the folder in between reads an empty
message and dies on it (seen under load), and the message is lost. Here a message is written
whole into a staging folder on the same file system and renamed into the queue folder, which is
atomic: the worker sees a complete file or none. A file that still cannot be read is logged
and left aside, never fatal to the worker.

Redis: a worker that loses Redis while it holds unacknowledged messages must reconnect, not die.
Celery 5.7's consumer, on losing the broker, collects the connection (which detaches the transport
from it) and then closes it, ignoring the transport's connection errors. When its channel was in
the middle of a read at that moment, the first close stops short and the second asks the detached
transport for its host to give the messages back, which raised ``AttributeError`` and ended the
worker (CI, 2026-12-05, a fault test with Redis stopped). Here a detached transport is a
connection error like any other: the close is ignored, the worker reconnects, and the messages
are given back by Redis after the visibility timeout, or sent again by the outbox's relay sooner.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any

import redis.exceptions
from kombu.transport import filesystem
from kombu.transport import redis as kombu_redis
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


class RedisChannel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        if self.connection is None or self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection is closed")
        return super()._connparams(asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


def install() -> None:
    """Make ``filesystem://``, ``redis://`` and ``rediss://`` mean these transports (called by the
    Celery app, in every process)."""
    from kombu.transport import TRANSPORT_ALIASES

    TRANSPORT_ALIASES["filesystem"] = "backend.outbox.transport:Transport"
    TRANSPORT_ALIASES["redis"] = TRANSPORT_ALIASES["rediss"] = "backend.outbox.transport:RedisTransport"


__all__ = ["Channel", "RedisChannel", "RedisTransport", "Transport", "install"]
