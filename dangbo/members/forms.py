"""Input forms for member profiles, status events, filters and corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Province, Ward

from dangbo.lib.forms import Select
from dangbo.members.actions import PROFILE_FIELDS
from dangbo.members.choices import Degree, Sex, Status, TheoryLevel
from dangbo.members.models import Member
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization

DATE_FIELDS = ["date_of_birth", "admission_date", "official_date", "card_issued_on"]


def province_choices():
    return [("", "—")] + sorted(((int(p.code), p.name) for p in Province.iter_all()), key=lambda c: c[1])


def ward_choices(province_code):
    if not province_code:
        return [("", "—")]
    wards = [w for w in Ward.iter_all() if int(w.province_code) == int(province_code)]
    return [("", "—")] + sorted(((int(w.code), w.name) for w in wards), key=lambda c: c[1])


def place_name(province_code, ward_code):
    """'Phường Vinh Hưng, Nghệ An' from the official codes (after the 2025 reform)."""
    parts = []
    if ward_code:
        ward = next((w for w in Ward.iter_all() if int(w.code) == int(ward_code)), None)
        if ward:
            parts.append(ward.name)
    if province_code:
        province = next((p for p in Province.iter_all() if int(p.code) == int(province_code)), None)
        if province:
            parts.append(province.name)
    return ", ".join(parts)


class PlaceFieldsMixin:
    """Birthplace and hometown as the official province and ward lists (2025 units), ward list by htmx."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in ("birthplace", "hometown"):
            province_field = f"{prefix}_province"
            ward_field = f"{prefix}_ward"
            self.fields[province_field] = forms.TypedChoiceField(
                label=self.fields[province_field].label, choices=province_choices(), coerce=int,
                required=False, empty_value=None,
            )
            self.fields[province_field].widget.attrs.update({
                "hx-get": "/members/wards/", "hx-target": f"#id_{ward_field}",
                "hx-vals": f'{{"field": "{province_field}"}}',
            })
            selected = self.data.get(province_field) or getattr(self.instance, province_field)
            self.fields[ward_field] = forms.TypedChoiceField(
                label=self.fields[ward_field].label, choices=ward_choices(selected), coerce=int,
                required=False, empty_value=None,
            )


class MemberForm(PlaceFieldsMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = PROFILE_FIELDS
        widgets = {name: DateInput for name in DATE_FIELDS}


class StatusEventForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng mới"), choices=Status.choices)
    effective_on = forms.DateField(label=_("Từ ngày"), widget=DateInput)
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)
    decision_reference = forms.CharField(label=_("Quyết định số"), max_length=80, required=False)


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("Thông tin cần sửa"))
    proposed_value = forms.CharField(label=_("Đề nghị sửa thành"), max_length=255)
    note = forms.CharField(label=_("Ghi chú, giấy tờ kèm theo"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            (name, Member._meta.get_field(name).verbose_name.capitalize()) for name in PROFILE_FIELDS
        ]


class DecideCorrectionForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", _("Duyệt")), ("0", _("Không duyệt"))], coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Ý kiến"), max_length=300, required=False)


AGE_BANDS = [("lt30", _("Dưới 30")), ("30-45", _("30–45")), ("45-60", _("45–60")), ("gt60", _("Trên 60"))]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên (không dấu cũng được), số thẻ, CCCD")}))
    status = forms.ChoiceField(label=_("Tình trạng"), required=False, widget=Select,
                               choices=[("", _("Đang sinh hoạt")), ("all", _("Tất cả"))] + Status.choices)
    sex = forms.ChoiceField(label=_("Giới tính"), required=False, widget=Select,
                            choices=[("", _("Tất cả"))] + Sex.choices)
    age = forms.ChoiceField(label=_("Tuổi"), required=False, widget=Select,
                            choices=[("", _("Tất cả"))] + AGE_BANDS)
    theory = forms.ChoiceField(label=_("Lý luận chính trị"), required=False, widget=Select,
                               choices=[("", _("Tất cả")), ("none", _("Chưa qua đào tạo"))] + TheoryLevel.choices[1:])
    degree = forms.ChoiceField(label=_("Chuyên môn"), required=False, widget=Select,
                               choices=[("", _("Tất cả")), ("none", _("Không"))] + Degree.choices[1:])
    category = forms.ChoiceField(label=_("Loại hình chi bộ"), required=False, widget=Select,
                                 choices=[("", _("Tất cả"))] + Organization.Category.choices)
