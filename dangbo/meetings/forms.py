"""Input forms of the meeting pages; the rules live in actions.py."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.lib.forms import Select
from dangbo.meetings import selectors
from dangbo.meetings.actions import DEFAULT_DAY, DEFAULT_TIME
from dangbo.meetings.models import AgendaItem, Attendance, Meeting, Vote
from dangbo.organizations.forms import DateInput


class TimeInput(forms.TimeInput):
    """HH:MM text input with a numeric keypad on phones."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "HH:MM", "inputmode": "numeric", **(attrs or {})}, format="%H:%M")


def time_field(label, required=True, **kwargs):
    return forms.TimeField(label=label, required=required, widget=TimeInput(), input_formats=["%H:%M", "%H.%M", "%Hh%M"],
                           error_messages={"invalid": _("Giờ không đúng dạng HH:MM.")}, **kwargs)


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           error_messages={"invalid": _("Ngày không đúng dạng dd/mm/yyyy.")}, **kwargs)


class NamedErrors:
    """"Hãy nhập địa điểm." rather than Django's generic "This field is required"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").lower()
            field.error_messages["required"] = _("Hãy nhập %(label)s.") % {"label": label}
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
                field.error_messages["required"] = _("Hãy chọn %(label)s.") % {"label": label}


class YearPlanForm(NamedErrors, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    from_month = forms.IntegerField(label=_("Từ tháng"), min_value=1, max_value=12, initial=1)
    day = forms.IntegerField(label=_("Ngày sinh hoạt hằng tháng"), min_value=1, max_value=31, initial=DEFAULT_DAY,
                             help_text=_("Tháng không có ngày này thì lấy ngày cuối tháng."))
    time = time_field(_("Giờ"), initial=DEFAULT_TIME)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    combine_thematic = forms.BooleanField(
        label=_("Sinh hoạt chuyên đề cùng buổi thường kỳ cuối quý (thời lượng tối thiểu dài hơn, theo quy định)"), required=False, initial=True,
        help_text=_("Bỏ chọn để xếp buổi chuyên đề riêng, một tuần sau buổi thường kỳ cuối quý."))


class MeetingForm(NamedErrors, forms.Form):
    """Add a meeting (with kind) or change one's time, place and subject (without)."""

    kind = forms.ChoiceField(label=_("Loại"), choices=Meeting.Kind.choices)
    day = date_field(_("Ngày"))
    at = time_field(_("Giờ"))
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    title = forms.CharField(label=_("Tên buổi sinh hoạt"), max_length=200, required=False)
    theme = forms.CharField(label=_("Chủ đề"), max_length=300, required=False,
                            help_text=_("Bắt buộc với sinh hoạt chuyên đề."))

    def __init__(self, *args, with_kind=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_kind:
            del self.fields["kind"]

    @classmethod
    def initial_for(cls, meeting):
        local = timezone.localtime(meeting.scheduled_at)
        return {"day": local.date(), "at": local.time().replace(second=0, microsecond=0), "place": meeting.place,
                "title": meeting.title, "theme": meeting.theme, "kind": meeting.kind}

    def scheduled_at(self):
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"]))


class CancelForm(NamedErrors, forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300)


class DraftersForm(NamedErrors, forms.Form):
    content_drafter = forms.ModelChoiceField(label=_("Người dự thảo nội dung"), queryset=None)
    resolution_drafter = forms.ModelChoiceField(label=_("Người dự thảo nghị quyết"), queryset=None)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = selectors.cell_members(meeting.organization)
        self.fields["content_drafter"].queryset = members
        self.fields["resolution_drafter"].queryset = members


class AgreementForm(NamedErrors, forms.Form):
    on = date_field(_("Ngày chi ủy thống nhất nội dung"))


class MaterialForm(NamedErrors, forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=200)
    file = forms.FileField(label=_("Tệp"), required=False)
    text = forms.CharField(label=_("Hoặc nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class MarkForm(forms.Form):
    """One attendance row as the check-in list posts it."""

    status = forms.ChoiceField(choices=[c for c in Attendance.Status.choices if c[0] != Attendance.Status.UNKNOWN])
    reason = forms.CharField(max_length=200, required=False)
    arrived_at = time_field(_("Đến muộn lúc"), required=False)
    left_at = time_field(_("Về sớm lúc"), required=False)
    approved_absence = forms.BooleanField(required=False)
    suspended = forms.BooleanField(required=False)
    # Sent by the detailed form only; the one-tap buttons leave the flags as they are.
    flags = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, min_value=0)


class StartForm(forms.Form):
    at = time_field(_("Bắt đầu lúc"), required=False, help_text=_("Để trống: bây giờ."))
    chair = forms.ModelChoiceField(label=_("Chủ trì"), queryset=None, required=False, widget=Select)
    minute_taker = forms.ModelChoiceField(label=_("Thư ký"), queryset=None, required=False, widget=Select)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        members = selectors.cell_members(meeting.organization)
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members
        # Both lists are the cell's roll: read it once, and only if the form is shown
        # (the attendance tab builds this form for every visit, and shows it before the start).
        options = []

        def member_choices():
            if not options:
                options.extend([("", self.fields["chair"].empty_label), *((m.pk, str(m)) for m in members)])
            return options

        self.fields["chair"].choices = member_choices
        self.fields["minute_taker"].choices = member_choices

    def moment(self):
        """The time typed, on the meeting's day; None for now."""
        at = self.cleaned_data.get("at")
        if at is None:
            return None
        return timezone.make_aware(datetime.combine(selectors.meeting_date(self.meeting), at))


class EndForm(forms.Form):
    at = time_field(_("Kết thúc lúc"), required=False, help_text=_("Để trống: bây giờ."))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def moment(self):
        at = self.cleaned_data.get("at")
        if at is None:
            return None
        return timezone.make_aware(datetime.combine(selectors.meeting_date(self.meeting), at))


class AgendaItemForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.DISCUSSION)
    title = forms.CharField(label=_("Nội dung"), max_length=300)
    presenter = forms.CharField(label=_("Người trình bày"), max_length=120, required=False)


class SpeechForm(NamedErrors, forms.Form):
    member = forms.ModelChoiceField(label=_("Đảng viên phát biểu"), queryset=None, required=False)
    speaker_name = forms.CharField(label=_("Hoặc tên người phát biểu (đại biểu)"), max_length=120, required=False)
    opinion = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("Kết luận của chủ trì"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)


class VoteForm(NamedErrors, forms.Form):
    question = forms.CharField(label=_("Nội dung biểu quyết"), max_length=300)
    rule = forms.ChoiceField(label=_("Cách tính"), choices=Vote.Rule.choices, initial=Vote.Rule.MAJORITY)
    yes = forms.IntegerField(label=_("Tán thành"), min_value=0)
    no = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0)


class MinutesForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("Chủ trì"), queryset=None, required=False)
    minute_taker = forms.ModelChoiceField(label=_("Thư ký"), queryset=None, required=False)
    guests = forms.CharField(label=_("Đại biểu dự"), max_length=300, required=False)
    opening = forms.CharField(label=_("Khai mạc, tuyên bố lý do, thông qua chương trình"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    other_notes = forms.CharField(label=_("Nội dung khác"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label=_("Bế mạc"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members


class LockForm(forms.Form):
    read_back = forms.BooleanField(label=_("Biên bản đã được đọc lại trước chi bộ"), required=True,
                                   error_messages={"required": _("Biên bản phải được đọc lại trước chi bộ trước khi khóa.")})


class CorrectionForm(NamedErrors, forms.Form):
    text = forms.CharField(label=_("Nội dung đính chính"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Lý do"), max_length=300)
