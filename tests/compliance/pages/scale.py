"""A year of a city for the console's pages at scale: the service-built workload
(``workload.build``) multiplied by copying its rows, so each copy is as real as the visit it was
copied from (answers, findings from the checklist engine, photo, review, case, referral) without
running the services tens of thousands of times.

``scale(work, visits=N)`` adds visits until there are ``N``: each a copy of one of the workload's
visits (its inspection, the labour officer's submission with its findings and photo, the police
officer's screening), spread over the last year, at sites of their own (one new site for every
eight visits, so a site has a history), a twentieth of them at the first contractor's site (a
company with a long history). Of the copies, ``awaiting`` (a share) still await review, the rest
were approved; a tenth of the approved opened a case (copied from the workload's cases, with
their events), a tenth of the screenings referred a person, and every approval scored its
company again (the first contractor's scores are many)."""

from __future__ import annotations

import copy
import datetime as dt
import random
import uuid
from typing import Any

from django.db import transaction
from django.db.models.base import ModelState
from django.utils import timezone

from backend.compliance.models import (
    CaseEvent,
    CaseFinding,
    ComplianceCase,
    ComplianceScore,
    Referral,
    Review,
)
from backend.inspections.models import Attachment, Finding, Inspection, Submission
from backend.registry.models import Company, Site

HOURS_2 = dt.timedelta(hours=2)


def _copy(obj: Any, **changes: Any) -> Any:
    clone = copy.copy(obj)
    clone._state = ModelState()
    clone.pk = None
    if hasattr(clone, "uuid"):
        clone.uuid = uuid.uuid4()
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


@transaction.atomic
def scale(work: Any, *, visits: int, awaiting: float = 0.05, seed: int = 7) -> dict[str, int]:
    """Copies of the workload's visits until there are ``visits``; returns what was added."""
    rng = random.Random(seed)
    now = timezone.now()
    models = list(Inspection.objects.filter(submissions__in=work.submissions).distinct().order_by("pk"))
    by_inspection = {
        i.pk: {
            "subs": list(Submission.objects.filter(inspection=i).order_by("pk")),
            "findings": list(Finding.objects.filter(inspection=i).order_by("pk")),
        }
        for i in models
    }
    for parts in by_inspection.values():
        subs = [s.pk for s in parts["subs"]]
        parts["attachments"] = list(Attachment.objects.filter(submission_id__in=subs))
        parts["review"] = Review.objects.filter(submission_id__in=subs).first()
        parts["case"] = ComplianceCase.objects.filter(
            findings__inspection_id__in=[parts["subs"][0].inspection_id]
        ).first()
        parts["referral"] = Referral.objects.filter(
            finding__inspection_id=parts["subs"][0].inspection_id
        ).first()
    approved_model = next(p for p in by_inspection.values() if p["review"] is not None)
    case_model = next(p["case"] for p in by_inspection.values() if p["case"] is not None)
    case_events = list(CaseEvent.objects.filter(case=case_model).order_by("pk"))
    big_site = Site.objects.get(contractor=work.companies[0])
    template_site = big_site
    extra = max(0, visits - len(models))
    # About forty visits a year for each contractor but the first (a twentieth of all visits).
    companies = list(work.companies) + Company.objects.bulk_create(
        [_copy(work.companies[-1], name_en=f"Scaled contractor {n:04d}") for n in range(extra // 40)],
        batch_size=1000,
    )
    others = companies[1:] or companies
    sites = Site.objects.bulk_create(
        [
            _copy(
                template_site,
                name_en=f"Scaled site {n:05d}",
                contractor=rng.choice(others),
            )
            for n in range(max(1, extra // 8))
        ],
        batch_size=1000,
    )
    added = {"inspections": 0, "submissions": 0, "findings": 0, "cases": 0, "referrals": 0, "scores": 0}
    chunk = 1000
    for start in range(0, extra, chunk):
        batch = []
        for n in range(start, min(extra, start + chunk)):
            model = models[n % len(models)]
            when = now - dt.timedelta(days=rng.uniform(0, 365))
            site = big_site if n % 20 == 0 else rng.choice(sites)
            decided = rng.random() >= awaiting
            batch.append((model, when, site, decided))
        inspections = Inspection.objects.bulk_create(
            [
                _copy(
                    m,
                    site=s,
                    operation=None,
                    team=None,
                    planned_start=w,
                    planned_end=w + dt.timedelta(hours=2),
                )
                for m, w, s, _d in batch
            ]
        )
        subs, sub_src = [], []
        for (m, w, _s, _d), new in zip(batch, inspections, strict=True):
            for sub in by_inspection[m.pk]["subs"]:
                subs.append(_copy(sub, inspection=new, received_at=w, device_submitted_at=w))
                sub_src.append(sub.pk)
        subs = Submission.objects.bulk_create(subs)
        new_sub = {}
        for new in inspections:
            new_sub[new.pk] = {}
        for src, sub in zip(sub_src, subs, strict=True):
            new_sub[sub.inspection_id][src] = sub
        findings, finding_src = [], []
        attachments, reviews = [], []
        for (m, w, _s, d), new in zip(batch, inspections, strict=True):
            parts = by_inspection[m.pk]
            mapped = new_sub[new.pk]
            for f in parts["findings"]:
                findings.append(_copy(f, inspection=new, submission=mapped[f.submission_id]))
                finding_src.append((new.pk, f.pk))
            for a in parts["attachments"]:
                attachments.append(_copy(a, submission=mapped[a.submission_id]))
            review = parts["review"] or approved_model["review"]
            if d:
                first = mapped[parts["subs"][0].pk]
                reviews.append(_copy(review, submission=first, decided_at=w))
        findings = Finding.objects.bulk_create(findings, batch_size=2000)
        Attachment.objects.bulk_create(attachments, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
        new_finding = {key: f for key, f in zip(finding_src, findings, strict=True)}
        cases, case_links, referrals, scores = [], [], [], []
        for (m, w, s, d), new in zip(batch, inspections, strict=True):
            parts = by_inspection[m.pk]
            if d and rng.random() < 0.1:
                links = list(CaseFinding.objects.filter(case=case_model).values_list("finding_id", flat=True))
                cases.append(
                    (
                        _copy(case_model, site=s, company=s.contractor, opened_at=w),
                        [new_finding[(new.pk, f)] for f in links if (new.pk, f) in new_finding]
                        or [new_finding[(new.pk, parts["findings"][0].pk)]],
                    )
                )
            if parts["referral"] is not None and rng.random() < 0.1:
                ref = parts["referral"]
                referrals.append(
                    _copy(
                        ref,
                        key=uuid.uuid4().hex,
                        site=s,
                        created_at=w,
                        finding=new_finding[(new.pk, ref.finding_id)],
                    )
                )
            if d and s.contractor_id is not None:
                scores.append((s.contractor_id, w))
        made = ComplianceCase.objects.bulk_create([c for c, _f in cases])
        for case, (_c, found) in zip(made, cases, strict=True):
            case_links.extend(CaseFinding(case=case, finding=f) for f in found)
        CaseFinding.objects.bulk_create(case_links, batch_size=2000)
        CaseEvent.objects.bulk_create(
            [_copy(e, case=case, at=case.opened_at) for case in made for e in case_events], batch_size=2000
        )
        Referral.objects.bulk_create(referrals)
        score_model = ComplianceScore.objects.filter(company=work.companies[0]).first()
        score_rows = [
            _copy(score_model, company_id=company, computed_at=w, score=rng.randint(20, 100))
            for company, w in scores
        ]
        ComplianceScore.objects.bulk_create(score_rows, batch_size=2000)
        added["inspections"] += len(inspections)
        added["submissions"] += len(subs)
        added["findings"] += len(findings)
        added["cases"] += len(made)
        added["referrals"] += len(referrals)
        added["scores"] += len(score_rows)
    return added
