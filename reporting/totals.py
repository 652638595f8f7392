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

from django.db import connection, transaction
from django.db.models import Q

from plans.models import AdministrativeUnit, Plan
from plans.selectors import grassroots_units

from .models import AreaTotal, Indicator, PlanTotals, Report, ReportFigure
from .values import ValueToDate

SUBMITTED = Report.Status.SUBMITTED
# Totals are kept for both readings of the dashboard: approved only, and with submitted.
COUNTED = {flag: set(Report.Status.counted(include_submitted=flag)) for flag in (False, True)}
ZERO = Decimal(0)
# Remembered on the plan object, as Django caches related objects on it.
_KEPT = "_totals_kept"
UNITS_PER_QUERY = 200
# Eight parameters a row: well under SQLite's 32.766 and PostgreSQL's 65.535.
ROWS_PER_STATEMENT = 1000

# (indicator_id, cutoff, include_submitted) -> (value, rests on a submitted report)
UnitValues = dict[tuple[int, date, bool], tuple[Decimal, bool]]
# (area, cutoff, include_submitted, indicator): the key of an AreaTotal
TotalKey = tuple[int, date, bool, int]


@dataclass
class _Fig:
    ends_on: date
    kind: str
    status: str
    value: Decimal


def cutoffs(plan: Plan) -> list[date]:
    return sorted(set(plan.periods.values_list("ends_on", flat=True)))


def cutoff_for(cuts: list[date], as_of: date) -> date | None:
    """The last period end on or before `as_of`: the figures counted are the same."""
    index = bisect_right(cuts, as_of)
    return cuts[index - 1] if index else None


def _is_submitted(fig: _Fig) -> bool:
    return fig.status == SUBMITTED


def _series(
    figs: list[_Fig], is_flow: bool, cuts: list[date], out: UnitValues, indicator_id: int
) -> None:
    """The unit's value at each cut-off, by the one value rule (reporting.values), in one
    pass over its figures: each is fed once and the value read at every cut-off."""
    for include_submitted, counted in COUNTED.items():
        rows = sorted((f for f in figs if f.status in counted), key=lambda f: f.ends_on)
        if not rows:
            continue
        i = 0
        found: ValueToDate[_Fig] = ValueToDate(is_flow, marked=_is_submitted)
        for cut in cuts:
            while i < len(rows) and rows[i].ends_on <= cut:
                found.add(rows[i])
                i += 1
            if found.value is not None:
                out[(indicator_id, cut, include_submitted)] = (found.value, found.any_marked)


def unit_values(
    plan: Plan, unit_ids: Iterable[int], cuts: list[date] | None = None
) -> dict[int, UnitValues]:
    """Each unit's value for each indicator, cut-off and class, from its figures (one query)."""
    cuts = cuts if cuts is not None else cutoffs(plan)
    grouped: dict[tuple[int, int], list[_Fig]] = defaultdict(list)
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
        grouped[(unit_id, indicator_id)].append(_Fig(ends_on, kind, status, value))
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
    return {
        (area, cut, incl, indicator): [value, units, with_submitted]
        for area, cut, incl, indicator, value, units, with_submitted in AreaTotal.objects.filter(
            plan=plan, units__gt=0
        ).values_list(
            "area_id",
            "cutoff",
            "include_submitted",
            "indicator_id",
            "value",
            "units",
            "units_with_submitted",
        )
    }


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
    totals = recompute(plan)
    AreaTotal.objects.filter(plan=plan).delete()
    AreaTotal.objects.bulk_create(
        (
            AreaTotal(
                plan=plan,
                area_id=area_id,
                cutoff=cut,
                include_submitted=include_submitted,
                indicator_id=indicator_id,
                value=value,
                units=units,
                units_with_submitted=with_submitted,
            )
            for (area_id, cut, include_submitted, indicator_id), (
                value,
                units,
                with_submitted,
            ) in sorted(totals.items())
        ),
        batch_size=2000,
    )
    PlanTotals.objects.update_or_create(plan=plan)
    vars(plan)[_KEPT] = True
    return len(totals)


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
    """Taken before a status change; None when the unit's figures count in no kept total."""
    plan = report.period.plan
    unit = report.unit
    reports_here = unit.pk == plan.unit_id or (
        unit.is_grassroots and unit.path.startswith(f"{plan.unit.path}/")
    )
    if not reports_here or not is_kept(plan):
        return None
    return Snapshot(report.status)


def _values_before_and_after(report: Report, before: Snapshot) -> tuple[UnitValues, UnitValues]:
    """The unit's values before and after the report's status changed, from one read.

    Only what the report can move: its indicators, at the cut-offs from its period's end
    on (earlier values do not contain its figures). The unit's other figures are read
    once and fed twice, the report's own with its old status, then with its new one.
    """
    plan = report.period.plan
    cuts = [cut for cut in cutoffs(plan) if cut >= report.period.ends_on]
    counted = Report.Status.counted(include_submitted=True)
    figures = ReportFigure.objects.filter(
        Q(report__status__in=counted) | Q(report=report),
        report__period__plan=plan,
        report__unit_id=report.unit_id,
        indicator_id__in=report.figures.values("indicator_id"),
    ).order_by("indicator_id", "report__period__ends_on", "report__period__position")
    grouped: dict[int, list[tuple[date, str, str | None, Decimal]]] = defaultdict(list)
    flows: set[int] = set()
    for indicator_id, behaviour, kind, ends_on, report_id, status, value in figures.values_list(
        "indicator_id",
        "indicator__behaviour",
        "report__period__kind",
        "report__period__ends_on",
        "report_id",
        "report__status",
        "value",
    ):
        grouped[indicator_id].append(
            (ends_on, kind, None if report_id == report.pk else status, value)
        )
        if behaviour == Indicator.Behaviour.FLOW:
            flows.add(indicator_id)
    result: tuple[UnitValues, UnitValues] = ({}, {})
    for out, status in zip(result, (before.status, report.status), strict=True):
        for indicator_id, rows in grouped.items():
            figs = [
                _Fig(ends_on, kind, own if own is not None else status, value)
                for ends_on, kind, own, value in rows
            ]
            _series(figs, indicator_id in flows, cuts, out, indicator_id)
    return result


def apply(report: Report, before: Snapshot | None) -> None:
    if before is None or before.status == report.status:
        return
    plan = report.period.plan
    old_values, new_values = _values_before_and_after(report, before)
    deltas = {}
    for key in old_values.keys() | new_values.keys():
        old, new = old_values.get(key), new_values.get(key)
        if old == new:
            continue
        deltas[key] = (
            (new[0] if new else ZERO) - (old[0] if old else ZERO),
            (1 if new else 0) - (1 if old else 0),
            (1 if new and new[1] else 0) - (1 if old and old[1] else 0),
        )
    if not deltas:
        return
    areas = _areas_of(report.unit.path, _area_paths(plan))
    rows = sorted(
        (area_id, cut, incl, indicator_id, *delta)
        for (indicator_id, cut, incl), delta in deltas.items()
        for area_id in areas
    )
    # Two approvals in one plan add to the same rows (the plan's own area at least): they
    # take turns on the plan's PlanTotals row, which `rebuild` takes too, so neither can
    # wait for the other's rows in a different order.
    list(PlanTotals.objects.select_for_update().filter(plan_id=plan.pk).values_list("pk"))
    growing = [row for row in rows if row[5] >= 0 and row[6] >= 0]
    shrinking = [row for row in rows if row[5] < 0 or row[6] < 0]
    table = connection.ops.quote_name(AreaTotal._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(growing), ROWS_PER_STATEMENT):
            chunk = growing[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO {table} (plan_id, area_id, cutoff, include_submitted, "
                "indicator_id, value, units, units_with_submitted) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (plan_id, area_id, cutoff, include_submitted, indicator_id)"
                f" DO UPDATE SET value = {table}.value + excluded.value,"
                f" units = {table}.units + excluded.units,"
                f" units_with_submitted = {table}.units_with_submitted"
                " + excluded.units_with_submitted",
                [param for row in chunk for param in (plan.pk, *row)],
            )
        for start in range(0, len(shrinking), ROWS_PER_STATEMENT):
            chunk = shrinking[start : start + ROWS_PER_STATEMENT]
            # VALUES columns are column1, column2, … on both databases.
            cursor.execute(
                f"UPDATE {table} SET value = {table}.value + d.column5,"
                f" units = {table}.units + d.column6,"
                f" units_with_submitted = {table}.units_with_submitted + d.column7"
                " FROM (VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                + f") AS d WHERE {table}.plan_id = %s AND {table}.area_id = d.column1"
                f" AND {table}.cutoff = d.column2 AND {table}.include_submitted = d.column3"
                f" AND {table}.indicator_id = d.column4",
                [param for row in chunk for param in row] + [plan.pk],
            )
            if cursor.rowcount != len(chunk):
                raise RuntimeError(
                    "running totals out of step with the figures: run rebuild_totals"
                )
