"""How a unit's figures add up to its value to date, one rule for every reader.

A stock (hectares, herds) is its latest figure; a flow (tonnes, kilometres) is the sum of
its periods' amounts. Periods of several lengths end on the same days (Quý 2 and
"6 tháng đầu năm" both end on 14/06), so when two reach the same date the one that
covers more of the year is preferred, and a flow is summed within one kind of period
only, never across kinds, so a month is never counted again inside its quarter.

The dashboard (one value per unit), the running totals (a value at every cut-off, for
3.332 communes × 100 indicators at once) and a report's cumulative (lũy kế) all read it
through `ValueToDate`: rows are fed in date order and the value can be read after any of
them, so a series over every cut-off costs one pass over the rows, not one per cut-off.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Generic, NamedTuple, Protocol, TypeVar

from .models import ReportingPeriod

Kind = ReportingPeriod.Kind

# A period that covers the year so far is preferred over a sum of shorter ones
# when both reach the same date.
KIND_RANK: dict[str, int] = {
    Kind.ANNUAL: 5,
    Kind.NINE_MONTHS: 4,
    Kind.SIX_MONTHS: 3,
    Kind.QUARTERLY: 2,
    Kind.MONTHLY: 1,
}
# Kinds whose figure for a flow is already the amount since the year's start.
CUMULATIVE_KINDS: frozenset[str] = frozenset({Kind.SIX_MONTHS, Kind.NINE_MONTHS, Kind.ANNUAL})


def precedence(ends_on: date, kind: str) -> tuple[date, int]:
    """Which of two periods speaks last: the later end, then the one covering more of the
    year. The value rule and the latest task status both order periods by it."""
    return (ends_on, KIND_RANK[kind])


class Figure(Protocol):
    """What the rule needs of a figure: its period's kind and end, and the number."""

    @property
    def kind(self) -> str: ...

    @property
    def ends_on(self) -> date: ...

    @property
    def value(self) -> Decimal: ...


F = TypeVar("F", bound=Figure)


class PeriodFigure(NamedTuple):
    """A figure as the rule reads it, for a reader with no row type of its own."""

    kind: str
    ends_on: date
    value: Decimal


class _KindState(Generic[F]):
    """One kind of period's contribution so far: its latest figure or its running sum."""

    __slots__ = ("ends_on", "marked", "rank", "used", "value")

    def __init__(self, row: F, rank: int, marked: bool) -> None:
        self.ends_on = row.ends_on
        self.rank = rank
        self.value = row.value
        self.used = [row]
        self.marked = int(marked)


class ValueToDate(Generic[F]):
    """One unit's value for one indicator, from its figures fed in date order.

    Each kind of period keeps its latest figure (a stock, or a flow reported as the
    amount since the year's start: 6 tháng, 9 tháng, năm) or the sum of its figures (a
    flow reported per month or quarter); the value is that of the kind that reaches
    furthest, by `precedence`. Among figures of one kind ending the same day, the first
    fed is kept. `marked` flags rows (a submitted report) so that whether the value rests
    on one is known at any point without going over the rows again.
    """

    __slots__ = ("_best", "_is_flow", "_kinds", "_last", "_marked")

    def __init__(self, is_flow: bool, marked: Callable[[F], bool] | None = None) -> None:
        self._is_flow = is_flow
        self._marked = marked
        self._kinds: dict[str, _KindState[F]] = {}
        self._best: _KindState[F] | None = None
        self._last: date | None = None

    def add(self, row: F) -> None:
        if self._last is not None and row.ends_on < self._last:
            raise ValueError("figures must be fed in date order")
        self._last = row.ends_on
        marked = self._marked is not None and self._marked(row)
        state = self._kinds.get(row.kind)
        if state is None:
            state = self._kinds[row.kind] = _KindState(row, KIND_RANK[row.kind], marked)
        elif not self._is_flow or row.kind in CUMULATIVE_KINDS:
            # A stock, or a flow already counted from the year's start: the latest figure.
            if row.ends_on > state.ends_on:
                state.ends_on, state.value, state.used = row.ends_on, row.value, [row]
                state.marked = int(marked)
        else:
            # A flow counted per month or per quarter: the sum of its periods.
            state.ends_on = row.ends_on
            state.value += row.value
            state.used.append(row)
            state.marked += marked
        # Only the kind just fed has moved, and it ends no earlier than any other.
        best = self._best
        if best is None or (state.ends_on, state.rank) > (best.ends_on, best.rank):
            self._best = state

    def extend(self, rows: Iterable[F]) -> "ValueToDate[F]":
        for row in rows:
            self.add(row)
        return self

    @property
    def value(self) -> Decimal | None:
        """The value to date, None before any figure."""
        return self._best.value if self._best is not None else None

    @property
    def ends_on(self) -> date | None:
        """The end of the last period the value covers."""
        return self._best.ends_on if self._best is not None else None

    @property
    def used(self) -> list[F]:
        """The figures the value rests on, oldest first."""
        return list(self._best.used) if self._best is not None else []

    @property
    def any_marked(self) -> bool:
        """Whether a figure the value rests on is marked."""
        return self._best is not None and self._best.marked > 0


# A figure as `series` reads it: its period's end and kind, the number, and flags (bits).
SeriesRow = tuple[date, str, Decimal, int]


def series(
    rows: Iterable[SeriesRow], is_flow: bool, cuts: Sequence[date]
) -> list[tuple[Decimal, int] | None]:
    """`ValueToDate`'s rule at each cut-off (ascending), for rows already in date order:
    the value to date after every row ending on or before the cut-off, and the flags of
    the figures it rests on OR-ed together (None before any figure).

    The running totals read a unit's series thousands of times an approval; this is the
    same rule as `ValueToDate.add` on plain lists, without an object per figure, and the
    tests hold the two equal on random figures. Flags are bits so that one pass can tell
    apart what the value rests on (a submitted report, the report being approved).
    """
    found: list[tuple[Decimal, int] | None] = []
    kinds: dict[str, list] = {}  # kind -> [ends_on, rank, value, flags]
    best: list | None = None
    count, read = len(cuts), 0
    for ends_on, kind, value, flags in rows:
        while read < count and cuts[read] < ends_on:
            found.append((best[2], best[3]) if best is not None else None)
            read += 1
        state = kinds.get(kind)
        if state is None:
            state = kinds[kind] = [ends_on, KIND_RANK[kind], value, flags]
        elif not is_flow or kind in CUMULATIVE_KINDS:
            if ends_on > state[0]:
                state[0], state[2], state[3] = ends_on, value, flags
        else:
            state[0] = ends_on
            state[2] += value
            state[3] |= flags
        if best is None or (state[0], state[1]) > (best[0], best[1]):
            best = state
    found.extend([(best[2], best[3]) if best is not None else None] * (count - read))
    return found


def value_to_date(
    rows: Iterable[F], is_flow: bool, marked: Callable[[F], bool] | None = None
) -> ValueToDate[F]:
    """The value of figures in any order: sorted by their period's end (ties keep their
    order), then fed."""
    return ValueToDate(is_flow, marked).extend(sorted(rows, key=lambda row: row.ends_on))
