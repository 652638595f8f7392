"""Journeys in a real browser: Debian's Chromium driven by Playwright."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_logs_in_and_reads_the_plan(page, live_plan, log_in):
    log_in(page, "santhang")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name="Kế hoạch sản xuất nông nghiệp hàng hóa năm 2023").click()
    page.wait_for_url(f"{live_plan.url}/plans/2023/")
    assert "Kế hoạch sản xuất nông nghiệp hàng hóa năm 2023" in page.title()
    targets = page.get_by_test_id("targets-summary")
    rice_row = targets.get_by_role("row").filter(has_text="San Thàng").first
    assert "135" in rice_row.inner_text()
    assert "10.900" in targets.inner_text()
    assert page.get_by_role("heading", name="6. UBND các xã, phường").is_visible()
    assert "Cán bộ Xã San Thàng" in page.get_by_test_id("user-menu").inner_text()


def test_official_logs_out_from_the_menu(page, live_plan, log_in):
    log_in(page, "santhang")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_plan.url}/accounts/login/")
    page.goto(f"{live_plan.url}/plans/2023/")
    assert page.url.startswith(f"{live_plan.url}/accounts/login/")
