"""Backup and restore of the whole system: the database and the uploaded files, with a manifest.

``manage.py backup <folder>`` writes::

    <folder>/database.pgdump     pg_dump's custom format (PostgreSQL), or
    <folder>/database.sqlite3    a copy made by SQLite's online backup API (SQLite)
    <folder>/media/...           every file of the uploads storage (MEDIA_ROOT or the bucket)
    <folder>/manifest.json       what is in it: the rows of every table, the SHA-256 and size of
                                 the database file and of every uploaded file, and the attachments
                                 the database names (their stored file and the SHA-256 declared)

The row counts and the dump come from one snapshot of the database (PostgreSQL: a repeatable-read
transaction whose snapshot ``pg_dump --snapshot`` shares; SQLite: the counts are read from the
copy), so they agree even while officers keep syncing. Files are copied after the database:
uploads are written once under new names, so every file the dump names is there (a later upload
is copied too and is harmless).

``manage.py restore <folder>`` checks every file of the backup against the manifest before it
touches anything, restores into the configured database, which must be new or empty (PostgreSQL:
created when missing), and into the uploads storage, which must not hold a different file under a
name of the backup; then it counts every table and re-reads every restored file, and fails unless
each count and each SHA-256 is the manifest's and every attachment's original file hashes to the
SHA-256 its officer declared.

Never in a backup: the secret key and the personal data keys (``PERSONAL_DATA_KEYS``,
``PERSONAL_DATA_INDEX_KEY``). They are settings, not data; keep them apart (a password manager, a
second vault): a backup restored without them shows personal fields as unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Database ---------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"No backup for a {connection.vendor} database (PostgreSQL or SQLite only).")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    out = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue)
        out[table] = cursor.fetchone()[0]
    return out


def _tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN_DIR when set, else the PATH (the client's major version
    must be the server's or newer)."""
    folder = os.environ.get("PG_BIN_DIR", "")
    found = shutil.which(name, path=folder or None)
    if found is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs or set PG_BIN_DIR.")
    return found


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq's connection options for pg_dump/pg_restore; the password goes in the environment,
    never on a command line another user could read."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _dump_postgresql(folder: Path) -> tuple[str, dict[str, int]]:
    target = folder / PG_DUMP
    args, env = _pg_env(connection.settings_dict)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, _pg_tables(cursor))
        result = subprocess.run(  # noqa: S603 (pg_dump with our own arguments)
            [
                _tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                "--dbname",
                connection.settings_dict["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return PG_DUMP, counts


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows]


def _dump_sqlite(folder: Path) -> tuple[str, dict[str, int]]:
    target = folder / SQLITE_COPY
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent copy, even while others write (online backup API)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        counts = _counts(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()
        source.close()
    return SQLITE_COPY, counts


# --- Uploaded files ---------------------------------------------------------------------------


def _storage_files(storage: Any, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _attachments() -> list[dict[str, Any]]:
    from backend.inspections.models import Attachment

    rows = Attachment.objects.exclude(file="").values_list(
        "uuid", "file", "served_file", "sha256", "personal"
    )
    return [
        {"uuid": str(u), "file": f, "served_file": s or "", "declared_sha256": d, "personal": p}
        for u, f, s, d, p in rows
    ]


def _personal_original_sha256(name: str) -> str | None:
    """The SHA-256 of a person's file as its officer sent it (it is stored encrypted); None when
    no configured key opens it (a restore without PERSONAL_DATA_KEYS)."""
    from backend.privacy import files as sealed

    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as f:
            for chunk in sealed.decrypt_chunks(f):
                digest.update(chunk)
    except sealed.UnreadableFile:
        return None
    return digest.hexdigest()


# --- Backup -----------------------------------------------------------------------------------


def backup_create(folder: Path, *, log: Log = _quiet) -> dict[str, Any]:
    """Write a backup into ``folder`` (new, or empty) and return its manifest."""
    vendor = _vendor()
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)

    log(f"database ({vendor}) ...")
    database_file, counts = _dump_postgresql(folder) if vendor == "postgresql" else _dump_sqlite(folder)
    attachments = _attachments()

    log("uploaded files ...")
    files: dict[str, dict[str, Any]] = {}
    media = folder / MEDIA
    for name in _storage_files(default_storage):
        target = media / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        files[name] = {"sha256": digest.hexdigest(), "size": target.stat().st_size}
    named = {a["file"] for a in attachments} | {a["served_file"] for a in attachments if a["served_file"]}
    missing = sorted(named - files.keys())  # named by the database, absent from the storage
    for name in missing:
        log(f"warning: {name} is named by the database but is not in the uploads storage")

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": {
            "vendor": vendor,
            "file": database_file,
            "sha256": sha256_file(folder / database_file),
            "size": (folder / database_file).stat().st_size,
            "tables": counts,
        },
        "media": {"folder": MEDIA, "files": files, "missing": missing},
        "attachments": attachments,
        "not_included": ["SECRET_KEY", "PERSONAL_DATA_KEYS", "PERSONAL_DATA_INDEX_KEY"],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# --- Restore ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is missing: {folder} is not a backup.") from exc
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: the backup is damaged.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Backup format {manifest.get('format')!r} is not {FORMAT}: restore it with its version."
        )
    return manifest


def backup_verify(folder: Path) -> dict[str, Any]:
    """Every file of the backup is whole: its SHA-256 and size are the manifest's."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    db = manifest["database"]
    if sha256_file(folder / db["file"]) != db["sha256"]:
        raise BackupError(f"{db['file']}: SHA-256 differs from the manifest's: the backup is damaged.")
    bad = []
    for name, meta in manifest["media"]["files"].items():
        path = folder / MEDIA / name
        if not path.is_file() or sha256_file(path) != meta["sha256"]:
            bad.append(name)
    if bad:
        raise BackupError(f"{len(bad)} uploaded file(s) missing or damaged in the backup, e.g. {bad[0]}.")
    return manifest


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    attachments: int
    # A person's files no configured key opens (restored without PERSONAL_DATA_KEYS).
    personal_files_unreadable: int = 0


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_postgresql(folder: Path, manifest: dict[str, Any]) -> None:
    import psycopg

    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    connection.close()
    args, env = _pg_env(settings_dict)
    conninfo = {
        k: v
        for k, v in {
            "host": settings_dict.get("HOST"),
            "port": settings_dict.get("PORT"),
            "user": settings_dict.get("USER"),
            "password": settings_dict.get("PASSWORD"),
            "dbname": "postgres",
        }.items()
        if v
    }
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(f"CREATE DATABASE {_quote(name)}")
    if not _database_is_empty():
        raise BackupError(f"Database {name} is not empty: restore into a new database.")
    connection.close()
    result = subprocess.run(  # noqa: S603 (pg_restore with our own arguments)
        [
            _tool("pg_restore"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            name,
            str(folder / manifest["database"]["file"]),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing restored): {result.stderr.strip()}")


def _restore_sqlite(folder: Path, manifest: dict[str, Any]) -> None:
    name = Path(connection.settings_dict["NAME"])
    if not _database_is_empty():
        raise BackupError(f"Database {name} is not empty: restore into a new database file.")
    connection.close()
    source = sqlite3.connect(f"file:{folder / manifest['database']['file']}?mode=ro", uri=True)
    target = sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_files(folder: Path, manifest: dict[str, Any], log: Log) -> None:
    clashes = []
    for name, meta in manifest["media"]["files"].items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as f:
                digest = hashlib.sha256()
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != meta["sha256"]:
                clashes.append(name)
    if clashes:
        raise BackupError(
            f"The uploads storage holds {len(clashes)} different file(s) under the backup's names, "
            f"e.g. {clashes[0]}: restore into an empty folder or bucket."
        )
    for name in manifest["media"]["files"]:
        if default_storage.exists(name):
            continue
        with open(folder / MEDIA / name, "rb") as f:
            saved = default_storage.save(name, File(f, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}: restore into an empty folder or bucket.")
    log(f"{len(manifest['media']['files'])} uploaded files restored")


def restore_check(manifest: dict[str, Any]) -> RestoreReport:
    """The configured database and storage hold what the manifest says: every table with its
    count, every file with its SHA-256, every attachment's original as its officer declared it."""
    problems = []
    with connection.cursor() as cursor:
        tables = (
            _pg_tables(cursor)
            if connection.vendor == "postgresql"
            else connection.introspection.table_names()
        )
        tables = [t for t in tables if not t.startswith("sqlite_")]
        counts = _counts(cursor, tables)
    expected = manifest["database"]["tables"]
    if counts.keys() != expected.keys():
        problems.append(f"tables differ: {sorted(counts.keys() ^ expected.keys())}")
    for table, count in expected.items():
        if counts.get(table) != count:
            problems.append(f"{table}: {counts.get(table)} rows, the manifest says {count}")
    files = manifest["media"]["files"]
    for name, meta in files.items():
        digest = hashlib.sha256()
        try:
            with default_storage.open(name, "rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            problems.append(f"{name}: not in the uploads storage")
            continue
        if digest.hexdigest() != meta["sha256"]:
            problems.append(f"{name}: SHA-256 differs from the manifest's")
    attachments = _attachments()
    unreadable = 0
    for a in attachments:
        stored = files.get(a["file"])
        original = stored and (
            _personal_original_sha256(a["file"]) if a.get("personal") else stored["sha256"]
        )
        if stored is None:
            problems.append(f"attachment {a['uuid']}: its file {a['file']} is not in the backup")
        elif original is None:
            unreadable += 1  # encrypted under a key this server does not hold: whole, not readable
        elif original != a["declared_sha256"]:
            problems.append(f"attachment {a['uuid']}: its file does not hash to the declared SHA-256")
        if a["served_file"] and a["served_file"] not in files:
            problems.append(
                f"attachment {a['uuid']}: its served copy {a['served_file']} is not in the backup"
            )
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BackupError(f"The restore does not match the backup:\n  {shown}{more}")
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(files),
        attachments=len(attachments),
        personal_files_unreadable=unreadable,
    )


def backup_restore(folder: Path, *, log: Log = _quiet) -> RestoreReport:
    folder = Path(folder)
    manifest = backup_verify(folder)
    log(f"backup of {manifest['created_at']} is whole ({len(manifest['media']['files'])} files)")
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database; the configured one is {vendor}."
        )
    _restore_postgresql(folder, manifest) if vendor == "postgresql" else _restore_sqlite(folder, manifest)
    log("database restored")
    _restore_files(folder, manifest, log)
    return restore_check(manifest)
