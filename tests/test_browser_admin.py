"""The admin, where Phòng Kinh tế corrects plan data, read in Chromium like every other page:
no serious or critical axe-core violation and no sideways scrolling at 1280 and 375 px
(the `page` fixture checks every page visited, at both widths)."""

import pytest

from plans.models import Plan
from reporting.models import Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kinhte_corrects_plan_data_in_the_admin_on_any_screen(page, live_plan, log_in):
    log_in(page, "kinhte")
    plan = Plan.objects.get(year=2023)
    target = Target.objects.filter(plan=plan).order_by("pk").first()
    for path in (
        "/admin/",
        f"/admin/plans/plan/{plan.pk}/change/",
        "/admin/targets/target/",
        f"/admin/targets/target/{target.pk}/change/",
    ):
        page.goto(f"{live_plan.url}{path}")
        assert page.locator("#content").is_visible()
