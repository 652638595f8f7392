"""Real administrative units from the vietnam-provinces package: the counts the reform
gives, Lai Châu's 38 units with their codes, a loader that changes nothing the second time
and records a rename, and the 2023 units left as they were."""

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from plans.admin_units import SOURCE, find_province, load_divisions, read_divisions
from plans.models import AdministrativeUnit, UnitSuccession
from reporting.models import Target

pytestmark = pytest.mark.django_db
Kind = AdministrativeUnit.Kind
REFORM_DAY = date(2025, 7, 1)
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "lai_chau_2025.json"


def today_units_of(province_slug):
    return [
        u
        for u in AdministrativeUnit.objects.filter(
            parent__slug=province_slug, kind__in=AdministrativeUnit.GRASSROOTS
        )
        if u.is_valid_on(REFORM_DAY)
    ]


def history_rows():
    return AdministrativeUnit.history.count()


def test_the_package_lists_34_provinces_and_3321_communes_wards_and_special_zones():
    divisions = read_divisions()
    units = [u for entry in divisions for u in entry.units]
    assert len(divisions) == 34
    assert len(units) == 3321
    assert Counter(u.kind for u in units) == {
        Kind.COMMUNE: 2621,
        Kind.WARD: 687,
        Kind.SPECIAL_ZONE: 13,
    }
    assert len({u.code for u in units}) == 3321
    assert len({u.slug for u in units} | {p.province.slug for p in divisions}) == 3321 + 34


def test_lai_chau_has_38_units_36_communes_and_2_wards_with_their_codes():
    units = today_units_of("lai-chau")
    assert len(units) == 38
    assert Counter(u.kind for u in units) == {Kind.COMMUNE: 36, Kind.WARD: 2}
    by_code = {u.code: u for u in units}
    assert str(by_code["03388"]) == "Phường Đoàn Kết"
    assert by_code["03388"].slug == "phuong-doan-ket"
    assert str(by_code["03408"]) == "Phường Tân Phong"
    assert by_code["03408"].slug == "phuong-tan-phong"
    assert str(by_code["03637"]) == "Xã Mường Kim"
    assert {u.valid_from for u in units} == {REFORM_DAY}


def test_a_city_under_the_central_government_is_a_province_named_with_its_own_title():
    load_divisions(divisions=[find_province(read_divisions(), "01")])
    hanoi = AdministrativeUnit.objects.get(code="01", kind=Kind.PROVINCE)
    assert str(hanoi) == "Thành phố Hà Nội"
    assert str(AdministrativeUnit.objects.get(slug="lai-chau")) == "Tỉnh Lai Châu"
    assert len(today_units_of(hanoi.slug)) == 126


def test_loading_the_country_adds_the_other_provinces_and_a_second_run_changes_nothing(
    django_assert_num_queries,
):
    divisions = read_divisions()
    first = load_divisions(divisions=divisions)
    assert (first.added, first.changed, first.unchanged) == (3355 - 39, 0, 39)
    assert AdministrativeUnit.objects.filter(kind=Kind.PROVINCE, parent=None).count() >= 34
    new = AdministrativeUnit.objects.filter(valid_from=REFORM_DAY).grassroots()
    assert new.count() == 3321
    added = AdministrativeUnit.history.filter(history_type="+", history_change_reason=SOURCE)
    assert added.count() == 3316

    before = list(AdministrativeUnit.objects.order_by("pk").values())
    rows = history_rows()
    # Nothing to write: the same three reads whatever the number of units.
    with django_assert_num_queries(5):  # the three reads inside one savepoint
        second = load_divisions(divisions=divisions)
    assert (second.added, second.changed, second.unchanged) == (0, 0, 3355)
    assert history_rows() == rows
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before


def test_a_unit_renamed_by_a_later_release_is_updated_and_its_history_keeps_the_old_name():
    lai_chau = find_province(read_divisions(), "lai-chau")
    renamed = [replace(u, name="Bình Lư Mới") if u.code == "03390" else u for u in lai_chau.units]
    rows = history_rows()
    result = load_divisions(
        divisions=[replace(lai_chau, units=tuple(renamed))], change_reason="bản sau của gói"
    )
    assert (result.added, result.changed, result.unchanged) == (0, 1, 38)
    unit = AdministrativeUnit.objects.get(code="03390", valid_from=REFORM_DAY)
    assert unit.name == "Bình Lư Mới"
    assert unit.slug == "xa-binh-lu"
    assert history_rows() == rows + 1
    latest = unit.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "bản sau của gói"
    assert latest.prev_record.name == "Bình Lư"


def test_the_2023_units_with_the_same_codes_stay_as_they_were_with_their_plans():
    old = AdministrativeUnit.objects.filter(path__startswith="lai-chau/thanh-pho-lai-chau")
    before = list(old.order_by("pk").values())
    targets = Counter(Target.objects.values_list("unit__slug", flat=True))
    successions = list(UnitSuccession.objects.order_by("pk").values())
    load_divisions(divisions=read_divisions())
    assert list(old.order_by("pk").values()) == before
    quyet_tien = AdministrativeUnit.objects.get(slug="quyet-tien")
    assert quyet_tien.code == "03388"
    assert quyet_tien.valid_to == date(2025, 6, 30)
    assert quyet_tien.parent.slug == "thanh-pho-lai-chau"
    assert AdministrativeUnit.objects.filter(code="03388").count() == 2
    assert Counter(Target.objects.values_list("unit__slug", flat=True)) == targets
    assert targets["san-thang"] > 0
    assert list(UnitSuccession.objects.order_by("pk").values()) == successions


def test_a_new_unit_whose_slug_another_unit_has_takes_its_code_as_well():
    AdministrativeUnit.objects.create(
        name="Hoàn Kiếm", slug="phuong-hoan-kiem", kind=Kind.WARD, valid_to=date(2025, 6, 30)
    )
    load_divisions(divisions=[find_province(read_divisions(), "01")])
    assert AdministrativeUnit.objects.get(code="00070", valid_from=REFORM_DAY).slug == (
        "phuong-hoan-kiem-00070"
    )


def test_the_fixture_is_what_the_command_writes_for_lai_chau(tmp_path):
    out = StringIO()
    written = tmp_path / "lai_chau.json"
    rows = history_rows()
    call_command("load_admin_units", province="12", fixture=written, stdout=out)
    assert "thêm 0, sửa 0, giữ nguyên 39" in out.getvalue()
    assert history_rows() == rows
    assert written.read_text(encoding="utf-8") == FIXTURE.read_text(encoding="utf-8")
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert [o["fields"]["slug"] for o in objects][:3] == [
        "lai-chau",
        "phuong-doan-ket",
        "xa-binh-lu",
    ]
    assert len(objects) == 39


def test_the_command_names_a_province_it_does_not_know_in_vietnamese():
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố nào mã 99"):
        call_command("load_admin_units", province="99", stdout=StringIO())


def test_loading_the_fixtures_again_as_bin_run_does_changes_nothing():
    before = list(AdministrativeUnit.objects.order_by("pk").values())
    rows = history_rows()
    call_command("loaddata", "lai_chau_2025", "reform_2025", verbosity=0)
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before
    assert history_rows() == rows


def test_the_admin_list_of_units_opens_with_the_whole_country_in_a_few_queries(
    client_for, economic_officer, django_assert_max_num_queries
):
    load_divisions(divisions=read_divisions())
    client = client_for(economic_officer)
    with django_assert_max_num_queries(25):
        response = client.get("/admin/plans/administrativeunit/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == AdministrativeUnit.objects.count() > 3355
    found = client.get("/admin/plans/administrativeunit/", {"q": "phuong-doan-ket"})
    assert "Lai Châu" in found.content.decode()
