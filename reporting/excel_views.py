"""A report through Excel: download the filled template, upload it, preview, confirm.

Nothing is saved before the confirmation, and the confirmation saves through
services.report_save like the form does, so history, the version check and the lock on
submitted or approved reports apply the same way.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from common.downloads import XLSX, file_response

from . import services
from .excel import preview, storage, template, upload
from .models import ReportEvent
from .selectors import period_for_plan, report_contents, report_scope


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx)"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp Excel để tải lên.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


def _report_for(request, year, unit_slug, period_code, *, edit: bool):
    plan = access.plan_for_reporting(request.user, year)
    unit = access.unit_for_user(request.user, plan, unit_slug)
    period = period_for_plan(plan, period_code)
    if edit:
        access.require(access.may_edit_for_unit(request.user, plan, unit))
    scope = report_scope(plan, unit)
    return scope, period, report_contents(scope, period)


def _locked_answer(request, contents):
    report = contents.report
    if report is not None and not report.is_editable:
        messages.error(
            request,
            _("Báo cáo đã gửi hoặc đã duyệt nên không sửa được, kể cả bằng tệp Excel."),
        )
        return redirect(report.get_absolute_url())
    return None


@login_required
def report_download(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    _scope, _period, contents = _report_for(request, year, unit_slug, period_code, edit=False)
    return file_response(
        template.report_workbook(contents), template.report_filename(contents), XLSX
    )


@login_required
def report_upload(request: HttpRequest, year: int, unit_slug: str, period_code: str):
    scope, period, contents = _report_for(request, year, unit_slug, period_code, edit=True)
    locked = _locked_answer(request, contents)
    if locked:
        return locked
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            parsed = upload.read_report_upload(form.cleaned_data["file"], contents)
        except upload.UploadRejected as rejected:
            problems = rejected.problems
        else:
            token = storage.remember(
                request,
                unit=scope.unit,
                period=period,
                file_name=form.cleaned_data["file"].name,
                parsed=parsed,
            )
            return redirect(
                "reporting:excel_preview",
                year=year,
                unit_slug=scope.unit.slug,
                period_code=period.code,
                token=token,
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/excel_upload.html",
        {
            "plan": scope.plan,
            "unit": scope.unit,
            "period": period,
            "form": form,
            "problems": problems,
            "max_mb": upload.MAX_UPLOAD_BYTES // 1024 // 1024,
        },
        status=status,
    )


@login_required
def report_preview(request, year: int, unit_slug: str, period_code: str, token: str):
    scope, period, contents = _report_for(request, year, unit_slug, period_code, edit=True)
    locked = _locked_answer(request, contents)
    if locked:
        return locked
    stored = storage.stored_upload(request, token, unit=scope.unit, period=period)
    if stored is None:
        messages.error(request, _("Bản xem trước đã hết hạn; hãy tải tệp lên lại."))
        return redirect("reporting:excel_upload", year, scope.unit.slug, period.code)
    shown = preview.upload_preview(
        contents, data=stored.data, downloaded_version=stored.downloaded_version
    )
    return render(
        request,
        "reporting/excel_preview.html",
        {
            "plan": scope.plan,
            "unit": scope.unit,
            "period": period,
            "report": contents.report,
            "token": token,
            "file_name": stored.file_name,
            "changes": shown.changes,
            "version": shown.version,
            "changed_since_download": shown.changed_since_download,
        },
    )


@login_required
@require_POST
def report_confirm(request, year: int, unit_slug: str, period_code: str, token: str):
    scope, period, contents = _report_for(request, year, unit_slug, period_code, edit=True)
    locked = _locked_answer(request, contents)
    if locked:
        return locked
    stored = storage.stored_upload(request, token, unit=scope.unit, period=period)
    if stored is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được lưu; không có gì thay đổi.")
        )
        return redirect("reporting:report", year, scope.unit.slug, period.code)
    try:
        seen_version = int(request.POST.get("version", ""))
    except ValueError:
        seen_version = -1
    changes = preview.upload_preview(
        contents, data=stored.data, downloaded_version=stored.downloaded_version
    ).changes
    try:
        report = services.report_save(
            scope=scope,
            period=period,
            actor=request.user,
            expected_version=seen_version,
            data=stored.data,
            action=ReportEvent.Action.IMPORTED,
        )
    except services.ReportConflict:
        messages.error(
            request,
            _(
                "Chưa lưu: báo cáo vừa được thay đổi sau khi bạn xem trước. Xem lại các thay "
                "đổi bên dưới rồi xác nhận lần nữa."
            ),
        )
        return redirect("reporting:excel_preview", year, scope.unit.slug, period.code, token)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("reporting:report", year, scope.unit.slug, period.code)
    storage.forget(request, token)
    if changes:
        messages.success(
            request,
            _("Đã lưu %(count)s thay đổi từ tệp Excel vào báo cáo.") % {"count": len(changes)},
        )
    else:
        messages.info(request, _("Tệp không khác gì báo cáo hiện tại; không có gì thay đổi."))
    return redirect(report.get_absolute_url())
