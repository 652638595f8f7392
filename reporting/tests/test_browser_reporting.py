"""The reporting journey in Chromium: fill, submit, return, correct, resubmit, approve."""

import pytest

from reporting.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = "/reports/2023/san-thang/2023-q1/"


def send(page):
    """The page's send button saves, then asks for confirmation on a page of its own."""
    page.get_by_role("button", name="Lưu và gửi báo cáo").click()
    page.get_by_role("button", name="Xác nhận gửi").click()
    page.get_by_text("Đã gửi báo cáo tới Phòng Kinh tế.").wait_for()


def fill_and_submit(page, tea_output):
    page.get_by_label("Diện tích lúa chất lượng").fill("135")
    page.get_by_label("Sản lượng chè búp tươi").fill(tea_output)
    task = page.get_by_test_id("task-II.2.1.a")
    task.get_by_label("Tình hình").select_option(label="Đang thực hiện")
    task.get_by_label("Kết quả thực hiện").fill("Hỗ trợ 12 hộ làm chuồng trại")
    send(page)


def test_report_goes_from_the_commune_to_approval(page, browser, live_plan, log_in):
    log_in(page, "santhang")
    page.get_by_test_id("todo").get_by_role("link", name="Quý 1/2023").click()
    page.wait_for_url(f"{live_plan.url}{Q1}")
    fill_and_submit(page, "1.250,5")
    assert "Đã gửi" in page.get_by_test_id("report-status").inner_text()

    office_context = browser.new_context()
    office = office_context.new_page()
    log_in(office, "kinhte")
    office.get_by_role("link", name="Quý", exact=True).click()
    office.locator("tr[data-unit=san-thang]").get_by_role("link").first.click()
    office.wait_for_url(f"{live_plan.url}{Q1}")
    assert "1.250,5 tấn" in office.get_by_test_id("figures").inner_text()
    office.get_by_label("Lý do trả lại").fill("Sản lượng chè chưa khớp với số liệu thu mua")
    office.get_by_role("button", name="Trả lại cho đơn vị").click()
    office.get_by_text("Đã trả lại báo cáo cho đơn vị.").wait_for()

    page.reload()
    assert "chưa khớp với số liệu thu mua" in page.get_by_test_id("return-reason").inner_text()
    assert page.get_by_label("Sản lượng chè búp tươi").input_value() == "1.250,5"
    page.get_by_label("Sản lượng chè búp tươi").fill("1.300")
    send(page)

    office.reload()
    office.get_by_role("link", name="Duyệt báo cáo").click()
    office.get_by_role("button", name="Xác nhận duyệt").click()
    office.get_by_text("Đã duyệt báo cáo; số liệu được khóa.").wait_for()
    office_context.close()

    page.reload()
    assert "Đã duyệt" in page.get_by_test_id("report-status").inner_text()
    assert page.get_by_role("textbox").count() == 0
    assert "1.300 tấn" in page.get_by_test_id("figures").inner_text()
    history = page.get_by_test_id("history").inner_text()
    assert "1.250,5 → 1.300" in history
    assert "Trả lại" in history and "Duyệt" in history
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.status == Report.Status.APPROVED


def test_official_reports_from_a_phone(page, live_plan, log_in):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, "santhang")
    page.goto(f"{live_plan.url}{Q1}")
    fill_and_submit(page, "900")
    assert "Đã gửi" in page.get_by_test_id("report-status").inner_text()
    body_width = page.evaluate("document.body.scrollWidth")
    assert body_width <= 375


def test_a_bad_number_is_marked_at_its_field_and_the_rest_is_kept(page, live_plan, log_in):
    log_in(page, "santhang")
    page.goto(f"{live_plan.url}{Q1}")
    page.get_by_label("Diện tích lúa chất lượng").fill("-3")
    page.get_by_label("Sản lượng chè búp tươi").fill("1.200")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Số liệu không được âm.").wait_for()
    assert page.get_by_label("Diện tích lúa chất lượng").input_value() == "-3"
    assert page.get_by_label("Sản lượng chè búp tươi").input_value() == "1.200"
    assert not Report.objects.exists()
