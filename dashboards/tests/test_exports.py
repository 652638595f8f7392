"""The dashboard as an Excel file: what an official opens, prints and sends on."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.board import default_as_of
from plans.models import AdministrativeUnit, OcopProduct
from reporting.models import Report

from .test_hierarchy import country, file  # noqa: F401 (the country fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totals_mode")]

EXPORT = "/dashboard/2023/export.xlsx"
SHEETS = ["Chỉ tiêu", "Đơn vị", "Nhiệm vụ", "OCOP", "Tiến độ báo cáo"]


def download(client, **query):
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet, label, column=None):
    """The first row whose cells include `label` (in `column` if given), as a list of cells."""
    for row in sheet.iter_rows():
        cells = [row[column - 1]] if column else row
        if any(cell.value == label for cell in cells):
            return list(row)
    raise AssertionError(f"{label!r} not in {sheet.title}")


def header(sheet):
    first, last = (int(part.strip("$")) for part in sheet.print_title_rows.split(":"))
    return [cell.value for cell in sheet[last]]


def by_header(sheet, row, name):
    return row[header(sheet).index(name)]


def test_approved_rice_areas_add_up_with_their_status(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    report_figures("sung-phai", "2023-q2", lua_chat_luong_dien_tich=142)
    report_figures("quyet-thang", "2023-q2", lua_chat_luong_dien_tich="22.2")
    report_figures("dong-phong", "2023-q2", lua_chat_luong_dien_tich=30)
    book = download(client_for(leader))
    assert book.sheetnames == SHEETS

    indicators = book["Chỉ tiêu"]
    rice = row_of(indicators, "Diện tích lúa chất lượng")
    assert by_header(indicators, rice, "Kế hoạch năm").value == pytest.approx(329.2)
    actual = by_header(indicators, rice, "Thực hiện")
    assert actual.value == pytest.approx(329.2)
    assert actual.data_type == "n"
    assert actual.number_format == "#,##0.0"
    share = by_header(indicators, rice, "Tỷ lệ đạt")
    assert share.value == pytest.approx(1)
    assert share.number_format == "0.0%"
    assert by_header(indicators, rice, "Tình trạng").value == "Đã đạt"
    assert "không thấp hơn chỉ tiêu 329,2 ha" in by_header(indicators, rice, "Cách đánh giá").value
    tea = row_of(indicators, "Sản lượng chè búp tươi")
    assert by_header(indicators, tea, "Kế hoạch năm").number_format == "#,##0"

    units = book["Đơn vị"]
    total = row_of(units, "Tổng cộng")
    # Rice has a target per commune: plan, actual, share and status for each.
    assert [c.value for c in total[2:4]] == [pytest.approx(329.2), pytest.approx(329.2)]
    san_thang = row_of(units, "Xã San Thàng")
    assert [c.value for c in san_thang[2:6]] == [135, 135, 1, "Đã đạt"]


def test_the_sheets_are_ready_to_print_and_filter(client_for, economic_officer):
    book = download(client_for(economic_officer), ky="2023-6t")
    for name in SHEETS:
        sheet = book[name]
        assert sheet["A1"].value.isupper(), name
        assert sheet["A1"].font.name == "Times New Roman"
        assert "Đến hết kỳ 6 tháng đầu năm 2023 (số liệu đến 14/06/2023)" in sheet["A2"].value
        first, last = (int(part.strip("$")) for part in sheet.print_title_rows.split(":"))
        assert sheet.freeze_panes.endswith(str(last + 1)), name
        assert sheet.auto_filter.ref.startswith(f"A{last}:"), name
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        # A set scale, not "fit to width": fitting shrank the text to 5 pt on paper.
        assert 85 <= sheet.page_setup.scale <= 100, name
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert header(book["Chỉ tiêu"])[:5] == ["STT", "Mục", "Chỉ tiêu", "Phạm vi", "ĐVT"]
    assert book["Chỉ tiêu"].freeze_panes == "D6"


def test_a_vietnamese_file_name_names_the_period(client_for, leader):
    response = client_for(leader).get(EXPORT, {"ky": "2023-q1"})
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''"
        "Ch%E1%BB%89%20ti%C3%AAu%20v%C3%A0%20th%E1%BB%B1c%20hi%E1%BB%87n%202023"
        "%20-%20Qu%C3%BD%201-2023.xlsx"
    )


def test_the_export_follows_the_dashboards_filters(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=1000)
    report_figures("san-thang", "2023-q3", che_bup_tuoi_san_luong=3000)
    report_figures("sung-phai", "2023-q1", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=500)
    client = client_for(leader)

    infrastructure = download(client, linh_vuc="ha_tang")["Chỉ tiêu"]
    names = [row[2].value for row in infrastructure.iter_rows(min_row=6, max_row=7)]
    assert names == [
        "Kênh mương nội đồng được nâng cấp, sửa chữa, kiên cố",
        "Đường nội đồng vùng chè được nâng cấp, bê tông hóa",
    ]
    assert "Lĩnh vực: Hạ tầng" in infrastructure["A3"].value

    q1 = download(client, ky="2023-q1")["Chỉ tiêu"]
    assert by_header(q1, row_of(q1, "Sản lượng chè búp tươi"), "Thực hiện").value == 1000

    with_submitted = download(client, ky="2023-q1", gom_da_gui="true")
    tea = row_of(with_submitted["Chỉ tiêu"], "Sản lượng chè búp tươi")
    assert by_header(with_submitted["Chỉ tiêu"], tea, "Thực hiện").value == 1500
    assert by_header(with_submitted["Chỉ tiêu"], tea, "Ghi chú").value == "Gồm số liệu chưa duyệt"
    sung_phai = row_of(with_submitted["Đơn vị"], "Xã Sùng Phài")
    marked = [c for c in sung_phai if c.value == 500]
    assert marked and marked[0].fill.fgColor.rgb.endswith("FFF2CC")


def test_a_narrative_starting_with_equals_stays_text(client_for, leader, report_figures, plan):
    duty = plan.tasks.get(code="III.6.7")
    report_figures(
        "san-thang",
        "2023-q1",
        tasks={duty.pk: ("dang_thuc_hien", '=HYPERLINK("http://x.vn","Đã tổng hợp")')},
    )
    tasks = download(client_for(leader))["Nhiệm vụ"]
    row = row_of(tasks, "Xã San Thàng")
    narrative = by_header(tasks, row, "Kết quả thực hiện")
    assert narrative.data_type == "s"
    assert narrative.value == '=HYPERLINK("http://x.vn","Đã tổng hợp")'
    assert by_header(tasks, row, "Tình hình").value == "Đang thực hiện"
    assert by_header(tasks, row, "Mã").value == "III.6.7"
    summary = row_of(tasks, "Tổng cộng (mỗi nhiệm vụ ở mỗi đơn vị tính một lần)")
    assert [c.value for c in summary[3:8]] == [0, 1, 0, 39, 40]


def test_a_task_summary_for_a_period_leaves_out_later_reports(
    client_for, leader, report_figures, plan
):
    duty = plan.tasks.get(code="III.6.7")
    report_figures("san-thang", "2023-q1", tasks={duty.pk: ("dang_thuc_hien", "Bắt đầu")})
    report_figures("san-thang", "2023-q3", tasks={duty.pk: ("hoan_thanh", "Xong")})
    tasks = download(client_for(leader), ky="2023-q2")["Nhiệm vụ"]
    row = row_of(tasks, "Xã San Thàng")
    assert by_header(tasks, row, "Kết quả thực hiện").value == "Bắt đầu"
    assert by_header(tasks, row, "Theo báo cáo kỳ").value == "Quý 1/2023"


def test_ocop_products_with_dates_as_dates(client_for, leader, unit, plan):
    # The sheet is as of the file's date (the plan year's end here), like every other sheet.
    today = default_as_of(plan, timezone.localdate())
    OcopProduct.objects.create(
        name="Chè Shan tuyết San Thàng",
        owner="HTX Chè San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_number="123/QĐ-UBND",
        decision_date=today - timedelta(days=3 * 365 - 10),
    )
    ocop = download(client_for(leader))["OCOP"]
    row = row_of(ocop, "Chè Shan tuyết San Thàng")
    assert by_header(ocop, row, "Hạng sao").value == 4
    expires = by_header(ocop, row, "Ngày hết hạn")
    assert expires.is_date and expires.number_format == "DD/MM/YYYY"
    assert "Hết hạn trong 30 ngày" in by_header(ocop, row, "Lưu ý").value
    assert row_of(ocop, "Còn hiệu lực, 4 sao")[2].value == 1
    assert ocop["A1"].value == f"SẢN PHẨM OCOP ĐẾN NGÀY {today:%d/%m/%Y}"


def test_the_ocop_sheet_is_as_of_the_chosen_period_like_the_others(client_for, leader, unit):
    OcopProduct.objects.create(
        name="Mắc ca Sùng Phài",
        owner="HTX Sùng Phài",
        unit=unit("sung-phai"),
        score=66,
        decision_number="45/QĐ-UBND",
        decision_date=date(2023, 9, 1),
    )
    ocop = download(client_for(leader), ky="2023-6t")["OCOP"]
    assert ocop["A1"].value == "SẢN PHẨM OCOP ĐẾN NGÀY 14/06/2023"
    assert "Mắc ca Sùng Phài" not in [cell.value for cell in ocop["B"]]


def test_reporting_completeness_per_unit_and_period(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q1", Report.Status.SUBMITTED, lua_chat_luong_dien_tich=135)
    sheet = download(client_for(leader), ky="2023-q2")["Tiến độ báo cáo"]
    assert header(sheet) == ["STT", "Đơn vị", "Quý 1/2023", "Quý 2/2023"]
    assert [c.value for c in row_of(sheet, "Xã San Thàng")[2:]] == ["Muộn", "Chưa nộp"]
    assert [c.value for c in row_of(sheet, "Số đơn vị chưa nộp")[2:]] == [6, 7]


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, 302), ("nguoingoai", 403), ("santhang", 403), ("lanhdao", 200), ("kinhte", 200)],
)
def test_leadership_and_phong_kinh_te_may_export(client, outsider, username, expected):
    from django.contrib.auth import get_user_model

    if username:
        client.force_login(get_user_model().objects.get(username=username))
    response = client.get(EXPORT)
    assert response.status_code == expected
    if username is None:
        assert response.url.startswith("/accounts/login/")


def test_the_dashboard_offers_the_downloads_the_user_may_have(client_for, leader, economic_officer):
    page = client_for(leader).get("/dashboard/2023/", {"ky": "2023-q1"}).content.decode()
    assert 'href="/dashboard/2023/export.xlsx?ky=2023-q1"' in page
    assert "bao-cao.docx" not in page
    page = client_for(economic_officer).get("/dashboard/2023/", {"ky": "2023-q1"}).content.decode()
    assert 'href="/dashboard/2023/bao-cao.docx?ky=2023-q1"' in page


def test_the_export_costs_the_same_queries_with_more_units_and_reports(
    client_for, leader, report_figures, plan, django_assert_max_num_queries
):
    client = client_for(leader)
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong=10)
    with django_assert_max_num_queries(23) as few:  # 20, the named units, 2 counts (queue?)
        client.get(EXPORT)
    for number in range(5):
        AdministrativeUnit.objects.create(
            name=f"Phường Mới {number}",
            slug=f"phuong-moi-{number}",
            kind=AdministrativeUnit.Kind.WARD,
            parent=plan.unit,
            position=20 + number,
        )
    duty = plan.tasks.get(code="III.6.7")
    for slug in ("sung-phai", "quyet-thang", "dong-phong", "quyet-tien", "doan-ket", "tan-phong"):
        for quarter in ("2023-q1", "2023-q2", "2023-q3", "2023-q4"):
            report_figures(
                slug,
                quarter,
                tasks={duty.pk: ("dang_thuc_hien", f"{slug} {quarter}")},
                che_bup_tuoi_san_luong=10,
                che_dien_tich=5,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        book = download(client)
    units = [row[1].value for row in book["Đơn vị"].iter_rows(min_row=7)]
    assert "Phường Phường Mới 4" in units
    tea = row_of(book["Chỉ tiêu"], "Sản lượng chè búp tươi")
    assert by_header(book["Chỉ tiêu"], tea, "Thực hiện").value == 10 + 6 * 4 * 10
    units = book["Đơn vị"]
    tea_column = [c.value for c in units[5]].index("Sản lượng chè búp tươi (tấn)")
    assert row_of(units, "Tổng cộng")[tea_column].value == 250


def test_an_approved_figure_reads_the_same_on_the_dashboard_in_excel_and_in_the_report(
    client_for, economic_officer, report_figures
):
    from docx import Document

    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong="1000")
    report_figures("sung-phai", "2023-q2", che_bup_tuoi_san_luong="250.5")
    report_figures("dong-phong", "2023-q2", Report.Status.SUBMITTED, che_bup_tuoi_san_luong=99)
    client = client_for(economic_officer)

    dashboard = client.get("/dashboard/2023/", {"ky": "2023-6t"})
    on_page = next(
        i for i in dashboard.context["items"] if i.indicator.code == "che-bup-tuoi-san-luong"
    )
    assert (on_page.actual, on_page.status_label) == (Decimal("1250.5"), "Chưa đủ báo cáo")
    assert "1.250,5 tấn" in dashboard.content.decode()

    sheet = download(client, ky="2023-6t")["Chỉ tiêu"]
    tea = row_of(sheet, "Sản lượng chè búp tươi")
    assert by_header(sheet, tea, "Thực hiện").value == 1250.5
    assert by_header(sheet, tea, "Tình trạng").value == "Chưa đủ báo cáo"
    assert by_header(sheet, tea, "Cách đánh giá").value == on_page.explanation

    report = client.get("/dashboard/2023/bao-cao.docx", {"ky": "2023-6t"})
    table = next(t for t in Document(io.BytesIO(report.content)).tables if len(t.columns) == 7)
    row = next(r for r in table.rows if r.cells[1].text == "Sản lượng chè búp tươi")
    assert [c.text for c in row.cells[3:]] == ["10.900", "1.250,5", "11,5", "Chưa đủ báo cáo"]


def test_a_national_plan_shows_each_communes_province_and_each_province_target(
    client_for,
    leader,
    country,  # noqa: F811 (pytest passes the fixture imported above)
    economic_officer,
):
    plan, provinces = country
    for slug, amount in (("xa-1-1", 100), ("xa-1-2", 150), ("xa-2-1", 300)):
        file(plan, slug, amount, economic_officer)
    book = load_workbook(
        io.BytesIO(client_for(leader).get("/dashboard/2030/export.xlsx?ky=2030-nam").content)
    )
    indicators = book["Chỉ tiêu"]
    whole = row_of(indicators, "Tỉnh Việt Nam", column=4)
    province = row_of(indicators, "Tỉnh Tỉnh 1", column=4)
    assert by_header(indicators, whole, "Thực hiện").value == 550
    assert by_header(indicators, province, "Thực hiện").value == 250
    assert by_header(indicators, province, "Kế hoạch năm").value == 400
    units = book["Đơn vị"]
    assert header(units)[:3] == ["STT", "Đơn vị", "Trực thuộc"]
    assert [c.value for c in row_of(units, "Xã Xã 2.1")[1:4]] == ["Xã Xã 2.1", "Tỉnh 2", 300]


def test_what_is_due_by_now_has_the_decimals_of_its_unit(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q2", ocop_san_pham_moi=1, mac_ca_san_luong="3.5")
    indicators = download(client_for(leader), ky="2023-6t")["Chỉ tiêu"]
    due = {}
    for row in indicators.iter_rows(min_row=6):
        cells = dict(zip(header(indicators), row, strict=False))
        if cells.get("ĐVT") and cells["ĐVT"].value and cells["Cần đạt đến kỳ"].value is not None:
            due[cells["ĐVT"].value] = cells["Cần đạt đến kỳ"]
    products, tonnes = due["sản phẩm"], due["tấn"]
    assert products.value == int(products.value) and products.number_format == "#,##0"
    assert round(tonnes.value, 2) == tonnes.value


def test_the_ocop_sheet_gives_the_register_and_the_reports_each_with_its_source(
    client_for, leader, report_figures, unit
):
    report_figures("san-thang", "2023-q2", ocop_san_pham_moi=1)
    ocop = download(client_for(leader), ky="2023-6t")["OCOP"]
    assert row_of(ocop, "Sản phẩm mới năm 2023 theo sổ theo dõi (bảng trên)")[2].value == 0
    reported = row_of(ocop, "Sản phẩm mới theo báo cáo của các đơn vị (trang Chỉ tiêu)")
    assert reported[2].value == 1
    assert row_of(ocop, "Chỉ tiêu sản phẩm mới của kế hoạch")[2].value == 3
