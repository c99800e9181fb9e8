"""The demo loader: full counts, places inside their parishes, four weeks of shifts, one load
only, the same data for the same seed, and logins that work.

The full demo is loaded once for the module, in a transaction rolled back when the module ends;
each test runs in a savepoint inside it. Determinism is checked on small loads (``scale``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import stat
from collections import Counter
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from backend.audit.models import AuditEntry
from backend.demo.city import DEMO_LOGINS, LOCAL, demo_data, demo_logins, load_demo
from backend.registry.models import (
    Agency,
    Availability,
    Company,
    ConflictOfInterest,
    Officer,
    Site,
    Skill,
    Unit,
)

START = dt.date(2026, 1, 5)  # a Monday
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    logins_file = tmp_path_factory.mktemp("demo") / "demo_logins.json"
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        result = load_demo(seed=7, start=START, logins_file=logins_file)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


def test_full_demo_has_the_promised_counts(full_demo):
    assert full_demo.created
    assert Officer.objects.count() >= 150
    assert Site.objects.filter(kind=Site.Kind.EMPLOYMENT_AGENCY).count() >= 140
    assert Site.objects.filter(kind=Site.Kind.CONSTRUCTION_SITE).count() >= 300
    assert Site.objects.filter(kind=Site.Kind.VENUE).count() >= 400
    assert set(Site.objects.filter(kind=Site.Kind.VENUE).values_list("venue_type", flat=True)) == set(
        Site.VenueType.values
    )
    assert Agency.objects.count() == 12
    assert set(Agency.objects.filter(inspects=True).values_list("code", flat=True)) >= {
        "PSP",
        "PJ",
        "DSAL",
        "DST",
        "SA",
        "IAS",
    }
    assert Agency.objects.get(code="DSAL").name_zh_hant == "勞工事務局"
    depots = {d["code"] for d in demo_data()["units"] if d["source"] == "macao_districts.json"}
    assert len(depots) == 12 and depots <= set(Unit.objects.values_list("code", flat=True))
    assert Skill.objects.filter(kind=Skill.Kind.LANGUAGE).count() == 10
    assert ConflictOfInterest.objects.exists()


def test_officers_make_sense_for_their_agencies(full_demo):
    by_agency = Counter(Officer.objects.values_list("agency__code", flat=True))
    assert {"PSP", "PJ", "DSAL", "IAS", "DST", "SA"} <= set(by_agency)
    assert set(Officer.objects.values_list("rank", flat=True)) == set(range(1, 11))
    assert not Officer.objects.filter(rank_title="").exists()
    assert not Officer.objects.filter(rank_title_zh_hant="").exists()
    dsal = Officer.objects.filter(agency__code="DSAL")
    assert dsal.filter(skills__code="labour-inspector").count() == dsal.count()
    assert Officer.objects.filter(skills__code="interpreter").exists()
    women_searchers = Officer.objects.filter(
        sex="F", skills__code="body-search", agency__code__in=["PSP", "PJ"]
    )
    assert women_searchers.count() >= 10
    roles = Counter(Officer.objects.values_list("roles__role", flat=True))
    assert roles["inspector"] > 100 and roles["team_leader"] >= 10
    assert all(
        roles[r] >= 1 for r in ("planner", "reviewer", "victim_protection", "analyst", "administrator")
    )
    assert not Officer.objects.filter(roles__role="victim_protection").exclude(agency__code="IAS").exists()
    assert not Officer.objects.filter(roles__isnull=True).exists()


def test_every_place_lies_in_its_parish_and_the_service_area(full_demo):
    area = settings.SERVICE_AREA
    boxes = {p["code"]: p["bbox"] for p in demo_data()["parishes"]}
    places = list(Site.objects.values_list("parish", "latitude", "longitude")) + list(
        Unit.objects.values_list("parish", "latitude", "longitude")
    )
    for parish, lat, lon in places:
        box = boxes[parish]
        assert area.contains(float(lat), float(lon))
        assert box["south"] <= lat <= box["north"] and box["west"] <= lon <= box["east"], (parish, lat, lon)
    # REFERENCE §4: construction mostly on the islands and the north, hotels in Cotai and Sé.
    construction = Counter(Site.objects.filter(kind="construction_site").values_list("parish", flat=True))
    assert construction["cotai"] + construction["carmo_taipa"] + construction["fatima"] > 0.6 * sum(
        construction.values()
    )
    hotels = Counter(Site.objects.filter(venue_type="hotel").values_list("parish", flat=True))
    assert hotels["cotai"] + hotels["se"] > 0.6 * sum(hotels.values())


def test_opening_hours_fit_each_kind_of_place(full_demo):
    karaoke = Site.objects.filter(venue_type="karaoke").prefetch_related("opening_hours").first()
    assert karaoke.opening_hours.count() == 7
    assert all(h.crosses_midnight for h in karaoke.opening_hours.all())
    friday_night = timezone.make_aware(dt.datetime(2026, 1, 10, 2, 0), LOCAL)  # Saturday 02:00
    assert karaoke.is_open_at(friday_night)
    agency = Site.objects.filter(kind="employment_agency").first()
    assert {h.weekday for h in agency.opening_hours.all()} >= set(range(6))
    assert not agency.is_open_at(timezone.make_aware(dt.datetime(2026, 1, 6, 22, 0), LOCAL))
    hotel = Site.objects.filter(venue_type="hotel").first()
    assert not hotel.opening_hours.exists() and hotel.is_open_at(friday_night)  # always open
    operators = Site.objects.filter(kind="employment_agency").values_list("operator__kind", flat=True)
    assert set(operators) == {Company.Kind.EMPLOYMENT_AGENCY}
    assert Site.objects.filter(kind="employment_agency", licence_status="valid").count() > 100


def test_most_sites_name_an_on_site_contact_and_some_do_not(full_demo):
    """A briefing names whom to ask for at the door; a site without one on record says so."""
    rows = list(Site.objects.values_list("kind", "venue_type", "contact_name", "contact_phone"))
    named = [r for r in rows if r[2]]
    assert 0.6 * len(rows) < len(named) < 0.85 * len(rows)
    for kind in Site.Kind.values:  # every kind of place has both
        of_kind = [r for r in rows if r[0] == kind]
        assert any(r[2] for r in of_kind) and any(not r[2] for r in of_kind), kind
    assert not [r for r in rows if r[3] and not r[2]]  # never a number without a person
    phones = [r[3] for r in named if r[3]]
    assert len(phones) > 0.9 * len(named)
    # Macao numbers: 8 digits, landlines 28xx xxxx and mobiles 6xxx xxxx.
    assert all(re.fullmatch(r"(28|6[23568])\d\d \d{4}", p) for p in phones), phones
    assert {p[0] for p in phones} == {"2", "6"}
    foremen = [r[3] for r in named if r[0] == "construction_site" and r[3]]
    assert sum(p.startswith("6") for p in foremen) > 0.7 * len(foremen)  # a foreman's mobile
    # Names as the demo's officers have them: Chinese (romanised, then in characters) or Macanese.
    assert any(not r[2][-1].isascii() for r in named) and any(r[2][-1].isascii() for r in named)
    assert Site.objects.filter(kind="employment_agency", licence_status__in=["expired", "suspended"]).exists()
    assert Company.objects.filter(kind="subcontractor", main_contractor__kind="subcontractor").exists()


def test_four_weeks_of_shifts_in_macao_time(full_demo):
    shifts = Availability.objects.filter(kind=Availability.Kind.SHIFT)
    local_starts = [timezone.localtime(s, LOCAL) for s in shifts.values_list("start", flat=True)]
    assert min(local_starts).date() == START
    assert max(local_starts).date() == START + dt.timedelta(days=27)
    assert Officer.objects.exclude(availability__kind="shift").count() == 0
    dsal = {
        (
            timezone.localtime(a.start, LOCAL).weekday(),
            f"{timezone.localtime(a.start, LOCAL):%H:%M}",
            f"{timezone.localtime(a.end, LOCAL):%H:%M}",
        )
        for a in shifts.filter(officer__agency__code="DSAL")
    }
    # Labour officers keep office hours, or work nights on the night roster.
    assert {(w, s, e) for w, s, e in dsal} <= {(w, "09:00", "18:00") for w in range(5)} | {
        (w, "20:00", "04:00") for w in range(7)
    }
    # Every night of the four weeks, labour and social-welfare officers are on duty for a joint
    # operation (a PSP-led night operation that needs DSAL can be staffed).
    for i in range(28):
        night = timezone.make_aware(dt.datetime.combine(START + dt.timedelta(days=i), dt.time(22)), LOCAL)
        on_duty = Counter(
            shifts.filter(start__lte=night, end__gte=night + dt.timedelta(hours=4)).values_list(
                "officer__agency__code", flat=True
            )
        )
        assert on_duty["DSAL"] >= 3 and on_duty["IAS"] >= 1, (night, on_duty)
    nights = [
        a
        for a in shifts.filter(officer__agency__code="PSP")
        if f"{timezone.localtime(a.start, LOCAL):%H:%M}-{timezone.localtime(a.end, LOCAL):%H:%M}"
        == "20:00-04:00"
    ]
    assert len(nights) > 100
    assert Availability.objects.filter(kind=Availability.Kind.LEAVE).exists()
    # Nobody is rostered on a day of leave.
    for leave in Availability.objects.filter(kind=Availability.Kind.LEAVE):
        assert not shifts.filter(officer=leave.officer, start__gte=leave.start, start__lt=leave.end).exists()


def test_the_load_leaves_one_audit_entry(full_demo):
    entries = AuditEntry.objects.filter(verb="load_demo")
    assert entries.count() == 1
    assert entries.get().changes["counts"]["officers"] == Officer.objects.count()
    assert AuditEntry.objects.count() == 1  # the bulk rows are not audited one by one


def test_a_second_load_does_nothing(full_demo, tmp_path):
    before = (Officer.objects.count(), Site.objects.count(), Availability.objects.count())
    again = load_demo(seed=99, start=START, logins_file=tmp_path / "logins.json")
    assert not again.created
    assert not (tmp_path / "logins.json").exists()
    assert (Officer.objects.count(), Site.objects.count(), Availability.objects.count()) == before
    # The command also fills in the parts loaded after the registry (field demo, history) once;
    # run again, it changes nothing at all.
    call_command("load_demo", stdout=io.StringIO())
    after_first = (Officer.objects.count(), Site.objects.count(), Availability.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Officer.objects.count(), Site.objects.count(), Availability.objects.count()) == after_first


def test_demo_logins_prints_one_working_login_per_role(full_demo, fast_passwords):
    out = io.StringIO()
    call_command("demo_logins", logins_file=full_demo.logins_file, stdout=out)
    lines = [line.split(" ") for line in out.getvalue().splitlines()]
    assert [role for role, _u, _p in lines] == [str(r) for r, *_ in DEMO_LOGINS]
    for role, username, password in lines:
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user.email == f"{username}@demo.invalid"  # "Forgot your password?" reaches them
        if role == "administrator":
            assert user.is_staff and user.is_superuser
        else:
            assert user.officer.has_role(role) and not user.is_superuser
    # The passwords printed at load time are the ones printed again.
    assert [f"{x.role} {x.username} {x.password}" for x in full_demo.logins] == [" ".join(x) for x in lines]
    officer = {u: Officer.objects.get(user__username=u) for u in ("demo-inspector", "demo-team-leader")}
    assert officer["demo-inspector"].unit == officer["demo-team-leader"].unit
    assert officer["demo-inspector"].agency.code == "PSP"
    assert Officer.objects.get(user__username="demo-reviewer").agency.code == "DSAL"
    assert Officer.objects.get(user__username="demo-psp-reviewer").agency.code == "PSP"
    assert Officer.objects.get(user__username="demo-dsal-inspector").agency.code == "DSAL"
    # One login per back-office role (the labour bureau's reviewer also decides its compliance
    # cases: there is no separate compliance role), plus field officers.
    assert {role for role, _u, _p in lines} == {
        "inspector",
        "team_leader",
        "planner",
        "reviewer",
        "victim_protection",
        "analyst",
        "administrator",
        "data_protection",
    }
    assert stat.S_IMODE(full_demo.logins_file.stat().st_mode) == 0o600


def test_missing_logins_file_gives_new_passwords(full_demo, fast_passwords, tmp_path):
    path = tmp_path / "gone" / "demo_logins.json"
    logins = demo_logins(logins_file=path)
    assert len(logins) == len(DEMO_LOGINS)
    old = {x.username: x.password for x in full_demo.logins}
    for login in logins:
        assert login.password != old[login.username]
        assert authenticate(username=login.username, password=login.password) is not None
        assert authenticate(username=login.username, password=old[login.username]) is None
    saved = json.loads(path.read_text())["logins"]
    assert {r["username"]: r["password"] for r in saved} == {x.username: x.password for x in logins}
    assert AuditEntry.objects.filter(verb="demo_logins_reset").count() == 1


def test_demo_logins_without_a_demo_is_an_error(db, tmp_path):
    _clear_registry()
    with pytest.raises(Exception, match="load_demo"):
        call_command("demo_logins", logins_file=tmp_path / "x.json", stdout=io.StringIO())


def test_the_command_loads_and_prints_the_logins(db, fast_passwords, tmp_path):
    _clear_registry()
    out = io.StringIO()
    path = tmp_path / "logins.json"
    call_command(
        "load_demo", "--seed=5", "--start=2026-02-02", "--scale=0.05", f"--logins-file={path}", stdout=out
    )
    text = out.getvalue()
    assert "Demo data loaded" in text
    for _role, username, *_ in DEMO_LOGINS:
        assert username in text
    assert len(json.loads(path.read_text())["logins"]) == len(DEMO_LOGINS)


def test_same_seed_gives_the_same_registry(db, fast_passwords, tmp_path):
    _clear_registry()
    audit_before = AuditEntry.objects.count()
    load_demo(seed=3, start=START, scale=0.1, logins_file=tmp_path / "a.json")
    assert AuditEntry.objects.count() == audit_before + 1
    first = _canonical_dump()
    assert len(first["sites"]) > 50 and len(first["availability"]) > 300
    _clear_registry()
    load_demo(seed=3, start=START, scale=0.1, logins_file=tmp_path / "b.json")
    assert _canonical_dump() == first
    _clear_registry()
    load_demo(seed=4, start=START, scale=0.1, logins_file=tmp_path / "c.json")
    other = _canonical_dump()
    assert other["sites"] != first["sites"] and other["officers"] != first["officers"]
    assert other["agencies"] == first["agencies"]  # reference data does not depend on the seed


def _clear_registry() -> None:
    """Everything a demo load writes, except its audit entries (the log is append-only)."""
    ConflictOfInterest.objects.all().delete()
    Availability.objects.all().delete()
    Site.objects.all().delete()
    Company.objects.update(main_contractor=None)
    Company.objects.all().delete()
    users = list(Officer.objects.values_list("user_id", flat=True))
    Officer.objects.all().delete()
    get_user_model().objects.filter(pk__in=users).delete()
    Unit.objects.all().delete()
    Agency.objects.all().delete()
    Skill.objects.all().delete()


def _canonical_dump() -> dict[str, Any]:
    """The registry without ids, uuids, passwords or timestamps of the load itself."""
    return {
        "agencies": sorted(
            Agency.objects.values_list("code", "name_en", "name_zh_hant", "name_pt", "inspects")
        ),
        "units": sorted(
            Unit.objects.values_list(
                "code", "agency__code", "name_en", "address", "parish", "latitude", "longitude"
            )
        ),
        "officers": sorted(
            (
                o.agency.code,
                o.badge_number,
                o.user.username,
                o.unit.code,
                o.full_name,
                o.rank,
                o.rank_title,
                o.sex,
                o.is_active,
                tuple(sorted(r.role for r in o.roles.all())),
                tuple(sorted(s.code for s in o.skills.all())),
            )
            for o in Officer.objects.select_related("agency", "unit", "user").prefetch_related(
                "roles", "skills"
            )
        ),
        "availability": sorted(
            (a.officer.badge_number, a.kind, a.start.isoformat(), a.end.isoformat(), a.note)
            for a in Availability.objects.select_related("officer")
        ),
        "companies": sorted(
            (
                c.name_en,
                c.name_zh_hant,
                c.name_pt,
                c.kind,
                c.registration_number,
                getattr(c.main_contractor, "name_en", ""),
            )
            for c in Company.objects.select_related("main_contractor")
        ),
        "sites": sorted(
            (
                s.name_en,
                s.name_zh_hant,
                s.name_pt,
                s.kind,
                s.venue_type,
                s.address,
                s.parish,
                str(s.latitude),
                str(s.longitude),
                s.licence_number,
                s.licence_status,
                str(s.licence_expiry),
                getattr(s.operator, "name_en", ""),
                getattr(s.contractor, "name_en", ""),
                s.declared_workforce,
                str(s.expected_end),
                s.is_active,
                str(s.closed_on),
                s.contact_name,
                s.contact_phone,
                tuple((h.weekday, h.opens.isoformat(), h.closes.isoformat()) for h in s.opening_hours.all()),
            )
            for s in Site.objects.select_related("operator", "contractor").prefetch_related("opening_hours")
        ),
        "conflicts": sorted(
            (
                c.officer.badge_number,
                getattr(c.site, "name_en", ""),
                getattr(c.company, "name_en", ""),
                c.reason,
                c.declared_at.isoformat(),
            )
            for c in ConflictOfInterest.objects.select_related("officer", "site", "company")
        ),
    }


def test_each_database_keeps_its_demo_logins_in_a_file_of_its_own(settings, tmp_path):
    """Two demo instances of one checkout (another DATABASE_URL) shared var/demo_logins.json:
    each `make run` printed passwords the other's database did not have, and reset them."""
    from pathlib import Path

    from backend.demo.city import logins_file_for

    var = Path(settings.BASE_DIR) / "var"
    sqlite = "django.db.backends.sqlite3"
    assert logins_file_for({"ENGINE": sqlite, "NAME": var / "db.sqlite3"}) == var / "demo_logins.json"
    files = {
        logins_file_for({"ENGINE": sqlite, "NAME": tmp_path / "a.sqlite3"}),
        logins_file_for({"ENGINE": sqlite, "NAME": tmp_path / "b.sqlite3"}),
        logins_file_for({"ENGINE": "django.db.backends.postgresql", "NAME": "demo", "HOST": "db"}),
    }
    assert len(files) == 3 and all(f.parent == var and f.name.startswith("demo_logins-") for f in files)


TOWNS_ZH = {"Macau": "澳門", "Taipa": "澳門氹仔", "Cotai": "澳門", "Coloane": "澳門路環"}
DEMO_ADDRESS = re.compile(r"^(?:Lote (\w+), )?(.+?), n\.º (\d+)(?:, (.+?))?, (Macau|Taipa|Cotai|Coloane)$")


def _floor_zh(floor: str | None) -> str:
    if not floor:
        return ""
    if floor == "r/c":
        return "地下"
    storey, _, flat = re.fullmatch(r"(\d+)\.º andar( ([A-H]))?", floor).groups()
    return f"{storey}樓{flat}座" if flat else f"{storey}樓"


def test_sites_on_a_street_with_a_chinese_name_have_their_chinese_address(full_demo):
    """A reader of Chinese saw every demo site's address in Portuguese. A site on a street whose
    Chinese name the demo's data gives has its address as Chinese writes it (澳門, the street, the
    number, the floor: "澳門亞美打利庇盧大馬路12號3樓A座"); one on a street it does not know keeps
    none, and shows its Portuguese address, rather than a guessed name."""
    data = demo_data()
    streets = data["streets_zh_hant"]
    # Marked unverified, as the Chinese rank titles are.
    assert any("streets_zh_hant" in note and "not checked" in note for note in data["meta"]["additions"])
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", name) for name in streets.values())
    counts = Counter()
    for address, chinese in Site.objects.values_list("address", "address_zh_hant"):
        lot, street, number, floor, town = DEMO_ADDRESS.match(address).groups()
        if street not in streets:
            assert chinese == "", address
            counts["without"] += 1
            continue
        expected = f"{TOWNS_ZH[town]}{streets[street]}{number}號{_floor_zh(floor)}" + (
            f"{lot}地段" if lot else ""
        )
        assert chinese == expected, (address, chinese)
        counts["with"] += 1
    assert counts["with"] > counts["without"] > 0, counts
    site = Site.objects.exclude(address_zh_hant="").first()
    with translation.override("zh-hant"):
        assert site.address_shown == site.address_zh_hant
    with translation.override("pt"):
        assert site.address_shown == site.address


def test_every_unit_has_its_chinese_address(full_demo):
    """The units (the teams' muster points) had one address, in Portuguese, which a Chinese team
    read on its briefing; each demo unit now carries its address as Chinese writes it too."""
    data = demo_data()
    assert any("address_zh_hant" in note and "not checked" in note for note in data["meta"]["additions"])
    units = Unit.objects.filter(code__in=[row["code"] for row in data["units"]])
    assert units.count() == len(data["units"])
    for unit in units:
        assert re.fullmatch(r"澳門[\u4e00-\u9fff0-9\-]+", unit.address_zh_hant), unit.code
        with translation.override("zh-hant"):
            assert unit.address_shown == unit.address_zh_hant
        with translation.override("pt"):
            assert unit.address_shown == unit.address
