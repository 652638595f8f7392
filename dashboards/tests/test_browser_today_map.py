"""Leadership reads the 2023 plan on today's map, in Chromium: the issue's journey from the
dashboard to Phường Tân Phong, down to San Thàng and its Quý 1 report."""

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RICE = "lua-chat-luong-dien-tich"


def test_leadership_drills_from_tan_phong_ward_to_san_thangs_first_quarter_report(
    page, live_plan, report_figures
):
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=135)
    report_figures("dong-phong", "2023-q2", lua_chat_luong_dien_tich=28)
    report_figures("sung-phai", "2023-q2", lua_chat_luong_dien_tich=142)

    page.goto(f"{live_plan.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_plan.url}/dashboard/2023/")
    plan_wide = page.get_by_test_id("attainment").inner_text()

    switch = page.get_by_test_id("map-switch")
    switch.get_by_role("link", name="Theo đơn vị hành chính hiện nay").click()
    page.wait_for_url("**/dashboard/2023/?theo=hien-nay")
    assert page.get_by_test_id("attainment").inner_text() == plan_wide
    today = page.get_by_test_id("today-units")
    tan_phong = today.locator("tbody[data-unit=phuong-tan-phong]")
    rice = tan_phong.locator(f"tr[data-indicator={RICE}]")
    assert rice.get_by_test_id("today-target").inner_text() == "165 ha"
    assert rice.get_by_test_id("today-actual").inner_text() == "163 ha"
    assert tan_phong.get_by_test_id("partial").inner_text() == "chỉ gồm một phần địa bàn"
    doan_ket = today.locator("tbody[data-unit=phuong-doan-ket]")
    assert "164,2 ha" in doan_ket.locator(f"tr[data-indicator={RICE}]").inner_text()

    tan_phong.get_by_role("link", name="Phường Tân Phong").click()
    page.wait_for_url("**/dashboard/2023/don-vi-hien-nay/phuong-tan-phong/?theo=hien-nay")
    assert "Xã Nùng Nàng, Xã Bản Giang" in page.get_by_test_id("partial-note").inner_text()
    page.get_by_test_id("old-units").get_by_role("link", name="Xã San Thàng").click()
    page.wait_for_url("**/dashboard/2023/don-vi/san-thang/?theo=hien-nay")
    assert page.get_by_test_id("now-in").inner_text() == "Nay thuộc: Phường Tân Phong"

    page.get_by_test_id("contributions").get_by_role("link", name="Quý 1/2023").click()
    page.wait_for_url("**/reports/2023/san-thang/2023-q1/")
    assert "135" in page.locator("main").inner_text()
