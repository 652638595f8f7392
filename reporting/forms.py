"""The report page's form: the unit's whole report in one POST, refused field by field.

A figure is read by common.figures, as the report's Excel file and the admin import read
theirs, so the same text is refused for the same reason in all three; a figure far above
its target is refused by the rule the file applies too (IndicatorLine.implausible).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import VietnameseNumberField
from common.numbers import format_number
from plans.models import InfrastructureWork, Task

from .changes import ReportInput
from .models import FigureFlag, Indicator, TaskProgress
from .quality import check_figures
from .selectors import IndicatorLine, ReportContents


class ReportForm(forms.Form):
    """The whole report on one page: figures, tasks, works, difficulties.

    Field names carry the indicator code or the task and work ids, so a POST can only
    touch what the unit's scope offers.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc, đề xuất"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, contents: ReportContents, **kwargs: Any
    ):
        self.contents = contents
        report = contents.report
        initial: dict[str, Any] = {"version": report.version if report else 0}
        if report:
            initial["difficulties"] = report.difficulties
        super().__init__(data, initial=initial, **kwargs)

        for line in contents.scope.lines:
            name = self.figure_field(line.indicator)
            label = line.indicator.name
            self.fields[name] = VietnameseNumberField(label=label)
            self.initial[name] = line.value
            explain = self.explanation_field(line.indicator)
            self.fields[explain] = forms.CharField(
                label=_("Giải trình (bắt buộc trước khi gửi)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            warning = line_warning(contents, line)
            if warning is not None:
                self.initial[explain] = warning.explanation
        for task in contents.scope.tasks:
            task_entry = contents.task_progress.get(task.pk)
            self.fields[f"task_{task.pk}_status"] = forms.ChoiceField(
                label=_("Tình hình"),
                choices=TaskProgress.Status.choices,
                initial=TaskProgress.Status.NOT_STARTED,
                required=False,
            )
            self.fields[f"task_{task.pk}_narrative"] = forms.CharField(
                label=_("Kết quả thực hiện"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if task_entry:
                self.initial[f"task_{task.pk}_status"] = task_entry.status
                self.initial[f"task_{task.pk}_narrative"] = task_entry.narrative
        for work in contents.scope.works:
            work_entry = contents.work_progress.get(work.pk)
            self.fields[f"work_{work.pk}_disbursed"] = VietnameseNumberField(
                label=_("Giải ngân trong kỳ (đồng)"), decimal_places=0
            )
            self.fields[f"work_{work.pk}_narrative"] = forms.CharField(
                label=_("Tình hình thực hiện"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if work_entry:
                self.initial[f"work_{work.pk}_disbursed"] = work_entry.disbursed_vnd
                self.initial[f"work_{work.pk}_narrative"] = work_entry.narrative

    @staticmethod
    def figure_field(indicator: Indicator) -> str:
        return f"figure_{indicator.code}"

    @staticmethod
    def explanation_field(indicator: Indicator) -> str:
        return f"explain_{indicator.code}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for line in self.contents.scope.lines:
            name = self.figure_field(line.indicator)
            if message := line.implausible(cleaned.get(name)):
                self.add_error(name, message)
        # The data-quality rules whose breach is an error (a part above its whole).
        fields = {line.indicator.pk: self.figure_field(line.indicator) for line in self.lines}
        figures = {pk: cleaned.get(name) for pk, name in fields.items() if name not in self.errors}
        for finding in check_figures(self.contents.scope, self.contents.period, figures):
            if finding.is_error and fields[finding.indicator_id] not in self.errors:
                self.add_error(fields[finding.indicator_id], finding.message)
        return cleaned

    @property
    def lines(self) -> list[IndicatorLine]:
        return self.contents.scope.lines

    def figure_rows(self) -> list["FigureRow"]:
        """Each figure as the page prints it, with its input and its explanation's."""
        return figure_rows(self.contents, self)

    def task_rows(self) -> Iterator[tuple[Task, BoundField, BoundField]]:
        for task in self.contents.scope.tasks:
            yield task, self[f"task_{task.pk}_status"], self[f"task_{task.pk}_narrative"]

    def work_rows(self) -> Iterator[tuple[InfrastructureWork, BoundField, BoundField]]:
        for work in self.contents.scope.works:
            yield work, self[f"work_{work.pk}_disbursed"], self[f"work_{work.pk}_narrative"]

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            figures={
                line.indicator.pk: data.get(self.figure_field(line.indicator))
                for line in self.contents.scope.lines
            },
            tasks={
                task.pk: (data[f"task_{task.pk}_status"], data[f"task_{task.pk}_narrative"])
                for task in self.contents.scope.tasks
                if data.get(f"task_{task.pk}_status")
            },
            works={
                work.pk: (data.get(f"work_{work.pk}_disbursed"), data[f"work_{work.pk}_narrative"])
                for work in self.contents.scope.works
            },
            difficulties=data["difficulties"],
            explanations={
                line.indicator.pk: data.get(self.explanation_field(line.indicator)) or ""
                for line in self.contents.scope.lines
            },
        )


def line_warning(contents: ReportContents, line: IndicatorLine) -> FigureFlag | None:
    """The data-quality warning standing on a figure of the report, if any."""
    for flag in contents.flags.get(line.indicator.pk, []):
        if flag.kind == FigureFlag.Kind.CHECK and flag.is_open:
            return flag
    return None


@dataclass
class FigureRow:
    """One figure of the report page, everything it prints worked out once: the page
    shows a hundred of them, and a template include or a translation per row cost more
    than the rest of the page (reporting/tests/test_report_page.py pins the markup)."""

    line: IndicatorLine
    code: str  # the indicator's
    name: str
    uom: str
    kind: str  # "phát sinh trong kỳ" or "tổng hiện có"
    target: SafeString  # the unit's target, else the plan's own, else —
    value: str  # as read: "22,2 ha", or —
    cumulative: SafeString  # the cumulative of a flow, or "không cộng dồn"
    # The form's inputs, on a page that edits the report.
    warning: FigureFlag | None = None
    field: BoundField | None = None
    field_id: str = ""
    errors: Any = None
    explain: BoundField | None = None
    explain_id: str = ""


def figure_rows(contents: ReportContents, form: ReportForm | None = None) -> list[FigureRow]:
    """The report's figures as rows of the page; with the form's inputs when `form`.

    The cells with markup are escaped here as the template would escape them (with the
    standard library's html.escape, which Django's escape applies), without format_html's
    machinery for each value: a hundred rows."""
    # Each wording translated once, not once a row.
    flow, stock = gettext("phát sinh trong kỳ"), gettext("tổng hiện có")
    city_title, city = escape(gettext("Chỉ tiêu chung của thành phố")), escape(gettext("toàn TP"))
    # (Out of the f-strings, where makemessages would not find them.)
    to_date, not_added = escape(gettext("Lũy kế")), escape(gettext("không cộng dồn"))
    to_date = f'<span class="d-md-none text-muted">{to_date}: </span>'
    not_added = mark_safe(f'<span class="text-muted d-none d-md-inline">{not_added}</span>')
    rows = []
    for line in contents.scope.lines:
        uom = line.indicator.unit_of_measure
        if line.unit_target is not None:
            target = mark_safe(f"{escape(format_number(line.unit_target.value))} {escape(uom)}")
        elif line.city_target is not None:
            target = mark_safe(
                f'<span title="{city_title}">{escape(format_number(line.city_target.value))} '
                f'{escape(uom)} <span class="small text-muted">({city})</span></span>'
            )
        else:
            target = mark_safe("—")
        row = FigureRow(
            line=line,
            code=line.indicator.code,
            name=line.indicator.name,
            uom=uom,
            kind=flow if line.is_flow else stock,
            target=target,
            value=f"{format_number(line.value)} {uom}" if line.value is not None else "—",
            cumulative=mark_safe(f"{to_date}{escape(format_number(line.cumulative) or '—')}")
            if line.is_flow
            else not_added,
        )
        if form is not None:
            row.field = form[form.figure_field(line.indicator)]
            row.field_id = row.field.id_for_label
            row.errors = row.field.errors
            row.warning = line_warning(contents, line)
            if row.warning is not None:
                row.explain = form[form.explanation_field(line.indicator)]
                row.explain_id = row.explain.id_for_label
        rows.append(row)
    return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do.")},
    )
