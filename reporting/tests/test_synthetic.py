"""Synthetic data for benchmarks: the same seed gives the same country, every workflow
state is there, and the dashboard totals agree with the figures."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from dashboards.board import attainment
from plans.admin_units import find_province, read_divisions
from plans.models import AdministrativeUnit, Plan
from reporting import totals
from reporting.models import Report, ReportEvent, ReportFigure

pytestmark = pytest.mark.django_db


def generate(prefix, seed=1):
    call_command(
        "generate_synthetic",
        provinces=2,
        units_per_province=3,
        indicators=4,
        years=1,
        fill=0.8,
        seed=seed,
        prefix=prefix,
        stdout=None,
    )
    return Plan.objects.get(unit__slug=prefix)


def contents(plan, prefix):
    """What a reader sees, with the prefix taken out of every code."""

    def bare(code):
        return code.replace(prefix, "")

    return (
        sorted(
            (bare(u.path), u.name.replace(prefix, ""), u.kind)
            for u in AdministrativeUnit.objects.filter(path__startswith=prefix)
        ),
        sorted(
            (bare(t.unit.slug), bare(t.indicator.code), t.value, t.comparison)
            for t in plan.targets.select_related("unit", "indicator")
        ),
        sorted(
            (bare(r.unit.slug), r.period.code, r.status, r.version, r.submitted_late)
            for r in Report.objects.filter(period__plan=plan).select_related("unit", "period")
        ),
        sorted(
            (bare(f.report.unit.slug), f.report.period.code, bare(f.indicator.code), f.value)
            for f in ReportFigure.objects.filter(report__period__plan=plan).select_related(
                "report__unit", "report__period", "indicator"
            )
        ),
        sorted(
            (bare(e.report.unit.slug), e.report.period.code, e.action, e.at, e.changes.count())
            for e in ReportEvent.objects.filter(report__period__plan=plan).select_related(
                "report__unit", "report__period"
            )
        ),
    )


def test_the_same_seed_gives_the_same_country():
    first, second = generate("aa"), generate("bb")
    assert contents(first, "aa") == contents(second, "bb")
    other = generate("cc", seed=2)
    assert contents(other, "cc") != contents(first, "aa")


def test_every_workflow_state_and_step_is_there_with_its_history():
    plan = generate("aa")
    reports = Report.objects.filter(period__plan=plan)
    assert set(reports.values_list("status", flat=True)) == set(Report.Status.values)
    actions = set(ReportEvent.objects.filter(report__in=reports).values_list("action", flat=True))
    assert {"tao", "luu", "gui", "tra_lai", "duyet", "mo_lai"} <= actions
    # Every report has its figures, one per indicator, and a status change per step.
    per_report = Counter(
        ReportFigure.objects.filter(report__in=reports).values_list("report_id", flat=True)
    )
    assert set(per_report.values()) == {4}
    assert not reports.annotate(n=Count("events")).filter(n=0).exists()
    assert AdministrativeUnit.objects.below(plan.unit).grassroots().count() == 6


def test_totals_after_generation_equal_a_recomputation_and_feed_the_dashboard():
    plan = generate("aa")
    assert totals.is_kept(plan)
    assert totals.differences(plan) == []
    board = attainment(plan, as_of=plan.periods.order_by("-ends_on").first().ends_on)
    assert len(board.city) == 4 and all(item.actual is not None for item in board.city)
    assert len(board.by_unit) == 2  # the two provinces


def generate_real(prefix, seed=1, **options):
    options = {"indicators": 2, "fill": 0.3, **options}
    call_command("generate_synthetic", years=1, seed=seed, prefix=prefix, stdout=None, **options)
    return Plan.objects.select_related("unit").get(unit__slug=prefix)


def test_one_real_province_is_built_with_its_real_units_names_and_codes():
    lai_chau = find_province(read_divisions(), "12")
    plan = generate_real("aa", province="12")
    [province] = plan.unit.children.all()
    assert str(province) == "Tỉnh Lai Châu"
    assert province.code == "12"
    units = AdministrativeUnit.objects.below(plan.unit).grassroots()
    assert sorted(units.values_list("code", "name", "kind")) == sorted(
        (u.code, u.name, u.kind) for u in lai_chau.units
    )
    assert str(units.get(code="03388")) == "Phường Đoàn Kết"
    assert units.get(code="03388").slug == "aa-phuong-doan-ket"
    assert Report.objects.filter(period__plan=plan, unit__in=units).exists()


def test_the_real_units_of_the_synthetic_country_leave_the_real_province_as_it_was():
    real = list(AdministrativeUnit.objects.below(AdministrativeUnit.objects.get(slug="lai-chau")))
    generate_real("aa", province="lai-chau")
    again = list(AdministrativeUnit.objects.below(AdministrativeUnit.objects.get(slug="lai-chau")))
    assert [(u.pk, u.slug, u.path) for u in again] == [(u.pk, u.slug, u.path) for u in real]


def test_the_same_seed_gives_the_same_country_on_the_real_units():
    first, second = generate_real("aa", province="12"), generate_real("bb", province="12")
    assert contents(first, "aa") == contents(second, "bb")
    assert contents(generate_real("cc", seed=2, province="12"), "cc") != contents(first, "aa")


def test_the_whole_country_has_the_34_real_provinces_with_their_real_numbers_of_units():
    divisions = read_divisions()
    plan = generate_real("qg", fill=0, no_totals=True)
    provinces = plan.unit.children.order_by("position")
    assert [p.code for p in provinces] == [d.province.code for d in divisions]
    sizes = dict(
        AdministrativeUnit.objects.below(plan.unit)
        .grassroots()
        .values_list("parent__code")
        .annotate(n=Count("pk"))
    )
    assert sizes == {d.province.code: len(d.units) for d in divisions}
    assert sum(sizes.values()) == 3321
    assert str(provinces.get(code="01")) == "Thành phố Hà Nội"


def test_the_first_provinces_in_code_order_make_a_smaller_real_country():
    plan = generate_real("aa", provinces=2, fill=0, no_totals=True)
    assert [str(p) for p in plan.unit.children.order_by("position")] == [
        "Thành phố Hà Nội",
        "Tỉnh Cao Bằng",
    ]
    assert AdministrativeUnit.objects.below(plan.unit).grassroots().count() == 126 + 56
    # The targets scale with each province's real number of units.
    hanoi, cao_bang = (
        plan.targets.get(unit__code=code, unit__parent=plan.unit, indicator__code="aa-ct-001")
        for code in ("01", "04")
    )
    nation = plan.targets.get(unit=plan.unit, indicator__code="aa-ct-001")
    assert hanoi.value * 56 == cao_bang.value * 126
    assert nation.value == hanoi.value + cao_bang.value


def test_loading_the_real_units_again_does_not_take_the_synthetic_ones_for_them():
    generate_real("aa", province="12", fill=0, no_totals=True)
    out = StringIO()
    call_command("load_admin_units", province="12", stdout=out)
    assert "thêm 0, sửa 0, giữ nguyên 39" in out.getvalue()
    assert AdministrativeUnit.objects.filter(code="03388", slug="aa-phuong-doan-ket").exists()
