"""Registry import benchmark: 50,000 sites from one CSV, dry run and apply, against the ceiling of
the same work done by the libraries alone (the csv module reading the file + one bulk insert).
Prints figures, never fails on a time.

python tests/benchmarks/bench_registry_import.py            (SQLite in a scratch folder)
BENCH_ROWS=100000 python tests/benchmarks/bench_registry_import.py
"""

from __future__ import annotations

import atexit
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
scratch = Path(tempfile.mkdtemp(prefix="bench_registry_import_"))
atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # the database and its media
os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'db.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(scratch / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ["GEOCODER"] = ""

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from backend.registry.models import Site  # noqa: E402
from backend.registry_import import services  # noqa: E402
from backend.registry_import.columns import SITES  # noqa: E402
from backend.registry_import.files import read_rows, write_xlsx  # noqa: E402
from backend.registry_import.kinds import parish_boxes  # noqa: E402

PARISHES = list(parish_boxes().items())


def make_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, SITES.keys, restval="")  # by name: columns added later stay empty
    writer.writeheader()
    for n in range(rows):
        parish, (south, west, north, east) = PARISHES[n % len(PARISHES)]
        lat = south + (north - south) * ((n * 7919) % 1000) / 1000
        lon = west + (east - west) * ((n * 104729) % 1000) / 1000
        writer.writerow(
            {
                "external_id": f"B-{n:06d}",
                "name_en": f"Venue {n}",
                "name_zh_hant": f"場所 {n}",
                "name_pt": f"Local {n}",
                "kind": "venue",
                "venue_type": "karaoke",
                "address": f"Rua {n}",
                "parish": parish,
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "opening_hours": "Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00",
                "licence_number": f"L-{n}",
            }
        )
    return out.getvalue().encode("utf-8-sig")


def ceiling(data: bytes) -> float:
    """csv + one bulk insert of the same sites and their opening hours, rolled back."""
    start = time.perf_counter()
    with transaction.atomic():
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        sites = [
            Site(
                external_id=r["external_id"],
                name_en=r["name_en"],
                name_zh_hant=r["name_zh_hant"],
                name_pt=r["name_pt"],
                kind=r["kind"],
                venue_type=r["venue_type"],
                address=r["address"],
                parish=r["parish"],
                latitude=Decimal(r["latitude"]),
                longitude=Decimal(r["longitude"]),
                licence_number=r["licence_number"],
            )
            for r in reader
        ]
        made = Site.objects.bulk_create(sites, batch_size=1000)
        hours = [
            (site.pk, d, "20:00:00", "02:00:00" if d < 4 else "04:00:00") for site in made for d in range(7)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO registry_openinghours (site_id, weekday, opens, closes) VALUES (%s, %s, %s, %s)",
                hours,
            )
        transaction.set_rollback(True)
    return time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", password="bench-password-123456")
    data = make_file(ROWS)
    print(f"registry import of {ROWS:,} sites ({len(data) / 1e6:.1f} MB CSV), SQLite in {scratch}")
    roof = ceiling(data)

    start = time.perf_counter()
    item = services.import_receive(
        actor=user, kind="sites", file_name="sites.csv", data=data, in_background=False
    )
    item = services.import_check(import_id=item.pk)
    checked = time.perf_counter()
    assert item.status == "ready", (item.status, item.counts, item.file_problems)
    services.import_apply_request(actor=user, registry_import=item, in_background=False)
    item = services.import_apply(import_id=item.pk)
    done = time.perf_counter()
    assert item.status == "applied", item.failure
    assert Site.objects.count() == ROWS

    again_start = time.perf_counter()
    again = services.import_receive(
        actor=user, kind="sites", file_name="again.csv", data=data, in_background=False
    )
    again = services.import_check(import_id=again.pk)
    again_done = time.perf_counter()
    assert again.counts["unchanged"] == ROWS

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    book = write_xlsx(rows[0], rows[1:])
    t = time.perf_counter()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book), read_only=True).worksheets[0]
    raw = sum(1 for _row in sheet.iter_rows(values_only=True))
    openpyxl_alone = time.perf_counter() - t
    t = time.perf_counter()
    ours = sum(1 for _row in read_rows(book, "xlsx"))
    ours_xlsx = time.perf_counter() - t
    assert raw == ours == ROWS + 1

    total = done - start
    print(f"  dry run (read, check, compare, store rows)   {checked - start:7.2f} s")
    print(f"  apply (one transaction)                      {done - checked:7.2f} s")
    print(f"  import total                                 {total:7.2f} s  ({ROWS / total:,.0f} rows/s)")
    print(
        f"  ceiling: csv module + bulk insert alone      {roof:7.2f} s"
        f"  -> import is {total / roof:.1f}x the ceiling"
    )
    print(
        f"  XLSX reading: openpyxl alone {openpyxl_alone:.2f} s, ours {ours_xlsx:.2f} s "
        f"({ours_xlsx / openpyxl_alone:.2f}x)"
    )
    print(f"  re-import dry run (all {ROWS:,} unchanged)     {again_done - again_start:7.2f} s")


if __name__ == "__main__":
    main()
