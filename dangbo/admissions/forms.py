"""Input forms of admissions; rules are checked by the actions, forms only check input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.admissions.actions import CONDITION_FIELDS, PERSON_FIELDS, PROPOSAL_FIELDS
from dangbo.admissions.models import AwarenessCourse, Candidate, DossierKind, Introducer, Step
from dangbo.lib.dates import format_date
from dangbo.meetings.models import Meeting
from dangbo.members.choices import ON_ROLL, Status
from dangbo.members.forms import PlaceFieldsMixin
from dangbo.members.models import Member
from dangbo.organizations.forms import DateInput


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, widget=DateInput, required=required, help_text=help_text)


class CandidateForm(PlaceFieldsMixin, forms.ModelForm):
    """The person's data with the member profile's fields (and its place pickers), plus the proposal."""

    class Meta:
        model = Candidate
        fields = PROPOSAL_FIELDS + PERSON_FIELDS + CONDITION_FIELDS
        widgets = {"date_of_birth": DateInput, "proposed_on": DateInput}


def cell_field(cells, org):
    """The cell that will follow a new candidate, among the cells the user may write in."""
    return forms.ModelChoiceField(label=_("Chi bộ theo dõi"), queryset=cells.order_by("path"),
                                  initial=org.pk if org.is_cell else None)


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên (không dấu cũng được)")}))
    step = forms.ChoiceField(label=_("Bước"), required=False,
                             choices=[("", _("Đang theo dõi")), ("all", _("Tất cả"))] + Step.choices)
    on = forms.DateField(label=_("Tính hạn đến ngày"), required=False, widget=DateInput)


class OnForm(forms.Form):
    on = forms.DateField(label=_("Tính đến ngày"), required=False, widget=DateInput)


class BoardForm(OnForm):
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[
        ("", _("Tất cả hạn còn mở")), ("soon", _("Sắp hết hạn")), ("overdue", _("Quá hạn"))])


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100, required=False)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Tên lớp"), max_length=200)
    organizer = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200,
                                help_text=_("Ví dụ Trung tâm Chính trị, Đảng ủy phường"))
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    starts_on = _date(_("Khai giảng"))
    ends_on = _date(_("Bế giảng"))


class SessionForm(forms.Form):
    held_on = _date(_("Ngày học"))
    topic = forms.CharField(label=_("Chuyên đề"), max_length=300)
    lecturer = forms.CharField(label=_("Báo cáo viên"), max_length=120, required=False)


class _CandidateForm(forms.Form):
    """A form about one candidate: its choices come from the candidate's cell and committee."""

    def __init__(self, *args, candidate, **kwargs):
        self.candidate = candidate
        super().__init__(*args, **kwargs)


def _courses_for(candidate):
    return AwarenessCourse.objects.filter(organization__in=candidate.organization.ancestors()).order_by("-starts_on")


class EnrolForm(_CandidateForm):
    course = forms.ModelChoiceField(label=_("Lớp"), queryset=AwarenessCourse.objects.none())
    enrolled_on = _date(_("Ngày ghi danh"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = _courses_for(self.candidate)
        self.fields["course"].label_from_instance = lambda c: f"{c.title} ({format_date(c.starts_on)})"


class CertificateForm(_CandidateForm):
    number = forms.CharField(label=_("Số giấy chứng nhận"), max_length=60)
    issued_on = _date(_("Ngày cấp"))
    issuer = forms.CharField(label=_("Nơi cấp"), max_length=200, help_text=_("Ghi như trên giấy chứng nhận"))
    course = forms.ModelChoiceField(label=_("Lớp đã học"), queryset=AwarenessCourse.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = _courses_for(self.candidate)


class DossierItemForm(_CandidateForm):
    kind = forms.ChoiceField(label=_("Giấy tờ"), choices=DossierKind.choices)
    dated_on = _date(_("Ngày lập"))
    reference = forms.CharField(label=_("Số, người ký"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


def _members_of_committee(candidate):
    committee = candidate.organization.parent or candidate.organization
    return (Member.objects.filter(organization__path__startswith=committee.path, status__in=ON_ROLL)
            .select_related("organization").order_by("organization__path", "search_key"))


class IntroducerForm(_CandidateForm):
    kind = forms.ChoiceField(label=_("Người giới thiệu"), choices=Introducer.Kind.choices)
    member = forms.ModelChoiceField(label=_("Đảng viên"), queryset=Member.objects.none(), required=False)
    relation = forms.ChoiceField(label=_("Quan hệ"), choices=[("", "—")] + Introducer.Relation.choices, required=False)
    together_since = _date(_("Cùng công tác, học tập, cư trú từ"), required=False)
    union_name = forms.CharField(label=_("Tên tổ chức Đoàn, Công đoàn"), max_length=200, required=False)
    letter_on = _date(_("Ngày thư giới thiệu, nghị quyết giới thiệu"))
    reference = forms.CharField(label=_("Số nghị quyết"), max_length=80, required=False)
    replaces = forms.ModelChoiceField(label=_("Thay cho người giới thiệu"), queryset=Introducer.objects.none(),
                                      required=False,
                                      help_text=_("Khi người giới thiệu chuyển đi, bị kỷ luật hoặc không tiếp tục"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members_of_committee(self.candidate)
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} — {m.organization}"
        self.fields["replaces"].queryset = self.candidate.introducers.filter(ended_on__isnull=True).select_related(
            "member")


class EndIntroducerForm(forms.Form):
    on = _date(_("Thôi từ ngày"))
    reason = forms.CharField(label=_("Lý do"), max_length=200)


class ConsentForm(_CandidateForm):
    reference = forms.CharField(label=_("Văn bản đồng ý số"), max_length=120,
                                help_text=_("Của ban thường vụ cấp ủy trực thuộc Trung ương"))
    on = _date(_("Ngày văn bản"))


class WithdrawForm(_CandidateForm):
    on = _date(_("Ngày dừng"))
    reason = forms.CharField(label=_("Lý do"), max_length=300)


class HelperForm(_CandidateForm):
    member = forms.ModelChoiceField(label=_("Đảng viên giúp đỡ"), queryset=Member.objects.none())
    on = _date(_("Từ ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(
            organization=self.candidate.organization, status=Status.OFFICIAL).order_by("search_key")


class MeetingForm(_CandidateForm):
    meeting = forms.ModelChoiceField(label=_("Buổi sinh hoạt chi bộ"), queryset=Meeting.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            organization=self.candidate.organization, scheduled_at__date__gte=self.candidate.proposed_on,
        ).exclude(state=Meeting.State.CANCELLED).order_by("-scheduled_at")
        self.fields["meeting"].label_from_instance = lambda m: f"{timezone.localtime(m.scheduled_at):%d/%m/%Y %H:%M} — {m}"


class VoteForm(_CandidateForm):
    yes = forms.IntegerField(label=_("Tán thành"), min_value=0, required=False)
    no = forms.IntegerField(label=_("Không tán thành"), min_value=0, required=False)
    abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if data.get("yes") is None and (data.get("no") or data.get("abstain")):
            self.add_error("yes", _("Nhập số tán thành."))
        return data


class DecisionForm(_CandidateForm):
    decided_on = _date(_("Ngày quyết định"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False,
                                  help_text=_("Để trống: bí thư đảng ủy"))


class ReceivedForm(_CandidateForm):
    received_on = _date(_("Ngày chi bộ nhận quyết định"))


class CeremonyForm(_CandidateForm):
    received_on = _date(_("Ngày chi bộ nhận quyết định"), required=False)
    ceremony_on = _date(_("Ngày lễ kết nạp"))
    consent_reference = forms.CharField(label=_("Văn bản đồng ý tổ chức lễ muộn"), max_length=120, required=False,
                                        help_text=_("Chỉ khi quá 30 ngày làm việc kể từ ngày nhận quyết định"))
    consent_on = _date(_("Ngày văn bản đồng ý"), required=False)


class RemovalForm(_CandidateForm):
    proposed_on = _date(_("Ngày chi bộ đề nghị"))
    reason = forms.CharField(label=_("Lý do"), max_length=300)
    reference = forms.CharField(label=_("Nghị quyết, biên bản của chi bộ"), max_length=120, required=False)
