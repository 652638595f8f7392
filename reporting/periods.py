"""Reporting periods of a plan year, as Vietnamese state reporting windows them.

Nghị định 09/2019/NĐ-CP: data run from the 15th of the month before to the 14th of the
reporting month; the deadline is at least one working day after the cut-off.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from plans.models import Plan

from .models import ReportingPeriod
from .workdays import WorkingCalendar

Kind = ReportingPeriod.Kind


@dataclass(frozen=True)
class PeriodWindow:
    code: str
    kind: str
    name: str
    starts_on: date
    ends_on: date
    deadline: date


def next_working_day(day: date, calendar: WorkingCalendar | None = None) -> date:
    """The first working day after `day`: not a weekend, a public holiday (Tết, 30/4, 1/5,
    2/9, …) or a day off the government adds; a make-up working Saturday counts."""
    if calendar is None:
        calendar = WorkingCalendar.for_years(day.year, day.year)
    return calendar.next_working_day(day)


def window_start(year: int, month: int) -> date:
    """The first day of month `month`'s data: the 15th of the month before."""
    return date(year - 1, 12, 15) if month == 1 else date(year, month - 1, 15)


def window_end(year: int, month: int) -> date:
    """The last day of month `month`'s data, its cut-off: the 14th."""
    return date(year, month, 14)


def year_first_day(year: int) -> date:
    """The first day of the plan year's data: 15/12 of the year before."""
    return window_start(year, 1)


def year_last_day(year: int) -> date:
    """The last day of the plan year's data: 14/12."""
    return window_end(year, 12)


def default_windows(year: int) -> list[PeriodWindow]:
    year_start = year_first_day(year)
    windows = []
    calendar = WorkingCalendar.for_years(year, year)

    def add(code: str, kind: str, name: str, starts_on: date, ends_on: date) -> None:
        windows.append(
            PeriodWindow(code, kind, name, starts_on, ends_on, next_working_day(ends_on, calendar))
        )

    for month in range(1, 13):
        add(f"{year}-{month:02d}", Kind.MONTHLY, f"Tháng {month}/{year}",
            window_start(year, month), window_end(year, month))  # fmt: skip
        if month % 3 == 0:
            quarter = month // 3
            add(f"{year}-q{quarter}", Kind.QUARTERLY, f"Quý {quarter}/{year}",
                window_start(year, month - 2), window_end(year, month))  # fmt: skip
        if month == 6:
            add(
                f"{year}-6t",
                Kind.SIX_MONTHS,
                f"6 tháng đầu năm {year}",
                year_start,
                window_end(year, 6),
            )
        if month == 9:
            add(
                f"{year}-9t",
                Kind.NINE_MONTHS,
                f"9 tháng năm {year}",
                year_start,
                window_end(year, 9),
            )
    add(f"{year}-nam", Kind.ANNUAL, f"Năm {year}", year_start, year_last_day(year))
    return windows


@transaction.atomic
def periods_create_for_plan(*, plan: Plan) -> list[ReportingPeriod]:
    """Create the default periods that do not exist yet; existing ones keep their deadlines."""
    existing = set(plan.periods.values_list("code", flat=True))
    created = [
        ReportingPeriod(
            plan=plan,
            code=window.code,
            kind=window.kind,
            name=window.name,
            starts_on=window.starts_on,
            ends_on=window.ends_on,
            deadline=window.deadline,
            position=position,
        )
        for position, window in enumerate(default_windows(plan.year), start=1)
        if window.code not in existing
    ]
    return ReportingPeriod.objects.bulk_create(created)
