"""A deployment with Redis queues the export there (TASKS_BACKEND=redis: django-tasks-rq)
instead of in the database; the same request, page and file."""

import io
import os
import uuid

import pytest
from openpyxl import load_workbook

from dashboards.models import ExportRequest

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_queue(settings):
    """The default task backend on Redis, with a queue of this test's own (nothing else
    on the server is touched); skipped where no Redis answers (bin/test starts one)."""
    import django_rq
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):  # .ci/run's bin/test starts it: missing there is a failure
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"laichau-test-{uuid.uuid4().hex[:12]}"
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, name: {"URL": REDIS_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", name]}
    }
    settings.EXPORT_QUEUE_NAME = name
    queue = django_rq.get_queue(name)
    yield queue
    queue.delete(delete_jobs=True)


def test_an_export_queued_on_redis_is_made_by_an_rq_worker_and_downloaded(
    redis_queue,
    client_for,
    economic_officer,
    queue_every_export,
    django_capture_on_commit_callbacks,
):  # noqa: E501
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    client = client_for(economic_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/2023/tep-excel/?ky=2023-q1")
    export = ExportRequest.objects.get()
    assert redis_queue.job_ids == [export.task_id]
    assert "Đang chờ xử lý" in client.get(f"/dashboard/tep-excel/{export.pk}/").content.decode()

    # RQ's worker in this process (`manage.py rqworker` forks one per job), until empty.
    SimpleWorker([redis_queue], connection=redis_queue.connection, job_class=Job).work(burst=True)

    export.refresh_from_db()
    assert export.state == ExportRequest.State.DONE
    response = client.get(f"/dashboard/tep-excel/{export.pk}/tai-ve.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Chỉ tiêu"]
    assert "Quý 1/2023" in sheet["A2"].value
