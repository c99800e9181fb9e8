"""MAP_TILE_URL set to the empty string means no tiles at all (README, settings table): the maps
draw the outline only and the Content Security Policy names no tile host. Unset, the default
tiles are used."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.MAP_TILE_URL, settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
)


def _settings(**overrides):
    environ = {k: v for k, v in os.environ.items() if k not in {"MAP_TILE_URL", "DJANGO_SETTINGS_MODULE"}}
    environ.update({"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "backend.settings", **overrides})
    result = subprocess.run(  # noqa: S603 (a fixed command: this interpreter and PRINT)
        [sys.executable, "-c", PRINT], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_empty_means_no_tiles_and_no_tile_host_allowed():
    url, img_src = _settings(MAP_TILE_URL="")
    assert url == ""
    assert not any("openstreetmap" in source for source in img_src)


def test_unset_means_the_default_tiles():
    url, img_src = _settings()
    assert url.startswith("https://tile.openstreetmap.org/")
    assert "https://tile.openstreetmap.org" in img_src
