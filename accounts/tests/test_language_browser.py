"""The footer's language switcher in a real browser (Debian's Chromium via Playwright)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_footer_switcher_turns_the_pages_english_and_back(page, live_plan, log_in):
    log_in(page, "santhang")
    assert page.get_by_role("heading", name="Báo cáo tiến độ 2023").is_visible()
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("heading", name="Progress reports 2023").wait_for()
    assert page.url == f"{live_plan.url}/reports/2023/"
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Kế hoạch sản xuất nông nghiệp hàng hóa năm 2023").click()
    assert page.get_by_role("heading", name="Quantitative targets").is_visible()
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("heading", name="Các chỉ tiêu định lượng").wait_for()
