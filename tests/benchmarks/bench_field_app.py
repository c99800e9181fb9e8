"""The officers' field app: shell size, first start on a throttled 3G connection, and the time
the phone takes to re-evaluate a 60-question checklist after each answer. Prints figures, never
fails on a time.

    .venv/bin/python tests/benchmarks/bench_field_app.py

Aims (issue #14): the shell without map tiles ≤ 300 KB compressed; first start on Chromium's 3G
throttling ≤ 5 s; ≤ 16 ms per answer on an emulated phone (CPU slowed 4×, 360×740).
The test server serves static files uncompressed (no collectstatic), so the 3G figure is a
worst case; production serves the gzip or Brotli files whitenoise writes at collectstatic.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

import pytest

from backend.checklists.engine import parse_definition
from tests.benchmarks.bench_checklist_engine import bench_answers, bench_definition
from tests.browser_support import chromium_browser, pages  # noqa: F401  (fixtures)

PHONE_360 = {"width": 360, "height": 740}

# Chromium DevTools' network presets.
NETWORKS = {
    "3G (DevTools 'Fast 3G': 1.6 Mbit/s, 562 ms)": (562.5, 1.6e6 * 0.9 / 8, 750e3 * 0.9 / 8),
    "slow 3G (DevTools 'Slow 3G': 0.5 Mbit/s, 2 s)": (2000, 500e3 * 0.8 / 8, 500e3 * 0.8 / 8),
}

PER_ANSWER = """async ({definition, logic, answers, rounds}) => {
  const { Checklist } = await import("/static/field/js/logic.js");
  const { ChecklistForm } = await import("/static/field/js/form.js");
  const checklist = new Checklist(definition, logic);
  const form = new ChecklistForm({ checklist, answers, workId: "bench", onChange: () => {} });
  document.getElementById("main").replaceChildren(form.render());
  const times = [];
  const logicTimes = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    form.set([], `yn_${i % 10}`, i % 2 === 0);          // a yes/no that gates a number
    form.set([["workers", i % 10]], "age", 20 + (i % 30)); // an answer inside a repeat entry
    times.push((performance.now() - started) / 2);
    const logicStarted = performance.now();
    form.result();                                       // the rules alone, without the page
    logicTimes.push(performance.now() - logicStarted);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)],
           logic: median(logicTimes), questions: document.querySelectorAll(".q").length };
}"""


def shell_sizes(client) -> tuple[int, int]:
    from django.contrib.staticfiles import finders

    from mobile_api.field.views import shell_assets

    raw = compressed = 0
    bodies = [client.get("/field/").content, client.get("/field/sw.js").content]
    for url in shell_assets()[0]:
        with open(finders.find(url.removeprefix("/static/")), "rb") as handle:
            bodies.append(handle.read())
    for body in bodies:
        raw += len(body)
        compressed += len(gzip.compress(body, 9))
    return raw, compressed


@pytest.mark.django_db(transaction=True)
def test_field_app_figures(pages, client):  # noqa: F811
    raw, compressed = shell_sizes(client)
    print(f"\napp shell: {raw / 1024:.0f} KB, {compressed / 1024:.0f} KB gzip-compressed (aim ≤ 300 KB)")

    for label, (latency, down, up) in NETWORKS.items():
        starts = []
        for _ in range(3):
            page = pages.new_page(viewport=PHONE_360, is_mobile=True, has_touch=True)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": latency, "downloadThroughput": down, "uploadThroughput": up},
            )
            began = time.perf_counter()
            page.goto(pages.base_url + "/field/")
            page.locator("body[data-ready]").wait_for(state="attached", timeout=60_000)
            page.locator("#username").wait_for()
            starts.append(time.perf_counter() - began)
            page.context.close()
        print(f"first start, {label}: median {statistics.median(starts):.2f} s (aim ≤ 5 s on 3G)")

    from mobile_api.logic import definition_logic

    definition = bench_definition()
    logic = definition_logic(parse_definition(definition))
    answers = bench_answers()
    page = pages.new_page(viewport=PHONE_360, is_mobile=True, has_touch=True)
    page.goto(pages.base_url + "/field/")
    page.locator("body[data-ready]").wait_for(state="attached")
    cdp = page.context.new_cdp_session(page)
    page.evaluate(PER_ANSWER, {"definition": definition, "logic": logic, "answers": answers, "rounds": 20})
    for rate in (1, 4):
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        result = page.evaluate(
            PER_ANSWER, {"definition": definition, "logic": logic, "answers": answers, "rounds": 60}
        )
        print(
            f"re-evaluation per answer, 60-question checklist ({result['questions']} questions on screen), "
            f"CPU ÷{rate}: median {result['median']:.1f} ms, p95 {result['p95']:.1f} ms (aim ≤ 16 ms at ÷4); "
            f"of which the rules alone (visibility, requirements, constraints) {result['logic']:.1f} ms"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s", "-p", "no:cacheprovider", "-o", "python_files=bench_*.py"]))
