"""The field app's shell over HTTP: one page, its service worker and its manifest, public and
free of data (every datum comes through the officers' API with a device token), under the
strict Content Security Policy, small enough for a slow connection, in three languages; and the
template API ships the parsed expression trees the app evaluates."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.contrib.staticfiles import finders

from backend.checklists.engine import parse_expression
from backend.checklists.services import parsed_definition
from mobile_api.field.views import shell_assets, shell_config
from mobile_api.logic import definition_logic, expression_tree

SHELL_BUDGET = 300 * 1024  # the limit for the compressed app shell, without map tiles


def _json_script(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


# Texts a language writes as English does (its punctuation only): translated all the same.
SAME_AS_ENGLISH = {
    "zh-hant": set(),
    "pt": {"member_agency", "list_separator", "day_range", "hours_separator"},
}


@pytest.mark.django_db
def test_the_shell_is_one_page_without_inline_code_and_with_every_language(client):
    response = client.get("/field/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    # Scripts are files; the only <script> elements with content are JSON data.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html
    texts = _json_script(html, "field-texts")
    assert set(texts) == {"en", "zh-hant", "pt"}
    assert texts["en"].keys() == texts["zh-hant"].keys() == texts["pt"].keys()
    assert texts["zh-hant"]["sign_in"] != texts["en"]["sign_in"]
    for language in ("zh-hant", "pt"):
        same = SAME_AS_ENGLISH[language]
        untranslated = [k for k, v in texts[language].items() if v == texts["en"][k] and k not in same]
        assert not untranslated, (language, untranslated)
    config = _json_script(html, "field-config")
    assert config["api"] == "/api/mobile/v1/" and config["tile_url"] == ""  # tests run without tiles


@pytest.mark.django_db
def test_the_shell_holds_no_data_signed_in_or_not(client, alice, phone, field):
    anonymous = client.get("/field/").content
    phone(alice)
    assert client.get("/field/").content == anonymous
    assert b"alice" not in anonymous.lower() and b"Golden Lotus" not in anonymous


@pytest.mark.django_db
def test_the_service_worker_covers_the_app_and_lists_files_that_exist(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))
    urls, _files_version = shell_assets()
    _config, version = shell_config()
    assert f'"{version}"' in source
    assert shell[:2] == ["/field/", "/field/manifest.webmanifest"] and shell[2:] == list(urls)
    assert "/static/field/js/app.js" in shell and "/static/vendor/leaflet/1.9.4/leaflet.js" in shell
    for url in shell[2:]:
        assert finders.find(url.removeprefix("/static/")), url


def _sw_version(client) -> str:
    return re.search(r'const VERSION = "(\w+)";', client.get("/field/sw.js").content.decode()).group(1)


@pytest.mark.django_db
def test_a_changed_setting_reaches_installed_phones(client, settings):
    # The service worker serves the page it keeps (and the settings written into it) until its
    # version changes: a new photo size must give a new version, or installed phones never see it.
    before = _sw_version(client)
    settings.FIELD_PHOTO_MAX_EDGE = 800
    after = _sw_version(client)
    assert after != before
    config = _json_script(client.get("/field/").content.decode(), "field-config")
    assert config["photo_max_edge"] == 800 and config["version"] == after
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert _sw_version(client) not in (before, after)


@pytest.mark.django_db
def test_the_manifest_makes_it_installable(client):
    response = client.get("/field/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="pt")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/field/" and manifest["scope"] == "/field/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Inspecções no terreno"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


@pytest.mark.django_db
def test_the_shell_is_small_enough_for_a_slow_connection(client):
    total = len(gzip.compress(client.get("/field/").content))
    total += len(gzip.compress(client.get("/field/sw.js").content))
    urls, _version = shell_assets()
    for url in urls:
        with open(finders.find(url.removeprefix("/static/")), "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total <= SHELL_BUDGET, total


def test_expression_trees_keep_every_digit_and_the_structure():
    tree = expression_tree(parse_expression("not (a + 0.10 > -3) or selected(d, 'x') and b in [1, null]"))
    assert tree == [
        "bin",
        "or",
        ["not", ["bin", ">", ["bin", "+", ["ref", "a"], ["dec", "0.10"]], ["neg", ["int", "3"]]]],
        [
            "bin",
            "and",
            ["call", "selected", [["ref", "d"], ["lit", "x"]]],
            ["bin", "in", ["ref", "b"], ["list", [["int", "1"], ["lit", None]]]],
        ],
    ]
    assert expression_tree(parse_expression("count_where(w, 'x > 2') >= 1"))[2] == [
        "call",
        "count_where",
        [["ref", "w"], ["bin", ">", ["ref", "x"], ["int", "2"]]],
    ]


@pytest.mark.django_db
def test_a_template_version_comes_with_its_logic_trees(field, alice, phone):
    client = phone(alice)
    body = client.get(f"/api/mobile/v1/templates/{field.screening_version.uuid}/").json()
    assert body["logic"] == definition_logic(parsed_definition(field.screening_version))
    assert body["logic"]["questions"]["fl_01"]["visible_if"] == ["ref", "consent"]
    assert (
        "persons" not in body["logic"]["questions"]
        or "visible_if" not in body["logic"]["questions"]["persons"]
    )


@pytest.mark.django_db
def test_the_logic_trees_need_a_device_token(field, client):
    response = client.get(f"/api/mobile/v1/templates/{field.screening_version.uuid}/")
    assert response.status_code == 401
    assert b"consent" not in response.content


@pytest.mark.django_db
def test_no_other_origin_may_read_the_token_or_the_data(field, alice, client):
    # The token lives in the app's IndexedDB (same-origin only); the API grants no other origin a
    # cross-origin read: a page elsewhere can neither read the sign-in's answer nor the data.
    from tests.conftest import PASSWORD

    elsewhere = {"HTTP_ORIGIN": "https://elsewhere.example"}
    preflight = client.options(
        "/api/mobile/v1/auth/sign-in/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **elsewhere
    )
    assert "Access-Control-Allow-Origin" not in preflight
    signed_in = client.post(
        "/api/mobile/v1/auth/sign-in/",
        {
            "username": "alice",
            "password": PASSWORD,
            "device_name": "elsewhere",
            "device_id": "5f0c1d2e-0000-4000-8000-00000000000e",
        },
        content_type="application/json",
        **elsewhere,
    )
    assert signed_in.status_code == 201
    assert signed_in["Cache-Control"] == "no-store"
    assert not any(header.lower().startswith("access-control-") for header in signed_in.headers)
    data = client.get(
        "/api/mobile/v1/assignments/",
        HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['token']}",
        **elsewhere,
    )
    assert data.status_code == 200
    assert not any(header.lower().startswith("access-control-") for header in data.headers)
