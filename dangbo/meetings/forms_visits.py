"""Input forms for leaders' visits, collected opinions and absence flags; the rules live in visits.py, triggers.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.models import User
from dangbo.meetings.models import AbsenceFlag
from dangbo.meetings.stats import cells_in
from dangbo.meetings.visits import committee_leaders, members_of
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization


def _today():
    return timezone.localdate()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class AssignmentForm(forms.Form):
    leader = UserChoiceField(label=_("Cấp ủy viên"), queryset=User.objects.none())
    cell = forms.ModelChoiceField(label=_("Chi bộ theo dõi"), queryset=Organization.objects.none())
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput, initial=_today)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateInput, required=False,
                              help_text=_("Để trống nếu chưa định ngày kết thúc (ví dụ hết nhiệm kỳ)."))

    def __init__(self, *args, committee, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = committee_leaders(committee, on)
        self.fields["cell"].queryset = Organization.objects.filter(
            pk__in=[c.pk for c in cells_in(committee, year=on.year)]
        ).order_by("path")


class EndAssignmentForm(forms.Form):
    ends_on = forms.DateField(label=_("Kết thúc ngày"), widget=DateInput, initial=_today)


class VisitForm(forms.Form):
    """A leader's attendance at a meeting; a writer of the cell also picks the leader."""

    leader = UserChoiceField(label=_("Cấp ủy viên"), queryset=User.objects.none(), required=False,
                             help_text=_("Để trống: ghi cho chính bạn."))
    attended = forms.TypedChoiceField(
        label=_("Dự sinh hoạt"), choices=[("1", _("Có dự")), ("0", _("Không dự được"))],
        coerce=lambda value: value == "1", widget=forms.RadioSelect, initial="1",
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        if leaders is None:
            del self.fields["leader"]
        else:
            self.fields["leader"].queryset = leaders


class OpinionForm(forms.Form):
    collected_by = UserChoiceField(label=_("Cấp ủy viên thu thập"), queryset=User.objects.none(), required=False,
                                   help_text=_("Để trống: do chính bạn thu thập."))
    raised_by_member = forms.ModelChoiceField(
        label=_("Người nêu (đảng viên của chi bộ)"), queryset=None, required=False,
    )
    raised_by_name = forms.CharField(label=_("Hoặc tên người nêu"), max_length=120, required=False,
                                     help_text=_("Ghi tên khi người nêu không phải đảng viên của chi bộ."))
    content = forms.CharField(label=_("Nội dung ý kiến, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting, collectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by_member"].queryset = members_of(meeting.organization)
        self.fields["raised_by_member"].label_from_instance = lambda m: m.full_name
        if collectors is None:
            del self.fields["collected_by"]
        else:
            self.fields["collected_by"].queryset = collectors

    def clean(self):
        data = super().clean()
        if not data.get("raised_by_member") and not (data.get("raised_by_name") or "").strip():
            self.add_error("raised_by_name", _("Hãy chọn đảng viên hoặc ghi tên người nêu ý kiến."))
        return data


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Chi bộ quyết định"), widget=forms.RadioSelect,
        choices=[(AbsenceFlag.Decision.PROPOSED, _("Đề nghị cấp ủy có thẩm quyền xóa tên")),
                 (AbsenceFlag.Decision.DISMISSED, _("Không đề nghị (có lý do chính đáng)"))],
    )
    decided_on = forms.DateField(label=_("Ngày chi bộ xem xét"), widget=DateInput, initial=_today)
    note = forms.CharField(label=_("Ghi chú, lý do"), max_length=300, required=False)

