"""Phòng Kinh tế keeps the register of OCOP products; everyone with a role reads it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from plans.models import OcopProduct

pytestmark = pytest.mark.django_db

LIST = "/plans/2023/ocop/"
ADD = "/plans/2023/ocop/them/"


def product_data(unit, **overrides):
    data = {
        "name": "Chè Shan tuyết San Thàng",
        "group": "Đồ uống",
        "owner": "HTX Chè San Thàng",
        "unit": unit.pk,
        "score": "74",
        "stars": "",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": "20/10/2023",
        "issuing_level": "tinh",
        "expires_on": "",
        "status": "con_hieu_luc",
    }
    data.update(overrides)
    return data


def test_phong_kinh_te_records_a_recognized_product(client_for, economic_officer, unit):
    client = client_for(economic_officer)
    response = client.post(ADD, product_data(unit("san-thang")))
    assert response.status_code == 302
    product = OcopProduct.objects.get()
    assert (product.stars, product.decision_date, product.expires_on) == (
        4,
        date(2023, 10, 20),
        date(2026, 10, 20),
    )
    assert product.history.get().history_user == economic_officer
    page = client.get(LIST).content.decode()
    assert "Chè Shan tuyết San Thàng" in page and "20/10/2023" in page


def test_new_products_of_the_year_count_against_the_target_of_three(
    client_for, economic_officer, leader, unit
):
    client_for(economic_officer).post(ADD, product_data(unit("san-thang")))
    response = client_for(leader).get(LIST)
    assert len(response.context["register"].new_in_year) == 1
    assert "1 / 3" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"score": "120"}, "score", "Điểm phải từ 0 đến 100."),
        ({"score": "74", "stars": "5"}, "stars", "74 điểm tương ứng 4 sao, không phải 5 sao."),
        ({"decision_date": "31/02/2023"}, "decision_date", "Nhập một ngày hợp lệ."),
        ({"expires_on": "01/01/2020"}, "expires_on", "Ngày hết hạn phải sau ngày quyết định."),
        ({"name": ""}, "name", "Trường này là bắt buộc."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(
    client_for, economic_officer, unit, changes, field, message
):
    response = client_for(economic_officer).post(ADD, product_data(unit("san-thang"), **changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert 'value="HTX Chè San Thàng"' in response.content.decode()
    assert not OcopProduct.objects.exists()


def test_an_edit_is_shown_in_the_products_history(client_for, economic_officer, unit):
    client = client_for(economic_officer)
    client.post(ADD, product_data(unit("san-thang")))
    product = OcopProduct.objects.get()
    url = f"/plans/2023/ocop/{product.pk}/sua/"
    client.post(url, product_data(unit("san-thang"), status="dang_danh_gia_lai"))
    page = client.get(url).content.decode()
    assert "Tình trạng: Còn hiệu lực → Đang đánh giá lại" in page


def test_certificates_expiring_within_30_days_and_expired_are_flagged(client_for, leader, unit):
    today = timezone.localdate()
    san_thang = unit("san-thang")
    OcopProduct.objects.create(
        name="Gạo tẻ râu",
        owner="HTX",
        unit=san_thang,
        stars=3,
        expires_on=today + timedelta(days=10),
    )
    OcopProduct.objects.create(
        name="Mật ong", owner="Hộ", unit=san_thang, stars=3, expires_on=today - timedelta(days=1)
    )
    page = client_for(leader).get(LIST).content.decode()
    assert "sắp hết hạn" in page and "đã hết hạn" in page


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        (None, LIST, 302),
        ("nguoingoai", LIST, 403),
        ("santhang", LIST, 200),
        ("lanhdao", LIST, 200),
        ("santhang", ADD, 403),
        ("lanhdao", ADD, 403),
        ("kinhte", ADD, 200),
        ("kinhte", "/plans/1999/ocop/", 404),
    ],
)
def test_who_may_read_and_who_may_write(client, outsider, username, url, expected):
    from django.contrib.auth import get_user_model

    if username:
        client.force_login(get_user_model().objects.get(username=username))
    assert client.get(url).status_code == expected


def test_officials_cannot_forge_a_product(client_for, san_thang_official, unit):
    response = client_for(san_thang_official).post(ADD, product_data(unit("san-thang")))
    assert response.status_code == 403
    assert not OcopProduct.objects.exists()


def test_register_reads_in_a_fixed_number_of_queries(
    client_for, leader, unit, django_assert_max_num_queries
):
    for i in range(15):
        OcopProduct.objects.create(name=f"SP {i}", owner="HTX", unit=unit("doan-ket"), stars=3)
    client = client_for(leader)
    with django_assert_max_num_queries(9):
        assert client.get(LIST).status_code == 200
