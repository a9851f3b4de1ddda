"""Input forms of the register; the rules live in actions.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.models import User
from dangbo.documents.actions import DRAFT_FIELDS, RECEIVED_FIELDS
from dangbo.documents.models import Document, DocumentType, Task
from dangbo.organizations.forms import DateInput
from dangbo.organizations.models import Organization


class NamedErrorsMixin:
    """Error messages that name the field: "Hãy nhập trích yếu." rather than "This field is required"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").lower()
            field.error_messages["required"] = _("Hãy nhập %(label)s.") % {"label": label}
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("%(label)s không đúng dạng ngày/tháng/năm (dd/mm/yyyy).") % {
                    "label": str(field.label)}
            if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
                field.error_messages["required"] = _("Hãy chọn %(label)s.") % {"label": label}
                field.error_messages["invalid_choice"] = _("%(label)s đã chọn không hợp lệ.") % {
                    "label": str(field.label)}


class DraftForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = list(DRAFT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 16}),
            "recipients_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "body": _("Mỗi dòng là một đoạn; dòng viết hoa toàn bộ in đậm như tiêu đề mục."),
            "place": _("Để trống để lấy theo tên đơn vị, ví dụ Vinh Hưng."),
            "superior_name": _("Để trống để lấy theo cấp trên, ví dụ ĐẢNG BỘ TỈNH NGHỆ AN."),
            "header_name": _("Để trống để lấy theo đơn vị, ví dụ ĐẢNG ỦY PHƯỜNG VINH HƯNG."),
            "signing_authority": _("Ví dụ T/M ĐẢNG ỦY, T/M BAN THƯỜNG VỤ, T/M CHI BỘ."),
            "signer_position": _("Ví dụ BÍ THƯ, PHÓ BÍ THƯ; biên bản: CHỦ TRÌ."),
            "second_signer_position": _("Chỉ dùng cho biên bản, ví dụ THƯ KÝ."),
            "recipients_text": _("Mỗi dòng một nơi nhận, ví dụ - Các chi bộ trực thuộc,"),
            "addressees": _("Chỉ dùng cho công văn."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].queryset = DocumentType.objects.filter(active=True)
        for name in ("superior_name", "header_name", "signing_authority", "signer_position", "place"):
            self.fields[name].required = False


class ReceivedForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = list(RECEIVED_FIELDS)
        widgets = {"issued_on": DateInput, "received_on": DateInput, "summary": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"reference": _("Số, ký hiệu của nơi gửi, ví dụ 82-KH/TU")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].queryset = DocumentType.objects.filter(active=True)
        for name in ("reference", "issued_on", "sender", "received_on"):
            self.fields[name].required = True
        if not self.instance.pk:
            self.fields["received_on"].initial = timezone.localdate


class IssueForm(NamedErrorsMixin, forms.Form):
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput, initial=timezone.localdate)


class RevokeForm(NamedErrorsMixin, forms.Form):
    on = forms.DateField(label=_("Ngày thu hồi, thay thế"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do"), max_length=300)
    replaced_by = forms.ModelChoiceField(
        label=_("Văn bản thay thế"), queryset=Document.objects.none(), required=False,
        help_text=_("Để trống nếu chỉ thu hồi, bãi bỏ."),
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Document.objects.filter(organization=document.organization, status=Document.Status.ISSUED,
                                    direction=document.direction)
            .exclude(pk=document.pk).select_related("doc_type", "organization")
        )


class DistributeForm(NamedErrorsMixin, forms.Form):
    all_cells = forms.BooleanField(label=_("Tất cả chi bộ trực thuộc"), required=False)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Tổ chức nhận"), queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mọi người có vai trò trong tổ chức được chọn (kể cả các chi bộ bên dưới) đều nhận được."),
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Người nhận"), queryset=User.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, organizations, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["users"].queryset = users

    def clean(self):
        data = super().clean()
        chosen = list(data.get("organizations") or [])
        if data.get("all_cells"):
            cells = [o for o in self.fields["organizations"].queryset if o.is_cell]
            chosen += [c for c in cells if c not in chosen]
        data["organizations"] = chosen
        if not chosen and not data.get("users"):
            raise forms.ValidationError(_("Hãy chọn ít nhất một tổ chức hoặc một người nhận."))
        return data


class TaskForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["content", "responsible_organization", "responsible_user", "deadline"]
        widgets = {"deadline": DateInput, "content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organizations, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organization"].queryset = organizations
        self.fields["responsible_user"].queryset = users

    def clean(self):
        data = super().clean()
        if not data.get("responsible_organization") and not data.get("responsible_user"):
            self.add_error("responsible_organization", _("Hãy chọn tổ chức chủ trì hoặc người phụ trách."))
        return data


class ProgressForm(NamedErrorsMixin, forms.Form):
    reported_on = forms.DateField(label=_("Ngày báo cáo"), widget=DateInput, initial=timezone.localdate)
    content = forms.CharField(label=_("Nội dung báo cáo, kết quả"), widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0)
    done = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        progress = self.fields["progress"]
        progress.error_messages["min_value"] = _("Tiến độ là số phần trăm từ 0 đến 100.")
        progress.error_messages["max_value"] = _("Tiến độ là số phần trăm từ 0 đến 100.")
        progress.error_messages["invalid"] = _("Tiến độ là số phần trăm từ 0 đến 100.")


class AttachmentForm(NamedErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Số, ký hiệu hoặc trích yếu")}))
    doc_type = forms.ModelChoiceField(label=_("Loại"), queryset=DocumentType.objects.all(), required=False,
                                      empty_label=_("Mọi loại"))
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1930, max_value=2200,
                              widget=forms.NumberInput(attrs={"placeholder": _("Năm"), "style": "max-width: 7em"}))
    organization = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organization.objects.none(), required=False,
                                          empty_label=_("Mọi đơn vị"))
    direction = forms.ChoiceField(label=_("Sổ"), required=False,
                                  choices=[("", _("Đi và đến"))] + Document.Direction.choices)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Mọi trạng thái"))] + Document.Status.choices)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def filter(self, documents):
        """``documents`` narrowed by the valid criteria; invalid ones are ignored."""
        if not self.is_valid():
            return documents
        data = self.cleaned_data
        documents = documents.search(data.get("q"))
        if data.get("doc_type"):
            documents = documents.filter(doc_type=data["doc_type"])
        if data.get("year"):
            documents = documents.filter(issued_on__year=data["year"])
        if data.get("organization"):
            documents = documents.filter(organization=data["organization"])
        if data.get("direction"):
            documents = documents.filter(direction=data["direction"])
        if data.get("status"):
            documents = documents.filter(status=data["status"])
        return documents


class NumbersUsedForm(NamedErrorsMixin, forms.Form):
    doc_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=DocumentType.objects.filter(active=True))
    last_number = forms.IntegerField(label=_("Số cuối cùng đã dùng"), min_value=0, max_value=99999,
                                     help_text=_("Văn bản tiếp theo ban hành trên phần mềm sẽ lấy số kế tiếp."))


class DocumentTypeForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["code", "name", "layout", "tracks_tasks", "position", "active"]
