"""Login and account forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.models import Role, phone_validator
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc số điện thoại"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập (hoặc số điện thoại) hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class AccountForm(forms.Form):
    username = forms.RegexField(label=_("Tên đăng nhập"), regex=r"^[A-Za-z0-9_.]{3,40}$", max_length=40,
                                error_messages={"invalid": _("Tên đăng nhập gồm 3–40 chữ cái không dấu, số, dấu chấm hoặc gạch dưới.")})
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean_phone(self):
        from dangbo.accounts.models import normalize_phone

        phone = normalize_phone(self.cleaned_data["phone"])
        if phone:
            phone_validator(phone)
        return phone


class GrantForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Tổ chức"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    valid_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class LinkMemberForm(forms.Form):
    card_or_cccd = forms.CharField(label=_("Số thẻ đảng viên hoặc số CCCD của người này"), max_length=12)
