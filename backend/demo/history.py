"""Five years of history (2019–2023) for the demo city, consistent with the seed report.

``load_history()`` records, over the demo registry's sites:

- the inspections the report counts: by the police (PSP) 1,426 of prostitution and trafficking
  (venues) and 7,640 of illegal employment (construction sites and venues); by the labour bureau
  (DSAL) 281 large-scale, 544 preventive and 1,081 questionnaire surveys on construction sites and
  1,863 inspections of employment agencies, which reach more than 140 agencies (the demo's 140
  open agencies plus agencies that closed in the pandemic years, recorded here as closed sites);
- the joint operations "Thunderbolt" (each June) and "Winter Precaution" (each December), led by
  PSP with PJ and Customs; the police inspections in their windows belong to them (names as the
  seed report gives them, unverified: demo data);
- prevention activities and their participants, hotline calls, the criminal-justice steps of the
  two transferred cases (2019, 2022; the first prosecuted and convicted in 2021), no protection
  services (the seed says no victim used them), and the Committee's two report facts.

The counts are exact; how they spread over years, days, parishes and sites is drawn from a
``random.Random`` seeded with ``seed``, so the same seed gives the same history. Per-year weights
follow the pandemic (fewer visits in 2020–2022): our assumption, not a published split.

Inspections and outreach rows are bulk-inserted (``bulk_create``) for speed: the per-row
services would write an audit entry and an outbox message per row. They are real rows that the
statistics query like any other; the load is audited once, as a whole, and the rollups are
rebuilt at the end. Operations and the closed agencies go through their stages' services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.checklists import engine
from backend.checklists.selectors import template_version_latest
from backend.checklists.services import checklists_load_builtin, parsed_definition
from backend.compliance.models import (
    AgeBand,
    NationalityBand,
    ProsecutionRecord,
    Referral,
    Review,
    VictimPersonalDetails,
)
from backend.demo import answers
from backend.demo.city import chinese_address, demo_data, is_demo_login
from backend.inspections import services as inspections
from backend.inspections.models import Finding, Inspection, Operation, Submission
from backend.outreach.models import Activity, HotlineCall
from backend.privacy.screening import protect_submissions
from backend.registry.models import Agency, LicenceStatus, Officer, Role, Site
from backend.registry.services import site_create
from backend.reporting.services import report_fact_ensure, rollup_refresh
from backend.reporting.statistics import LOCAL

YEARS = (2019, 2020, 2021, 2022, 2023)
# Relative field activity per year (the pandemic years lower): an assumption for the demo.
YEAR_WEIGHTS = {2019: 1.25, 2020: 0.80, 2021: 0.95, 2022: 0.75, 2023: 1.10}
OUTREACH_WEIGHTS = {2019: 1.3, 2020: 0.6, 2021: 1.0, 2022: 0.8, 2023: 1.3}

VENUES_NIGHT = ("sauna", "massage", "nightclub", "karaoke", "bar", "hotel", "other")
# (agency, category, total, where): where is "venue", "construction", "agency" or a mix.
INSPECTIONS = (
    ("PSP", "prostitution_trafficking", 1426, {"venue": 1.0}),
    ("PSP", "illegal_employment", 7640, {"construction": 0.7, "venue": 0.3}),
    ("DSAL", "construction_large_scale", 281, {"construction": 1.0}),
    ("DSAL", "construction_preventive", 544, {"construction": 1.0}),
    ("DSAL", "construction_questionnaire", 1081, {"construction": 1.0}),
    ("DSAL", "employment_agency", 1863, {"agency": 1.0}),
)
TEMPLATES = {
    "prostitution_trafficking": "venue_prostitution_trafficking",
    "illegal_employment": "construction_illegal_employment",
    "construction_large_scale": "construction_large_scale",
    "construction_preventive": "construction_preventive",
    "construction_questionnaire": "construction_questionnaire",
    "employment_agency": "employment_agency",
}
# (name, month, first day, last day of the start, length in days)
OPERATIONS = (("Thunderbolt", 6, 3, 20, 10), ("Winter Precaution", 12, 1, 15, 14))
AGENCIES_CLOSED_IN_PANDEMIC = 14  # a May 2021 press item: 14 agencies to close (REFERENCE §5 note)
AGENCIES_INSPECTED_ABOVE = 140  # the seed: "more than 140 employment agencies"

NOT_STATED = "not stated in seed facts"
# (kind, audience, organiser code or None, sessions, participants, participants exact?)
ACTIVITIES = (
    ("training_class", "security_officers", None, 72, 2650),
    ("training_class", "employment_service_instructors", None, 28, 930),
    ("seminar", "employees", None, 288, 23_436),  # seed: more than 23,000
    ("explanatory_session", "workers", None, 289, 21_312),  # seed: more than 21,000
    ("seminar", "frontline_staff", "IAS", 11, 189),
    ("lecture", "teachers_students", "IAS", 3, 355),
    ("workshop", "students", "IAS", 2, 34),
)
HOTLINE_24H_INQUIRIES = 84
HOTLINE_24H_HELP = {2019: 1, 2020: 1}
FORCED_LABOUR_CALLS = 680
# Potential victims flagged in venue inspections and referred to protection, a year: our
# assumption (the seed gives no count); none used protection services (the seed).
REFERRALS = {2019: 3, 2020: 1, 2021: 2, 2022: 2, 2023: 2}
# Share of inspections whose checklist recorded something (an assumption for the demo).
FINDING_RATES = {"prostitution_trafficking": 0.10, "illegal_employment": 0.08, "employment_agency": 0.15}
# (category, site kind) -> the checklist answered, where the demo has answers for it.
FINDING_TEMPLATES = {
    ("prostitution_trafficking", "venue"): "venue_prostitution_trafficking",
    ("illegal_employment", "construction_site"): "construction_illegal_employment",
    ("employment_agency", "employment_agency"): "employment_agency",
}
# Files of the two transferred cases: (reference, step, date, recording agency)
PROSECUTION_STEPS = (
    ("DEMO-TIP-2019-01", "transfer", dt.date(2019, 9, 18), "PJ"),
    ("DEMO-TIP-2019-01", "prosecution", dt.date(2021, 3, 9), "MP"),
    ("DEMO-TIP-2019-01", "conviction", dt.date(2021, 11, 26), "MP"),
    ("DEMO-TIP-2022-01", "transfer", dt.date(2022, 7, 14), "PJ"),
)
FACTS = (
    (
        "committee_established_year",
        2007,
        "Human Trafficking Deterrent Measures Concern Committee established",
        "人口販賣活動阻嚇措施關注委員會成立",
        "Criação da Comissão de Acompanhamento das Medidas de Dissuasão do Tráfico de Pessoas",
        "year",
        "Chief Executive Despatch 266/2007 of 30 August 2007 (anti-tip.gov.mo)",
        True,
    ),
    (
        "committee_working_groups",
        6,
        "Working groups of the Committee",
        "委員會工作小組",
        "Grupos de trabalho da Comissão",
        "working groups",
        "Seed report only; not confirmed by any other source",
        False,
    ),
)


def history_is_loaded() -> bool:
    return Operation.objects.filter(name=OPERATIONS[0][0], starts_at__year=YEARS[0]).exists()


def _apportion(total: int, weights: dict[Any, float]) -> dict[Any, int]:
    """``total`` split in proportion to ``weights`` exactly (largest remainder)."""
    whole = sum(weights.values())
    shares = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in shares.items()}
    rest = total - sum(out.values())
    for k in sorted(shares, key=lambda k: (-(shares[k] - out[k]), str(k)))[:rest]:
        out[k] += 1
    return out


def _split(rng: random.Random, total: int, parts: int, low: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` positive random integers summing exactly to ``total``."""
    weights = {i: rng.uniform(low, 1.0) for i in range(parts)}
    out = _apportion(total - parts, weights) if total >= parts else {i: 0 for i in range(parts)}
    return [out[i] + (1 if total >= parts else 0) for i in range(parts)]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


NATIONALITY_BANDS = {
    "mainland_china": NationalityBand.MAINLAND_CHINA,
    "hong_kong": NationalityBand.HONG_KONG_MACAO,
    "macao": NationalityBand.HONG_KONG_MACAO,
    "philippines": NationalityBand.SOUTH_EAST_ASIA,
    "vietnam": NationalityBand.SOUTH_EAST_ASIA,
    "indonesia": NationalityBand.SOUTH_EAST_ASIA,
    "myanmar": NationalityBand.SOUTH_EAST_ASIA,
    "nepal": NationalityBand.SOUTH_ASIA,
}


def answers_entry(given: dict[str, Any], path: str) -> dict[str, Any]:
    """The answers of one repeat entry named like ``persons[2]``."""
    name, _sep, rest = path.partition("[")
    entries = given.get(name) if path else None
    index = int(rest.rstrip("]")) if rest else 0
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
        return entries[index]
    return {}


def _answers_for(template: str, rng: random.Random, site: Site, problems: tuple[str, ...]) -> dict[str, Any]:
    lat, lon = float(site.latitude), float(site.longitude)
    if template == "venue_prostitution_trafficking":
        return answers.venue(rng, venue_type=site.venue_type, lat=lat, lon=lon, problems=problems)
    if template == "construction_illegal_employment":
        contractor = site.contractor.name_en if site.contractor else "Unknown contractor"
        return answers.construction(rng, contractor=contractor, lat=lat, lon=lon, problems=problems)
    return answers.employment_agency(rng, licence=site.licence_number, lat=lat, lon=lon, problems=problems)


def _random_day(rng: random.Random, year: int) -> dt.date:
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=rng.randrange((dt.date(year, 12, 31) - first).days + 1))


class _History:
    def __init__(self, *, seed: int, actor: Any) -> None:
        self.seed, self.actor = seed, actor
        self.counts: dict[str, int] = {}

    def rng(self, section: str) -> random.Random:
        return random.Random(f"history/{self.seed}/{section}")

    def run(self) -> dict[str, int]:
        self.agencies = {a.code: a for a in Agency.objects.all()}
        for code in ("PSP", "DSAL"):
            if code not in self.agencies:
                raise ValueError(f"Agency {code} is missing: load the demo registry first.")
        self.closed_agencies()
        self.operations()
        self.inspections()
        self.findings()
        self.outreach()
        self.hotline()
        self.prosecutions()
        self.facts()
        audit_record(
            actor=self.actor,
            action=AuditEntry.Action.CREATE,
            verb="load_history",
            object_type="demo.history",
            object_id=f"seed-{self.seed}",
            changes={"seed": self.seed, "years": list(YEARS), "counts": self.counts},
        )
        refreshed = rollup_refresh(full=True)
        self.counts["rollup_days"] = sum(refreshed.days.values())
        return self.counts

    # --- sites ---------------------------------------------------------------------------------

    def closed_agencies(self) -> None:
        """Employment agencies that closed during 2020–2023, so more than 140 were inspected."""
        rng = self.rng("closed_agencies")
        open_now = Site.objects.filter(kind=Site.Kind.EMPLOYMENT_AGENCY).count()
        count = max(AGENCIES_CLOSED_IN_PANDEMIC, AGENCIES_INSPECTED_ABOVE + 6 - open_now)
        parishes = {p["code"]: p for p in demo_data()["parishes"]}
        choices = ["fatima"] * 5 + ["santo_antonio"] * 4 + ["sao_lazaro", "se", "carmo_taipa"]
        for i in range(count):
            parish = parishes[rng.choice(choices)]
            lat = Decimal(str(parish["centre"]["lat"] + rng.uniform(-0.0015, 0.0015))).quantize(
                Decimal("0.000001")
            )
            lon = Decimal(str(parish["centre"]["lon"] + rng.uniform(-0.0015, 0.0015))).quantize(
                Decimal("0.000001")
            )
            closed_on = dt.date(2020, 3, 1) + dt.timedelta(days=rng.randrange(3 * 365))
            street, number = rng.choice(parish["streets"]), rng.randint(1, 300)
            site_create(
                actor=self.actor,
                audit=False,
                kind=Site.Kind.EMPLOYMENT_AGENCY,
                name_en=f"Former Employment Agency No. {i + 1} (closed {closed_on:%Y})",
                name_zh_hant=f"前職業介紹所第{i + 1}號（{closed_on:%Y}年結業）",
                name_pt=f"Antiga Agência de Emprego n.º {i + 1} (encerrada em {closed_on:%Y})",
                address=f"{street}, n.º {number}, {parish['town']}",
                address_zh_hant=chinese_address(parish, street, number),
                parish=parish["code"],
                latitude=lat,
                longitude=lon,
                licence_number=f"DSAL/AE/H{i + 1:03d}/2018",
                licence_status=LicenceStatus.CANCELLED,
                licence_expiry=closed_on,
                is_active=False,
                closed_on=closed_on,
            )
        self.counts["closed_agencies"] = count

    def _sites(self) -> dict[str, list[Site]]:
        order = ("name_en", "address", "pk")
        sites = list(Site.objects.only("pk", "kind", "venue_type", "closed_on", "name_en").order_by(*order))
        return {
            "venue": [s for s in sites if s.kind == Site.Kind.VENUE and s.venue_type in VENUES_NIGHT],
            "construction": [s for s in sites if s.kind == Site.Kind.CONSTRUCTION_SITE],
            "agency": [s for s in sites if s.kind == Site.Kind.EMPLOYMENT_AGENCY],
        }

    # --- operations ----------------------------------------------------------------------------

    def operations(self) -> None:
        rng = self.rng("operations")
        partners = [self.agencies[c] for c in ("PJ", "SA") if c in self.agencies] or [self.agencies["DSAL"]]
        self.windows: list[tuple[dt.date, dt.date, Operation]] = []
        for year in YEARS:
            for name, month, first, last, days in OPERATIONS:
                start_day = dt.date(year, month, rng.randint(first, last))
                starts = dt.datetime.combine(start_day, dt.time(20), tzinfo=LOCAL)
                operation = inspections.operation_create(
                    actor=self.actor,
                    name=name,
                    lead_agency=self.agencies["PSP"],
                    agencies=partners,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(days=days),
                    reveal_at=starts - dt.timedelta(hours=2),
                    status=Operation.Status.CLOSED,
                )
                self.windows.append((start_day, start_day + dt.timedelta(days=days - 1), operation))
        self.counts["operations"] = len(self.windows)

    def _operation_on(self, day: dt.date) -> Operation | None:
        for first, last, operation in self.windows:
            if first <= day <= last:
                return operation
        return None

    # --- inspections ---------------------------------------------------------------------------

    def inspections(self) -> None:
        checklists_load_builtin(actor=self.actor)
        versions = {cat: template_version_latest(code=code) for cat, code in TEMPLATES.items()}
        missing = [code for cat, code in TEMPLATES.items() if versions[cat] is None]
        if missing:
            raise ValueError(f"Built-in checklists missing: {', '.join(missing)}")
        sites = self._sites()
        for kind, found in sites.items():
            if not found:
                raise ValueError(f"The demo registry has no {kind} sites: load it first.")
        rows: list[Inspection] = []
        for agency_code, category, total, where in INSPECTIONS:
            rng = self.rng(f"inspections/{category}")
            per_year = _apportion(total, YEAR_WEIGHTS)
            days = sorted(_random_day(rng, year) for year, n in per_year.items() for _ in range(n))
            kinds = _apportion(total, where)
            slots = [k for k, n in kinds.items() for _ in range(n)]
            rng.shuffle(slots)
            if category == "employment_agency":
                chosen = self._cover(rng, days, sites["agency"])
            else:
                chosen = [self._pick(rng, sites[slot], day) for slot, day in zip(slots, days, strict=True)]
            police = agency_code == "PSP"
            for day, site in zip(days, chosen, strict=True):
                operation = self._operation_on(day) if police else None
                if site.kind == Site.Kind.VENUE:
                    at = dt.time(rng.randint(20, 23), rng.choice((0, 15, 30, 45)))
                elif site.kind == Site.Kind.EMPLOYMENT_AGENCY:
                    at = dt.time(rng.randint(10, 16), rng.choice((0, 30)))
                else:
                    at = dt.time(rng.randint(8, 15), rng.choice((0, 30)))
                start = dt.datetime.combine(day, at, tzinfo=LOCAL)
                rows.append(
                    Inspection(
                        uuid=_uuid(rng),
                        site_id=site.pk,
                        category=category,
                        agency=self.agencies[agency_code],
                        operation=operation,
                        template_version=versions[category],
                        planned_start=start,
                        planned_end=start + dt.timedelta(minutes=rng.choice((60, 90, 120))),
                        status=Inspection.Status.CLOSED,
                        priority=2 if operation else 3,
                    )
                )
        Inspection.objects.bulk_create(rows, batch_size=2000)
        self.rows = rows
        self.counts["inspections"] = len(rows)

    # --- findings and referrals ----------------------------------------------------------------

    def _reviewers(self) -> dict[int, Officer]:
        """A reviewer of each agency, an ordinary officer before a demo login."""
        out: dict[int, Officer] = {}
        for officer in (
            Officer.objects.filter(roles__role=Role.REVIEWER).select_related("user").order_by("badge_number")
        ):
            current = out.get(officer.agency_id)
            if current is None or (
                is_demo_login(current.user.username) and not is_demo_login(officer.user.username)
            ):
                out[officer.agency_id] = officer
        return out

    def findings(self) -> None:
        """Submissions with findings for a share of the inspections, derived from their answers by
        the checklist engine as on the phones' path, made official by their agencies' review;
        and the referrals of the potential victims among them (``REFERRALS`` a year). Only
        submissions that found something are kept: clean visits count as inspections alone."""
        rng = self.rng("findings")
        sites = {
            s.pk: s
            for s in Site.objects.select_related("contractor").only(
                "pk", "kind", "venue_type", "latitude", "longitude", "licence_number", "contractor__name_en"
            )
        }
        officers: dict[int, list[Officer]] = {}
        for officer in Officer.objects.filter(roles__role=Role.INSPECTOR).order_by("badge_number"):
            officers.setdefault(officer.agency_id, []).append(officer)
        reviewers = self._reviewers()
        victims = {year: n for year, n in REFERRALS.items()}
        chosen: list[tuple[Inspection, Site, tuple[str, ...]]] = []
        for row in self.rows:
            site = sites[row.site_id]
            builder = FINDING_TEMPLATES.get((row.category, site.kind))
            if builder is None:
                continue
            year = row.planned_start.year
            problems: tuple[str, ...] = ()
            if (
                row.category == "prostitution_trafficking"
                and victims.get(year, 0) > 0
                and rng.random() < 0.05
            ):
                victims[year] -= 1
                problems = ("minor", "documents_held")
            elif rng.random() < FINDING_RATES[row.category]:
                template = TEMPLATES[row.category]
                problems = tuple(rng.sample(answers.PROBLEMS[template], k=rng.choice((1, 1, 2))))
                problems = tuple(p for p in problems if p != "minor")  # victims only as counted
            if problems:
                chosen.append((row, site, problems))
        short = {year: n for year, n in victims.items() if n}
        if short:
            raise ValueError(f"Too few venue inspections to place the referrals of {short}.")
        definitions = {
            row.template_version_id: parsed_definition(row.template_version) for row, _s, _p in chosen
        }
        submissions: list[Submission] = []
        derived: list[list[Any]] = []
        for row, site, problems in chosen:
            kind = FINDING_TEMPLATES[(row.category, site.kind)]
            given = _answers_for(kind, rng, site, problems)
            derivation = engine.derive(definitions[row.template_version_id], given)
            if derivation.validation.errors:
                raise ValueError(f"Demo answers invalid for {kind}: {derivation.validation.errors[:3]}")
            received = row.planned_end + dt.timedelta(minutes=rng.randint(5, 240))
            submissions.append(
                Submission(
                    uuid=_uuid(rng),
                    inspection=row,
                    officer=rng.choice(officers[row.agency.pk]),
                    template_version=row.template_version,
                    answers=derivation.validation.answers,
                    content_digest=hashlib.sha256(repr(sorted(given.items())).encode()).hexdigest(),
                    score={"total": str(derivation.score.total), "maximum": str(derivation.score.maximum)},
                    latitude=site.latitude,
                    longitude=site.longitude,
                    device_submitted_at=received,
                    received_at=received,
                )
            )
            derived.append(list(derivation.findings))
        Submission.objects.bulk_create(submissions, batch_size=1000)
        agencies = {a.code: a for a in self.agencies.values()}
        findings: list[Finding] = []
        for submission, found in zip(submissions, derived, strict=True):
            for f in found:
                findings.append(
                    inspections.finding_build(
                        derived=f,
                        submission=submission,
                        agencies=agencies,
                        uuid=_uuid(rng),
                        status=Finding.Status.OFFICIAL,
                    )
                )
        Finding.objects.bulk_create(findings, batch_size=2000)
        for f in findings:  # dated by the day they were recorded, not by this load
            f.created_at = f.submission.received_at
        Finding.objects.bulk_update(findings, ["created_at"], batch_size=2000)
        reviews: list[Review] = []
        for submission, found in zip(submissions, derived, strict=True):
            for code in sorted({f.competent_agency for f in found}):
                agency = agencies.get(code)
                reviewer = reviewers.get(agency.pk) if agency else None
                if reviewer is None:
                    continue
                reviews.append(
                    Review(
                        submission=submission,
                        agency=agency,
                        decision=Review.Decision.APPROVED,
                        decided_by=reviewer,
                        decided_at=submission.received_at + dt.timedelta(days=rng.randint(1, 6)),
                        findings_approved=sum(f.competent_agency == code for f in found),
                    )
                )
        Review.objects.bulk_create(reviews, batch_size=2000)
        self.referrals([f for f in findings if f.potential_victim])
        # As ingest does: screened persons' identifying answers go to the protected store.
        by_submission: dict[int, list[Finding]] = {}
        for f in findings:
            by_submission.setdefault(f.submission_id, []).append(f)
        protect_submissions((s, by_submission.get(s.pk, [])) for s in submissions)
        self.counts.update(submissions=len(submissions), findings=len(findings), reviews=len(reviews))

    def referrals(self, flagged: Sequence[Finding]) -> None:
        """Each potential victim was referred to protection, assessed and the referral closed.
        The two persons of the trafficking files transferred to the prosecutors (2019, 2022) were
        identified as victims; the others were not. None used protection services (the seed)."""
        protection = self.agencies.get("IAS")
        transferred = {
            int(ref.split("-")[2]) for ref, step, _on, _a in PROSECUTION_STEPS if step == "transfer"
        }
        self.identified: dict[int, Referral] = {}
        for finding in sorted(flagged, key=lambda f: f.created_at):
            submission = finding.submission
            year = submission.received_at.year
            entry = answers_entry(submission.answers, finding.entry_path)
            identified = year in transferred and year not in self.identified
            referral = Referral.objects.create(
                key=f"{submission.inspection.uuid}:history:{finding.entry_path or finding.rule_code}",
                finding=finding,
                referring_agency=finding.competent_agency,
                referred_to=protection,
                referred_to_code="IAS",
                site_id=submission.inspection.site_id,
                observed_at=submission.received_at,
                screened_at=submission.device_submitted_at,
                urgency=Referral.Urgency.IMMEDIATE,
                nationality_band=NATIONALITY_BANDS.get(
                    str(entry.get("nationality")), NationalityBand.UNKNOWN
                ),
                age_band=AgeBand.AGE_16_17,
                status=Referral.Status.CLOSED,
                assessment=Referral.Assessment.IDENTIFIED
                if identified
                else Referral.Assessment.NOT_IDENTIFIED,
                created_at=submission.received_at,
                notified_at=submission.received_at + dt.timedelta(minutes=10),
            )
            VictimPersonalDetails.objects.create(
                referral=referral, field_reference=str(entry.get("person_ref", ""))
            )
            if identified:
                self.identified[year] = referral
        self.counts["referrals"] = len(flagged)

    @staticmethod
    def _open(site: Site, day: dt.date) -> bool:
        return site.closed_on is None or day < site.closed_on

    def _pick(self, rng: random.Random, candidates: Sequence[Site], day: dt.date) -> Site:
        for _ in range(20):
            site = rng.choice(candidates)
            if self._open(site, day):
                return site
        return next(s for s in candidates if self._open(s, day))

    def _cover(self, rng: random.Random, days: Sequence[dt.date], agencies: Sequence[Site]) -> list[Site]:
        """Every agency inspected at least once while open, the rest at random."""
        chosen: list[Site | None] = [None] * len(days)
        slots = list(range(len(days)))
        rng.shuffle(slots)
        for site in sorted(agencies, key=lambda s: (s.closed_on or dt.date.max, s.name_en)):
            slot = next((i for i in slots if chosen[i] is None and self._open(site, days[i])), None)
            if slot is not None:
                chosen[slot] = site
        return [c if c is not None else self._pick(rng, agencies, days[i]) for i, c in enumerate(chosen)]

    # --- prevention and hotlines ---------------------------------------------------------------

    def outreach(self) -> None:
        rng = self.rng("outreach")
        rows: list[Activity] = []
        for kind, audience, organiser_code, sessions, participants in ACTIVITIES:
            organiser = self.agencies.get(organiser_code) if organiser_code else None
            per_year = _apportion(sessions, OUTREACH_WEIGHTS) if sessions >= 20 else None
            days = (
                sorted(_random_day(rng, y) for y, n in per_year.items() for _ in range(n))
                if per_year
                else sorted(_random_day(rng, rng.choice(YEARS)) for _ in range(sessions))
            )
            people = _split(rng, participants, sessions)
            for day, n in zip(days, people, strict=True):
                rows.append(
                    Activity(
                        uuid=_uuid(rng),
                        kind=kind,
                        organiser=organiser,
                        organiser_text="" if organiser else NOT_STATED,
                        audience=audience,
                        held_on=day,
                        sessions=1,
                        participants=n,
                    )
                )
        Activity.objects.bulk_create(rows, batch_size=2000)
        self.counts["activities"] = len(rows)

    def hotline(self) -> None:
        rng = self.rng("hotline")
        rows: list[HotlineCall] = []
        h24, labour = HotlineCall.Hotline.REPORT_ASSISTANCE_24H, HotlineCall.Hotline.FORCED_LABOUR
        for year, n in _apportion(HOTLINE_24H_INQUIRIES, YEAR_WEIGHTS).items():
            for _ in range(n):
                rows.append(
                    HotlineCall(
                        uuid=_uuid(rng),
                        hotline=h24,
                        kind="inquiry",
                        outcome="information_given",
                        received_on=_random_day(rng, year),
                    )
                )
        for year, n in HOTLINE_24H_HELP.items():
            for _ in range(n):
                rows.append(
                    HotlineCall(
                        uuid=_uuid(rng),
                        hotline=h24,
                        kind="help",
                        outcome="referred_police",
                        received_on=_random_day(rng, year),
                    )
                )
        for year, n in _apportion(FORCED_LABOUR_CALLS, YEAR_WEIGHTS).items():
            for _ in range(n):
                # Mostly questions about labour law; none involved a trafficking victim (press).
                kind = "report" if rng.random() < 0.12 else "inquiry"
                outcome = "referred_labour" if kind == "report" else "information_given"
                rows.append(
                    HotlineCall(
                        uuid=_uuid(rng),
                        hotline=labour,
                        kind=kind,
                        outcome=outcome,
                        received_on=_random_day(rng, year),
                    )
                )
        HotlineCall.objects.bulk_create(rows, batch_size=2000)
        self.counts["hotline_calls"] = len(rows)

    # --- criminal justice and facts ------------------------------------------------------------

    def _recorder(self) -> Any:
        User = get_user_model()
        if getattr(self.actor, "is_authenticated", False):
            return self.actor
        user = (
            User.objects.filter(username="demo-admin").first()
            or User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            user, _ = User.objects.get_or_create(username="history-loader", defaults={"is_active": False})
        return user

    def prosecutions(self) -> None:
        recorder = self._recorder()
        for reference, step, on, agency_code in PROSECUTION_STEPS:
            row = ProsecutionRecord(
                kind=step,
                offence=ProsecutionRecord.Offence.TRAFFICKING,
                on=on,
                agency=self.agencies.get(agency_code) or self.agencies["PSP"],
                file_reference=reference,
                referral=self.identified.get(int(reference.split("-")[2])),
                defendants=2 if reference.endswith("2019-01") else 1,
                note="demo history",
                recorded_by=recorder,
                recorded_at=dt.datetime.combine(on, dt.time(12), tzinfo=LOCAL),
            )
            row.full_clean(exclude=["uuid", "agency", "recorded_by", "referral"])
            row.save()
        self.counts["prosecution_steps"] = len(PROSECUTION_STEPS)

    def facts(self) -> None:
        for key, value, en, zh, pt, unit, source, verified in FACTS:
            report_fact_ensure(
                key=key,
                value=value,
                label_en=en,
                label_zh_hant=zh,
                label_pt=pt,
                unit=unit,
                source=source,
                verified=verified,
            )


def load_history(*, seed: int = 1, actor: Any = None) -> dict[str, int]:
    """Record the 2019–2023 history over the demo registry, once (later calls do nothing and
    return ``{}``). Needs the demo registry (``backend.demo.city.load_demo``) first."""
    with transaction.atomic():
        if history_is_loaded():
            return {}
        return _History(seed=seed, actor=actor).run()
