"""Pages for leaders attending cells (KH 82 model), absence and short-meeting warnings, and statistics.

Access: these are the committee's working pages, so reading needs a staff role
(every role but a plain member's) on the organization; a plain member gets 403
in their own cell and 404 elsewhere. One exception: a cell's statistics page is
open to its members (READ), who see the cell's figures and their own row only.
Assigning leaders needs MANAGE on the committee; deciding on a flag needs WRITE
on the member's cell; a leader records their own visits and the opinions they
collected, a writer of the cell records anyone's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.lib.forms import run_action, year_param
from dangbo.meetings import forms_visits as forms
from dangbo.meetings import stats, triggers, visits
from dangbo.meetings.models import AbsenceFlag, CollectedOpinion, Meeting, MeetingVisit, VisitAssignment
from dangbo.members.models import Member
from dangbo.organizations import access
from dangbo.organizations.models import Organization

OPINIONS_PER_PAGE = 50


# ---------------------------------------------------------------- helpers

def _org(request, capability=access.STAFF):
    """The organization of ?org=, else the first top of the user's scope where they have ``capability``."""
    org_id = request.GET.get("org")
    if org_id:
        return access.access_organization(request.user, org_id, capability=capability)
    tops = access.roots(request.user)
    for top in tops:
        if access.can(request.user, top, capability):
            return top
    if tops:
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    raise Http404("Không tìm thấy.")




def _url(name, org, **params):
    query = "&".join(f"{key}={value}" for key, value in {"org": org.pk, **params}.items())
    return f"{reverse(name)}?{query}"


def _next_or(request, fallback):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _picker(org):
    return {"org": org, "children": org.children.order_by("kind", "name")}


def _meeting(request, pk):
    """A meeting of the user's staff scope, with its cell."""
    return access.access_object(request.user, Meeting.objects.all(), pk, capability=access.STAFF)


def _writable_meeting(request, pk):
    meeting = _meeting(request, pk)
    if not visits.can_record_visit(request.user, meeting):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    return meeting


# ---------------------------------------------------------------- assignments

@login_required
@require_http_methods(["GET", "POST"])
def visit_list(request):
    """The committee's assignments of leaders to cells, with the form to add one."""
    org = _org(request, access.MANAGE if request.method == "POST" else access.STAFF)
    today = timezone.localdate()
    can_manage = org.kind == Organization.Kind.COMMITTEE and access.can(request.user, org, access.MANAGE)
    if request.method == "POST" and not can_manage:
        raise Http404("Không tìm thấy.")
    form = forms.AssignmentForm(request.POST or None, committee=org, on=today) if can_manage else None
    if request.method == "POST" and form.is_valid():
        assignment = run_action(form, visits.assign_leader, org, by=request.user, **form.cleaned_data)
        if assignment:
            messages.success(request, _("Đã phân công %(name)s theo dõi %(cell)s.")
                             % {"name": assignment.leader, "cell": assignment.cell.name})
            for warning in assignment.warnings:
                messages.warning(request, warning)
            return redirect(_url("meetings:visit_list", org))
    rows = list(visits.assignments_in(org))
    loads = visits.loads(rows, today)
    current = [a for a in rows if a.ends_on is None or a.ends_on >= today]
    for a in current:
        a.load = loads.get(a.leader_id, 0)
    followed = {a.cell_id for a in current if a.starts_on <= today}
    return render(request, "meetings/visits.html", {
        **_picker(org), "form": form, "can_manage": can_manage, "today": today,
        "current": current, "ended": [a for a in rows if a.ends_on is not None and a.ends_on < today],
        "max_cells": visits.MAX_CELLS_PER_LEADER,
        "unfollowed": [c for c in stats.cells_in(org, year=today.year) if c.pk not in followed and c.is_active],
    })


@login_required
@require_POST
def visit_end(request, pk):
    assignment = access.access_object(request.user, VisitAssignment.objects.select_related("leader", "cell"), pk,
                                      field="committee", capability=access.MANAGE)
    form = forms.EndAssignmentForm(request.POST)
    if form.is_valid() and run_action(form, visits.end_assignment, assignment, by=request.user,
                                      **form.cleaned_data):
        messages.success(request, _("Đã kết thúc phân công %(name)s theo dõi %(cell)s.")
                         % {"name": assignment.leader, "cell": assignment.cell.name})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_url("meetings:visit_list", assignment.committee))


# ---------------------------------------------------------------- a leader's cells and visits

@login_required
def visit_mine(request):
    """The cells the user follows, their next and last meetings, quick forms (phone first)."""
    today = timezone.localdate()
    return render(request, "meetings/visits_mine.html", {
        "cards": visits.my_cells(request.user, today=today), "today": today,
    })


def _meeting_page(request, meeting, *, visit_form=None, opinion_form=None, status=200):
    user = request.user
    writer = access.can(user, meeting.organization, access.WRITE)
    can_record = writer or visits.can_record_visit(user, meeting)
    if can_record and visit_form is None:
        own = MeetingVisit.objects.filter(meeting=meeting, leader=user).first()
        initial = {"attended": "1" if own is None or own.attended else "0", "note": own.note if own else ""}
        if writer:
            initial["leader"] = user.pk
        visit_form = forms.VisitForm(leaders=visits.eligible_leaders(meeting) if writer else None, initial=initial)
    if can_record and opinion_form is None:
        opinion_form = forms.OpinionForm(meeting=meeting, collectors=visits.visitors(meeting) if writer else None,
                                         initial={"collected_by": user.pk})
    return render(request, "meetings/visits_meeting.html", {
        "meeting": meeting, "can_record": can_record, "visit_form": visit_form, "opinion_form": opinion_form,
        "visits": meeting.visits.select_related("leader").order_by("leader__full_name"),
        "opinions": meeting.opinions.select_related("collected_by", "raised_by_member"),
    }, status=status)


@login_required
def visit_meeting(request, pk):
    """One meeting's leaders and the opinions they collected."""
    return _meeting_page(request, _meeting(request, pk))


def _card_response(request, meeting, form=None):
    """The meeting's line on "my cells", for an htmx request from that page, with the outcome."""
    meeting.my_visit = MeetingVisit.objects.filter(meeting=meeting, leader=request.user).first()
    meeting.opinion_count = meeting.opinions.filter(collected_by=request.user).count()
    meeting.recordable = visits.meeting_date(meeting) <= timezone.localdate()
    errors = [e for field_errors in form.errors.values() for e in field_errors] if form is not None else []
    return render(request, "meetings/_partials/visits_meeting_item.html", {
        "m": meeting, "today": timezone.localdate(), "flash": " ".join(errors) or _("Đã lưu."), "failed": bool(errors),
    })


@login_required
@require_POST
def visit_record(request, pk):
    meeting = _writable_meeting(request, pk)
    writer = access.can(request.user, meeting.organization, access.WRITE)
    form = forms.VisitForm(request.POST, leaders=visits.eligible_leaders(meeting) if writer else None)
    if form.is_valid():
        leader = form.cleaned_data.get("leader") or request.user
        visit = run_action(form, visits.record_visit, meeting, leader=leader, attended=form.cleaned_data["attended"],
                           note=form.cleaned_data["note"] if "note" in request.POST else None, by=request.user)
        if visit:
            if request.htmx:
                return _card_response(request, meeting)
            messages.success(request, _("Đã ghi việc dự sinh hoạt của %(name)s.") % {"name": leader})
            return redirect(_next_or(request, reverse("meetings:visit_meeting", args=[meeting.pk])))
    if request.htmx:
        return _card_response(request, meeting, form)
    return _meeting_page(request, meeting, visit_form=form, status=400)


@login_required
@require_POST
def opinion_create(request, pk):
    meeting = _writable_meeting(request, pk)
    writer = access.can(request.user, meeting.organization, access.WRITE)
    form = forms.OpinionForm(request.POST, meeting=meeting, collectors=visits.visitors(meeting) if writer else None)
    if form.is_valid():
        data = form.cleaned_data
        opinion = run_action(
            form, visits.record_opinion, meeting, collected_by=data.get("collected_by") or request.user,
            raised_by_member=data["raised_by_member"], raised_by_name=data["raised_by_name"],
            content=data["content"], by=request.user,
        )
        if opinion:
            if request.htmx:
                return _card_response(request, meeting)
            messages.success(request, _("Đã ghi ý kiến của %(name)s.") % {"name": opinion.raised_by_name})
            return redirect(_next_or(request, reverse("meetings:visit_meeting", args=[meeting.pk])))
    if request.htmx:
        return _card_response(request, meeting, form)
    return _meeting_page(request, meeting, opinion_form=form, status=400)


@login_required
def opinion_list(request):
    """Opinions collected at the subtree's meetings, those not yet handled first."""
    org = _org(request)
    opinions = visits.opinions_in(org)
    state = request.GET.get("state", "open")
    if state == "open":
        opinions = opinions.filter(handled=False)
    elif state == "handled":
        opinions = opinions.filter(handled=True)
    page = Paginator(opinions, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/visits_opinions.html", {
        **_picker(org), "page": page, "state": state,
        "open_count": CollectedOpinion.objects.filter(
            meeting__organization__path__startswith=org.path, handled=False).count(),
    })


@login_required
def visit_coverage(request):
    """Cells × months: a leader at a held meeting (✓), a meeting without one (—), no meeting (blank)."""
    org, year = _org(request), year_param(request)
    return render(request, "meetings/visits_coverage.html", {
        **_picker(org), "year": year, "coverage": visits.coverage(org, year=year),
    })


# ---------------------------------------------------------------- triggers

@login_required
def trigger_list(request):
    """Members flagged for absence (the cell decides) and meetings shorter than the minimum."""
    org, year = _org(request), year_param(request)
    flags = list(triggers.flags_in(org, year=year))
    for flag in flags:
        flag.ground = triggers.ground_text(flag)
        flag.months_text = triggers.months_text(flag)
        flag.can_decide = access.can(request.user, flag.organization, access.WRITE)
    return render(request, "meetings/triggers.html", {
        **_picker(org), "year": year,
        "pending": [f for f in flags if f.decision == AbsenceFlag.Decision.PENDING],
        "decided": [f for f in flags if f.decision != AbsenceFlag.Decision.PENDING],
        "short": triggers.short_meetings(org, year=year),
        "can_write": access.can(request.user, org, access.WRITE),
    })


@login_required
@require_POST
def trigger_refresh(request):
    org, year = _org(request, access.WRITE), year_param(request)
    report = triggers.compute_absence_flags(org, year=year, on=timezone.localdate())
    counts = report.counts()
    messages.success(request, _(
        "Đã rà soát: %(created)d trường hợp mới, %(updated)d cập nhật, %(reopened)d mở lại, %(withdrawn)d rút."
    ) % counts)
    return redirect(_url("meetings:trigger_list", org, year=year))


@login_required
@require_http_methods(["GET", "POST"])
def trigger_decide(request, pk):
    flag = access.access_object(request.user, AbsenceFlag.objects.select_related("member"), pk,
                                capability=access.WRITE)
    form = forms.FlagDecisionForm(request.POST or None)
    decided = request.method == "POST" and form.is_valid() and run_action(
        form, triggers.decide_absence_flag, flag, by=request.user, **form.cleaned_data
    )
    if decided:
        messages.success(request, _("Đã ghi quyết định của chi bộ về %(name)s.") % {"name": flag.member.full_name})
        return redirect(_url("meetings:trigger_list", flag.organization, year=flag.year))
    return render(request, "meetings/triggers_decide.html", {
        "flag": flag, "form": form, "ground": triggers.ground_text(flag), "months_text": triggers.months_text(flag),
        "back": _url("meetings:trigger_list", flag.organization, year=flag.year),
    })


# ---------------------------------------------------------------- statistics

@login_required
def stats_page(request):
    """Planned vs held, thematic meetings per quarter, attendance; per cell and rolled up."""
    org, year = _org(request, access.READ), year_param(request)
    staff = access.can(request.user, org, access.STAFF)
    report = stats.organization_stats(org, year=year, with_members=org.is_cell)
    members = report.members
    if not staff:
        own = Member.objects.filter(user=request.user).values_list("pk", flat=True).first()
        members = [line for line in members if line.member_id == own]
    return render(request, "meetings/stats.html", {
        **_picker(org), "year": year, "stats": report, "members": members, "staff": staff,
        "quarter_labels": ["I", "II", "III", "IV"],
    })
