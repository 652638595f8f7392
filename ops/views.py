import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.backup import last_good
from ops.models import BackupRecord


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database answers, else 503.

    It also says when the last good backup was made and when a backup was last proved to
    restore (``backup_db --verify``), as recorded by those commands; ``backup.fresh`` is
    false when the last good backup is older than ``BACKUP_MAX_AGE_HOURS``. A stale backup
    is for the monitoring to raise, not a reason to take the server out of rotation.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        backup, verified = last_good(BackupRecord.Kind.BACKUP), last_good(BackupRecord.Kind.VERIFY)
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "backup": _backup_state(backup, verified)}
    )


def _backup_state(backup: BackupRecord | None, verified: BackupRecord | None) -> dict:
    limit = datetime.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
    return {
        "last": backup.finished_at.isoformat(timespec="seconds") if backup else None,
        "last_verified": verified.finished_at.isoformat(timespec="seconds") if verified else None,
        "fresh": bool(backup) and timezone.now() - backup.finished_at <= limit,
    }


def csrf_failure(request: HttpRequest, reason: str = ""):
    return render(request, "403_csrf.html", status=403)
