from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import AdministrativeUnit
from plans.selectors import grassroots_in_force


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


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return f"{obj} – {obj.parent.name}" if obj.parent_id else str(obj)


class OfficialCreateForm(forms.Form):
    """Phòng Kinh tế makes a commune or ward official's account, for a unit in force today
    (after the 2025 reform: the new wards; the old units' accounts stay, read-only)."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=AdministrativeUnit.objects.none())
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Tên đơn vị viết liền, không dấu, ví dụ: phuongtanphong."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Địa chỉ e-mail"),
        required=False,
        max_length=254,
        help_text=_("Để trống nếu không muốn nhận thông báo qua e-mail."),
        error_messages={"invalid": _("Địa chỉ e-mail không hợp lệ, ví dụ: canbo@laichau.gov.vn.")},
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = grassroots_in_force(timezone.localdate())  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = "form-select" if name == "unit" else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                field.widget.attrs["aria-describedby"] = f"id_{name}-errors"
            field.widget.attrs["class"] = css

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau."))
        elif second:
            user = get_user_model()(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(second, user)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return cleaned
