from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class OfficialPasswordForm(forms.Form):
    """Phòng Kinh tế sets a new password for a unit official, checked by the validators."""

    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("Hai lần nhập mật khẩu không giống nhau."))
        if second:
            password_validation.validate_password(second, self.user)
        return second


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Địa chỉ e-mail"),
        required=False,
        max_length=254,
        help_text=_("Để trống nếu không muốn nhận thông báo qua e-mail."),
        error_messages={"invalid": _("Địa chỉ e-mail không hợp lệ, ví dụ: canbo@laichau.gov.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
