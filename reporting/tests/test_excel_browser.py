"""An official reports through Excel in Chromium: download, fill, upload, preview, confirm."""

import pytest
from openpyxl import load_workbook

from reporting.models import Report, ReportEvent

from .excel_helpers import FIGURES, TASKS, row_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = "/reports/2023/san-thang/2023-q1/"


def test_official_reports_through_excel(page, live_plan, log_in, tmp_path):
    log_in(page, "santhang")
    page.goto(f"{live_plan.url}{Q1}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải mẫu Excel").click()
    download = download_info.value
    assert download.suggested_filename == "Báo cáo San Thàng – Quý 1-2023.xlsx"
    path = tmp_path / "bao-cao.xlsx"
    download.save_as(path)

    workbook = load_workbook(path)
    figures = workbook[FIGURES]
    figures.cell(row=row_of(figures, "lua-chat-luong-dien-tich"), column=6).value = "134,5"
    figures.cell(row=row_of(figures, "che-bup-tuoi-san-luong"), column=6).value = 1250
    tasks = workbook[TASKS]
    row = row_of(tasks, "II.2.1.a")
    tasks.cell(row=row, column=3).value = "Đang thực hiện"
    tasks.cell(row=row, column=4).value = "Hỗ trợ 12 hộ làm chuồng trại"
    workbook.save(path)

    page.get_by_role("link", name="Tải lên tệp Excel đã điền").click()
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    preview = page.get_by_test_id("preview-changes")
    preview.wait_for()
    text = preview.inner_text()
    assert "Diện tích lúa chất lượng (ha)" in text and "134,5" in text
    assert "1.250" in text and "Hỗ trợ 12 hộ làm chuồng trại" in text
    assert not Report.objects.exists()

    page.get_by_role("button", name="Xác nhận lưu 4 thay đổi").click()
    page.get_by_text("Đã lưu 4 thay đổi từ tệp Excel vào báo cáo.").wait_for()
    assert page.get_by_label("Diện tích lúa chất lượng").input_value() == "134,5"
    assert page.get_by_label("Sản lượng chè búp tươi").input_value() == "1.250"
    history = page.get_by_test_id("history").inner_text()
    assert "Nhập từ Excel" in history and "(trống) → 134,5" in history
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.events.filter(action=ReportEvent.Action.IMPORTED).count() == 1


def test_a_bad_file_is_answered_on_the_page(page, live_plan, log_in, tmp_path):
    log_in(page, "santhang")
    page.goto(f"{live_plan.url}{Q1}tai-len/")
    path = tmp_path / "bao-cao.csv"
    path.write_bytes("\ufeffMã chỉ tiêu,Số liệu\n".encode())
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    problems = page.get_by_test_id("upload-problems").inner_text()
    assert "Tệp CSV không được nhận" in problems
    assert not Report.objects.exists()
