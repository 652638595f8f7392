"""The one definition of where a unit's report for a period stands.

Every list that says where a report stands (the overview grid, the official's to-do list,
the queue of reports waiting for review, the dashboard's completeness table and the
Excel's *Tiến độ báo cáo* sheet) reads it from ReportState, so no list can call a report
overdue that another calls returned. A report sent back, whether returned after review
or reopened after approval, waits for the unit's fix: it is never "Quá hạn" nor "Chưa
nộp", and the reason is on the report's page, one click away.
"""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit

from .models import Report, ReportEvent, ReportingPeriod


def with_return_step(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Each report with `return_step`: the action (returned or reopened) that last sent it
    back, in the same query."""
    last = (
        ReportEvent.objects.filter(
            report=OuterRef("pk"),
            action__in=[ReportEvent.Action.RETURNED, ReportEvent.Action.REOPENED],
        )
        .order_by("-at", "-pk")
        .values("action")[:1]
    )
    return reports.annotate(return_step=Subquery(last))


class ReportState:
    """Where a unit's report for a period stands on a given day."""

    NOT_STARTED = "chua_bat_dau"
    DRAFT = str(Report.Status.DRAFT)
    OVERDUE = "qua_han"
    SUBMITTED = str(Report.Status.SUBMITTED)
    RETURNED = str(Report.Status.RETURNED)
    REOPENED = "mo_lai"
    APPROVED = str(Report.Status.APPROVED)
    LABELS = {
        NOT_STARTED: _("Chưa bắt đầu"),
        DRAFT: _("Đang soạn"),
        OVERDUE: _("Quá hạn"),
        SUBMITTED: _("Đã gửi"),
        RETURNED: _("Bị trả lại"),
        REOPENED: _("Mở lại"),
        APPROVED: _("Đã duyệt"),
    }

    # How the completeness table and the Excel's *Tiến độ báo cáo* class the same states.
    ON_TIME = "dung_han"
    LATE = "muon"
    SENT_BACK = "tra_lai"  # returned or reopened: waiting for the unit's fix
    MISSING = "chua_nop"
    COMPLETENESS_LABELS = {
        ON_TIME: _("Đúng hạn"),
        LATE: _("Muộn"),
        SENT_BACK: _("Trả lại, chờ sửa"),
        MISSING: _("Chưa nộp"),
    }

    def __init__(
        self,
        unit: AdministrativeUnit,
        period: ReportingPeriod,
        report: Report | None,
        today: date,
    ) -> None:
        self.unit = unit
        self.period = period
        self.report = report
        status = report.status if report else None
        not_in = status in (None, Report.Status.DRAFT, Report.Status.RETURNED)
        self.is_sent_back = status == Report.Status.RETURNED
        self.code: str
        if self.is_sent_back:
            # Sent and sent back: waiting for the unit's fix, whatever the deadline says.
            reopened = getattr(report, "return_step", None) == ReportEvent.Action.REOPENED
            self.code = self.REOPENED if reopened else self.RETURNED
        elif not_in and period.deadline < today:
            self.code = self.OVERDUE
        elif report is None:
            self.code = self.NOT_STARTED
        else:
            self.code = str(report.status)
        self.submitted_late = bool(report and report.submitted_late)
        # What the official still has to send: nothing in yet, or sent back for a fix.
        self.is_due = not_in and period.starts_on <= today

    @property
    def is_returned(self) -> bool:
        """Returned after review or reopened after approval (the to-do list's word)."""
        return self.is_sent_back

    @property
    def label(self) -> str:
        return str(self.LABELS[self.code])

    def badge(self) -> SafeString:
        """The state as the grids show it, made here rather than by a template include:
        the overview shows 200 of them (the same few badges, each made once a language)."""
        return _badge(self.code, self.submitted_late, get_language())

    @property
    def reason(self) -> str:
        """Why it was sent back (shown on the report page and in the to-do list)."""
        if self.is_sent_back and self.report is not None:
            return self.report.return_reason
        return ""

    @property
    def completeness(self) -> str:
        """The completeness table's class: on time, late, sent back, or missing."""
        if self.is_sent_back:
            return self.SENT_BACK
        if self.report is not None and self.report.status in Report.Status.reported():
            return self.LATE if self.report.submitted_late else self.ON_TIME
        return self.MISSING

    @property
    def completeness_label(self) -> str:
        """In the completeness cells: a sent-back report says whether returned or reopened."""
        if self.is_sent_back:
            return self.label
        return str(self.COMPLETENESS_LABELS[self.completeness])


@lru_cache(maxsize=64)
def _badge(code: str, submitted_late: bool, language: str | None) -> SafeString:
    """ReportState.badge's markup: one of seven states, late or not, in a language."""
    badge = format_html(
        '<span class="badge state-{}" data-state="{}">{}</span>',
        code,
        code,
        ReportState.LABELS[code],
    )
    if not submitted_late:
        return badge
    return format_html(
        '{} <span class="badge text-bg-light border border-danger text-danger" title="{}">'
        "{}</span>",
        badge,
        _("Gửi sau hạn nộp"),
        _("nộp muộn"),
    )


def completeness_conditions() -> dict[str, Q]:
    """`ReportState.completeness`'s classes as conditions on Report rows, for pages that
    count them in the database (a national dashboard, its list of missing units): on
    time, late, sent back; a unit with none of these for a period has not reported."""
    reported = Q(status__in=Report.Status.reported())
    return {
        ReportState.ON_TIME: reported & Q(submitted_late=False),
        ReportState.LATE: reported & Q(submitted_late=True),
        ReportState.SENT_BACK: Q(status=Report.Status.RETURNED),
    }


def report_states(
    units: list[AdministrativeUnit],
    periods: list[ReportingPeriod],
    today: date,
    *,
    reports: QuerySet[Report] | None = None,
) -> dict[tuple[int, int], ReportState]:
    """(unit id, period id) → ReportState for every unit and period: one query."""
    found = with_return_step(
        (reports if reports is not None else Report.objects.all())
        .filter(unit__in=units, period__in=periods)
        .only(
            "pk",
            "unit_id",
            "period_id",
            "status",
            "submitted_late",
            "submitted_at",
            "return_reason",
        )
        # Read into a dict: the model's order would join each report's unit and plan.
        .order_by()
    )
    by_key = {(report.unit_id, report.period_id): report for report in found}
    return {
        (unit.pk, period.pk): ReportState(unit, period, by_key.get((unit.pk, period.pk)), today)
        for unit in units
        for period in periods
    }


def report_state(
    unit: AdministrativeUnit,
    period: ReportingPeriod,
    report: Report | None,
    events: Iterable[ReportEvent],
    today: date,
) -> ReportState:
    """The state of one report whose steps are already read (the report page): no query."""
    if report is not None:
        steps = [e.action for e in events if e.action in _SENDING_BACK]
        report.return_step = steps[-1] if steps else None  # type: ignore[attr-defined]
    return ReportState(unit, period, report, today)


_SENDING_BACK = (ReportEvent.Action.RETURNED, ReportEvent.Action.REOPENED)
