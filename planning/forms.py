"""The plan's edit forms: Vietnamese at the field, what was typed kept on an error.

Each form edits one record and hands `planning.services.plan_save` the instance and its
many-to-many members; on an issued plan `AmendmentForm` comes with it (the decision that
makes the change).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.forms import NumberField, number_formfield
from plans.models import AdministrativeUnit, Body, Citation, LegalDocument, Plan, Section, Task
from plans.selectors import grassroots_units
from reporting.models import Indicator, SeasonalProfile, Target

from .services import AmendmentInput

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


class StyledForm:
    """Bootstrap classes on every widget, and "is-invalid" with the error's id on a field
    that was refused, so the page renders each field with `{{ field }}` (typed text kept)."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css
            widget.attrs.setdefault("autocomplete", "off")

    def limit(self, name: str, queryset: QuerySet) -> None:
        """Offer only the plan's own records in a choice field."""
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-errors"  # type: ignore[attr-defined]


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return str(obj)


class AmendmentForm(StyledForm, forms.Form):
    """The decision that changes an issued plan."""

    decision_number = forms.CharField(
        label=_("Số quyết định điều chỉnh"),
        max_length=60,
        help_text=_("Ví dụ 1520/QĐ-UBND. Nhiều thay đổi theo cùng một quyết định được ghi chung."),
    )
    decided_on = forms.DateField(
        label=_("Ngày quyết định"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        help_text=_("Chỉ tiêu mới áp dụng cho các kỳ chốt số liệu từ ngày này."),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/07/2024.")},
    )
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        self.plan = plan
        super().__init__(*args, prefix="dieu_chinh", **kwargs)

    def clean_decided_on(self) -> date:
        day: date = self.cleaned_data["decided_on"]
        if self.plan.issued_on and day < self.plan.issued_on:
            raise forms.ValidationError(
                _("Ngày điều chỉnh không được trước ngày ban hành kế hoạch (%(date)s).")
                % {"date": self.plan.issued_on.strftime("%d/%m/%Y")}
            )
        return day

    def amendment(self) -> AmendmentInput:
        data = self.cleaned_data
        return AmendmentInput(
            decision_number=data["decision_number"].strip(),
            decided_on=data["decided_on"],
            reason=data["reason"].strip(),
        )


class IssueForm(StyledForm, forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 10/01/2024.")},
    )
    signer = forms.CharField(
        label=_("Người ký"), max_length=200, help_text=_("Ví dụ: KT. CHỦ TỊCH – Nguyễn Văn A.")
    )


class TargetForm(StyledForm, forms.ModelForm):
    value = NumberField(label=_("Giá trị"))
    unit = UnitChoice(label=_("Phạm vi"), queryset=AdministrativeUnit.objects.none())

    class Meta:
        formfield_callback = number_formfield
        model = Target
        fields = ["value", "comparison", "unit", "named_units", "source_text", "section"]
        widgets = {
            "named_units": forms.CheckboxSelectMultiple,
            "source_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan
        units = [plan.unit, *grassroots_units(plan)]
        self.limit("unit", AdministrativeUnit.objects.filter(pk__in=[u.pk for u in units]))
        self.fields["unit"].help_text = _("Toàn địa bàn (%(plan_unit)s) hoặc một xã, phường.") % {
            "plan_unit": plan.unit.name
        }
        self.limit("named_units", grassroots_units(plan))
        self.limit("section", plan.sections.all())
        if not self.initial.get("value") and self.instance.pk:
            self.initial["value"] = self.instance.value

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        unit, named = cleaned.get("unit"), cleaned.get("named_units")
        if unit is not None and named and unit.pk != self.plan.unit_id:
            self.add_error(
                "named_units",
                _("Chỉ tiêu của một đơn vị không nêu tên các đơn vị khác; để trống ô này."),
            )
        indicator_id = self.instance.indicator_id
        if unit is not None and indicator_id:
            clash = (
                Target.objects.filter(plan=self.plan, indicator_id=indicator_id, unit=unit)
                .exclude(pk=self.instance.pk)
                .exists()
            )
            if clash:
                self.add_error("unit", _("Chỉ tiêu này đã có giá trị cho phạm vi đó."))
        return cleaned

    def m2m(self) -> dict[str, list]:
        return {"named_units": list(self.cleaned_data["named_units"])}


class NewTargetForm(TargetForm):
    """A target the plan did not have: which indicator it measures, then as TargetForm."""

    class Meta(TargetForm.Meta):
        fields = ["indicator", *TargetForm.Meta.fields]

    def clean(self) -> dict[str, Any]:
        indicator = self.cleaned_data.get("indicator")
        if indicator is not None:
            self.instance.indicator = indicator
        return super().clean()


class TaskForm(StyledForm, forms.ModelForm):
    class Meta:
        formfield_callback = number_formfield
        model = Task
        fields = ["code", "title", "description", "section", "bodies", "units"]
        widgets = {
            "bodies": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.limit("section", plan.sections.all())
        self.limit("bodies", Body.objects.filter(plan=plan))
        self.limit("units", grassroots_units(plan))

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if Task.objects.filter(plan=self.plan, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kế hoạch đã có nhiệm vụ mang mã này."))
        return code

    def m2m(self) -> dict[str, list]:
        return {
            "bodies": list(self.cleaned_data["bodies"]),
            "units": list(self.cleaned_data["units"]),
        }


class SectionForm(StyledForm, forms.ModelForm):
    class Meta:
        formfield_callback = number_formfield
        model = Section
        fields = ["number", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class IndicatorForm(StyledForm, forms.ModelForm):
    """An indicator is one across the years: what it measures and how it behaves."""

    class Meta:
        formfield_callback = number_formfield
        model = Indicator
        fields = ["name", "unit_of_measure", "behaviour", "sector"]

    def __init__(self, *args: Any, has_figures: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.has_figures = has_figures

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.has_figures:
            for name in ("behaviour", "unit_of_measure"):
                if name in cleaned and cleaned[name] != getattr(self.instance, name):
                    self.add_error(
                        name,
                        _(
                            "Đã có số liệu báo cáo cho chỉ tiêu này: đổi tính chất hoặc đơn vị "
                            "tính sẽ làm sai các số đã báo cáo. Hãy lập chỉ tiêu mới."
                        ),
                    )
        return cleaned


class NewIndicatorForm(IndicatorForm):
    """An indicator the plans did not measure yet; its code is made from its name."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            self.instance.code = indicator_code(name)
            if not self.instance.code:
                self.add_error("name", _("Tên chỉ tiêu cần có chữ hoặc số."))
        return cleaned


def indicator_code(name: str) -> str:
    """lua-chat-luong from "Lúa chất lượng": the name without marks, unique among indicators."""
    base = slugify(name.replace("đ", "d").replace("Đ", "D"))[:50].strip("-")
    if not base:
        return ""
    taken = set(Indicator.objects.filter(code__startswith=base).values_list("code", flat=True)) | {
        "them"
    }
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


class SeasonalProfileForm(StyledForm, forms.Form):
    """The share of a flow's annual amount in each month's window, in %, summing to 100."""

    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args: Any, profile: SeasonalProfile | None, **kwargs: Any):
        super().__init__(*args, prefix="mua_vu", **kwargs)
        for month in range(1, 13):
            self.fields[f"month_{month}"] = NumberField(
                label=_("Tháng %(month)s") % {"month": month}, decimal_places=2, required=False
            )
            if profile is not None and not self.is_bound:
                self.initial[f"month_{month}"] = getattr(profile, f"month_{month}")
        if profile is not None and not self.is_bound:
            self.initial["note"] = profile.note
        self.style()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        shares = [cleaned.get(f"month_{m}") for m in range(1, 13)]
        if all(s is None for s in shares):
            return cleaned  # no profile: a straight line over the year
        total = sum((s or Decimal(0) for s in shares), Decimal(0))
        if total != 100:
            raise forms.ValidationError(
                _("Tổng tỷ lệ 12 tháng phải bằng 100%%, hiện là %(total)s%%.")
                % {"total": str(total).replace(".", ",")}
            )
        return cleaned

    @property
    def is_empty(self) -> bool:
        return all(self.cleaned_data.get(f"month_{m}") is None for m in range(1, 13))

    def fill(self, profile: SeasonalProfile) -> SeasonalProfile:
        for month in range(1, 13):
            setattr(profile, f"month_{month}", self.cleaned_data[f"month_{month}"] or Decimal(0))
        profile.note = self.cleaned_data["note"]
        return profile


class CitationForm(StyledForm, forms.ModelForm):
    class Meta:
        formfield_callback = number_formfield
        model = Citation
        fields = ["document", "role", "section", "cited_date", "quote", "position"]
        widgets = {"cited_date": DATE_WIDGET, "quote": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit("section", plan.sections.all())
        cited_date = self.fields["cited_date"]
        assert isinstance(cited_date, forms.DateField)
        cited_date.input_formats = DATE_FORMATS


class PlanInfoForm(StyledForm, forms.ModelForm):
    """The plan's own wording and its bases: the parent plan and the year's targets decision."""

    class Meta:
        formfield_callback = number_formfield
        model = Plan
        fields = [
            "title",
            "issuer",
            "parent_document",
            "targets_decision",
            "preamble",
            "closing",
            "recipients",
        ]
        widgets = {
            "preamble": forms.Textarea(attrs={"rows": 2}),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit("parent_document", LegalDocument.objects.filter(kind=LegalDocument.Kind.PLAN))
        self.limit(
            "targets_decision", LegalDocument.objects.filter(kind=LegalDocument.Kind.DECISION)
        )


class TargetsDecisionForm(StyledForm, forms.Form):
    """The year's targets decision, entered once it is known: the document and its basis."""

    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    issued_on = forms.DateField(
        label=_("Ngày quyết định"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 19/12/2023.")},
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    title = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        existing = LegalDocument.objects.filter(number=number).first()
        if existing is not None and existing.kind != LegalDocument.Kind.DECISION:
            raise forms.ValidationError(_("Số này là của một văn bản khác, không phải quyết định."))
        return number
