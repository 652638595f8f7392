"""The 2023 plan on today's map: the city's seven units summed onto the two wards that
stand for them since 1 July 2025 (?theo=hien-nay), each sum traceable to its old units."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from lxml import html as lxml_html
from openpyxl import load_workbook

from dashboards.board import attainment
from dashboards.judging import Status
from dashboards.models import ExportRequest
from dashboards.today_map import today_map
from plans.models import AdministrativeUnit, UnitSuccession
from reporting.models import Indicator, Report, Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totals_mode")]

DASHBOARD = "/dashboard/2023/"
TODAY_MAP = {"theo": "hien-nay"}
RICE = "lua-chat-luong-dien-tich"
TEA = "che-bup-tuoi-san-luong"
END_OF_YEAR = date(2023, 12, 14)
AFTER_REFORM = date(2026, 1, 5)


@pytest.fixture
def rice_and_tea(report_figures):
    """What the units reported in 2023: rice area (a stock, the latest figure) and tea
    output (a flow, summed over the periods)."""
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=130, che_bup_tuoi_san_luong=900)
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=134, che_bup_tuoi_san_luong=600)
    report_figures("dong-phong", "2023-q2", lua_chat_luong_dien_tich=28)
    report_figures("tan-phong", "2023-q2", che_bup_tuoi_san_luong=50)
    report_figures("sung-phai", "2023-q2", lua_chat_luong_dien_tich=142)
    report_figures("quyet-thang", "2023-q2", lua_chat_luong_dien_tich="22.2")
    report_figures("doan-ket", "2023-q2", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=40)


def ward(plan, slug, as_of=END_OF_YEAR, day=AFTER_REFORM, **kwargs):
    board = attainment(plan, as_of=as_of, **kwargs)
    row = today_map(board, day).row_for(slug)
    assert row is not None, f"{slug} is not a row of today's map"
    # The row a leader reads: the ward itself, naming every unit it was formed from, the
    # plan's own under it and the ones outside the plan in the partial-coverage note.
    assert row.is_successor
    formed_from = set(
        UnitSuccession.objects.filter(successor__slug=slug).values_list(
            "predecessor__slug", flat=True
        )
    )
    listed = {unit.slug for unit, _share in row.old_units} | {u.slug for u in row.outside}
    assert listed == formed_from
    return row


def rice_target_of_predecessors(plan, ward_slug):
    """The fixture's own figures: the 2023 rice targets of the units the ward was formed from."""
    old = UnitSuccession.objects.filter(successor__slug=ward_slug).values("predecessor")
    targets = Target.objects.filter(plan=plan, indicator__code=RICE, unit__in=old)
    return sum(t.value for t in targets)


def test_tan_phong_wards_rice_target_and_result_are_its_old_units_sums(plan, rice_and_tea):
    row = ward(plan, "phuong-tan-phong")
    rice = next(f for f in row.figures.values() if f.indicator.code == RICE)
    assert rice.target == rice_target_of_predecessors(plan, "phuong-tan-phong")
    assert rice.target == Decimal("165")  # San Thàng 135 + Đông Phong 30
    assert rice.actual == Decimal("134") + Decimal("28")  # San Thàng's latest, Đông Phong's
    assert rice.status == Status.AT_RISK  # a stock held at 98,2 %: from 90 % it is at risk
    assert {(f.unit.slug, f.target, f.actual) for f in rice.behind} == {
        ("san-thang", Decimal("135"), Decimal("134")),
        ("dong-phong", Decimal("30"), Decimal("28")),
    }


def test_a_rate_of_several_old_units_is_not_summed_onto_the_ward(plan, rice_and_tea):
    Indicator.objects.filter(code=RICE).update(unit_of_measure="%")
    row = ward(plan, "phuong-tan-phong")
    rate = next(f for f in row.figures.values() if f.indicator.code == RICE)
    assert rate.target is None and rate.actual is None
    assert "không cộng được" in rate.explanation
    assert {(f.unit.slug, f.target, f.actual) for f in rate.behind} == {
        ("san-thang", Decimal("135"), Decimal("134")),
        ("dong-phong", Decimal("30"), Decimal("28")),
    }


def test_the_ward_page_says_why_a_rate_has_no_sum(plan, rice_and_tea, client_for, leader):
    Indicator.objects.filter(code=RICE).update(unit_of_measure="%")
    page = client_for(leader).get(f"{DASHBOARD}don-vi-hien-nay/phuong-tan-phong/")
    assert page.status_code == 200
    assert "không cộng được giữa các đơn vị" in page.content.decode()


def test_doan_ket_wards_rice_target_and_result_are_its_old_units_sums(plan, rice_and_tea):
    row = ward(plan, "phuong-doan-ket")
    rice = next(f for f in row.figures.values() if f.indicator.code == RICE)
    assert rice.target == rice_target_of_predecessors(plan, "phuong-doan-ket")
    assert rice.target == Decimal("164.2")  # Sùng Phài 142 + Quyết Thắng 22,2
    assert rice.actual == Decimal("164.2")
    assert rice.status == Status.ACHIEVED
    assert [f.unit.slug for f in rice.behind] == ["sung-phai", "quyet-thang"]


def test_a_flow_is_summed_by_the_value_rule_and_unapproved_figures_only_when_asked(
    plan, rice_and_tea
):
    tan_phong = ward(plan, "phuong-tan-phong")
    tea = next(f for f in tan_phong.figures.values() if f.indicator.code == TEA)
    assert tea.target is None  # the plan sets tea output for the city only
    assert tea.actual == Decimal("900") + Decimal("600") + Decimal("50")
    doan_ket = ward(plan, "phuong-doan-ket")
    assert TEA not in {f.indicator.code for f in doan_ket.figures.values()}
    with_submitted = ward(plan, "phuong-doan-ket", include_submitted=True)
    tea = next(f for f in with_submitted.figures.values() if f.indicator.code == TEA)
    assert tea.actual == Decimal("40")
    assert tea.includes_submitted


def test_both_wards_are_marked_as_covering_only_part_of_their_area(plan, rice_and_tea):
    tan_phong = ward(plan, "phuong-tan-phong")
    doan_ket = ward(plan, "phuong-doan-ket")
    assert tan_phong.partial and doan_ket.partial
    assert [u.slug for u in tan_phong.outside] == ["nung-nang", "ban-giang"]
    assert [u.slug for u in doan_ket.outside] == ["lan-nhi-thang"]
    assert tan_phong.partial_label == "chỉ gồm một phần địa bàn"
    assert "Xã Nùng Nàng, Xã Bản Giang" in tan_phong.partial_note
    assert [u.slug for u, _share in tan_phong.old_units] == ["san-thang", "dong-phong", "tan-phong"]
    assert [u.slug for u, _share in doan_ket.old_units] == [
        "sung-phai",
        "quyet-thang",
        "quyet-tien",
        "doan-ket",
    ]


def test_before_the_reform_each_unit_stands_for_itself(plan, rice_and_tea):
    board = attainment(plan, as_of=END_OF_YEAR)
    mapped = today_map(board, date(2024, 1, 1))
    assert [row.unit.slug for row in mapped.rows] == [u.slug for u in board.units[1:]]
    san_thang = mapped.row_for("san-thang")
    assert not san_thang.partial
    rice = next(f for f in san_thang.figures.values() if f.indicator.code == RICE)
    assert (rice.target, rice.actual) == (Decimal("135"), Decimal("134"))


def test_a_split_with_a_share_from_its_source_divides_the_figures(plan, rice_and_tea, unit):
    """San Thàng split 60/40 between the ward and a made-up commune, as a source would say."""
    san_thang, tan_phong = unit("san-thang"), unit("phuong-tan-phong")
    other = AdministrativeUnit.objects.create(
        name="Thử Nghiệm", slug="xa-thu-nghiem", kind="xa", parent=tan_phong.parent,
        valid_from=date(2025, 7, 1), position=103,
    )  # fmt: skip
    UnitSuccession.objects.filter(predecessor=san_thang).update(share=Decimal("0.6"))
    UnitSuccession.objects.create(
        predecessor=san_thang, successor=other, effective_on=date(2025, 7, 1),
        share=Decimal("0.4"), source="Nguồn thử",
    )  # fmt: skip
    board = attainment(plan, as_of=END_OF_YEAR)
    mapped = today_map(board, AFTER_REFORM)
    rice = next(
        f for f in mapped.row_for("phuong-tan-phong").figures.values() if f.indicator.code == RICE
    )
    assert rice.target == Decimal("135") * Decimal("0.6") + Decimal("30")
    assert rice.actual == Decimal("134") * Decimal("0.6") + Decimal("28")
    split = next(
        f for f in mapped.row_for("xa-thu-nghiem").figures.values() if f.indicator.code == RICE
    )
    assert (split.target, split.actual) == (Decimal("135") * Decimal("0.4"), Decimal("53.6"))


def test_a_split_without_a_share_keeps_the_figure_under_the_unit_that_reported_it(
    plan, rice_and_tea, unit
):
    san_thang, tan_phong = unit("san-thang"), unit("phuong-tan-phong")
    other = AdministrativeUnit.objects.create(
        name="Thử Nghiệm", slug="xa-thu-nghiem", kind="xa", parent=tan_phong.parent,
        valid_from=date(2025, 7, 1), position=103,
    )  # fmt: skip
    UnitSuccession.objects.create(
        predecessor=san_thang, successor=other, effective_on=date(2025, 7, 1), source="Nguồn thử"
    )
    mapped = today_map(attainment(plan, as_of=END_OF_YEAR), AFTER_REFORM)
    rice = next(
        f for f in mapped.row_for("phuong-tan-phong").figures.values() if f.indicator.code == RICE
    )
    assert (rice.target, rice.actual) == (Decimal("30"), Decimal("28"))  # Đông Phong alone
    kept = mapped.row_for("san-thang")
    assert not kept.is_successor
    assert "nguồn không cho biết tỷ lệ" in kept.note
    rice = next(f for f in kept.figures.values() if f.indicator.code == RICE)
    assert (rice.target, rice.actual) == (Decimal("135"), Decimal("134"))
    assert mapped.row_for("xa-thu-nghiem") is None


def test_the_map_costs_the_same_queries_whatever_the_number_of_units(
    plan, unit, rice_and_tea, django_assert_num_queries
):
    board = attainment(plan, as_of=END_OF_YEAR)
    # Contributions (1), successions forward (1), back (2), seasonal profiles (1).
    with django_assert_num_queries(5):
        mapped = today_map(board, AFTER_REFORM)
    assert len(mapped.successors) == 2
    # Twenty more communes in the city, each merged into a ward, and one taken in from outside.
    wards = [unit("phuong-doan-ket"), unit("phuong-tan-phong")]
    outside = AdministrativeUnit.objects.create(
        name="Ngoài", slug="xa-ngoai", kind="xa", parent=wards[0].parent,
        valid_to=date(2025, 6, 30), position=90,
    )  # fmt: skip
    UnitSuccession.objects.create(
        predecessor=outside, successor=wards[1], effective_on=date(2025, 7, 1), source="Thử"
    )
    for number in range(20):
        commune = AdministrativeUnit.objects.create(
            name=f"Xã {number}", slug=f"xa-{number}", kind="xa", parent=plan.unit,
            valid_to=date(2025, 6, 30), position=10 + number,
        )  # fmt: skip
        UnitSuccession.objects.create(
            predecessor=commune, successor=wards[number % 2],
            effective_on=date(2025, 7, 1), source="Thử",
        )  # fmt: skip
    board = attainment(plan, as_of=END_OF_YEAR)
    with django_assert_num_queries(5):
        mapped = today_map(board, AFTER_REFORM)
    assert len(mapped.successors) == 2
    assert len(mapped.row_for("phuong-tan-phong").old_units) == 3 + 10
    assert [u.slug for u in mapped.row_for("phuong-tan-phong").outside] == [
        "nung-nang",
        "ban-giang",
        "xa-ngoai",
    ]


def on_day(monkeypatch, day):
    """The pages' today is `day` (the date of a moment, as the workflow asks, is not)."""
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda *args: localdate(*args) if args else day)


def page(client, path, **query):
    response = client.get(path, query)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def by_id(node, testid):
    found = node.xpath(f".//*[@data-testid='{testid}']")
    return found[0] if found else None


def row(node, tag, **attributes):
    condition = " and ".join(f"@data-{k.replace('_', '-')}='{v}'" for k, v in attributes.items())
    found = node.xpath(f".//{tag}[{condition}]")
    return found[0] if found else None


def text(node):
    return " ".join(node.text_content().split())


def test_the_dashboard_switches_to_todays_units_keeping_its_filters(
    client_for, leader, rice_and_tea, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)
    html = page(client, DASHBOARD, ky="2023-q4", linh_vuc="trong_trot")
    links = {text(a): a for a in by_id(html, "map-switch").xpath(".//a")}
    assert links["Theo đơn vị năm 2023"].get("aria-current") == "true"
    today_link = links["Theo đơn vị hành chính hiện nay"].get("href")
    assert "ky=2023-q4" in today_link and "linh_vuc=trong_trot" in today_link
    assert "theo=hien-nay" in today_link
    assert by_id(html, "today-units") is None

    html = page(client, DASHBOARD + today_link)
    links = {text(a): a for a in by_id(html, "map-switch").xpath(".//a")}
    assert links["Theo đơn vị hành chính hiện nay"].get("aria-current") == "true"
    assert "theo" not in links["Theo đơn vị năm 2023"].get("href")
    table = by_id(html, "today-units")
    tan_phong = row(table, "tbody", unit="phuong-tan-phong")
    rice = row(tan_phong, "tr", indicator=RICE)
    assert text(by_id(rice, "today-target")) == "165 ha"
    assert text(by_id(rice, "today-actual")) == "162 ha"
    behind = text(by_id(rice, "behind"))
    assert "San Thàng: kế hoạch 135, thực hiện 134" in behind
    assert "Đông Phong: kế hoạch 30, thực hiện 28" in behind
    assert text(by_id(tan_phong, "partial")) == "chỉ gồm một phần địa bàn"
    assert "Xã Nùng Nàng, Xã Bản Giang" in text(tan_phong)
    doan_ket = row(table, "tbody", unit="phuong-doan-ket")
    assert text(by_id(row(doan_ket, "tr", indicator=RICE), "today-target")) == "164,2 ha"
    # The filters still apply: only crop indicators, and the form keeps today's map.
    assert row(tan_phong, "tr", indicator="co-so-nuoi-ong") is None
    form = by_id(html, "dashboard-filter")
    assert form.xpath(".//input[@name='theo']")[0].get("value") == "hien-nay"
    export = by_id(html, "downloads").xpath(".//a")[0].get("href")
    assert "theo=hien-nay" in export


def test_the_tasks_by_unit_are_counted_by_ward_with_the_old_units_under_each(
    client_for, leader, plan, report_figures, monkeypatch
):
    barns, bees = plan.tasks.get(code="II.2.1.a"), plan.tasks.get(code="II.2.5.a")
    report_figures("san-thang", "2023-q1", tasks={barns.pk: ("hoan_thanh", "Đã hỗ trợ")})
    report_figures("sung-phai", "2023-q1", tasks={barns.pk: ("dang_thuc_hien", "Đang làm")})
    report_figures("dong-phong", "2023-q1", tasks={bees.pk: ("hoan_thanh", "Đã có 2 cơ sở")})
    on_day(monkeypatch, AFTER_REFORM)
    table = by_id(page(client_for(leader), DASHBOARD, **TODAY_MAP), "tasks-by-unit")
    rows = {
        tr.get("data-unit"): [text(td) for td in tr.xpath("./td")]
        for tr in table.xpath(".//tr[@data-unit]")
    }
    assert rows["phuong-tan-phong"][1:] == ["2", "0", "0"]
    assert rows["san-thang"][1:] == ["1", "0", "0"]
    assert rows["dong-phong"][1:] == ["1", "0", "0"]
    assert rows["phuong-doan-ket"][1:] == ["0", "1", "0"]
    assert "chỉ gồm một phần địa bàn" in rows["phuong-doan-ket"][0]
    order = list(rows)
    assert (
        order.index("phuong-doan-ket") < order.index("sung-phai") < order.index("phuong-tan-phong")
    )


def test_plan_wide_totals_are_the_same_on_both_maps(client_for, leader, rice_and_tea, monkeypatch):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)

    def attainment_rows(html):
        return [text(tr) for tr in by_id(html, "attainment").xpath("./tbody/tr")]

    own_map = attainment_rows(page(client, DASHBOARD, ky="2023-q4"))
    todays = attainment_rows(page(client, DASHBOARD, ky="2023-q4", **TODAY_MAP))
    assert own_map == todays
    assert any("329,2 ha" in r and "326,2 ha" in r for r in todays)
    indicator = f"{DASHBOARD}chi-tieu/{RICE}/"
    own = page(client, indicator, ky="2023-q4")
    today = page(client, indicator, ky="2023-q4", **TODAY_MAP)
    assert text(by_id(own, "actual")) == text(by_id(today, "actual")) == "326,2 ha"
    assert text(by_id(today, "total-actual")) == "326,2"


def test_the_indicator_page_shows_the_wards_with_their_old_units(
    client_for, leader, rice_and_tea, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    html = page(client_for(leader), f"{DASHBOARD}chi-tieu/{RICE}/", **TODAY_MAP)
    table = by_id(html, "today-units")
    tan_phong = row(table, "tr", unit="phuong-tan-phong")
    assert text(by_id(tan_phong, "today-target")) == "165"
    assert text(by_id(tan_phong, "today-actual")) == "162"
    ward_page = "/dashboard/2023/don-vi-hien-nay/phuong-tan-phong/?theo=hien-nay"
    assert tan_phong.xpath(".//a")[0].get("href") == ward_page
    reports = [a.get("href") for a in by_id(tan_phong, "behind").xpath(".//a")]
    assert "/reports/2023/san-thang/2023-q2/" in reports
    assert by_id(row(table, "tr", unit="phuong-doan-ket"), "partial") is not None
    # No old unit is left on its own: every one of them is in a ward now.
    assert row(table, "tr", unit="san-thang") is None


def test_the_wards_page_lists_its_old_units_each_linking_to_its_own_page(
    client_for, leader, rice_and_tea, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)
    html = page(client, f"{DASHBOARD}don-vi-hien-nay/phuong-tan-phong/", **TODAY_MAP)
    assert text(html.xpath("//h1")[0]) == "Phường Tân Phong chỉ gồm một phần địa bàn"
    olds = by_id(html, "old-units")
    assert [li.get("data-unit") for li in olds.xpath("./li")] == [
        "san-thang",
        "dong-phong",
        "tan-phong",
    ]
    assert olds.xpath(".//a")[0].get("href") == "/dashboard/2023/don-vi/san-thang/?theo=hien-nay"
    assert "Xã Nùng Nàng, Xã Bản Giang" in text(by_id(html, "partial-note"))
    rice = row(html, "tr", indicator=RICE)
    assert text(by_id(rice, "today-target")) == "165 ha"
    tea = row(html, "tr", indicator=TEA)
    assert text(by_id(tea, "today-actual")) == "1.550 tấn"

    old = page(client, f"{DASHBOARD}don-vi/san-thang/", **TODAY_MAP)
    assert text(by_id(old, "now-in")) == "Nay thuộc: Phường Tân Phong"
    reports = [a.get("href") for a in by_id(old, "contributions").xpath(".//a")]
    assert "/reports/2023/san-thang/2023-q2/" in reports
    # On the plan's own map the unit page says nothing of today's.
    assert by_id(page(client, f"{DASHBOARD}don-vi/san-thang/"), "now-in") is None


def test_a_unit_that_is_not_on_todays_map_has_no_wards_page(client_for, leader, monkeypatch):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)
    for slug in ("san-thang", "lan-nhi-thang", "khong-co"):
        assert client.get(f"{DASHBOARD}don-vi-hien-nay/{slug}/").status_code == 404


def test_before_the_reform_the_dashboard_offers_no_switch(client_for, leader, monkeypatch):
    on_day(monkeypatch, date(2024, 3, 1))
    html = page(client_for(leader), DASHBOARD, **TODAY_MAP)
    assert by_id(html, "map-switch") is None
    assert by_id(html, "today-units") is None


def test_officials_still_see_no_dashboard_on_either_map(client_for, san_thang_official):
    client = client_for(san_thang_official)
    for path in (
        DASHBOARD,
        f"{DASHBOARD}don-vi-hien-nay/phuong-tan-phong/",
        f"{DASHBOARD}don-vi/san-thang/",
        f"{DASHBOARD}chi-tieu/{RICE}/",
        f"{DASHBOARD}export.xlsx",
    ):
        assert client.get(path, TODAY_MAP).status_code == 403


def queries(client, path, **query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, query).status_code == 200
    return len(captured)


def test_the_pages_on_todays_map_cost_the_same_queries_with_more_units_reporting(
    client_for, leader, report_figures, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)
    pages = (
        DASHBOARD,
        f"{DASHBOARD}don-vi-hien-nay/phuong-tan-phong/",
        f"{DASHBOARD}chi-tieu/{RICE}/",
    )
    report_figures("san-thang", "2023-q1", lua_chat_luong_dien_tich=130)
    few = [queries(client, path, **TODAY_MAP) for path in pages]
    for slug in ("dong-phong", "sung-phai", "quyet-thang"):
        report_figures(slug, "2023-q2", lua_chat_luong_dien_tich=20, che_bup_tuoi_san_luong=10)
    for slug in ("tan-phong", "doan-ket", "quyet-tien"):
        report_figures(slug, "2023-q2", che_bup_tuoi_san_luong=10)
    many = [queries(client, path, **TODAY_MAP) for path in pages]
    assert few == many
    # Today's map adds its own few queries to the plan's map, however many units report.
    own = [queries(client, path) for path in (DASHBOARD, pages[2])]
    assert [many[0] - own[0], many[2] - own[1]] == [5, 5]


def workbook_units(client, **query):
    response = client.get(f"{DASHBOARD}export.xlsx", query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Đơn vị"]
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def rice_columns(rows):
    """The rice group's first column (Kế hoạch) on the sheet's two header rows."""
    top = next(
        r for r in rows if any(str(v).startswith("Diện tích lúa chất lượng") for v in r if v)
    )
    return next(i for i, v in enumerate(top) if v and str(v).startswith("Diện tích lúa"))


def test_the_excel_follows_the_map_the_dashboard_shows(
    client_for, leader, rice_and_tea, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(leader)
    own = workbook_units(client, ky="2023-q4")
    today = workbook_units(client, ky="2023-q4", **TODAY_MAP)
    rice = rice_columns(today)
    by_name = {r[1]: r for r in today if r[1]}
    tan_phong = by_name["Phường Tân Phong"]
    assert tan_phong[rice : rice + 2] == [165, 162]
    assert "Chỉ gồm một phần địa bàn" in tan_phong[2]
    assert "Xã Nùng Nàng, Xã Bản Giang" in tan_phong[2]
    assert "Xã San Thàng, Phường Đông Phong, Phường Tân Phong" in tan_phong[2]
    assert by_name["Phường Đoàn Kết"][rice : rice + 2] == [164.2, 164.2]
    # The old units behind each sum, under it, with their own figures.
    assert by_name["– Xã San Thàng"][rice : rice + 2] == [135, 134]
    assert by_name["– Xã San Thàng"][2] == "đơn vị năm 2023, nay thuộc Phường Tân Phong"
    assert by_name["– Phường Đông Phong"][rice : rice + 2] == [30, 28]
    assert "Xã San Thàng" not in by_name  # no row for an old unit alone
    assert "Xã San Thàng" in {r[1] for r in own}
    # The sheet's totals and the plan-wide rows are the same on both maps.
    totals = ("Tổng cộng", "Kế hoạch toàn Thành phố Lai Châu", "Tỷ lệ đạt so với kế hoạch chung")
    for label in totals:
        own_row = next(r for r in own if r[1] == label)
        today_row = next(r for r in today if r[1] == label)
        assert own_row[2:] == today_row[3:], label
    assert next(r for r in today if r[1] == "Tổng cộng")[rice + 1] == 326.2


def test_the_report_to_the_province_stays_in_the_plans_units(
    client_for, economic_officer, rice_and_tea, monkeypatch
):
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(economic_officer)
    own = client.get(f"{DASHBOARD}bao-cao.docx", {"ky": "2023-q4"})
    today = client.get(f"{DASHBOARD}bao-cao.docx", {"ky": "2023-q4", **TODAY_MAP})
    assert own.status_code == today.status_code == 200

    def text(response):
        return [p.text for p in Document(io.BytesIO(response.content)).paragraphs]

    assert text(today) == text(own)
    assert any(line.startswith("- Xã San Thàng: Diện tích lúa") for line in text(today))


def test_a_queued_excel_keeps_todays_map_too(
    client_for,
    economic_officer,
    rice_and_tea,
    monkeypatch,
    queue_every_export,
    run_worker,
    django_capture_on_commit_callbacks,
):
    """A large plan's file is made by the worker from the request's parameters: the map
    chosen on the dashboard travels with them."""
    on_day(monkeypatch, AFTER_REFORM)
    client = client_for(economic_officer)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"{DASHBOARD}tep-excel/?ky=2023-q4&theo=hien-nay")
    assert asked.status_code == 302
    run_worker()
    export = ExportRequest.objects.latest("pk")
    assert export.state == ExportRequest.State.DONE, export.error_detail
    download = client.get(f"/dashboard/tep-excel/{export.pk}/tai-ve.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Đơn vị"]
    rows = [list(values) for values in sheet.iter_rows(values_only=True)]
    rice = rice_columns(rows)
    by_name = {r[1]: r for r in rows if r[1]}
    assert by_name["Phường Tân Phong"][rice : rice + 2] == [165, 162]
    assert by_name["Phường Đoàn Kết"][rice] == 164.2
    assert "Xã San Thàng" not in by_name
