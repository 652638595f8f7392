"""What waits for Phòng Kinh tế's review: the queue, and the next report after this one.

The queue holds the submitted reports, the oldest submission first (the one waiting
longest is reviewed first), each with whether it came in late, how many days it has been
waiting and how many of its figures are flagged (a data-quality warning or a follow-up
mark, reporting.quality). A report whose warnings are all explained and that has no
follow-up mark is clean: it may be approved with others at once. One query, whatever the
number of reports.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from plans.models import Plan

from .models import FigureFlag, Report


@dataclass
class QueueItem:
    report: Report
    days_waiting: int
    flagged: int  # figures with an open flag: a warning (explained or not), a follow-up
    blocking: int = 0  # of them, warnings not yet explained and follow-up marks

    @property
    def is_clean(self) -> bool:
        """Nothing left to settle (every warning explained, no follow-up mark): it may be
        approved with others at once."""
        return self.blocking == 0


def waiting_reports(plan: Plan) -> QuerySet[Report]:
    """The plan's submitted reports, the oldest submission first."""
    return (
        Report.objects.filter(period__plan=plan, status=Report.Status.SUBMITTED)
        .select_related("unit", "period__plan")
        .order_by("submitted_at", "pk")
    )


def review_queue(plan: Plan, today: date | None = None) -> list[QueueItem]:
    today = today or timezone.localdate()
    reports = waiting_reports(plan).annotate(
        flagged=Count(
            "figure_flags__indicator",
            filter=Q(figure_flags__is_open=True),
            distinct=True,
        ),
        blocking=Count(
            "figure_flags",
            filter=Q(figure_flags__is_open=True)
            & (Q(figure_flags__kind=FigureFlag.Kind.FOLLOW_UP) | Q(figure_flags__explanation="")),
        ),
    )
    return [
        QueueItem(
            report=report,
            days_waiting=(today - timezone.localdate(report.submitted_at)).days
            if report.submitted_at
            else 0,
            flagged=report.flagged,
            blocking=report.blocking,
        )
        for report in reports
    ]


def next_waiting(report: Report) -> Report | None:
    """The report to review after this one: the next oldest waiting, else the oldest
    (one query).

    Each candidate is found by its own LIMIT 1 in the waiting order, which the partial
    index `report_waiting` walks from its start (or from this report), rather than by
    sorting every waiting report of the plan."""
    others = (
        Report.objects.filter(period__plan=report.period.plan_id, status=Report.Status.SUBMITTED)
        .exclude(pk=report.pk)
        .order_by("submitted_at", "pk")
        .values("pk")
    )
    if report.status != Report.Status.SUBMITTED or report.submitted_at is None:
        return waiting_reports(report.period.plan).exclude(pk=report.pk).first()
    oldest = Q(pk=Subquery(others[:1]))
    # The first condition lets the index start at this report instead of filtering.
    later = Q(submitted_at__gte=report.submitted_at) & (
        Q(submitted_at__gt=report.submitted_at) | Q(pk__gt=report.pk)
    )
    return (
        waiting_reports(report.period.plan)
        .filter(Q(pk=Subquery(others.filter(later)[:1])) | oldest)
        .annotate(
            wraps=Case(When(later, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("wraps", "submitted_at", "pk")
        .first()
    )


def unexplained_flags(report: Report) -> list[FigureFlag]:
    """The data-quality warnings on a report still waiting for the official's explanation;
    a report with any cannot be sent (services.report_submit)."""
    return list(
        FigureFlag.objects.filter(
            report=report, kind=FigureFlag.Kind.CHECK, is_open=True, explanation=""
        ).select_related("indicator")
    )
