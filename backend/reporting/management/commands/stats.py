"""``manage.py stats MEASURE[,MEASURE] [--by year,category] [--from 2019] [--to 2023]
[--filter agency=DSAL] [--agency DSAL] [--category …] [--format table|csv|json] [--raw]``

Prints any statistic for an analyst, e.g. ``manage.py stats inspections --by year,category
--agency DSAL --from 2019 --to 2023``. ``manage.py stats --list`` lists the measures with their
definitions and dimensions. No access check: whoever runs commands on the server reads all."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.reporting.exports import result_csv
from backend.reporting.statistics import MEASURES, SOURCES, StatisticsError, query_from_params, suppress


class Command(BaseCommand):
    help = "Print a statistic: measures by dimensions with filters (see --list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("measure", nargs="?", help="measure id(s), comma-separated")
        parser.add_argument("--list", action="store_true", help="list measures and dimensions")
        parser.add_argument("--by", default="", help="dimensions, comma-separated")
        parser.add_argument("--from", dest="date_from", default="", help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", default="", help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--agency", default="", help="agency code(s), comma-separated")
        parser.add_argument("--category", default="", help="inspection category(ies)")
        parser.add_argument("--filter", action="append", default=[], help="DIMENSION=VALUE[,VALUE]")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--raw", action="store_true", help="compute from the raw records, not rollups")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or not options["measure"]:
            for m in MEASURES.values():
                dims = ", ".join(SOURCES[m.source].dimensions)
                self.stdout.write(f"{m.id} ({m.source}): {m.definition}\n    by: {dims}")
            return
        params: dict[str, str] = {"measure": options["measure"], "by": options["by"]}
        for key, name in (
            ("date_from", "from"),
            ("date_to", "to"),
            ("agency", "agency"),
            ("category", "category"),
        ):
            if options[key]:
                params[name] = options[key]
        for item in options["filter"]:
            name, _, value = item.partition("=")
            if not value:
                raise CommandError(f"--filter {item!r}: use DIMENSION=VALUE")
            params[name.strip()] = value
        if options["raw"]:
            params["source"] = "raw"
        try:
            from backend.reporting.statistics import aggregate

            result = suppress(aggregate(query_from_params(params)))
        except StatisticsError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps({"rows": result.rows, "totals": result.totals}, default=str))
        elif options["format"] == "csv":
            self.stdout.write(result_csv(result), ending="")
        else:
            self._table(result)

    def _table(self, result: Any) -> None:
        columns = [*result.query.by, *result.query.measures]
        rows = [[("–" if r[c] is None else str(r[c])) for c in columns] for r in result.rows]
        total = [""] * len(result.query.by) + [
            "–" if result.totals[m] is None else str(result.totals[m]) for m in result.query.measures
        ]
        if result.query.by:
            total[0] = "total"
        widths = [max(len(c), *(len(r[i]) for r in [*rows, total])) for i, c in enumerate(columns)]
        line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for r in rows:
            self.stdout.write(
                "  ".join(
                    v.rjust(w) if v[:1].isdigit() else v.ljust(w) for v, w in zip(r, widths, strict=True)
                )
            )
        if result.query.by:
            self.stdout.write("-" * len(line))
        self.stdout.write("  ".join(v.rjust(w) for v, w in zip(total, widths, strict=True)))
        self.stdout.write(f"({result.used}; {result.source})")
