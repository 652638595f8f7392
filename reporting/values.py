"""How a unit's figures add up to its value to date, one rule for every reader.

A stock (hectares, herds) is its latest figure; a flow (tonnes, kilometres) is the sum of
its periods' amounts. Periods of several lengths end on the same days (Quý 2 and
"6 tháng đầu năm" both end on 14/06), so when two reach the same date the one that
covers more of the year is preferred, and a flow is summed within one kind of period
only, never across kinds, so a month is never counted again inside its quarter.
"""

from .models import ReportingPeriod

Kind = ReportingPeriod.Kind

# A period that covers the year so far is preferred over a sum of shorter ones
# when both reach the same date.
KIND_RANK = {
    Kind.ANNUAL: 5,
    Kind.NINE_MONTHS: 4,
    Kind.SIX_MONTHS: 3,
    Kind.QUARTERLY: 2,
    Kind.MONTHLY: 1,
}
# Kinds whose figure for a flow is already the amount since the year's start.
CUMULATIVE_KINDS = {Kind.SIX_MONTHS, Kind.NINE_MONTHS, Kind.ANNUAL}
