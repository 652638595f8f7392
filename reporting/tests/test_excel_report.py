"""An official reports through Excel: download, fill, upload, preview, confirm."""

from decimal import Decimal

import pytest
from django.utils.html import escape

from reporting import services
from reporting.excel.template import difficulties_cell
from reporting.models import Report, ReportChange, ReportEvent

from .excel_helpers import (
    FIGURES,
    SAN_THANG_Q1,
    TASKS,
    as_version_1,
    confirm,
    download,
    row_of,
    set_difficulties,
    set_figure,
    stored_report_state,
    upload,
)

pytestmark = pytest.mark.django_db

CITY_Q1 = "/reports/2023/thanh-pho-lai-chau/2023-q1/"


def figures_of(report):
    return dict(report.figures.values_list("indicator__code", "value"))


def test_download_is_prefilled_with_indicators_targets_and_saved_figures(
    client_for, san_thang_official, saved_report
):
    workbook = download(client_for(san_thang_official))

    sheet = workbook[FIGURES]
    assert "San Thàng" in sheet["A2"].value and "Quý 1/2023" in sheet["A2"].value
    rice = row_of(sheet, "lua-chat-luong-dien-tich")
    assert [sheet.cell(row=rice, column=c).value for c in range(1, 7)] == [
        "lua-chat-luong-dien-tich",
        "Diện tích lúa chất lượng",
        "ha",
        "Tổng hiện có",
        135,
        130,
    ]
    tea = row_of(sheet, "che-bup-tuoi-san-luong")
    assert sheet.cell(row=tea, column=4).value == "Phát sinh trong kỳ"
    assert sheet.cell(row=tea, column=6).value == 1250.5
    assert sheet.cell(row=tea, column=7).value == 1250.5  # lũy kế
    assert sheet.cell(row=rice, column=8).value == "của đơn vị"
    assert sheet.cell(row=tea, column=8).value == "toàn thành phố"
    tasks = workbook[TASKS]
    row = row_of(tasks, "III.6.1")
    assert tasks.cell(row=row, column=3).value == "Đang thực hiện"
    assert tasks.cell(row=row, column=4).value == "Đã họp dân ở 3 bản"
    assert difficulties_cell(workbook).value == "Mưa đá tháng 2"  # under the tasks


def test_only_value_and_narrative_cells_are_open_and_identity_is_hidden(
    client_for, san_thang_official
):
    workbook = download(client_for(san_thang_official))

    sheet = workbook[FIGURES]
    assert sheet.protection.sheet
    rice = row_of(sheet, "lua-chat-luong-dien-tich")
    assert not sheet.cell(row=rice, column=6).protection.locked
    assert all(sheet.cell(row=rice, column=c).protection.locked for c in (1, 2, 3, 4, 5, 7, 8))
    assert workbook["_thong_tin"].sheet_state == "veryHidden"


def test_upload_shows_old_and_new_and_saves_nothing_until_confirmed(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    workbook = download(client)
    set_figure(workbook, "lua-chat-luong-dien-tich", "134,5")
    set_figure(workbook, "mac-ca-san-luong", 12)
    before = stored_report_state()

    response = upload(client, workbook)
    preview = client.get(response["Location"])

    assert response.status_code == 302
    assert [(c.label, c.old, c.new) for c in preview.context["changes"]] == [
        ("Diện tích lúa chất lượng (ha)", "130", "134,5"),
        ("Sản lượng quả mắc ca (tấn)", "", "12"),
    ]
    assert "130" in preview.content.decode() and "134,5" in preview.content.decode()
    assert stored_report_state() == before


def test_confirm_saves_everything_with_history_like_the_form(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    workbook = download(client)
    set_figure(workbook, "lua-chat-luong-dien-tich", "22,2")
    workbook[TASKS].cell(row=row_of(workbook[TASKS], "II.2.1.a"), column=3).value = "Hoàn thành"
    difficulties_cell(workbook).value = "=Thiếu giống"  # text typed by the user, not a formula
    difficulties_cell(workbook).data_type = "s"
    preview_response = upload(client, workbook)
    preview = client.get(preview_response["Location"]).context["changes"]

    response = confirm(client, preview_response)

    assert response.status_code == 302 and response["Location"] == SAN_THANG_Q1
    report = Report.objects.get(pk=saved_report.pk)
    assert figures_of(report)["lua-chat-luong-dien-tich"] == Decimal("22.2")
    assert report.difficulties == "=Thiếu giống"
    assert report.version == saved_report.version + 1
    event = report.events.latest("pk")
    assert event.action == ReportEvent.Action.IMPORTED and event.actor == san_thang_official
    recorded = ReportChange.objects.filter(event=event).order_by("pk")
    assert [(c.field, c.old_value, c.new_value) for c in recorded] == [
        (c.label, c.old, c.new) for c in preview
    ]
    page = client.get(SAN_THANG_Q1).content.decode()
    assert "Nhập từ Excel" in page and "130</span> → <strong>22,2" in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_preview_shows_exactly_the_rows_the_history_records_in_any_language(
    client_for, economic_officer, language
):
    client = client_for(economic_officer)
    client.post("/i18n/setlang/", {"language": language, "next": "/reports/2023/"})
    workbook = download(client, CITY_Q1)
    works = workbook["Công trình"]
    works["C5"].value = "1.500.000"
    works["D5"].value = "Đã khởi công"
    set_difficulties(workbook, "Thiếu vốn")
    tasks = workbook[TASKS]
    tasks.cell(row=5, column=3).value = "Đang thực hiện"
    tasks.cell(row=5, column=4).value = "Đã giao chỉ tiêu"
    response = upload(client, workbook, report_url=CITY_Q1)
    page = client.get(response["Location"])
    shown = [(c.label, c.old, c.new) for c in page.context["changes"]]

    confirm(client, response)

    recorded = ReportChange.objects.filter(event__action=ReportEvent.Action.IMPORTED).order_by("pk")
    assert shown == [(c.field, c.old_value, c.new_value) for c in recorded]
    assert len(shown) == 5
    table = page.content.decode()
    assert all(escape(label) in table for label, _old, _new in shown)


def test_round_trip_of_an_unchanged_download_changes_nothing(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    before = stored_report_state()

    response = upload(client, download(client))
    preview = client.get(response["Location"])
    confirm(client, response)

    assert preview.context["changes"] == []
    assert "không khác gì" in preview.content.decode()
    assert stored_report_state() == before


def test_the_difficulties_are_written_and_read_back_under_the_tasks(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    workbook = download(client)
    tasks = workbook[TASKS]
    heading = difficulties_cell(workbook).row - 1
    # The last task, a blank row, the heading.
    assert tasks.cell(row=heading - 2, column=1).value and not tasks.cell(heading - 1, 1).value
    assert not difficulties_cell(workbook).protection.locked
    set_difficulties(workbook, "Thiếu giống lúa chất lượng")
    tasks.cell(row=row_of(tasks, "III.6.1"), column=4).value = "Đã họp dân ở 5 bản"

    confirm(client, upload(client, workbook))

    report = Report.objects.get(pk=saved_report.pk)
    assert report.difficulties == "Thiếu giống lúa chất lượng"
    assert report.task_progress.get(task__code="III.6.1").narrative == "Đã họp dân ở 5 bản"


def test_a_file_downloaded_before_the_difficulties_moved_is_still_read(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    workbook = as_version_1(download(client))
    workbook["Khó khăn"]["A5"] = "Mưa đá tháng 3"
    tasks = workbook[TASKS]
    tasks.cell(row=row_of(tasks, "III.6.1"), column=3).value = "Hoàn thành"

    confirm(client, upload(client, workbook))

    report = Report.objects.get(pk=saved_report.pk)
    assert report.difficulties == "Mưa đá tháng 3"
    assert report.task_progress.get(task__code="III.6.1").status == "hoan_thanh"


def test_uploading_the_same_file_twice_changes_nothing_the_second_time(
    client_for, san_thang_official, saved_report
):
    client = client_for(san_thang_official)
    workbook = download(client)
    set_figure(workbook, "che-bup-tuoi-san-luong", "1.300")
    first = upload(client, workbook)
    confirm(client, first)
    after_first = stored_report_state()

    second = upload(client, workbook)
    assert client.get(second["Location"]).context["changes"] == []
    confirm(client, second)
    replayed = client.post(f"{first['Location']}xac-nhan/", {"version": 2}, follow=True)

    assert "đã hết hạn hoặc đã được lưu" in replayed.content.decode()
    assert stored_report_state() == after_first


def test_a_save_between_preview_and_confirm_is_not_overwritten(
    client_for, san_thang_official, saved_report, plan, q1
):
    client = client_for(san_thang_official)
    workbook = download(client)
    set_figure(workbook, "lua-chat-luong-dien-tich", 140)
    response = upload(client, workbook)
    seen = client.get(response["Location"]).context["version"]
    services.report_save(
        scope=services.ReportScope(plan=plan, unit=saved_report.unit, lines=[], tasks=[]),
        period=q1,
        actor=san_thang_official,
        expected_version=None,
        data=services.ReportInput(difficulties="Sửa trên web"),
    )
    before = stored_report_state()

    answer = client.post(f"{response['Location']}xac-nhan/", {"version": seen}, follow=True)

    assert "vừa được thay đổi sau khi bạn xem trước" in answer.content.decode()
    assert stored_report_state() == before
    assert answer.context["version"] == seen + 1  # back on the preview, ready to confirm again


def test_preview_warns_when_the_report_changed_since_the_download(
    client_for, san_thang_official, saved_report, plan, q1
):
    client = client_for(san_thang_official)
    workbook = download(client)
    services.report_save(
        scope=services.ReportScope(plan=plan, unit=saved_report.unit, lines=[], tasks=[]),
        period=q1,
        actor=san_thang_official,
        expected_version=None,
        data=services.ReportInput(difficulties="Sửa trên web"),
    )

    preview = client.get(upload(client, workbook)["Location"])

    assert preview.context["changed_since_download"]
    assert ("Khó khăn, vướng mắc, đề xuất", "Sửa trên web", "Mưa đá tháng 2") in [
        (c.label, c.old, c.new) for c in preview.context["changes"]
    ]


def test_economic_office_fills_the_city_report_with_works(client_for, economic_officer):
    client = client_for(economic_officer)
    workbook = download(client, CITY_Q1)
    works = workbook["Công trình"]
    works["C5"].value = "1.500.000"
    works["D5"].value = "Đã khởi công"

    response = upload(client, workbook, report_url=CITY_Q1)
    confirm(client, response)

    report = Report.objects.get(unit__slug="thanh-pho-lai-chau", period__code="2023-q1")
    progress = report.work_progress.get()
    assert progress.disbursed_vnd == Decimal("1500000") and progress.narrative == "Đã khởi công"


def test_download_and_preview_take_a_fixed_number_of_queries(
    client_for, san_thang_official, saved_report, django_assert_max_num_queries
):
    client = client_for(san_thang_official)
    # The report's flags and comments are read only when it has some (two more then).
    with django_assert_max_num_queries(15):
        workbook = download(client)
    for code in ("lua-chat-luong-dien-tich", "che-dien-tich", "mac-ca-dien-tich"):
        set_figure(workbook, code, 99)
    response = upload(client, workbook)
    # 15 + the navbar's plan and its bell's unread count
    with django_assert_max_num_queries(17):
        client.get(response["Location"])


def test_the_template_prints_a4_landscape_with_its_header_on_every_page(
    client_for, san_thang_official
):
    book = download(client_for(san_thang_official))
    assert book.sheetnames == [FIGURES, TASKS, "_thong_tin"]  # two sheets, two pages
    for name in (FIGURES, TASKS):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.page_setup.paperSize == 9, name  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.print_title_rows == "$4:$4", name
    figures = book[FIGURES]
    # The two-line headers and wrapped names get rows tall enough to show them.
    assert figures.row_dimensions[4].height >= 2 * 12
    assert figures["B5"].font.name == "Times New Roman" and figures["B5"].font.sz == 12


def test_a_whole_number_shows_without_a_trailing_separator(client_for, san_thang_official):
    figures = download(client_for(san_thang_official))[FIGURES]
    rice_target = figures.cell(row=row_of(figures, "lua-chat-luong-dien-tich"), column=5)
    tea_target = figures.cell(row=row_of(figures, "che-dien-tich"), column=5)
    assert rice_target.value == 135 and rice_target.number_format == "#,##0"  # not "135,"
    assert tea_target.value == pytest.approx(963.45)
    assert tea_target.number_format == "#,##0.###"
    # A number typed later into an empty cell is switched to the whole format by a rule.
    rules = [
        rule
        for ranges in figures.conditional_formatting
        for rule in ranges.rules
        if rule.formula == ["AND(ISNUMBER(F5),MOD(F5,1)=0)"]
    ]
    assert len(rules) == 1 and rules[0].dxf.numFmt.formatCode == "#,##0"
