"""Where uploaded files and static files live: Django's ``STORAGES``, built from the environment.

Uploaded files (attachments) go to a local folder (``MEDIA_ROOT``) unless a bucket is named:
``AWS_STORAGE_BUCKET_NAME`` (any S3-compatible service: AWS, MinIO, Ceph, ...; the endpoint in
``AWS_S3_ENDPOINT_URL``) puts them there through django-storages, so every web process and worker
on every machine reads the same files. Either way they are never served by URL: the officers' and
the console's download endpoints read them through the storage after their access checks, and the
bucket stays private (no ACL, no public URL handed out).

On the local folder a file is written whole or not at all (``backend.core.verified_storage``):
it takes its name only once written, flushed and read back (size and SHA-256); a full disk or a
read-only folder leaves nothing behind and answers 507 or 503 with ``Retry-After``.

Static files are served by whitenoise. With ``STATIC_COLLECTED`` (set by ``make serve`` after
``collectstatic``) and DEBUG off, they come from ``STATIC_ROOT`` under hashed names, compressed,
with a year's cache; otherwise straight from the apps' folders, so tests and ``make run`` need no
``collectstatic``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.core.env import ConfigurationError

S3_BACKEND = "storages.backends.s3.S3Storage"
# Written whole or not at all (backend.core.verified_storage); settings import this module, so
# the storage class lives apart from it, with its imports of Django and DRF.
FILESYSTEM_BACKEND = "backend.core.verified_storage.VerifiedFileSystemStorage"
STATIC_FINDERS_BACKEND = "whitenoise.storage.CompressedStaticFilesStorage"
STATIC_MANIFEST_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), not {value!r}.")


def default_storage_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``default`` entry of ``STORAGES``: S3-compatible when a bucket is named, else local."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": FILESYSTEM_BACKEND}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Private objects, never overwritten (a second upload of a name gets a name of its own).
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "location": environ.get("AWS_LOCATION", "").strip().strip("/"),
    }
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(f"AWS_S3_ENDPOINT_URL must be an http(s) URL, not {endpoint!r}.")
        options["endpoint_url"] = endpoint
    for variable, option in (
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_ACCESS_KEY_ID", "access_key"),
        ("AWS_SECRET_ACCESS_KEY", "secret_key"),
        ("AWS_S3_ADDRESSING_STYLE", "addressing_style"),
    ):
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    if options.get("addressing_style") not in (None, "auto", "path", "virtual"):
        raise ConfigurationError(
            f"AWS_S3_ADDRESSING_STYLE must be auto, path or virtual, not {options['addressing_style']!r}."
        )
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def static_collected(environ: Mapping[str, str], *, debug: bool) -> bool:
    """Whether static files come from a collected ``STATIC_ROOT`` (hashed, compressed, cached)."""
    return _flag(environ, "STATIC_COLLECTED") and not debug


def storages_from_env(environ: Mapping[str, str], *, debug: bool) -> dict[str, dict[str, Any]]:
    static = STATIC_MANIFEST_BACKEND if static_collected(environ, debug=debug) else STATIC_FINDERS_BACKEND
    return {"default": default_storage_from_env(environ), "staticfiles": {"BACKEND": static}}
