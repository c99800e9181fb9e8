"""Traditional Chinese numbers as written in Macao: thousands grouped with commas (12,345), as
the territory's published statistics in Chinese write them, and as the English figures beside
them are. Django's own zh_Hant has no separator (and groups by four), which left 12345 ungrouped
on every page, table and chart drawn in Chinese.

Dates as Django's zh_Hant writes them (2026年12月19日, 2026年12月19日 05:24), named here because the
console uses one date format and one date-time format per language (see ``en``): the "short"
names are the same. Everything else comes from Django's zh_Hant (Django reads each format from the
first module that defines it)."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# A date written into a form is written in the first of these, and a browser's date field holds
# only 2026-12-19: Django's zh_Hant puts 2026/12/19 first, which the field refuses and shows empty
# (a form sent again then erased the date it held, a person's date of birth among them). Typing
# 2026/12/19 or 2026年12月19日 is still read.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
