"""Pages of the yearly review: a committee's overview, a cell's sheet with inline scoring, approval, export."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangbo.evaluations import actions, selectors
from dangbo.evaluations.forms import ScoreForm
from dangbo.evaluations.models import MemberEvaluation
from dangbo.lib.forms import run_action
from dangbo.lib.xlsx import write_workbook
from dangbo.members.models import Member
from dangbo.organizations import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Above this many members on the roll a classification goes to the worker (a ward has at most ~2,000).
BACKGROUND_MEMBERS = 5_000
# One workbook holds a ward or a sector committee; a province is exported committee by committee.
EXPORT_MAX_ROWS = 50_000


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404(_("Năm không hợp lệ.")) from None
    if not actions.FIRST_YEAR <= year <= 2100:
        raise Http404(_("Năm không hợp lệ."))
    return year


def _staff_organization(user, org_id, capability=access.STAFF):
    """An organization in the user's scope where they see other people's records; a plain member gets 404."""
    org = access.access_organization(user, org_id, capability=access.READ)
    if not access.can(user, org, access.STAFF):
        raise Http404("Không tìm thấy.")
    if not access.can(user, org, capability):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    return org


def _default_organization(user):
    for root in access.roots(user):
        if access.can(user, root, access.STAFF):
            return root
    raise Http404("Không tìm thấy.")


def _sheet_url(cell, year):
    return reverse("evaluations:sheet", args=[cell.pk, year])


def _overview_url(org, year):
    return f"{reverse('evaluations:home')}?org={org.pk}&year={year}"


@login_required
@require_GET
def overview(request):
    org_id = request.GET.get("org")
    org = _staff_organization(request.user, org_id) if org_id else _default_organization(request.user)
    year = _year(request.GET.get("year") or selectors.default_year(timezone.localdate()))
    if org.is_cell:
        return redirect(_sheet_url(org, year))
    data = selectors.overview(org, year)
    return render(request, "evaluations/overview.html", {
        "org": org, "year": year, **data, "run": selectors.last_run(org, year), "grades": selectors.GRADES,
        "can_classify": access.can(request.user, org, access.MANAGE),
        "can_export": access.can(request.user, org, access.WRITE),
        "background": data["total"].members > BACKGROUND_MEMBERS,
    })


@login_required
@require_POST
def classify(request):
    """Run the classification of a committee (MANAGE) or a cell (WRITE); a large committee's goes to the worker."""
    org = _staff_organization(request.user, request.POST.get("org"))
    org = _staff_organization(request.user, org.pk, access.WRITE if org.is_cell else access.MANAGE)
    year = _year(request.POST.get("year"))
    target = _sheet_url(org, year) if org.is_cell else _overview_url(org, year)
    if Member.objects.on_roll().filter(organization__path__startswith=org.path).count() > BACKGROUND_MEMBERS:
        try:
            actions.queue_classification(org, year, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã đưa việc xếp loại năm %(year)s vào hàng đợi; kết quả hiện ở đây khi "
                                        "chạy xong.") % {"year": year})
        return redirect(target)
    try:
        counts = actions.classify_year(org, year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(
            "Đã xếp loại năm %(year)s: %(excellent)s xuất sắc, %(good)s tốt, %(completed)s hoàn thành, "
            "%(not_completed)s không hoàn thành, %(unscored)s chưa chấm điểm.") % {"year": year, **counts})
    return redirect(target)


def _cell(request, cell_id, capability=access.STAFF):
    cell = _staff_organization(request.user, cell_id, capability)
    if not cell.is_cell:
        raise Http404("Không tìm thấy.")
    return cell


def _sheet_context(request, cell, year):
    return {"cell": cell, "year": year, **selectors.sheet(cell, year),
            "can_write": access.can(request.user, cell, access.WRITE),
            "can_approve": access.can(request.user, cell, access.MANAGE),
            "can_export": access.can(request.user, cell, access.WRITE)}


@login_required
@require_GET
def sheet(request, cell_id, year):
    cell = _cell(request, cell_id)
    year = _year(year)
    context = _sheet_context(request, cell, year)
    template = "evaluations/_partials/sheet.html" if request.htmx else "evaluations/sheet.html"
    return render(request, template, context)


def _row(request, pk, capability):
    row = access.access_object(request.user, MemberEvaluation.objects.select_related("member"), pk,
                               capability=access.READ)
    _cell(request, row.organization_id, capability)
    return row


def _initial(row):
    return {name: getattr(row, name) for name in actions.SCORE_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def score(request, pk):
    """The inline form of one row: htmx swaps it into the sheet; saved, the whole sheet comes back (the cap
    may move other members' grades)."""
    row = _row(request, pk, access.WRITE)
    form = ScoreForm(request.POST or None, initial=_initial(row), auto_id=f"id_{row.pk}_%s")
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.score_member, row, by=request.user, **form.cleaned_data) is not None:
            if request.htmx:
                response = render(request, "evaluations/_partials/sheet.html",
                                  _sheet_context(request, row.organization, row.year))
                response["HX-Retarget"] = "#sheet"
                response["HX-Reswap"] = "outerHTML"
                return response
            messages.success(request, _("Đã lưu điểm của %(name)s.") % {"name": row.member.full_name})
            return redirect(_sheet_url(row.organization, row.year))
    context = {"row": row, "form": form, "cell": row.organization, "year": row.year}
    template = "evaluations/_partials/row_form.html" if request.htmx else "evaluations/score.html"
    return render(request, template, context)


@login_required
@require_POST
def approve(request, cell_id, year):
    """The committee approves the cell's sheet (MANAGE: the ward's office and secretaries)."""
    cell = _cell(request, cell_id, access.MANAGE)
    year = _year(year)
    try:
        n = actions.approve_year(cell, year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã duyệt xếp loại năm %(year)s của %(n)s đảng viên.") % {"year": year, "n": n})
    return redirect(_sheet_url(cell, year))


@login_required
@require_GET
def export(request):
    """The sheet of a cell or a committee as .xlsx; it holds personal data, so it needs the right to write."""
    org = _staff_organization(request.user, request.GET.get("org"), access.WRITE)
    year = _year(request.GET.get("year"))
    if MemberEvaluation.objects.filter(year=year, organization__path__startswith=org.path).count() > EXPORT_MAX_ROWS:
        messages.error(request, _("Bảng quá lớn để xuất một tệp; hãy xuất theo từng đảng bộ trực thuộc."))
        return redirect(_overview_url(org, year))
    title = _("Xếp loại %(year)s %(code)s") % {"year": year, "code": org.code}
    content = write_workbook(selectors.EXPORT_HEADERS, selectors.export_rows(org, year), title)
    response = HttpResponse(content, content_type=XLSX)
    code = re.sub(r"[^A-Za-z0-9._-]", "-", org.code)
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{year}-{code}.xlsx"'
    return response

