"""A large plan's workbook is made by the task queue: asked for, watched, downloaded,
kept a while and removed; a failure is shown in Vietnamese; it is its requester's alone."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from dashboards import exports, tasks
from dashboards.exports import FAILED_IN_WORKER, FAILED_STALLED, FAILED_TO_QUEUE, FAILED_TO_WRITE
from dashboards.models import ExportRequest

pytestmark = pytest.mark.django_db

DIRECT = "/dashboard/2023/export.xlsx"
REQUEST = "/dashboard/2023/tep-excel/"


def status_url(export):
    return f"/dashboard/tep-excel/{export.pk}/"


@pytest.fixture
def ask(client_for, economic_officer, queue_every_export, django_capture_on_commit_callbacks):
    """Phòng Kinh tế asks for the workbook with the dashboard's filters; the request."""

    def ask_for(query="ky=2023-q1", user=economic_officer):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{REQUEST}?{query}")
        export = ExportRequest.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == status_url(export)
        return export

    return ask_for


def sheet_values(content):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def test_the_city_and_a_small_plan_are_written_in_the_request(plan, client_for, leader):
    assert exports.export_size(plan) < 1_000  # 7 communes × the plan's indicators
    assert not exports.goes_through_queue(plan)
    response = client_for(leader).get(DIRECT, {"ky": "2023-q1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportRequest.objects.exists()


def test_a_large_plans_download_link_leads_to_the_request_page(
    client_for, economic_officer, queue_every_export
):
    client = client_for(economic_officer)
    response = client.get(DIRECT, {"ky": "2023-q1"})
    assert response.status_code == 302
    assert response["Location"] == f"{REQUEST}?ky=2023-q1"
    page = client.get(response["Location"]).content.decode()
    assert "Tạo tệp Excel" in page
    assert "Quý 1/2023" in page  # what the file will hold, before asking
    assert "24 giờ" in page


def test_the_export_goes_from_queued_to_running_to_done_and_downloads(
    ask, client_for, economic_officer, run_worker, monkeypatch, settings
):
    seen = []
    real_progress = exports._progress_writer

    def watching(export_id):
        write = real_progress(export_id)

        def progress(done, total):
            write(done, total)
            row = ExportRequest.objects.get(pk=export_id)
            seen.append((row.state, row.progress_done, row.progress_total))

        return progress

    monkeypatch.setattr(exports, "_progress_writer", watching)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 0)

    export = ask()
    assert export.state == ExportRequest.State.QUEUED
    assert export.parameters["period"] == "2023-q1"
    assert DBTaskResult.objects.get(id=export.task_id).status == TaskResultStatus.READY
    client = client_for(economic_officer)
    page = client.get(status_url(export)).content.decode()
    assert "Đang chờ xử lý" in page
    assert "export-progress.js" in page  # the page follows the work by itself
    assert client.get(f"{status_url(export)}tinh-trang/").json()["state"] == "dang_cho"

    run_worker()

    assert seen == [("dang_tao", 0, 3), ("dang_tao", 1, 3), ("dang_tao", 2, 3), ("dang_tao", 3, 3)]
    export.refresh_from_db()
    assert export.state == ExportRequest.State.DONE
    assert export.finished_at - export.started_at < timedelta(minutes=1)
    assert export.expires_at == export.finished_at + timedelta(hours=24)
    assert DBTaskResult.objects.get(id=export.task_id).status == TaskResultStatus.SUCCESSFUL
    page = client.get(status_url(export)).content.decode()
    assert "Tệp đã sẵn sàng" in page
    assert "export-progress.js" not in page
    response = client.get(f"{status_url(export)}tai-ve.xlsx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert (
        "Ch%E1%BB%89%20ti%C3%AAu%20v%C3%A0%20th%E1%BB%B1c%20hi%E1%BB%87n%202023"
        in (response["Content-Disposition"])
    )
    queued = sheet_values(b"".join(response.streaming_content))

    # The same file as the one written in the request for a small plan, except the
    # moment it was made.
    settings.EXPORT_QUEUE_ABOVE_CELLS = 10**9
    direct = sheet_values(client.get(DIRECT, {"ky": "2023-q1"}).content)
    assert list(queued) == list(direct)
    for title in direct:
        assert len(queued[title]) == len(direct[title])
        assert queued[title][4:] == direct[title][4:], title  # below the title block


def test_a_failure_is_shown_in_vietnamese_and_can_be_retried(
    ask, client_for, economic_officer, run_worker, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("ô A1 hỏng")

    monkeypatch.setattr(exports, "write_dashboard_workbook", broken)
    export = ask()
    run_worker()

    export.refresh_from_db()
    assert export.state == ExportRequest.State.FAILED
    assert export.error == FAILED_TO_WRITE
    assert export.error_detail == "ValueError: ô A1 hỏng"
    assert DBTaskResult.objects.get(id=export.task_id).status == TaskResultStatus.FAILED
    client = client_for(economic_officer)
    page = client.get(status_url(export)).content.decode()
    assert "Không tạo được tệp Excel do có lỗi khi tính số liệu hoặc ghi tệp" in page
    assert "ValueError" not in page  # the detail is for the operator, in the row
    assert client.get(f"{status_url(export)}tai-ve.xlsx")["Location"] == status_url(export)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status_url(export))
    again = ExportRequest.objects.latest("pk")
    assert again.pk != export.pk
    assert response["Location"] == status_url(again)
    assert again.state == ExportRequest.State.QUEUED
    assert again.parameters == export.parameters


def test_a_task_the_worker_gave_up_on_is_shown_as_failed(ask, client_for, economic_officer):
    export = ask()
    DBTaskResult.objects.get(id=export.task_id).set_failed(RuntimeError("worker killed"))
    page = client_for(economic_officer).get(status_url(export)).content.decode()
    assert "Việc tạo tệp bị dừng giữa chừng" in page
    export.refresh_from_db()
    assert export.state == ExportRequest.State.FAILED
    assert export.error == FAILED_IN_WORKER
    assert "RuntimeError" in export.error_detail


def test_an_export_whose_worker_was_killed_mid_way_is_shown_as_failed_and_can_be_retried(
    ask, client_for, economic_officer, settings
):
    """A killed worker leaves its task "running" in the database backend for ever; the
    request stops moving, and after EXPORT_STALLED_MINUTES the page says so."""
    export = ask()
    claimed = timezone.now() - timedelta(minutes=settings.EXPORT_STALLED_MINUTES - 1)
    ExportRequest.objects.filter(pk=export.pk).update(
        state=ExportRequest.State.RUNNING,
        started_at=claimed,
        progress_at=claimed,
        progress_done=1,
        progress_total=3,
    )
    client = client_for(economic_officer)
    assert "Đang tạo tệp: đã xong 1/3 bước" in client.get(status_url(export)).content.decode()

    silent = timezone.now() - timedelta(minutes=settings.EXPORT_STALLED_MINUTES + 1)
    ExportRequest.objects.filter(pk=export.pk).update(progress_at=silent)
    status = client.get(f"{status_url(export)}tinh-trang/").json()
    assert status["finished"] is True
    page = client.get(status_url(export)).content.decode()
    assert "Bộ xử lý nền không còn báo tiến độ" in page
    assert "Tạo lại tệp" in page
    export.refresh_from_db()
    assert export.state == ExportRequest.State.FAILED
    assert export.error == FAILED_STALLED


def test_a_request_no_worker_takes_says_so_and_stays_queued(
    ask, client_for, economic_officer, settings
):
    export = ask()
    client = client_for(economic_officer)
    assert "trong giây lát" in client.get(status_url(export)).content.decode()
    long_ago = timezone.now() - timedelta(minutes=settings.EXPORT_STALLED_MINUTES + 1)
    ExportRequest.objects.filter(pk=export.pk).update(created_at=long_ago)
    page = client.get(status_url(export)).content.decode()
    assert "bộ xử lý nền chưa nhận" in page
    export.refresh_from_db()
    assert export.state == ExportRequest.State.QUEUED


def test_the_operator_sees_requests_in_the_admin_and_cannot_change_them(made, admin_client):
    listing = admin_client.get("/admin/reports/exportrequest/")
    assert listing.status_code == 200
    assert "Đã xong" in listing.content.decode()
    page = admin_client.get(f"/admin/reports/exportrequest/{made.pk}/change/")
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()  # shown, not editable
    assert admin_client.get("/admin/reports/exportrequest/add/").status_code == 403


def test_a_queue_that_does_not_answer_is_shown_on_the_page(
    ask, client_for, economic_officer, monkeypatch
):
    class Down:
        def using(self, **kwargs):
            return self

        def enqueue(self, *args):
            raise ConnectionError("Redis 127.0.0.1:6379 từ chối kết nối")

    monkeypatch.setattr(tasks, "build_export", Down())
    export = ask()
    assert export.state == ExportRequest.State.FAILED
    assert export.error == FAILED_TO_QUEUE
    page = client_for(economic_officer).get(status_url(export)).content.decode()
    assert "Không gửi được yêu cầu vào hàng đợi" in page


@pytest.fixture
def made(ask, run_worker):
    export = ask()
    run_worker()
    export.refresh_from_db()
    assert export.state == ExportRequest.State.DONE
    return export


def test_the_file_is_removed_after_it_has_been_kept_24_hours(made, client_for, economic_officer):
    storage, name = made.file.storage, made.file.name
    assert storage.exists(name)
    assert exports.exports_remove_expired(now=made.finished_at + timedelta(hours=23)) == 0
    assert storage.exists(name)

    assert exports.exports_remove_expired(now=made.finished_at + timedelta(hours=24)) == 1
    assert not storage.exists(name)
    made.refresh_from_db()
    assert made.state == ExportRequest.State.REMOVED
    client = client_for(economic_officer)
    assert "Tệp đã được xoá sau thời gian giữ" in client.get(status_url(made)).content.decode()
    assert client.get(f"{status_url(made)}tai-ve.xlsx")["Location"] == status_url(made)


def test_a_file_past_its_time_is_not_handed_out_before_it_is_removed(
    made, client_for, economic_officer
):
    ExportRequest.objects.filter(pk=made.pk).update(expires_at=timezone.now())
    response = client_for(economic_officer).get(f"{status_url(made)}tai-ve.xlsx")
    assert response["Location"] == status_url(made)


def test_the_command_removes_expired_files(made):
    ExportRequest.objects.filter(pk=made.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    out = io.StringIO()
    storage, name = made.file.storage, made.file.name
    call_command("remove_expired_exports", stdout=out)
    assert out.getvalue().strip() == "Đã xoá 1 tệp Excel quá thời gian giữ."
    assert not storage.exists(name)
    made.refresh_from_db()
    assert made.state == ExportRequest.State.REMOVED


def test_the_worker_removes_expired_files_before_each_export(made, ask, run_worker):
    storage, name = made.file.storage, made.file.name
    ExportRequest.objects.filter(pk=made.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    ask()
    run_worker()
    made.refresh_from_db()
    assert made.state == ExportRequest.State.REMOVED
    assert not storage.exists(name)


def test_the_request_page_lists_the_persons_earlier_files(made, client_for, economic_officer):
    page = client_for(economic_officer).get(REQUEST).content.decode()
    assert f'href="{status_url(made)}"' in page
    assert "Đã xong" in page


@pytest.mark.parametrize(
    "who, answer",
    [("economic_officer", 200), ("leader", 404), ("san_thang_official", 403), ("outsider", 403)],
)
def test_only_the_person_who_asked_opens_the_request_and_its_file(
    made, client_for, request, who, answer
):
    client = client_for(request.getfixturevalue(who))
    page = status_url(made)
    for url in (page, f"{page}tinh-trang/", f"{page}tai-ve.xlsx"):
        assert client.get(url).status_code == answer, url
    assert client.post(page).status_code == (302 if answer == 200 else answer)


def test_a_leader_asks_for_their_own_and_does_not_see_others(
    made, ask, leader, client_for, run_worker
):
    own = ask(user=leader)
    run_worker()
    page = client_for(leader).get(REQUEST).content.decode()
    assert f'href="{status_url(own)}"' in page
    assert f'href="{status_url(made)}"' not in page


def test_the_status_page_asks_a_fixed_number_of_queries(
    made, ask, client_for, economic_officer, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    queued = ask()
    for export in (made, queued):
        with django_assert_max_num_queries(12):
            assert client.get(status_url(export)).status_code == 200
