from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import EmailForm
from accounts.models import Role

from .models import Kind

# What each role may be told: the preferences page offers only these.
KINDS_FOR_ROLE = {
    Role.UNIT_OFFICIAL: [
        Kind.RETURNED,
        Kind.REOPENED,
        Kind.APPROVED,
        Kind.DEADLINE_SOON,
        Kind.OVERDUE,
        Kind.FIGURE_DISCUSSED,
    ],
    Role.ECONOMIC_OFFICE: [
        Kind.AWAITING_REVIEW,
        Kind.ESCALATION,
        Kind.OCOP_EXPIRING,
        Kind.OCOP_EXPIRED,
        Kind.FIGURE_DISCUSSED,
    ],
    Role.LEADERSHIP: [],
}


class PreferenceForm(EmailForm):
    email_kinds = forms.MultipleChoiceField(
        label=_("Nhận qua e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Báo cáo bị trả lại hoặc mở lại được gửi ngay; các thông báo khác gộp thành một thư "
            "mỗi ngày. Mọi thông báo vẫn có trong hộp thông báo."
        ),
    )

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = KINDS_FOR_ROLE.get(role, [])
        self.fields["email_kinds"].choices = [(kind.value, kind.label) for kind in kinds]
