"""In Chromium: a returned report lights the official's bell; the link opens the report
with Phòng Kinh tế's reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from plans.models import AdministrativeUnit
from reporting.models import Report, ReportingPeriod
from reporting.services import report_return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_report_lights_the_bell_and_its_link_opens_the_report(page, live_plan, log_in):
    report = Report.objects.create(
        period=ReportingPeriod.objects.get(code="2023-q1"),
        unit=AdministrativeUnit.objects.get(slug="san-thang"),
        status=Report.Status.SUBMITTED,
        submitted_at=datetime(2023, 3, 14, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    office = get_user_model().objects.get(username="kinhte")
    report_return(report=report, actor=office, reason="Sản lượng chè chưa khớp số liệu thu mua")

    log_in(page, "santhang")
    bell = page.get_by_test_id("bell")
    assert bell.get_by_test_id("unread-count").inner_text() == "1"
    bell.click()
    page.wait_for_url(f"{live_plan.url}/notifications/")
    page.get_by_role(
        "link", name="Báo cáo Quý 1/2023 của San Thàng bị Phòng Kinh tế trả lại"
    ).click()
    page.wait_for_url(f"{live_plan.url}/reports/2023/san-thang/2023-q1/")
    reason = page.get_by_test_id("return-reason").inner_text()
    assert "Sản lượng chè chưa khớp số liệu thu mua" in reason
    assert page.get_by_test_id("bell").get_by_test_id("unread-count").count() == 0
