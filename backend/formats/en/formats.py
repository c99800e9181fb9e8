"""English as written in Macao: the day before the month (4 Dec 2026), weeks from Monday.
Django's own "en" is American (Dec. 4, 2026; 12/04/2026), which a reader here takes for the 12th
of April. Times keep "p.m." (9:30 p.m.), as the pages' sentences are written for.

One date format and one date-time format for the whole console, the readable one: the "short"
names are the same, so a table never says 05/12/2026 beside 19 Dec 2026, in any language (pt and
zh_Hant do the same). Typing a date still takes 04/12/2026 (DATE_INPUT_FORMATS)."""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "P"
DATETIME_FORMAT = "j M Y, P"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1  # Monday
# Parsed in this order: ISO (what date inputs send) first, then day-first; never month-first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
