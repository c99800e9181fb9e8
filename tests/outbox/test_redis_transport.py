"""The Redis broker's transport: a worker that loses Redis while it holds unacknowledged messages
reconnects instead of dying, and the messages are not lost.

Celery 5.7's consumer, on losing the broker, collects its connection (detaching the transport)
and then closes it, ignoring the transport's connection errors. When the channel's first close
had stopped short (it was reading at that moment), the second one asked the detached transport
for its host: ``AttributeError``, and the worker ended (CI, 2026-12-05). A private redis-server
on a free port, stopped and started by the test."""

from __future__ import annotations

import time

import pytest
from kombu import Connection, Exchange, Queue
from kombu.common import ignore_errors

from backend.outbox import transport
from tests.faults.test_faults import PrivateRedis


@pytest.fixture
def server(tmp_path):
    transport.install()
    started = PrivateRedis(tmp_path)  # append-only: the unacknowledged messages outlive a restart
    yield started
    started.close()


QUEUE = Queue("work", Exchange("work"), "work")


def test_redis_urls_mean_the_guarded_transport(server):
    from kombu.transport import resolve_transport

    for scheme in ("redis", "rediss"):
        assert resolve_transport(scheme) is transport.RedisTransport
    with Connection(f"redis://127.0.0.1:{server.port}/0") as conn:
        assert isinstance(conn.default_channel, transport.RedisChannel)


def test_closing_after_the_broker_is_lost_is_a_connection_error_and_loses_no_message(server):
    url = f"redis://127.0.0.1:{server.port}/0"
    conn = Connection(url, transport_options={"visibility_timeout": 1})
    channel = conn.default_channel
    with conn.Producer() as producer:
        producer.publish({"job": 1}, exchange=QUEUE.exchange, routing_key="work", declare=[QUEUE])
    held = []
    conn.Consumer(QUEUE, callbacks=[lambda body, message: held.append(body)], channel=channel).consume()
    conn.drain_events(timeout=5)
    assert held == [{"job": 1}] and len(channel.qos._delivered) == 1  # delivered, not acknowledged

    server.stop()
    # What celery's collect() leaves when the channel's close stopped short: the transport
    # detached from the connection, the channel still open with its message.
    conn._do_close_transport()
    ignore_errors(conn, channel.close)  # raised AttributeError before: the worker ended
    assert channel.closed

    server.start()
    time.sleep(1.2)  # past the visibility timeout: Redis gives the message back
    with Connection(url, transport_options={"visibility_timeout": 1}) as again:
        fresh = again.default_channel
        fresh.qos.restore_visible()
        message = again.SimpleQueue(QUEUE).get(timeout=5)
        assert message.payload == {"job": 1}
        message.ack()
