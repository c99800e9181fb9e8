"""Gunicorn's settings for the production web processes (the Procfile's ``web``), from the environment.

WEB_CONCURRENCY processes (default 2, about one per core), each with WEB_THREADS threads, so a
phone uploading a photo slowly over a weak signal holds one thread, not a whole process. Bound to
HOST:PORT (127.0.0.1 behind a reverse proxy on the same machine; 0.0.0.0 when the proxy is on
another); the proxy's address goes in FORWARDED_ALLOW_IPS so its X-Forwarded-Proto is trusted.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from backend.core.env import load_settings_or_exit


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"Configuration error: {name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"Configuration error: {name} must be at least {minimum}, not {value}.")
    return value


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("WEB_THREADS", 4)
timeout = _int("WEB_TIMEOUT", 60)  # planning runs go to the worker; nothing in a request takes longer
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (with jitter, not all at once): a slow leak
# never grows without bound.
max_requests = _int("WEB_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Gunicorn 27's control interface listens on one socket per user (~/.gunicorn/gunicorn.ctl): a
# second deployment on the machine, the production-stack test or a benchmark took it over from the
# first. Nothing here uses it: off, unless WEB_CONTROL_SOCKET names a socket of this deployment.
_control_socket = os.environ.get("WEB_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

# The master reads the settings before it binds and forks: a malformed variable stops gunicorn
# with one line naming it, instead of each web process failing to boot with a traceback.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
load_settings_or_exit()


def on_starting(server: Any) -> None:
    """Several processes without a shared cache each count the console's failed sign-ins and the
    throttles alone: say so at start (README, "Deploying": CACHE_URL must be Redis)."""
    if workers > 1 and not os.environ.get("CACHE_URL"):
        server.log.warning(
            "CACHE_URL is unset: each of the %d web processes keeps its own sign-in failure counters "
            "and throttles; set CACHE_URL=redis://... so they are shared.",
            workers,
        )


def post_worker_init(worker: Any) -> None:
    """Once a process has loaded Django, its modules, models and settings live as long as it
    does: frozen out of the garbage collector's scans, and the youngest generation collected
    after 50,000 allocations rather than 700, a request's short-lived objects (the ORM's
    expressions, a checklist's answers) no longer trigger full scans of them (README,
    "Performance": about a tenth of a submission's CPU)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(_int("WEB_GC_THRESHOLD", 50_000), 20, 100)
