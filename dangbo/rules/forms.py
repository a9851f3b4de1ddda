"""Input forms for the rules pages; the rules about overrides live in actions.py."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangbo.lib.dates import parse_date
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization
from dangbo.rules import values


class DayFirstDateField(forms.DateField):
    """A date typed dd/mm/yyyy, d/m/yy, with '/', '-' or '.' (dangbo.lib.dates.parse_date)."""

    widget = DateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_date(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, widget=forms.TextInput(attrs={
        "type": "search", "placeholder": _("tuổi, 294, đảng phí…"),
    }))
    on = DayFirstDateField(label=_("Áp dụng ngày"), required=False)
    all = forms.BooleanField(label=_("Mọi phiên bản"), required=False)


class OverrideForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Tổ chức"), queryset=Organization.objects.none())
    value = forms.CharField(label=_("Giá trị"), max_length=100)
    valid_from = DayFirstDateField(label=_("Áp dụng từ ngày"))
    valid_to = DayFirstDateField(label=_("Áp dụng đến ngày"), required=False,
                                 help_text=_("Để trống nếu áp dụng đến khi có quyết định khác."))
    reason = forms.CharField(label=_("Căn cứ"), max_length=300,
                             help_text=_("Số, ngày văn bản quyết định của đơn vị, ví dụ Nghị quyết 09-NQ/ĐU ngày 5/1/2026"))

    def __init__(self, *args, rule, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["organization"].queryset = organizations
        kind = values.kind(rule)
        if kind == "choice":
            self.fields["value"] = forms.ChoiceField(label=_("Giá trị"), choices=[tuple(c) for c in rule.choices])
        elif kind == "bool":
            self.fields["value"] = forms.ChoiceField(label=_("Giá trị"), choices=[("có", _("có")), ("không", _("không"))])
        else:
            self.fields["value"].help_text = {
                "fraction": _("Dạng phân số, ví dụ 2/3."),
                "number": _("Số, dùng dấu phẩy cho phần thập phân, ví dụ 0,5."),
                "integer": _("Số nguyên, ví dụ %(example)s.") % {"example": rule.value},
            }.get(kind, "")
        self.order_fields(["organization", "value", "valid_from", "valid_to", "reason"])

    def clean_value(self):
        return values.parse(self.rule, self.cleaned_data["value"])

    def clean(self):
        data = super().clean()
        if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("Ngày kết thúc trước ngày bắt đầu."))
        return data
