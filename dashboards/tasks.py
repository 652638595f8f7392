"""The dashboards' work done by the task queue (django-tasks; settings.TASKS).

`build_export` is what the worker runs (`manage.py db_worker` with the database backend,
started by bin/run beside the server); `export_queue` puts a request on the queue once it
is committed, and `export_refresh` notices a task the worker gave up on or was killed in,
so that the person's page says so instead of waiting for ever.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from .export_data import ExportScope
from .exports import (
    FAILED_IN_WORKER,
    FAILED_STALLED,
    FAILED_TO_QUEUE,
    export_build,
    export_failed,
    export_queued,
    export_request_create,
    is_stalled,
)
from .models import ExportRequest

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> str:
    return export_build(export_id=export_id)


def _enqueue(export: ExportRequest) -> None:
    try:
        result = build_export.using(queue_name=settings.EXPORT_QUEUE_NAME).enqueue(export.pk)
    except Exception as error:  # the queue's server is down: say so on the request's page
        logger.exception("export %s could not be queued", export.pk)
        export_failed(
            export=export, message=FAILED_TO_QUEUE, detail=f"{type(error).__name__}: {error}"
        )
        return
    export_queued(export=export, task_id=str(result.id))


def export_queue(*, user: User, scope: ExportScope) -> ExportRequest:
    """Records the request and queues its task after the commit (at once outside a
    transaction); the returned request knows its task's id when it was queued."""
    export = export_request_create(user=user, scope=scope)
    transaction.on_commit(lambda: _enqueue(export))
    return export


def export_refresh(export: ExportRequest) -> ExportRequest:
    """The request as the task backend knows it: a task that failed before the export's
    own code could record it (the task failed, or the worker was killed and the request
    stopped moving) is marked failed."""
    if export.finished:
        return export
    if is_stalled(export):
        export_failed(export=export, message=FAILED_STALLED, detail="no progress from the worker")
        return export
    if not export.task_id:
        return export
    try:
        result = build_export.get_backend().get_result(export.task_id)
    except TaskResultDoesNotExist:
        return export
    except Exception:  # the queue's server is down for a moment: ask again next time
        logger.warning("export %s: task backend did not answer", export.pk, exc_info=True)
        return export
    if result.status == TaskResultStatus.FAILED:
        detail = result.errors[-1].traceback if result.errors else ""
        export_failed(export=export, message=FAILED_IN_WORKER, detail=detail)
    return export
