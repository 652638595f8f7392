"""After the 2025 reform, in Chromium: kinhte drafts the 2026 plan from 2023's, sees the
wards' targets added up from the old units, issues it, makes Tân Phong ward's account;
the ward reports, and San Thàng's old account is told why it no longer does."""

import pytest

from conftest import PASSWORD
from reporting.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Phuong-Tan-Phong-2026"


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_a_plan_after_the_reform_from_draft_to_the_wards_report(page, browser, live_plan):
    base = live_plan.url
    sign_in(page, base, "kinhte")
    page.goto(f"{base}/plans/2023/")
    page.get_by_label("hoặc cho năm").fill("2026")
    page.get_by_role("button", name="Lập", exact=True).click()
    page.wait_for_url(f"{base}/plans/2026/")
    assert "Tỉnh Lai Châu" in page.get_by_test_id("carried-across-reform").inner_text()
    rice = "lua-chat-luong-dien-tich"
    assert page.get_by_test_id(f"target-{rice}-phuong-tan-phong").inner_text().startswith("165")
    note = page.get_by_test_id(f"carried-note-{rice}-phuong-tan-phong").inner_text()
    assert "Cộng từ chỉ tiêu của: San Thàng 135 ha, Đông Phong 30 ha." in note
    assert "Nùng Nàng, Bản Giang" in note
    assert page.get_by_test_id(f"target-{rice}-phuong-doan-ket").inner_text().startswith("164,2")

    page.get_by_role("button", name="Xác nhận các chỉ tiêu còn lại").click()
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_label("Số, ký hiệu").fill("08/KH-UBND")
    page.get_by_label("Ngày ban hành").fill("12/01/2026")
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    page.wait_for_url(f"{base}/plans/2026/")

    page.goto(f"{base}/accounts/users/")
    page.get_by_test_id("official-add").click()
    page.get_by_label("Đơn vị").select_option(label="Phường Tân Phong – Lai Châu")
    page.get_by_label("Tên đăng nhập").fill("canbo.tanphong")
    page.get_by_label("Họ và tên").fill("Lò Văn Minh")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.get_by_text("Đã tạo tài khoản canbo.tanphong").wait_for()

    ward_context = browser.new_context()
    ward = ward_context.new_page()
    sign_in(ward, base, "canbo.tanphong", NEW_PASSWORD)
    assert ward.url == f"{base}/reports/2026/"
    ward.goto(f"{base}/reports/2026/phuong-tan-phong/2026-q1/")
    ward.get_by_label("Diện tích lúa chất lượng").fill("160,5")
    ward.get_by_role("button", name="Lưu và gửi báo cáo").click()
    ward.get_by_role("button", name="Xác nhận gửi").click()
    ward.get_by_text("Đã gửi báo cáo tới Phòng Kinh tế.").wait_for()
    ward_context.close()
    report = Report.objects.get(unit__slug="phuong-tan-phong", period__code="2026-q1")
    assert report.status == Report.Status.SUBMITTED

    old_context = browser.new_context()
    old = old_context.new_page()
    sign_in(old, base, "santhang")
    assert old.url == f"{base}/plans/"
    assert "Xã San Thàng đã kết thúc ngày 30/06/2025" in old.content()
    old.goto(f"{base}/reports/2026/")
    reason = old.get_by_test_id("error-reason").inner_text()
    assert "không báo cáo cho kế hoạch năm 2026" in reason and "Tân Phong" in reason
    answer = old.goto(f"{base}/reports/2023/san-thang/2023-q1/")
    assert answer is not None and answer.status == 200
    old_context.close()
