"""The reporting workflow: save, submit, return, approve, reopen.

Every function is atomic, checks who may do it, and records who did it, when, and every
value it changed (old and new). What a save changes is reporting.changes.report_changes,
the list the Excel preview shows before the official confirms, so the history holds what
the preview promised. A change of status also updates the plan's running totals
(reporting.totals) in the same transaction, so dashboards never see one without the
other.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import edit_refusal, may_discuss_figures, may_edit_for_unit, may_review
from plans.models import AdministrativeUnit

from . import quality, totals
from .changes import Change, Part, ReportInput, Saved, report_changes
from .models import (
    FigureComment,
    FigureFlag,
    Indicator,
    Report,
    ReportChange,
    ReportEvent,
    ReportFigure,
    ReportingPeriod,
    TaskProgress,
    WorkProgress,
)
from .review import unexplained_flags
from .selectors import ReportScope


class WorkflowError(Exception):
    """A step that cannot be taken in the report's current state; the message says why."""


class ReportConflict(WorkflowError):
    """Someone else saved the report since this user opened it."""

    def __init__(self, report: Report):
        super().__init__(_("Báo cáo vừa được người khác lưu."))
        self.report = report


def _record(
    report: Report,
    *,
    actor: User,
    action: str,
    changes: Sequence[Change] = (),
    reason: str = "",
) -> ReportEvent:
    event = ReportEvent.objects.create(report=report, action=action, actor=actor, reason=reason)
    ReportChange.objects.bulk_create(
        ReportChange(
            report=report,
            event=event,
            field=change.label,
            old_value=change.old,
            new_value=change.new,
        )
        for change in changes
    )
    return event


def _changed(changes: Sequence[Change], part: Part) -> list[int]:
    """The indicators, tasks or works with at least one change, once each, in order."""
    return list(dict.fromkeys(c.pk for c in changes if c.part is part and c.pk is not None))


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update().select_related("period__plan", "unit").get(pk=report.pk)
    )


@transaction.atomic
def report_save(
    *,
    scope: ReportScope,
    period: ReportingPeriod,
    actor: User,
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
        raise PermissionDenied(edit_refusal(actor, scope.plan, unit))
    report, created = Report.objects.get_or_create(unit=unit, period=period)
    report = _locked(report)
    if not report.is_editable:
        raise WorkflowError(_("Báo cáo đã gửi hoặc đã duyệt nên không sửa được."))
    if not created and expected_version is not None and expected_version != report.version:
        raise ReportConflict(report)

    figures = {figure.indicator_id: figure for figure in report.figures.all()}
    task_progress = {tp.task_id: tp for tp in report.task_progress.all()}
    work_progress = {wp.work_id: wp for wp in report.work_progress.all()}
    saved = Saved(
        figures={indicator_id: figure.value for indicator_id, figure in figures.items()},
        tasks=task_progress,
        works=work_progress,
        difficulties=report.difficulties,
    )
    # The one list the Excel preview shows: what is written is what the history records.
    changes = report_changes(scope=scope, saved=saved, data=data)

    indicators = {line.indicator.pk: line.indicator for line in scope.lines}
    # The data-quality checks (reporting.quality) on the figures as they will stand.
    final = {
        pk: data.figures[pk] if pk in data.figures else saved.figures.get(pk) for pk in indicators
    }
    findings = quality.check_in_vietnamese(scope, period, final)
    if errors := [finding.message for finding in findings if finding.is_error]:
        raise WorkflowError(" ".join(errors))

    for indicator_id in _changed(changes, Part.FIGURE):
        value = data.figures[indicator_id]
        figure = figures.get(indicator_id)
        if value is None:
            if figure is not None:
                figure.delete()
        elif figure is None:
            ReportFigure.objects.create(
                report=report, indicator=indicators[indicator_id], value=value
            )
        else:
            figure.value = value
            figure.save(update_fields=["value"])

    tasks = {task.pk: task for task in scope.tasks}
    for task_id in _changed(changes, Part.TASK):
        task_entry = task_progress.get(task_id) or TaskProgress(report=report, task=tasks[task_id])
        task_entry.status, task_entry.narrative = data.tasks[task_id]
        task_entry.save()

    works = {work.pk: work for work in scope.works}
    for work_id in _changed(changes, Part.WORK):
        work_entry = work_progress.get(work_id) or WorkProgress(report=report, work=works[work_id])
        work_entry.disbursed_vnd, work_entry.narrative = data.works[work_id]
        work_entry.save()

    if any(change.part is Part.DIFFICULTIES for change in changes):
        report.difficulties = data.difficulties

    if created:
        _record(report, actor=actor, action=ReportEvent.Action.CREATED)
    explained = _refresh_flags(
        report,
        figures=final,
        warnings=quality.recorded(findings),
        explanations=data.explanations,
        indicators=indicators,
        actor=actor,
    )
    if changes or explained:
        report.version += 1
        report.save()
    if changes:
        _record(report, actor=actor, action=action, changes=changes)
    return report


def _refresh_flags(
    report: Report,
    *,
    figures: Mapping[int, Decimal | None],
    warnings: Mapping[int, str],
    explanations: Mapping[int, str],
    indicators: Mapping[int, Indicator],
    actor: User,
) -> bool:
    """Keep a report's warning flags in step with its figures; record each explanation.

    A warning that still holds for an unchanged figure keeps its explanation; a changed
    figure must be explained again; a figure no longer warned about loses its flag. True
    when an explanation was written.
    """
    flags = {f.indicator_id: f for f in report.figure_flags.filter(kind=FigureFlag.Kind.CHECK)}
    explained = False
    for indicator_id, message in warnings.items():
        flag = flags.pop(indicator_id, None)
        value = figures[indicator_id]
        if flag is None:
            flag = FigureFlag(report=report, indicator_id=indicator_id, kind=FigureFlag.Kind.CHECK)
        elif flag.value != value:
            flag.explanation = ""
        flag.message, flag.value, flag.is_open = message, value, True
        text = explanations.get(indicator_id, "").strip()
        if text and text != flag.explanation:
            name = indicators[indicator_id].name
            _record(
                report,
                actor=actor,
                action=ReportEvent.Action.EXPLAINED,
                reason=f"{name}: {text}",
                changes=[Change(f"Giải trình – {name}", flag.explanation, text, Part.FIGURE)],
            )
            flag.explanation = text
            explained = True
        flag.save()
    FigureFlag.objects.filter(pk__in=[flag.pk for flag in flags.values()]).delete()
    return explained


def _move_to(
    report: Report,
    status: str,
    *,
    actor: User,
    action: str,
    reason: str = "",
    **fields: object,
) -> Report:
    """Every status change: the new status, version and fields saved, the running totals
    moved by the difference it makes, and the step recorded with its status change.

    Called inside the step's transaction, on a report locked by _locked().
    """
    with translation.override(settings.LANGUAGE_CODE):
        change = Change(
            "Trạng thái",
            str(Report.Status(report.status).label),
            str(Report.Status(status).label),
            Part.STATUS,
        )
    before = totals.snapshot(report)
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.save()
    totals.apply(report, before)
    _record(report, actor=actor, action=action, changes=[change], reason=reason)
    return report


@transaction.atomic
def report_submit(*, report: Report, actor: User) -> Report:
    """Send the report to Phòng Kinh tế. Submitting twice (a double click) submits once."""
    report = _locked(report)
    if not may_edit_for_unit(actor, report.period.plan, report.unit):
        raise PermissionDenied(edit_refusal(actor, report.period.plan, report.unit))
    if report.status == Report.Status.SUBMITTED:
        return report
    if not report.is_editable:
        raise WorkflowError(_("Báo cáo đã được duyệt, không gửi lại được."))
    if missing := unexplained_flags(report):
        raise WorkflowError(
            _("Cần giải trình trước khi gửi: %(names)s.")
            % {"names": ", ".join(flag.indicator.name for flag in missing)}
        )
    now = timezone.now()
    return _move_to(
        report,
        Report.Status.SUBMITTED,
        actor=actor,
        action=ReportEvent.Action.SUBMITTED,
        submitted_at=now,
        submitted_late=timezone.localdate(now) > report.period.deadline,
        review_started_at=None,
    )


def _review_step(report: Report, actor: User, *, expected: str) -> Report:
    if not may_review(actor):
        raise PermissionDenied
    report = _locked(report)
    if not report.period.plan.is_open_for_reporting:
        raise WorkflowError(_("Kế hoạch đã kết thúc: các báo cáo chỉ còn để đọc."))
    if report.status != expected:
        raise WorkflowError(
            _("Báo cáo đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic
def report_return(*, report: Report, actor: User, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."))
    report = _review_step(report, actor, expected=Report.Status.SUBMITTED)
    return _move_to(
        report,
        Report.Status.RETURNED,
        actor=actor,
        action=ReportEvent.Action.RETURNED,
        reason=reason,
        return_reason=reason,
    )


@transaction.atomic
def report_approve(*, report: Report, actor: User) -> Report:
    report = _review_step(report, actor, expected=Report.Status.SUBMITTED)
    return _move_to(
        report,
        Report.Status.APPROVED,
        actor=actor,
        action=ReportEvent.Action.APPROVED,
        return_reason="",
    )


@transaction.atomic
def report_reopen(*, report: Report, actor: User, reason: str) -> Report:
    """Unlock an approved report so the unit can correct it; it must be submitted again."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Hãy ghi lý do mở lại báo cáo đã duyệt."))
    report = _review_step(report, actor, expected=Report.Status.APPROVED)
    return _move_to(
        report,
        Report.Status.RETURNED,
        actor=actor,
        action=ReportEvent.Action.REOPENED,
        reason=reason,
        return_reason=reason,
    )


# --- Review: the queue's steps -------------------------------------------------------------


@transaction.atomic
def report_withdraw(*, report: Report, actor: User) -> Report:
    """Take back a report sent by mistake: only before Phòng Kinh tế starts reviewing it.

    It goes back to a draft, so it counts nowhere and leaves the review queue; sending it
    again is a new submission (late if the deadline has passed by then).
    """
    report = _locked(report)
    if not may_edit_for_unit(actor, report.period.plan, report.unit):
        raise PermissionDenied(edit_refusal(actor, report.period.plan, report.unit))
    if report.status != Report.Status.SUBMITTED:
        raise WorkflowError(_("Chỉ rút lại được báo cáo đã gửi mà chưa được duyệt."))
    if report.review_started_at is not None:
        raise WorkflowError(
            _(
                "Phòng Kinh tế đã bắt đầu xem xét báo cáo nên không rút lại được; "
                "hãy liên hệ để được trả lại."
            )
        )
    return _move_to(
        report,
        Report.Status.DRAFT,
        actor=actor,
        action=ReportEvent.Action.WITHDRAWN,
        submitted_at=None,
        submitted_late=False,
    )


def report_review_start(*, report: Report, actor: User) -> bool:
    """Phòng Kinh tế opens a submitted report: from then on the unit cannot withdraw it.

    Recorded once per submission (who and when), as a step of the history. True when this
    call started the review. Opening any other report costs no query.
    """
    if not may_review(actor) or report.status != Report.Status.SUBMITTED:
        return False
    if report.review_started_at is not None:
        return False
    now = timezone.now()
    with transaction.atomic():
        started = Report.objects.filter(
            pk=report.pk, status=Report.Status.SUBMITTED, review_started_at__isnull=True
        ).update(review_started_at=now)
        if started:
            report.review_started_at = now
            _record(report, actor=actor, action=ReportEvent.Action.REVIEW_STARTED)
    return bool(started)


def reports_approve(*, reports: Sequence[Report], actor: User) -> tuple[list[Report], list[str]]:
    """Approve several reports at once, each in its own step and transaction, so each is
    recorded on its own report and one that moved meanwhile (withdrawn, returned) stops
    only itself. Returns the approved reports and, for the others, why not."""
    if not may_review(actor):
        raise PermissionDenied
    approved: list[Report] = []
    refused: list[str] = []
    for report in reports:
        try:
            approved.append(report_approve(report=report, actor=actor))
        except WorkflowError as error:
            refused.append(f"{report}: {error}")
    return approved, refused


# --- The exchange about a figure: comments and follow-up marks -----------------------------


# A figure is discussed while the report is with Phòng Kinh tế or sent back to the unit;
# a draft is not in yet, an approved report is closed.
DISCUSSED = (Report.Status.SUBMITTED, Report.Status.RETURNED)


def _discussed(report: Report, actor: User) -> Report:
    report = _locked(report)
    if not may_discuss_figures(actor, report.period.plan, report.unit):
        raise PermissionDenied
    if report.status not in DISCUSSED:
        raise WorkflowError(
            _("Chỉ trao đổi về số liệu khi báo cáo đang chờ duyệt hoặc bị trả lại.")
        )
    return report


@transaction.atomic
def figure_comment(
    *, report: Report, indicator: Indicator, actor: User, text: str
) -> FigureComment:
    """A comment on one figure by Phòng Kinh tế or the unit's official, kept with the
    figure and as a step of the report's history."""
    text = text.strip()
    if not text:
        raise WorkflowError(_("Hãy ghi ý kiến."))
    report = _discussed(report, actor)
    event = _record(
        report,
        actor=actor,
        action=ReportEvent.Action.COMMENTED,
        reason=f"{indicator.name}: {text}",
    )
    return FigureComment.objects.create(
        report=report, indicator=indicator, author=actor, text=text, event=event, at=event.at
    )


@transaction.atomic
def figure_follow_up(
    *, report: Report, indicator: Indicator, actor: User, on: bool, note: str = ""
) -> FigureFlag | None:
    """Phòng Kinh tế marks a figure "cần theo dõi" (or clears the mark), recorded."""
    if not may_review(actor):
        raise PermissionDenied
    report = _discussed(report, actor)
    flag = FigureFlag.objects.filter(
        report=report, indicator=indicator, kind=FigureFlag.Kind.FOLLOW_UP
    ).first()
    if on == bool(flag and flag.is_open):
        return flag
    if flag is None:
        flag = FigureFlag(report=report, indicator=indicator, kind=FigureFlag.Kind.FOLLOW_UP)
    flag.is_open, flag.message = on, note.strip() or flag.message
    flag.save()
    action = ReportEvent.Action.FOLLOW_UP if on else ReportEvent.Action.FOLLOW_UP_CLEARED
    reason = f"{indicator.name}: {note.strip()}" if note.strip() else indicator.name
    _record(report, actor=actor, action=action, reason=reason)
    return flag
