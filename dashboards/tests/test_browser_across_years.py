"""Leadership compares 2023 and 2024 on an indicator's page, in Chromium: the issue's
journey after Phòng Kinh tế has run the second year (planning/tests/test_browser_new_year.py
walks that part through the pages; here it is set up through the same services)."""

import pytest
from django.contrib.auth import get_user_model

from conftest import PASSWORD
from plans.models import Plan
from reporting.models import StageTarget

from .test_across_years import RICE, file_figure, next_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_compares_2023_and_2024_on_an_indicators_page(page, live_plan):
    keeper = get_user_model().objects.get(username="kinhte")
    plan_2023 = Plan.objects.get(year=2023)
    file_figure(plan_2023, keeper, "san-thang", "2023-q4", RICE, "135")
    file_figure(plan_2023, keeper, "sung-phai", "2023-q4", RICE, "142")
    plan_2024 = next_year(plan_2023, {(RICE, "sung-phai"): 145})
    file_figure(plan_2024, keeper, "san-thang", "2024-q1", RICE, "135")

    page.goto(f"{live_plan.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto(f"{live_plan.url}/dashboard/2024/")
    page.get_by_role("link", name="Diện tích lúa chất lượng", exact=True).first.click()
    page.wait_for_url(f"**/dashboard/2024/chi-tieu/{RICE}/**")

    years = page.get_by_test_id("years")
    row_2023 = years.locator("tr[data-year='2023']").inner_text()
    row_2024 = years.locator("tr[data-year='2024']").inner_text()
    assert "329,2" in row_2023 and "277" in row_2023 and "84,1" in row_2023
    assert "329,2" in row_2024 and "135" in row_2024 and "41,0" in row_2024
    assert "Chưa nhập chỉ tiêu giai đoạn." in years.locator("tr[data-stage]").inner_text()
    chart = page.get_by_test_id("year-chart")
    assert chart.is_visible()
    assert chart.locator("rect title").all_text_contents()[:3] == [
        "2023 – Kế hoạch: 329,2",
        "2023 – Thực hiện: 277",
        "2024 – Kế hoạch: 329,2",
    ]
    assert not page.get_by_role("link", name="Nhập chỉ tiêu giai đoạn").count()

    years.get_by_role("link", name="2023", exact=True).click()
    page.wait_for_url(f"**/dashboard/2023/chi-tieu/{RICE}/")
    assert "277 ha" in page.get_by_test_id("actual").inner_text()
    assert not StageTarget.objects.exists()
