"""Phòng Kinh tế's audit page: who changed what, when, from where, filtered and paged."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from plans.models import OcopProduct

pytestmark = pytest.mark.django_db

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"
PROXY = "10.0.0.5"


def _form_data(response, **changes):
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update(changes)
    return data


@pytest.fixture
def history(client, san_thang_official, economic_officer):
    """An official submits through the city's proxy; Phòng Kinh tế returns it and edits OCOP."""
    with override_settings(TRUSTED_PROXIES=[PROXY]):
        client.force_login(san_thang_official)
        page = client.get(SAN_THANG_Q1)
        client.post(
            SAN_THANG_Q1,
            _form_data(page, **{RICE_AREA: "134,5"}, action="submit"),
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    client.force_login(economic_officer)
    client.post(SAN_THANG_Q1 + "xu-ly/", {"action": "return", "reason": "<b>Thiếu</b> số liệu"})
    product = OcopProduct.objects.create(
        name="Chè Shan tuyết",
        group="thuc_pham",
        owner="HTX",
        unit_id=san_thang_official.profile.unit_id,
        score=72,
        decision_number="1/QĐ",
        decision_date=date(2023, 3, 1),
        issuing_level="tinh",
    )
    data = {
        "name": "Chè Shan tuyết San Thàng",
        "group": "thuc_pham",
        "owner": "HTX",
        "unit": product.unit_id,
        "score": "72",
        "decision_number": "1/QĐ",
        "decision_date": "01/03/2023",
        "issuing_level": "tinh",
        "status": product.status,
    }
    response = client.post(f"/plans/2023/ocop/{product.pk}/sua/", data)
    assert response.status_code == 302
    return client


def test_report_steps_show_who_what_and_the_address_behind_the_proxy(history):
    page = history.get("/audit/").content.decode()
    assert "santhang" in page and "203.0.113.9" in page
    assert "Báo cáo San Thàng – Quý 1/2023" in page
    assert "134,5" in page  # the changed figure, old → new
    assert "Trả lại" in page


def test_plan_data_changes_show_old_and_new_values(history):
    entry = AuditEntry.objects.get(subject__startswith="Sản phẩm OCOP", action="Sửa")
    assert entry.actor.username == "kinhte" and entry.client_ip == "127.0.0.1"
    assert entry.changes == [["Tên sản phẩm", "Chè Shan tuyết", "Chè Shan tuyết San Thàng"]]
    assert "Chè Shan tuyết San Thàng" in history.get("/audit/?loai=du_lieu").content.decode()


def test_text_typed_by_users_is_escaped(history):
    page = history.get("/audit/").content.decode()
    assert "<b>Thiếu</b>" not in page and "&lt;b&gt;Thiếu&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguoi=santhang", {"Tạo báo cáo", "Lưu", "Gửi"}),
        ("nguoi=kinhte&loai=bao_cao", {"Trả lại"}),
        ("loai=tai_khoan", {"Tạo mới"}),  # the demo accounts' roles
        ("don_vi=doan-ket", {"Tạo mới"}),  # only the official's account was made there
    ],
)
def test_filters(history, query, expected):
    response = history.get(f"/audit/?{query}")
    assert {entry.action for entry in response.context["page"].object_list} == expected


def test_date_filter_takes_vietnamese_dates(history):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).strftime("%d/%m/%Y")
    assert len(history.get("/audit/").context["page"].object_list) > 0
    assert len(history.get(f"/audit/?tu_ngay={tomorrow}").context["page"].object_list) == 0
    shown = history.get(f"/audit/?den_ngay={today:%d/%m/%Y}").context["page"].object_list
    assert len(shown) > 0


def test_a_bad_date_is_refused_at_the_field(history):
    response = history.get("/audit/?tu_ngay=31/02/2023")
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in response.content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(
    history, economic_officer, django_assert_max_num_queries
):
    AuditEntry.objects.bulk_create(
        AuditEntry(kind="tai_khoan", actor=economic_officer, action="x", subject=f"s{i}")
        for i in range(60)
    )
    with django_assert_max_num_queries(12):
        response = history.get("/audit/")
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(12):
        history.get("/audit/?trang=2")


def test_only_the_economic_office_reads_the_log(client_for, leader, san_thang_official):
    assert client_for(leader).get("/audit/").status_code == 403
    assert client_for(san_thang_official).get("/audit/").status_code == 403
