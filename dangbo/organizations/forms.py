"""Input forms for the organization tree; rules live in actions.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.organizations.models import Organization, ResidentialGroup, Term


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: phones get a numeric keypad, desktops no picker quirks."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y")


class OrganizationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Organization.Kind.choices, initial=Organization.Kind.CELL)
    name = forms.CharField(label=_("Tên"), max_length=200)
    code = forms.CharField(label=_("Mã"), max_length=40, help_text=_("Duy nhất trong hệ thống, ví dụ NA.VH.CB25"))
    symbol = forms.CharField(label=_("Ký hiệu văn bản"), max_length=20, required=False, help_text=_("Ví dụ ĐU, CB"))
    category = forms.ChoiceField(
        label=_("Loại hình chi bộ"), choices=[("", "—")] + Organization.Category.choices, required=False
    )
    active_from = forms.DateField(label=_("Thành lập ngày"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Organization.Kind.CELL and not data.get("category"):
            self.add_error("category", _("Hãy chọn loại hình chi bộ."))
        return data


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=200)
    symbol = forms.CharField(label=_("Ký hiệu văn bản"), max_length=20, required=False)


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label=_("Chuyển về trực thuộc"), queryset=Organization.objects.none())

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = choices


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Sáp nhập vào chi bộ"), queryset=Organization.objects.none())
    on = forms.DateField(label=_("Từ ngày"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = choices


class CloseForm(forms.Form):
    on = forms.DateField(label=_("Giải thể từ ngày"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do, số quyết định"), max_length=300)


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on", "congress_opened_on", "congress_closed_on"]
        widgets = {f: DateInput for f in ["starts_on", "ends_on", "congress_opened_on", "congress_closed_on"]}

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc trước ngày bắt đầu."))
        return data


class ResidentialGroupForm(forms.ModelForm):
    class Meta:
        model = ResidentialGroup
        fields = ["name", "cells"]
        widgets = {"cells": forms.CheckboxSelectMultiple}

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        self.fields["cells"].queryset = ward.descendants().cells().active()

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = ResidentialGroup.objects.filter(ward=self.ward, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Tổ dân phố %(name)s đã có.") % {"name": name})
        return name
