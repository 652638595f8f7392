"""In a real browser the Content Security Policy blocks nothing the application needs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy_and_the_language_switcher_still_switches(
    page, live_plan, log_in
):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, "kinhte")
    for path in ["/reports/2023/san-thang/2023-q1/", "/dashboard/2023/", "/audit/", "/plans/2023/"]:
        page.goto(live_plan.url + path)
    # Bootstrap's dropdown (script from our own files) opens the user menu.
    page.get_by_test_id("user-menu").click()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()

    page.get_by_label("Ngôn ngữ").select_option("en")
    page.locator("html[lang=en]").wait_for(state="attached", timeout=10_000)
    assert violations == []
