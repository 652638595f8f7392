"""Arbitrary text and numbers thrown at every form: never a server error, never garbage stored.

Each form either stores exactly what was typed (composed to NFC, less what XML cannot hold
and the surrounding spaces Django strips from text fields), or shows a Vietnamese error and
stores nothing. Hostile files (a cell at XFD1048576, a macro workbook) are refused at once,
and no test leaves an error with a traceback in the server's log.
"""

import io
import logging
import time
import unicodedata
import zipfile
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from docx import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from common.numbers import InvalidNumber, format_number, parse_number
from common.text import clean_text
from conftest import PASSWORD
from plans.models import OcopProduct
from reporting import services
from reporting.excel import template
from reporting.models import Report, ReportEvent, TaskProgress
from reporting.selectors import report_scope

pytestmark = pytest.mark.django_db

SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"
RICE_AREA = "figure_lua-chat-luong-dien-tich"
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "'; DROP TABLE targets_report; --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "Robert'); \u202e\u200b",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
number_text = st.one_of(
    text,
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers().map(str),
    st.floats().map(str),
    st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{3}){0,4}(,[0-9]{0,5})?", fullmatch=True),
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VIETNAMESE_ERROR = "Chưa lưu: có số liệu cần sửa"


def _form_data(response):
    form = response.context["form"]
    return {n: "" if form[n].value() is None else form[n].value() for n in form.fields}


def _kept(typed: str) -> str:
    """What is stored of a typed text: composed (NFC), without what XML cannot hold, stripped."""
    return clean_text(typed).strip()


def _expected_number(typed: str):
    try:
        return parse_number(_kept(typed))
    except InvalidNumber:
        return None


def _no_server_error(response):
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, response.content[:2000]


@FUZZ
@given(
    difficulties=text,
    narrative=text,
    figure=st.one_of(
        number_text,
        st.just(""),
        st.decimals(0, 300, places=1).map(format_number),
        st.integers(0, 300).map(str),
    ),
)
def test_report_form(client_for, san_thang_official, difficulties, narrative, figure):
    client = client_for(san_thang_official)
    page = client.get(SAN_THANG_Q1)
    data = _form_data(page)
    task_field = next(name for name in data if name.endswith("_narrative"))
    data.update(
        {"difficulties": difficulties, task_field: narrative, RICE_AREA: figure, "action": "save"}
    )
    task_id = int(task_field.split("_")[1])
    data[f"task_{task_id}_status"] = TaskProgress.Status.IN_PROGRESS
    before = Report.objects.filter(unit__slug="san-thang", period__code="2023-q1").first()
    before_text = before.difficulties if before else None

    response = client.post(SAN_THANG_Q1, data)
    _no_server_error(response)
    report = Report.objects.filter(unit__slug="san-thang", period__code="2023-q1").first()
    if response.status_code == 302:
        assert report.difficulties == _kept(difficulties)
        assert report.task_progress.get(task_id=task_id).narrative == _kept(narrative)
        stored = report.figures.filter(indicator__code="lua-chat-luong-dien-tich").first()
        expected = _expected_number(figure)
        assert (stored.value if stored else None) == expected
    else:
        assert response.status_code == 400
        assert VIETNAMESE_ERROR in response.content.decode()
        assert (report.difficulties if report else None) == before_text


def _submitted_report(plan, unit, official, office):
    from reporting.models import ReportingPeriod

    period = ReportingPeriod.objects.get(plan=plan, code="2023-q1")
    report = Report.objects.filter(unit=unit, period=period).first()
    if report is None:
        report = services.report_save(
            scope=report_scope(plan, unit),
            period=period,
            actor=official,
            expected_version=None,
            data=services.ReportInput(),
        )
    if report.status == Report.Status.APPROVED:
        report = services.report_reopen(report=report, actor=office, reason="Mở lại")
    if report.status != Report.Status.SUBMITTED:
        report = services.report_submit(report=report, actor=official)
    return report


@FUZZ
@given(reason=text, action=st.sampled_from(["return", "reopen"]))
def test_review_reasons(
    client_for, plan, unit, san_thang_official, economic_officer, reason, action
):
    report = _submitted_report(plan, unit("san-thang"), san_thang_official, economic_officer)
    if action == "reopen":
        report = services.report_approve(report=report, actor=economic_officer)
    events = ReportEvent.objects.count()
    response = client_for(economic_officer).post(
        SAN_THANG_Q1 + "xu-ly/", {"action": action, "reason": reason}
    )
    _no_server_error(response)
    report.refresh_from_db()
    if response.status_code == 302 and ReportEvent.objects.count() > events:
        assert report.status == Report.Status.RETURNED
        assert report.return_reason == _kept(reason)
        assert ReportEvent.objects.order_by("-pk").first().reason == _kept(reason)
    else:
        assert ReportEvent.objects.count() == events
        assert report.status != Report.Status.RETURNED
        assert (
            "Hãy ghi lý do" in client_for(economic_officer).get(SAN_THANG_Q1).content.decode()
            or response.status_code == 400
        )


@FUZZ
@given(
    name=text,
    group=text,
    owner=text,
    decision=text,
    score=st.one_of(number_text, st.integers(0, 100).map(str)),
)
def test_ocop_form(client_for, economic_officer, unit, name, group, owner, decision, score):
    count = OcopProduct.objects.count()
    data = {
        "name": name,
        "group": group,
        "owner": owner,
        "unit": unit("san-thang").pk,
        "score": score,
        "decision_number": decision,
        "decision_date": "01/03/2023",
        "issuing_level": "tinh",
        "status": "con_hieu_luc",
    }
    response = client_for(economic_officer).post("/plans/2023/ocop/them/", data)
    _no_server_error(response)
    if response.status_code == 302:
        product = OcopProduct.objects.order_by("-pk").first()
        assert (product.name, product.group, product.owner, product.decision_number) == (
            _kept(name),
            _kept(group),
            _kept(owner),
            _kept(decision),
        )
        assert product.decision_date == date(2023, 3, 1)
    else:
        assert response.status_code == 400
        assert OcopProduct.objects.count() == count
        assert "is-invalid" in response.content.decode()


@FUZZ
@given(username=text, password=text)
def test_login(client, username, password):
    users = get_user_model().objects.count()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    _no_server_error(response)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
@FUZZ
@given(password=text)
def test_password_reset(client_for, economic_officer, password):
    official = get_user_model().objects.get(username="tanphong")
    before = official.password
    response = client_for(economic_officer).post(
        f"/accounts/users/{official.pk}/password/", {"password1": password, "password2": password}
    )
    _no_server_error(response)
    official.refresh_from_db()
    if response.status_code == 302:
        assert official.check_password(password)
    else:
        assert response.status_code == 400
        assert official.password == before
        assert "is-invalid" in response.content.decode()


def test_hostile_text_is_escaped_on_every_page_that_shows_it(
    client_for, plan, unit, san_thang_official, economic_officer, leader
):
    script = "<script>alert(1)</script>"
    image = '"><img src=x onerror=alert(1)>'
    san_thang = unit("san-thang")
    official = client_for(san_thang_official)
    data = _form_data(official.get(SAN_THANG_Q1))
    task_field = next(name for name in data if name.endswith("_narrative"))
    data.update({"difficulties": script, task_field: image, "action": "submit"})
    assert official.post(SAN_THANG_Q1, data).status_code == 302
    office = client_for(economic_officer)
    office.post(SAN_THANG_Q1 + "xu-ly/", {"action": "return", "reason": image + script})
    OcopProduct.objects.create(
        name=script,
        group=image,
        owner=image,
        unit=san_thang,
        score=72,
        decision_number=script,
        decision_date=date(2023, 3, 1),
        issuing_level="tinh",
    )
    product = OcopProduct.objects.get(name=script)
    pages = {
        "report (office)": (economic_officer, SAN_THANG_Q1),
        "audit": (economic_officer, "/audit/"),
        "ocop": (economic_officer, "/plans/2023/ocop/"),
        "ocop edit": (economic_officer, f"/plans/2023/ocop/{product.pk}/sua/"),
        "report (official)": (san_thang_official, SAN_THANG_Q1),
        "overview (official)": (san_thang_official, "/reports/2023/"),
        "dashboard": (leader, "/dashboard/2023/"),
        "unit dashboard": (leader, "/dashboard/2023/don-vi/san-thang/"),
    }
    shown = 0
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "<script>alert" not in page, name
        assert "<img src=x" not in page, name
        found = "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x" in page
        shown += found
    assert shown >= 7  # the text is there, escaped, not dropped


cell_text = st.one_of(
    st.sampled_from(HOSTILE),
    # Characters a spreadsheet cell can hold (openpyxl refuses other control characters).
    st.text(
        st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"), max_size=200
    ),
)


@FUZZ
@given(
    difficulties=cell_text,
    figure=st.one_of(cell_text, st.integers(0, 300), st.floats(allow_nan=False), st.none()),
)
def test_excel_upload(client_for, san_thang_official, difficulties, figure):
    import io

    from openpyxl import load_workbook

    from reporting.excel import template

    client = client_for(san_thang_official)
    workbook = load_workbook(io.BytesIO(client.get(SAN_THANG_Q1 + "tai-xuong.xlsx").content))
    template.difficulties_cell(workbook).value = difficulties
    workbook[template.FIGURES_SHEET].cell(
        row=template.FIRST_ROW, column=template.FIGURE_VALUE_COLUMN
    ).value = figure
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "bao-cao.xlsx"
    buffer.seek(0)
    events = ReportEvent.objects.count()

    response = client.post(SAN_THANG_Q1 + "tai-len/", {"file": buffer})
    _no_server_error(response)
    if response.status_code == 400:
        assert ReportEvent.objects.count() == events
        return
    assert response.status_code == 302
    preview = client.get(response["Location"])
    _no_server_error(preview)
    confirm = client.post(
        response["Location"] + "xac-nhan/", {"version": preview.context["version"]}
    )
    _no_server_error(confirm)
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.difficulties == _kept(difficulties or "")


@FUZZ
@given(content=st.binary(max_size=2000))
def test_excel_upload_of_arbitrary_bytes(client_for, san_thang_official, content):
    import io

    buffer = io.BytesIO(content)
    buffer.name = "bao-cao.xlsx"
    events = ReportEvent.objects.count()
    response = client_for(san_thang_official).post(SAN_THANG_Q1 + "tai-len/", {"file": buffer})
    _no_server_error(response)
    assert response.status_code == 400
    assert ReportEvent.objects.count() == events


# --------------------------------------------------------------- files and odd text


@pytest.fixture(autouse=True)
def no_traceback_in_the_server_log(caplog):
    """Whatever a test throws at the server, its log holds no error with a traceback."""
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


def _template(client) -> Workbook:
    return load_workbook(io.BytesIO(client.get(SAN_THANG_Q1 + "tai-xuong.xlsx").content))


def _upload(client, workbook_or_bytes, name="bao-cao.xlsx"):
    if isinstance(workbook_or_bytes, bytes):
        buffer = io.BytesIO(workbook_or_bytes)
    else:
        buffer = io.BytesIO()
        workbook_or_bytes.save(buffer)
        buffer.seek(0)
    buffer.name = name
    return client.post(SAN_THANG_Q1 + "tai-len/", {"file": buffer})


def _problems(response) -> str:
    return " ".join(response.context["problems"])


@pytest.mark.parametrize("sheet", [template.META_SHEET, template.FIGURES_SHEET])
def test_a_cell_written_at_the_last_row_and_column_is_refused_at_once(
    client_for, san_thang_official, sheet
):
    client = client_for(san_thang_official)
    workbook = _template(client)
    workbook[template.META_SHEET].sheet_state = "hidden"
    workbook[sheet]["XFD1048576"] = "x"

    started = time.monotonic()
    response = _upload(client, workbook)

    assert time.monotonic() - started < 5  # it took 6 to 17 s reading a million empty rows
    assert response.status_code == 400
    assert f"Trang “{sheet}”" in _problems(response)
    assert "quá nhiều" in _problems(response)


def test_a_macro_enabled_workbook_is_refused_with_how_to_save_it_as_xlsx(
    client_for, san_thang_official
):
    client = client_for(san_thang_official)
    buffer = io.BytesIO()
    _template(client).save(buffer)
    macro = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"</Types>",
                )
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 VBA")

    response = _upload(client, macro.getvalue(), name="bao-cao.xlsm")

    assert response.status_code == 400
    assert "macro" in _problems(response)
    assert "(.xlsx)" in _problems(response)
    assert not Report.objects.filter(unit__slug="san-thang", period__code="2023-q1").exists()


def test_a_task_status_typed_in_decomposed_unicode_is_read_like_any_other(
    client_for, san_thang_official
):
    client = client_for(san_thang_official)
    workbook = _template(client)
    in_progress = unicodedata.normalize("NFD", "Đang thực hiện")
    assert in_progress != "Đang thực hiện"
    tasks = workbook[template.TASKS_SHEET]
    tasks.cell(row=template.FIRST_ROW, column=3).value = in_progress
    tasks.cell(row=template.FIRST_ROW, column=4).value = unicodedata.normalize("NFD", "Đã trồng")

    response = _upload(client, workbook)

    assert response.status_code == 302, response.context and _problems(response)
    preview = client.get(response["Location"])
    client.post(response["Location"] + "xac-nhan/", {"version": preview.context["version"]})
    progress = TaskProgress.objects.get(report__unit__slug="san-thang")
    assert progress.status == TaskProgress.Status.IN_PROGRESS
    assert progress.narrative == "Đã trồng"


def test_text_typed_in_decomposed_unicode_is_kept_composed(client_for, san_thang_official):
    client = client_for(san_thang_official)
    data = _form_data(client.get(SAN_THANG_Q1))
    data.update({"difficulties": unicodedata.normalize("NFD", "Thiếu giống lúa"), "action": "save"})

    assert client.post(SAN_THANG_Q1, data).status_code == 302
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.difficulties == "Thiếu giống lúa"


def test_a_login_name_typed_in_decomposed_unicode_logs_in(client):
    get_user_model().objects.create_user("nguyễn.văn.an", password=PASSWORD)

    client.post(
        "/accounts/login/",
        {"username": unicodedata.normalize("NFD", "nguyễn.văn.an"), "password": PASSWORD},
    )

    assert "_auth_user_id" in client.session


UNWRITABLE = "Khó khăn\ufffe do mưa\uffff\x01 kéo dài"  # PostgreSQL cannot hold \x00 at all


def test_text_stored_with_characters_office_files_cannot_hold_still_downloads(
    client_for, plan, unit, san_thang_official, economic_officer
):
    report = _submitted_report(plan, unit("san-thang"), san_thang_official, economic_officer)
    Report.objects.filter(pk=report.pk).update(difficulties=UNWRITABLE)
    TaskProgress.objects.update_or_create(
        report=report,
        task=report_scope(plan, unit("san-thang")).tasks[0],
        defaults={"status": TaskProgress.Status.IN_PROGRESS, "narrative": UNWRITABLE},
    )
    services.report_approve(report=report, actor=economic_officer)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)

    workbook = client_for(san_thang_official).get(SAN_THANG_Q1 + "tai-xuong.xlsx")
    assert workbook.status_code == 200
    cell = template.difficulties_cell(load_workbook(io.BytesIO(workbook.content)))
    assert cell.value == "Khó khăn do mưa kéo dài"

    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    document = client_for(economic_officer).get("/dashboard/2023/bao-cao.docx?ky=2023-q1")
    assert document.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "Khó khăn do mưa kéo dài" in text


def test_text_pasted_with_characters_office_files_cannot_hold_is_kept_without_them(
    client_for, san_thang_official
):
    client = client_for(san_thang_official)
    data = _form_data(client.get(SAN_THANG_Q1))
    data.update({"difficulties": UNWRITABLE, "action": "save"})

    assert client.post(SAN_THANG_Q1, data).status_code == 302
    report = Report.objects.get(unit__slug="san-thang", period__code="2023-q1")
    assert report.difficulties == "Khó khăn do mưa kéo dài"


def test_a_form_body_no_browser_would_send_is_refused_not_an_error(client_for, san_thang_official):
    response = client_for(san_thang_official).generic(
        "POST", SAN_THANG_Q1, b"--x\r\ngarbage", content_type="multipart/form-data; boundary="
    )

    assert response.status_code == 400


@pytest.mark.parametrize("hostile", ["far cell", "macro"])
def test_the_admin_import_refuses_a_hostile_workbook_at_once_in_vietnamese(db, client, hostile):
    client.force_login(
        get_user_model().objects.create_superuser("quantri", password="mat-khau-quan-tri")
    )
    workbook = Workbook()
    workbook.active.append(["Mã", "Tên"])
    workbook.active["XFD1048576" if hostile == "far cell" else "A2"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if hostile == "macro":
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 VBA")
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "nhiem-vu.xlsm" if hostile == "macro" else "nhiem-vu.xlsx"

    started = time.monotonic()
    response = client.post("/admin/plans/task/import/", {"format": "0", "import_file": upload})

    assert time.monotonic() - started < 5  # openpyxl alone would walk a million rows
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert ("quá nhiều dòng" if hostile == "far cell" else "(.xlsx)") in errors


def test_an_ocop_score_typed_with_a_thousands_point_is_a_thousand_not_one(
    client_for, economic_officer, unit
):
    data = {
        "name": "Chè Shan tuyết",
        "group": "Chè",
        "owner": "HTX San Thàng",
        "unit": unit("san-thang").pk,
        "score": "1.000",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "01/03/2023",
        "issuing_level": "tinh",
        "status": "con_hieu_luc",
    }
    office = client_for(economic_officer)

    refused = office.post("/plans/2023/ocop/them/", data)
    saved = office.post("/plans/2023/ocop/them/", {**data, "score": "72"})

    assert refused.status_code == 400
    assert "Điểm phải từ 0 đến 100." in refused.content.decode()
    assert saved.status_code == 302
    assert list(OcopProduct.objects.values_list("score", flat=True)) == [72]
