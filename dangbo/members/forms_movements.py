"""Input forms for transfers, residence contact and exemption; the rules live in movements.py."""

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.members.choices import Status
from dangbo.members.models import ExemptionRequest, Member, ResidenceContact, Transfer
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization


class CellChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def _today():
    return timezone.localdate()


class TransferStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Transfer.Kind.choices, widget=forms.RadioSelect,
                             initial=Transfer.Kind.PERMANENT)
    to_organization = CellChoiceField(
        label=_("Chuyển đến chi bộ (trong hệ thống)"), queryset=Organization.objects.none(), required=False,
    )
    to_text = forms.CharField(label=_("Hoặc tổ chức đảng ngoài hệ thống"), max_length=200, required=False,
                              help_text=_("Ví dụ: Chi bộ Phòng Tài chính, Đảng bộ xã Hưng Nguyên"))
    moved_on = forms.DateField(label=_("Ngày quyết định có hiệu lực / chuyển nơi ở"), widget=DateInput)
    ends_on = forms.DateField(label=_("Đến ngày (chuyển tạm thời)"), widget=DateInput, required=False)
    for_training = forms.BooleanField(label=_("Đi học tập trung trong nước (chuyển tạm thời)"), required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)
    letter_number = forms.CharField(label=_("Số giấy giới thiệu"), max_length=60, required=False,
                                    help_text=_("Để trống nếu chưa cấp giấy; ghi sau."))
    letter_date = forms.DateField(label=_("Ngày giấy giới thiệu"), widget=DateInput, required=False)
    late_reason = forms.CharField(label=_("Lý do chậm (nếu quá hạn)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The receiving cell may be anywhere in the system, also outside the user's scope:
        # only names and codes are shown.
        self.fields["to_organization"].queryset = Organization.objects.cells().active().order_by("path")


class LetterForm(forms.Form):
    letter_number = forms.CharField(label=_("Số giấy giới thiệu"), max_length=60)
    letter_date = forms.DateField(label=_("Ngày giấy giới thiệu"), widget=DateInput)
    late_reason = forms.CharField(label=_("Lý do chậm (nếu quá hạn)"), max_length=300, required=False)


class ReceiveForm(forms.Form):
    presented_on = forms.DateField(label=_("Ngày trình giấy giới thiệu"), widget=DateInput, initial=_today)
    late_reason = forms.CharField(label=_("Lý do chậm (nếu quá hạn)"), max_length=300, required=False)


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("Ngày"), widget=DateInput, initial=_today)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["on"].label = label


MEMBER_FIELDS = [
    "full_name", "sex", "date_of_birth", "ethnicity", "religion", "citizen_id", "phone", "residence_address",
    "occupation", "workplace", "admission_date", "official_date", "card_number", "card_issued_on",
]
MEMBER_DATES = ["date_of_birth", "admission_date", "official_date", "card_issued_on"]


class ReceiveFromOutsideForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"), initial=Status.OFFICIAL,
        choices=[(Status.OFFICIAL, Status.OFFICIAL.label), (Status.PROBATIONARY, Status.PROBATIONARY.label)],
    )
    from_text = forms.CharField(label=_("Chuyển đến từ tổ chức đảng"), max_length=200)
    letter_number = forms.CharField(label=_("Số giấy giới thiệu"), max_length=60)
    letter_date = forms.DateField(label=_("Ngày giấy giới thiệu"), widget=DateInput)
    presented_on = forms.DateField(label=_("Ngày trình giấy"), widget=DateInput, initial=_today)
    reason = forms.CharField(label=_("Lý do chuyển"), max_length=300, required=False)
    late_reason = forms.CharField(label=_("Lý do chậm (nếu quá hạn)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_fields = fields_for_model(Member, fields=MEMBER_FIELDS, widgets={f: DateInput for f in MEMBER_DATES})
        self.fields = {**member_fields, **self.fields}

    def split(self):
        """(member fields, the rest) of the cleaned data, for receive_from_outside."""
        data = dict(self.cleaned_data)
        member = {name: data.pop(name) for name in MEMBER_FIELDS}
        return member, data


class ResidenceLinkForm(forms.Form):
    residential_cell = CellChoiceField(label=_("Chi bộ khu dân cư nơi cư trú"), queryset=Organization.objects.none())
    address = forms.CharField(label=_("Địa chỉ cư trú"), max_length=255, required=False)
    introduced_on = forms.DateField(label=_("Ngày giới thiệu"), widget=DateInput, initial=_today)
    exempt_from_activity = forms.BooleanField(label=_("Miễn sinh hoạt nơi cư trú (HD 33-HD/BTCTW)"), required=False)
    exemption_reason = forms.CharField(label=_("Lý do miễn"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Where the member lives may be under another ward: every residential cell is offered.
        self.fields["residential_cell"].queryset = (
            Organization.objects.cells().active().filter(category=Organization.Category.RESIDENTIAL).order_by("path")
        )


class ResidenceMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Ngày họp"), widget=DateInput, initial=_today)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Đảng viên dự"), queryset=ResidenceContact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = contacts
        self.fields["attendees"].label_from_instance = lambda c: c.member.full_name


class ResidenceCommentForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea)
    commented_on = forms.DateField(label=_("Ngày nhận xét"), widget=DateInput, initial=_today)


class ExemptionRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đề nghị"), choices=ExemptionRequest.Kind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Lý do"), max_length=300,
                             help_text=_("Ví dụ: tuổi cao, sức khỏe yếu; đi làm ăn xa"))
    requested_on = forms.DateField(label=_("Ngày làm đơn"), widget=DateInput, initial=_today)
    until = forms.DateField(label=_("Đến ngày (tạm miễn)"), widget=DateInput, required=False)


class ExemptionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Chi bộ quyết định"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Đồng ý")), ("no", _("Không đồng ý"))],
    )
    decided_on = forms.DateField(label=_("Ngày chi bộ quyết định"), widget=DateInput, initial=_today)
    decision_reference = forms.CharField(label=_("Nghị quyết, biên bản số"), max_length=80, required=False)
