"""The value rule on its own: what a unit's figures add up to, read after any figure."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.values import PeriodFigure, ValueToDate, precedence, series, value_to_date

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


class Flagged(NamedTuple):
    kind: str
    ends_on: date
    value: Decimal
    flags: int


@settings(max_examples=400, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 12),
            st.sampled_from([MONTH, QUARTER, HALF, NINE, YEAR]),
            st.integers(-40, 400),
            st.integers(0, 3),
        ),
        max_size=16,
    ),
    cut_days=st.sets(st.sampled_from([(1, 1), *((m, 14) for m in range(1, 13)), (12, 31)])),
    is_flow=st.booleans(),
)
def test_the_running_totals_series_is_the_value_rule_at_every_cut_off(rows, cut_days, is_flow):
    """`series`, the running totals' tight loop, gives what `ValueToDate` gives, the value
    and each flag bit, at every cut-off, on random figures of every kind, ties included."""
    figures = sorted(
        (
            Flagged(kind, date(2023, month, 14), Decimal(value) / 4, flags)
            for month, kind, value, flags in rows
        ),
        key=lambda row: row.ends_on,
    )
    cuts = sorted(date(2023, month, day) for month, day in cut_days)
    fast = series([(f.ends_on, f.kind, f.value, f.flags) for f in figures], is_flow, cuts)
    for bit in (1, 2):
        rule: ValueToDate[Flagged] = ValueToDate(is_flow, marked=lambda f, b=bit: bool(f.flags & b))
        fed = 0
        for cut, got in zip(cuts, fast, strict=True):
            while fed < len(figures) and figures[fed].ends_on <= cut:
                rule.add(figures[fed])
                fed += 1
            expected = None if rule.value is None else (rule.value, rule.any_marked)
            assert (got and (got[0], bool(got[1] & bit))) == expected
