"""``manage.py report 2019 2023 [--format json|text|html|pdf] [--lang en|zh-hant|pt] [--output FILE]``

``--format json`` prints the report's figures as one JSON object keyed by the ids of
``data/report_2019_2023.json``, each value in that file's form. ``html`` and ``pdf`` write the
full report (to ``--output``, or to standard output for html)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from backend.reporting.report import report_figures


class Command(BaseCommand):
    help = "Generate the report of a period: its figures as JSON or text, or the whole report as HTML or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year_from", type=int)
        parser.add_argument("year_to", type=int, nargs="?")
        parser.add_argument("--format", choices=["json", "text", "html", "pdf"], default="text")
        parser.add_argument("--lang", choices=["en", "zh-hant", "pt"], default="en")
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        year_from = options["year_from"]
        year_to = options["year_to"] or year_from
        if not 1900 < year_from <= year_to < 2200:
            raise CommandError("Give the first and last year, first not after last.")
        fmt = options["format"]
        with translation.override(options["lang"]):
            if fmt == "json":
                figures = report_figures(year_from=year_from, year_to=year_to)
                self.stdout.write(json.dumps({f.id: f.value for f in figures}, ensure_ascii=False))
                return
            if fmt == "text":
                for f in report_figures(year_from=year_from, year_to=year_to):
                    changed = f"  (now {f.current}, difference {f.difference})" if f.changed else ""
                    self.stdout.write(f"{f.id:50} {json.dumps(f.value, ensure_ascii=False)}{changed}")
                return
            from backend.reporting.render import ReportFontMissing, report_html, report_pdf

            if fmt == "html":
                body = report_html(year_from=year_from, year_to=year_to)
                if options["output"]:
                    options["output"].write_text(body, encoding="utf-8")
                else:
                    self.stdout.write(body)
                return
            try:
                data = report_pdf(year_from=year_from, year_to=year_to)
            except ReportFontMissing as exc:
                raise CommandError(f"{exc.title} {exc.detail}") from exc
            if options["output"]:
                options["output"].write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
