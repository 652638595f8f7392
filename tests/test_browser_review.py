"""The review journey in Chromium, on a desktop and on a phone: santhang types an outlier,
explains it and sends; kinhte finds it first in the queue, comments on the figure and
returns it; santhang replies and sends again; kinhte approves it with two others at once."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from plans.models import AdministrativeUnit, Plan
from reporting import services
from reporting.models import Report, ReportEvent, ReportingPeriod
from reporting.selectors import report_scope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = "/reports/2023/san-thang/2023-q1/"
QUEUE = "/reports/2023/cho-duyet/"


def send_clean_report(unit_slug):
    """Another unit's first quarter, sent in by Phòng Kinh tế on its behalf: nothing flagged."""
    plan = Plan.objects.get(year=2023)
    scope = report_scope(plan, AdministrativeUnit.objects.get(slug=unit_slug))
    officer = get_user_model().objects.get(username="kinhte")
    report = services.report_save(
        scope=scope,
        period=ReportingPeriod.objects.get(plan=plan, code="2023-q1"),
        actor=officer,
        expected_version=None,
        data=services.ReportInput(difficulties="Không có"),
    )
    return services.report_submit(report=report, actor=officer)


def confirm_sending(page):
    page.get_by_role("button", name="Lưu và gửi báo cáo").click()
    page.get_by_role("button", name="Xác nhận gửi").click()
    page.get_by_text("Đã gửi báo cáo tới Phòng Kinh tế.").wait_for()


def fits(page, width):
    return page.evaluate("document.body.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_an_outlier_is_explained_discussed_returned_and_approved_with_others(
    page, browser, live_plan, log_in, width
):
    size = {"width": width, "height": 800}
    page.set_viewport_size(size)
    log_in(page, "santhang")
    page.goto(f"{live_plan.url}{Q1}")
    page.get_by_label("Diện tích lúa chất lượng").fill("300")  # San Thàng's target: 135 ha
    page.get_by_role("button", name="Lưu nháp").click()
    warning = page.get_by_test_id("warning-lua-chat-luong-dien-tich")
    assert "so với chỉ tiêu của đơn vị (135 ha)" in warning.inner_text()
    warning.get_by_label("Giải trình (bắt buộc trước khi gửi)").fill(
        "Gộp thêm diện tích lúa của bản Sin Chải"
    )
    confirm_sending(page)
    assert fits(page, width)
    sung_phai, dong_phong = send_clean_report("sung-phai"), send_clean_report("dong-phong")

    office_context = browser.new_context(viewport=size)
    office = office_context.new_page()
    log_in(office, "kinhte")
    office.goto(f"{live_plan.url}{QUEUE}")
    first = office.get_by_test_id("queue").locator("tbody tr").first
    assert first.get_attribute("data-report") == "san-thang/2023-q1"
    assert first.get_by_test_id("flagged").inner_text().startswith("1")
    assert fits(office, width)
    first.get_by_role("link", name="San Thàng").click()
    flagged = office.get_by_test_id("flagged")
    assert "Gộp thêm diện tích lúa của bản Sin Chải" in flagged.inner_text()
    form = office.get_by_test_id("comment-form")
    form.get_by_label("Số liệu").select_option(label="Diện tích lúa chất lượng")
    form.get_by_label("Ý kiến").fill("Đề nghị gửi kèm biên bản đo đạc")
    form.get_by_role("button", name="Gửi ý kiến").click()
    office.get_by_text("Đã ghi ý kiến về số liệu.").wait_for()
    office.get_by_label("Lý do trả lại").fill("Bổ sung biên bản đo đạc diện tích lúa")
    office.get_by_role("button", name="Trả lại cho đơn vị").click()
    office.get_by_text("Đã trả lại báo cáo cho đơn vị.").wait_for()

    page.reload()
    assert "Bổ sung biên bản" in page.get_by_test_id("return-reason").inner_text()
    assert "Đề nghị gửi kèm biên bản đo đạc" in page.get_by_test_id("flagged").inner_text()
    reply = page.get_by_test_id("comment-form")
    reply.get_by_label("Ý kiến").fill("Đã có biên bản ngày 10/3, gửi kèm bản giấy")
    reply.get_by_role("button", name="Gửi ý kiến").click()
    page.get_by_text("Đã ghi ý kiến về số liệu.").wait_for()
    confirm_sending(page)
    assert fits(page, width)

    office.goto(f"{live_plan.url}{QUEUE}")
    queue = office.get_by_test_id("queue")
    for slug in ("san-thang", "sung-phai", "dong-phong"):
        queue.locator(f'tr[data-report="{slug}/2023-q1"]').get_by_role("checkbox").check()
    office.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()
    office.get_by_role("button", name="Xác nhận duyệt 3 báo cáo").click()
    office.get_by_text("Đã duyệt 3 báo cáo.").wait_for()
    assert "Không có báo cáo nào chờ duyệt." in office.content()
    office_context.close()

    for report in (
        Report.objects.get(unit__slug="san-thang", period__code="2023-q1"),
        sung_phai,
        dong_phong,
    ):
        report.refresh_from_db()
        assert report.status == Report.Status.APPROVED
        assert report.events.filter(action=ReportEvent.Action.APPROVED).count() == 1
    san_thang = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert san_thang.figures.get().value == Decimal("300")
    page.reload()
    history = page.get_by_test_id("history").inner_text()
    assert "Giải trình số liệu" in history and "Ý kiến về số liệu" in history
    assert "Đã có biên bản ngày 10/3" in history
