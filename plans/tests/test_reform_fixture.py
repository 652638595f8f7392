"""The 2025 reform as data: the city's seven units ended on 30/6/2025 and became two wards."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from plans.models import AdministrativeUnit, UnitSuccession
from plans.selectors import Successor, successors_on

pytestmark = pytest.mark.django_db


def formed_from(slug: str) -> set[str]:
    return set(
        UnitSuccession.objects.filter(successor__slug=slug).values_list(
            "predecessor__name", flat=True
        )
    )


def test_doan_ket_ward_is_formed_from_four_city_units_and_lan_nhi_thang():
    assert formed_from("phuong-doan-ket") == {
        "Quyết Thắng",
        "Quyết Tiến",
        "Đoàn Kết",
        "Sùng Phài",
        "Lản Nhì Thàng",
    }


def test_tan_phong_ward_is_formed_from_three_city_units_and_two_of_tam_duong():
    assert formed_from("phuong-tan-phong") == {
        "Tân Phong",
        "Đông Phong",
        "San Thàng",
        "Nùng Nàng",
        "Bản Giang",
    }


def test_the_wards_reuse_old_codes_so_a_code_names_a_unit_only_with_its_dates():
    quyet_tien = AdministrativeUnit.objects.get(slug="quyet-tien")
    doan_ket_ward = AdministrativeUnit.objects.get(slug="phuong-doan-ket")
    assert quyet_tien.code == doan_ket_ward.code == "03388"
    assert quyet_tien.is_valid_on(date(2025, 6, 30))
    assert not quyet_tien.is_valid_on(date(2025, 7, 1))
    assert doan_ket_ward.is_valid_on(date(2025, 7, 1))
    assert not doan_ket_ward.is_valid_on(date(2025, 6, 30))


def test_every_merge_is_whole_and_names_its_source():
    successions = UnitSuccession.objects.all()
    assert successions.count() == 10
    assert all(s.share is None and "1670/NQ-UBTVQH15" in s.source for s in successions)
    assert {s.effective_on for s in successions} == {date(2025, 7, 1)}


def test_the_new_wards_belong_to_the_province_directly_since_districts_are_gone():
    for slug in ("phuong-doan-ket", "phuong-tan-phong"):
        ward = AdministrativeUnit.objects.get(slug=slug)
        assert ward.parent.slug == "lai-chau"
        assert ward.is_grassroots
    assert not AdministrativeUnit.objects.get(slug="thanh-pho-lai-chau").is_valid_on(
        date(2025, 7, 1)
    )


def test_loading_the_reform_again_changes_nothing():
    before = list(AdministrativeUnit.objects.order_by("pk").values())
    successions = list(UnitSuccession.objects.order_by("pk").values())
    call_command("loaddata", "reform_2025", verbosity=0)
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before
    assert list(UnitSuccession.objects.order_by("pk").values()) == successions


def test_a_city_unit_stands_on_todays_map_for_its_ward_and_on_its_own_before():
    san_thang = AdministrativeUnit.objects.get(slug="san-thang")
    tan_phong_ward = AdministrativeUnit.objects.get(slug="phuong-tan-phong")
    before = successors_on([san_thang], date(2025, 6, 30))
    after = successors_on([san_thang], date(2026, 1, 1))
    assert before == {san_thang.pk: [Successor(san_thang)]}
    assert after == {san_thang.pk: [Successor(tan_phong_ward)]}


def test_all_seven_city_units_are_put_on_todays_map_in_one_query(django_assert_num_queries):
    units = list(AdministrativeUnit.objects.filter(parent__slug="thanh-pho-lai-chau"))
    with django_assert_num_queries(1):
        mapped = successors_on(units, date(2026, 1, 1))
    assert {u.name: [s.unit.slug for s in mapped[u.pk]] for u in units} == {
        "San Thàng": ["phuong-tan-phong"],
        "Tân Phong": ["phuong-tan-phong"],
        "Đông Phong": ["phuong-tan-phong"],
        "Sùng Phài": ["phuong-doan-ket"],
        "Quyết Thắng": ["phuong-doan-ket"],
        "Quyết Tiến": ["phuong-doan-ket"],
        "Đoàn Kết": ["phuong-doan-ket"],
    }


def test_a_later_split_with_a_share_from_its_source_carries_that_share_through():
    tan_phong_ward = AdministrativeUnit.objects.get(slug="phuong-tan-phong")
    province = tan_phong_ward.parent
    halves = [
        AdministrativeUnit.objects.create(
            name=name, slug=slug, kind="phuong", parent=province, valid_from=date(2030, 1, 1)
        )
        for name, slug in [("Bắc", "phuong-bac"), ("Nam", "phuong-nam")]
    ]
    tan_phong_ward.valid_to = date(2029, 12, 31)
    tan_phong_ward.save()
    for half, share in zip(halves, [Decimal("0.6"), Decimal("0.4")], strict=True):
        UnitSuccession.objects.create(
            predecessor=tan_phong_ward,
            successor=half,
            effective_on=date(2030, 1, 1),
            share=share,
            source="thử nghiệm",
        )
    san_thang = AdministrativeUnit.objects.get(slug="san-thang")
    assert successors_on([san_thang], date(2030, 6, 1)) == {
        san_thang.pk: [Successor(halves[0], Decimal("0.6")), Successor(halves[1], Decimal("0.4"))]
    }
