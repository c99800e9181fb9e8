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


def test_an_operations_and_an_inspections_states_agree_with_their_feminine_nouns():
    """An operation's page read 'publicado', an inspection 'planeado', 'atribuído', 'cancelado':
    the words a plan or a case (masculine) takes. Each has its own context now; English and
    Chinese read as before."""
    from backend.inspections.models import Inspection, Operation

    def labels(model, language):
        with translation.override(language):
            return [str(label) for _value, label in model.Status.choices]

    assert labels(Operation, "pt") == ["rascunho", "publicada", "encerrada", "cancelada"]
    assert labels(Inspection, "pt") == [
        "planeada",
        "atribuída",
        "em curso",
        "submetida",
        "revista",
        "encerrada",
        "cancelada",
        "sem acesso",
    ]
    assert labels(Operation, "en") == ["draft", "published", "closed", "cancelled"]
    assert labels(Operation, "zh-hant") == ["草稿", "已發佈", "已結束", "已取消"]
    assert labels(Inspection, "zh-hant")[:3] == ["已編排", "已分派", "進行中"]
    with translation.override("pt"):  # a plan is still 'publicado'
        from scheduler.models import PlanningJob

        assert str(dict(PlanningJob.Status.choices)["published"]) == "publicado"
