"""The load script (tests/load/load_officers.py) at a small size through the real production
stack: 5 officers each sync 3 submissions with photos; every request answered without a server
error, every submission in the database exactly once with its photo. The full size (200 x 20) is
``make load``; it prints the same figures."""

from __future__ import annotations

import io

import pytest

from tests.deploy.test_production_stack import _reachable_or_skip
from tests.load.load_officers import run

pytestmark = pytest.mark.stack


def test_five_officers_sync_their_work_through_the_production_stack():
    _reachable_or_skip()
    out = io.StringIO()
    figures = run(5, 3, concurrency=5, photo_edge=320, time_limit=120, out=out)
    report = out.getvalue()
    assert figures["officers_done"] == 5, report
    assert figures["errors"] == 0, report
    assert figures["sent"] == figures["expected"] == 15, report
    db = figures["database"]
    assert db["distinct_submissions"] == db["submissions"] == 15 and db["photos_received"] == 15, report
    assert db["inspections"] == 15, report
    assert figures["lost"] == 0 and figures["duplicated"] == 0, report
    assert figures["latency_ms"]["photo"]["n"] == 15 and figures["server_rss_mb"]["peak"] > 0, report
