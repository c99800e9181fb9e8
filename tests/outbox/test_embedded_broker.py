"""The embedded broker of `make run` (``filesystem://``): a message is seen whole or not at all,
and a file that cannot be read never stops the worker."""

from __future__ import annotations

import threading
from queue import Empty

import pytest
from kombu import Connection

from backend.outbox import transport


@pytest.fixture
def channel(tmp_path):
    transport.install()
    queue = tmp_path / "queue"
    queue.mkdir()
    options = {"data_folder_in": str(queue), "data_folder_out": str(queue), "control_folder": str(tmp_path)}
    with Connection("filesystem://", transport_options=options) as conn:
        chan = conn.default_channel
        assert isinstance(chan, transport.Channel)
        yield chan


def test_messages_go_through_whole_while_a_reader_polls_the_folder(channel):
    """kombu's own writer creates the file and then fills it; a reader in between got an empty
    message and the worker died (JSONDecodeError). Here a reader polling all along gets every
    message whole."""
    received, errors, done = [], [], threading.Event()

    def read():
        while not done.is_set() or len(received) < 300:
            try:
                received.append(channel._get("celery"))
            except Empty:
                continue
            except Exception as exc:  # what killed the worker
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(300):
        channel._put("celery", {"n": n, "body": "x" * 20_000})
    done.set()
    reader.join(timeout=60)
    assert not errors and sorted(m["n"] for m in received) == list(range(300))
    assert not any(channel.staging_folder.iterdir())


def test_an_unreadable_file_is_skipped_and_the_next_message_delivered(channel):
    queue = channel.data_folder_in
    with open(f"{queue}/0_garbage.celery.msg", "w") as f:
        f.write("")
    channel._put("celery", {"n": 1})
    with pytest.raises(Empty):
        channel._get("celery")  # the empty file: logged and skipped, not raised
    assert channel._get("celery") == {"n": 1}
