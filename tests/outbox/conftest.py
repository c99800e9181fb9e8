import contextlib

from kombu import pools

from backend.celery import app


@contextlib.contextmanager
def broker(url, **conf):
    """Point the Celery app at ``url`` for a while, with fresh connection pools both ways."""
    keys = ["broker_url", "task_always_eager", *conf]
    previous = {k: app.conf[k] for k in keys}

    def reset_pools():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()  # kombu keeps producer pools per connection, process-wide

    reset_pools()
    app.conf.update(broker_url=url, task_always_eager=False, **conf)
    try:
        yield app
    finally:
        reset_pools()
        app.conf.update(previous)
