"""An officer declares a conflict of interest from the phone (me/conflicts/), naming a site or a
company found by a search of the registry (registry/search/).

Alice (PSP inspector) declares; Bob (DSAL inspector) is another officer; Paula (planner) plans
the teams and must see Alice's declarations.
"""

from __future__ import annotations

import uuid

import pytest

from backend.accounts.services import officer_deactivate
from backend.audit.models import AuditEntry
from backend.registry import selectors
from backend.registry.models import ConflictOfInterest, Officer
from tests import factories
from tests.mobile_api.conftest import API, assert_problem

CONFLICTS = f"{API}/me/conflicts/"
SEARCH = f"{API}/registry/search/"


@pytest.fixture
def operator(db):
    return factories.company(
        name_en="Lotus Leisure Ltd", name_zh_hant="蓮花娛樂有限公司", name_pt="Lazer Lótus Lda"
    )


# A site's names and address lines in the three languages, whatever the request's language: the
# phone shows a search's results, and keeps a declaration, in the language it switches to offline.
KARAOKE_NAMED = {
    "names": {"en": "Golden Lotus Karaoke", "zh-hant": "金蓮卡拉OK", "pt": "Karaoke Lótus Dourado"},
    "addresses": {"en": "Rua do Lótus 8", "zh-hant": "蓮花街8號", "pt": "Rua do Lótus 8"},
}


def rows() -> dict[str, int]:
    return {"conflicts": ConflictOfInterest.objects.count(), "audit": AuditEntry.objects.count()}


# --- Declaring and listing ------------------------------------------------------------------------


def test_officer_declares_a_site_and_lists_it(alice, karaoke, phone):
    client = phone(alice)
    response = client.post(
        CONFLICTS, {"site": str(karaoke.uuid), "reason": "My cousin manages it."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target"] == {
        "id": str(karaoke.uuid),
        "kind": "site",
        "name": "Golden Lotus Karaoke",
        "address": "Rua do Lótus 8",
        **KARAOKE_NAMED,
    }
    assert body["reason"] == "My cousin manages it."
    listed = client.get(CONFLICTS).json()["results"]
    assert listed == [body]
    row = ConflictOfInterest.objects.get()
    assert (row.officer, row.site, row.company) == (alice, karaoke, None)
    entry = AuditEntry.objects.get(verb="conflict_declare")
    assert entry.actor_id == alice.user.pk


def test_officer_declares_a_company_named_in_their_language(alice, operator, phone):
    client = phone(alice)
    response = client.post(
        CONFLICTS,
        {"company": str(operator.uuid), "reason": "My brother is a director."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-Hant",
    )
    assert response.status_code == 201, response.content
    assert response.json()["target"] == {
        "id": str(operator.uuid),
        "kind": "company",
        "name": "蓮花娛樂有限公司",
        "address": "",
        "names": {"en": "Lotus Leisure Ltd", "zh-hant": "蓮花娛樂有限公司", "pt": "Lazer Lótus Lda"},
        "addresses": {"en": "", "zh-hant": "", "pt": ""},
    }
    listed = client.get(CONFLICTS, HTTP_ACCEPT_LANGUAGE="pt").json()["results"]
    assert [r["target"]["name"] for r in listed] == ["Lazer Lótus Lda"]


def test_declaring_the_same_site_again_keeps_one_declaration(alice, karaoke, phone):
    client = phone(alice)
    first = client.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Cousin."}, format="json")
    before = rows()
    again = client.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Cousin, again."}, format="json")
    assert again.status_code == 201  # as /api/v1/me/conflicts/ answers it
    assert again.json() == first.json()  # the declaration already made, its reason as declared
    assert rows() == before


def test_a_declaration_is_seen_by_planners_as_the_scheduler_reads_it(alice, paula, karaoke, phone):
    phone(alice).post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Cousin."}, format="json")
    declared = selectors.conflict_list(user=paula.user)
    assert [(c.officer, c.site) for c in declared] == [(alice, karaoke)]


def test_the_list_is_newest_first_and_pinned_in_queries(
    alice, karaoke, operator, phone, django_assert_num_queries
):
    client = phone(alice)
    client.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Cousin."}, format="json")
    client.post(CONFLICTS, {"company": str(operator.uuid), "reason": "Brother."}, format="json")
    client.get(CONFLICTS)  # the token's last use is written once a minute: not in what follows
    # The token and its officer, the officer's roles (who may see what), then the declarations
    # with their site and company in one read.
    with django_assert_num_queries(3):
        listed = client.get(CONFLICTS).json()["results"]
    assert [r["target"]["kind"] for r in listed] == ["company", "site"]


# --- Who sees what --------------------------------------------------------------------------------


def test_another_officer_never_sees_or_changes_someone_elses_declarations(alice, bob, karaoke, phone):
    phone(alice).post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Cousin."}, format="json")
    bobs = phone(bob)
    assert bobs.get(CONFLICTS).json() == {"results": []}
    # Bob declaring the same site makes a declaration of his own; Alice's is untouched.
    response = bobs.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "Neighbour."}, format="json")
    assert response.status_code == 201
    assert response.json()["reason"] == "Neighbour."
    assert [r["reason"] for r in bobs.get(CONFLICTS).json()["results"]] == ["Neighbour."]
    mine = ConflictOfInterest.objects.get(officer=alice)
    assert mine.reason == "Cousin."
    # No field of the body names another officer.
    response = bobs.post(
        CONFLICTS, {"site": str(karaoke.uuid), "reason": "x", "officer": str(alice.uuid)}, format="json"
    )
    assert_problem(response, 400, "invalid", ("officer",))


def test_anonymous_and_a_bad_token_get_401(client, karaoke):
    for url in (CONFLICTS, f"{SEARCH}?q=lotus"):
        assert_problem(client.get(url), 401, "not_authenticated")
        assert_problem(client.get(url, HTTP_AUTHORIZATION="Bearer " + "x" * 43), 401, "token_invalid")
    before = rows()
    response = client.post(
        CONFLICTS, {"site": str(karaoke.uuid), "reason": "x"}, content_type="application/json"
    )
    assert_problem(response, 401, "not_authenticated")
    assert rows() == before


def test_a_deactivated_officers_token_gets_401(alice, karaoke, phone):
    client = phone(alice)
    officer_deactivate(actor=None, officer=alice)
    assert_problem(client.get(CONFLICTS), 401, "token_invalid")


def test_a_token_left_unrevoked_of_an_inactive_officer_gets_401(alice, karaoke, phone):
    client = phone(alice)
    Officer.objects.filter(pk=alice.pk).update(is_active=False)  # flag set by hand, tokens kept
    before = rows()
    assert_problem(client.get(CONFLICTS), 401, "token_invalid")
    assert_problem(client.get(f"{SEARCH}?q=lotus"), 401, "token_invalid")
    response = client.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "x"}, format="json")
    assert_problem(response, 401, "token_invalid")
    assert rows() == before


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"site": "UNKNOWN", "reason": "Cousin."}, ("site",)),
        ({"company": "UNKNOWN", "reason": "Cousin."}, ("company",)),
        ({"site": "not-a-uuid", "reason": "Cousin."}, ("site",)),
        ({"site": 12345, "reason": "Cousin."}, ("site",)),
        ({"site": "SITE", "company": "COMPANY", "reason": "Cousin."}, ("non_field_errors",)),
        ({"reason": "Cousin."}, ("non_field_errors",)),
        ({"site": "SITE", "reason": "   "}, ("reason",)),
        ({"site": "SITE"}, ("reason",)),
        ({"site": "SITE", "reason": "x" * 301}, ("reason",)),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    alice, karaoke, operator, phone, body, fields
):
    real = {"SITE": str(karaoke.uuid), "COMPANY": str(operator.uuid), "UNKNOWN": str(uuid.uuid4())}
    body = {k: real.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    client = phone(alice)
    before = rows()
    response = client.post(CONFLICTS, body, format="json")
    assert_problem(response, 400, "invalid", fields)
    assert rows() == before


def test_a_body_that_is_not_json_is_refused(alice, karaoke, phone):
    response = phone(alice).post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "x"})  # multipart
    assert_problem(response, 415, "unsupported_media_type")
    assert ConflictOfInterest.objects.count() == 0


def test_unknown_site_is_said_in_the_officers_language(alice, phone):
    response = phone(alice).post(
        CONFLICTS, {"site": str(uuid.uuid4()), "reason": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="pt"
    )
    body = assert_problem(response, 400, "invalid", ("site",))
    assert body["errors"]["site"] == ["Nenhum local do registo tem este identificador."]


# --- Search ---------------------------------------------------------------------------------------


def test_search_finds_sites_and_companies_by_name_in_any_language(alice, karaoke, operator, phone):
    client = phone(alice)
    factories.site(name_en="Jade Sauna")
    found = client.get(SEARCH, {"q": "lótus"}).json()["results"]
    assert [(r["kind"], r["name"]) for r in found] == [
        ("site", "Golden Lotus Karaoke"),
        ("company", "Lotus Leisure Ltd"),
    ]
    assert found[0]["address"] == "Rua do Lótus 8"
    by_chinese = client.get(SEARCH, {"q": "金蓮"}, HTTP_ACCEPT_LANGUAGE="zh-Hant").json()["results"]
    assert by_chinese == [
        {
            "id": str(karaoke.uuid),
            "kind": "site",
            "name": "金蓮卡拉OK",
            "address": "蓮花街8號",
            **KARAOKE_NAMED,
        }
    ]
    by_english = client.get(SEARCH, {"q": "golden"}, HTTP_ACCEPT_LANGUAGE="pt").json()["results"]
    assert [r["name"] for r in by_english] == ["Karaoke Lótus Dourado"]


def test_search_gives_a_few_active_ones_in_pinned_queries(alice, phone, django_assert_num_queries):
    for n in range(12):
        factories.site(name_en=f"Lotus Bar {n:02}")
    factories.site(name_en="Lotus Closed", is_active=False)
    client = phone(alice)
    client.get(SEARCH, {"q": "x"})  # the token's last use is written once a minute: not in what follows
    with django_assert_num_queries(4):  # the token, the officer's roles, the sites, the companies
        found = client.get(SEARCH, {"q": "lotus"}).json()["results"]
    assert [r["name"] for r in found] == [f"Lotus Bar {n:02}" for n in range(8)]


@pytest.mark.parametrize("language", ["en", "zh-Hant", "pt"])
def test_one_search_names_each_match_in_the_three_languages(alice, karaoke, operator, phone, language):
    """One request gives the phone every language's name and address line (it asked three times,
    once per language); a name or a Chinese address the registry lacks is the English name and the
    address as registered, as ``name`` and ``address`` fall back. ``name`` and ``address`` stay,
    in the request's language, for the phones that read them."""
    plain = factories.site(name_en="Lotus Sauna", address="Rua Nova 1")
    found = phone(alice).get(SEARCH, {"q": "lotus"}, HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    by_id = {r["id"]: r for r in found}
    assert {k: by_id[str(karaoke.uuid)][k] for k in ("names", "addresses")} == KARAOKE_NAMED
    assert by_id[str(plain.uuid)]["names"] == dict.fromkeys(("en", "zh-hant", "pt"), "Lotus Sauna")
    assert by_id[str(plain.uuid)]["addresses"] == dict.fromkeys(("en", "zh-hant", "pt"), "Rua Nova 1")
    company = by_id[str(operator.uuid)]
    assert company["names"] == {
        "en": "Lotus Leisure Ltd",
        "zh-hant": "蓮花娛樂有限公司",
        "pt": "Lazer Lótus Lda",
    }
    assert company["addresses"] == {"en": "", "zh-hant": "", "pt": ""}
    key = {"en": "en", "zh-Hant": "zh-hant", "pt": "pt"}[language]
    assert all(r["name"] == r["names"][key] and r["address"] == r["addresses"][key] for r in found)


def test_the_declarations_list_names_each_target_in_the_three_languages(alice, karaoke, phone):
    client = phone(alice)
    client.post(CONFLICTS, {"site": str(karaoke.uuid), "reason": "My cousin."}, format="json")
    (listed,) = client.get(CONFLICTS, HTTP_ACCEPT_LANGUAGE="pt").json()["results"]
    assert listed["target"]["name"] == "Karaoke Lótus Dourado"
    assert {k: listed["target"][k] for k in ("names", "addresses")} == KARAOKE_NAMED


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 101}, {"q": "a\x00b"}])
def test_search_without_a_usable_query_is_a_400(alice, phone, params):
    assert_problem(phone(alice).get(SEARCH, params), 400, "invalid", ("q",))
