"""The phone and the server agree: the conformance corpus (tests/mobile_api/field/corpus.py) run
through the Python engine and through the field app's evaluator in Chromium gives the same
visibility, requirement and constraint of every question, the same validation errors and the
same dropped answers, for every built-in template and for generated checklists."""

from __future__ import annotations

import pytest

from backend.checklists.engine import load_builtin
from tests.mobile_api.field.corpus import corpus
from tests.mobile_api.field.phone import open_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = """async (data) => {
  const logic = await import("/static/field/js/logic.js");
  const checklists = {};
  for (const [id, c] of Object.entries(data.checklists)) {
    checklists[id] = new logic.Checklist(c.definition, c.logic);
  }
  const norm = (v) => JSON.stringify(Array.isArray(v) ? v : Object.fromEntries(Object.entries(v).sort()));
  const mismatches = [];
  for (const c of data.cases) {
    const got = logic.report(checklists[c.checklist], c.answers);
    for (const part of ["sections", "visible", "required", "constraint", "errors", "dropped"]) {
      if (norm(got[part]) !== norm(c.expected[part])) {
        mismatches.push({ name: c.name, part, phone: got[part], server: c.expected[part] });
      }
    }
  }
  return { cases: data.cases.length, mismatches: mismatches.slice(0, 5), count: mismatches.length };
}"""


def test_the_phone_agrees_with_the_engine_on_the_whole_corpus(pages):
    data = corpus()
    names = {case["name"].split("/")[0] for case in data["cases"]}
    assert set(load_builtin()) <= names  # every built-in template is in the corpus
    page = open_phone(pages)
    page.goto(f"{pages.base_url}/field/")
    result = page.evaluate(RUN, data)
    assert result["cases"] == len(data["cases"]) > 700
    assert result["count"] == 0, result["mismatches"]
