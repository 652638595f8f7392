"""The same application for a province or the whole country: units at any depth report,
and a target set for a province sums the communes under it."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.board import attainment
from plans.models import AdministrativeUnit, Plan, Section
from plans.selectors import grassroots_units
from reporting import services, totals
from reporting.models import Indicator, Target
from reporting.periods import periods_create_for_plan
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

Kind = AdministrativeUnit.Kind


@pytest.fixture
def country(economic_officer):
    nation = AdministrativeUnit.objects.create(name="Việt Nam", slug="viet-nam", kind=Kind.PROVINCE)
    provinces = {}
    for p in (1, 2):
        province = AdministrativeUnit.objects.create(
            name=f"Tỉnh {p}", slug=f"tinh-{p}", kind=Kind.PROVINCE, parent=nation, position=p
        )
        provinces[p] = province
        for c in (1, 2):
            AdministrativeUnit.objects.create(
                name=f"Xã {p}.{c}",
                slug=f"xa-{p}-{c}",
                kind=Kind.COMMUNE,
                parent=province,
                position=c,
            )
    plan = Plan.objects.create(
        year=2030, title="Kế hoạch 2030", issuer="Bộ", unit=nation, status=Plan.Status.ISSUED
    )
    section = Section.objects.create(
        plan=plan, code="II", number="II.", title="Nội dung", position=1
    )
    tea = Indicator.objects.get(code="che-bup-tuoi-san-luong")
    for unit, value in ((nation, 1000), (provinces[1], 400)):
        Target.objects.create(
            plan=plan,
            indicator=tea,
            unit=unit,
            value=value,
            comparison="toi_thieu",
            section=section,
        )
    periods_create_for_plan(plan=plan)
    return plan, provinces


def file(plan, slug, amount, actor):
    unit = AdministrativeUnit.objects.get(slug=slug)
    scope = report_scope(plan, unit)
    tea = Indicator.objects.get(code="che-bup-tuoi-san-luong")
    report = services.report_save(
        scope=scope,
        period=plan.periods.get(code="2030-q1"),
        actor=actor,
        expected_version=None,
        data=services.ReportInput(figures={tea.pk: Decimal(amount)}),
    )
    services.report_submit(report=report, actor=actor)
    services.report_approve(report=report, actor=actor)


def test_communes_two_levels_down_are_the_reporting_units(country):
    plan, _ = country
    assert [u.slug for u in grassroots_units(plan)] == ["xa-1-1", "xa-1-2", "xa-2-1", "xa-2-2"]


@pytest.mark.parametrize("kept", [False, True], ids=["on the fly", "running totals"])
def test_a_province_target_sums_its_own_communes_only(country, economic_officer, kept):
    plan, provinces = country
    if kept:
        totals.rebuild(plan)
    for slug, amount in (("xa-1-1", 100), ("xa-1-2", 150), ("xa-2-1", 300)):
        file(plan, slug, amount, economic_officer)
    board = attainment(plan, as_of=date(2030, 12, 14))
    assert board.city[0].actual == Decimal("550")
    province_item = board.by_unit[provinces[1].pk][0]
    assert province_item.actual == Decimal("250")
    assert [c.unit.slug for c in province_item.contributions] == ["xa-1-1", "xa-1-2"]
    assert sorted(c.unit.slug for c in board.city[0].contributions) == [
        "xa-1-1",
        "xa-1-2",
        "xa-2-1",
    ]
    assert not kept or totals.differences(plan) == []


def test_moving_under_a_province_keeps_paths_in_step(country):
    unit = AdministrativeUnit.objects.get(slug="xa-2-2")
    assert unit.path == "viet-nam/tinh-2/xa-2-2"
