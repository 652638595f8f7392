"""An honest dashboard: coverage beside each target, no verdict on incomplete reporting,
summary cards that follow the filters, and no figure never shown as 0."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from dashboards.board import attainment
from dashboards.judging import Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("totals_mode")]

DASHBOARD = "/dashboard/2023/"
RICE_COMMUNES = ["san-thang", "sung-phai", "quyet-thang", "dong-phong"]


def rice_area(plan):
    board = attainment(plan, as_of=date(2023, 6, 14))
    return next(i for i in board.city if i.indicator.code == "lua-chat-luong-dien-tich")


def test_a_target_judged_on_one_unit_of_four_is_not_yet_known(plan, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    item = rice_area(plan)
    assert (item.reported_units, item.expected_units) == (1, 4)
    assert item.status == Status.INCOMPLETE
    assert item.status_label == "Chưa đủ báo cáo"
    assert "Mới có 1/4 đơn vị báo cáo" in item.explanation


def test_once_every_unit_has_reported_the_target_is_judged(plan, report_figures):
    for slug in RICE_COMMUNES:
        report_figures(slug, "2023-q2", lua_chat_luong_dien_tich=50)
    item = rice_area(plan)
    assert (item.reported_units, item.expected_units) == (4, 4)
    assert item.status == Status.BEHIND  # 200 of 329,2 ha to hold all year
    assert "đơn vị báo cáo" not in item.explanation


def test_a_target_already_reached_by_the_few_is_achieved(plan, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=330)
    item = rice_area(plan)
    assert item.status == Status.ACHIEVED  # more reports can only add to it
    assert "Mới có 1/4 đơn vị báo cáo" in item.explanation


def test_the_dashboard_shows_each_targets_coverage(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    page = client_for(leader).get(DASHBOARD, {"ky": "2023-6t"}).content.decode()
    row = page[page.index('data-indicator="lua-chat-luong-dien-tich"') :]
    row = row[: row.index("</tr>")]
    assert "1/4 đơn vị" in row
    assert "Chưa đủ báo cáo" in row and "Chậm" not in row


def test_the_summary_cards_count_what_the_filters_leave(client_for, leader, report_figures):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=135)
    client = client_for(leader)
    everything = client.get(DASHBOARD, {"ky": "2023-6t"}).context
    crops = client.get(DASHBOARD, {"ky": "2023-6t", "linh_vuc": "trong_trot"}).context
    assert sum(crops["counts"].values()) == crops["counted"] == len(crops["items"])
    assert crops["counted"] < len(everything["board"].city)
    for status, count in crops["counts"].items():
        chosen = client.get(
            DASHBOARD, {"ky": "2023-6t", "linh_vuc": "trong_trot", "trang_thai": status}
        ).context
        assert len(chosen["items"]) == count
        assert chosen["counts"] == crops["counts"]


def test_no_figure_and_zero_differ_in_the_workbook_and_the_document(
    client_for, economic_officer, report_figures
):
    report_figures("san-thang", "2023-q2", lua_chat_luong_dien_tich=0)
    client = client_for(economic_officer)
    book = load_workbook(
        io.BytesIO(client.get(f"{DASHBOARD}export.xlsx", {"ky": "2023-6t"}).content)
    )
    units = list(book["Đơn vị"].iter_rows(values_only=True))
    names = next(row for row in units if "Diện tích lúa chất lượng (ha)" in row)
    headers = next(row for row in units if "Đơn vị" in row)
    rice = names.index("Diện tích lúa chất lượng (ha)")
    actual = rice + headers[rice:].index("Thực hiện")
    rows = {row[1]: row for row in units}
    assert rows["Xã San Thàng"][actual] == 0
    assert rows["Xã Sùng Phài"][actual] == "—"

    document = Document(
        io.BytesIO(client.get(f"{DASHBOARD}bao-cao.docx", {"ky": "2023-6t"}).content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    canals = next(line for line in text.splitlines() if "Kênh mương" in line)
    assert "thực hiện —/" in canals  # nothing reported: not "0"
