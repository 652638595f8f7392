"""The admin shows and reads every number the Vietnamese way, as the report form does."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import RequestFactory

from common.forms import NumberField, WholeNumberField
from plans.models import Task
from reporting.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("quantri", password="mat-khau-quan-tri")


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return data


def _change(client, obj, **typed):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    data = {**_form_data(page.context["adminform"].form), **typed, "_save": "Lưu"}
    return page, client.post(url, data, follow=True)


def test_a_target_shows_its_value_with_a_decimal_comma_and_keeps_what_is_typed(client, superuser):
    client.force_login(superuser)
    target = Target.objects.first()
    Target.objects.filter(pk=target.pk).update(value=Decimal("329.2"))
    target.refresh_from_db()

    page, response = _change(client, target, value="330,5")

    assert 'value="329,2"' in page.content.decode()
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.value == Decimal("330.5")
    assert "330,5" in " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    ("typed", "stored"), [("1.600", Decimal("1600")), ("10.900,5", Decimal("10900.5"))]
)
def test_a_target_typed_with_thousands_points_is_read_as_thousands(
    client, superuser, typed, stored
):
    client.force_login(superuser)
    target = Target.objects.first()

    _change(client, target, value=typed)

    target.refresh_from_db()
    assert target.value == stored


@pytest.mark.parametrize("typed", ["1,2,3", "330.5.1", "ba trăm", "-5"])
def test_a_malformed_number_is_refused_at_the_field_and_nothing_changes(client, superuser, typed):
    client.force_login(superuser)
    target = Target.objects.first()
    before = target.value

    _page, response = _change(client, target, value=typed)

    form = response.context["adminform"].form
    assert form.errors["value"]
    assert any(word in form.errors["value"][0] for word in ("Nhập một số", "không được âm"))
    target.refresh_from_db()
    assert target.value == before


def test_a_whole_number_typed_with_a_thousands_point_is_not_divided_by_a_thousand(
    client, superuser
):
    client.force_login(superuser)
    task = Task.objects.first()

    _change(client, task, position="1.000")

    task.refresh_from_db()
    assert task.position == 1000


def test_every_number_field_of_every_admin_form_reads_the_vietnamese_way(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(request):
            continue
        forms = [model_admin.get_form(request)]
        forms += [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms:
            for name, field in form.base_fields.items():
                model_field = next(
                    (f for f in form._meta.model._meta.fields if f.name == name), None
                )
                if isinstance(model_field, models.DecimalField):
                    assert isinstance(field, NumberField), (model, name)
                    checked += 1
                elif isinstance(model_field, models.IntegerField) and not model_field.choices:
                    assert isinstance(field, WholeNumberField), (model, name)
    assert checked >= 5
