"""The present of the demo city: what each back-office user finds on first start.

Everything here goes through the services of the stage it belongs to, as the users' own actions
would, so their rules (findings, referrals, reviews, cases, scores, due work) apply:

- the past ten months' visits (labour bureau routine visits to employment agencies and building
  sites, police visits to venues), submitted from the officers' phones and reviewed; the companies
  behind the sites are then scored, which gives the sites their risk (``company_score_compute``);
- compliance cases at each stage: just opened, notice issued with its deadline running, follow-up
  requested (due work for the planners), closed as rectified;
- last night's and yesterday's work waiting for review in the queue of each reviewing agency, one
  screening of which flagged a potential victim: a referral waiting for victim protection;
- open due work for the labour bureau's routine programme (``due_work_request``);
- a draft joint operation for tomorrow night, two waves of seven venues chosen by risk, for the
  demo planner to plan (no plan yet).

Drawn from ``random.Random`` streams seeded with ``seed``; times relative to ``now``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import math
import random
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image

from backend.checklists import engine
from backend.checklists.selectors import template_version_latest
from backend.checklists.services import parsed_definition
from backend.compliance import services as compliance
from backend.compliance.models import ComplianceCase, Review, Violation
from backend.demo import answers
from backend.demo.city import demo_data, is_demo_login
from backend.demo.field import LOCAL, night_of, night_start, open_venues
from backend.inspections import services as inspections
from backend.inspections.models import CheckIn, Finding, Inspection, Operation, Submission, Team
from backend.planning.models import DueWork
from backend.planning.services import due_work_request
from backend.registry import services as registry
from backend.registry.models import Agency, Availability, Company, Officer, Role, Site, Unit
from backend.reporting.services import rollups_enqueue
from scheduler import services as scheduler

# Names say which of the demo's operations it is, not "last night" or "tomorrow night" (a demo
# database is kept for days, and a name is stored once), nor its date: the pages show an
# operation's dates beside its name, each in the reader's language ("2026年12月6日 20:30"), where
# ISO digits in the name ("…, 2026-12-06") were read in none. Found by these names.
LAST_NIGHT = "Demo joint operation – reviewing"
DRAFT_NAME = "Demo joint operation – draft"
# What databases loaded before the names were dated call it: such a demo is loaded already.
LAST_NIGHT_BEFORE = "Demo joint operation – last night"


# How much recent work: (agency, site kind, category, visits). An assumption for the demo.
RECENT = (
    ("DSAL", Site.Kind.EMPLOYMENT_AGENCY, "employment_agency", 24),
    ("DSAL", Site.Kind.CONSTRUCTION_SITE, "illegal_employment", 14),
    ("PSP", Site.Kind.VENUE, "prostitution_trafficking", 30),
)
RECENT_DAYS = 300
PROBLEM_ODDS = 0.6  # share of recent visits that found something
DUE_AGENCIES, DUE_SITES = 12, 6
DRAFT_TARGETS = (("w1", 7), ("w2", 7))
TEMPLATE = {
    "employment_agency": "employment_agency",
    "illegal_employment": "construction_illegal_employment",
    "prostitution_trafficking": "venue_prostitution_trafficking",
}

# What a reviewer writes on a case (why it is opened, why it is closed), in the writer's own
# language: a free text is kept as written, and the demo's had all been English, read among a
# Portuguese or Chinese page's translated words. Macao's officers write in Chinese (traditional
# characters) or Portuguese; English is for a writer who speaks neither.
CASE_TEXTS = {
    "en": {
        "opened": "Official findings of a routine inspection.",
        "rectified": "The company showed the corrections on a visit.",
    },
    "pt": {
        "opened": "Constatações oficiais de uma inspecção de rotina.",
        "rectified": "A empresa mostrou as correcções numa visita.",
    },
    "zh-hant": {
        "opened": "例行巡查的正式發現事項。",
        "rectified": "公司在巡查時出示了已作出的糾正。",
    },
}


def writes_in(officer: Officer) -> str:
    """The language an officer writes a case's texts in: Portuguese for a Macanese officer (a
    Portuguese surname, and the language among their skills), else Chinese, which every other
    officer of the demo's registry speaks; English for one who speaks neither. Read from the
    registry the seed made, so the same seed gives the same language."""
    speaks = set(officer.skills.filter(code__startswith="lang-").values_list("code", flat=True))
    if "lang-pt" in speaks and officer.full_name.endswith(_portuguese_surnames()):
        return "pt"
    if speaks & {"lang-zh-yue", "lang-zh-cmn"}:
        return "zh-hant"
    return "pt" if "lang-pt" in speaks else "en"


@cache
def _portuguese_surnames() -> tuple[str, ...]:
    return tuple(f" {name}" for name in demo_data()["words"]["portuguese_surnames"])


def work_is_loaded() -> bool:
    return Operation.objects.filter(Q(name__startswith=LAST_NIGHT) | Q(name=LAST_NIGHT_BEFORE)).exists()


@cache
def _files() -> dict[str, bytes]:
    """A photo (JPEG) and a signature (PNG), the same small files for every demo submission."""
    photo, signature = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (64, 48), (120, 140, 160)).save(photo, format="JPEG", quality=70)
    Image.new("L", (80, 30), 255).save(signature, format="PNG")
    return {answers.PHOTO: photo.getvalue(), answers.SIGNATURE: signature.getvalue()}


@dataclass
class _Visit:
    inspection: Inspection
    submissions: list[Submission]


class _Work:
    def __init__(self, *, seed: int, now: dt.datetime, actor: Any) -> None:
        self.seed, self.now, self.actor = seed, now, actor
        self.today = timezone.localdate(now, LOCAL)
        self.counts: dict[str, int] = {}
        self.agencies = {a.code: a for a in Agency.objects.all()}

    def rng(self, section: str) -> random.Random:
        return random.Random(f"work/{self.seed}/{section}")

    def run(self) -> dict[str, int]:
        self.people()
        self.recent()
        self.cases()
        self.scores()
        self.waiting()
        self.reads()
        self.due_work()
        self.draft_operation()
        return self.counts

    # --- who ---------------------------------------------------------------------------------------

    def _officers(self, agency: str, role: str) -> list[Officer]:
        found = list(
            Officer.objects.filter(agency__code=agency, is_active=True, roles__role=role)
            .select_related("user", "agency", "unit")
            .order_by("badge_number")
        )
        # Ordinary officers do the demo's past work; the demo logins come last.
        return sorted(found, key=lambda o: is_demo_login(o.user.username))

    def people(self) -> None:
        self.inspectors = {code: self._officers(code, Role.INSPECTOR) for code in ("PSP", "DSAL", "IAS")}
        self.reviewers = {code: self._officers(code, Role.REVIEWER) for code in ("PSP", "DSAL")}
        for code, group in {**self.inspectors, **self.reviewers}.items():
            if not group:
                raise ValueError(f"The demo registry has no officers of {code} for this role.")
        self.reviewer_of = {self.agencies[code].pk: group[0] for code, group in self.reviewers.items()}
        self.teams: dict[str, list[Team]] = {}
        for code, size, count in (("DSAL", 2, 3), ("PSP", 3, 2)):
            staff = [o for o in self.inspectors[code] if not is_demo_login(o.user.username)]
            self.teams[code] = [
                inspections.team_create(
                    actor=self.actor,
                    name=f"{code} routine team {i + 1}",
                    members=staff[i * size : (i + 1) * size] or staff[:size],
                    leader=(staff[i * size : (i + 1) * size] or staff[:size])[0],
                )
                for i in range(count)
            ]

    # --- visits ------------------------------------------------------------------------------------

    def _answers(
        self, template: str, rng: random.Random, site: Site, problems: Collection[str]
    ) -> dict[str, Any]:
        lat, lon = float(site.latitude), float(site.longitude)
        if template == "venue_prostitution_trafficking":
            return answers.venue(rng, venue_type=site.venue_type, lat=lat, lon=lon, problems=problems)
        if template == "construction_illegal_employment":
            name = site.contractor.name_en if site.contractor else "Unknown contractor"
            return answers.construction(rng, contractor=name, lat=lat, lon=lon, problems=problems)
        if template == "employment_agency":
            return answers.employment_agency(
                rng, licence=site.licence_number, lat=lat, lon=lon, problems=problems
            )
        return answers.screening(rng, problems=problems)

    def _submit(
        self,
        officer: Officer,
        inspection: Inspection,
        template: str,
        rng: random.Random,
        problems: Collection[str],
    ) -> Submission:
        """What the officer's phone sends: the answers, then the photo and signature."""
        version = template_version_latest(code=template)
        if version is None:
            raise ValueError(f"The built-in checklist {template} is missing.")
        given = self._answers(template, rng, inspection.site, problems)
        refs = sorted({ref for _path, ref in engine.attachment_refs(parsed_definition(version), given)})
        files = _files()
        result = inspections.submission_ingest(
            officer=officer,
            data=inspections.SubmissionInput(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                inspection=inspection.uuid,
                template_version=version.uuid,
                answers=given,
                device_started_at=inspection.planned_start,
                device_submitted_at=inspection.planned_end,
                attachments=tuple(
                    inspections.DeclaredAttachment(
                        name=ref, sha256=hashlib.sha256(files[ref]).hexdigest(), size=len(files[ref])
                    )
                    for ref in refs
                ),
                latitude=inspection.site.latitude,
                longitude=inspection.site.longitude,
            ),
        )
        for ref in refs:
            inspections.attachment_store(
                officer=officer,
                submission=result.submission,
                name=ref,
                chunks=[files[ref]],
                content_length=len(files[ref]),
            )
        return result.submission

    def _visit(
        self,
        *,
        site: Site,
        category: str,
        team: Team,
        starts: dt.datetime,
        minutes: int,
        templates: Iterable[tuple[str, Collection[str]]],
        rng: random.Random,
        operation: Operation | None = None,
        agency: Agency | None = None,
        by: list[Officer] | None = None,
    ) -> _Visit:
        names = [name for name, _problems in templates]
        versions = [template_version_latest(code=name) for name in names]
        inspection = inspections.inspection_issue(
            actor=self.actor,
            site=site,
            category=category,
            template_version=versions[0],
            additional_versions=versions[1:],
            planned_start=starts,
            planned_end=starts + dt.timedelta(minutes=minutes),
            team=team,
            operation=operation,
            agency=agency,
        )
        # Who sends the checklists: the team's members, or ``by`` (a team whose leader reviews).
        members = by or list(team.members.order_by("pk"))
        submissions = []
        arrived: set[int] = set()
        for i, (name, problems) in enumerate(templates):
            officer = members[i % len(members)]
            if officer.pk not in arrived:  # the phone checks in on arrival, before any checklist
                self._check_in(officer, inspection)
                arrived.add(officer.pk)
            submissions.append(self._submit(officer, inspection, name, rng, problems))
        return _Visit(inspection=inspection, submissions=submissions)

    def _check_in(self, officer: Officer, inspection: Inspection) -> None:
        """The officer's arrival as the phone records it: a GPS fix 5 to 25 m from the site with
        its accuracy, a few minutes into the window. Its own random stream, so the visits'
        answers stay what they were."""
        if not hasattr(self, "_arrivals"):
            self._arrivals = self.rng("check-ins")
        rng, site = self._arrivals, inspection.site
        metres = rng.uniform(5, 25)
        bearing = rng.uniform(0, 2 * math.pi)
        lat = float(site.latitude) + metres * math.cos(bearing) / 111_320
        lon = float(site.longitude) + metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
        inspections.checkin_record(
            officer=officer,
            inspection=inspection,
            data=inspections.CheckInInput(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lon:.6f}"),
                accuracy_m=Decimal(f"{rng.uniform(6, 20):.1f}"),
                device_time=inspection.planned_start + dt.timedelta(minutes=rng.randint(1, 8)),
            ),
        )

    def _approve(self, submission: Submission) -> None:
        """Each agency concerned approves its findings (the officer's own when there are none)."""
        concerned = set(
            Finding.objects.filter(submission=submission)
            .exclude(competent_agency=None)
            .values_list("competent_agency_id", flat=True)
        ) or {submission.officer.agency_id}
        for agency_id in sorted(concerned):
            reviewer = self.reviewer_of.get(agency_id)
            if reviewer is not None:
                compliance.submission_approve(user=reviewer.user, submission=submission)

    def _date_at_visit(self, visit: _Visit) -> None:
        """A past visit as it happened: the phone synced as the visit ended (its submissions
        received, their findings recorded then: statistics date findings by that day) and each
        agency reviewed within the week, not all of them on the day the demo was loaded. Its own
        random stream, so the visits stay what they were."""
        if not hasattr(self, "_syncs"):
            self._syncs = self.rng("syncs")
        rng = self._syncs
        received = visit.inspection.planned_end + dt.timedelta(minutes=rng.randint(2, 40))
        ids = [s.pk for s in visit.submissions]
        Submission.objects.filter(pk__in=ids).update(received_at=received)
        # The check-ins reached the server as they were made (the phone was online on arrival).
        CheckIn.objects.filter(inspection=visit.inspection).update(
            received_at=F("device_time") + dt.timedelta(seconds=20)
        )
        Finding.objects.filter(submission__in=ids).update(created_at=received)
        decided = min(received + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8)), self.now)
        Review.objects.filter(submission__in=ids).update(decided_at=decided)
        rollups_enqueue(days=[timezone.localdate(received, LOCAL), self.today])

    def _sites(
        self,
        kind: str,
        rng: random.Random,
        count: int,
        exclude: Collection[int] = (),
        at_most_half: bool = False,
    ) -> list[Site]:
        qs = Site.objects.filter(kind=kind, is_active=True).exclude(pk__in=list(exclude))
        if kind == Site.Kind.VENUE:
            qs = qs.exclude(venue_type="hotel")  # always open; the others have a night to visit
        pool = list(
            qs.select_related("operator", "contractor").prefetch_related("opening_hours").order_by("pk")
        )
        if at_most_half:  # a small demo keeps sites for the work still to come
            count = min(count, len(pool) // 2)
        return rng.sample(pool, k=min(count, len(pool)))

    def recent(self) -> None:
        """Visits of the past ten months, submitted and reviewed."""
        rng = self.rng("recent")
        self.recent_sites: set[int] = set()
        self.recent_visits: list[_Visit] = []
        for code, kind, category, count in RECENT:
            template = TEMPLATE[category]
            for site in self._sites(kind, rng, count, at_most_half=True):
                day = self.today - dt.timedelta(days=rng.randint(7, RECENT_DAYS))
                if kind == Site.Kind.VENUE:
                    starts = dt.datetime.combine(day, dt.time(22), tzinfo=LOCAL)
                    if not site.is_open_at(starts):
                        starts = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(22), tzinfo=LOCAL)
                else:
                    while day.weekday() > 4:
                        day -= dt.timedelta(days=1)
                    starts = dt.datetime.combine(day, dt.time(rng.choice((10, 11, 14, 15))), tzinfo=LOCAL)
                problems: tuple[str, ...] = ()
                if rng.random() < PROBLEM_ODDS:
                    choices = [p for p in answers.PROBLEMS[template] if p != "minor"]
                    problems = tuple(rng.sample(choices, k=rng.choice((1, 1, 2))))
                visit = self._visit(
                    site=site,
                    category=category,
                    team=rng.choice(self.teams[code]),
                    starts=starts,
                    minutes=60,
                    templates=[(template, problems)],
                    rng=rng,
                )
                for submission in visit.submissions:
                    self._approve(submission)
                self._date_at_visit(visit)
                self.recent_sites.add(site.pk)
                self.recent_visits.append(visit)
        self.counts["recent_visits"] = len(self.recent_visits)

    # --- cases -------------------------------------------------------------------------------------

    def cases(self) -> None:
        """Cases of the labour bureau at each stage, and one of the police, from official findings."""
        rng = self.rng("cases")
        by_site: dict[tuple[int, int], list[Finding]] = {}
        for f in (
            Finding.objects.filter(
                submission__inspection__in=[v.inspection for v in self.recent_visits],
                status=Finding.Status.OFFICIAL,
            )
            .select_related("inspection__site__operator", "inspection__site__contractor")
            .order_by("pk")
        ):
            site = f.inspection.site
            if (site.contractor_id or site.operator_id) and f.competent_agency_id:
                by_site.setdefault((f.competent_agency_id, site.pk), []).append(f)
        stages = {"DSAL": ["closed", "follow_up", "notice", "notice", "open"], "PSP": ["notice"]}
        # A notice may only cite a breach whose legal basis an administrator has verified: the
        # reviewer leaves the others out of the case (the demo verifies no law on its own).
        verified = set(Violation.objects.filter(legal_basis_verified=True).values_list("code", flat=True))
        made = 0
        for code, wanted in stages.items():
            agency = self.agencies[code]
            reviewer = self.reviewer_of[agency.pk].user
            texts = CASE_TEXTS[writes_in(self.reviewer_of[agency.pk])]
            groups = [
                [f for f in found if f.violation_code in verified]
                for (agency_id, _site), found in sorted(by_site.items())
                if agency_id == agency.pk
            ]
            groups = [found for found in groups if found]
            rng.shuffle(groups)
            for stage, found in zip(wanted, groups, strict=False):
                case = compliance.case_open(
                    user=reviewer,
                    findings=found,
                    reason=texts["opened"],
                    corrective_days=rng.choice((14, 21, 30)),
                )
                if stage != "open":
                    compliance.case_notice_issue(user=reviewer, case=case)
                if stage == "follow_up":
                    # Its deadline is still weeks ahead: the reviewer brings the visit forward from
                    # the case's page, as the timeline then says (the nightly run waits for it).
                    compliance.case_follow_up_order(user=reviewer, case=case)
                if stage == "closed":
                    compliance.case_decide(
                        user=reviewer,
                        case=case,
                        outcome=ComplianceCase.Outcome.RECTIFIED,
                        reason=texts["rectified"],
                        rectified_on=self.today,
                    )
                made += 1
        self.counts["cases"] = made

    # --- scores ------------------------------------------------------------------------------------

    def scores(self) -> None:
        """Every company behind a site visited lately is scored; its sites take their risk from it."""
        ids = set()
        for operator, contractor in Site.objects.filter(pk__in=self.recent_sites).values_list(
            "operator_id", "contractor_id"
        ):
            ids.update(x for x in (operator, contractor) if x is not None)
        for company in Company.objects.filter(pk__in=ids).order_by("pk"):
            compliance.company_score_compute(company=company, now=self.now, actor=self.actor)
        self.counts["scored_companies"] = len(ids)

    # --- waiting for review ------------------------------------------------------------------------

    def waiting(self) -> None:
        """Last night's joint visits to venues and yesterday's labour visits, not yet reviewed."""
        rng = self.rng("waiting")
        last_night = night_of(self.now) - dt.timedelta(days=1)
        start = night_start(last_night)
        planner = Officer.objects.get(user__username="demo-planner")
        operation = inspections.operation_create(
            actor=self.actor,
            name=LAST_NIGHT,
            lead_agency=self.agencies["PSP"],
            agencies=[self.agencies["DSAL"], self.agencies["IAS"]],
            planners=[planner],
            starts_at=start - dt.timedelta(minutes=30),
            ends_at=start + dt.timedelta(hours=6),
            reveal_at=start - dt.timedelta(hours=2),
            status=Operation.Status.PUBLISHED,
        )
        police = [o for o in self.inspectors["PSP"] if not is_demo_login(o.user.username)]
        social = self.inspectors["IAS"]
        # Led by the demo's team leader, whose review queue then holds the team's checklists
        # (never their own: they send none of them).
        crew = sorted([police[-1], police[-2], social[0]], key=lambda o: o.pk)
        team = inspections.team_create(
            actor=self.actor,
            name="Night team B",
            members=crew,
            leader=Officer.objects.get(user__username="demo-team-leader"),
            operation=operation,
        )
        windows = [
            (start + dt.timedelta(minutes=60 * i), start + dt.timedelta(minutes=60 * i + 45))
            for i in range(2)
        ]
        venues = open_venues(parish="se", visits=windows, exclude=self.recent_sites)
        waiting = 0
        for i, (venue, (begins, _ends)) in enumerate(zip(venues, windows, strict=True)):
            visit = self._visit(
                site=venue,
                category="prostitution_trafficking",
                team=team,
                starts=begins,
                minutes=45,
                templates=[
                    ("venue_prostitution_trafficking", ("documents_held",) if i == 0 else ("locked_exits",)),
                    ("ilo_forced_labour_screening", ("victim",) if i == 0 else ()),
                ],
                rng=rng,
                operation=operation,
                by=crew,
            )
            self._date_at_visit(visit)
            waiting += 2
        yesterday = self.today - dt.timedelta(days=1)
        while yesterday.weekday() > 4:
            yesterday -= dt.timedelta(days=1)
        labour = self.teams["DSAL"][0]
        for site, problems in zip(
            self._sites(Site.Kind.EMPLOYMENT_AGENCY, rng, 2, exclude=self.recent_sites),
            (("fee_over_cap", "no_receipts"), ("documents_held",)),
            strict=False,
        ):
            visit = self._visit(
                site=site,
                category="employment_agency",
                team=labour,
                starts=dt.datetime.combine(yesterday, dt.time(10), tzinfo=LOCAL),
                minutes=60,
                templates=[("employment_agency", problems)],
                rng=rng,
            )
            self._date_at_visit(visit)
            waiting += 1
        # A joint daytime check of a building site: police and labour findings in one submission.
        joint = inspections.team_create(
            actor=self.actor,
            name="Joint day team C",
            members=[
                police[-3],
                [o for o in self.inspectors["DSAL"] if not is_demo_login(o.user.username)][-1],
            ],
            leader=police[-3],
        )
        for site in self._sites(Site.Kind.CONSTRUCTION_SITE, rng, 1, exclude=self.recent_sites):
            visit = self._visit(
                site=site,
                category="illegal_employment",
                team=joint,
                starts=dt.datetime.combine(yesterday, dt.time(15), tzinfo=LOCAL),
                minutes=90,
                templates=[("construction_illegal_employment", ("no_card", "wrong_job"))],
                rng=rng,
                agency=self.agencies["PSP"],
            )
            self._date_at_visit(visit)
            waiting += 1
        self.counts["awaiting_review"] = waiting

    # --- due work and the draft operation ----------------------------------------------------------

    def reads(self) -> None:
        """The data-protection officer's access report has rows to read: victim protection reads
        the details of the person referred last night, to assess the referral, and an analyst's
        attempt is refused (a flagged row), each through the one read the console makes."""
        from backend.compliance.models import Referral
        from backend.compliance.selectors import victim_details_get
        from backend.core.errors import NotFound
        from backend.privacy.reasons import ReadReason

        referral = (
            Referral.objects.filter(status=Referral.Status.NEW, personal_details__isnull=False)
            .order_by("-created_at", "-pk")
            .first()
        )
        if referral is None:
            return
        protection = Officer.objects.get(user__username="demo-victim-protection").user
        victim_details_get(user=protection, referral_uuid=referral.uuid, reason=ReadReason.ASSESSMENT)
        analyst = Officer.objects.get(user__username="demo-analyst").user
        with contextlib.suppress(NotFound):  # refused, and recorded as refused
            victim_details_get(user=analyst, referral_uuid=referral.uuid, reason=ReadReason.OTHER)

    def due_work(self) -> None:
        """Routine visits owed in the next two weeks, for each agency's routine programme: the
        labour bureau's to employment agencies and building sites, the police's checks of venues
        (the demo planner's agency; building sites need a labour inspector, venues at night do
        not)."""
        rng = self.rng("due_work")
        taken = set(DueWork.objects.values_list("site_id", flat=True)) | self.recent_sites
        made = 0
        for code, kind, count, category in (
            ("DSAL", Site.Kind.EMPLOYMENT_AGENCY, DUE_AGENCIES, "employment_agency"),
            ("DSAL", Site.Kind.CONSTRUCTION_SITE, DUE_SITES, "construction_preventive"),
            ("PSP", Site.Kind.VENUE, DUE_SITES, "prostitution_trafficking"),
        ):
            for site in self._sites(kind, rng, count, exclude=taken):
                taken.add(site.pk)
                due_work_request(
                    actor=self.actor,
                    site=site,
                    agency=self.agencies[code],
                    category=category,
                    reason=DueWork.Reason.ROUTINE,
                    earliest=self.today,
                    latest=self.today + dt.timedelta(days=13),
                    priority=rng.choice((2, 3, 3, 4)),
                    # No note: the reason (routine, shown in the reader's language) says it; a
                    # note is a person's own words, shown as typed, and the demo's were English
                    # on the Chinese and Portuguese pages.
                )
                made += 1
        self.counts["due_work"] = made

    def draft_operation(self) -> None:
        """Tomorrow night's joint operation, drafted by the demo planner: riskiest venues first,
        each open for its whole wave; planning it is left to the planner."""
        planner = Officer.objects.get(user__username="demo-planner")
        night = night_of(self.now) + dt.timedelta(days=1)
        first = night_start(night) + dt.timedelta(minutes=30)
        waves = {"w1": first, "w2": first + dt.timedelta(hours=2)}
        starts = first - dt.timedelta(minutes=60)
        operation = scheduler.operation_plan_create(
            actor=self.actor,
            planner=planner,
            name=DRAFT_NAME,
            lead_agency=self.agencies["PSP"],
            agencies=[self.agencies["DSAL"], self.agencies["IAS"]],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=7),
            reveal_at=starts - dt.timedelta(hours=2),
            muster_unit=Unit.objects.get(code="psp_hq"),
            waves=list(waves.items()),
            team_min_size=3,
            team_max_size=5,
            required_agencies=["PSP", "DSAL"],
            female_officer=True,
            visit_minutes=45,
        )
        # A team per target of the busiest wave needs as many labour inspectors on duty, and one
        # spare: the bureau rosters more for the night when its night roster is short (a third of
        # its field officers each week, less their days off: six on some nights).
        self.counts["rostered_for_draft"] = self._roster_for_night(
            agency="DSAL",
            start=night_start(night) - dt.timedelta(hours=1),
            hours=8,
            needed=max(count for _, count in DRAFT_TARGETS) + 1,
        )
        busy = set(
            Inspection.objects.filter(
                planned_start__gte=starts - dt.timedelta(hours=3),
                planned_start__lt=starts + dt.timedelta(hours=9),
            ).values_list("site_id", flat=True)
        )
        ranked = [
            s
            for s in Site.objects.filter(kind=Site.Kind.VENUE, is_active=True)
            .exclude(Q(pk__in=busy) | Q(venue_type="hotel"))
            .prefetch_related("opening_hours")
            .order_by("-risk_score", "name_en", "pk")
        ]
        placed = 0
        used: set[int] = set()
        for code, count in DRAFT_TARGETS:
            begins = waves[code]
            fits = [
                s
                for s in ranked
                if s.pk not in used
                and s.is_open_at(begins)
                and s.is_open_at(begins + dt.timedelta(minutes=100))
            ][:count]
            used.update(s.pk for s in fits)
            scheduler.operation_targets_set(actor=self.actor, operation=operation, sites=fits[:-1], wave=code)
            # One target where English is likely spoken: the team needs someone who speaks it.
            scheduler.operation_targets_set(
                actor=self.actor, operation=operation, sites=fits[-1:], wave=code, languages=["en"]
            )
            placed += len(fits)
        self.counts["draft_targets"] = placed

    def _roster_for_night(self, *, agency: str, start: dt.datetime, hours: int, needed: int) -> int:
        """Night shifts for ``agency``'s field officers free that night, in badge order, until
        ``needed`` are on duty for the whole night; how many were added."""
        end = start + dt.timedelta(hours=hours)
        field = list(
            Officer.objects.filter(agency__code=agency, is_active=True, roles__role=Role.INSPECTOR)
            .exclude(roles__role__in=[Role.PLANNER, Role.REVIEWER, Role.ANALYST, Role.ADMINISTRATOR])
            .distinct()
            .order_by("badge_number")
        )
        on_duty = set(
            Availability.objects.filter(
                officer__in=field, kind=Availability.Kind.SHIFT, start__lte=start, end__gte=end
            ).values_list("officer_id", flat=True)
        )
        taken = set(
            Availability.objects.filter(officer__in=field, start__lt=end, end__gt=start).values_list(
                "officer_id", flat=True
            )
        )
        added = 0
        for officer in field:
            if len(on_duty) + added >= needed:
                break
            if officer.pk in taken:
                continue
            registry.availability_add(
                actor=self.actor,
                officer=officer,
                kind=Availability.Kind.SHIFT,
                start=start,
                end=end,
                note="Rostered for the joint operation",
            )
            added += 1
        return added


def load_work(*, seed: int = 1, now: dt.datetime | None = None, actor: Any = None) -> dict[str, int]:
    """Record the demo's present over the demo registry, once (later calls return ``{}``)."""
    with transaction.atomic():
        if work_is_loaded():
            return {}
        return _Work(seed=seed, now=now or timezone.now(), actor=actor).run()
