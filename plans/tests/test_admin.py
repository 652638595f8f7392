"""Phòng Kinh tế corrects the plan in the admin, in Vietnamese, without a developer."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin

from reporting.models import Target

pytestmark = pytest.mark.django_db

PLAN_APPS = {"plans", "targets", "accounts"}


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label in PLAN_APPS]


def test_every_plan_model_is_in_the_admin():
    for app_label in PLAN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in admin.site._registry, model


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_every_changelist_opens_and_searches(
    client_for, economic_officer, model, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    if admin.site._registry[model].search_fields:
        assert client.get(url, {"q": "Lai Châu"}).status_code == 200


def test_admin_speaks_vietnamese(client_for, economic_officer):
    page = client_for(economic_officer).get("/admin/").content.decode()
    assert "Quản trị kế hoạch sản xuất nông nghiệp hàng hóa" in page
    assert "Chỉ tiêu kế hoạch" in page


def test_correcting_a_target_in_the_admin_is_recorded(client_for, economic_officer, plan):
    target = Target.objects.get(plan=plan, indicator__code="mac-ca-san-luong")
    client = client_for(economic_officer)
    url = f"/admin/targets/target/{target.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["named_units"] = [u.pk for u in target.named_units.all()]
    data["value"] = "55"
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.value == Decimal("55")
    last = target.history.first()
    assert last.history_user == economic_officer
    assert last.prev_record.value == Decimal("50")
