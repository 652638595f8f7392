"""Running totals per area, indicator and cut-off date, so that a dashboard for the whole
country reads a few hundred rows instead of adding up millions of figures.

Only a change of a report's status changes what dashboards count (drafts and returned
reports never count, and only they can be edited), so the workflow services call
`snapshot` before and `apply` after each status change, in the same transaction.
`rebuild` recomputes everything from the figures; `differences` proves the two agree.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Q

from plans.models import AdministrativeUnit, Plan
from plans.selectors import grassroots_units

from .models import AreaTotal, Indicator, PlanTotals, Report, ReportFigure, ReportingPeriod
from .values import series

SUBMITTED = Report.Status.SUBMITTED
FLOW = Indicator.Behaviour.FLOW
# Totals are kept for both readings of the dashboard: approved only, and with submitted.
COUNTED = {flag: set(Report.Status.counted(include_submitted=flag)) for flag in (False, True)}
ZERO = Decimal(0)
# Remembered on the plan object, as Django caches related objects on it.
_KEPT = "_totals_kept"
UNITS_PER_QUERY = 200
# Seven parameters a row: well under SQLite's 32.766 (PostgreSQL gets one array a column).
ROWS_PER_STATEMENT = 1000
# Flags of a figure in `values.series`: from a submitted report; from the report whose
# status is changing (whether it counts as submitted depends on the side of the change).
SUBMITTED_FLAG, OWN_FLAG = 1, 2
# What a status change adds to, in the order of `Changes`' lists.
ADDED = ("value", "units", "value_incl_submitted", "units_incl_submitted", "units_with_submitted")

# (indicator_id, cutoff, include_submitted) -> (value, rests on a submitted report)
UnitValues = dict[tuple[int, date, bool], tuple[Decimal, bool]]
# (area, cutoff, include_submitted, indicator): the key of an AreaTotal
TotalKey = tuple[int, date, bool, int]
# (indicator_id, cutoff) -> what to add to an AreaTotal's value, units,
# value_incl_submitted, units_incl_submitted and units_with_submitted
Changes = dict[tuple[int, date], list]


def cutoffs(plan: Plan) -> list[date]:
    return sorted(set(plan.periods.values_list("ends_on", flat=True)))


def cutoff_for(cuts: list[date], as_of: date) -> date | None:
    """The last period end on or before `as_of`: the figures counted are the same."""
    index = bisect_right(cuts, as_of)
    return cuts[index - 1] if index else None


def _series(
    figs: list[tuple[date, str, str, Decimal]],
    is_flow: bool,
    cuts: list[date],
    out: UnitValues,
    indicator_id: int,
) -> None:
    """The unit's value at each cut-off, by the one value rule (reporting.values), in one
    pass over its figures (ends_on, kind, status, value) per class."""
    for include_submitted, counted in COUNTED.items():
        rows = sorted(
            (
                (ends_on, kind, value, SUBMITTED_FLAG if status == SUBMITTED else 0)
                for ends_on, kind, status, value in figs
                if status in counted
            ),
            key=itemgetter(0),
        )
        if not rows:
            continue
        for cut, found in zip(cuts, series(rows, is_flow, cuts), strict=True):
            if found is not None:
                out[(indicator_id, cut, include_submitted)] = (found[0], found[1] > 0)


def unit_values(
    plan: Plan, unit_ids: Iterable[int], cuts: list[date] | None = None
) -> dict[int, UnitValues]:
    """Each unit's value for each indicator, cut-off and class, from its figures (one query)."""
    cuts = cuts if cuts is not None else cutoffs(plan)
    grouped: dict[tuple[int, int], list[tuple[date, str, str, Decimal]]] = defaultdict(list)
    behaviours: dict[int, str] = {}
    figures = ReportFigure.objects.filter(
        report__period__plan=plan,
        report__status__in=Report.Status.counted(include_submitted=True),
        report__unit_id__in=list(unit_ids),
    )
    for unit_id, indicator_id, behaviour, kind, ends_on, status, value in figures.values_list(
        "report__unit_id",
        "indicator_id",
        "indicator__behaviour",
        "report__period__kind",
        "report__period__ends_on",
        "report__status",
        "value",
    ):
        grouped[(unit_id, indicator_id)].append((ends_on, kind, status, value))
        behaviours[indicator_id] = behaviour
    result: dict[int, UnitValues] = defaultdict(dict)
    for (unit_id, indicator_id), figs in grouped.items():
        is_flow = behaviours[indicator_id] == Indicator.Behaviour.FLOW
        _series(figs, is_flow, cuts, result[unit_id], indicator_id)
    return result


def _area_paths(plan: Plan) -> dict[str, int]:
    """The plan's unit and every unit between it and the communes: the areas kept."""
    units = AdministrativeUnit.objects.filter(
        Q(pk=plan.unit_id) | Q(path__startswith=f"{plan.unit.path}/")
    ).exclude(kind__in=AdministrativeUnit.GRASSROOTS)
    return dict(units.values_list("path", "pk"))


def _areas_of(path: str, area_paths: dict[str, int]) -> list[int]:
    parts = path.split("/")
    return [
        area_paths["/".join(parts[:depth])]
        for depth in range(1, len(parts) + 1)
        if "/".join(parts[:depth]) in area_paths
    ]


def _reporting_units(plan: Plan) -> list[tuple[int, str]]:
    return [(plan.unit_id, plan.unit.path)] + list(
        grassroots_units(plan).order_by("pk").values_list("pk", "path")
    )


def recompute(plan: Plan) -> dict[TotalKey, list]:
    """(area, cutoff, include_submitted, indicator) -> [value, units, units_with_submitted]."""
    cuts = cutoffs(plan)
    area_paths = _area_paths(plan)
    units = _reporting_units(plan)
    totals: dict = {}
    for start in range(0, len(units), UNITS_PER_QUERY):
        chunk = dict(units[start : start + UNITS_PER_QUERY])
        for unit_id, values in unit_values(plan, chunk, cuts).items():
            areas = _areas_of(chunk[unit_id], area_paths)
            for (indicator_id, cut, include_submitted), (value, submitted) in values.items():
                for area_id in areas:
                    entry = totals.setdefault(
                        (area_id, cut, include_submitted, indicator_id), [ZERO, 0, 0]
                    )
                    entry[0] += value
                    entry[1] += 1
                    entry[2] += int(submitted)
    return totals


def stored(plan: Plan) -> dict[TotalKey, list]:
    """The kept totals, in the shape of `recompute`: one entry a reading with a unit."""
    found: dict[TotalKey, list] = {}
    for area, cut, indicator, value, units, value_all, units_all, with_submitted in (
        AreaTotal.objects.filter(plan=plan)
        .filter(Q(units__gt=0) | Q(units_incl_submitted__gt=0))
        .values_list(
            "area_id",
            "cutoff",
            "indicator_id",
            "value",
            "units",
            "value_incl_submitted",
            "units_incl_submitted",
            "units_with_submitted",
        )
    ):
        if units > 0:
            found[(area, cut, False, indicator)] = [value, units, 0]
        if units_all > 0:
            found[(area, cut, True, indicator)] = [value_all, units_all, with_submitted]
    return found


def differences(plan: Plan) -> list[tuple]:
    """Every total that is not what a recomputation from the figures gives: (key, kept, right)."""
    kept, right = stored(plan), recompute(plan)
    return [
        (key, kept.get(key), right.get(key))
        for key in sorted(kept.keys() | right.keys(), key=str)
        if kept.get(key) != right.get(key)
    ]


@transaction.atomic
def rebuild(plan: Plan) -> int:
    """Recompute a plan's totals from its figures and mark them as kept from now on."""
    Plan.objects.select_for_update().get(pk=plan.pk)
    # Taken by `apply` too: an approval waits for the rebuild, or the rebuild for it.
    list(PlanTotals.objects.select_for_update().filter(plan_id=plan.pk).values_list("pk"))
    rows: dict[tuple[int, date, int], AreaTotal] = {}
    for (area_id, cut, include_submitted, indicator_id), (value, units, with_submitted) in sorted(
        recompute(plan).items()
    ):
        row = rows.get((area_id, cut, indicator_id))
        if row is None:
            row = rows[(area_id, cut, indicator_id)] = AreaTotal(
                plan=plan, area_id=area_id, cutoff=cut, indicator_id=indicator_id
            )
        if include_submitted:
            row.value_incl_submitted, row.units_incl_submitted = value, units
            row.units_with_submitted = with_submitted
        else:
            row.value, row.units = value, units
    AreaTotal.objects.filter(plan=plan).delete()
    # In the order of the key: an approval's rows lie together.
    AreaTotal.objects.bulk_create((rows[key] for key in sorted(rows)), batch_size=2000)
    PlanTotals.objects.update_or_create(plan=plan)
    vars(plan)[_KEPT] = True
    return len(rows)


def is_kept(plan: Plan) -> bool:
    """Whether the plan's totals are kept; asked once per plan object (a page asks often)."""
    known = vars(plan)
    if _KEPT not in known:
        known[_KEPT] = PlanTotals.objects.filter(plan_id=plan.pk).exists()
    return bool(known[_KEPT])


@dataclass(frozen=True)
class Snapshot:
    """What `apply` needs from before a status change: the status the report had."""

    status: str


def snapshot(report: Report) -> Snapshot | None:
    """Taken before a status change; None when the unit's figures count in no kept total.

    Two approvals in one plan add to the same rows (the plan's own area at least): they
    take turns on the plan's PlanTotals row, taken here, before the status changes, by the
    query that also tells whether the totals are kept; `rebuild` takes it too, so neither
    can wait for the other's rows in a different order.
    """
    plan = report.period.plan
    unit = report.unit
    reports_here = unit.pk == plan.unit_id or (
        unit.is_grassroots and unit.path.startswith(f"{plan.unit.path}/")
    )
    if not reports_here:
        return None
    with connection.cursor() as cursor:
        # Hand-written: the ORM took longer to build it than to run it.
        cursor.execute(
            f"SELECT 1 FROM {connection.ops.quote_name(PlanTotals._meta.db_table)}"
            " WHERE plan_id = %s"
            + (" FOR UPDATE" if connection.features.has_select_for_update else ""),
            [plan.pk],
        )
        kept = vars(plan)[_KEPT] = cursor.fetchone() is not None
    return Snapshot(report.status) if kept else None


def _changes(report: Report, before: Snapshot) -> Changes:
    """What the report's status change adds to each of its unit's totals, from one read.

    Only what the report can move: its indicators, at the cut-offs from its period's end
    on (earlier values do not contain its figures), in the classes where it starts or stops
    counting or where it counts on both sides but stops or starts being a submitted one
    (approving: the with-submitted values stay, only their mark moves). Each indicator's
    series is worked out once where the report counts on both sides, else once with its
    figures and once without (reporting.values.series, the one value rule).
    """
    plan = report.period.plan
    own_before, own_after = before.status == SUBMITTED, report.status == SUBMITTED
    classes = [
        (include_submitted, counted, before.status in counted, report.status in counted)
        for include_submitted, counted in COUNTED.items()
    ]
    classes = [
        (include_submitted, counted, was, now)
        for include_submitted, counted, was, now in classes
        if (was or now) and not (was and now and own_before == own_after)
    ]
    if not classes:
        return {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Hand-written: the ORM took longer to build these two queries than to run them.
        cursor.execute(
            f"SELECT id, ends_on, kind FROM {quote(ReportingPeriod._meta.db_table)}"
            " WHERE plan_id = %s",
            [plan.pk],
        )
        periods = {pk: (ends_on, kind) for pk, ends_on, kind in cursor.fetchall()}
        cuts = sorted(
            {ends_on for ends_on, _ in periods.values() if ends_on >= report.period.ends_on}
        )
        cursor.execute(
            "SELECT f.indicator_id, i.behaviour, r.period_id, f.report_id, r.status, f.value"
            f" FROM {quote(ReportFigure._meta.db_table)} f"
            f" JOIN {quote(Report._meta.db_table)} r ON r.id = f.report_id"
            f" JOIN {quote(ReportingPeriod._meta.db_table)} p ON p.id = r.period_id"
            f" JOIN {quote(Indicator._meta.db_table)} i ON i.id = f.indicator_id"
            " WHERE p.plan_id = %s AND r.unit_id = %s"
            f" AND (r.status IN ({', '.join(['%s'] * len(COUNTED[True]))}) OR r.id = %s)"
            " ORDER BY f.indicator_id, p.ends_on, p.position",
            [plan.pk, report.unit_id, *COUNTED[True], report.pk],
        )
        figures = cursor.fetchall()
    # indicator -> its figures (ends_on, kind, value, status; None for the report's own,
    # whose status differs on the two sides), and whether it is a flow
    grouped: dict[int, tuple[list[tuple[date, str, Decimal, str | None]], bool]] = {}
    own_id, reported = report.pk, set()  # the indicators the report has
    for indicator_id, behaviour, period_id, report_id, status, value in figures:
        entry = grouped.get(indicator_id)
        if entry is None:
            entry = grouped[indicator_id] = ([], behaviour == FLOW)
        if type(value) is not Decimal:
            value = Decimal(str(value))  # SQLite keeps a decimal as a float
        if report_id == own_id:
            reported.add(indicator_id)
            status = None
        entry[0].append((*periods[period_id], value, status))
    changes: Changes = {}
    for include_submitted, counted, was, now in classes:
        flags: dict[str | None, int] = {
            status: SUBMITTED_FLAG if status == SUBMITTED else 0 for status in counted
        }
        flags[None] = OWN_FLAG
        value_at, units_at = (2, 3) if include_submitted else (0, 1)
        for indicator_id in reported:  # an indicator the report does not have moves nothing
            figs, is_flow = grouped[indicator_id]
            rows = [
                (ends_on, kind, value, flags[status])
                for ends_on, kind, value, status in figs
                if status in flags
            ]
            with_own = series(rows, is_flow, cuts)
            if was and now:
                # The same value on both sides; only whether it rests on a submitted
                # report can move, where it rests on the report and on no other one.
                moved = int(own_after) - int(own_before)
                for cut, found in zip(cuts, with_own, strict=True):
                    if found is not None and found[1] == OWN_FLAG:
                        _entry(changes, (indicator_id, cut))[4] += moved
                continue
            without = series([row for row in rows if row[3] != OWN_FLAG], is_flow, cuts)
            # Whether each side's value rests on a submitted report: another one's
            # figure, or the report's own while it is a submitted one (never where only
            # approved reports count).
            own_marked = own_after if now else own_before
            for cut, mine, other in zip(cuts, with_own, without, strict=True):
                if mine is None:
                    continue  # nothing on either side: the report's figures come later
                marked = int(bool(mine[1] & SUBMITTED_FLAG or (own_marked and mine[1] & OWN_FLAG)))
                if other is None:
                    value, units = mine[0], 1
                elif mine[0] == other[0] and marked == bool(other[1]):
                    continue
                else:
                    value, units, marked = mine[0] - other[0], 0, marked - bool(other[1])
                sign = 1 if now else -1  # the report's figures come in, or go
                added = _entry(changes, (indicator_id, cut))
                added[value_at] += value * sign
                added[units_at] += units * sign
                if include_submitted:
                    added[4] += marked * sign
    return changes


def _entry(changes: Changes, key: tuple[int, date]) -> list:
    entry = changes.get(key)
    if entry is None:
        entry = changes[key] = [ZERO, 0, ZERO, 0, 0]
    return entry


def apply(report: Report, before: Snapshot | None) -> None:
    """Add the difference the status change made to the totals of every area over the
    unit, `snapshot` having taken the plan's turn."""
    if before is None or before.status == report.status:
        return
    changes = _changes(report, before)
    if not changes:
        return
    plan = report.period.plan
    # The areas whose totals the unit's figures are in: the plan's unit and every unit
    # between it and the unit (by path), not the commune itself.
    parts = report.unit.path.split("/")
    depth = plan.unit.path.count("/") + 1
    prefixes = ["/".join(parts[:end]) for end in range(depth, len(parts) + 1)]
    if _add(plan.pk, prefixes, changes):
        raise RuntimeError("running totals out of step with the figures: run rebuild_totals")


def _add(plan_id: int, prefixes: list[str], changes: Changes) -> int:
    """Add each change to the kept total of each area (the units of those paths that are
    not communes), making the totals missing, in one statement: on PostgreSQL the changes
    go as one array a column (a thousand rows of eight parameters cost more to send and
    plan than to write), and ON CONFLICT finds each total by the unique index, never by
    a scan. Returns how many totals fell below zero units, which only totals out of step
    with the figures can."""
    quote = connection.ops.quote_name
    grassroots = list(AdministrativeUnit.GRASSROOTS)
    insert = (
        f"INSERT INTO {quote(AreaTotal._meta.db_table)} AS t (plan_id, area_id, cutoff,"
        f" indicator_id, {', '.join(ADDED)})"
        f" SELECT %s, a.id, c.* FROM {quote(AdministrativeUnit._meta.db_table)} a CROSS JOIN "
    )
    areas = (
        f" WHERE a.path IN ({', '.join(['%s'] * len(prefixes))})"
        f" AND a.kind NOT IN ({', '.join(['%s'] * len(grassroots))})"
    )
    upsert = (
        " ON CONFLICT (plan_id, area_id, cutoff, indicator_id) DO UPDATE SET "
        + ", ".join(f"{column} = t.{column} + excluded.{column}" for column in ADDED)
        + " RETURNING units, units_incl_submitted, units_with_submitted"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH added AS ({insert}unnest(%s::date[], %s::bigint[], %s::numeric[],"
                " %s::integer[], %s::numeric[], %s::integer[], %s::integer[])"
                f" AS c{areas}{upsert}) SELECT count(*) FROM added"
                " WHERE units < 0 OR units_incl_submitted < 0 OR units_with_submitted < 0",
                [
                    plan_id,
                    _array(cut for _, cut in changes),
                    _array(indicator_id for indicator_id, _ in changes),
                    *(_array(column) for column in zip(*changes.values(), strict=True)),
                    *prefixes,
                    *grassroots,
                ],
            )
            return int(cursor.fetchone()[0])
        rows = [(cut, indicator_id, *added) for (indicator_id, cut), added in changes.items()]
        below_zero = 0
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                f"{insert}(VALUES {', '.join(['(%s, %s, %s, %s, %s, %s, %s)'] * len(chunk))})"
                f" AS c{areas}{upsert}",
                [plan_id, *(param for row in chunk for param in row), *prefixes, *grassroots],
            )
            below_zero += sum(min(counts) < 0 for counts in cursor)
        return below_zero


def _array(items: Iterable[object]) -> str:
    """A PostgreSQL array literal of numbers or dates (their str is their literal)."""
    return "{" + ",".join(map(str, items)) + "}"
