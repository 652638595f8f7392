"""Plan data in and out of Excel through django-import-export, for Phòng Kinh tế.

Columns carry Vietnamese headers and refer to other records by what people know them
by: units by slug, indicators and tasks by code, sections by their code in the plan,
the plan as "2023/thanh-pho-lai-chau". Importing the exported file again skips every
row, so a round trip changes nothing; a wrong cell fails its row with a Vietnamese
message, and the admin's dry run shows all of it before anything is written.

The cells themselves are read by the widgets every app shares (common/spreadsheets.py);
what is here knows the plan: a plan by year and unit, a record within the row's plan.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from common.spreadsheets import (
    ChoiceWidget,
    DateWidget,
    LookupWidget,
    ManyWidget,
    TextWidget,
    WholeNumberWidget,
)

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


class InPlanManyWidget(ManyWidget):
    """Several records of the row's plan in one cell, as a task's bodies."""

    def get_queryset(self, row):
        return self.model.objects.filter(plan=plan_in_row(row or {}))


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
        widget=InPlanManyWidget(Body, "name", gettext_lazy("cơ quan"), separator=";"),
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
