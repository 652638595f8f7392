"""Plan data in and out of Excel through django-import-export, for Phòng Kinh tế.

Columns carry Vietnamese headers and refer to other records by what people know them
by: units by slug, indicators and tasks by code, sections by their code in the plan,
the plan as "2023/thanh-pho-lai-chau". Importing the exported file again skips every
row, so a round trip changes nothing; a wrong cell fails its row with a Vietnamese
message, and the admin's dry run shows all of it before anything is written.
"""

import io
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook
from openpyxl.styles import Font

from common.downloads import set_text
from common.figures import FigureRefused, Noun, read_figure

from .models import (
    AdministrativeUnit,
    Body,
    InfrastructureWork,
    OcopProduct,
    Plan,
    Section,
    SupportPolicy,
    Task,
)


class SafeXLSX(XLSX):
    """XLSX written cell by cell: user text never becomes a formula, numbers stay numbers."""

    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (dataset.title or "Dữ liệu")[:31]
        for column, header in enumerate(dataset.headers or [], start=1):
            set_text(sheet.cell(row=1, column=column), str(header)).font = Font(bold=True)
        for row_number, row in enumerate(dataset, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                if isinstance(value, str):
                    set_text(cell, value)
                elif isinstance(value, datetime):
                    cell.value = value.replace(tzinfo=None)
                else:
                    cell.value = value
                if isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class TextWidget(widgets.CharWidget):
    """Text as typed; a number Excel stored for a code such as 1.1 comes back as text."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().clean(value, row, **kwargs).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.DecimalWidget):
    """A number cell, or text typed the Vietnamese way (22,2 or 1.600), as a target holds it."""

    places = 3

    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return read_figure(value, places=self.places, noun=Noun.NUMBER)
        except FigureRefused as refused:
            raise ValueError(refused.as_sentence()) from None

    def render(self, value, obj=None, **kwargs):
        # 329.200 as stored reads 329.2, so the dry run shows no change where there is none.
        return None if value is None else Decimal(f"{Decimal(value).normalize():f}")


class WholeNumberWidget(NumberWidget):
    """A position, a score, a record's number: a whole number, read like any other."""

    places = 0

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        return None if number is None else int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """Shows a choice by its Vietnamese label; reads the label or the stored code.

    The label is Vietnamese even for someone reading the admin in English, so that a file
    exported by one person imports for anyone.
    """

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def _labels(self) -> dict[str, str]:
        with translation.override(settings.LANGUAGE_CODE):
            return {stored: str(label) for stored, label in self.choices}

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        labels = self._labels()
        for stored, label in labels.items():
            if text.casefold() in {stored.casefold(), label.casefold()}:
                return stored
        raise ValueError(
            _("“%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": text, "choices": ", ".join(labels.values())}
        )

    def render(self, value, obj=None, **kwargs):
        return self._labels().get(value, value or "")


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", coerce_to_string=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):  # what openpyxl reads from a date cell
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” không phải ngày; ghi dạng 15/03/2023.") % {"value": value}
            ) from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a field people know; a Vietnamese message when nothing matches."""

    def __init__(self, model, field, what: str, **kwargs):
        self.what = what
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("Không có %(what)s “%(value)s”.") % {"what": self.what, "value": value}
            ) from None


class PlanWidget(widgets.ForeignKeyWidget):
    """A plan as year/unit slug, e.g. 2023/thanh-pho-lai-chau."""

    def __init__(self, **kwargs):
        super().__init__(Plan, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        year, _sep, unit = text.partition("/")
        try:
            return Plan.objects.get(year=int(year), unit__slug=unit)
        except (ValueError, Plan.DoesNotExist):
            raise ValueError(
                _("Không có kế hoạch “%(value)s”; ghi dạng 2023/thanh-pho-lai-chau.")
                % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.year}/{value.unit.slug}" if value else ""


PLAN_COLUMN = "Kế hoạch (năm/địa bàn)"


def plan_in_row(row) -> Plan | None:
    try:
        return PlanWidget().clean(row.get(PLAN_COLUMN))
    except ValueError:
        return None


class InPlanWidget(LookupWidget):
    """A section, body or policy: looked up within the row's plan."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(plan=plan_in_row(row or {}))


class ManyWidget(widgets.ManyToManyWidget):
    """Several records in one cell, by slug or name; every one must exist."""

    def __init__(self, model, field, what: str, separator=",", in_plan=False):
        self.what = what
        self.in_plan = in_plan
        super().__init__(model, separator=separator, field=field)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return self.model.objects.none()
        wanted = [part.strip() for part in text.split(self.separator) if part.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        if self.in_plan:
            found = found.filter(plan=plan_in_row(row or {}))
        known = {getattr(item, self.field) for item in found}
        missing = [item for item in wanted if item not in known]
        if missing:
            raise ValueError(
                _("Không có %(what)s: %(missing)s.")
                % {"what": self.what, "missing": ", ".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        items = sorted(getattr(item, self.field) for item in value.all())
        return (self.separator + " " if self.separator != "," else ",").join(items)


def _text(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=TextWidget())


def _position():
    return fields.Field(attribute="position", column_name="Thứ tự", widget=WholeNumberWidget())


def _plan():
    return fields.Field(attribute="plan", column_name=PLAN_COLUMN, widget=PlanWidget())


def _section():
    return fields.Field(
        attribute="section",
        column_name="Mục (mã)",
        widget=InPlanWidget(Section, "code", gettext_lazy("mục có mã")),
    )


def _units(attribute, header):
    return fields.Field(
        attribute=attribute,
        column_name=header,
        widget=ManyWidget(AdministrativeUnit, "slug", gettext_lazy("đơn vị có mã")),
    )


class PlanDataResource(resources.ModelResource):
    """What every plan resource shares: full validation, unchanged rows skipped."""

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class TaskResource(PlanDataResource):
    plan = _plan()
    code = _text("code", "Mã nhiệm vụ")
    section = _section()
    title = _text("title", "Tên ngắn")
    description = _text("description", "Nội dung theo kế hoạch")
    bodies = fields.Field(
        attribute="bodies",
        column_name="Cơ quan thực hiện",
        widget=ManyWidget(Body, "name", gettext_lazy("cơ quan"), separator=";", in_plan=True),
    )
    units = _units("units", "Địa bàn thực hiện (mã đơn vị)")
    position = _position()

    class Meta(PlanDataResource.Meta):
        model = Task
        fields = ["plan", "code", "section", "title", "description", "bodies", "units", "position"]
        import_id_fields = ["plan", "code"]
        name = gettext_lazy("Nhiệm vụ (Excel)")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan__unit", "section").prefetch_related("bodies", "units")


class InfrastructureWorkResource(PlanDataResource):
    id = fields.Field(
        attribute="id",
        column_name="Mã số (để trống khi thêm mới)",
        widget=WholeNumberWidget(),
    )
    plan = _plan()
    section = _section()
    kind = fields.Field(
        attribute="kind",
        column_name="Loại công trình",
        widget=ChoiceWidget(InfrastructureWork.Kind.choices),
    )
    name = _text("name", "Tên công trình")
    description = _text("description", "Nội dung theo kế hoạch")
    units = _units("units", "Địa bàn (mã đơn vị)")
    policy = fields.Field(
        attribute="policy",
        column_name="Chính sách thực hiện",
        widget=InPlanWidget(SupportPolicy, "title", gettext_lazy("chính sách")),
    )
    position = _position()

    class Meta(PlanDataResource.Meta):
        model = InfrastructureWork
        fields = [
            "id",
            "plan",
            "section",
            "kind",
            "name",
            "description",
            "units",
            "policy",
            "position",
        ]
        import_id_fields = ["id"]
        name = gettext_lazy("Công trình hạ tầng (Excel)")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("plan__unit", "section", "policy").prefetch_related("units")


class OcopProductResource(PlanDataResource):
    id = fields.Field(
        attribute="id",
        column_name="Mã số (để trống khi thêm mới)",
        widget=WholeNumberWidget(),
    )
    name = _text("name", "Tên sản phẩm")
    group = _text("group", "Nhóm sản phẩm")
    owner = _text("owner", "Chủ thể")
    unit = fields.Field(
        attribute="unit",
        column_name="Đơn vị (mã)",
        widget=LookupWidget(AdministrativeUnit, "slug", gettext_lazy("đơn vị có mã")),
    )
    score = fields.Field(attribute="score", column_name="Điểm", widget=WholeNumberWidget())
    stars = fields.Field(attribute="stars", column_name="Số sao", widget=WholeNumberWidget())
    decision_number = _text("decision_number", "Số quyết định công nhận")
    decision_date = fields.Field(
        attribute="decision_date", column_name="Ngày quyết định", widget=DateWidget()
    )
    issuing_level = fields.Field(
        attribute="issuing_level",
        column_name="Cấp công nhận",
        widget=ChoiceWidget(OcopProduct.IssuingLevel.choices),
    )
    expires_on = fields.Field(
        attribute="expires_on", column_name="Ngày hết hạn", widget=DateWidget()
    )
    status = fields.Field(
        attribute="status",
        column_name="Tình trạng",
        widget=ChoiceWidget(OcopProduct.Status.choices),
    )

    class Meta(PlanDataResource.Meta):
        model = OcopProduct
        fields = [
            "id",
            "name",
            "group",
            "owner",
            "unit",
            "score",
            "stars",
            "decision_number",
            "decision_date",
            "issuing_level",
            "expires_on",
            "status",
        ]
        import_id_fields = ["id"]
        name = gettext_lazy("Sản phẩm OCOP (Excel)")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("unit")
