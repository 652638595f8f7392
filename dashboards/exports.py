"""The dashboard workbook made off the request: asked for, made, kept a while, removed.

A national plan's workbook takes longer than a web request may: gunicorn kills the worker
after its timeout and the person waits with no sign of life. So a large plan's export is
an `ExportRequest` row and a task (dashboards/tasks.py) that a worker runs beside the
server; the row says where it stands, holds the file, and the error if it failed, so
nothing is lost when the page is closed. A small plan's export stays in the request:
`goes_through_queue` is the one place that decides which is which.

The task only calls `excel.write_dashboard_workbook`, whatever the writer does inside.
"""

import logging
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from accounts import access
from plans.models import AdministrativeUnit, Plan
from reporting.models import Target

from .excel import write_dashboard_workbook
from .export_data import ExportScope
from .models import ExportRequest

logger = logging.getLogger(__name__)

# What the person is told when the file could not be made; stored as the Vietnamese text
# and shown translated (each is a msgid of the catalog).
FAILED_TO_WRITE = gettext_noop(
    "Không tạo được tệp Excel do có lỗi khi tính số liệu hoặc ghi tệp. Lỗi đã được ghi lại "
    "để quản trị hệ thống xem. Hãy thử tạo lại; nếu vẫn lỗi, báo cho quản trị hệ thống."
)
FAILED_TO_QUEUE = gettext_noop(
    "Không gửi được yêu cầu vào hàng đợi (máy chủ hàng đợi không trả lời). Hãy thử lại sau ít "
    "phút; nếu vẫn lỗi, báo cho quản trị hệ thống."
)
FAILED_IN_WORKER = gettext_noop(
    "Việc tạo tệp bị dừng giữa chừng (bộ xử lý nền báo lỗi). Hãy thử tạo lại; nếu vẫn lỗi, "
    "báo cho quản trị hệ thống."
)
FAILED_STALLED = gettext_noop(
    "Bộ xử lý nền không còn báo tiến độ (có thể đã bị dừng khi đang tạo tệp). Hãy tạo lại "
    "tệp; nếu vẫn lỗi, báo cho quản trị hệ thống."
)
PROGRESS_EVERY = 0.5  # seconds between two progress writes, however often the writer reports


# --- Which exports go through the queue -----------------------------------------------


def export_size(plan: Plan) -> int:
    """Cells of the workbook's largest sheet: the units below the plan's area × the
    indicators it has targets for (two COUNT queries). The export's time grows with it."""
    units = AdministrativeUnit.objects.below(plan.unit).count()
    indicators = Target.objects.filter(plan=plan).values("indicator").distinct().count()
    return max(units, 1) * max(indicators, 1)


def goes_through_queue(plan: Plan) -> bool:
    """Above settings.EXPORT_QUEUE_ABOVE_CELLS the export is a task, below it the file is
    written in the request (measured: the city in ≈0,1 s, a province of 98 communes and
    100 indicators in ≈0,9 s at idle, the nation in 14 s; see BENCHMARKS.md)."""
    return export_size(plan) > settings.EXPORT_QUEUE_ABOVE_CELLS


# --- The request's parameters, kept as JSON --------------------------------------------


def scope_parameters(scope: ExportScope) -> dict[str, Any]:
    return {
        "as_of": scope.as_of.isoformat(),
        "today": scope.today.isoformat(),
        "period": scope.period.code if scope.period else None,
        "include_submitted": scope.include_submitted,
        "sector": scope.sector,
        "status": scope.status,
    }


def scope_from_parameters(plan: Plan, parameters: dict[str, Any]) -> ExportScope:
    period = plan.periods.get(code=parameters["period"]) if parameters.get("period") else None
    return ExportScope(
        plan=plan,
        as_of=date.fromisoformat(parameters["as_of"]),
        today=date.fromisoformat(parameters["today"]),
        period=period,
        include_submitted=bool(parameters.get("include_submitted")),
        sector=parameters.get("sector") or "",
        status=parameters.get("status") or "",
    )


# --- Services ---------------------------------------------------------------------------


@transaction.atomic
def export_request_create(*, user: User, scope: ExportScope) -> ExportRequest:
    """The request on record, before it is queued (tasks.export_queue queues it after the
    commit, so that a queue outside the database never sees a row not yet there)."""
    access.require(access.may_see_dashboards(user))
    return ExportRequest.objects.create(
        requested_by=user, plan=scope.plan, parameters=scope_parameters(scope)
    )


def export_queued(*, export: ExportRequest, task_id: str) -> None:
    ExportRequest.objects.filter(pk=export.pk).update(task_id=task_id)
    export.task_id = task_id


def export_failed(
    *, export: ExportRequest, message: str, detail: str = "", now: datetime | None = None
) -> None:
    """Marks the request failed with a message for the person (a msgid above) and the
    operator's detail; a request already finished is left as it is."""
    ExportRequest.objects.filter(
        pk=export.pk, state__in=[ExportRequest.State.QUEUED, ExportRequest.State.RUNNING]
    ).update(
        state=ExportRequest.State.FAILED,
        error=message,
        error_detail=detail[:4000],
        finished_at=now or timezone.now(),
    )
    export.refresh_from_db()


def _progress_writer(export_id: int) -> Callable[[int, int], None]:
    """progress(done, total) for the writer: one UPDATE at most every PROGRESS_EVERY
    seconds (and always the last step), committed at once so the waiting page sees it."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        moment = time.monotonic()
        if done < total and moment - last[0] < PROGRESS_EVERY:
            return
        last[0] = moment
        ExportRequest.objects.filter(pk=export_id).update(
            progress_done=max(0, min(done, total)),
            progress_total=max(total, 0),
            progress_at=timezone.now(),
        )

    return progress


def export_build(*, export_id: int) -> str:
    """Run by the worker: writes the workbook of a queued request, keeps the file until
    EXPORT_KEEP_HOURS later, removes files kept longer than that; returns the file name.
    A failure is recorded on the request (Vietnamese for the person, the exception for
    the operator) and raised again, so the task backend keeps its traceback too."""
    exports_remove_expired()
    started = timezone.now()
    claimed = ExportRequest.objects.filter(pk=export_id, state=ExportRequest.State.QUEUED).update(
        state=ExportRequest.State.RUNNING, started_at=started, progress_at=started
    )
    export = ExportRequest.objects.select_related("plan__unit").get(pk=export_id)
    if not claimed:  # run twice, or finished meanwhile: nothing to do
        return export.file_name
    try:
        scope = scope_from_parameters(export.plan, export.parameters)
        with (
            tempfile.TemporaryFile(suffix=".xlsx") as out,
            # Files are Vietnamese whatever language the person asking reads (README).
            translation.override(settings.LANGUAGE_CODE),
        ):
            file_name = write_dashboard_workbook(
                scope=scope, out=out, progress=_progress_writer(export.pk)
            )
            size = out.tell()
            out.seek(0)
            export.file.save(f"bang-chi-tieu-{export.pk}.xlsx", File(out), save=False)
    except Exception as error:
        logger.exception("export %s failed", export.pk)
        export_failed(
            export=export, message=FAILED_TO_WRITE, detail=f"{type(error).__name__}: {error}"
        )
        raise
    finished = timezone.now()
    ExportRequest.objects.filter(pk=export.pk).update(
        state=ExportRequest.State.DONE,
        file=export.file.name,
        file_name=file_name,
        file_size=size,
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    return file_name


def exports_remove_expired(*, now: datetime | None = None) -> int:
    """Removes the files kept past their time (the request stays, as "Tệp đã xoá");
    returns how many. Run by every export task before its own work, and by
    `manage.py remove_expired_exports` (bin/run, or cron where exports are rare)."""
    now = now or timezone.now()
    expired = list(
        ExportRequest.objects.filter(state=ExportRequest.State.DONE, expires_at__lte=now)
    )
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        ExportRequest.objects.filter(pk=export.pk).update(
            state=ExportRequest.State.REMOVED, file=""
        )
    return len(expired)


def is_stalled(export: ExportRequest, now: datetime | None = None) -> bool:
    """Running, and no sign of the worker for EXPORT_STALLED_MINUTES: the worker was
    killed or restarted mid-export (a killed worker leaves the task "running" in the
    database backend for ever). Writers report progress at least every few seconds, so
    the limit is far above any step's length."""
    if export.state != ExportRequest.State.RUNNING:
        return False
    seen = export.progress_at or export.started_at or export.created_at
    limit = timedelta(minutes=settings.EXPORT_STALLED_MINUTES)
    return seen + limit <= (now or timezone.now())


def is_waiting_long(export: ExportRequest, now: datetime | None = None) -> bool:
    """Queued for longer than EXPORT_STALLED_MINUTES: no worker is taking requests (it is
    not started, or busy with a long queue). The request stays queued: a worker started
    later still makes the file."""
    if export.state != ExportRequest.State.QUEUED:
        return False
    limit = timedelta(minutes=settings.EXPORT_STALLED_MINUTES)
    return export.created_at + limit <= (now or timezone.now())


def is_expired(export: ExportRequest, now: datetime | None = None) -> bool:
    """Past its time, removed or not yet: the file is no longer handed out."""
    if export.state == ExportRequest.State.REMOVED:
        return True
    return (
        export.state == ExportRequest.State.DONE
        and export.expires_at is not None
        and export.expires_at <= (now or timezone.now())
    )
