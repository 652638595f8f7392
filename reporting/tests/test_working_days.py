"""Deadlines fall on real working days: Vietnam's public holidays (Tết by the lunar
calendar, 30/4, 1/5, 2/9) and the days the government moves each year are not working days."""

from datetime import date

import pytest

from plans.models import Plan
from reporting.models import CalendarDay
from reporting.periods import default_windows, next_working_day, periods_create_for_plan

pytestmark = pytest.mark.django_db


def deadline(year, code):
    return next(w.deadline for w in default_windows(year) if w.code == code)


def test_a_cut_off_inside_tet_2024_moves_the_deadline_past_the_holiday():
    # 14/02/2024 is the last day of the Tết break (08–14/02/2024): Thursday 15/02.
    assert deadline(2024, "2024-02") == date(2024, 2, 15)
    assert next_working_day(date(2024, 2, 7)) == date(2024, 2, 15)


def test_a_cut_off_just_before_tet_2026_waits_for_the_end_of_the_break():
    # 14/02/2026 is a Saturday; Tết runs 16–20/02/2026; the weekend follows.
    assert deadline(2026, "2026-02") == date(2026, 2, 23)


def test_30_april_and_1_may_are_not_working_days():
    # 2025: Wednesday 30/4, Thursday 1/5, and Friday 2/5 given off in exchange for 26/4.
    assert next_working_day(date(2025, 4, 29)) == date(2025, 5, 5)
    assert next_working_day(date(2023, 4, 28)) == date(2023, 5, 4)


def test_national_day_is_not_a_working_day():
    assert next_working_day(date(2025, 8, 29)) == date(2025, 9, 3)
    assert next_working_day(date(2024, 8, 30)) == date(2024, 9, 4)


def test_a_make_up_working_saturday_entered_by_phong_kinh_te_counts():
    assert next_working_day(date(2025, 4, 25)) == date(2025, 4, 28)
    CalendarDay.objects.create(
        day=date(2025, 4, 26), kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù cho 02/5/2025"
    )
    assert next_working_day(date(2025, 4, 25)) == date(2025, 4, 26)


def test_an_extra_day_off_entered_by_phong_kinh_te_moves_the_deadline():
    CalendarDay.objects.create(day=date(2024, 3, 15), kind=CalendarDay.Kind.DAY_OFF)
    assert deadline(2024, "2024-q1") == date(2024, 3, 18)


def test_create_periods_uses_the_working_calendar(unit):
    plan = Plan.objects.create(
        year=2024,
        title="Kế hoạch 2024",
        unit=unit("thanh-pho-lai-chau"),
        issuer="UBND thành phố Lai Châu",
    )
    periods_create_for_plan(plan=plan)
    february = plan.periods.get(code="2024-02")
    assert (february.ends_on, february.deadline) == (date(2024, 2, 14), date(2024, 2, 15))
