"""A task's latest status in each unit, one rule for the dashboard and every file.

A unit may report on a task in several periods; what counts is what it said last in a
counted report (Report.Status.counted) of a period ended by the cut-off. Periods ending
the same day are ordered as the value rule orders figures (reporting.values.precedence):
Quý 2 and "6 tháng đầu năm" both end on 14/06, and the six-month report, covering more
of the year, speaks last; then the period's position. The dashboard once broke that tie
by the order rows came back in and the Excel file by position, so the two could show one
task in two states.
"""

from datetime import date
from typing import NamedTuple

from plans.models import Plan

from .models import Report, TaskProgress
from .values import precedence


class LatestProgress(NamedTuple):
    status: str
    narrative: str
    period_name: str


def latest_task_progress(
    plan: Plan, *, include_submitted: bool, as_of: date | None = None, narratives: bool = True
) -> dict[tuple[int, int], LatestProgress]:
    """(task id, unit id) → the latest counted progress, up to `as_of` when given.

    One query, streamed. Without `narratives` the text is left out (blank): a dashboard
    needs only the status, and a national plan's narratives are megabytes.
    """
    progress = TaskProgress.objects.filter(
        report__period__plan=plan,
        report__status__in=Report.Status.counted(include_submitted=include_submitted),
    )
    if as_of is not None:
        progress = progress.filter(report__period__ends_on__lte=as_of)
    fields = [
        "task_id",
        "report__unit_id",
        "report__period__ends_on",
        "report__period__kind",
        "report__period__position",
        "report__period_id",
        "status",
        "report__period__name",
    ]
    rows = progress.values_list(*fields, *(["narrative"] if narratives else [])).iterator(
        chunk_size=2000
    )
    latest: dict[tuple[int, int], tuple[tuple[date, int, int, int], LatestProgress]] = {}
    for task_id, unit_id, ends_on, kind, position, period_id, status, name, *said in rows:
        key = (task_id, unit_id)
        order = (*precedence(ends_on, kind), position, period_id)
        known = latest.get(key)
        if known is None or known[0] < order:
            latest[key] = (order, LatestProgress(status, said[0] if said else "", name))
    return {key: progress for key, (_order, progress) in latest.items()}
