"""Console sign-in for every back-office role: password, second factor, throttling, sign-out,
passwords, and the session the back-office API accepts. Through the real sign-in page."""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.audit.models import AuditEntry
from backend.console.nav import BACK_OFFICE_ROLES, ROLE_INTRODUCTIONS
from tests import factories
from tests.browser_support import sign_in_client, totp_code

PASSWORD = "correct-horse-battery"


def _sign_in(client, username, password=PASSWORD, follow=False):
    return client.post("/sign-in/", {"username": username, "password": password}, follow=follow)


def _enrol(client):
    """Read the key off the enrolment page, as a user types it into an authenticator app."""
    page = client.get("/sign-in/code/").content.decode()
    key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    bin_key = base64.b32decode(key + "=" * (-len(key) % 8))
    return client.post("/sign-in/code/", {"token": totp_code(bin_key)}), bin_key


@pytest.fixture
def planner(db):
    return factories.officer("PSP", username="paula", roles=("planner",), full_name="Paula Planner")


@pytest.fixture
def analyst(db):
    return factories.officer("DSAL", username="andy", roles=("analyst",), full_name="Andy Analyst")


def test_planner_needs_a_second_factor_and_enrols_one(client, planner):
    response = _sign_in(client, "paula")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/code/")
    # Not signed in yet, neither for pages nor for the API.
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/planning/operations/").status_code in (401, 403)
    # The code's page shows no menu: its links only led back to it (the labour bureau's walk).
    code_page = client.get("/sign-in/code/").content.decode()
    assert 'class="shell-nav"' not in code_page and "/planning/" not in code_page
    response, _bin_key = _enrol(client)
    assert response.status_code == 302 and response["Location"] == "/"
    assert TOTPDevice.objects.get(user=planner.user).confirmed
    home = client.get("/")
    assert home.status_code == 200 and "Planning" in home.content.decode()
    assert 'class="shell-nav"' in home.content.decode()
    assert client.get("/api/v1/planning/operations/").status_code == 200


def test_the_code_page_offers_no_link_that_leads_back_to_it(client, planner):
    """Signed in by password alone, the header offered "Password", which led back to the code's
    page (a newcomer's first sign-in as demo-planner): it shows once the code is given. Signing
    out stays offered: it is how to leave the page."""
    _sign_in(client, "paula")
    code_page = client.get("/sign-in/code/").content.decode()
    assert "/account/password/" not in code_page
    assert "/sign-out/" in code_page
    assert client.get("/account/password/")["Location"].startswith("/sign-in/code/")
    _enrol(client)
    home = client.get("/").content.decode()
    assert 'href="/account/password/"' in home
    assert client.get("/account/password/").status_code == 200


def test_an_enrolled_planner_gives_the_current_code(client, planner):
    device = TOTPDevice.objects.create(user=planner.user, name="phone", confirmed=True)
    _sign_in(client, "paula")
    wrong = client.post(
        "/sign-in/code/", {"token": "000000" if totp_code(device.bin_key) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/sign-in/code/", {"token": totp_code(device.bin_key)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(verb="console_sign_in_second_factor", actor=planner.user).exists()


def test_analyst_signs_in_with_a_password_alone(client, analyst):
    response = _sign_in(client, "andy")
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Statistics" in page and "Andy Analyst" in page


def test_second_factor_can_be_switched_off(client, planner, settings):
    settings.CONSOLE_2FA_REQUIRED = False
    assert _sign_in(client, "paula")["Location"] == "/"
    assert client.get("/api/v1/planning/operations/").status_code == 200


def test_field_officers_and_plain_logins_are_sent_elsewhere(client, db, django_user_model):
    factories.officer("PSP", username="ivan", roles=("inspector",))
    response = _sign_in(client, "ivan")
    assert response.status_code == 200 and "field app" in response.content.decode()
    django_user_model.objects.create_user(username="oscar", password=PASSWORD)
    assert _sign_in(client, "oscar").status_code == 200
    assert client.get("/").status_code == 302


def test_wrong_passwords_are_throttled_per_account(client, analyst, settings):
    settings.CONSOLE_SIGNIN_MAX_FAILURES = 3
    other = factories.officer("PSP", username="olga", roles=("analyst",))
    for _ in range(3):
        response = _sign_in(client, "andy", "wrong-password")
        assert "not right" in response.content.decode()
    refused = _sign_in(client, "andy")  # the right password, too late
    assert refused.status_code == 200 and "Too many failed attempts" in refused.content.decode()
    assert client.get("/").status_code == 302
    assert _sign_in(client, other.user.username)["Location"] == "/"  # another account is not locked
    assert AuditEntry.objects.filter(action="login_failed", object_id="andy").count() == 4
    # The log's list names the login tried (it showed "-").
    assert set(AuditEntry.objects.filter(action="login_failed").values_list("object_repr", flat=True)) == {
        "andy"
    }


def test_sign_out_ends_the_session(client, analyst):
    _sign_in(client, "andy")
    assert client.get("/").status_code == 200
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/statistics/").status_code in (401, 403)


def test_next_is_kept_through_both_steps_and_never_leaves_the_site(client, planner):
    response = client.post(
        "/sign-in/", {"username": "paula", "password": PASSWORD, "next": "/account/password/"}
    )
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/account/password/"]
    page = client.get(response["Location"]).content.decode()
    key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    code = totp_code(base64.b32decode(key + "=" * (-len(key) % 8)))
    done = client.post("/sign-in/code/", {"token": code, "next": "https://evil.example/"})
    assert done["Location"] == "/"


def test_password_change_and_reset(client, analyst):
    analyst.user.email = "andy@example.invalid"
    analyst.user.save()
    _sign_in(client, "andy")
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    client.post("/sign-out/")
    assert _sign_in(client, "andy", "a-new-long-passphrase")["Location"] == "/"
    client.post("/sign-out/")

    client.post("/account/password/reset/", {"email": "andy@example.invalid"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(
        set_url, {"new_password1": "third-long-passphrase", "new_password2": "third-long-passphrase"}
    )
    assert done.status_code == 302
    assert _sign_in(client, "andy", "third-long-passphrase")["Location"] == "/"


def test_pages_carry_a_strict_content_security_policy(client, analyst):
    _sign_in(client, "andy")
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_unknown_pages_are_the_console_404(client, analyst):
    _sign_in(client, "andy")
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Not found" in response.content.decode()


@pytest.mark.parametrize("language,text", [("zh-hant", "登入"), ("pt", "Iniciar sessão")])
def test_the_sign_in_page_speaks_three_languages(client, db, language, text):
    response = client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE=language)
    assert text in response.content.decode()


def test_a_staff_login_without_a_role_still_gives_the_second_factor(client, db, django_user_model):
    # Staff reach the admin (users, registry, policies): administrators, whatever roles they hold.
    django_user_model.objects.create_user(username="sam", password=PASSWORD, is_staff=True)
    response = _sign_in(client, "sam")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/code/")
    assert client.get("/admin/").status_code == 302
    _enrol(client)
    assert client.get("/admin/").status_code == 200


def test_a_next_address_with_its_own_query_survives_the_second_factor(client, planner):
    target = "/planning/?status=draft&starts_from=2026-01-01"
    response = client.post("/sign-in/", {"username": "paula", "password": PASSWORD, "next": target})
    code_page = response["Location"]
    page = client.get(code_page).content.decode()
    key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert f'name="next" value="{target}"'.replace("&", "&amp;") in page
    # The address alone carries it (a browser that drops the hidden field, a bookmarked link).
    done = client.post(code_page, {"token": totp_code(base64.b32decode(key + "=" * (-len(key) % 8)))})
    assert done["Location"] == target


def test_a_page_asked_for_before_the_second_factor_is_reached_after_it(client, planner):
    target = "/planning/?status=draft&starts_from=2026-01-01"
    _sign_in(client, "paula")
    response = client.get(target)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/code/")
    page = client.get(response["Location"]).content.decode()
    key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    done = client.post(
        response["Location"], {"token": totp_code(base64.b32decode(key + "=" * (-len(key) % 8)))}
    )
    assert done["Location"] == target


@pytest.mark.parametrize("role", sorted(BACK_OFFICE_ROLES))
def test_every_back_office_role_signs_in_and_is_told_what_comes_next(client, db, role):
    factories.officer("IAS", username="rita", roles=(role,))
    sign_in_client(client, "rita", PASSWORD)
    page = client.get("/").content.decode()
    title, introduction = ROLE_INTRODUCTIONS[role]
    assert f">{title}<" in page and html.escape(str(introduction)) in page


def test_a_superuser_home_lists_every_roles_section(client, db, django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    sign_in_client(client, "root", PASSWORD)
    page = client.get("/").content.decode()
    assert all(f">{title}<" in page for title, _intro in ROLE_INTRODUCTIONS.values())


def test_the_api_docs_use_the_session_and_need_no_inline_style(client, analyst):
    _sign_in(client, "andy")
    page = client.get("/api/docs/")
    html_text = page.content.decode()
    assert page.status_code == 200 and "'unsafe-inline'" not in page["Content-Security-Policy"]
    assert "<style" not in html_text and "console/swagger_ui.css" in html_text
    assert client.get("/api/v1/statistics/").status_code != 403  # the same session opens the API


def test_password_reset_mails_are_limited_per_address(client, analyst, settings):
    settings.CONSOLE_SIGNIN_MAX_FAILURES = 3
    analyst.user.email = "andy@example.invalid"
    analyst.user.save()
    for _ in range(5):
        response = client.post("/account/password/reset/", {"email": "Andy@example.invalid"})
        assert response.status_code == 302  # the same answer each time: nothing is given away
    assert len(mail.outbox) == 3
