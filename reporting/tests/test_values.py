"""The value rule on its own: what a unit's figures add up to, read after any figure."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.values import PeriodFigure, ValueToDate, precedence, value_to_date

MONTH, QUARTER, HALF, NINE, YEAR = "thang", "quy", "6t", "9t", "nam"


def fig(kind, month, value):
    return PeriodFigure(kind, date(2023, month, 14), Decimal(value))


def test_a_stock_is_its_latest_figure_and_the_wider_period_on_the_same_day():
    found = value_to_date([fig(QUARTER, 6, 90), fig(MONTH, 3, 50), fig(HALF, 6, 95)], False)
    assert found.value == 95
    assert found.ends_on == date(2023, 6, 14)
    assert found.used == [fig(HALF, 6, 95)]


def test_a_flow_is_summed_within_one_kind_and_never_across_kinds():
    months = [fig(MONTH, m, 10) for m in (1, 2, 3, 4)]
    found = value_to_date([*months, fig(QUARTER, 3, 25)], True)
    # The months reach 14/04, further than the quarter: their sum, not 25 + 40.
    assert found.value == 40
    assert found.used == months


def test_a_cumulative_kind_is_its_latest_figure_and_wins_on_its_day():
    found = value_to_date([fig(QUARTER, 3, 20), fig(QUARTER, 6, 30), fig(HALF, 6, 55)], True)
    assert found.value == 55
    found = value_to_date([fig(NINE, 9, 80), fig(YEAR, 12, 120), fig(QUARTER, 12, 5)], True)
    assert found.value == 120


def test_the_value_can_be_read_after_each_figure():
    found: ValueToDate[PeriodFigure] = ValueToDate(True, marked=lambda f: f.value == 7)
    assert found.value is None and found.used == [] and not found.any_marked
    seen = []
    for row in [fig(MONTH, 1, 5), fig(MONTH, 2, 7), fig(QUARTER, 3, 20), fig(MONTH, 3, 1)]:
        found.add(row)
        seen.append((found.value, found.any_marked))
    # On 14/03 the quarter (rank 2) beats the three months (rank 1).
    assert seen == [(5, False), (12, True), (20, False), (20, False)]


def test_figures_out_of_date_order_are_refused():
    found: ValueToDate[PeriodFigure] = ValueToDate(True)
    found.add(fig(MONTH, 5, 1))
    with pytest.raises(ValueError, match="date order"):
        found.add(fig(MONTH, 4, 1))


def test_precedence_orders_by_end_then_by_coverage():
    assert precedence(date(2023, 6, 14), HALF) > precedence(date(2023, 6, 14), QUARTER)
    assert precedence(date(2023, 7, 14), MONTH) > precedence(date(2023, 6, 14), HALF)
