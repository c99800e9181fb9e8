"""What a registry file may hold: the kinds (sites, companies, officers, shifts and absences), their
columns with meaning and example, and the reasons a row or a file is refused.

Column keys are the header a template carries; a header may also be a column's label in English,
Traditional Chinese or Portuguese, so a file made from a translated template reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    meaning: Promise
    example: str
    required: bool = False
    # Headers a column was once labelled with, still read: files made from an older template.
    former_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class KindSpec:
    key: str
    label: Promise
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.key for c in self.columns if c.required]


EXTERNAL_ID = Column(
    "external_id",
    _("External id"),
    _(
        "Your registry's own identifier for the record. "
        "Importing again matches on it: it updates, never duplicates."
    ),
    "",
    required=True,
)


def _ext(example: str) -> Column:
    return Column(EXTERNAL_ID.key, EXTERNAL_ID.label, EXTERNAL_ID.meaning, example, required=True)


NAMES = (
    Column(
        "name_en",
        _("Name (English)"),
        _("The name in English. At least one of the three names is needed."),
        "",
    ),
    Column("name_zh_hant", _("Name (Chinese)"), _("The name in Traditional Chinese."), ""),
    Column("name_pt", _("Name (Portuguese)"), _("The name in Portuguese."), ""),
)


def _names(en: str, zh: str, pt: str) -> tuple[Column, ...]:
    return tuple(Column(c.key, c.label, c.meaning, ex) for c, ex in zip(NAMES, (en, zh, pt), strict=True))


SITES = KindSpec(
    "sites",
    _("Sites"),
    (
        _ext("LIC-2026-0042"),
        *_names("Golden Lotus Karaoke", "金蓮卡拉OK", "Karaoke Lótus Dourado"),
        Column(
            "kind",
            _("Kind"),
            _("construction_site, employment_agency or venue (or the name shown in the console)."),
            "venue",
            required=True,
        ),
        Column(
            "venue_type",
            _("Venue type"),
            _("Venues only: sauna, massage, nightclub, karaoke, bar, hotel or other."),
            "karaoke",
        ),
        Column(
            "address",
            _("Address"),
            _("The street address, as a geocoder can find it."),
            "Rua de Pequim 126",
            True,
        ),
        Column(
            "address_zh_hant",
            _("Address (Chinese)"),
            _(
                "The address as Chinese writes it, shown to readers of Chinese. "
                "A file without this column leaves the one on record."
            ),
            "澳門北京街126號",
        ),
        Column(
            "parish",
            _("Parish"),
            _(
                "fatima, santo_antonio, sao_lazaro, se, sao_lourenco, carmo_taipa, cotai or coloane "
                "(or its name)."
            ),
            "se",
            required=True,
        ),
        Column(
            "latitude",
            _("Latitude"),
            _("Decimal degrees. Leave latitude and longitude empty to have the address geocoded."),
            "22.192100",
        ),
        Column("longitude", _("Longitude"), _("Decimal degrees, with the latitude."), "113.547300"),
        Column(
            "opening_hours",
            _("Opening hours"),
            _(
                "Weekdays and times, e.g. Mon-Thu 20:00-02:00; Fri-Sun 20:00-04:00 "
                "(a time past midnight closes the next morning)."
            ),
            "Mon-Sun 20:00-04:00",
        ),
        Column(
            "operator",
            _("Operator"),
            _("The external id of the operating company (import companies first)."),
            "BR-88123",
        ),
        Column(
            "contractor",
            _("Contractor"),
            _("Construction sites only: the external id of the main contractor."),
            "",
        ),
        Column("licence_number", _("Licence number"), _("The venue's or agency's licence number."), "L-5521"),
        Column(
            "contact_name",
            _("On-site contact person"),
            _(
                "The person a team asks for on site (manager, foreman, licence holder), not the company. "
                "A file without this column leaves the one on record."
            ),
            "Chan Tai Man",
        ),
        Column(
            "contact_phone",
            _("On-site contact phone"),
            _("That person's phone. A file without this column leaves the one on record."),
            "+853 2800 0000",
        ),
    ),
)

COMPANIES = KindSpec(
    "companies",
    _("Companies"),
    (
        _ext("BR-88123"),
        *_names("Lotus Entertainment Ltd", "金蓮娛樂有限公司", "Entretenimento Lótus, Lda."),
        Column(
            "kind",
            _("Kind"),
            _("operator, contractor, subcontractor or employment_agency."),
            "operator",
            required=True,
        ),
        Column(
            "registration_number",
            _("Registration number"),
            _("The commercial registration number."),
            "SO-12345",
        ),
        Column(
            "main_contractor",
            _("Subcontractor of"),
            _(
                "For a subcontractor: the external id of the company it works for "
                "(in this file or already imported)."
            ),
            "",
        ),
    ),
)

OFFICERS = KindSpec(
    "officers",
    _("Officers"),
    (
        _ext("PSP-004512"),
        Column("agency", _("Agency"), _("The agency's code: PSP, PJ, DSAL, IAS…"), "PSP", required=True),
        Column(
            "unit",
            _("Unit"),
            _("The unit (station or office) the officer works from: its code or its name."),
            "psp_taipa",
            True,
        ),
        # Labelled as the admin's officers list labels the same fields ("Número de funcionário",
        # "職員編號", "姓名"), so that the file and the list the administrator checks it in agree.
        Column(
            "badge_number",
            _("Badge number"),
            _("Unique within the agency."),
            "4512",
            required=True,
            former_labels=("Número de identificação", "編號"),
        ),
        Column(
            "full_name",
            _("Full name"),
            _("As it appears on the officer's card."),
            "CHAN Tai Man 陳大文",
            True,
            former_labels=("全名",),
        ),
        Column("rank", _("Rank level"), _("1 (junior) to 10 (senior), comparable across agencies."), "3"),
        Column(
            "rank_title",
            _("Rank title"),
            _("The agency's own title: shown in English, and in a language whose title is left empty."),
            "Subchefe",
        ),
        Column("rank_title_zh_hant", _("Rank title (Traditional Chinese)"), _("May stay empty."), "副警長"),
        Column("rank_title_pt", _("Rank title (Portuguese)"), _("May stay empty."), "Subchefe"),
        Column(
            "sex",
            _("Sex"),
            _("F or M, where a rule needs it (body searches by an officer of the same sex); may stay empty."),
            "M",
        ),
        Column(
            "languages",
            _("Languages"),
            _("The languages spoken, by code or name, separated by semicolons, e.g. lang-zh-yue; lang-pt."),
            "lang-zh-yue; lang-en",
        ),
        Column(
            "skills",
            _("Qualifications"),
            _("Qualifications, by code or name, separated by semicolons, e.g. labour-inspector."),
            "",
        ),
    ),
)

START_MEANING = _(
    "Local time, the day first: DD/MM/YYYY HH:MM (31/12/2026 20:00), DD-MM-YYYY HH:MM, or "
    "YYYY-MM-DD HH:MM; or a spreadsheet's date cell."
)

SHIFTS = KindSpec(
    "shifts",
    _("Shifts and absences"),
    (
        _ext("ROSTER-2026-12-0001"),
        Column("agency", _("Agency"), _("The officer's agency code."), "PSP", required=True),
        Column(
            "officer",
            _("Officer"),
            _("The officer's external id (import officers first)."),
            "PSP-004512",
            True,
        ),
        Column("kind", _("Kind"), _("shift, leave, training or sick."), "shift", required=True),
        # The day first, as Macao writes dates; never the month first (04/12/2026 is 4 December).
        Column("start", _("Start"), START_MEANING, "2026-12-04 20:00", required=True),
        Column(
            "end",
            _("End"),
            _("Local time, after the start, written as the start is."),
            "2026-12-05 04:00",
            True,
        ),
        Column("note", _("Note"), _("Free text."), ""),
    ),
)

KINDS: dict[str, KindSpec] = {k.key: k for k in (SITES, COMPANIES, OFFICERS, SHIFTS)}
KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]


def header_aliases(spec: KindSpec) -> dict[str, str]:
    """Normalised header text → column key: the key itself and its label in each language."""
    from django.conf import settings

    out = {c.key: c.key for c in spec.columns}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for c in spec.columns:
                out[normalise_header(str(c.label))] = c.key
    for c in spec.columns:
        for label in c.former_labels:
            out.setdefault(normalise_header(label), c.key)
    return out


def normalise_header(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold().replace(" ", "_")


# Why a file or a row is refused. Stored as code + parameters and put into words when shown, in
# the reader's language.
REASONS: dict[str, Promise] = {
    "not_utf8": _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
    "not_csv": _("The file cannot be read as CSV."),
    "cell_too_large": _(
        "Row %(row)s has a cell longer than %(limit)s characters, most often a quotation mark opened "
        "and never closed, which reads the rest of the file into that cell. Close or delete it."
    ),
    "not_xlsx": _("The file cannot be read as an XLSX workbook."),
    "unknown_format": _("Upload a .csv or .xlsx file."),
    "empty": _("The file has no rows."),
    "no_header": _("No header row was found: the first row should name the columns (%(columns)s)."),
    # Said with what the file's first row reads: a header of the agency's own names was told only
    # "No header row was found", as if it had none.
    "header_not_known": _(
        "The first row should name the columns, external_id among them (%(columns)s). This file's "
        "first row reads: %(first)s."
    ),
    "missing_columns": _("Required columns are missing: %(columns)s."),
    "unknown_columns": _(
        "Columns not known for this kind of file: %(unknown)s. Rename each to one of the template's "
        "columns (%(columns)s) or delete it."
    ),
    "no_rows": _("The file has a header row but no rows under it."),
    "other_kind": _(
        "This file's columns are those of a file of %(found)s, not of %(chosen)s. Choose “%(found)s” "
        "under “What the file holds” and upload it again."
    ),
    "too_many_rows": _("The file has more than %(limit)s rows; split it."),
    "required": _("A value is required."),
    "duplicate": _("The same external id is on row %(other)s."),
    "choice": _("“%(value)s” is not one of: %(choices)s."),
    "number": _("“%(value)s” is not a number."),
    "range": _("The value must be between %(low)s and %(high)s."),
    "both_coordinates": _("Give both latitude and longitude, or neither."),
    "outside_area": _("The point lies outside the service area (%(area)s)."),
    "outside_parish": _("The point lies outside the parish named (%(parish)s)."),
    "hours": _("“%(value)s” is not opening hours like Mon-Fri 09:00-18:00; Sat 20:00-04:00."),
    "no_company": _("No company has the external id “%(value)s”."),
    "no_agency": _("No agency has the code “%(value)s”."),
    "no_unit": _("No unit of agency %(agency)s has the code “%(value)s”."),
    "no_unit_known": _(
        "No unit of agency %(agency)s has the code or name “%(value)s”. Its units' codes: %(codes)s."
    ),
    "no_officer": _("No officer of agency %(agency)s has the external id “%(value)s”."),
    "no_skill": _("No %(kind)s has the code “%(value)s”."),
    "no_skill_known": _("No %(kind)s has the code or name “%(value)s”. The codes: %(codes)s."),
    "not_your_agency": _("You may import records of your own agency (%(agency)s) only."),
    "badge_taken": _("Badge number %(value)s belongs to another officer of the agency."),
    "badge_taken_by": _(
        "Badge number %(value)s belongs to another officer of the agency: %(name)s, %(other)s."
    ),
    "venue_type_needed": _("A venue needs a venue type."),
    "venue_type_only": _("Only venues have a venue type."),
    "contractor_only": _("Only construction sites have a contractor."),
    "self_contractor": _("A company cannot be its own contractor."),
    "chain_loop": _("This would make the contracting chain a loop."),
    "datetime": _(
        "“%(value)s” is not a date and time the import reads. Write DD/MM/YYYY HH:MM, the day first "
        "(31/12/2026 20:00), DD-MM-YYYY HH:MM or YYYY-MM-DD HH:MM."
    ),
    "two_digit_year": _(
        "“%(value)s” has a two-digit year, which could be of another century. Write the year in four "
        "digits: DD/MM/YYYY HH:MM, the day first (31/12/2026 20:00), DD-MM-YYYY HH:MM or YYYY-MM-DD HH:MM."
    ),
    "no_such_date": _(
        "“%(value)s” is not a date and time that exists, read with the day first (the day comes before "
        "the month: 12/31/2026 is refused). Write DD/MM/YYYY HH:MM (31/12/2026 20:00), DD-MM-YYYY HH:MM "
        "or YYYY-MM-DD HH:MM."
    ),
    "end_before_start": _("The end must come after the start."),
    "too_long": _("At most %(limit)s characters."),
    "unclosed_quote": _(
        "This cell runs over %(lines)s lines of the file and the row is short of columns: a quotation "
        "mark opened in it is never closed, so the rows below were read into this cell. Close or "
        "delete the quotation mark."
    ),
}

# Why a row could not be placed on the map (not a refusal: the administrator places it).
PLACE_REASONS: dict[str, Promise] = {
    "no_geocoder": _("No geocoder is configured (GEOCODER); place it on the map."),
    "not_found": _("The geocoder did not find the address."),
    "outside_area": _("The geocoder's answer lies outside the service area."),
    "outside_parish": _("The geocoder's answer lies outside the parish named."),
    "unavailable": _("The geocoder did not answer; place it on the map or try again later."),
}


def choice_sets() -> dict[str, type]:
    """The sets of choices a file's cell is read against, by the name a refusal stores."""
    from backend.registry.models import Availability, Company, Officer, Parish, Site

    return {
        "company_kind": Company.Kind,
        "site_kind": Site.Kind,
        "venue_type": Site.VenueType,
        "parish": Parish,
        "sex": Officer.Sex,
        "availability_kind": Availability.Kind,
    }


def _choices_text(of: str) -> str:
    """A set of choices as the reader reads it: each code with its name in the reader's language
    where the name is not the code itself, "當值（shift）、休假（leave）"."""
    from backend.core.i18n import bracketed, list_separator

    return list_separator().join(
        str(value) if str(label).casefold() == str(value).casefold() else bracketed(label, value)
        for value, label in choice_sets()[of].choices
    )


def reason_text(code: str, params: dict | None = None) -> str:
    from backend.core.i18n import list_separator
    from backend.registry.models import Parish, Skill

    template = REASONS.get(code) or PLACE_REASONS.get(code) or code
    text = str(template)
    if not (params and "%(" in text):
        return text
    if code == "other_kind":  # kinds stored as keys, named in the reader's language
        params = {k: KINDS[v].label if v in KINDS else v for k, v in params.items()}
    if code == "choice" and params.get("of") in choice_sets():
        params = {**params, "choices": _choices_text(params["of"])}
    if params.get("parish") in Parish.values:  # a code, named in the reader's language
        params = {**params, "parish": Parish(params["parish"]).label}
    if params.get("kind") in Skill.Kind.values:  # a language or a qualification, in the reader's words
        params = {**params, "kind": Skill.Kind(params["kind"]).label}
    if params.get("codes"):  # stored ", "-separated: listed as the reader's language lists ("、")
        params = {**params, "codes": list_separator().join(params["codes"].split(", "))}
    return text % params
