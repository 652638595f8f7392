"""Leadership and Phòng Kinh tế in Chromium: from the dashboard to the files they send on."""

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_filters_drills_down_and_downloads_the_excel(
    page, live_plan, report_figures, tmp_path
):
    report_figures("san-thang", "2023-q1", che_bup_tuoi_san_luong="1000")
    report_figures("sung-phai", "2023-q2", che_bup_tuoi_san_luong="250.5")
    report_figures("san-thang", "2023-q3", che_bup_tuoi_san_luong="5000")

    page.goto(f"{live_plan.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_plan.url}/dashboard/2023/")
    assert "6.250,5 tấn" in page.get_by_test_id("attainment").inner_text()

    page.get_by_label("Đến kỳ").select_option(label="6 tháng đầu năm 2023")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/dashboard/2023/?ky=2023-6t**")
    tea = page.locator("tr[data-indicator=che-bup-tuoi-san-luong]")
    assert "1.250,5 tấn" in tea.inner_text()

    page.get_by_role("link", name="San Thàng", exact=True).click()
    page.wait_for_url("**/dashboard/2023/don-vi/san-thang/?ky=2023-6t**")
    contributions = page.get_by_test_id("contributions")
    assert "1.000 tấn" in contributions.inner_text()
    contributions.get_by_role("link", name="Sản lượng chè búp tươi").click()
    page.wait_for_url("**/dashboard/2023/chi-tieu/che-bup-tuoi-san-luong/?ky=2023-6t**")
    assert "1.250,5 tấn" in page.get_by_test_id("actual").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    download = download_info.value
    assert download.suggested_filename == ("Chỉ tiêu và thực hiện 2023 - 6 tháng đầu năm 2023.xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path)["Chỉ tiêu"]
    assert "6 tháng đầu năm 2023" in sheet["A2"].value
    tea_row = next(
        row for row in sheet.iter_rows(values_only=True) if row[2] == "Sản lượng chè búp tươi"
    )
    headers = [cell.value for cell in sheet[5]]
    assert tea_row[headers.index("Thực hiện")] == 1250.5
    assert tea_row[headers.index("Kế hoạch năm")] == 10900
    assert tea_row[headers.index("Tình trạng")] == "Chưa đủ báo cáo"


def test_phong_kinh_te_downloads_the_report_to_the_province(
    page, live_plan, log_in, report_figures, plan, tmp_path
):
    duty = plan.tasks.get(code="III.6.7")
    report_figures(
        "san-thang",
        "2023-q2",
        tasks={duty.pk: ("hoan_thanh", "Đã tổng hợp báo cáo của 12 thôn, bản")},
        lua_chat_luong_dien_tich=135,
    )
    log_in(page, "kinhte")
    page.goto(f"{live_plan.url}/dashboard/2023/")
    page.get_by_label("Đến kỳ").select_option(label="6 tháng đầu năm 2023")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/dashboard/2023/?ky=2023-6t**")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Báo cáo gửi tỉnh (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("6 tháng đầu năm 2023.docx")
    path = tmp_path / "bao-cao.docx"
    download.save_as(path)
    document = Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "Đã tổng hợp báo cáo của 12 thôn, bản" in text
    figures = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    rice = next(r for r in figures.rows if r.cells[1].text == "Diện tích lúa chất lượng")
    assert [c.text for c in rice.cells[3:]] == ["329,2", "135", "41,0", "Chưa đủ báo cáo"]
