"""The reporting workflow: save, submit, return, approve, reopen.

Every function is atomic, checks who may do it, and records who did it, when, and every
value it changed (old and new). A change of status also updates the plan's running
totals (reporting.totals) in the same transaction, so dashboards never see one without
the other.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import may_edit_for_unit, may_review
from common.numbers import format_number
from plans.models import AdministrativeUnit

from . import totals
from .models import (
    Report,
    ReportChange,
    ReportEvent,
    ReportFigure,
    ReportingPeriod,
    TaskProgress,
    WorkProgress,
)
from .selectors import ReportScope


class WorkflowError(Exception):
    """A step that cannot be taken in the report's current state; the message says why."""


class ReportConflict(WorkflowError):
    """Someone else saved the report since this user opened it."""

    def __init__(self, report: Report):
        super().__init__(_("Báo cáo vừa được người khác lưu."))
        self.report = report


@dataclass
class ReportInput:
    """What a form or a spreadsheet says the report should contain."""

    figures: dict[int, Decimal | None] = field(default_factory=dict)
    tasks: dict[int, tuple[str, str]] = field(default_factory=dict)
    works: dict[int, tuple[Decimal | None, str]] = field(default_factory=dict)
    difficulties: str = ""


def shown_value(value) -> str:
    """A value as the report's history writes it (and the Excel preview shows it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


class _ChangeRecorder:
    def __init__(self):
        self.changes: list[tuple[str, str, str]] = []

    def compare(self, label: str, old, new) -> bool:
        # The history is the official record: kept in Vietnamese whatever language the
        # person saving reads (labels of choices are translated lazily).
        with translation.override(settings.LANGUAGE_CODE):
            old, new = shown_value(old), shown_value(new)
        if old == new:
            return False
        self.changes.append((label, old, new))
        return True


def _record(report: Report, actor, action: str, changes=(), reason: str = "") -> ReportEvent:
    event = ReportEvent.objects.create(report=report, action=action, actor=actor, reason=reason)
    ReportChange.objects.bulk_create(
        ReportChange(report=report, event=event, field=label, old_value=old, new_value=new)
        for label, old, new in changes
    )
    return event


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update().select_related("period__plan", "unit").get(pk=report.pk)
    )


@transaction.atomic
def report_save(
    *,
    scope: ReportScope,
    period: ReportingPeriod,
    actor,
    expected_version: int | None,
    data: ReportInput,
    action: str = ReportEvent.Action.SAVED,
) -> Report:
    """Save a report's figures, task progress, works and difficulties.

    expected_version is the version the user started from; if the report has moved on
    since, nothing is saved and ReportConflict tells whose values now stand.
    """
    unit: AdministrativeUnit = scope.unit
    if not may_edit_for_unit(actor, scope.plan, unit):
        raise PermissionDenied
    report, created = Report.objects.get_or_create(unit=unit, period=period)
    report = _locked(report)
    if not report.is_editable:
        raise WorkflowError(_("Báo cáo đã gửi hoặc đã duyệt nên không sửa được."))
    if not created and expected_version is not None and expected_version != report.version:
        raise ReportConflict(report)

    recorder = _ChangeRecorder()
    allowed_indicators = {line.indicator.pk: line.indicator for line in scope.lines}
    figures = {figure.indicator_id: figure for figure in report.figures.all()}
    for indicator_id, value in data.figures.items():
        indicator = allowed_indicators.get(indicator_id)
        if indicator is None:
            continue
        figure = figures.get(indicator_id)
        old = figure.value if figure else None
        label = f"{indicator.name} ({indicator.unit_of_measure})"
        if not recorder.compare(label, old, value):
            continue
        if value is None:
            figure.delete()
        elif figure is None:
            ReportFigure.objects.create(report=report, indicator=indicator, value=value)
        else:
            figure.value = value
            figure.save(update_fields=["value"])

    allowed_tasks = {task.pk: task for task in scope.tasks}
    progress = {tp.task_id: tp for tp in report.task_progress.all()}
    for task_id, (status, narrative) in data.tasks.items():
        task = allowed_tasks.get(task_id)
        if task is None:
            continue
        # A task nobody has reported on yet counts as not started, with no narrative.
        current = progress.get(task_id) or TaskProgress(report=report, task=task)
        status_changed = recorder.compare(
            f"Nhiệm vụ {task.code} – tình hình",
            current.get_status_display(),
            TaskProgress.Status(status).label,
        )
        narrative_changed = recorder.compare(
            f"Nhiệm vụ {task.code} – kết quả",
            current.narrative,
            narrative,
        )
        if status_changed or narrative_changed:
            current.status, current.narrative = status, narrative
            current.save()

    allowed_works = {work.pk: work for work in scope.works}
    work_progress = {wp.work_id: wp for wp in report.work_progress.all()}
    for work_id, (disbursed, narrative) in data.works.items():
        work = allowed_works.get(work_id)
        if work is None:
            continue
        current = work_progress.get(work_id) or WorkProgress(report=report, work=work)
        money_changed = recorder.compare(
            f"{work.name} – giải ngân (đồng)",
            current.disbursed_vnd,
            disbursed,
        )
        narrative_changed = recorder.compare(
            f"{work.name} – tình hình", current.narrative, narrative
        )
        if money_changed or narrative_changed:
            current.disbursed_vnd, current.narrative = disbursed, narrative
            current.save()

    if recorder.compare("Khó khăn, vướng mắc, đề xuất", report.difficulties, data.difficulties):
        report.difficulties = data.difficulties

    if created:
        _record(report, actor, ReportEvent.Action.CREATED)
    if recorder.changes:
        report.version += 1
        report.save()
        _record(report, actor, action, recorder.changes)
    return report


def _status_change(report: Report, new_status: str) -> tuple[str, str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return (
            "Trạng thái",
            str(Report.Status(report.status).label),
            str(Report.Status(new_status).label),
        )


@transaction.atomic
def report_submit(*, report: Report, actor) -> Report:
    """Send the report to Phòng Kinh tế. Submitting twice (a double click) submits once."""
    report = _locked(report)
    if not may_edit_for_unit(actor, report.period.plan, report.unit):
        raise PermissionDenied
    if report.status == Report.Status.SUBMITTED:
        return report
    if not report.is_editable:
        raise WorkflowError(_("Báo cáo đã được duyệt, không gửi lại được."))
    before = totals.snapshot(report)
    change = _status_change(report, Report.Status.SUBMITTED)
    now = timezone.now()
    report.status = Report.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_late = timezone.localdate(now) > report.period.deadline
    report.version += 1
    report.save()
    totals.apply(report, before)
    _record(report, actor, ReportEvent.Action.SUBMITTED, [change])
    return report


def _review_step(report: Report, actor, *, expected: str) -> Report:
    if not may_review(actor):
        raise PermissionDenied
    report = _locked(report)
    if report.status != expected:
        raise WorkflowError(
            _("Báo cáo đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic
def report_return(*, report: Report, actor, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."))
    report = _review_step(report, actor, expected=Report.Status.SUBMITTED)
    before = totals.snapshot(report)
    change = _status_change(report, Report.Status.RETURNED)
    report.status = Report.Status.RETURNED
    report.return_reason = reason
    report.version += 1
    report.save()
    totals.apply(report, before)
    _record(report, actor, ReportEvent.Action.RETURNED, [change], reason=reason)
    return report


@transaction.atomic
def report_approve(*, report: Report, actor) -> Report:
    report = _review_step(report, actor, expected=Report.Status.SUBMITTED)
    before = totals.snapshot(report)
    change = _status_change(report, Report.Status.APPROVED)
    report.status = Report.Status.APPROVED
    report.return_reason = ""
    report.version += 1
    report.save()
    totals.apply(report, before)
    _record(report, actor, ReportEvent.Action.APPROVED, [change])
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """Unlock an approved report so the unit can correct it; it must be submitted again."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Hãy ghi lý do mở lại báo cáo đã duyệt."))
    report = _review_step(report, actor, expected=Report.Status.APPROVED)
    before = totals.snapshot(report)
    change = _status_change(report, Report.Status.RETURNED)
    report.status = Report.Status.RETURNED
    report.return_reason = reason
    report.version += 1
    report.save()
    totals.apply(report, before)
    _record(report, actor, ReportEvent.Action.REOPENED, [change], reason=reason)
    return report
