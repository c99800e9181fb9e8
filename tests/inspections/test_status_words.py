"""In Portuguese a finding (a constatação) and a submission (a submissão) are feminine, and so are
the words of their states. A team leader who rejected a finding read, on one page, its state
"rejeitado" above the history's "1 rejeitadas"; a finding withdrawn read "retirado", a submission
"substituído por uma correcção" or "eliminado por um administrador"."""

from __future__ import annotations

from django.utils import translation

from backend.inspections.models import Finding, Submission


def test_a_findings_states_agree_with_constatacao():
    with translation.override("pt"):
        labels = [str(label) for _value, label in Finding.Status.choices]
    assert labels == ["a aguardar revisão", "oficial", "rejeitada", "retirada com a sua submissão"]


def test_a_submissions_states_agree_with_submissao():
    with translation.override("pt"):
        labels = [str(label) for _value, label in Submission.Status.choices]
    assert labels == ["aceite", "substituída por uma correcção", "eliminada por um administrador"]
