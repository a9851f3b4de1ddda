"""Pages of the document register: list and search, drafts, issue, received, PDF, sending, reading, tasks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.documents import actions, selectors
from dangbo.documents.forms import (
    AttachmentForm, DistributeForm, DocumentTypeForm, DraftForm, IssueForm, NumbersUsedForm, ProgressForm, ReceivedForm,
    RevokeForm, SearchForm, TaskForm,
)
from dangbo.documents.models import DocumentType
from dangbo.documents.printing import document_pdf, pdf_filename
from dangbo.lib.forms import run_action
from dangbo.lib.xlsx import write_workbook
from dangbo.organizations import access

PAGE_SIZE = 50


def _posted(request):
    """The submitted data, or None on GET: an empty POST still binds the form, so it shows its errors."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _writable_roots(user):
    """The top organizations the user may draft for, for the register's buttons."""
    if user.is_superuser:
        return access.roots(user)
    orgs = sorted({g.organization for g in access.grants(user) if g.can_write}, key=lambda o: o.path)
    return [o for o in orgs if not any(o.path.startswith(t.path) and o != t for t in orgs)]


def _run(request, action, *args, **kwargs):
    """Run an action that has no form; its ValidationError becomes an error message. None on failure."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


def _form_page(request, form, title, back, **extra):
    return render(request, "documents/form.html", {"form": form, "title": title, "back": back, **extra})


def _search(request):
    form = SearchForm(request.GET or None, organizations=access.visible_organizations(request.user))
    return form, form.filter(selectors.register(request.user))


@login_required
def register(request):
    """The register (sổ văn bản) of every organization the user sees, with search."""
    form, documents = _search(request)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    if _is_htmx(request):
        return render(request, "documents/_partials/register_table.html", {"form": form, "page": page})
    return render(request, "documents/register.html", {
        "form": form, "page": page, "writable": _writable_roots(request.user),
    })


@login_required
def export(request):
    """The register as searched, in .xlsx."""
    _form, documents = _search(request)
    rows = [
        (d.reference, d.issued_on, d.doc_type.name, d.summary, d.organization.name, d.sender,
         d.received_on, d.get_direction_display(), str(d.status_label), d.signer_name)
        for d in documents
    ]
    headers = [_("Số, ký hiệu"), _("Ngày văn bản"), _("Loại"), _("Trích yếu"), _("Đơn vị"), _("Nơi gửi"),
               _("Ngày đến"), _("Sổ"), _("Trạng thái"), _("Người ký")]
    response = HttpResponse(
        write_workbook(headers, rows, _("Sổ văn bản")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="so-van-ban.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.WRITE)
    form = DraftForm(_posted(request), initial={"doc_type": request.GET.get("type")})
    if request.method == "POST" and form.is_valid():
        document = run_action(form, actions.create_draft, organization=org, by=request.user, **form.cleaned_data)
        if document:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect(document)
    return _form_page(request, form, _("Soạn văn bản của %(org)s") % {"org": org.name}, "documents:register")


@login_required
@require_http_methods(["GET", "POST"])
def received_create(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.WRITE)
    form = ReceivedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        document = run_action(form, actions.register_received, organization=org, by=request.user, **form.cleaned_data)
        if document:
            messages.success(request, _("Đã vào sổ văn bản đến %(ref)s.") % {"ref": document.reference})
            return redirect(document)
    return _form_page(request, form, _("Vào sổ văn bản đến của %(org)s") % {"org": org.name}, "documents:register")


@login_required
def detail(request, pk):
    document = selectors.access_document(request.user, pk)
    writer = selectors.can_write(request.user, document)
    recipient = selectors.is_recipient(document, request.user)
    readers = selectors.expected_readers(document) if writer and not document.is_draft else None
    return render(request, "documents/detail.html", {
        "doc": document,
        "writer": writer,
        "recipient": recipient,
        "receipt": document.receipts.filter(user=request.user).first() if recipient else None,
        "readers": readers,
        "readers_read": sum(1 for r in readers if r["read_at"]) if readers else 0,
        "attachments": document.attachments.all(),
        "tasks": selectors.tasks_of(document),
        "replaces": document.replaces.all(),
        "attachment_form": AttachmentForm() if writer else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    if document.is_outgoing:
        form_class, action = DraftForm, actions.update_draft
    else:
        form_class, action = ReceivedForm, actions.update_received
    if document.is_outgoing and not document.is_draft:
        messages.error(request, _("Văn bản đã ban hành, không sửa được nữa."))
        return redirect(document)
    form = form_class(_posted(request), instance=document)
    if request.method == "POST" and form.is_valid():
        if run_action(form, action, document, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã lưu."))
            return redirect(document)
    return _form_page(request, form, _("Sửa %(doc)s") % {"doc": document.summary}, "documents:detail", doc=document)


@login_required
@require_http_methods(["GET", "POST"])
def issue(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    form = IssueForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.issue_document, document, on=form.cleaned_data["issued_on"], by=request.user):
            messages.success(request, _("Đã ban hành %(ref)s.") % {"ref": document.display_reference})
            return redirect(document)
    return _form_page(request, form, _("Ban hành: %(doc)s") % {"doc": document.summary}, "documents:detail",
                      doc=document, submit=_("Ban hành và lấy số"))


@login_required
@require_POST
def delete(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    if not _run(request, actions.delete_draft, document, by=request.user):
        return redirect(document)
    messages.success(request, _("Đã xóa dự thảo."))
    return redirect("documents:register")


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    form = RevokeForm(_posted(request), document=document)
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.revoke_document, document, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi nhận thu hồi, thay thế."))
            return redirect(document)
    return _form_page(request, form, _("Thu hồi, thay thế %(ref)s") % {"ref": document.display_reference},
                      "documents:detail", doc=document)


@login_required
def pdf(request, pk):
    document = selectors.access_document(request.user, pk)
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(document)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def distribute(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    form = DistributeForm(_posted(request), organizations=selectors.organizations_for_distribution(document),
                          users=selectors.users_for_distribution(document))
    if request.method == "POST" and form.is_valid():
        count = run_action(form, actions.distribute, document, organizations=form.cleaned_data["organizations"],
                           users=form.cleaned_data["users"], by=request.user)
        if count is not None:
            messages.success(request, _("Đã gửi thêm %(n)d nơi nhận.") % {"n": count})
            return redirect(document)
    return _form_page(request, form, _("Gửi %(ref)s") % {"ref": document.display_reference}, "documents:detail",
                      doc=document, submit=_("Gửi"))


@login_required
@require_POST
def mark_read(request, pk):
    document = selectors.access_document(request.user, pk)
    receipt = _run(request, actions.mark_read, document, request.user)
    if _is_htmx(request):
        return render(request, "documents/_partials/read_state.html", {"doc": document, "receipt": receipt,
                                                                         "recipient": receipt is not None})
    return redirect(document)


@login_required
@require_POST
def attachment_add(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and run_action(form, actions.add_attachment, document, file=form.cleaned_data["file"],
                                      by=request.user):
        messages.success(request, _("Đã đính kèm tệp."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(document)


@login_required
def attachment_download(request, pk, attachment_id):
    _document, attachment = selectors.access_attachment(request.user, pk, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    document, attachment = selectors.access_attachment(request.user, pk, attachment_id, capability=access.WRITE)
    if _run(request, actions.remove_attachment, attachment, by=request.user):
        messages.success(request, _("Đã xóa tệp %(name)s.") % {"name": attachment.name})
    return redirect(document)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, pk):
    document = selectors.access_document(request.user, pk, capability=access.WRITE)
    form = TaskForm(_posted(request), organizations=selectors.organizations_for_distribution(document),
                    users=selectors.users_for_distribution(document))
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.add_task, document, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect(document)
    title = _("Giao nhiệm vụ theo %(doc)s") % {"doc": document.display_reference or document.summary}
    return _form_page(request, form, title, "documents:detail", doc=document)


@login_required
@require_http_methods(["GET", "POST"])
def task_report(request, task_id):
    task = selectors.access_task(request.user, task_id, report=True)
    form = ProgressForm(_posted(request), initial={"progress": task.progress})
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.report_progress, task, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi báo cáo tiến độ."))
            return redirect(task.document)
    return render(request, "documents/task_report.html", {
        "form": form, "task": task, "doc": task.document, "reports": task.reports.select_related("by"),
    })


@login_required
def task_list(request):
    """Tasks of the documents the user sees; overdue ones first in their group."""
    tasks = selectors.tasks_for(request.user)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/tasks.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def numbers_used(request, org_id):
    """Whoever keeps the register records how far each series went on paper before it was used."""
    org = access.access_organization(request.user, org_id, capability=access.WRITE)
    form = NumbersUsedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.set_numbers_used, org, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi số đã dùng."))
            return redirect("documents:numbers_used", org.pk)
    return render(request, "documents/numbers_used.html", {
        "org": org, "form": form, "term": selectors.numbering_term_today(org),
        "counters": selectors.counters_of(org),
    })


def _require_superuser(user):
    # Document types are shared by every organization: only an administrator changes them.
    if not user.is_superuser:
        raise PermissionDenied(_("Chỉ quản trị hệ thống sửa danh mục loại văn bản."))


@login_required
def type_list(request):
    return render(request, "documents/types.html", {"types": DocumentType.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request, type_id=None):
    _require_superuser(request.user)
    doc_type = get_object_or_404(DocumentType, pk=type_id) if type_id else None
    form = DocumentTypeForm(_posted(request), instance=doc_type)
    if request.method == "POST" and form.is_valid():
        actions.save_document_type(form.save(commit=False), by=request.user)
        messages.success(request, _("Đã lưu loại văn bản."))
        return redirect("documents:types")
    return _form_page(request, form, _("Loại văn bản"), "documents:types")
