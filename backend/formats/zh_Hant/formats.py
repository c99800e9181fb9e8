"""Traditional Chinese numbers as written in Macao: thousands grouped with commas (12,345), as
the territory's published statistics in Chinese write them, and as the English figures beside
them are. Django's own zh_Hant has no separator (and groups by four), which left 12345 ungrouped
on every page, table and chart drawn in Chinese.

Only the numbers: dates and everything else come from Django's zh_Hant (Django reads each
format from the first module that defines it)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
