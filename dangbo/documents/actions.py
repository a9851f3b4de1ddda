"""Changes to the register: draft, issue (taking the number), receive, revoke, send, read, tasks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dangbo.accounts.models import RoleAssignment
from dangbo.documents import selectors
from dangbo.documents.models import (
    CONGRESS_SERIES, Attachment, Delivery, Document, DocumentCounter, ReadReceipt, Task, TaskReport,
    format_number, issuer_header_name, numbering_term, place_name, superior_header_name,
)

# Fields a draft's form may set; everything else (number, status, ...) belongs to the actions.
DRAFT_FIELDS = (
    "doc_type", "is_congress", "summary", "body", "addressees", "place", "superior_name", "header_name",
    "signing_authority", "signer_position", "signer_name", "second_signer_position", "second_signer_name",
    "recipients_text", "confidentiality",
)
RECEIVED_FIELDS = (
    "doc_type", "reference", "issued_on", "sender", "received_on", "summary", "signer_name", "confidentiality",
)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".jpg", ".jpeg", ".png", ".zip"}


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


def _d(day):
    return day.strftime("%d/%m/%Y")


def secretary_name(organization):
    """The name of the organization's secretary (role in force), the default signer."""
    grant = (
        RoleAssignment.objects.in_force()
        .filter(organization=organization, role__in=["secretary", "cell_secretary"])
        .select_related("user").order_by("role", "pk").first()
    )
    return grant.user.full_name if grant else ""


def fill_defaults(document):
    """Fill the blank presentation fields of a draft from its organization (HD 36-HD/VPTW header, signature)."""
    org = document.organization
    minutes = document.doc_type.layout == document.doc_type.Layout.MINUTES
    # The text printed on a Party document is Vietnamese whatever the interface language: not translated.
    defaults = {
        "place": place_name(org),
        "superior_name": superior_header_name(org),
        "header_name": issuer_header_name(org),
        "signing_authority": "" if minutes else ("T/M CHI BỘ" if org.is_cell else "T/M ĐẢNG ỦY"),
        "signer_position": "CHỦ TRÌ" if minutes else "BÍ THƯ",
        "signer_name": "" if minutes else secretary_name(org),
        "second_signer_position": "THƯ KÝ" if minutes else "",
        "recipients_text": "" if minutes else ("- Lưu Chi bộ." if org.is_cell else "- Lưu Văn phòng Đảng ủy."),
    }
    for field, value in defaults.items():
        if not getattr(document, field):
            setattr(document, field, value)
    return document


def _check_type(doc_type):
    if doc_type is not None and not doc_type.active:
        raise ValidationError({"doc_type": _("Loại văn bản %(name)s không còn dùng.") % {"name": doc_type.name}})


@transaction.atomic
def create_draft(*, organization, doc_type, summary, by, **fields):
    """A new outgoing document, without a number until it is issued."""
    if organization.active_to is not None:
        raise ValidationError(_("%(org)s đã giải thể, không ban hành văn bản mới.") % {"org": organization.name})
    _check_type(doc_type)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    document = Document(organization=organization, doc_type=doc_type, summary=summary, created_by=by,
                        direction=Document.Direction.OUTGOING, status=Document.Status.DRAFT, **fields)
    fill_defaults(document)
    document.full_clean()
    _stamp(document, by).save()
    return document


@transaction.atomic
def update_draft(document, *, by, **fields):
    """Edit a draft; an issued document is fixed (revoke it and issue another to change it)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise ValidationError(_("Văn bản đã ban hành, không sửa được nữa; hãy thu hồi hoặc ban hành văn bản thay thế."))
    _check_type(fields.get("doc_type"))
    for field, value in fields.items():
        if field not in DRAFT_FIELDS:
            raise TypeError(f"unexpected field {field}")
        setattr(document, field, value)
    fill_defaults(document)
    document.full_clean()
    _stamp(document, by).save()
    return document


def _take_number(organization, term, series, on, by):
    """Take the next number of a series, its counter row locked; the caller holds the transaction."""
    counter = _locked_counter(organization, term, series)
    if counter.last_issued_on and on < counter.last_issued_on:
        # Numbers follow dates: number n+1 dated before number n would break the register's order.
        raise ValidationError({"issued_on": _(
            "Số %(n)s của dãy này đã ban hành ngày %(d)s; văn bản mới không thể ghi ngày sớm hơn."
        ) % {"n": format_number(counter.last_number), "d": _d(counter.last_issued_on)}})
    counter.last_number += 1
    counter.last_issued_on = on
    _stamp(counter, by).save(update_fields=["last_number", "last_issued_on"])
    return counter.last_number


def _locked_counter(organization, term, series):
    """The series' counter row, created on first use, locked until the transaction ends.

    Created with INSERT ... ON CONFLICT DO NOTHING, so two first issuers do not both
    insert: on PostgreSQL the second waits for the first's commit, on SQLite the
    IMMEDIATE transaction already queued them.
    """
    lookup = {"organization": organization, "term": term, "series": series}
    counter = DocumentCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        DocumentCounter.objects.bulk_create([DocumentCounter(**lookup)], ignore_conflicts=True)
        counter = DocumentCounter.objects.select_for_update().get(**lookup)
    return counter


@transaction.atomic
def set_numbers_used(organization, *, doc_type, last_number, by, on=None):
    """Record that a series already used numbers up to ``last_number`` this term.

    For an organization that starts using the register mid-term: its paper
    documents took 01..n, so the next one issued here must be n+1 (HD 36-HD/VPTW,
    numbers run on within the term). A series never goes back: that would give a
    number twice.
    """
    on = on or timezone.localdate()
    term = numbering_term(organization, on)
    if term is None:
        raise ValidationError(_("%(org)s chưa có nhiệm kỳ; hãy nhập nhiệm kỳ ở trang tổ chức.") % {
            "org": organization.name})
    counter = _locked_counter(organization, term, doc_type.code)
    if last_number < counter.last_number:
        raise ValidationError({"last_number": _(
            "Dãy %(code)s của nhiệm kỳ %(term)s đã cấp đến số %(n)s; không thể lùi lại."
        ) % {"code": doc_type.code, "term": term.name, "n": format_number(counter.last_number)}})
    counter.last_number = last_number
    _stamp(counter, by).save(update_fields=["last_number"])
    return counter


def _ready_to_issue(document):
    errors = {}
    if not document.summary.strip():
        errors["summary"] = _("Hãy nhập trích yếu trước khi ban hành.")
    if not document.header_name.strip():
        errors["header_name"] = _("Hãy nhập tên cơ quan ban hành.")
    if not document.signer_name.strip():
        errors["signer_name"] = _("Hãy nhập họ tên người ký trước khi ban hành.")
    if not document.is_congress and not document.organization.symbol:
        errors["organization"] = _(
            "%(org)s chưa có ký hiệu văn bản (ví dụ ĐU, CB); văn phòng nhập ở mục Đổi tên của tổ chức."
        ) % {"org": document.organization.name}
    if errors:
        raise ValidationError(errors)


def issue_document(document, *, on, by):
    """Issue a draft: it takes the next number of its series and becomes fixed.

    HD 36-HD/VPTW: each type is numbered from 01 continuously within the term
    (congress documents in one series of their own); the number is taken inside
    this transaction with the counter row locked, so concurrent issuers queue
    and a failed issue gives its number back by rolling back.
    """
    if on > timezone.localdate():
        raise ValidationError({"issued_on": _("Ngày ban hành %(d)s chưa đến.") % {"d": _d(on)}})
    with transaction.atomic():
        locked = (
            # of=self: a join would lock the organization and type rows too, queuing every ward.
            Document.objects.select_for_update(of=("self",))
            .select_related("organization", "doc_type").get(pk=document.pk)
        )
        if not locked.is_outgoing:
            raise ValidationError(_("Văn bản đến giữ số của nơi gửi, không lấy số của đơn vị."))
        if not locked.is_draft:
            raise ValidationError(_("Văn bản này đã ban hành (%(ref)s).") % {"ref": locked.display_reference})
        org = locked.organization
        if org.active_to is not None and on > org.active_to:
            raise ValidationError({"issued_on": _("%(org)s đã giải thể từ %(d)s.") % {
                "org": org.name, "d": _d(org.active_to)}})
        _ready_to_issue(locked)
        term = numbering_term(org, on, congress=locked.is_congress)
        if term is None:
            if locked.is_congress:
                message = _("%(org)s chưa có nhiệm kỳ nào có ngày bế mạc đại hội từ %(d)s trở đi; "
                            "hãy nhập nhiệm kỳ và ngày đại hội ở trang tổ chức.")
            else:
                message = _("%(org)s chưa có nhiệm kỳ nào bắt đầu trước ngày %(d)s; hãy nhập nhiệm kỳ "
                            "(kèm ngày bế mạc đại hội) ở trang tổ chức trước khi ban hành.")
            raise ValidationError({"issued_on": message % {"org": org.name, "d": _d(on)}})
        series = CONGRESS_SERIES if locked.is_congress else locked.doc_type.code
        number = _take_number(org, term, series, on, by)
        locked.number, locked.term, locked.series = number, term, series
        locked.reference = locked.numbered_reference(number)
        locked.issued_on = on
        locked.status = Document.Status.ISSUED
        locked.issued_by, locked.issued_at = by, timezone.now()
        _stamp(locked, by).save()
        for task in locked.tasks.select_related("responsible_organization", "responsible_user"):
            _deliver_task(task, by)
    document.refresh_from_db()
    return document


@transaction.atomic
def register_received(*, organization, doc_type, reference, issued_on, sender, received_on, summary, by, **fields):
    """Enter a document received from elsewhere; it keeps the sender's number and symbol."""
    _check_type(doc_type)
    errors = {}
    if received_on and issued_on and received_on < issued_on:
        errors["received_on"] = _("Ngày đến %(r)s trước ngày văn bản %(i)s.") % {
            "r": _d(received_on), "i": _d(issued_on)}
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = _("Ngày đến %(d)s chưa đến.") % {"d": _d(received_on)}
    if errors:
        raise ValidationError(errors)
    document = Document(
        organization=organization, direction=Document.Direction.INCOMING, status=Document.Status.ISSUED,
        doc_type=doc_type, reference=reference.strip(), issued_on=issued_on, sender=sender, received_on=received_on,
        summary=summary, created_by=by, **fields,
    )
    document.full_clean()
    _stamp(document, by).save()
    return document


@transaction.atomic
def update_received(document, *, by, **fields):
    """Correct the register entry of a received document."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_outgoing:
        raise ValidationError(_("Đây là văn bản đi."))
    for field, value in fields.items():
        if field not in RECEIVED_FIELDS:
            raise TypeError(f"unexpected field {field}")
        setattr(document, field, value.strip() if field == "reference" else value)
    if document.received_on and document.issued_on and document.received_on < document.issued_on:
        raise ValidationError({"received_on": _("Ngày đến trước ngày văn bản.")})
    document.full_clean()
    _stamp(document, by).save()
    return document


@transaction.atomic
def delete_draft(document, *, by):
    """A draft can be thrown away; an issued document stays in the register for good."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise ValidationError(_("Chỉ xóa được dự thảo."))
    _stamp(document, by)
    files = [a.file for a in document.attachments.all()]
    document.delete()
    for file in files:
        _delete_after_commit(file)
    return True


@transaction.atomic
def revoke_document(document, *, on, reason, by, replaced_by=None):
    """Revoke a document in force, or mark it replaced by a newer one of the same organization."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != Document.Status.ISSUED:
        raise ValidationError(_("Chỉ thu hồi được văn bản đang có hiệu lực."))
    if on < document.issued_on:
        raise ValidationError({"on": _("Ngày thu hồi trước ngày văn bản (%(d)s).") % {"d": _d(document.issued_on)}})
    if on > timezone.localdate():
        raise ValidationError({"on": _("Ngày thu hồi %(d)s chưa đến.") % {"d": _d(on)}})
    if replaced_by is not None:
        if replaced_by.pk == document.pk:
            raise ValidationError({"replaced_by": _("Văn bản không thể thay thế chính nó.")})
        if replaced_by.organization_id != document.organization_id or replaced_by.status != Document.Status.ISSUED:
            raise ValidationError({"replaced_by": _("Văn bản thay thế phải là văn bản có hiệu lực của cùng đơn vị.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do thu hồi.")})
    document.status = Document.Status.REPLACED if replaced_by else Document.Status.REVOKED
    document.replaced_by = replaced_by
    document.revoked_on, document.revoke_reason = on, reason
    _stamp(document, by).save()
    return document


def _users_within(organization, users):
    """The users among ``users`` holding no role in ``organization``'s subtree."""
    inside = set(
        RoleAssignment.objects.in_force()
        .filter(organization__path__startswith=organization.path, user__in=users)
        .values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in inside]


@transaction.atomic
def distribute(document, *, organizations=(), users=(), by):
    """Send a document in force to organizations of its issuer's subtree and to users in it.

    Returns how many new recipients it added; sending twice to the same one adds nothing.
    """
    if document.status != Document.Status.ISSUED:
        raise ValidationError(_("Chỉ gửi được văn bản đã ban hành và còn hiệu lực."))
    organizations, users = list(organizations), list(users)
    if not organizations and not users:
        raise ValidationError({"organizations": _("Hãy chọn ít nhất một tổ chức hoặc một người nhận.")})
    issuer = document.organization
    outside = [o.name for o in organizations if not o.is_within(issuer)]
    if outside:
        raise ValidationError({"organizations": _("%(names)s không trực thuộc %(org)s.") % {
            "names": ", ".join(outside), "org": issuer.name}})
    strangers = _users_within(issuer, users)
    if strangers:
        raise ValidationError({"users": _("%(names)s không có vai trò nào trong %(org)s.") % {
            "names": ", ".join(str(u) for u in strangers), "org": issuer.name}})
    now = timezone.now()
    have_orgs = set(document.deliveries.filter(organization__isnull=False).values_list("organization_id", flat=True))
    have_users = set(document.deliveries.filter(user__isnull=False).values_list("user_id", flat=True))
    new = [Delivery(document=document, organization=o, sent_at=now, sent_by=by)
           for o in organizations if o.pk not in have_orgs]
    new += [Delivery(document=document, user=u, sent_at=now, sent_by=by) for u in users if u.pk not in have_users]
    # ignore_conflicts: a concurrent double submit must not fail on the unique constraints.
    bulk_create_with_history(new, Delivery, ignore_conflicts=True, default_user=by)
    return len(new)


def mark_read(document, user):
    """Record that ``user`` read a document sent to them; a second click changes nothing."""
    if document.status == Document.Status.DRAFT:
        raise ValidationError(_("Dự thảo chưa gửi đến ai."))
    if not selectors.is_recipient(document, user):
        raise ValidationError(_("Văn bản này không gửi đến bạn."))
    receipt, _created = ReadReceipt.objects.get_or_create(document=document, user=user)
    return receipt


def _deliver_task(task, by):
    """The side responsible for a task receives its document, so it can read it and report."""
    lookup = {"organization": task.responsible_organization} if task.responsible_organization_id else {
        "user": task.responsible_user}
    if not Delivery.objects.filter(document=task.document, **lookup).exists():
        bulk_create_with_history([Delivery(document=task.document, sent_by=by, **lookup)], Delivery,
                                 ignore_conflicts=True, default_user=by)


@transaction.atomic
def add_task(document, *, content, deadline, by, responsible_organization=None, responsible_user=None):
    """Assign a task of a resolution or plan to an organization under the issuer, or to a person in it."""
    if not document.doc_type.tracks_tasks:
        raise ValidationError(_("%(type)s không giao nhiệm vụ; chỉ nghị quyết, kế hoạch, chương trình, ... mới có.")
                              % {"type": document.doc_type.name})
    if document.status in (Document.Status.REVOKED, Document.Status.REPLACED):
        raise ValidationError(_("Văn bản đã hết hiệu lực."))
    if responsible_organization is None and responsible_user is None:
        raise ValidationError({"responsible_organization": _("Hãy chọn tổ chức chủ trì hoặc người phụ trách.")})
    issuer = document.organization
    if responsible_organization is not None and not responsible_organization.is_within(issuer):
        raise ValidationError({"responsible_organization": _("%(name)s không trực thuộc %(org)s.") % {
            "name": responsible_organization.name, "org": issuer.name}})
    if responsible_user is not None and _users_within(issuer, [responsible_user]):
        raise ValidationError({"responsible_user": _("%(name)s không có vai trò nào trong %(org)s.") % {
            "name": responsible_user, "org": issuer.name}})
    if document.issued_on and deadline < document.issued_on:
        raise ValidationError({"deadline": _("Thời hạn trước ngày văn bản (%(d)s).") % {"d": _d(document.issued_on)}})
    task = Task(document=document, content=content, deadline=deadline, created_by=by,
                responsible_organization=responsible_organization, responsible_user=responsible_user)
    task.full_clean()
    _stamp(task, by).save()
    if document.status == Document.Status.ISSUED:
        _deliver_task(task, by)
    return task


@transaction.atomic
def report_progress(task, *, reported_on, content, progress, by, done=False):
    """The responsible side reports progress; ``done`` closes the task with this report as its result."""
    task = Task.objects.select_for_update(of=("self",)).select_related("document").get(pk=task.pk)
    if task.document.status != Document.Status.ISSUED:
        raise ValidationError(_("Văn bản chưa ban hành hoặc đã hết hiệu lực."))
    if task.state == Task.State.DONE:
        raise ValidationError(_("Nhiệm vụ đã hoàn thành ngày %(d)s.") % {"d": _d(task.completed_on)})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Ngày báo cáo %(d)s chưa đến.") % {"d": _d(reported_on)}})
    if task.document.issued_on and reported_on < task.document.issued_on:
        raise ValidationError({"reported_on": _("Ngày báo cáo trước ngày văn bản.")})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Tiến độ là số phần trăm từ 0 đến 100.")})
    if not content.strip():
        raise ValidationError({"content": _("Hãy ghi nội dung báo cáo.")})
    progress = 100 if done else progress
    TaskReport.objects.create(task=task, reported_on=reported_on, content=content, progress=progress, done=done, by=by)
    task.progress = progress
    if done:
        task.state, task.completed_on, task.result = Task.State.DONE, reported_on, content
    _stamp(task, by).save()
    return task


@transaction.atomic
def add_attachment(document, *, file, by):
    """Attach a file (at most 20 MB, office documents, PDF and pictures) to a document."""
    name = file.name.rsplit("/", 1)[-1]
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError({"file": _("Tệp %(name)s không thuộc loại được nhận (PDF, Word, Excel, ảnh, zip).")
                               % {"name": name}})
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Tệp %(name)s lớn hơn 20 MB.") % {"name": name}})
    if document.status in (Document.Status.REVOKED, Document.Status.REPLACED):
        raise ValidationError(_("Văn bản đã hết hiệu lực."))
    attachment = Attachment(document=document, name=name, size=file.size, uploaded_by=by)
    attachment.file.save(name, file, save=False)
    try:
        _stamp(attachment, by).save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, by):
    if not attachment.document.is_draft:
        raise ValidationError(_("Văn bản đã ban hành: tệp đính kèm được giữ lại."))
    _stamp(attachment, by)
    attachment.delete()
    _delete_after_commit(attachment.file)
    return True


def _delete_after_commit(file):
    """Remove a stored file once the row is gone for good, so a rollback never loses it."""
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


def save_document_type(doc_type, *, by):
    """Add or change a document type (an administrator's configuration, DOMAIN §11 CFG)."""
    doc_type.full_clean()
    _stamp(doc_type, by).save()
    return doc_type
