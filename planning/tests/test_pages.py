"""The plan pages: Phòng Kinh tế edits where the plan reads, everyone else reads."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms as django_forms
from django.db import models
from django.urls import reverse

from common.forms import VietnameseNumberField
from planning import forms as plan_forms
from planning.carry import plan_draft_next_year
from planning.models import Amendment
from plans.models import Plan
from reporting.models import Indicator

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"


@pytest.fixture
def draft(economic_officer, plan):
    return plan_draft_next_year(actor=economic_officer, plan=plan)


def rice(plan, slug):
    return plan.targets.get(indicator__code=RICE, unit__slug=slug)


def test_kinhte_drafts_next_years_plan_from_the_plan_page(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    page = client.get(reverse("plans:detail", args=[2023]))
    assert "Lập kế hoạch năm 2024" in page.content.decode()
    answer = client.post(reverse("plans:next_year", args=[2023]))
    assert answer.status_code == 302 and answer.url.startswith("/plans/2024/")
    page = client.get(answer.url)
    text = page.content.decode()
    assert "Dự thảo" in text and "chưa xác nhận" in text
    assert "Chưa có quyết định giao chỉ tiêu năm 2024" in text


def test_a_draft_is_not_open_for_reporting(client_for, san_thang_official, economic_officer, draft):
    for person in (san_thang_official, economic_officer):
        answer = client_for(person).get("/reports/2024/")
        assert answer.status_code == 403
        assert "dự thảo" in answer.content.decode()


def test_kinhte_changes_a_units_target_and_sees_the_city_total_against_the_sum(
    client_for, economic_officer, draft
):
    client = client_for(economic_officer)
    target = rice(draft, "sung-phai")
    url = reverse("plans:target_edit", args=[2024, target.pk])
    form = client.get(url).content.decode()
    assert "Tổng các đơn vị: 329,2 ha" in form
    data = {
        "value": "145",
        "comparison": target.comparison,
        "unit": target.unit_id,
        "source_text": target.source_text,
        "section": target.section_id,
    }
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal("145") and target.confirmed
    page = client.get(reverse("plans:detail", args=[2024])).content.decode()
    assert "tổng các đơn vị 332,2 ha (chênh 3)" in page


def test_a_wrong_value_is_refused_at_the_field_and_kept(client_for, economic_officer, draft):
    target = rice(draft, "sung-phai")
    answer = client_for(economic_officer).post(
        reverse("plans:target_edit", args=[2024, target.pk]),
        {
            "value": "14a",
            "comparison": target.comparison,
            "unit": target.unit_id,
            "section": target.section_id,
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Nhập một số, ví dụ 22,2 hoặc 1.600." in text and 'value="14a"' in text
    target.refresh_from_db()
    assert target.value == Decimal("142")


def test_leadership_and_officials_read_the_plan_without_edit_controls_and_cannot_write(
    client_for, leader, san_thang_official, plan
):
    target = rice(plan, "sung-phai")
    for person in (leader, san_thang_official):
        client = client_for(person)
        page = client.get(reverse("plans:detail", args=[2023])).content.decode()
        assert "329,2" in page
        assert reverse("plans:target_edit", args=[2023, target.pk]) not in page
        assert "Lập kế hoạch năm 2024" not in page
        url = reverse("plans:target_edit", args=[2023, target.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"value": "1"}).status_code == 403
        assert client.post(reverse("plans:next_year", args=[2023])).status_code == 403
    assert not Plan.objects.filter(year=2024).exists()


def test_an_issued_plans_target_changes_only_with_an_amendment(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    target = rice(plan, "sung-phai")
    url = reverse("plans:target_edit", args=[2023, target.pk])
    data = {
        "value": "150",
        "comparison": target.comparison,
        "unit": target.unit_id,
        "section": target.section_id,
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Số quyết định điều chỉnh" in refused.content.decode()
    data |= {
        "dieu_chinh-decision_number": "1520/QĐ-UBND",
        "dieu_chinh-decided_on": "01/07/2023",
        "dieu_chinh-reason": "Mở rộng diện tích lúa chất lượng",
    }
    assert client.post(url, data).status_code == 302
    amendment = Amendment.objects.get(plan=plan)
    assert amendment.decided_on == date(2023, 7, 1)
    page = client.get(reverse("plans:detail", args=[2023])).content.decode()
    assert "1520/QĐ-UBND" in page and "142 → 150" in page
    history = client.get(reverse("plans:history", args=[2023])).content.decode()
    assert "142 → 150" in history and "kinhte" in history or "Kinh tế" in history


def test_kinhte_issues_the_draft_with_number_date_and_signer(client_for, economic_officer, draft):
    client = client_for(economic_officer)
    client.post(reverse("plans:confirm_targets", args=[2024]))
    answer = client.post(
        reverse("plans:issue", args=[2024]),
        {"number": "25/KH-UBND", "issued_on": "15/01/2024", "signer": "Nguyễn Văn A"},
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ISSUED and draft.issued_on == date(2024, 1, 15)
    assert client.get("/reports/2024/").status_code == 200


def test_the_plan_page_takes_a_fixed_number_of_queries(
    client_for, economic_officer, plan, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    with django_assert_max_num_queries(19):  # as for leadership: the edit controls cost none
        client.get(reverse("plans:detail", args=[2023]))


def test_a_drafts_page_and_a_target_form_take_a_fixed_number_of_queries(
    client_for, economic_officer, draft, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    with django_assert_max_num_queries(19):
        client.get(reverse("plans:detail", args=[2024]))
    target = rice(draft, "sung-phai")
    with django_assert_max_num_queries(14):  # the form offers the plan's sections and units
        client.get(reverse("plans:target_edit", args=[2024, target.pk]))


def indicator_data(indicator, months):
    data = {
        "name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
        "behaviour": indicator.behaviour,
        "sector": indicator.sector,
        "mua_vu-note": "Hai vụ lúa",
    }
    data |= {f"mua_vu-month_{m}": value for m, value in enumerate(months, start=1)}
    return data


def test_kinhte_edits_an_indicators_seasonal_profile_in_vietnamese(
    client_for, economic_officer, draft
):
    from planning.models import PlanEvent
    from reporting.models import Indicator, SeasonalProfile

    client = client_for(economic_officer)
    rice_output = Indicator.objects.get(code="lua-chat-luong-san-luong")
    url = reverse("plans:indicator_edit", args=[2024, rice_output.code])
    wrong = indicator_data(rice_output, ["0"] * 5 + ["30,5", "25", "0", "25", "25", "0", "0"])
    refused = client.post(url, wrong)
    assert refused.status_code == 400
    assert "Tổng tỷ lệ 12 tháng phải bằng 100%, hiện là 105,5%." in refused.content.decode()
    assert 'value="30,5"' in refused.content.decode()
    right = indicator_data(rice_output, ["0"] * 5 + ["20,5", "29,5", "0", "25", "25", "0", "0"])
    assert client.post(url, right).status_code == 302
    profile = SeasonalProfile.objects.get(indicator=rice_output)
    assert profile.month_6 == Decimal("20.5") and profile.month_7 == Decimal("29.5")
    change = PlanEvent.objects.get(plan=draft, action=PlanEvent.Action.EDITED).changes.get(
        field="month_6"
    )
    assert (change.old_value, change.new_value) == ("25", "20,5")


def test_an_indicator_with_reported_figures_keeps_its_kind_and_unit(
    client_for, economic_officer, draft, plan
):
    from reporting.models import Indicator, Report, ReportFigure

    area = Indicator.objects.get(code=RICE)
    report = Report.objects.create(unit=rice(plan, "san-thang").unit, period=plan.periods.first())
    ReportFigure.objects.create(report=report, indicator=area, value=135)
    data = indicator_data(area, [""] * 12) | {"behaviour": Indicator.Behaviour.FLOW}
    answer = client_for(economic_officer).post(
        reverse("plans:indicator_edit", args=[2024, area.code]), data
    )
    assert answer.status_code == 400 and "Đã có số liệu báo cáo" in answer.content.decode()
    area.refresh_from_db()
    assert area.behaviour == Indicator.Behaviour.STOCK


def test_the_history_page_takes_a_fixed_number_of_queries_whatever_its_length(
    client_for, economic_officer, draft, django_assert_max_num_queries
):
    client = client_for(economic_officer)
    client.post(reverse("plans:confirm_targets", args=[2024]))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("plans:history", args=[2024]))
    text = page.content.decode()
    assert "Lập dự thảo từ kế hoạch năm trước" in text and "Xác nhận chỉ tiêu" in text
    assert text.count("Đã xác nhận: không → có") == 16


def test_kinhte_adds_a_target_and_a_task_to_a_draft(client_for, economic_officer, draft, unit):
    client = client_for(economic_officer)
    section = draft.sections.get(code="II.1.1")
    answer = client.post(
        reverse("plans:target_add", args=[2024]),
        {
            "indicator": Indicator.objects.get(code=RICE).pk,
            "value": "10,5",
            "comparison": "duy_tri",
            "unit": unit("doan-ket").pk,
            "section": section.pk,
            "source_text": "Đoàn Kết 10,5ha",
        },
    )
    assert answer.status_code == 302
    assert rice(draft, "doan-ket").value == Decimal("10.5")
    page = client.get(reverse("plans:detail", args=[2024])).content.decode()
    assert "tổng các đơn vị 339,7 ha (chênh 10,5)" in page
    answer = client.post(
        reverse("plans:task_add", args=[2024]),
        {
            "code": "II.1.7",
            "title": "Thí điểm lúa hữu cơ",
            "description": "Thí điểm 2 ha lúa hữu cơ tại Đoàn Kết.",
            "section": section.pk,
            "units": [unit("doan-ket").pk],
        },
    )
    assert answer.status_code == 302
    assert [u.slug for u in draft.tasks.get(code="II.1.7").units.all()] == ["doan-ket"]
    again = client.post(
        reverse("plans:task_add", args=[2024]),
        {"code": "II.1.7", "title": "x", "description": "x", "section": section.pk},
    )
    assert again.status_code == 400
    assert "Kế hoạch đã có nhiệm vụ mang mã này." in again.content.decode()


def test_every_number_on_the_plan_forms_is_read_the_vietnamese_way():
    """1.000 on a plan page is one thousand, as in the report form and the admin, never 1."""
    model_forms = [
        form
        for form in vars(plan_forms).values()
        if isinstance(form, type) and issubclass(form, django_forms.ModelForm) and form._meta.model
    ]
    assert len(model_forms) >= 5
    for form in model_forms:
        for name, field in form.base_fields.items():
            db_field = form._meta.model._meta.get_field(name)
            numeric = isinstance(db_field, models.DecimalField | models.IntegerField)
            if numeric and not db_field.choices:
                assert isinstance(field, VietnameseNumberField), (form.__name__, name)


def test_kinhte_adds_a_new_indicator_and_goes_on_to_its_target(
    client_for, economic_officer, draft, unit
):
    client = client_for(economic_officer)
    new = {"name": "Diện tích mắc ca trồng mới", "unit_of_measure": "ha"}
    answer = client.post(
        reverse("plans:indicator_add", args=[2024]),
        {**new, "behaviour": "phat_sinh", "sector": "trong_trot"},
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith("/chi-tieu/them/?chi_tieu_do=dien-tich-mac-ca-trong-moi")
    target_page = client.get(answer["Location"]).content.decode()
    assert "selected>Diện tích mắc ca trồng mới" in target_page.replace('" selected', " selected")
    history = client.get(reverse("plans:history", args=[2024])).content.decode()
    assert "Diện tích mắc ca trồng mới" in history

    # The same name again is another indicator with its own code, never a clash.
    client.post(
        reverse("plans:indicator_add", args=[2024]),
        {**new, "behaviour": "phat_sinh", "sector": "trong_trot"},
    )
    assert set(Indicator.objects.filter(name=new["name"]).values_list("code", flat=True)) == {
        "dien-tich-mac-ca-trong-moi",
        "dien-tich-mac-ca-trong-moi-2",
    }


def test_a_new_indicator_without_a_name_is_refused_at_the_field(
    client_for, economic_officer, draft
):
    answer = client_for(economic_officer).post(
        reverse("plans:indicator_add", args=[2024]),
        {"name": "", "unit_of_measure": "ha", "behaviour": "ton", "sector": "trong_trot"},
    )
    assert answer.status_code == 400
    assert 'value="ha"' in answer.content.decode()  # what was typed is kept


def test_kinhte_removes_a_target_and_a_task_from_a_draft_and_the_history_says_so(
    client_for, economic_officer, draft
):
    client = client_for(economic_officer)
    target = rice(draft, "san-thang")
    task = draft.tasks.order_by("position").first()
    edit_page = client.get(reverse("plans:target_edit", args=[2024, target.pk])).content.decode()
    delete_url = reverse("plans:target_delete", args=[2024, target.pk])
    assert delete_url in edit_page
    assert "Xóa" in client.get(delete_url).content.decode()  # asked first
    assert client.post(delete_url).status_code == 302
    assert client.post(reverse("plans:task_delete", args=[2024, task.pk])).status_code == 302
    assert not draft.targets.filter(pk=target.pk).exists()
    assert not draft.tasks.filter(pk=task.pk).exists()
    history = client.get(reverse("plans:history", args=[2024])).content.decode()
    assert history.count("Xóa") >= 2 and task.code in history


def test_an_issued_plan_keeps_its_targets_whoever_asks(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    target = rice(plan, "san-thang")
    assert (
        reverse("plans:target_delete", args=[2023, target.pk])
        not in client.get(reverse("plans:target_edit", args=[2023, target.pk])).content.decode()
    )
    answer = client.post(reverse("plans:target_delete", args=[2023, target.pk]), follow=True)
    assert "Chỉ xóa được nội dung của kế hoạch dự thảo." in answer.content.decode()
    assert plan.targets.filter(pk=target.pk).exists()
