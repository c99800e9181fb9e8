"""The administrators' console pages for registry imports: upload with templates and exports, the
dry run with its progress and refusals, the map where unplaced rows are placed, and apply."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from backend.console.access import console_page
from backend.core.errors import DomainError, InvalidInput, NotFound
from backend.core.i18n import bracketed, label_separator, list_separator, pick
from backend.registry.models import Parish
from backend.registry_import import selectors, services
from backend.registry_import.columns import KIND_CHOICES, KINDS, reason_text
from backend.registry_import.display import Words
from backend.registry_import.files import CSV_TYPE, FORMATS, XLSX_TYPE
from backend.registry_import.models import ImportRow, RegistryImport

ADMINISTRATORS = ("administrator",)
PAGE_SIZE = 100
# The map page lists this many rows to place at a time; the next ones follow as these are placed.
PLACE_ROWS_SHOWN = 200
LANGUAGE_NAMES = {"en": "English", "zh-hant": "繁體中文", "pt": "Português"}


# The order a registry is brought in, as the page's hint says: companies before the sites they
# operate, officers before their shifts. The upload form lists the kinds so and starts on the first.
IMPORT_ORDER = ("companies", "sites", "officers", "shifts")
KINDS_IN_ORDER = sorted(KIND_CHOICES, key=lambda choice: IMPORT_ORDER.index(choice[0]))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_lazy("What the file holds"), choices=KINDS_IN_ORDER, initial=KINDS_IN_ORDER[0][0]
    )
    file = forms.FileField(
        label=_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class CoordinateField(forms.DecimalField):
    """A coordinate typed with a decimal point or, as Portuguese writes it (and the files may),
    a decimal comma: "22,1535"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class PlaceForm(forms.Form):
    """One row's place on the map page, whose one form holds every row to place: a row left blank
    is not sent to be placed, a row half typed is refused for the box left blank."""

    latitude = CoordinateField(label=_lazy("Latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = CoordinateField(label=_lazy("Longitude"), max_digits=9, decimal_places=6, required=False)

    def typed(self, name: str) -> bool:
        return bool(self.is_bound and str(self.data.get(self.add_prefix(name), "")).strip())

    @property
    def is_typed(self) -> bool:
        return self.typed("latitude") or self.typed("longitude")

    def require(self) -> None:
        """The row whose Save was pressed with nothing typed anywhere: both boxes are wanted."""
        for name in ("latitude", "longitude"):
            self.add_error(name, self.fields[name].error_messages["required"])

    def clean(self):
        data = super().clean()
        if self.is_typed:
            for name in ("latitude", "longitude"):
                if not self.typed(name):
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data


def _row_name(values: dict) -> str:
    """A site's or company's name as the file gives it in the reader's language (English where it
    gives none): the dry run said every row's English name, in Chinese and Portuguese too."""
    return pick(
        en=values.get("name_en", ""), zh_hant=values.get("name_zh_hant", ""), pt=values.get("name_pt", "")
    )


def _get(request: HttpRequest, uuid) -> RegistryImport:
    try:
        return selectors.import_get(user=request.user, uuid=uuid)
    except NotFound:
        raise Http404 from None


def _refusal(exc: DomainError) -> list[str]:
    out = [str(e) for errs in exc.errors.values() for e in errs]
    return out or [str(exc.detail)]


def _download(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@console_page(*ADMINISTRATORS)
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm()
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                item = services.import_receive(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    data=upload.read(),
                    request=request,
                )
            except DomainError as exc:
                errors, status = _refusal(exc), 400
            else:
                return redirect("registry_import:detail", uuid=item.uuid)
        else:
            status = 400
    imports = Paginator(selectors.imports_visible(request.user), 25).get_page(request.GET.get("page"))
    kinds = [{"key": KINDS[k].key, "label": KINDS[k].label} for k in IMPORT_ORDER]
    return render(
        request,
        "registry_import/list.html",
        {
            "form": form,
            "errors": errors,
            "imports": imports,
            "kinds": kinds,
            "formats": FORMATS,
            "languages": LANGUAGE_NAMES,
        },
        status=status,
    )


@console_page(*ADMINISTRATORS)
def template_download(request: HttpRequest, kind: str, language: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in FORMATS or language not in LANGUAGE_NAMES:
        raise Http404
    data = services.template_file(kind, fmt, language)
    return _download(data, f"{kind}-template-{language}.{fmt}", fmt)


@console_page(*ADMINISTRATORS)
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    data = services.export_file(kind, fmt, agency_id=services.scope_agency_id(request.user))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(data, f"{kind}-{stamp}.{fmt}", fmt)


def _rows_context(request: HttpRequest, item: RegistryImport) -> dict:
    show = request.GET.get("show", _default_rows(item))
    rows = item.rows.all()
    if show == "changes":
        rows = rows.filter(action__in=[ImportRow.Action.CREATE, ImportRow.Action.UPDATE])
    elif show in ImportRow.Action.values:
        rows = rows.filter(action=show)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    spec = KINDS[item.kind]
    labels = {c.key: c.label for c in spec.columns}
    actions = _action_labels(item)
    on_page = list(page)
    # A shift's row names its officer by external id alone ("PSP-004512"): the name column gives
    # the officer's name beside it, as the administrator knows them.
    names = (
        selectors.officer_names(
            item, {(r.values.get("agency", ""), r.values.get("officer", "")) for r in on_page}
        )
        if item.kind == "shifts"
        else {}
    )
    words = Words(item, on_page)
    shown = []
    for row in on_page:
        officer = row.values.get("officer", "")
        name = names.get((row.values.get("agency", ""), officer))
        shown.append(
            {
                "number": row.number,
                "action": actions[row.action],
                "action_code": row.action,
                "external_id": row.values.get("external_id", ""),
                "summary": _row_name(row.values)
                or row.values.get("full_name")
                or (bracketed(name, officer) if name else officer),
                "problems": [
                    {
                        "column": labels.get(p["column"], p["column"]),
                        "text": reason_text(p["code"], p["params"]),
                    }
                    for p in row.problems
                ],
                "to_place": row.needs_place,
                "changes": words.changes(row),
            }
        )
    return {"rows": shown, "page": page, "show": show}


def _default_rows(item: RegistryImport) -> str:
    """The rows a dry run opens on: the refused ones, else those that change when most do not
    (next month's list of 80 officers, two of them promoted: the two, not 80 rows to read)."""
    counts = item.counts or {}
    if counts.get("refused"):
        return "refused"
    changing = counts.get("create", 0) + counts.get("update", 0) + counts.get("created", 0)
    changing += counts.get("updated", 0)
    return "changes" if changing and counts.get("unchanged") else "all"


def _action_labels(item: RegistryImport) -> dict[str, str]:
    """What each row's outcome is called: what will be done in a dry run, what was done once the
    import is applied ("created", not "to create")."""
    labels = {a.value: str(a.label) for a in ImportRow.Action}
    if item.status == RegistryImport.Status.APPLIED:
        labels[ImportRow.Action.CREATE] = pgettext("registry import row", "created")
        labels[ImportRow.Action.UPDATE] = pgettext("registry import row", "updated")
    return labels


@console_page(*ADMINISTRATORS)
def import_detail(request: HttpRequest, uuid) -> HttpResponse:
    item = _get(request, uuid)
    context = {
        "item": item,
        "file_problems": [reason_text(p["code"], p["params"]) for p in item.file_problems],
        "superseded": item.status == RegistryImport.Status.READY and selectors.import_superseded(item),
        "superseded_text": services.SUPERSEDED,
        "filters": [
            ("all", _("All rows")),
            ("changes", pgettext("registry import rows shown", "With changes")),
            *_action_labels(item).items(),
        ],
        **_rows_context(request, item),
    }
    # No worker has taken its check or apply yet: said on the page, and announced once, when a
    # redraw first shows it (the status part's address carries whether the one drawn last did).
    context["waiting"] = selectors.import_waiting_for_worker(item)
    if request.htmx and request.GET.get("part") == "status":
        if not item.in_progress:
            # Done: the whole page again, so the counts, rows and buttons appear.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        context["announce"] = context["waiting"] and request.GET.get("waiting") != "1"
        return render(request, "registry_import/_status.html", context)
    return render(request, "registry_import/detail.html", context)


@console_page(*ADMINISTRATORS)
@require_POST
def import_apply(request: HttpRequest, uuid) -> HttpResponse:
    item = _get(request, uuid)
    try:
        services.import_apply_request(actor=request.user, registry_import=item, request=request)
    except DomainError as exc:
        for text in _refusal(exc):
            messages.error(request, text)
    return redirect("registry_import:detail", uuid=item.uuid)


@console_page(*ADMINISTRATORS)
def import_place(request: HttpRequest, uuid) -> HttpResponse:
    """Every row to place is one part of one form, so a refusal shows the page again with every
    value typed (the refused ones marked, each with its reason) and saves none of them."""
    item = _get(request, uuid)
    if item.kind != "sites":
        raise Http404
    errors: list[str] = []
    status = 200
    rows = list(item.rows.filter(needs_place=True)[:PLACE_ROWS_SHOWN])
    data = request.POST if request.method == "POST" else None
    forms_by_row = {r.number: PlaceForm(data, prefix=f"row{r.number}") for r in rows}
    if request.method == "POST":
        typed = {n: f for n, f in forms_by_row.items() if f.is_typed}
        asked = forms_by_row.get(_number(request.POST.get("number")))
        if not typed and asked is not None:
            asked.require()
        valid = [f.is_valid() for f in typed.values()]
        if typed and all(valid):
            try:
                services.import_place_rows(
                    actor=request.user,
                    registry_import=item,
                    places={
                        n: (str(f.cleaned_data["latitude"]), str(f.cleaned_data["longitude"]))
                        for n, f in typed.items()
                    },
                    request=request,
                )
            except NotFound:
                raise Http404 from None
            except InvalidInput as exc:
                for number, texts in exc.errors.items():
                    for text in texts:
                        forms_by_row[int(number)].add_error(None, text)
            except DomainError as exc:
                errors = _refusal(exc)
            else:
                placed = sorted(typed)
                if len(placed) == 1:
                    messages.success(request, _("Row %(n)s placed.") % {"n": placed[0]})
                else:
                    numbers = list_separator().join(map(str, placed))
                    messages.success(request, _("Rows %(rows)s placed.") % {"rows": numbers})
                item.refresh_from_db()
                if item.status != RegistryImport.Status.TO_PLACE:
                    return redirect("registry_import:detail", uuid=item.uuid)
                return redirect("registry_import:place", uuid=item.uuid)
        errors += _place_errors(forms_by_row)
        status = 400
    pins = [
        {"number": r.number, "name": _row_name(r.values), "parish": r.values.get("parish", "")} for r in rows
    ]
    listed = [
        {
            "number": r.number,
            "name": _row_name(r.values),
            "address": r.values.get("address", ""),
            "parish": Parish(r.values["parish"]).label if r.values.get("parish") in Parish.values else "",
            "why": services.place_reason_text(r.place_problem),
            **_place_fields(r.number, forms_by_row[r.number]),
        }
        for r in rows
    ]
    refused = any(r["problems"] for r in listed)
    return render(
        request,
        "registry_import/place.html",
        {"item": item, "rows": listed, "pins": pins, "errors": errors, "refused": refused},
        status=status,
    )


def _number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _place_fields(number: int, form: PlaceForm) -> dict:
    """A row's two boxes as typed, and what was refused in them: a box's own refusal marks that box,
    a refusal of the point (outside the parish) marks both."""
    point = list(form.non_field_errors()) if form.is_bound else []
    problems = [str(e) for e in point]
    boxes = {}
    for name in ("latitude", "longitude"):
        own = list(form.errors.get(name, [])) if form.is_bound else []
        problems += [f"{form.fields[name].label}{label_separator()}{e}" for e in own]
        value = form[name].value()
        boxes[name] = {"value": "" if value is None else value, "refused": bool(own or point)}
    return {"lat": boxes["latitude"], "lon": boxes["longitude"], "problems": problems}


def _place_errors(forms_by_row: dict[int, PlaceForm]) -> list[dict]:
    """The summary above the rows: each refusal named by its row (and box), linking that box."""
    out = []
    for number, form in forms_by_row.items():
        row = _("Row %(n)s") % {"n": number}
        for e in form.non_field_errors():
            out.append({"text": f"{row}{label_separator()}{e}", "target": f"lat-{number}"})
        for name, box in (("latitude", "lat"), ("longitude", "lon")):
            for e in form.errors.get(name, []):
                label = form.fields[name].label
                out.append({"text": f"{row} · {label}{label_separator()}{e}", "target": f"{box}-{number}"})
    return out
