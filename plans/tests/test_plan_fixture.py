"""The 2023 plan as loaded by `loaddata plan_2023`, checked against the document itself."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from plans.models import Body, Citation, LegalDocument, Section, Task
from reporting.models import Indicator, Target

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR, "fixtures/source/ke-hoach-san-xuat-nong-nghiep-hang-hoa-2023.txt")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def document_text():
    return squeeze(SOURCE.read_text(encoding="utf-8"))


# Every row of the DOMAIN table: section, indicator, unit of measure, value, how it is judged.
PLAN_TARGETS = [
    ("II.1.1", "lua-chat-luong-dien-tich", "ha", "329.2", Target.Comparison.MAINTAIN),
    ("II.1.1", "lua-chat-luong-san-luong", "tấn", "1600", Target.Comparison.AT_LEAST),
    ("II.1.2", "che-dien-tich", "ha", "963.45", Target.Comparison.MAINTAIN),
    ("II.1.2", "che-kinh-doanh-dien-tich", "ha", "950", Target.Comparison.MAINTAIN),
    ("II.1.2", "che-bup-tuoi-san-luong", "tấn", "10900", Target.Comparison.AT_LEAST),
    ("II.1.3", "cay-an-qua-dien-tich", "ha", "160.4", Target.Comparison.MAINTAIN),
    ("II.1.4", "mac-ca-dien-tich", "ha", "280.4", Target.Comparison.MAINTAIN),
    ("II.1.4", "mac-ca-san-luong", "tấn", "50", Target.Comparison.AT_LEAST),
    ("II.2.5", "co-so-nuoi-ong", "cơ sở", "6", Target.Comparison.AT_LEAST),
    ("II.3", "ocop-san-pham-moi", "sản phẩm", "3", Target.Comparison.AT_LEAST),
    ("II.5", "kenh-muong-noi-dong", "km", "2.5", Target.Comparison.AT_LEAST),
    ("II.5", "duong-noi-dong-vung-che", "km", "6.5", Target.Comparison.AT_LEAST),
]


@pytest.mark.parametrize(("section", "indicator", "uom", "value", "comparison"), PLAN_TARGETS)
def test_each_city_target_of_the_plan_is_loaded(plan, section, indicator, uom, value, comparison):
    target = Target.objects.select_related("indicator", "section").get(
        plan=plan, indicator__code=indicator, unit=plan.unit
    )
    assert target.value == Decimal(value)
    assert target.indicator.unit_of_measure == uom
    assert target.comparison == comparison
    assert target.section.code == section


def test_the_plan_has_no_target_the_document_does_not_give(plan):
    unit_targets = Target.objects.filter(plan=plan).exclude(unit=plan.unit)
    assert Target.objects.filter(plan=plan, unit=plan.unit).count() == len(PLAN_TARGETS)
    assert set(unit_targets.values_list("indicator__code", flat=True)) == {
        "lua-chat-luong-dien-tich"
    }


def test_rice_area_by_unit_sums_to_the_city_target(plan):
    rice = Target.objects.filter(plan=plan, indicator__code="lua-chat-luong-dien-tich")
    by_unit = dict(rice.exclude(unit=plan.unit).values_list("unit__slug", "value"))
    assert by_unit == {
        "san-thang": Decimal("135"),
        "sung-phai": Decimal("142"),
        "quyet-thang": Decimal("22.2"),
        "dong-phong": Decimal("30"),
    }
    city_total = rice.get(unit=plan.unit).value
    assert rice.exclude(unit=plan.unit).aggregate(total=Sum("value"))["total"] == city_total
    assert city_total == Decimal("329.2")


@pytest.mark.parametrize(
    ("indicator", "named"),
    [
        ("co-so-nuoi-ong", {"dong-phong", "quyet-tien", "doan-ket", "sung-phai"}),
        ("duong-noi-dong-vung-che", {"san-thang", "sung-phai"}),
    ],
)
def test_targets_without_a_split_name_their_units_but_invent_no_split(plan, indicator, named):
    targets = Target.objects.filter(plan=plan, indicator__code=indicator)
    assert targets.count() == 1
    target = targets.get()
    assert target.unit == plan.unit
    assert set(target.named_units.values_list("slug", flat=True)) == named


def test_tea_in_business_is_part_of_the_tea_area():
    assert Indicator.objects.get(code="che-kinh-doanh-dien-tich").part_of.code == "che-dien-tich"


def test_stocks_and_flows_are_told_apart():
    behaviour = dict(Indicator.objects.values_list("code", "behaviour"))
    assert behaviour["lua-chat-luong-dien-tich"] == Indicator.Behaviour.STOCK
    assert behaviour["co-so-nuoi-ong"] == Indicator.Behaviour.STOCK
    assert behaviour["che-bup-tuoi-san-luong"] == Indicator.Behaviour.FLOW
    assert behaviour["kenh-muong-noi-dong"] == Indicator.Behaviour.FLOW


def test_the_city_and_its_seven_units_are_loaded(plan):
    city = plan.unit
    assert (city.kind, city.code, city.parent.code) == ("thanh_pho", "105", "12")
    units = {u.slug: (u.name, u.kind, u.code) for u in city.children.all()}
    assert units == {
        "san-thang": ("San Thàng", "xa", "03409"),
        "sung-phai": ("Sùng Phài", "xa", "03403"),
        "quyet-thang": ("Quyết Thắng", "phuong", "03386"),
        "dong-phong": ("Đông Phong", "phuong", "03408"),
        "quyet-tien": ("Quyết Tiến", "phuong", "03388"),
        "doan-ket": ("Đoàn Kết", "phuong", "03389"),
        "tan-phong": ("Tân Phong", "phuong", "03387"),
    }


def test_sections_follow_the_document(plan):
    codes = list(Section.objects.filter(plan=plan).values_list("code", flat=True))
    assert codes == [
        "I", "II", "II.1", "II.1.1", "II.1.2", "II.1.3", "II.1.4", "II.1.5", "II.1.6",
        "II.2", "II.2.1", "II.2.2", "II.2.3", "II.2.4", "II.2.5", "II.2.6",
        "II.3", "II.4", "II.5",
        "III", "III.1", "III.2", "III.3", "III.4", "III.5", "III.6", "III.7",
    ]  # fmt: skip
    assert Section.objects.get(plan=plan, code="II.1.5").title == "Trồng hoa chất lượng cao"


def test_section_texts_are_the_documents_own_words(plan, document_text):
    for section in Section.objects.filter(plan=plan):
        assert squeeze(section.title) in document_text, section.code
        for paragraph in section.body.splitlines():
            assert squeeze(paragraph) in document_text, section.code


def test_every_task_is_quoted_from_the_document(plan, document_text):
    tasks = Task.objects.filter(plan=plan)
    assert tasks.count() == 40
    for task in tasks:
        assert squeeze(task.description) in document_text or all(
            squeeze(line) in document_text for line in task.description.splitlines()
        ), task.code


def test_every_numbered_item_of_section_two_has_its_qualitative_work(plan):
    with_tasks = set(
        Task.objects.filter(plan=plan, section__code__startswith="II.").values_list(
            "section__code", flat=True
        )
    )
    leaves = {
        "II.1.1", "II.1.2", "II.1.3", "II.1.4", "II.1.5", "II.1.6",
        "II.2.1", "II.2.2", "II.2.3", "II.2.4", "II.2.5", "II.3", "II.4",
    }  # fmt: skip
    assert leaves <= with_tasks


@pytest.mark.parametrize(
    ("code", "name", "duties"),
    [
        ("III.1", "Phòng Kinh tế thành phố", 6),
        ("III.2", "Phòng Tài chính - Kế hoạch", 1),
        ("III.3", "Trung tâm Dịch vụ Nông nghiệp", 3),
        ("III.4", "Trung tâm Văn hóa - Thể thao & Truyền thông thành phố", 2),
        ("III.5", "Các cơ quan, đơn vị thuộc UBND thành phố", 1),
        ("III.6", "UBND các xã, phường", 7),
        ("III.7", "Uỷ ban mặt trận Tổ quốc, các tổ chức đoàn thể thành phố", 1),
    ],
)
def test_every_section_three_body_has_its_duties(plan, code, name, duties):
    body = Body.objects.get(plan=plan, section__code=code)
    assert body.name == name
    assert body.tasks.count() == duties
    assert all(task.section.code == code for task in body.tasks.all())


def test_communes_and_wards_body_covers_every_unit(plan):
    body = Body.objects.get(plan=plan, section__code="III.6")
    assert body.units.count() == 7


def test_units_named_for_tasks_come_from_the_document(plan):
    named = {
        task.code: set(task.units.values_list("slug", flat=True))
        for task in Task.objects.filter(plan=plan).exclude(units=None)
    }
    assert named == {
        "II.1.5.a": {"quyet-thang"},
        "II.2.1.a": {"san-thang", "sung-phai"},
        "II.2.5.a": {"dong-phong", "quyet-tien", "doan-ket", "sung-phai"},
    }


def test_every_cited_document_is_loaded():
    documents = dict(LegalDocument.objects.values_list("number", "issued_on"))
    assert documents == {
        "2169/KH-UBND": date(2021, 7, 9),
        "3038/QĐ-UBND": date(2022, 12, 19),
        "07/2021/NQ-HĐND": None,
        "12/2019/NQ-HĐND": date(2019, 7, 23),
        "13/NQ-HĐND": date(2019, 7, 23),
        "66/NQ-HĐND": date(2021, 12, 10),
    }


def test_the_plan_knows_its_parent_plan_and_legal_bases(plan):
    assert plan.parent_document.number == "2169/KH-UBND"
    bases = plan.citations.filter(role=Citation.Role.BASIS, section=None)
    assert set(bases.values_list("document__number", flat=True)) == {
        "2169/KH-UBND",
        "3038/QĐ-UBND",
    }


def test_the_nq_07_2021_date_discrepancy_is_kept_visible(plan):
    citations = Citation.objects.filter(plan=plan, document__number="07/2021/NQ-HĐND")
    assert dict(citations.values_list("section__code", "cited_date")) == {
        "II.2.6": date(2021, 3, 23),
        "II.3": date(2021, 3, 22),
    }
    note = LegalDocument.objects.get(number="07/2021/NQ-HĐND").note
    assert "23/3/2021" in note and "22/3/2021" in note


def test_infrastructure_works_follow_section_two_five(plan):
    works = {work.kind: work for work in plan.works.prefetch_related("units")}
    assert set(works) == {"kenh_muong", "duong_noi_dong"}
    assert not works["kenh_muong"].units.exists()
    assert {u.slug for u in works["duong_noi_dong"].units.all()} == {"san-thang", "sung-phai"}
    assert works["duong_noi_dong"].policy.document.number == "66/NQ-HĐND"


def test_livestock_support_policy_points_at_its_clauses(plan):
    policy = plan.policies.get(section__code="II.2.6")
    assert policy.document.number == "07/2021/NQ-HĐND"
    assert policy.clauses.startswith("Mục 5.6; mục 5.7; mục 5.8; mục 5.9")
