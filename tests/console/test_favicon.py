"""The icon: the console's and the admin's pages name it (a static file WhiteNoise serves), and
/favicon.ico, which browsers ask for on a page that names none, answers with it rather than a 404
(a console error on every admin page). The Content Security Policy is unchanged by it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ICON_LINK = '<link rel="icon" href="/static/console/favicon.ico">'


def test_favicon_ico_answers_with_the_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer["Location"] == "/static/console/favicon.ico"
    assert "max-age=86400" in answer["Cache-Control"]
    icon = client.get(answer["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def test_the_console_and_the_admin_name_the_icon(client, admin_console: Client):
    sign_in = client.get("/sign-in/")
    assert ICON_LINK in sign_in.content.decode()
    assert 'href="data:,"' not in sign_in.content.decode()
    for path in (
        "/",
        "/admin/",
        "/admin/registry/officer/",
        "/admin/registry/officer/add/",
        "/admin/auth/user/",
        "/admin/otp_totp/totpdevice/",
    ):
        page = admin_console.get(path)
        assert page.status_code == 200, path
        assert page.content.decode().count(ICON_LINK) == 1, path


def test_the_content_security_policy_is_unchanged(client):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"].split()[:3] == ["'self'", "data:", "blob:"]
