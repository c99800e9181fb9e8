"""Portuguese dates as Django's pt writes them (19 de Dezembro de 2026; 19 de Dezembro de 2026 às
05:24), month names capitalised as Macao's pre-1990 spelling has them. The console uses one date
format and one date-time format per language (see ``en``): the "short" names are the same, so a
table never says 05/12/2026 beside 19 de Dezembro de 2026. Everything else comes from Django's pt
(typing a date still takes 19/12/2026)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y à\s H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
