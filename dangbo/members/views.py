"""Registry pages: member lists and search, profiles with tabs, corrections, statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.lib import history
from dangbo.lib.display import label_choices
from dangbo.lib.forms import run_action
from dangbo.lib.pagination import BoundedPaginator
from dangbo.members import actions, selectors
from dangbo.members.forms import (
    CorrectionForm, DecideCorrectionForm, MemberFilterForm, MemberForm, StatusEventForm, place_name, ward_choices,
)
from dangbo.members.models import CorrectionRequest, Member
from dangbo.organizations import access

PAGE_SIZE = 50


def _organization(request, capability=access.STAFF):
    """The organization named by ?org=, else the top of the user's scope."""
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        return access.access_organization(request.user, org_id, capability=capability)
    for root in access.roots(request.user):
        if access.can(request.user, root, capability):
            return root
    raise Http404("Không tìm thấy.")


def _attached(organization, on):
    """Members temporarily attached to a cell (listed there, not counted)."""
    if not organization.is_cell:
        return []
    try:
        from dangbo.members.movements import temporarily_attached
    except ImportError:
        return []
    return list(temporarily_attached(organization, on))


@login_required
def member_list(request):
    if not any(access.can(request.user, r, access.STAFF) for r in access.roots(request.user)):
        member = getattr(request.user, "member", None)
        if member is not None:
            return redirect(member)
        raise Http404("Không tìm thấy.")
    org = _organization(request)
    today = timezone.localdate()
    form = MemberFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    members = selectors.members_in(request.user, org)
    queryset = selectors.filter_members(members, data, today)
    # A search can match most of a nation: it pages through its first 1,000 matches. A list
    # without one is the organization's roll, counted and ordered in full.
    if data.get("q"):
        paginator = BoundedPaginator(queryset, PAGE_SIZE, rows=members)
    else:
        paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = label_choices(page.object_list, "sex", "status")
    template = "members/_partials/member_rows.html" if request.htmx else "members/list.html"
    can_write = access.can(request.user, org, access.WRITE)
    return render(request, template, {
        "io_links": _io_links(org, request) if can_write else [],
        "org": org, "form": form, "page": page, "today": today,
        "attached": _attached(org, today),
        "can_write": can_write,
        "query": _query_without_page(request, org),
    })


def _io_links(org, request):
    """Import, Excel and roster PDF of the list as filtered (exports carry the same filters)."""
    query = _query_without_page(request, org)
    return [
        {"label": _("Nhập từ Excel"), "url": f"{reverse('members:import_upload')}?org={org.pk}"},
        {"label": _("Xuất Excel"), "url": f"{reverse('members:export_xlsx')}?{query}"},
        {"label": _("Danh sách đảng viên (PDF)"), "url": f"{reverse('members:export_roster')}?org={org.pk}"},
    ]


def _query_without_page(request, org):
    query = request.GET.copy()
    query.pop("page", None)
    query.setdefault("org", str(org.pk))
    return query.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    org = _organization(request, access.WRITE)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status = "official" if form.cleaned_data.get("official_date") else "probationary"
        member = run_action(form, actions.create_member, organization=org, by=request.user, status=status,
                            **form.cleaned_data)
        if member:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect(member)
    return render(request, "members/form.html", {
        "form": form, "org": org, "title": _("Thêm đảng viên vào %(org)s") % {"org": org.name},
    })


@login_required
def member_me(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404("Tài khoản chưa gắn với hồ sơ đảng viên.")
    return redirect(member)


def _detail(request, member, tab, extra=None):
    today = timezone.localdate()
    context = {
        "member": member, "tab": tab, "today": today,
        "can_write": access.can(request.user, member.organization, access.WRITE),
        "own": member.user_id == request.user.pk,
        "party_age": member.party_age_years(today),
        "birthplace": member.birthplace_text or place_name(member.birthplace_province, member.birthplace_ward),
        "hometown": member.hometown_text or place_name(member.hometown_province, member.hometown_ward),
    }
    context.update(extra or {})
    return render(request, "members/detail.html", context)


@login_required
def member_detail(request, member_id):
    member = access.access_member(request.user, member_id)
    return _detail(request, member, "profile")


@login_required
def member_tab(request, member_id, tab):
    member = access.access_member(request.user, member_id)
    extra = {}
    if tab == "status":
        extra["events"] = member.status_events.select_related("recorded_by").order_by("-effective_on", "-pk")
        extra["status_form"] = StatusEventForm()
    elif tab == "history":
        extra["rows"] = history.history_rows(Member, member.history.all())
    elif tab == "corrections":
        extra["corrections"] = member.correction_requests.select_related("requested_by", "decided_by")
        extra["correction_form"] = CorrectionForm()
    elif tab not in ("transfers", "residence"):
        raise Http404()
    return _detail(request, member, tab, extra)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, member_id):
    member = access.access_member(request.user, member_id, capability=access.WRITE)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        member.refresh_from_db()
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if run_action(form, actions.update_profile, member, by=request.user, **changed):
            messages.success(request, _("Đã lưu hồ sơ."))
            return redirect(member)
    return render(request, "members/form.html", {
        "form": form, "org": member.organization, "member": member,
        "title": _("Sửa hồ sơ %(name)s") % {"name": member.full_name},
    })


@login_required
@require_POST
def member_status(request, member_id):
    member = access.access_member(request.user, member_id, capability=access.WRITE)
    form = StatusEventForm(request.POST)
    if form.is_valid() and run_action(form, actions.record_status, member, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi biến động tình trạng."))
        return redirect("members:tab", member.pk, "status")
    events = member.status_events.select_related("recorded_by").order_by("-effective_on", "-pk")
    return _detail(request, member, "status", {"events": events, "status_form": form})


@login_required
@require_POST
def correction_request(request, member_id):
    member = access.access_member(request.user, member_id)
    if member.user_id != request.user.pk and not access.can(request.user, member.organization, access.WRITE):
        raise PermissionDenied()
    form = CorrectionForm(request.POST)
    if form.is_valid() and run_action(form, actions.request_correction, member, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã gửi đề nghị sửa thông tin; văn phòng sẽ xem xét."))
        return redirect("members:tab", member.pk, "corrections")
    return _detail(request, member, "corrections", {
        "corrections": member.correction_requests.all(), "correction_form": form,
    })


@login_required
def correction_list(request):
    org = _organization(request, access.MANAGE)
    pending = (
        CorrectionRequest.objects.filter(member__organization__path__startswith=org.path)
        .filter(access.scope_q(request.user, "member__organization", access.MANAGE))
        .select_related("member", "member__organization", "requested_by")
        .order_by("state", "-requested_at")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/corrections.html", {"org": org, "page": page, "form": DecideCorrectionForm()})


@login_required
@require_POST
def correction_decide(request, correction_id):
    correction = access.access_object(
        request.user, CorrectionRequest.objects.all(), correction_id,
        field="member__organization", capability=access.MANAGE,
    )
    form = DecideCorrectionForm(request.POST)
    if form.is_valid():
        if run_action(form, actions.decide_correction, correction, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã xử lý đề nghị sửa thông tin của %(name)s.") % {"name": correction.member})
        else:
            messages.error(request, " ".join(form.non_field_errors()))
    return redirect(f"/members/corrections/?org={correction.member.organization.pk}")


@login_required
def member_statistics(request):
    org = _organization(request)
    today = timezone.localdate()
    stats = selectors.statistics(selectors.members_in(request.user, org), today, organization=org)
    return render(request, "members/statistics.html", {"org": org, "stats": stats, "today": today})


@login_required
def ward_options(request):
    """htmx: the <option>s of the wards of a province (2025 administrative units)."""
    province = request.GET.get("birthplace_province") or request.GET.get("hometown_province")
    try:
        options = ward_choices(int(province)) if province else ward_choices(None)
    except ValueError:
        options = ward_choices(None)
    html = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in options)
    return HttpResponse(html)
