"""Pages that move member lists in and out: import with preview, the template, .xlsx and PDF exports."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks import TaskResultStatus

from dangbo.members import exports, importer, selectors, tasks
from dangbo.members.forms import MemberFilterForm
from dangbo.organizations import access

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("Nhập vào"), queryset=None,
                                          help_text=gettext_lazy("Nhập vào đảng bộ thì tệp phải có cột «Chi bộ»."))
    file = forms.FileField(label=gettext_lazy("Tệp danh sách (.xlsx hoặc .csv)"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda o: f"{'— ' * o.depth}{o.name} ({o.code})"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 20 MB; hãy chia thành nhiều tệp."))
        try:
            importer.file_kind(upload.name)
        except importer.FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return upload


def _writable(user):
    return access.visible_organizations(user, access.WRITE).active().order_by("path")


def _job(request, token):
    """The import job of ``token``: only its uploader sees it, and only while they may still write there."""
    job = tasks.ImportJob.load(token)
    if job is None or job.state.get("user_id") != request.user.pk:
        raise Http404("Không tìm thấy.")
    organization = access.access_organization(request.user, job.state.get("organization_id"),
                                              capability=access.WRITE)
    return job, organization


def _run(job, *, save):
    """Small files are handled in the request; big ones go to the background task."""
    if job.state.get("rows", 0) > importer.BACKGROUND_ROWS:
        result = tasks.run_import.enqueue(job.token, save=save)
        job.update(task_id=result.id)
    else:
        tasks.execute(job, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    org_id = request.POST.get("organization") or request.GET.get("org")
    chosen = access.access_organization(request.user, org_id, capability=access.WRITE) if org_id else None
    organizations = _writable(request.user)
    if chosen is None and not organizations.exists():
        raise PermissionDenied(_("Bạn không có quyền nhập đảng viên ở tổ chức nào."))
    form = ImportForm(request.POST or None, request.FILES or None, organizations=organizations,
                      initial={"organization": chosen})
    if request.method == "POST" and form.is_valid():
        tasks.purge_old_jobs()
        job = tasks.ImportJob.create(upload=form.cleaned_data["file"], user=request.user,
                                     organization=form.cleaned_data["organization"])
        _run(job, save=False)
        return redirect("members:import_preview", token=job.token)
    return render(request, "members/io/upload.html", {
        "form": form, "background_rows": importer.BACKGROUND_ROWS,
        "columns": importer.COLUMNS,
    })


@login_required
@require_GET
def import_preview(request, token):
    job, organization = _job(request, token)
    state = job.state
    return render(request, "members/io/preview.html", {
        "job": state, "token": token, "organization": organization,
        "running": state.get("stage") in tasks.RUNNING, "report": state.get("report"),
    })


def _task_failed(state):
    if not state.get("task_id"):
        return False
    try:
        result = tasks.run_import.get_result(state["task_id"])
    except Exception:  # the backend no longer knows it: judge by the state file alone
        return False
    return result.status == TaskResultStatus.FAILED


@login_required
@require_GET
def import_progress(request, token):
    """htmx partial polled every 2 s while a background job runs; sends the browser on when done."""
    job, organization = _job(request, token)
    state = job.state
    if state.get("stage") in tasks.RUNNING and _task_failed(state):
        state = job.update(stage=tasks.FAILED, error=_("Tác vụ nền bị lỗi; không lưu gì."))
    if state.get("stage") not in tasks.RUNNING:
        url = reverse("members:import_preview", args=[token])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    return render(request, "members/io/_partials/progress.html", {"job": state, "token": token})


@login_required
@require_POST
def import_confirm(request, token):
    job, organization = _job(request, token)
    report = job.state.get("report") or {}
    if report.get("counts", {}).get("errors"):
        messages.error(request, _("Tệp còn lỗi; hãy sửa và tải lên lại."))
    elif job.claim(tasks.CHECKED, tasks.QUEUED):
        _run(job, save=True)
    return redirect("members:import_preview", token=token)


@login_required
@require_POST
def import_cancel(request, token):
    job, organization = _job(request, token)
    if job.state.get("stage") in tasks.RUNNING:
        messages.error(request, _("Tệp đang được xử lý; hãy chờ xong rồi hủy."))
        return redirect("members:import_preview", token=token)
    job.delete()
    messages.success(request, _("Đã hủy và xóa tệp đã tải lên."))
    return redirect(f"{reverse('members:import_upload')}?org={organization.pk}")


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(exports.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


def _filename(organization, stem, suffix):
    code = re.sub(r"[^A-Za-z0-9._-]", "-", organization.code)
    return f"{stem}-{code}-{timezone.localdate():%Y%m%d}.{suffix}"


def _export_organization(request):
    """Exports hold personal data: they need the right to write (office, secretaries), not just to read."""
    org_id = request.GET.get("org")
    if org_id:
        return access.access_organization(request.user, org_id, capability=access.WRITE)
    for root in access.roots(request.user):
        if access.can(request.user, root, access.WRITE):
            return root
    raise Http404("Không tìm thấy.")


@login_required
@require_GET
def export_xlsx(request):
    organization = _export_organization(request)
    today = timezone.localdate()
    query = request.GET.copy()
    # Unlike the list's default (members on the roll), an export leaves nobody out unless asked.
    query.setdefault("status", "all")
    form = MemberFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {"status": "all"}
    members = selectors.filter_members(selectors.members_in(request.user, organization), data, today)
    content = exports.members_xlsx(members, _("Đảng viên %(code)s") % {"code": organization.code})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(organization, "dang-vien", "xlsx")}"'
    return response


@login_required
@require_GET
def export_roster(request):
    organization = _export_organization(request)
    members = selectors.members_in(request.user, organization).order_by("organization__path", "search_key", "pk")
    content = exports.roster_pdf(organization, members)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(organization, "danh-sach-dang-vien", "pdf")}"'
    return response
