"""Answers to the built-in checklists, as an officer would record them, for the demo's work.

Each builder returns answers that satisfy its checklist and trip exactly the problems asked for
(``problems``: names below, per template), so the findings the checklist engine derives from
them are the ones the demo wants. Photos and signatures name the attachment references in
``PHOTO`` and ``SIGNATURE``; the caller declares (and may upload) them.

Pure Python over plain dicts: no database, no Django.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from typing import Any

PHOTO = "5d9a2f1c-6a1e-4c55-9f1b-2d0c8e7a4b11"
SIGNATURE = "8f3b6e2a-1c4d-4e7f-a9b0-3c2d1e0f9a87"
NATIONALITIES = ("mainland_china", "philippines", "vietnam", "indonesia", "myanmar", "nepal")
SPOKEN = {
    "mainland_china": "mandarin",
    "philippines": "tagalog",
    "vietnam": "other",
    "indonesia": "indonesian",
    "myanmar": "other",
    "nepal": "english",
}


def _gps(lat: float, lon: float) -> dict[str, Any]:
    return {"lat": round(lat, 6), "lon": round(lon, 6), "accuracy": 8}


def venue(
    rng: random.Random, *, venue_type: str, lat: float, lon: float, problems: Collection[str] = ()
) -> dict[str, Any]:
    """venue_prostitution_trafficking. Problems: ``no_licence`` (guesthouses only: V-14),
    ``documents_held`` (V-12 and V-13), ``minor`` (V-13, a potential victim), ``locked_exits``."""
    kind = venue_type if venue_type in {"sauna", "massage", "nightclub", "karaoke", "bar", "hotel"} else "bar"
    people = []
    for i in range(rng.randint(2, 4)):
        people.append(
            {
                "person_ref": f"P-{i + 1}",
                "nationality": rng.choice(NATIONALITIES),
                "apparent_minor": False,
                "holds_own_documents": True,
                "lives_on_premises": False,
                "owes_debt": False,
                "free_to_leave": True,
                "signs_of_violence": False,
            }
        )
    if "documents_held" in problems:
        people[0].update(holds_own_documents=False, owes_debt=True, lives_on_premises=True)
    if "minor" in problems:
        people[-1].update(apparent_minor=True)
    return {
        "site_position": _gps(lat, lon),
        "venue_type": kind,
        "licence_shown": "no_licence" not in problems,
        "locked_exits": "locked_exits" in problems,
        "persons_found": len(people),
        "persons": people,
        "site_photos": [PHOTO],
        "remarks": "",
        "officer_signature": SIGNATURE,
    }


def screening(rng: random.Random, *, problems: Collection[str] = ()) -> dict[str, Any]:
    """ilo_forced_labour_screening of one to three persons. Problem ``victim``: the first person
    shows confinement and withheld wages (a potential victim, referred to protection)."""
    count = rng.randint(1, 3)
    persons = []
    for i in range(count):
        nationality = rng.choice(NATIONALITIES)
        person: dict[str, Any] = {
            "person_ref": f"S-{i + 1}",
            "age_band": rng.choice(("18_25", "26_40", "over_40")),
            "nationality": nationality,
            "consent": True,
        }
        person.update({f"fl_{n:02d}": False for n in range(1, 12)})
        persons.append(person)
    if "victim" in problems:
        persons[0].update(fl_03=True, fl_07=True, fl_03_note="Says the door is locked at night.")
    return {
        "interview_language": SPOKEN[persons[0]["nationality"]],
        "interpreter_used": persons[0]["nationality"] != "mainland_china",
        "screened_count": count,
        "persons": persons,
        "remarks": "",
        "officer_signature": SIGNATURE,
    }


def construction(
    rng: random.Random, *, contractor: str, lat: float, lon: float, problems: Collection[str] = ()
) -> dict[str, Any]:
    """construction_illegal_employment. Problems: ``no_card`` (V-01, the police's), ``wrong_job``
    (V-02), ``documents_held`` (V-12), ``no_permit`` (V-04)."""
    workers = []
    for _ in range(rng.randint(2, 4)):
        workers.append(
            {"residency": "resident", "age": rng.randint(22, 58), "documents_held_by_employer": False}
        )
    non_resident = {
        "residency": "non_resident",
        "nationality": rng.choice(NATIONALITIES),
        "card_shown": True,
        "card_employer_matches": True,
        "job_matches": True,
        "self_employed": False,
        "age": rng.randint(24, 50),
        "documents_held_by_employer": False,
        "card_photo": PHOTO,
    }
    workers.append(dict(non_resident))
    if "no_card" in problems:
        workers.append(
            {
                "residency": "non_resident",
                "nationality": rng.choice(NATIONALITIES),
                "card_shown": False,
                "self_employed": False,
                "age": rng.randint(20, 45),
                "documents_held_by_employer": False,
            }
        )
    if "wrong_job" in problems:
        workers[-1 if "no_card" not in problems else -2]["job_matches"] = False
    if "documents_held" in problems:
        workers[0]["documents_held_by_employer"] = True
    on_site = rng.randint(len(workers) + 5, len(workers) + 80)
    return {
        "site_position": _gps(lat, lon),
        "contractor_name": contractor,
        "workers_on_site": on_site,
        "non_residents_on_site": sum(w["residency"] != "resident" for w in workers),
        "hiring_permit_shown": "no_permit" not in problems,
        "site_photos": [PHOTO],
        "workers_checked": len(workers),
        "workers": workers,
        "remarks": "",
        "officer_signature": SIGNATURE,
    }


def employment_agency(
    rng: random.Random, *, licence: str, lat: float, lon: float, problems: Collection[str] = ()
) -> dict[str, Any]:
    """employment_agency. Problems: ``no_guarantee`` (V-06), ``fee_over_cap`` (V-07),
    ``no_receipts`` (V-07), ``documents_held`` (V-12; with debt also the police's V-13)."""
    files = []
    for i in range(rng.randint(2, 4)):
        wage = rng.choice((4000, 4500, 5000, 5500, 6000))
        files.append(
            {
                "file_ref": f"F-{rng.randint(100, 999)}-{i + 1}",
                "first_month_wage": wage,
                "fee_charged": round(wage * rng.choice((0.2, 0.3, 0.4, 0.5))),
                "receipt_issued": True,
                "documents_held": False,
                "seeker_debt": False,
            }
        )
    if "fee_over_cap" in problems:
        files[0]["fee_charged"] = files[0]["first_month_wage"]
        files[0]["fee_over_cap_note"] = "Fee equal to a full month's wage."
    if "no_receipts" in problems:
        files[-1]["receipt_issued"] = False
    if "documents_held" in problems:
        files[-1].update(documents_held=True, seeker_debt=True)
    return {
        "site_position": _gps(lat, lon),
        "licence_displayed": True,
        "licence_number": licence or "not shown",
        "premises_type": "commercial",
        "bank_guarantee": "no_guarantee" not in problems,
        "instructor_present": True,
        "fee_list_filed": True,
        "employer_fees_match_list": True,
        "receipts_issued": "no_receipts" not in problems,
        "files_reviewed": len(files),
        "job_seekers": files,
        "site_photos": [PHOTO],
        "remarks": "",
        "officer_signature": SIGNATURE,
    }


# What each template's problems are, to draw from: the demo draws none, one or two per visit.
PROBLEMS: dict[str, tuple[str, ...]] = {
    "venue_prostitution_trafficking": ("documents_held", "locked_exits", "minor"),
    "construction_illegal_employment": ("no_card", "wrong_job", "documents_held", "no_permit"),
    "employment_agency": ("no_guarantee", "fee_over_cap", "no_receipts", "documents_held"),
    "ilo_forced_labour_screening": ("victim",),
}
BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "venue_prostitution_trafficking": venue,
    "construction_illegal_employment": construction,
    "employment_agency": employment_agency,
    "ilo_forced_labour_screening": screening,
}
