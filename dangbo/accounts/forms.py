"""Login form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc số điện thoại"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập (hoặc số điện thoại) hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }
