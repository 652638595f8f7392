import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit

from .models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    """Every choice is in the URL, so a filtered view of the log can be shared."""

    nguoi = django_filters.ModelChoiceFilter(
        label=_("Người thực hiện"),
        field_name="actor",
        queryset=get_user_model().objects.order_by("username"),
        to_field_name="username",
        empty_label=_("Tất cả"),
    )
    tu_ngay = django_filters.DateFilter(
        label=_("Từ ngày"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    den_ngay = django_filters.DateFilter(
        label=_("Đến ngày"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    loai = django_filters.ChoiceFilter(
        label=_("Loại"), field_name="kind", choices=AuditEntry.Kind.choices, empty_label=_("Tất cả")
    )
    don_vi = django_filters.ModelChoiceFilter(
        label=_("Đơn vị"),
        field_name="unit",
        queryset=AdministrativeUnit.objects.order_by("path"),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = AuditEntry
        fields = ["nguoi", "tu_ngay", "den_ngay", "loai", "don_vi"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-select-sm form-control-sm"
