# English screens keep the Vietnamese formats: the figures are Vietnamese data, typed and
# read as 10.900 and 329,2 on every screen, and a date typed 03/04/2023 must mean 3 April
# whichever language the user reads (Django's English formats would take it as 4 March).
from laichau_agri.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
)
