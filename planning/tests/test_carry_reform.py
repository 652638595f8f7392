"""Next year's plan across the 2025 reform: the city's units followed to the two wards,
their targets added up for review, the figures that do not add up left to enter."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.carry import plan_draft_next_year
from planning.models import PlanEvent
from planning.services import PlanError, plan_issue, plan_save, targets_confirm
from plans.models import AdministrativeUnit, Plan, UnitSuccession
from plans.selectors import grassroots_units, plan_area_on
from reporting.models import Indicator, Target

pytestmark = pytest.mark.django_db

RICE = "lua-chat-luong-dien-tich"
WARDS = ["phuong-doan-ket", "phuong-tan-phong"]


def issued(actor, plan, day):
    targets_confirm(actor=actor, plan=plan)
    plan_issue(actor=actor, plan=plan, number=f"{plan.year}/KH-UBND", issued_on=day, signer="A")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan_2025(economic_officer, plan):
    """The city's 2025 plan, drafted from 2023's (2024 skipped) and issued in January,
    when the city and its seven units were still in force."""
    return issued(
        economic_officer,
        plan_draft_next_year(actor=economic_officer, plan=plan, year=2025),
        date(2025, 1, 10),
    )


@pytest.fixture
def plan_2026(economic_officer, plan_2025):
    return plan_draft_next_year(actor=economic_officer, plan=plan_2025)


def target(plan, slug, code=RICE):
    return plan.targets.get(indicator__code=code, unit__slug=slug)


def sources(target):
    return [(s.unit.slug, s.value) for s in target.sources.order_by("position")]


def test_a_plan_of_2025_is_still_the_citys_with_its_seven_units(plan_2025):
    assert plan_2025.unit.slug == "thanh-pho-lai-chau"
    assert grassroots_units(plan_2025).count() == 7
    assert target(plan_2025, "san-thang").carry == Target.Carry.SAME
    assert not target(plan_2025, "san-thang").sources.exists()


def test_a_plan_started_after_the_reform_is_the_provinces_with_the_two_wards(plan_2026):
    assert plan_2026.unit.slug == "lai-chau" and plan_2026.is_draft
    assert [u.slug for u in grassroots_units(plan_2026)] == WARDS
    task_units = {u.slug for task in plan_2026.tasks.all() for u in task.units.all()}
    assert task_units == set(WARDS)
    # II.1.5: flowers on Quyết Thắng's land; Quyết Thắng is now part of Đoàn Kết ward.
    assert [u.slug for u in plan_2026.tasks.get(code="II.1.5.a").units.all()] == ["phuong-doan-ket"]


def test_the_wards_rice_targets_are_the_old_units_added_up_and_marked_for_review(plan_2026):
    tan_phong, doan_ket = (
        target(plan_2026, "phuong-tan-phong"),
        target(plan_2026, "phuong-doan-ket"),
    )
    assert tan_phong.value == Decimal("165") and doan_ket.value == Decimal("164.2")
    for carried in (tan_phong, doan_ket):
        assert carried.carry == Target.Carry.SUCCESSOR and not carried.confirmed
        assert carried.covers_part  # both wards took in communes of other districts
    assert sources(tan_phong) == [
        ("san-thang", Decimal("135")),
        ("dong-phong", Decimal("30")),
        ("nung-nang", None),
        ("ban-giang", None),
    ]
    assert sources(doan_ket) == [
        ("sung-phai", Decimal("142")),
        ("quyet-thang", Decimal("22.2")),
        ("lan-nhi-thang", None),
    ]
    old = plan_2026.previous
    assert tan_phong.carried_from == target(old, "san-thang")
    assert {s.source for s in tan_phong.sources.all()} == {
        target(old, "san-thang"),
        target(old, "dong-phong"),
        None,
    }


def test_the_citys_own_targets_pass_to_the_plans_area_covering_part_of_it(plan_2026):
    whole = target(plan_2026, "lai-chau")
    assert whole.value == Decimal("329.2") and whole.carry == Target.Carry.SUCCESSOR
    assert sources(whole) == [
        ("thanh-pho-lai-chau", Decimal("329.2")),
        ("lan-nhi-thang", None),
        ("nung-nang", None),
        ("ban-giang", None),
    ]
    bees = target(plan_2026, "lai-chau", "co-so-nuoi-ong")
    assert sorted(u.slug for u in bees.named_units.all()) == WARDS
    assert plan_2026.targets.count() == 16 - 4 + 2  # four units' rice onto two wards


def test_the_plan_page_says_which_old_targets_were_added_up(
    client_for, economic_officer, plan_2026
):
    page = client_for(economic_officer).get(reverse("plans:detail", args=[2026]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Cộng từ chỉ tiêu của: San Thàng 135 ha, Đông Phong 30 ha." in text
    assert "Cộng từ chỉ tiêu của: Sùng Phài 142 ha, Quyết Thắng 22,2 ha." in text
    assert "Từ chỉ tiêu của: Thành phố Lai Châu 329,2 ha." in text
    assert "không tính trong số trên: Nùng Nàng, Bản Giang." in text
    assert 'data-testid="carried-across-reform"' in text
    assert ">164,2 <span" in text and ">165 <span" in text


def test_the_draft_cannot_be_issued_until_the_added_up_targets_are_confirmed(
    economic_officer, plan_2026
):
    with pytest.raises(PlanError):
        plan_issue(
            actor=economic_officer,
            plan=plan_2026,
            number="1/KH-UBND",
            issued_on=date(2026, 1, 5),
            signer="A",
        )
    issued(economic_officer, plan_2026, date(2026, 1, 5))
    assert plan_2026.is_open_for_reporting
    assert target(plan_2026, "phuong-tan-phong").value == Decimal("165")


@pytest.fixture
def vaccinated_share(economic_officer, plan):
    """A rate: the share of the herd vaccinated, set for San Thàng and Đông Phong."""
    rate = Indicator.objects.create(
        code="ty-le-tiem-phong",
        name="Tỷ lệ đàn gia súc được tiêm phòng",
        unit_of_measure="%",
        sector=Indicator.objects.get(code=RICE).sector,
        behaviour=Indicator.Behaviour.STOCK,
    )
    section = target(plan, "san-thang").section
    for slug, value in (("san-thang", 80), ("dong-phong", 90)):
        Target.objects.create(
            plan=plan,
            indicator=rate,
            unit=AdministrativeUnit.objects.get(slug=slug),
            value=value,
            comparison=Target.Comparison.AT_LEAST,
            section=section,
            position=99,
        )
    return rate


def test_a_rate_is_not_added_up_but_left_to_enter_with_the_old_values(
    client_for, economic_officer, vaccinated_share, plan_2026
):
    rate = target(plan_2026, "phuong-tan-phong", vaccinated_share.code)
    assert rate.carry == Target.Carry.TO_ENTER and rate.needs_entry
    assert sources(rate)[:2] == [("san-thang", Decimal("80")), ("dong-phong", Decimal("90"))]
    text = client_for(economic_officer).get(reverse("plans:detail", args=[2026])).content.decode()
    assert "Chỉ tiêu cũ: San Thàng 80 %, Đông Phong 90 %." in text
    assert 'data-testid="needs-entry"' in text

    targets_confirm(actor=economic_officer, plan=plan_2026)  # "the rest, as they stand"
    rate.refresh_from_db()
    assert not rate.confirmed  # nobody chose a value yet
    with pytest.raises(PlanError):
        plan_issue(
            actor=economic_officer,
            plan=plan_2026,
            number="1",
            issued_on=date(2026, 1, 5),
            signer="A",
        )
    rate.value = Decimal("85")
    plan_save(actor=economic_officer, instance=rate)
    issued(economic_officer, plan_2026, date(2026, 1, 5))
    assert plan_2026.status == Plan.Status.ISSUED


def test_the_2023_plan_drafts_the_2026_one_directly(economic_officer, plan):
    new = plan_draft_next_year(actor=economic_officer, plan=plan, year=2026)
    assert new.year == 2026 and new.previous == plan and "2026" in new.title
    assert [u.slug for u in grassroots_units(new)] == WARDS
    assert target(new, "phuong-doan-ket").value == Decimal("164.2")
    event = PlanEvent.objects.get(plan=new, action=PlanEvent.Action.CARRIED)
    assert "Phường Đoàn Kết, Phường Tân Phong" in event.note


def test_a_plan_after_the_reform_carries_its_wards_as_they_are(economic_officer, plan_2026):
    plan_2027 = plan_draft_next_year(
        actor=economic_officer, plan=issued(economic_officer, plan_2026, date(2026, 1, 5))
    )
    assert plan_2027.unit.slug == "lai-chau"
    assert [u.slug for u in grassroots_units(plan_2027)] == WARDS
    assert target(plan_2027, "phuong-tan-phong").value == Decimal("165")
    assert set(plan_2027.targets.values_list("carry", flat=True)) == {Target.Carry.SAME}
    assert not plan_2027.targets.filter(sources__isnull=False).exists()


def test_a_year_before_or_beside_the_plans_is_refused(economic_officer, plan):
    for year in (2023, 2022, 2040):
        with pytest.raises(PlanError):
            plan_draft_next_year(actor=economic_officer, plan=plan, year=year)
    plan_draft_next_year(actor=economic_officer, plan=plan, year=2026)
    with pytest.raises(PlanError):  # one plan is drafted from another only once
        plan_draft_next_year(actor=economic_officer, plan=plan, year=2027)


def test_kinhte_drafts_another_year_from_the_plan_page(client_for, economic_officer, plan):
    client = client_for(economic_officer)
    answer = client.post(reverse("plans:next_year", args=[2023]), {"year": "2026"})
    assert answer.status_code == 302 and answer["Location"].startswith("/plans/2026/")
    refused = client.post(reverse("plans:next_year", args=[2023]), {"year": "năm"}, follow=True)
    assert "Năm phải là một số" in refused.content.decode()


def _widen(plan):
    """Three more tasks and targets in the plan, to show the count does not grow with rows."""
    rice = target(plan, "san-thang")
    for i, slug in enumerate(("quyet-tien", "doan-ket", "tan-phong")):
        unit = AdministrativeUnit.objects.get(slug=slug)
        Target.objects.create(
            plan=plan,
            indicator=rice.indicator,
            unit=unit,
            value=10 + i,
            comparison=rice.comparison,
            section=rice.section,
            position=50 + i,
        )
        task = plan.tasks.first()
        task.pk = None
        task.code = f"X.{i}"
        task.save()
        task.units.set([unit])


@pytest.mark.parametrize("widen", [False, True])
def test_drafting_across_the_reform_takes_a_fixed_number_of_queries(
    economic_officer, plan_2025, django_assert_num_queries, widen
):
    if widen:
        _widen(plan_2025)
    with django_assert_num_queries(QUERIES):
        new = plan_draft_next_year(actor=economic_officer, plan=plan_2025)
    assert new.targets.get(unit__slug="phuong-tan-phong", indicator__code=RICE).value == (
        Decimal("177") if widen else Decimal("165")
    )


QUERIES = 56


@pytest.mark.parametrize("widen", [False, True])
def test_the_carried_plans_page_takes_a_fixed_number_of_queries(
    client_for, economic_officer, plan_2025, django_assert_num_queries, widen
):
    if widen:
        _widen(plan_2025)
    plan_draft_next_year(actor=economic_officer, plan=plan_2025)
    client = client_for(economic_officer)
    with django_assert_num_queries(PAGE_QUERIES):  # the 2023 plan's page, and the sources
        page = client.get(reverse("plans:detail", args=[2026]))
    assert page.status_code == 200


PAGE_QUERIES = 21


def _split(plan_2025, unit_slug, value, shares):
    """Give `unit_slug` a rice target and make it go to both wards, with these shares."""
    rice = target(plan_2025, "san-thang")
    old = AdministrativeUnit.objects.get(slug=unit_slug)
    Target.objects.create(
        plan=plan_2025,
        indicator=rice.indicator,
        unit=old,
        value=value,
        comparison=rice.comparison,
        section=rice.section,
        position=60,
    )
    UnitSuccession.objects.filter(predecessor=old).delete()
    for ward, share in zip(WARDS, shares, strict=True):
        UnitSuccession.objects.create(
            predecessor=old,
            successor=AdministrativeUnit.objects.get(slug=ward),
            effective_on=date(2025, 7, 1),
            share=share,
            source="thử: tỷ lệ theo nguồn",
        )


def test_a_split_with_shares_from_its_source_carries_each_share(economic_officer, plan_2025):
    _split(plan_2025, "quyet-tien", 50, [Decimal("0.6"), Decimal("0.4")])
    new = plan_draft_next_year(actor=economic_officer, plan=plan_2025)
    assert target(new, "phuong-doan-ket").value == Decimal("194.2")  # 142 + 22,2 + 0,6 × 50
    assert target(new, "phuong-tan-phong").value == Decimal("185")  # 135 + 30 + 0,4 × 50
    share = target(new, "phuong-tan-phong").sources.get(unit__slug="quyet-tien").share
    assert share == Decimal("0.4")


def test_a_split_without_a_share_is_not_divided_but_left_to_enter(economic_officer, plan_2025):
    _split(plan_2025, "quyet-tien", 50, [None, None])
    new = plan_draft_next_year(actor=economic_officer, plan=plan_2025)
    for ward in WARDS:
        carried = target(new, ward)
        assert carried.carry == Target.Carry.TO_ENTER and carried.needs_entry, ward
        assert ("quyet-tien", Decimal("50")) in sources(carried)


def test_where_the_units_stand_is_read_in_a_fixed_number_of_queries(
    plan, django_assert_num_queries
):
    assert plan.unit.slug == "thanh-pho-lai-chau"  # read with the plan, as the pages do
    with django_assert_num_queries(2):  # nothing ended by 2024
        same = plan_area_on(plan, date(2024, 1, 1))
    assert not same.moved and same.units is None and same.area == plan.unit
    with django_assert_num_queries(4):  # the units, their successors, the area, taken in
        after = plan_area_on(plan, date(2026, 1, 1))
    assert after.moved and after.area.slug == "lai-chau"
    assert [u.slug for u in after.units] == WARDS
    assert {u.slug for units in after.outside.values() for u in units} == {
        "lan-nhi-thang",
        "nung-nang",
        "ban-giang",
    }
