"""Personal data encryption benchmark: prints figures, never fails on a time.

python tests/benchmarks/bench_privacy.py [--rows 5000]

- the field's cost per value (encrypt on save, decrypt on read) beside Fernet alone on the same
  values (the ceiling: the library's own work), and the blind index (HMAC) per value;
- reading N referred persons' details through the ORM (decrypted by the fields) beside the same
  rows read by SQL and decrypted by Fernet alone;
- key rotation: rows per second re-encrypted by ``rotate_keys`` (batches of 500) beside Fernet's
  own ``MultiFernet.rotate`` on the same tokens in a loop.
Runs on a throwaway SQLite database (or DATABASE_URL's server, in a database of its own).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    folder = tempfile.mkdtemp(prefix="bench-privacy-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # the throwaway database
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")

    import django

    django.setup()
    from cryptography.fernet import Fernet, MultiFernet
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from backend.compliance.models import VictimPersonalDetails
    from backend.privacy import crypto
    from backend.privacy.services import rotate_keys

    if connection.vendor != "sqlite":
        print("Run it on SQLite (the default): it creates its own throwaway database.")
        return
    call_command("migrate", verbosity=0)
    values = [f"Person {i} Dela Cruz, passport P{i:07d}" for i in range(rows)]

    field = VictimPersonalDetails._meta.get_field("full_name")
    t_field_enc, tokens = _timed(lambda: [field.get_prep_value(v) for v in values])
    t_field_dec, _ = _timed(lambda: [field.from_db_value(t, None, connection) for t in tokens])
    fernet = MultiFernet([Fernet(k.encode()) for k in settings.PERSONAL_DATA_KEYS])
    t_lib_enc, lib_tokens = _timed(lambda: [fernet.encrypt(v.encode()) for v in values])
    t_lib_dec, _ = _timed(lambda: [fernet.decrypt(t) for t in lib_tokens])
    t_index, _ = _timed(lambda: [crypto.blind_index(v, purpose="travel_document") for v in values])
    us = 1e6 / rows
    print(f"values: {rows}")
    print(
        f"encrypt  field {t_field_enc * us:7.1f} µs/value   Fernet alone {t_lib_enc * us:7.1f}"
        f"   ratio {t_field_enc / t_lib_enc:.2f}"
    )
    print(
        f"decrypt  field {t_field_dec * us:7.1f} µs/value   Fernet alone {t_lib_dec * us:7.1f}"
        f"   ratio {t_field_dec / t_lib_dec:.2f}"
    )
    print(f"blind index (HMAC-SHA256) {t_index * us:7.1f} µs/value")

    # Referred persons' details: a referral each needs a finding, a site…; the benchmark writes
    # the details table alone, through raw SQL with the field's tokens (the FK check is off).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.executemany(
            "INSERT INTO compliance_victimpersonaldetails (referral_id, field_reference, full_name,"
            " date_of_birth, nationality, travel_document, travel_document_index, contact, notes, updated_at)"
            " VALUES (%s, %s, %s, '', %s, %s, '', %s, %s, '2026-12-03')",
            [(i + 1, t, t, t, t, t, t) for i, t in enumerate(tokens)],
        )
    t_orm, read = _timed(
        lambda: list(
            VictimPersonalDetails.objects.values_list(
                "field_reference", "full_name", "nationality", "travel_document", "contact", "notes"
            )
        )
    )

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT field_reference, full_name, nationality, travel_document, contact, notes"
                " FROM compliance_victimpersonaldetails"
            )
            return [[fernet.decrypt(v.encode()) for v in row] for row in cursor.fetchall()]

    t_raw, _ = _timed(raw)
    assert read[0][1] == values[0]
    print(
        f"read {rows} persons' details (6 encrypted fields each): ORM {t_orm * 1000:7.1f} ms"
        f"   raw SQL + Fernet alone {t_raw * 1000:7.1f} ms   ratio {t_orm / t_raw:.2f}"
    )

    new = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new, *settings.PERSONAL_DATA_KEYS]
    rotating = MultiFernet([Fernet(k.encode()) for k in settings.PERSONAL_DATA_KEYS])
    t_lib_rot, _ = _timed(lambda: [rotating.rotate(t.encode()) for t in tokens for _ in range(6)])
    t_rot, done = _timed(rotate_keys, batch_size=500)
    n = done.get("compliance_victimpersonaldetails", 0)
    print(
        f"rotation: {n} values in {t_rot:.2f} s ({n / t_rot:,.0f} values/s)"
        f"   MultiFernet.rotate alone {len(tokens) * 6 / t_lib_rot:,.0f} values/s"
        f"   ratio {t_rot / t_lib_rot:.2f}"
    )


if __name__ == "__main__":
    main()
