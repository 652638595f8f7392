"""A second year in Chromium: draft 2024 from 2023, correct a target, issue, report, amend,
and see each quarter judged against the target in force at its cut-off."""

import pytest

from conftest import PASSWORD
from planning.models import Amendment
from plans.models import Plan
from reporting.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_kinhte_runs_a_second_year_without_the_admin(page, browser, live_plan):
    base = live_plan.url
    sign_in(page, base, "kinhte")
    page.goto(f"{base}/plans/2023/")
    page.get_by_role("button", name="Lập kế hoạch năm 2024 từ kế hoạch này").click()
    page.wait_for_url(f"{base}/plans/2024/")
    assert "Dự thảo" in page.get_by_test_id("plan-status").inner_text()
    assert "16 chỉ tiêu" in page.get_by_test_id("unconfirmed-count").inner_text()

    # Sùng Phài's rice area, 142 ha last year, becomes 145: the city total is shown against
    # the sum of the units, before and after.
    page.get_by_role("link", name="Sửa chỉ tiêu Diện tích lúa chất lượng – Sùng Phài").click()
    split = page.get_by_test_id("split").inner_text()
    assert "Chỉ tiêu toàn địa bàn: 329,2 ha" in split and "Tổng các đơn vị: 329,2 ha" in split
    page.get_by_label("Giá trị").fill("145")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"{base}/plans/2024/#chi-tieu")
    mismatch = page.get_by_test_id("split-mismatch").inner_text()
    assert "329,2 ha" in mismatch and "332,2 ha" in mismatch and "chênh 3" in mismatch
    assert page.get_by_test_id("target-lua-chat-luong-dien-tich-sung-phai").inner_text() == "145"

    page.get_by_role("button", name="Xác nhận các chỉ tiêu còn lại").click()
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_label("Số, ký hiệu").fill("25/KH-UBND")
    page.get_by_label("Ngày ban hành").fill("15/01/2024")
    page.get_by_label("Người ký").fill("KT. CHỦ TỊCH – Nguyễn Văn A")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    page.wait_for_url(f"{base}/plans/2024/")
    assert "Đã ban hành" in page.get_by_test_id("plan-status").inner_text()
    assert "25/KH-UBND" in page.get_by_test_id("plan-state").inner_text()

    # San Thàng reports Quý 1/2024; Phòng Kinh tế approves it.
    official_context = browser.new_context()
    official = official_context.new_page()
    sign_in(official, base, "santhang")
    assert official.url == f"{base}/reports/2024/"
    official.goto(f"{base}/reports/2024/san-thang/2024-q1/")
    official.get_by_label("Diện tích lúa chất lượng").fill("135")
    official.get_by_role("button", name="Lưu và gửi báo cáo").click()
    official.get_by_role("button", name="Xác nhận gửi").click()
    official.get_by_text("Đã gửi báo cáo tới Phòng Kinh tế.").wait_for()
    official_context.close()
    page.goto(f"{base}/reports/2024/san-thang/2024-q1/")
    page.get_by_role("link", name="Duyệt báo cáo").click()
    page.get_by_role("button", name="Xác nhận duyệt").click()
    page.get_by_text("Đã duyệt báo cáo; số liệu được khóa.").wait_for()

    # Mid-year, a decision raises San Thàng's rice area from 135 to 150 ha.
    page.goto(f"{base}/plans/2024/")
    page.get_by_role("link", name="Sửa chỉ tiêu Diện tích lúa chất lượng – San Thàng").click()
    page.get_by_label("Giá trị").fill("150")
    page.get_by_label("Số quyết định điều chỉnh").fill("1520/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("01/07/2024")
    page.get_by_label("Lý do điều chỉnh").fill("Mở rộng vùng lúa chất lượng cao")
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    page.wait_for_url(f"{base}/plans/2024/#chi-tieu")
    amendments = page.get_by_test_id("amendments").inner_text()
    assert "1520/QĐ-UBND" in amendments and "135 → 150" in amendments
    assert "Đã điều chỉnh" in page.get_by_test_id("plan-status").inner_text()

    page.goto(f"{base}/dashboard/2024/don-vi/san-thang/?ky=2024-q1")
    q1 = page.get_by_test_id("own-targets").inner_text()
    assert "135 ha" in q1 and "Đã đạt" in q1
    assert "so với chỉ tiêu 135 ha" in q1 and "1520/QĐ-UBND" in q1
    page.goto(f"{base}/dashboard/2024/don-vi/san-thang/?ky=2024-q3")
    q3 = page.get_by_test_id("own-targets").inner_text()
    assert "150 ha" in q3 and "Có nguy cơ" in q3 and "so với chỉ tiêu 150 ha" in q3

    # The 2023 plan and its reports are as they were.
    old = Plan.objects.get(year=2023)
    assert old.status == Plan.Status.ISSUED
    assert (
        old.targets.get(indicator__code="lua-chat-luong-dien-tich", unit__slug="sung-phai").value
        == 142
    )
    assert not Report.objects.filter(period__plan=old).exists()
    assert Amendment.objects.get().plan.year == 2024
