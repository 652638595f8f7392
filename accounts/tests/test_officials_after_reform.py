"""Phòng Kinh tế makes the new wards' accounts; the old units' accounts stay, marked ended."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.services import official_create
from audit.models import AuditEntry
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Mat-khau-phuong-2026"


def test_the_form_offers_the_units_in_force_and_not_those_that_ended(client_for, economic_officer):
    page = client_for(economic_officer).get(reverse("official_add"))
    assert page.status_code == 200
    offered = {unit.slug for unit in page.context["form"].fields["unit"].queryset}
    assert {"phuong-doan-ket", "phuong-tan-phong"} <= offered
    assert not offered & {"san-thang", "tan-phong", "doan-ket", "nung-nang"}
    assert "Phường Tân Phong – Lai Châu" in page.content.decode()


def test_kinhte_makes_a_wards_official_who_can_sign_in(client_for, economic_officer, unit):
    ward = unit("phuong-doan-ket")
    answer = client_for(economic_officer).post(
        reverse("official_add"),
        {
            "unit": ward.pk,
            "username": "canbo.doanket",
            "full_name": "Lò Thị Mai",
            "email": "mai@laichau.gov.vn",
            "password1": NEW,
            "password2": NEW,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("official_list")
    user = get_user_model().objects.get(username="canbo.doanket")
    assert user.profile.role == Role.UNIT_OFFICIAL and user.profile.unit == ward
    assert user.get_full_name() == "Lò Thị Mai" and user.email == "mai@laichau.gov.vn"
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.ACCOUNT, actor=economic_officer).exists()
    browser = Client()  # the new official's own browser
    signed_in = browser.post(reverse("login"), {"username": "canbo.doanket", "password": NEW})
    assert signed_in.status_code == 302
    assert browser.get(reverse("official_list")).status_code == 403  # an official, not kinhte


def test_a_taken_name_and_a_weak_password_are_refused_at_the_field(
    client_for, economic_officer, unit
):
    answer = client_for(economic_officer).post(
        reverse("official_add"),
        {
            "unit": unit("phuong-doan-ket").pk,
            "username": "SanThang",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert answer.status_code == 400
    assert "Tên đăng nhập này đã có người dùng." in answer.content.decode()
    assert answer.context["form"].errors["password2"]


def test_an_ended_unit_gets_no_new_account(client_for, economic_officer, unit):
    old = unit("tan-phong")
    answer = client_for(economic_officer).post(
        reverse("official_add"),
        {"unit": old.pk, "username": "moi", "password1": NEW, "password2": NEW},
    )
    assert answer.status_code == 400 and "unit" in answer.context["form"].errors
    with pytest.raises(PermissionDenied, match="không còn hiệu lực"):
        official_create(actor=economic_officer, username="moi", unit=old, password=NEW)
    assert not get_user_model().objects.filter(username="moi").exists()


def test_only_kinhte_makes_accounts(client_for, leader, san_thang_official, unit):
    for person in (leader, san_thang_official):
        assert client_for(person).get(reverse("official_add")).status_code == 403
        with pytest.raises(PermissionDenied):
            official_create(actor=person, username="x", unit=unit("phuong-doan-ket"), password=NEW)


def test_the_list_marks_the_accounts_of_units_that_ended(client_for, economic_officer):
    page = client_for(economic_officer).get(reverse("official_list")).content.decode()
    assert 'data-testid="ended-santhang"' in page
    assert 'data-testid="ended-phuongtanphong"' not in page
    assert reverse("official_add") in page


def test_the_demo_accounts_include_the_two_wards(client):
    for username, slug in (
        ("phuongdoanket", "phuong-doan-ket"),
        ("phuongtanphong", "phuong-tan-phong"),
    ):
        user = get_user_model().objects.select_related("profile__unit").get(username=username)
        assert user.profile.unit.slug == slug
        signed_in = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert signed_in.status_code == 302, username
        client.post(reverse("logout"))
