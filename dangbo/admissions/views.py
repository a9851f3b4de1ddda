"""Admissions pages: candidate lists and files, the actions on them, courses, deadlines, statistics, notices."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.admissions import actions, forms, selectors
from dangbo.admissions.models import (
    BEFORE_VOTE, IN_PROBATION, AwarenessCourse, Candidate, Enrolment, Notice, Step,
)
from dangbo.lib.forms import run_action
from dangbo.organizations import access

PAGE_SIZE = 50
TABS = ("profile", "course", "dossier", "introducers", "decision", "probation", "history")


def _organization(request, capability=access.STAFF):
    """The organization named by ?org=, else the top of the user's scope where they have ``capability``."""
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        return access.access_organization(request.user, org_id, capability=capability)
    for root in access.roots(request.user):
        if access.can(request.user, root, capability):
            return root
    raise Http404("Không tìm thấy.")


def _staff_somewhere(user):
    return any(access.can(user, root, access.STAFF) for root in access.roots(user))


def _candidate(request, pk, capability=access.STAFF):
    """A candidate in the user's scope. Outside it, and for plain members, 404 (a non-member's
    file is not theirs to see); a write the role may not do, 403. Committee decisions need
    MANAGE on the committee above the cell (DOMAIN §1.9)."""
    candidate = access.access_object(
        request.user, Candidate.objects.select_related("organization__parent"), pk)
    if not access.can(request.user, candidate.organization, access.STAFF):
        raise Http404("Không tìm thấy.")
    where = (candidate.committee or candidate.organization) if capability == access.MANAGE else candidate.organization
    if capability not in (access.READ, access.STAFF) and not access.can(request.user, where, capability):
        raise PermissionDenied(_("Bạn không có quyền thực hiện việc này ở đơn vị này."))
    return candidate


def _on(request, default=None):
    form = forms.OnForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    return on or default or timezone.localdate()


# ---------------------------------------------------------------- lists

@login_required
def candidate_list(request):
    if not _staff_somewhere(request.user):
        return redirect("admissions:mine")
    org = _organization(request)
    form = forms.CandidateFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    queryset = selectors.with_dossier(selectors.filter_candidates(selectors.candidates_in(request.user, org), data))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.attach_deadlines(list(page.object_list), on)
    template = "admissions/_partials/candidate_rows.html" if request.htmx else "admissions/list.html"
    query = request.GET.copy()
    query.pop("page", None)
    query.setdefault("org", str(org.pk))
    return render(request, template, {
        "org": org, "form": form, "page": page, "rows": rows, "on": on, "query": query.urlencode(),
        "can_write": access.can(request.user, org, access.WRITE),
        "cells": access.visible_organizations(request.user, access.WRITE).cells().within(org).exists(),
    })


@login_required
def mine(request):
    """What a plain member sees here: the candidates they introduce or help, nothing more."""
    rows = list(selectors.mine(request.user))
    return render(request, "admissions/mine.html", {"rows": rows, "staff": _staff_somewhere(request.user)})


@login_required
def deadline_board(request):
    org = _organization(request)
    form = forms.BoardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    candidates = selectors.with_dossier(selectors.candidates_in(request.user, org).exclude(
        step__in=[Step.WITHDRAWN, Step.REMOVAL_PROPOSED, Step.OFFICIAL]))
    rows = selectors.open_deadlines(candidates, on)
    if data.get("state"):
        rows = [r for r in rows if r["state"] == data["state"]]
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in ("soon", "overdue")}
    return render(request, "admissions/deadlines.html", {
        "org": org, "form": form, "rows": rows, "on": on, "counts": counts})


@login_required
def statistics(request):
    org = _organization(request)
    form = forms.YearForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    stats = selectors.statistics(request.user, org, year)
    return render(request, "admissions/statistics.html", {"org": org, "form": form, "stats": stats})


@login_required
def notices(request):
    page = Paginator(
        Notice.objects.filter(user=request.user).select_related("candidate"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "admissions/notices.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notices_read(request):
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("Đã đánh dấu tất cả nhắc việc là đã đọc."))
    return redirect("admissions:notices")


# ---------------------------------------------------------------- one candidate

@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    org = _organization(request, access.WRITE)
    cells = access.visible_organizations(request.user, access.WRITE).cells().within(org).active()
    form = forms.CandidateForm(request.POST or None, initial={"proposed_on": timezone.localdate()})
    form.fields = {"organization": forms.cell_field(cells, org), **form.fields}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        candidate = run_action(form, actions.propose_candidate, by=request.user, **data)
        if candidate:
            messages.success(request, _("Đã ghi nhận quần chúng %(name)s.") % {"name": candidate.full_name})
            return redirect(candidate)
    return render(request, "admissions/form.html", {
        "form": form, "org": org, "title": _("Giới thiệu quần chúng ưu tú"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = _candidate(request, pk, access.WRITE)
    form = forms.CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        candidate.refresh_from_db()
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if run_action(form, actions.update_candidate, candidate, by=request.user, **changed):
            messages.success(request, _("Đã lưu hồ sơ quần chúng."))
            return redirect(candidate)
    return render(request, "admissions/form.html", {
        "form": form, "org": candidate.organization, "candidate": candidate,
        "title": _("Sửa hồ sơ %(name)s") % {"name": candidate.full_name},
    })


@login_required
def candidate_detail(request, pk, tab="profile"):
    if tab not in TABS:
        raise Http404()
    candidate = _candidate(request, pk)
    return _detail(request, candidate, tab)


@dataclass(frozen=True)
class Act:
    form: type
    action: object
    tab: str  # where the form is, and where a refused form is shown again with its errors
    done: str
    capability: str = access.WRITE
    after: str = ""  # the tab shown after success, when not ``tab``


# Every change a candidate's page can make: verb → form, action, tab shown after, message, right needed.
ACTIONS = {
    "enrol": Act(forms.EnrolForm, actions.enrol_course, "course", gettext_lazy("Đã ghi danh vào lớp.")),
    "certificate": Act(forms.CertificateForm, actions.record_certificate, "course",
                       gettext_lazy("Đã ghi giấy chứng nhận.")),
    "dossier": Act(forms.DossierItemForm, actions.record_dossier_item, "dossier", gettext_lazy("Đã ghi giấy tờ.")),
    "consent": Act(forms.ConsentForm, actions.record_over_age_consent, "dossier",
                   gettext_lazy("Đã ghi văn bản đồng ý.")),
    "introducer": Act(forms.IntroducerForm, actions.add_introducer, "introducers",
                      gettext_lazy("Đã thêm người giới thiệu.")),
    "helper": Act(forms.HelperForm, actions.assign_helper, "profile", gettext_lazy("Đã phân công đảng viên giúp đỡ.")),
    "withdraw": Act(forms.WithdrawForm, actions.withdraw_candidate, "profile", gettext_lazy("Đã dừng xem xét.")),
    "cell_vote": Act(forms.MeetingForm, actions.put_to_cell_vote, "decision",
                     gettext_lazy("Đã đưa vào chương trình buổi sinh hoạt chi bộ.")),
    "cell_result": Act(forms.VoteForm, actions.record_cell_result, "decision",
                       gettext_lazy("Đã ghi kết quả chi bộ xét kết nạp.")),
    "decision": Act(forms.DecisionForm, actions.issue_admission_decision, "decision",
                    gettext_lazy("Đã ban hành quyết định kết nạp."), access.MANAGE),
    "received": Act(forms.ReceivedForm, actions.record_decision_received, "decision",
                    gettext_lazy("Đã ghi ngày chi bộ nhận quyết định.")),
    "ceremony": Act(forms.CeremonyForm, actions.record_ceremony, "decision", gettext_lazy("Đã ghi lễ kết nạp."),
                    after="probation"),
    "recognition_vote": Act(forms.MeetingForm, actions.put_recognition_to_vote, "probation",
                            gettext_lazy("Đã đưa vào chương trình buổi sinh hoạt chi bộ.")),
    "recognition_result": Act(forms.VoteForm, actions.record_recognition_result, "probation",
                              gettext_lazy("Đã ghi kết quả chi bộ xét công nhận.")),
    "recognition": Act(forms.DecisionForm, actions.issue_recognition_decision, "probation",
                       gettext_lazy("Đã ban hành quyết định công nhận đảng viên chính thức."), access.MANAGE),
    "removal": Act(forms.RemovalForm, actions.propose_removal_of_unfit, "probation",
                   gettext_lazy("Đã ghi đề nghị xóa tên của chi bộ.")),
}


@login_required
@require_POST
def candidate_act(request, pk, verb):
    act = ACTIONS.get(verb)
    if act is None:
        raise Http404()
    candidate = _candidate(request, pk, act.capability)
    # A form shown on two tabs (the helper) posts the tab it was on.
    tab = request.POST.get("tab") if request.POST.get("tab") in TAB_FORMS else act.tab
    form = act.form(request.POST, candidate=candidate, prefix=verb)
    if form.is_valid() and run_action(form, act.action, candidate, by=request.user, **form.cleaned_data) is not None:
        messages.success(request, str(act.done))
        return redirect("admissions:tab", candidate.pk, act.after or tab)
    return _detail(request, candidate, tab, bound={verb: form}, status=400)


@login_required
@require_POST
def introducer_end(request, pk, introducer_id):
    candidate = _candidate(request, pk, access.WRITE)
    introducer = candidate.introducers.filter(pk=introducer_id).first()
    if introducer is None:
        raise Http404()
    form = forms.EndIntroducerForm(request.POST)
    if form.is_valid() and run_action(form, actions.end_introducer, introducer, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi người giới thiệu thôi giới thiệu."))
        return redirect("admissions:tab", candidate.pk, "introducers")
    messages.error(request, " ".join(form.non_field_errors()) or _("Hãy ghi ngày và lý do."))
    return redirect("admissions:tab", candidate.pk, "introducers")


# Forms each tab offers, by the right they need.
TAB_FORMS = {
    "profile": ["helper", "withdraw"],
    "course": ["enrol", "certificate"],
    "dossier": ["dossier", "consent"],
    "introducers": ["introducer"],
    "decision": ["cell_vote", "cell_result", "decision", "received", "ceremony"],
    "probation": ["helper", "recognition_vote", "recognition_result", "recognition", "removal"],
}


def _forms(request, candidate, tab, bound):
    result = {}
    for verb in TAB_FORMS.get(tab, ()):
        act = ACTIONS[verb]
        where = (candidate.committee or candidate.organization) if act.capability == access.MANAGE \
            else candidate.organization
        if access.can(request.user, where, act.capability):
            result[verb] = bound.get(verb) or act.form(candidate=candidate, prefix=verb)
    return result


def _detail(request, candidate, tab, bound=None, status=200):
    candidate = selectors.with_dossier(Candidate.objects.filter(pk=candidate.pk)).get()
    admission = getattr(candidate, "admission", None)
    planned = admission.cell_meeting_on if admission and candidate.step == Step.CELL_VOTE else None
    on = _on(request, planned)
    context = {
        "candidate": candidate, "admission": admission, "tab": tab, "tabs": TABS, "on": on,
        "today": timezone.localdate(), "forms": _forms(request, candidate, tab, bound or {}),
        "can_write": access.can(request.user, candidate.organization, access.WRITE),
        "deadlines": [d.row(on) for d in selectors.deadlines_for(candidate)],
        "before_vote": candidate.step in BEFORE_VOTE, "in_probation": candidate.step in IN_PROBATION,
        "editable": candidate.step in BEFORE_VOTE + (Step.COMMITTEE_DECISION,),
    }
    context.update(selectors.tab_context(candidate, tab, on))
    if tab == "introducers":
        context["end_form"] = forms.EndIntroducerForm()
    return render(request, "admissions/detail.html", context, status=status)


# ---------------------------------------------------------------- courses

@login_required
def course_list(request):
    org = _organization(request)
    courses = (
        AwarenessCourse.objects.filter(organization__path__startswith=org.path)
        .filter(access.scope_q(request.user, capability=access.STAFF))
        .select_related("organization")
        .annotate(n_sessions=Count("sessions", distinct=True), n_learners=Count("enrolments", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = not org.is_cell and access.can(request.user, org, access.MANAGE)
    return render(request, "admissions/courses.html", {
        "org": org, "page": page, "form": forms.CourseForm() if can_manage else None})


@login_required
@require_POST
def course_create(request):
    org = _organization(request, access.MANAGE)
    form = forms.CourseForm(request.POST)
    if form.is_valid():
        course = run_action(form, actions.create_course, organization=org, by=request.user, **form.cleaned_data)
        if course:
            messages.success(request, _("Đã mở lớp %(t)s.") % {"t": course.title})
            return redirect(course)
    page = Paginator(AwarenessCourse.objects.none(), PAGE_SIZE).get_page(1)
    return render(request, "admissions/courses.html", {"org": org, "page": page, "form": form}, status=400)


def _course(request, pk, capability=access.STAFF):
    course = access.access_object(request.user, AwarenessCourse.objects.all(), pk)
    if not access.can(request.user, course.organization, access.STAFF):
        raise Http404("Không tìm thấy.")
    if capability == access.MANAGE and not access.can(request.user, course.organization, access.MANAGE):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    return course


@login_required
def course_detail(request, pk, session_form=None):
    course = _course(request, pk)
    enrolments = (
        Enrolment.objects.filter(course=course)
        .filter(access.scope_q(request.user, "candidate__organization", access.STAFF))
        .select_related("candidate", "candidate__organization")
    )
    certified = set(course.certificates.values_list("candidate_id", flat=True))
    can_manage = access.can(request.user, course.organization, access.MANAGE)
    return render(request, "admissions/course.html", {
        "course": course, "sessions": course.sessions.all(), "enrolments": enrolments, "certified": certified,
        "session_form": session_form or (forms.SessionForm() if can_manage else None),
    }, status=400 if session_form else 200)


@login_required
@require_POST
def session_add(request, pk):
    course = _course(request, pk, access.MANAGE)
    form = forms.SessionForm(request.POST)
    if form.is_valid() and run_action(form, actions.add_course_session, course, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã thêm buổi học."))
        return redirect(course)
    return course_detail(request, pk, session_form=form)
