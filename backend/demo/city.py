"""Demo data for a laptop or a training server: agencies, depots, officers with four weeks of
shifts, companies, employment agencies, construction sites and venues, plus one login per role.

Everything compared between two loads is drawn from ``random.Random`` streams seeded from
``seed`` and from a start date the caller passes, so the same seed and start give the same
registry on any machine. Only the logins' passwords are random per installation: they are made
with ``secrets`` at load time, kept in a git-ignored file and printed, never part of the data.

Reference data (agencies, parishes, depots, skills, word lists) comes from ``demo_data.json``
beside this file, a copy of what we need from the shared domain folder, so loading never reads
outside the project.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import random
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.audit.services import audit_record
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    LicenceStatus,
    Officer,
    Role,
    Site,
    Skill,
    Unit,
)
from backend.registry.services import company_create, officer_create, site_create

DATA_FILE = Path(__file__).with_name("demo_data.json")
LOCAL = ZoneInfo("Asia/Macau")
WEEKS = 4
USERNAME_PREFIX = "demo-"

# One login per back-office role, plus field officers. The inspector and the team leader share a
# PSP station, so they can be put in one team, and a labour inspector joins them at night. Each
# reviewing agency has a reviewer: the labour bureau's (who also decides its compliance cases:
# the labour bureau has no separate compliance role) and the police's.
DEMO_LOGINS: tuple[tuple[str, str, str, str], ...] = (  # role, username, agency, unit
    (Role.INSPECTOR, "demo-inspector", "PSP", "psp_north"),
    (Role.TEAM_LEADER, "demo-team-leader", "PSP", "psp_north"),
    (Role.INSPECTOR, "demo-dsal-inspector", "DSAL", "dsal_hq"),
    (Role.PLANNER, "demo-planner", "PSP", "psp_hq"),
    (Role.REVIEWER, "demo-reviewer", "DSAL", "dsal_hq"),
    (Role.REVIEWER, "demo-psp-reviewer", "PSP", "psp_hq"),
    (Role.VICTIM_PROTECTION, "demo-victim-protection", "IAS", "ias_hq"),
    (Role.ANALYST, "demo-analyst", "PJ", "pj_hq"),
    (Role.DATA_PROTECTION, "demo-data-protection", "IAS", "ias_hq"),
    (Role.ADMINISTRATOR, "demo-admin", "PSP", "psp_hq"),
)

# Officers per agency at scale 1, with the share of women and the units they work from.
OFFICERS = {
    "PSP": (
        72,
        0.32,
        {
            "psp_hq": 3,
            "psp_north": 3,
            "psp_nape": 2,
            "psp_south": 2,
            "psp_taipa": 2,
            "psp_airport": 1,
            "psp_coloane": 1,
        },
    ),
    "PJ": (26, 0.30, {"pj_hq": 3, "pj_cotai": 1}),
    "DSAL": (36, 0.50, {"dsal_hq": 1}),
    "IAS": (12, 0.70, {"ias_hq": 1}),
    "DST": (5, 0.50, {"dst_hq": 1}),
    "SA": (5, 0.25, {"sa_hq": 1}),
}
BADGE_BASE = {"PSP": 100000, "PJ": 200000, "DSAL": 300000, "IAS": 400000, "DST": 500000, "SA": 600000}
POLICE = {"PSP", "PJ", "SA"}  # rotating shifts; the others keep office hours
# Labour and social-welfare field officers keep office hours, but a third of them is on the
# night roster each week, so joint night operations needing them can be staffed.
NIGHT_ROSTER = {"DSAL", "IAS"}
RANK_WEIGHTS = (22, 18, 15, 12, 10, 8, 6, 4, 3, 2)  # ranks 1..10: a pyramid
OFFICE_ROLES = {Role.PLANNER, Role.REVIEWER, Role.ANALYST, Role.ADMINISTRATOR}
# Back-office roles held by ordinary officers at scale 1 (the demo logins come on top).
SPECIAL_ROLES = {
    "PSP": [Role.PLANNER, Role.PLANNER, Role.ADMINISTRATOR, Role.REVIEWER],
    "PJ": [Role.ANALYST],
    "DSAL": [Role.PLANNER, Role.REVIEWER, Role.REVIEWER, Role.REVIEWER, Role.ANALYST],
    "IAS": [Role.VICTIM_PROTECTION] * 4,
}

EMPLOYMENT_AGENCIES = 140
CONSTRUCTION_SITES = 300
VENUES = {"sauna": 35, "massage": 90, "nightclub": 35, "karaoke": 60, "bar": 80, "hotel": 70, "other": 30}
DEVELOPERS, MAIN_CONTRACTORS, SUBCONTRACTORS, HOTEL_GROUPS = 24, 60, 90, 15
CONFLICTS = 6
# Share of sites whose registry names an on-site contact person (the manager, foreman or licence
# holder a team asks for at the door), and of those, whose phone is a mobile rather than the
# office's landline. The rest have none on record, as a real registry often does not: the
# briefing then says so. An assumption for the demo, like the spreads below.
CONTACT_SHARE = {"employment_agency": 0.85, "construction_site": 0.8, "hotel": 0.9, "venue": 0.6}
CONTACT_MOBILE = {"employment_agency": 0.3, "construction_site": 0.9, "hotel": 0.1, "venue": 0.6}
CONTACT_WITHOUT_PHONE = 0.05  # a name and no number: the team still knows whom to ask for

# Where each kind of place is, as parish weights (REFERENCE §4: our own assumption).
SPREAD = {
    "construction_site": {
        "cotai": 30,
        "carmo_taipa": 25,
        "fatima": 22,
        "coloane": 8,
        "santo_antonio": 5,
        "se": 4,
        "sao_lazaro": 3,
        "sao_lourenco": 3,
    },
    "employment_agency": {
        "fatima": 40,
        "santo_antonio": 30,
        "sao_lazaro": 10,
        "se": 8,
        "carmo_taipa": 7,
        "sao_lourenco": 5,
    },
    "hotel": {"cotai": 45, "se": 35, "carmo_taipa": 12, "coloane": 4, "fatima": 2, "sao_lourenco": 2},
    "venue": {
        "se": 28,
        "fatima": 20,
        "santo_antonio": 15,
        "carmo_taipa": 13,
        "sao_lazaro": 8,
        "cotai": 8,
        "sao_lourenco": 6,
        "coloane": 2,
    },
}

T = dt.time
WORKDAYS, MON_SAT, EVERY_DAY = range(5), range(6), range(7)
OFFICE_SHIFT = (T(9), T(18))
POLICE_SHIFTS = {"day": (T(8), T(16)), "evening": (T(16), T(0)), "night": (T(20), T(4))}
ROTATION = ("day", "evening", "night")
# Opening hours: (weekdays, opens, closes); closing at or before opening runs past midnight.
# No hours at all means always open (Site.is_open_at), which is how hotels are recorded.
HOURS: dict[str, list[tuple[Iterable[int], dt.time, dt.time]]] = {
    "employment_agency": [(MON_SAT, T(9), T(18))],
    "construction_site": [(MON_SAT, T(8), T(18))],
    "sauna": [(EVERY_DAY, T(12), T(2))],
    "massage": [(EVERY_DAY, T(11), T(2))],
    "nightclub": [(range(1, 7), T(22), T(5))],  # closed on Mondays
    "karaoke": [(EVERY_DAY, T(20), T(4))],
    "bar": [(EVERY_DAY, T(18), T(2))],
    "hotel": [],
    "Guesthouse": [],
    "Mahjong Parlour": [(EVERY_DAY, T(14), T(2))],
    "Club": [(range(1, 7), T(20), T(3))],
}


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str

    def line(self) -> str:
        return f"{self.role} {self.username} {self.password}"


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    logins_file: Path | None = None


# The venues' floors in Chinese: the ground floor (r/c, rés-do-chão) is 地下.
FLOORS_ZH = {"": "", "r/c": "地下", "1.º andar": "1樓", "2.º andar": "2樓"}


@cache
def demo_data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def chinese_address(parish: dict[str, Any], street: str, number: int, floor: str = "") -> str:
    """A demo address as Chinese writes it: the town (澳門, 澳門氹仔…), the street, the number and
    the floor, "澳門亞美打利庇盧大馬路12號3樓A座"; empty for a street whose Chinese name the demo's
    data does not give (its site shows the Portuguese address)."""
    name = demo_data()["streets_zh_hant"].get(street)
    return f"{parish['town_zh_hant']}{name}{number}號{floor}" if name else ""


def default_start(today: dt.date | None = None) -> dt.date:
    """The Monday on or before ``today`` (local date). Not deterministic: tests pass a start."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def default_logins_file() -> Path:
    return logins_file_for(settings.DATABASES["default"])


def logins_file_for(db: dict[str, Any]) -> Path:
    """var/demo_logins.json for the default database (var/db.sqlite3); one file per other
    database, so two demo instances of one checkout (another DATABASE_URL) do not reset each
    other's passwords each time one prints its logins."""
    var = Path(settings.BASE_DIR) / "var"
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3") and Path(name) == var / "db.sqlite3":
        return var / "demo_logins.json"
    where = f"{db['ENGINE']}|{db.get('HOST') or ''}|{db.get('PORT') or ''}|{name}"
    return var / f"demo_logins-{hashlib.sha256(where.encode()).hexdigest()[:10]}.json"


def is_demo_login(username: str) -> bool:
    return username in {login[1] for login in DEMO_LOGINS}


def demo_is_loaded() -> bool:
    """Demo officers' logins all start with ``demo-``; real accounts never should."""
    return get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).exists()


def load_demo(
    *,
    seed: int = 1,
    start: dt.date | None = None,
    scale: float = 1.0,
    actor: Any = None,
    logins_file: Path | None = None,
) -> DemoResult:
    """Load the demo registry in one transaction, unless it is already there (then nothing
    happens and ``created`` is False). ``scale`` shrinks or grows the bulk rows, not the
    reference data or the demo logins, so tests can load a small copy quickly."""
    if not 0 < scale <= 5:
        raise DemoError("scale must be above 0 and at most 5.")
    start = start or default_start()
    with transaction.atomic():
        if demo_is_loaded():
            return DemoResult(created=False)
        result = _Loader(seed=seed, start=start, scale=scale, actor=actor).run()
    result.logins_file = logins_file or default_logins_file()
    _write_logins(result.logins_file, result.logins)
    return result


def demo_logins(*, logins_file: Path | None = None, actor: Any = None) -> list[DemoLogin]:
    """The demo logins with working passwords. The file is a cache, the database is the truth:
    a login whose saved password is missing or no longer works gets a new random one."""
    path = logins_file or default_logins_file()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[d[1] for d in DEMO_LOGINS])}
    if not users:
        raise DemoError("No demo logins in this database: run `manage.py load_demo` first.")
    saved = _read_logins(path)
    out: list[DemoLogin] = []
    reset: list[str] = []
    with transaction.atomic():
        for role, username, _agency, _unit in DEMO_LOGINS:
            user = users.get(username)
            if user is None:
                continue
            password = saved.get(username, "")
            if not password or not user.check_password(password):
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save(update_fields=["password"])
                reset.append(username)
            out.append(DemoLogin(role=str(role), username=username, password=password))
        if reset:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                verb="demo_logins_reset",
                object_type="auth.user",
                changes={"usernames": reset},
            )
    if reset or len(saved) != len(out):
        _write_logins(path, out)
    return out


def _read_logins(path: Path) -> dict[str, str]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["logins"]
        return {r["username"]: r["password"] for r in rows}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_logins(path: Path, logins: Sequence[DemoLogin]) -> None:
    if not logins:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"logins": [{"role": x.role, "username": x.username, "password": x.password} for x in logins]}
    # Readable by the owner alone: these are working passwords.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
        f.write("\n")


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=LOCAL)


@dataclass
class _OfficerPlan:
    agency: str
    unit: str
    badge: str
    username: str
    full_name: str
    sex: str
    rank: int
    roles: set[str]
    skills: set[str]
    password: str | None = None
    demo_role: str = ""


class _Loader:
    """Builds the demo in a fixed order from seeded streams, one stream per section, so a change
    in one section does not reshuffle the others."""

    def __init__(self, *, seed: int, start: dt.date, scale: float, actor: Any) -> None:
        self.seed, self.start, self.scale, self.actor = seed, start, scale, actor
        self.data = demo_data()
        self.words = self.data["words"]
        self.parishes = {p["code"]: p for p in self.data["parishes"]}
        self.counts: dict[str, int] = {}
        self.contacts = self.rng("site_contacts")

    def rng(self, section: str) -> random.Random:
        # A str seed is hashed with SHA-512 by random.Random: stable across runs and machines.
        return random.Random(f"demo/{self.seed}/{section}")

    def n(self, count: int, minimum: int = 1) -> int:
        return max(minimum, round(count * self.scale))

    def run(self) -> DemoResult:
        self.reference_data()
        logins = self.officers()
        self.availability()
        self.companies()
        self.employment_agencies()
        self.construction_sites()
        self.venues()
        self.conflicts()
        audit_record(
            actor=self.actor,
            action=AuditEntry.Action.CREATE,
            verb="load_demo",
            object_type="demo.city",
            object_id=f"seed-{self.seed}",
            changes={
                "seed": self.seed,
                "start": self.start.isoformat(),
                "scale": self.scale,
                "counts": self.counts,
            },
        )
        return DemoResult(created=True, counts=dict(self.counts), logins=logins)

    # --- reference data: agencies, units, skills -------------------------------------------

    def reference_data(self) -> None:
        # get-or-create: a database that already holds the agencies (from an import) keeps them.
        self.agencies: dict[str, Agency] = {}
        for row in self.data["agencies"]:
            agency = Agency.objects.filter(code=row["code"]).first()
            if agency is None:
                agency = Agency(**row)
                agency.full_clean()
                agency.save()
            self.agencies[row["code"]] = agency
        self.units: dict[str, Unit] = {}
        for row in self.data["units"]:
            unit = Unit.objects.filter(code=row["code"]).first()
            if unit is None:
                unit = Unit(
                    agency=self.agencies[row["agency"]],
                    code=row["code"],
                    name_en=row["name_en"],
                    name_zh_hant=row["name_zh_hant"],
                    name_pt=row["name_pt"],
                    address=row["address"],
                    address_zh_hant=row.get("address_zh_hant", ""),
                    parish=row["parish"],
                    latitude=Decimal(str(row["lat"])),
                    longitude=Decimal(str(row["lon"])),
                )
                unit.full_clean(exclude=["uuid"])
                unit.save()
            self.units[row["code"]] = unit
        self.skills: dict[str, Skill] = {}
        for row in self.data["skills"]:
            skill = Skill.objects.filter(code=row["code"]).first()
            if skill is None:
                skill = Skill(**row)
                skill.full_clean()
                skill.save()
            self.skills[row["code"]] = skill
        self.counts.update(agencies=len(self.agencies), units=len(self.units), skills=len(self.skills))

    # --- officers ----------------------------------------------------------------------------

    def _person(self, rng: random.Random, sex: str) -> str:
        w = self.words
        if rng.random() < 0.06:  # Macanese families
            first = rng.choice(w["portuguese_female" if sex == "F" else "portuguese_male"])
            return f"{first} {rng.choice(w['portuguese_surnames'])}"
        surname = rng.choice(w["surnames"])
        given = rng.sample(w["given_female" if sex == "F" else "given_male"], 2)
        return f"{surname[0]} {given[0][0]} {given[1][0]} {surname[1]}{given[0][1]}{given[1][1]}"

    def _skills_for(self, rng: random.Random, agency: str, sex: str, name: str) -> set[str]:
        out = {"lang-zh-yue"}
        if rng.random() < 0.8:
            out.add("lang-zh-cmn")
        if rng.random() < 0.45:
            out.add("lang-en")
        if rng.random() < 0.08 or name[-1].isascii():
            out.add("lang-pt")  # every Macanese officer (no Chinese name), a few others
        rare = 0.30 if agency == "IAS" else 0.09
        if rng.random() < rare:
            out.add(rng.choice(["lang-tl", "lang-id", "lang-vi", "lang-my", "lang-th", "lang-ne"]))
            if rng.random() < 0.7:
                out.add("interpreter")
        if agency == "DSAL":
            out.add("labour-inspector")
        odds = {
            "PSP": {"immigration": 0.3, "vice-squad": 0.15, "first-aid": 0.4},
            "PJ": {"vice-squad": 0.4, "first-aid": 0.25},
            "SA": {"immigration": 0.6, "first-aid": 0.2},
            "DSAL": {"first-aid": 0.15},
            "IAS": {"first-aid": 0.5},
            "DST": {"first-aid": 0.2},
        }[agency]
        for skill, p in odds.items():
            if rng.random() < p:
                out.add(skill)
        # Women are needed for searching women; most policewomen hold the qualification.
        if agency in POLICE and rng.random() < (0.6 if sex == "F" else 0.3):
            out.add("body-search")
        return out

    def officers(self) -> list[DemoLogin]:
        rng = self.rng("officers")
        plans: list[_OfficerPlan] = []
        serial = dict.fromkeys(BADGE_BASE, 0)

        def plan(agency: str, unit: str, roles: set[str], rank: int | None = None) -> _OfficerPlan:
            share_women = OFFICERS[agency][1]
            sex = "F" if rng.random() < share_women else "M"
            rank = rank or rng.choices(range(1, 11), weights=RANK_WEIGHTS)[0]
            serial[agency] += 1
            badge = str(BADGE_BASE[agency] + serial[agency])
            name = self._person(rng, sex)
            return _OfficerPlan(
                agency=agency,
                unit=unit,
                badge=badge,
                username=f"{USERNAME_PREFIX}{agency.lower()}-{badge}",
                full_name=name,
                sex=sex,
                rank=rank,
                roles=roles,
                skills=self._skills_for(rng, agency, sex, name),
            )

        demo_ranks = {
            Role.INSPECTOR: 2,
            Role.TEAM_LEADER: 5,
            Role.PLANNER: 6,
            Role.REVIEWER: 5,
            Role.VICTIM_PROTECTION: 4,
            Role.ANALYST: 4,
            Role.ADMINISTRATOR: 6,
        }
        for role, username, agency, unit in DEMO_LOGINS:
            if role == Role.DATA_PROTECTION:
                # Drawn from no stream, so the officers planned after it stay as they were.
                p = _OfficerPlan(
                    agency=agency,
                    unit=unit,
                    badge=str(BADGE_BASE[agency] + 9001),
                    username=username,
                    full_name="Leong Ka Man",
                    sex="F",
                    rank=6,
                    roles={role},
                    skills={"lang-zh-yue", "lang-zh-cmn", "lang-pt"},
                )
                p.username, p.demo_role = username, str(role)
                p.password = secrets.token_urlsafe(12)
                plans.append(p)
                continue
            roles = {role, Role.INSPECTOR} if role == Role.TEAM_LEADER else {role}
            p = plan(agency, unit, roles, rank=demo_ranks[role])
            p.username, p.demo_role = username, str(role)
            p.password = secrets.token_urlsafe(12)  # random per installation, never seeded
            plans.append(p)

        for agency, (count, _women, unit_weights) in OFFICERS.items():
            group = []
            for _ in range(self.n(count)):
                p = plan(agency, _weighted(rng, unit_weights), {Role.INSPECTOR})
                if p.rank >= 4 and rng.random() < 0.45:
                    p.roles.add(Role.TEAM_LEADER)
                group.append(p)
            # Back-office roles go to the more senior half of the agency.
            specials = SPECIAL_ROLES.get(agency, [])
            specials = specials[: self.n(len(specials), minimum=0)]
            seniors = sorted(group, key=lambda p: (-p.rank, p.badge))
            pool = seniors[: max(len(specials), len(seniors) // 2)]
            for role, p in zip(specials, rng.sample(pool, k=min(len(specials), len(pool))), strict=False):
                # Victim protection officers still go out with teams; the others work in the office.
                p.roles = {role, Role.INSPECTOR} if role == Role.VICTIM_PROTECTION else {role}
            plans.extend(group)

        titles, titles_zh = self.data["rank_titles"], self.data["rank_titles_zh_hant"]
        self.officer_plans: list[tuple[_OfficerPlan, Officer]] = []
        for p in plans:
            officer = officer_create(
                actor=self.actor,
                username=p.username,
                password=p.password,
                agency=self.agencies[p.agency],
                unit=self.units[p.unit],
                badge_number=p.badge,
                full_name=p.full_name,
                sex=p.sex,
                rank=p.rank,
                rank_title=titles[p.agency][p.rank - 1],
                rank_title_zh_hant=titles_zh[p.agency][p.rank - 1],
                rank_title_pt=titles[p.agency][p.rank - 1],
                roles=sorted(p.roles),
                skills=[self.skills[s] for s in sorted(p.skills)],
                # The demo logins can reset their password: the mail goes to EMAIL_BACKEND
                # (the console's output under make run), addressed to a domain that never exists.
                email=f"{p.username}@demo.invalid" if p.demo_role else "",
                audit=False,
            )
            self.officer_plans.append((p, officer))
        self.counts["officers"] = len(plans)
        return [
            DemoLogin(role=p.demo_role, username=p.username, password=p.password or "")
            for p in plans
            if p.demo_role
        ]

    # --- availability ------------------------------------------------------------------------

    def availability(self) -> None:
        """Four weeks from the start date: office hours Monday to Friday for the bureaus and
        back-office staff; for police field officers a weekly rotation of day, evening and
        night shifts (nights 20:00–04:00, when venues are open), five days on, two off; labour
        and social-welfare field officers office hours, except one week in three on the night
        roster (nights, five days on, two off). Some officers take leave, fall sick or attend
        training, and have no shift on those days."""
        rng = self.rng("availability")
        rostered = 0
        days = [self.start + dt.timedelta(days=i) for i in range(WEEKS * 7)]
        rows: list[Availability] = []
        for p, officer in self.officer_plans:
            absent: set[dt.date] = set()
            roll = rng.random()
            if roll < 0.12:
                first = rng.randrange(len(days) - 3)
                length = rng.randint(3, 7)
                span = days[first : first + length]
                absent.update(span)
                rows.append(
                    Availability(
                        officer=officer,
                        kind=Availability.Kind.LEAVE,
                        note="Annual leave",
                        start=_local(span[0], T(0)),
                        end=_local(span[-1] + dt.timedelta(days=1), T(0)),
                    )
                )
            elif roll < 0.16:
                first = rng.randrange(len(days) - 2)
                span = days[first : first + rng.randint(1, 3)]
                absent.update(span)
                rows.append(
                    Availability(
                        officer=officer,
                        kind=Availability.Kind.SICK,
                        note="Sick leave",
                        start=_local(span[0], T(0)),
                        end=_local(span[-1] + dt.timedelta(days=1), T(0)),
                    )
                )
            elif roll < 0.22:
                day = rng.choice([d for d in days if d.weekday() < 5])
                absent.add(day)
                rows.append(
                    Availability(
                        officer=officer,
                        kind=Availability.Kind.TRAINING,
                        note="Course: indicators of trafficking and forced labour",
                        start=_local(day, T(9)),
                        end=_local(day, T(17)),
                    )
                )
            rotating = p.agency in POLICE and not (p.roles & OFFICE_ROLES)
            group = rng.randrange(3)
            first_off = rng.randrange(7)
            days_off = {first_off, (first_off + 1) % 7}
            night_roster = p.agency in NIGHT_ROSTER and not (p.roles & OFFICE_ROLES)
            if night_roster:  # in turn, so each week's roster holds a third of them
                group, rostered = rostered % 3, rostered + 1
            for i, day in enumerate(days):
                if day in absent:
                    continue
                if rotating:
                    if day.weekday() in days_off:
                        continue
                    opens, closes = POLICE_SHIFTS[ROTATION[(group + i // 7) % 3]]
                elif night_roster and (group + i // 7) % 3 == 0:
                    if day.weekday() in days_off:
                        continue
                    opens, closes = POLICE_SHIFTS["night"]
                else:
                    if day.weekday() not in WORKDAYS:
                        continue
                    opens, closes = OFFICE_SHIFT
                end_day = day + dt.timedelta(days=1) if closes <= opens else day
                rows.append(
                    Availability(
                        officer=officer,
                        kind=Availability.Kind.SHIFT,
                        start=_local(day, opens),
                        end=_local(end_day, closes),
                    )
                )
        Availability.objects.bulk_create(rows, batch_size=500)
        self.counts["shifts"] = sum(r.kind == Availability.Kind.SHIFT for r in rows)
        self.counts["absences"] = len(rows) - self.counts["shifts"]

    # --- companies ---------------------------------------------------------------------------

    def _trade_names(self, rng: random.Random) -> Iterator[tuple[str, str]]:
        """Shop names such as Wing Fat (永發), in a shuffled order; numbered once all are used."""
        names = [
            (f"{a[0]} {b[0]}", a[1] + b[1])
            for a in self.words["trade_first"]
            for b in self.words["trade_second"]
            if a[0] != b[0]
        ]
        rng.shuffle(names)
        yield from names
        for round_ in itertools.count(2):
            for en, zh in names:
                yield f"{en} {round_}", f"{zh}{round_}"

    def _company(self, kind: str, en: str, zh: str, pt: str, rng: random.Random, **fields: Any) -> Company:
        self.counts["companies"] = self.counts.get("companies", 0) + 1
        return company_create(
            actor=self.actor,
            kind=kind,
            name_en=en,
            name_zh_hant=zh,
            name_pt=pt,
            registration_number=f"{rng.randint(10000, 89999)} (SO)",
            audit=False,
            **fields,
        )

    def companies(self) -> None:
        """Developers, main contractors with chains of subcontractors, and hotel groups."""
        rng = self.rng("companies")
        names = self._trade_names(rng)
        self.developers = []
        for _ in range(self.n(DEVELOPERS)):
            en, zh = next(names)
            self.developers.append(
                self._company(
                    Company.Kind.OPERATOR,
                    f"{en} Property Development Co., Ltd.",
                    f"{zh}置業發展有限公司",
                    f"Fomento Predial {en}, Limitada",
                    rng,
                )
            )
        self.contractors = []
        for _ in range(self.n(MAIN_CONTRACTORS)):
            en, zh = next(names)
            self.contractors.append(
                self._company(
                    Company.Kind.CONTRACTOR,
                    f"{en} Construction & Engineering Co., Ltd.",
                    f"{zh}建築工程有限公司",
                    f"Companhia de Construção e Engenharia {en}, Limitada",
                    rng,
                )
            )
        # Two tiers: most subcontract for a main contractor, some for another subcontractor.
        self.subcontractors: list[Company] = []
        for i in range(self.n(SUBCONTRACTORS)):
            en, zh = next(names)
            trade = rng.choice(self.words["subcontractor_trades"])
            second_tier = i >= self.n(SUBCONTRACTORS) * 2 // 3 and self.subcontractors
            above = rng.choice(self.subcontractors if second_tier else self.contractors)
            self.subcontractors.append(
                self._company(
                    Company.Kind.SUBCONTRACTOR,
                    f"{en} {trade[0]} Co., Ltd.",
                    f"{zh}{trade[1]}有限公司",
                    f"{trade[2]} {en}, Limitada",
                    rng,
                    main_contractor=above,
                )
            )
        self.hotel_groups = []
        for _ in range(self.n(HOTEL_GROUPS)):
            en, zh = next(names)
            self.hotel_groups.append(
                self._company(
                    Company.Kind.OPERATOR,
                    f"{en} Hotels & Resorts Ltd.",
                    f"{zh}酒店集團有限公司",
                    f"Hotéis {en}, Limitada",
                    rng,
                )
            )

    # --- places ------------------------------------------------------------------------------

    def _point(self, rng: random.Random, parish: str) -> tuple[Decimal, Decimal]:
        """A point in the parish's box and the service area, denser near the parish centre."""
        p = self.parishes[parish]
        box, area = p["bbox"], settings.SERVICE_AREA
        south, north = max(box["south"], area.south), min(box["north"], area.north)
        west, east = max(box["west"], area.west), min(box["east"], area.east)
        if south >= north or west >= east:
            raise DemoError(f"The parish {parish} lies outside the service area.")
        lat = rng.triangular(south, north, min(max(p["centre"]["lat"], south), north))
        lon = rng.triangular(west, east, min(max(p["centre"]["lon"], west), east))
        q = Decimal("0.000001")
        lat_d = min(max(Decimal(str(lat)).quantize(q), Decimal(str(south))), Decimal(str(north)))
        lon_d = min(max(Decimal(str(lon)).quantize(q), Decimal(str(west))), Decimal(str(east)))
        return lat_d, lon_d

    def _parish(self, rng: random.Random, spread: str) -> str:
        area = settings.SERVICE_AREA
        weights = {
            code: w
            for code, w in SPREAD[spread].items()
            if self.parishes[code]["bbox"]["south"] < area.north
            and self.parishes[code]["bbox"]["north"] > area.south
            and self.parishes[code]["bbox"]["west"] < area.east
            and self.parishes[code]["bbox"]["east"] > area.west
        }
        if not weights:
            raise DemoError("No parish of the demo lies inside the service area.")
        return _weighted(rng, weights)

    def _address(self, rng: random.Random, parish: str, floor: tuple[str, str] = ("", "")) -> tuple[str, str]:
        """An address in the parish, in Portuguese and, where the street has a Chinese name, in
        Chinese (else ""); ``floor`` in both forms ("12.º andar A", "12樓A座")."""
        p = self.parishes[parish]
        street, number = rng.choice(p["streets"]), rng.randint(1, 420)
        parts = [street, f"n.º {number}"]
        if floor[0]:
            parts.append(floor[0])
        parts.append(p["town"])
        return ", ".join(parts), chinese_address(p, street, number, floor[1])

    def _licence(self, rng: random.Random, weights: dict[str, float]) -> tuple[str, dt.date | None]:
        status = _weighted(rng, weights)
        days = {
            LicenceStatus.VALID: rng.randint(20, 1000),
            LicenceStatus.SUSPENDED: rng.randint(30, 700),
            LicenceStatus.EXPIRED: -rng.randint(5, 400),
            LicenceStatus.CANCELLED: -rng.randint(30, 700),
        }.get(status)
        return status, (self.start + dt.timedelta(days=days) if days is not None else None)

    def _hours(self, key: str) -> list[tuple[int, dt.time, dt.time]]:
        return [(d, opens, closes) for weekdays, opens, closes in HOURS[key] for d in weekdays]

    def _contact(self, kind: str) -> dict[str, str]:
        """The on-site contact of the next site, from a stream of its own, so adding contacts
        changed none of the places drawn before them. Macao numbers: 8 digits, landlines 28xx xxxx,
        mobiles 6xxx xxxx."""
        rng = self.contacts
        if rng.random() >= CONTACT_SHARE[kind]:
            return {"contact_name": "", "contact_phone": ""}
        name = self._person(rng, "F" if rng.random() < 0.4 else "M")
        if rng.random() < CONTACT_WITHOUT_PHONE:
            phone = ""
        elif rng.random() < CONTACT_MOBILE[kind]:
            phone = f"6{rng.choice('23568')}{rng.randint(0, 99):02d} {rng.randint(0, 9999):04d}"
        else:
            phone = f"28{rng.randint(20, 99)} {rng.randint(0, 9999):04d}"
        return {"contact_name": name, "contact_phone": phone}

    def _site(self, **fields: Any) -> Site:
        kind = "hotel" if fields.get("venue_type") == "hotel" else str(fields["kind"])
        return site_create(actor=self.actor, audit=False, **self._contact(kind), **fields)

    def employment_agencies(self) -> None:
        rng = self.rng("employment_agencies")
        names = self._trade_names(rng)
        statuses = {
            LicenceStatus.VALID: 85,
            LicenceStatus.EXPIRED: 7,
            LicenceStatus.SUSPENDED: 5,
            LicenceStatus.CANCELLED: 3,
        }
        count = self.n(EMPLOYMENT_AGENCIES)
        for i in range(count):
            en, zh = next(names)
            kind_en, kind_zh, kind_pt = rng.choice(self.words["agency_kinds"])
            operator = self._company(
                Company.Kind.EMPLOYMENT_AGENCY,
                f"{en} {kind_en} Co., Ltd.",
                f"{zh}{kind_zh}有限公司",
                f"{kind_pt} {en}, Limitada",
                rng,
            )
            parish = self._parish(rng, "employment_agency")
            lat, lon = self._point(rng, parish)
            status, expiry = self._licence(rng, statuses)
            hours = self._hours("employment_agency")
            if kind_en == "Domestic Helper Agency":
                hours.append((6, T(10), T(16)))  # open on Sundays, the helpers' day off
            storey, flat = rng.randint(1, 22), rng.choice("ABCDEFGH")
            address, address_zh = self._address(
                rng, parish, (f"{storey}.º andar {flat}", f"{storey}樓{flat}座")
            )
            self._site(
                kind=Site.Kind.EMPLOYMENT_AGENCY,
                name_en=f"{en} {kind_en}",
                name_zh_hant=f"{zh}{kind_zh}",
                name_pt=f"{kind_pt} {en}",
                parish=parish,
                latitude=lat,
                longitude=lon,
                address=address,
                address_zh_hant=address_zh,
                licence_number=f"DSAL/AE/{i + 1:03d}/{self.start.year - rng.randint(0, 6)}",
                licence_status=status,
                licence_expiry=expiry,
                operator=operator,
                opening_hours=hours,
            )
        self.counts["employment_agencies"] = count

    def construction_sites(self) -> None:
        rng = self.rng("construction_sites")
        projects = self.words["projects"]
        serial: dict[str, int] = {}
        count = self.n(CONSTRUCTION_SITES)
        for _ in range(count):
            parish = self._parish(rng, "construction_site")
            p = self.parishes[parish]
            serial[parish] = serial.get(parish, 0) + 1
            lot = f"{p['lot_prefix']}{serial[parish]}"
            project_en, project_zh, project_pt = rng.choice(projects)
            public = project_en in self.words["public_projects"]
            # The firm on site: usually the main contractor, sometimes a subcontractor whose
            # chain leads up to it.
            contractor = rng.choice(self.subcontractors if rng.random() < 0.25 else self.contractors)
            size = _weighted(rng, {"small": 45, "medium": 40, "large": 15})
            workforce = rng.randint(*{"small": (8, 60), "medium": (60, 300), "large": (300, 1500)}[size])
            expected_end = self.start + dt.timedelta(days=rng.randint(30, 1100))
            status = _weighted(
                rng, {LicenceStatus.VALID: 92, LicenceStatus.EXPIRED: 6, LicenceStatus.NONE: 2}
            )
            lat, lon = self._point(rng, parish)
            address, address_zh = self._address(rng, parish)
            self._site(
                kind=Site.Kind.CONSTRUCTION_SITE,
                name_en=f"{project_en}, Lot {lot}, {p['short']}",
                name_zh_hant=f"{p['zh_short']}{lot}地段{project_zh}工程",
                name_pt=f"{project_pt}, Lote {lot}, {p['short']}",
                parish=parish,
                latitude=lat,
                longitude=lon,
                address=f"Lote {lot}, {address}",
                address_zh_hant=f"{address_zh}{lot}地段" if address_zh else "",
                licence_number=""
                if status == LicenceStatus.NONE
                else f"LO/{lot}/{self.start.year - rng.randint(0, 3)}",
                licence_status=status,
                licence_expiry=None
                if status == LicenceStatus.NONE
                else (
                    expected_end
                    if status == LicenceStatus.VALID
                    else self.start - dt.timedelta(days=rng.randint(5, 200))
                ),
                operator=None if public else rng.choice(self.developers),
                contractor=contractor,
                declared_workforce=workforce,
                expected_end=expected_end,
                opening_hours=self._hours("construction_site"),
            )
        self.counts["construction_sites"] = count

    def venues(self) -> None:
        rng = self.rng("venues")
        adjectives, nouns = self.words["adjectives"], self.words["nouns"]
        seen: dict[str, int] = {}
        operators: dict[str, Company] = {}
        statuses = {
            LicenceStatus.VALID: 80,
            LicenceStatus.EXPIRED: 8,
            LicenceStatus.SUSPENDED: 4,
            LicenceStatus.NONE: 8,
        }
        count = 0
        for venue_type, per_scale in VENUES.items():
            for i in range(self.n(per_scale)):
                type_en, type_zh, type_pt = rng.choice(self.words["venue_types"][venue_type])
                for _ in range(50):  # a fresh name if one is left, else a numbered branch
                    adj, noun = rng.choice(adjectives), rng.choice(nouns)
                    base = f"{adj[0]} {noun[0]} {type_en}"
                    if base not in seen:
                        break
                seen[base] = branch = seen.get(base, 0) + 1
                adj_pt = adj[3] if noun[3] == "f" else adj[2]  # Portuguese adjectives agree in gender
                name_en = f"{base} ({branch})" if branch > 1 else base
                name_zh = f"{adj[1]}{noun[1]}{type_zh}" + (f"（{branch}）" if branch > 1 else "")
                name_pt = f"{type_pt} {noun[2]} {adj_pt}" + (f" ({branch})" if branch > 1 else "")
                hotel = venue_type == "hotel"
                if hotel:
                    operator = rng.choice(self.hotel_groups)
                elif operators and rng.random() < 0.25:
                    operator = operators[rng.choice(sorted(operators))]  # one owner, several venues
                else:
                    op_en = f"{adj[0]} {noun[0]} Entertainment Co., Ltd."
                    operator = operators.get(op_en) or self._company(
                        Company.Kind.OPERATOR,
                        op_en,
                        f"{adj[1]}{noun[1]}娛樂有限公司",
                        f"Diversões {noun[2]} {adj_pt}, Limitada",
                        rng,
                    )
                    operators[op_en] = operator
                parish = self._parish(rng, "hotel" if hotel else "venue")
                lat, lon = self._point(rng, parish)
                status, expiry = self._licence(rng, statuses)
                closed = rng.random() < 0.02
                floor = "" if hotel else rng.choice(["r/c", "1.º andar", "2.º andar"])
                address, address_zh = self._address(rng, parish, (floor, FLOORS_ZH[floor]))
                self._site(
                    kind=Site.Kind.VENUE,
                    venue_type=venue_type,
                    name_en=name_en,
                    name_zh_hant=name_zh,
                    name_pt=name_pt,
                    parish=parish,
                    latitude=lat,
                    longitude=lon,
                    address=address,
                    address_zh_hant=address_zh,
                    licence_number=""
                    if status == LicenceStatus.NONE
                    else (f"DST/H/{i + 1:04d}" if hotel else f"IAM/{venue_type[:3].upper()}/{i + 1:04d}"),
                    licence_status=status,
                    licence_expiry=expiry,
                    operator=operator,
                    opening_hours=self._hours(type_en if venue_type == "other" else venue_type),
                    is_active=not closed,
                    closed_on=self.start - dt.timedelta(days=rng.randint(1, 90)) if closed else None,
                )
                count += 1
        self.counts["venues"] = count

    def conflicts(self) -> None:
        """A few declared ties. Written row by row (validated) rather than through
        conflict_declare, which always audits: the load is audited once, as a whole."""
        rng = self.rng("conflicts")
        officers = [o for p, o in self.officer_plans if not p.demo_role and p.agency in ("PSP", "DSAL", "PJ")]
        sites = list(
            Site.objects.filter(kind__in=[Site.Kind.VENUE, Site.Kind.CONSTRUCTION_SITE]).order_by("name_en")
        )
        companies = self.contractors + self.subcontractors
        count = 0
        for officer in rng.sample(officers, k=min(len(officers), self.n(CONFLICTS))):
            on_site = rng.random() < 0.5
            row = ConflictOfInterest(
                officer=officer,
                site=rng.choice(sites) if on_site else None,
                company=None if on_site else rng.choice(companies),
                reason=rng.choice(self.words["conflict_reasons"]),
                declared_at=_local(self.start - dt.timedelta(days=rng.randint(10, 400)), T(10)),
            )
            row.full_clean()
            row.save()
            count += 1
        self.counts["conflicts"] = count
