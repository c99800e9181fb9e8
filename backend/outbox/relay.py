"""This process's relay thread: sends the messages its requests just committed, off their path.

A request that enqueued work hands the message's id here after its transaction commits and
answers at once; a daemon thread of the process sends it to the broker. A broker that is down
(or slow to refuse) costs the thread, never a request: the message stays pending and the
periodic relay (``outbox.relay_pending``, on beat) sends it later. The queue is bounded and
nothing waits on it: a full queue drops the hint, and the periodic relay finds the row anyway.
One thread per process, started on first use (after a fork, the child starts its own).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from typing import Any

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

_QUEUE_SIZE = 10_000
_lock = threading.Lock()
_queue: queue.Queue[Any] = queue.Queue(maxsize=_QUEUE_SIZE)
_thread: threading.Thread | None = None
_pid: int | None = None


def hint(message_id: Any) -> None:
    """Ask the relay thread to send this message soon. Never blocks, never raises."""
    try:
        _ensure_thread()
        _queue.put_nowait(message_id)
    except queue.Full:
        logger.warning("outbox: relay queue full; %s waits for the periodic relay", message_id)
    except Exception:  # a hint is a courtesy: the periodic relay sends the row regardless
        logger.exception("outbox: relay hint for %s dropped", message_id)


def _ensure_thread() -> None:
    global _thread, _pid, _queue
    if _thread is not None and _thread.is_alive() and _pid == os.getpid():
        return
    with _lock:
        if _thread is not None and _thread.is_alive() and _pid == os.getpid():
            return
        if _pid != os.getpid():
            _queue = queue.Queue(maxsize=_QUEUE_SIZE)  # a forked child does not inherit the parent's hints
        _pid = os.getpid()
        _thread = threading.Thread(target=_run, args=(_queue,), name="outbox-relay", daemon=True)
        _thread.start()
        # A command that ends right after its commit (load_demo) gives the thread a moment to
        # send; what it cannot send in time stays pending for the periodic relay.
        atexit.register(wait_idle, 5.0)


def _run(hints: queue.Queue[Any]) -> None:
    from backend.outbox.services import BrokerUnavailable, outbox_relay

    while True:
        message_id = hints.get()
        try:
            close_old_connections()
            outbox_relay(message_id=message_id)
        except BrokerUnavailable:
            pass  # recorded on the row; the periodic relay sends it later
        except Exception:
            logger.exception("outbox: relay of %s failed; the periodic relay will send it", message_id)
            connection.close()
        finally:
            hints.task_done()


def wait_idle(timeout: float = 10.0) -> bool:
    """Wait until every hint given so far was handled (tests and exit). True if it was. Polls
    rather than starting a thread: it also runs at interpreter exit, where none may start."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
