"""Every variable of the environment the code reads is in `.env.example`, with a comment: the
operator who configures a deployment from that file meets none by surprise."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = [
    "backend/settings.py",
    "backend/gunicorn_conf.py",
    "backend/core/file_storage.py",
    "backend/core/backup.py",
]
# env_int("NAME", …), os.environ.get("NAME"), _int("NAME", …), _flag(environ, "NAME"), and the
# names of a loop over ("NAME", "option") pairs.
READ = re.compile(
    r"""(?:env_\w+|environ\.get|_int|_flag\(environ,)\(?\s*["']([A-Z][A-Z0-9_]+)["']|\(\s*"([A-Z][A-Z0-9_]+)",\s*"[a-z_]+"\)"""
)
# (HTTP_X_FORWARDED_PROTO is the proxy's header, in a pair like the loop's.)
NOT_OURS = {"DJANGO_SETTINGS_MODULE", "PATH", "HTTP_X_FORWARDED_PROTO"}


def _read() -> set[str]:
    names = set()
    for path in READERS:
        for match in READ.finditer((ROOT / path).read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "Procfile").read_text(encoding="utf-8")))
    return names - NOT_OURS


def test_the_readers_are_found():
    names = _read()
    for expected in ("DATABASE_URL", "WEB_CONCURRENCY", "HOST", "STATIC_COLLECTED", "AWS_S3_REGION_NAME"):
        assert expected in names


def test_every_variable_read_is_in_the_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert sorted(_read() - listed) == []
