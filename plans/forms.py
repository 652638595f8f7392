from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import number_formfield

from .models import OcopProduct, Plan
from .selectors import grassroots_units


class OcopProductForm(forms.ModelForm):
    """Phòng Kinh tế records a product the province recognized under OCOP."""

    class Meta:
        model = OcopProduct
        formfield_callback = number_formfield  # 1.000 is a thousand (and refused), never 1
        fields = [
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
        widgets = {
            "decision_date": forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}
            ),
            "expires_on": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        }
        help_texts = {
            "score": _("Thang 100: 3 sao từ 50 đến 69, 4 sao từ 70 đến 89, 5 sao từ 90."),
            "stars": _("Để trống để tính theo điểm."),
            "expires_on": _("Để trống để tính 36 tháng từ ngày quyết định."),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = grassroots_units(plan)
        self.fields["score"].validators.append(self._score_in_range)
        self.fields["score"].widget.attrs.update({"min": 0, "max": 100})

    @staticmethod
    def _score_in_range(value):
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Điểm phải từ 0 đến 100."))

    def clean(self):
        cleaned = super().clean()
        score, stars = cleaned.get("score"), cleaned.get("stars")
        if stars is not None and stars not in (3, 4, 5):
            self.add_error("stars", _("Sản phẩm OCOP được xếp 3, 4 hoặc 5 sao."))
        elif score is not None and stars is not None:
            expected = OcopProduct.stars_for_score(score)
            if expected != stars:
                self.add_error(
                    "stars",
                    _("%(score)s điểm tương ứng %(expected)s, không phải %(stars)s sao.")
                    % {
                        "score": score,
                        "expected": _("%(n)s sao") % {"n": expected}
                        if expected
                        else _("chưa đạt sao"),
                        "stars": stars,
                    },
                )
        decision_date, expires_on = cleaned.get("decision_date"), cleaned.get("expires_on")
        if decision_date and expires_on and expires_on <= decision_date:
            self.add_error("expires_on", _("Ngày hết hạn phải sau ngày quyết định."))
        return cleaned
