"""The admin stays for corrections, and its saves are on the plan's record like the pages'."""

from datetime import date
from decimal import Decimal

import pytest

from planning.models import PlanEvent
from planning.services import plan_close
from reporting.models import Target

pytestmark = pytest.mark.django_db


def admin_form_data(client, url):
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return {k: v for k, v in data.items() if v is not None}


def test_a_correction_in_the_admin_is_in_the_plans_history(client_for, economic_officer, plan):
    target = Target.objects.get(plan=plan, indicator__code="mac-ca-san-luong")
    client = client_for(economic_officer)
    url = f"/admin/targets/target/{target.pk}/change/"
    data = admin_form_data(client, url)
    data["named_units"] = [u.pk for u in target.named_units.all()]
    data["value"] = "55"
    assert client.post(url, data).status_code == 302
    event = PlanEvent.objects.get(plan=plan, action=PlanEvent.Action.CORRECTED)
    assert event.actor == economic_officer
    change = event.changes.get(field="value")
    assert (change.old_value, change.new_value) == ("50", "55")
    history = client.get(f"/plans/{plan.year}/lich-su/").content.decode()
    assert "50 → 55" in history


def test_the_admin_cannot_move_a_plans_state_by_hand(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    form = client.get(f"/admin/plans/plan/{plan.pk}/change/").context["adminform"].form
    assert "status" not in form.fields and "previous" not in form.fields


def test_a_closed_plan_is_read_only_in_the_admin(client_for, economic_officer, plan):
    plan_close(actor=economic_officer, plan=plan, today=date(2023, 12, 20))
    target = Target.objects.get(plan=plan, indicator__code="mac-ca-san-luong")
    client = client_for(economic_officer)
    url = f"/admin/targets/target/{target.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "adminform" in page.context
    client.post(url, {"value": "1"})
    target.refresh_from_db()
    assert target.value == Decimal("50")


def test_an_admin_excel_import_is_in_the_plans_history(client_for, economic_officer, plan):
    from plans.tests.test_import_export import admin_upload, exported, modified
    from reporting.resources import TargetResource

    client = client_for(economic_officer)
    url = "/admin/targets/target/"
    content = modified(
        exported(TargetResource),
        "Giá trị",
        "140,5",
        match=lambda row, headers: (
            (row[1].value, row[3].value) == ("lua-chat-luong-dien-tich", "san-thang")
        ),
    )
    preview = admin_upload(client, url, content)
    assert not PlanEvent.objects.exists()  # the dry run is rolled back, its record too
    form = preview.context["confirm_form"]
    client.post(f"{url}process_import/", {n: form.initial.get(n, "") for n in form.fields})
    event = PlanEvent.objects.get(plan=plan, action=PlanEvent.Action.CORRECTED)
    change = event.changes.get(field="value")
    assert (change.old_value, change.new_value, event.actor) == ("135", "140,5", economic_officer)
