"""What waits for Phòng Kinh tế's review: the queue, and the next report after this one.

The queue holds the submitted reports, the oldest submission first (the one waiting
longest is reviewed first), each with whether it came in late, how many days it has been
waiting and how many of its figures are flagged (a data-quality warning or a follow-up
mark, reporting.quality). One query for the reports, one for the flags, whatever their
number.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from plans.models import Plan

from .models import FigureFlag, Report


@dataclass
class QueueItem:
    report: Report
    days_waiting: int
    flagged: int

    @property
    def is_clean(self) -> bool:
        """Nothing flagged: it may be approved with others at once."""
        return self.flagged == 0


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
        )
    )
    return [
        QueueItem(
            report=report,
            days_waiting=(today - timezone.localdate(report.submitted_at)).days
            if report.submitted_at
            else 0,
            flagged=report.flagged,
        )
        for report in reports
    ]


def next_waiting(report: Report) -> Report | None:
    """The report to review after this one: the next oldest waiting, else the oldest
    (one query)."""
    waiting = waiting_reports(report.period.plan).exclude(pk=report.pk)
    if report.status == Report.Status.SUBMITTED and report.submitted_at is not None:
        later = Q(submitted_at__gt=report.submitted_at) | Q(
            submitted_at=report.submitted_at, pk__gt=report.pk
        )
        waiting = waiting.annotate(
            wraps=Case(When(later, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("wraps", "submitted_at", "pk")
    return waiting.first()


def unexplained_flags(report: Report) -> list[FigureFlag]:
    """The data-quality warnings on a report still waiting for the official's explanation;
    a report with any cannot be sent (services.report_submit)."""
    return list(
        FigureFlag.objects.filter(
            report=report, kind=FigureFlag.Kind.CHECK, is_open=True, explanation=""
        ).select_related("indicator")
    )
