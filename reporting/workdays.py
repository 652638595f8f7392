"""Working days in Vietnam: weekdays that are not public holidays, adjusted by the days the
government moves each year (CalendarDay).

Public holidays, Tết by the lunar calendar above all, come from the `holidays` package's
Vietnam calendar; nothing is typed by hand here.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from .models import CalendarDay


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Vietnam(years=year))


class WorkingCalendar:
    """The working days between two dates, read with one query."""

    def __init__(self, changes: dict[date, str] | None = None) -> None:
        self.changes = changes or {}

    @classmethod
    def load(cls, start: date, end: date) -> "WorkingCalendar":
        rows = CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind")
        return cls(dict(rows))

    @classmethod
    def for_years(cls, first: int, last: int) -> "WorkingCalendar":
        # A December cut-off's deadline may fall in the next January.
        return cls.load(date(first - 1, 12, 1), date(last + 1, 1, 31))

    def is_working_day(self, day: date) -> bool:
        change = self.changes.get(day)
        if change == CalendarDay.Kind.WORKING_DAY:
            return True
        if change == CalendarDay.Kind.DAY_OFF:
            return False
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (count ≥ 1)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count
