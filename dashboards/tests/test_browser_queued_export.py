"""Phòng Kinh tế asks for a large plan's workbook in Chromium, watches it being made by
the worker, and downloads it."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dashboards import exports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phong_kinh_te_asks_for_a_large_export_sees_it_progress_and_downloads_it(
    page, live_plan, log_in, run_worker, settings, monkeypatch, tmp_path
):
    settings.EXPORT_QUEUE_ABOVE_CELLS = 0  # the city's plan counts as large
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 0)
    seen_halfway = []
    real = exports.write_large_workbook

    def watched(*, scope, out, progress):
        def step(done, total):
            progress(done, total)
            if done == 1:  # the figures gathered: the page says so while the worker waits
                # The page's script asks the server every two seconds.
                expect(state).to_contain_text("Đang tạo tệp: đã xong 1/3 bước (33%)")
                expect(page.locator("progress")).to_have_attribute("value", "33")
                seen_halfway.append(page.url)

        return real(scope=scope, out=out, progress=step)

    monkeypatch.setattr(exports, "write_large_workbook", watched)

    log_in(page, "kinhte")
    page.goto(f"{live_plan.url}/dashboard/2023/?ky=2023-q1")
    page.get_by_role("link", name="Tải Excel").click()
    page.wait_for_url("**/dashboard/2023/tep-excel/?ky=2023-q1")
    assert "Quý 1/2023" in page.get_by_test_id("export-scope").inner_text()
    page.get_by_role("button", name="Tạo tệp Excel").click()
    page.wait_for_url("**/dashboard/tep-excel/*/")
    status_url = page.url
    state = page.get_by_test_id("export-state")
    expect(state).to_contain_text("Đang chờ xử lý")

    run_worker()  # `manage.py db_worker`'s loop, in this thread, until the queue is empty

    assert seen_halfway == [status_url]
    # Finished: the script reloads the page, which offers the file.
    expect(state).to_contain_text("Tệp đã sẵn sàng để tải về")
    assert page.url == status_url
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp Excel").click()
    download = download_info.value
    assert download.suggested_filename == "Chỉ tiêu và thực hiện 2023 - Quý 1-2023.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(path)
    assert "Quý 1/2023" in workbook["Chỉ tiêu"]["A2"].value
