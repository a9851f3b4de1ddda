"""Meeting pages: the cell's year plan, the committee's overview, the meeting with its four tabs,
the one-tap check-in list, a member's upcoming meetings, the QR check-in and the minutes PDF.

Access: reading a meeting needs READ on its cell (a plain member of the cell reads
its meetings; a member summoned from elsewhere reads the ones they are summoned
to); the roster's names and reasons need STAFF; every change needs WRITE.
"""

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.models import SESSION_EPOCH_KEY, User
from dangbo.lib.display import label_choices
from dangbo.lib.forms import run_action, year_param
from dangbo.meetings import actions, forms, selectors
from dangbo.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from dangbo.lib.pdf import render_pdf
from dangbo.members.models import Member
from dangbo.organizations import access


def _run(request, action, *args, **kwargs):
    """Run an action that has no form of its own; its ValidationError becomes an error message. None on failure."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None




def _crumbs(user, org):
    """The overview of each committee above ``org`` that the user may read, then ``org`` itself."""
    crumbs = [{"label": _("Sinh hoạt chi bộ"), "url": reverse("meetings:home")}]
    for ancestor in org.ancestors():
        if access.can(user, ancestor):
            crumbs.append({"label": ancestor.name, "url": f"{reverse('meetings:home')}?org={ancestor.pk}"})
    return crumbs


# ---------------------------------------------------------------- plan and overview

@login_required
def home(request):
    """/meetings/?org=&year=: a cell's plan, or a committee's overview of its cells."""
    org_id = request.GET.get("org")
    if org_id:
        org = access.access_organization(request.user, org_id)
    else:
        tops = access.roots(request.user)
        if not tops:
            if selectors.own_member(request.user) is not None:
                return redirect("meetings:mine")
            raise Http404("Không tìm thấy.")
        org = tops[0]
    year = year_param(request)
    today = timezone.localdate()
    if not org.is_cell:
        return render(request, "meetings/overview.html", {
            "org": org, "year": year, "cells": selectors.overview(org, year, today=today), "months": range(1, 13),
            "late_cells": None, "breadcrumbs": _crumbs(request.user, org)[:-1],
        })
    writer = access.can(request.user, org, access.WRITE)
    plan_form = None
    if writer:
        plan_form = forms.YearPlanForm(initial={"year": year, "from_month": today.month if year == today.year else 1})
    return render(request, "meetings/plan.html", {
        "org": org, "year": year, "rows": selectors.plan(org, year, today=today), "writer": writer,
        "plan_form": plan_form, "breadcrumbs": _crumbs(request.user, org)[:-1],
    })


@login_required
@require_POST
def plan_generate(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.WRITE)
    form = forms.YearPlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        created = run_action(form, actions.generate_year_plan, org, year=data["year"], by=request.user,
                             day=data["day"], time=data["time"], place=data["place"], from_month=data["from_month"],
                             combine_thematic=data["combine_thematic"])
        if created is not None:
            messages.success(request, _("Đã thêm %(n)s buổi sinh hoạt vào kế hoạch năm %(y)s.")
                             % {"n": len(created), "y": data["year"]})
            return redirect(f"{reverse('meetings:home')}?org={org.pk}&year={data['year']}")
    year = form.cleaned_data.get("year") or timezone.localdate().year
    return render(request, "meetings/plan.html", {
        "org": org, "year": year, "rows": selectors.plan(org, year, today=timezone.localdate()), "writer": True,
        "plan_form": form, "breadcrumbs": _crumbs(request.user, org)[:-1],
    }, status=400)


def _form_page(request, form, title, back, *, meeting=None, submit=None, status=200):
    return render(request, "meetings/form.html", {"form": form, "title": title, "back": back, "meeting": meeting,
                                                  "submit": submit or _("Lưu")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.WRITE)
    if not org.is_cell:
        raise Http404("Không tìm thấy.")
    form = forms.MeetingForm(request.POST or None, initial={"kind": Meeting.Kind.EXTRAORDINARY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = run_action(form, actions.schedule_meeting, org, kind=data["kind"], scheduled_at=form.scheduled_at(),
                             place=data["place"], title=data["title"], theme=data["theme"], by=request.user)
        if meeting:
            messages.success(request, _("Đã thêm buổi sinh hoạt."))
            return redirect(meeting)
    back = f"{reverse('meetings:home')}?org={org.pk}"
    return _form_page(request, form, _("Thêm buổi sinh hoạt của %(org)s") % {"org": org.name}, back)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.MeetingForm(request.POST or None, with_kind=False, initial=forms.MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_notified = bool(meeting.notified_at)
        moved = run_action(form, actions.move_meeting, meeting, scheduled_at=form.scheduled_at(), place=data["place"],
                           title=data["title"], theme=data["theme"], by=request.user)
        if moved:
            if was_notified and not moved.notified_at:
                messages.warning(request, _("Đã đổi lịch. Thời gian, địa điểm đã thay đổi: hãy thông báo lại."))
            else:
                messages.success(request, _("Đã đổi lịch."))
            return redirect(moved)
    return _form_page(request, form, _("Đổi lịch, địa điểm: %(m)s") % {"m": meeting}, meeting.get_absolute_url(),
                      meeting=meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.cancel_meeting, meeting, reason=form.cleaned_data["reason"], by=request.user):
            messages.success(request, _("Đã hủy buổi sinh hoạt."))
            return redirect(meeting)
    return _form_page(request, form, _("Hủy buổi sinh hoạt: %(m)s") % {"m": meeting}, meeting.get_absolute_url(),
                      meeting=meeting, submit=_("Hủy buổi sinh hoạt"))


# ---------------------------------------------------------------- the meeting and its tabs

def _minutes(meeting):
    return Minutes.objects.filter(meeting=meeting).first()


def _page(request, meeting, tab, template, status=200, **extra):
    minutes = extra.pop("minutes", None) or _minutes(meeting)
    writer = selectors.can_write(request.user, meeting)
    locked = bool(minutes and minutes.is_locked)
    return render(request, template, {
        "meeting": meeting, "org": meeting.organization, "tab": tab, "writer": writer, "locked": locked,
        "editable": writer and not locked and meeting.state != Meeting.State.CANCELLED,
        "staff": selectors.can_see_roster(request.user, meeting), "minutes": minutes,
        "meeting_day": selectors.meeting_date(meeting), "duration_warning": selectors.duration_warning(meeting),
        "breadcrumbs": _crumbs(request.user, meeting.organization), **extra,
    }, status=status)


def _preparation(request, meeting, status=200, **bound):
    materials = list(meeting.materials.all())
    writer = selectors.can_write(request.user, meeting)
    initial_drafters = {"content_drafter": meeting.content_drafter_id, "resolution_drafter": meeting.resolution_drafter_id}
    return _page(
        request, meeting, "preparation", "meetings/detail_preparation.html", status=status,
        materials=materials, steps=selectors.preparation_steps(meeting, materials),
        materials_deadline=selectors.materials_deadline(meeting),
        materials_warning=selectors.materials_warning(meeting, materials, today=timezone.localdate()),
        leaders=selectors.following_leaders(meeting),
        drafters_form=bound.get("drafters_form") or (forms.DraftersForm(meeting=meeting, initial=initial_drafters)
                                                     if writer else None),
        agreement_form=bound.get("agreement_form") or (forms.AgreementForm(initial={"on": meeting.committee_agreed_on})
                                                       if writer else None),
        material_form=bound.get("material_form") or (forms.MaterialForm() if writer else None),
    )


@login_required
def detail(request, pk):
    """Tab 1, preparation (HD 42-HD/BTCTW): drafters, the committee's agreement, the notice, the materials."""
    return _preparation(request, selectors.access_meeting(request.user, pk))


@login_required
@require_POST
def drafters(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.DraftersForm(request.POST, meeting=meeting)
    if form.is_valid() and run_action(form, actions.assign_drafters, meeting, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã phân công người dự thảo."))
        return redirect(meeting)
    return _preparation(request, meeting, status=400, drafters_form=form)


@login_required
@require_POST
def agreement(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.AgreementForm(request.POST)
    if form.is_valid() and run_action(form, actions.record_committee_agreement, meeting, on=form.cleaned_data["on"],
                                      by=request.user):
        messages.success(request, _("Đã ghi nhận chi ủy thống nhất nội dung."))
        return redirect(meeting)
    return _preparation(request, meeting, status=400, agreement_form=form)


@login_required
@require_POST
def notify(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    if _run(request, actions.notify_meeting, meeting, by=request.user):
        count = Attendance.objects.filter(meeting=meeting).count()
        messages.success(request, _("Đã thông báo đến %(n)s đảng viên và %(l)s cấp ủy viên phụ trách.")
                         % {"n": count, "l": len(selectors.following_leaders(meeting))})
    return redirect(meeting)


@login_required
@require_POST
def material_add(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid() and run_action(form, actions.add_material, meeting, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã đăng tài liệu."))
        return redirect(meeting)
    return _preparation(request, meeting, status=400, material_form=form)


@login_required
def material(request, pk, material_id):
    meeting = selectors.access_meeting(request.user, pk)
    item = meeting.materials.filter(pk=material_id).first()
    if item is None:
        raise Http404("Không tìm thấy.")
    if not item.file:
        return render(request, "meetings/material.html", {"meeting": meeting, "material": item})
    return FileResponse(item.file.open("rb"), as_attachment=False, filename=item.file.name.rsplit("/", 1)[-1])


def _attendance(request, meeting, status=200, **extra):
    staff = selectors.can_see_roster(request.user, meeting)
    rows = selectors.roster(meeting)
    summary = selectors.attendance_summary(meeting, rows)
    if not staff:
        member = selectors.own_member(request.user)
        rows = [r for r in rows if member is not None and r.member_id == member.pk]
    label_choices(rows, "kind", "status")
    writer = selectors.can_write(request.user, meeting)
    return _page(request, meeting, "attendance", "meetings/detail_attendance.html", status=status, rows=rows,
                 summary=summary, quorum_warning=selectors.quorum_warning(summary),
                 start_form=forms.StartForm(meeting=meeting, initial={"chair": meeting.chair_id,
                                                                      "minute_taker": meeting.minute_taker_id})
                 if writer else None,
                 end_form=forms.EndForm(meeting=meeting) if writer else None, **extra)


@login_required
def attendance(request, pk):
    """Tab 2: the roster, one tap per member; the QR code for members to scan; start and end."""
    return _attendance(request, selectors.access_meeting(request.user, pk))


@login_required
@require_POST
def roster_open(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    added = _run(request, actions.open_roster, meeting)
    if added is not None:
        messages.success(request, _("Đã lập danh sách điểm danh (thêm %(n)s đảng viên).") % {"n": added})
    return redirect("meetings:attendance", meeting.pk)


@login_required
@require_POST
def mark(request, pk, member_id):
    """One tap on a roster row; an htmx request gets the row back (and the counts, out of band)."""
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    # Only members on this meeting's roster: an id from elsewhere is 404, never a name in an error.
    member = Member.objects.filter(pk=member_id, attendance__meeting=meeting).first()
    if member is None:
        raise Http404("Không tìm thấy.")
    form = forms.MarkForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        flags = {"approved_absence": data["approved_absence"], "suspended": data["suspended"]} if data["flags"] else {}
        try:
            actions.mark_attendance(meeting, member, status=data["status"], reason=data["reason"],
                                    arrived_at=data["arrived_at"], left_at=data["left_at"], by=request.user,
                                    expected_version=data["version"], **flags)
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = " ".join(" ".join(errors) for errors in form.errors.values())
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('meetings:attendance', args=[meeting.pk])}#att-{member_id}")
    row = Attendance.objects.select_related("member").filter(meeting=meeting, member=member).first()
    if row is None:
        raise Http404("Không tìm thấy.")
    summary = selectors.attendance_summary(meeting)
    return render(request, "meetings/_partials/attendance_mark.html", {
        "meeting": meeting, "rows": label_choices([row], "kind", "status"), "error": error, "editable": True,
        "staff": True, "summary": summary, "quorum_warning": selectors.quorum_warning(summary),
    })


@login_required
def qr(request, pk):
    """The QR code of the check-in address, as SVG, for the secretary to show on a screen."""
    import segno

    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    if not meeting.checkin_token:
        raise Http404("Chưa lập danh sách điểm danh.")
    url = request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.checkin_token]))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def start(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.StartForm(request.POST, meeting=meeting)
    if form.is_valid() and run_action(form, actions.start_meeting, meeting, at=form.moment(),
                                      chair=form.cleaned_data["chair"], minute_taker=form.cleaned_data["minute_taker"],
                                      by=request.user):
        messages.success(request, _("Đã bắt đầu buổi sinh hoạt."))
        return redirect("meetings:attendance", meeting.pk)
    for error in form.non_field_errors() + [e for f in form.errors.values() for e in f]:
        messages.error(request, error)
    return redirect("meetings:attendance", meeting.pk)


@login_required
@require_POST
def end(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.EndForm(request.POST, meeting=meeting)
    if form.is_valid():
        ended = run_action(form, actions.end_meeting, meeting, at=form.moment(), by=request.user)
        if ended:
            messages.success(request, _("Đã kết thúc buổi sinh hoạt (%(n)s phút).") % {"n": ended.duration_minutes})
            warning = selectors.duration_warning(ended)
            if warning:
                messages.warning(request, warning)
            return redirect("meetings:minutes", meeting.pk)
    for error in [e for f in form.errors.values() for e in f]:
        messages.error(request, error)
    return redirect("meetings:attendance", meeting.pk)


def _agenda(request, meeting, status=200, **bound):
    items = list(meeting.agenda.prefetch_related("speeches", "votes"))
    writer = selectors.can_write(request.user, meeting)
    members = Member.objects.filter(attendance__meeting=meeting).order_by("search_key", "pk")
    summary = selectors.attendance_summary(meeting) if selectors.can_see_roster(request.user, meeting) else None
    for item in items:
        item.speech_form = bound.get(f"speech_{item.pk}") or (forms.SpeechForm(members=members) if writer else None)
        item.vote_form = bound.get(f"vote_{item.pk}") or (
            forms.VoteForm(initial={"rule": "two_thirds" if item.kind in ("admission", "recognition") else "majority"})
            if writer else None)
        item.conclusion_form = bound.get(f"conclusion_{item.pk}") or (
            forms.ConclusionForm(initial={"conclusion": item.conclusion}) if writer else None)
    return _page(request, meeting, "agenda", "meetings/detail_agenda.html", status=status, items=items,
                 summary=summary, item_form=bound.get("item_form") or (forms.AgendaItemForm() if writer else None))


@login_required
def agenda(request, pk):
    """Tab 3: the agenda, speakers by name, the chair's conclusions, votes with why they passed or failed."""
    return _agenda(request, selectors.access_meeting(request.user, pk))


def _item(meeting, item_id):
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).select_related("meeting").first()
    if item is None:
        raise Http404("Không tìm thấy.")
    return item


@login_required
@require_POST
def item_add(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.AgendaItemForm(request.POST)
    if form.is_valid() and run_action(form, actions.add_agenda_item, meeting, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã thêm nội dung."))
        return redirect("meetings:agenda", meeting.pk)
    return _agenda(request, meeting, status=400, item_form=form)


@login_required
@require_POST
def speech_add(request, pk, item_id):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    item = _item(meeting, item_id)
    form = forms.SpeechForm(request.POST, members=Member.objects.filter(attendance__meeting=meeting))
    if form.is_valid() and run_action(form, actions.record_speech, item, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi ý kiến phát biểu."))
        return redirect(f"{reverse('meetings:agenda', args=[meeting.pk])}#item-{item.pk}")
    return _agenda(request, meeting, status=400, **{f"speech_{item.pk}": form})


@login_required
@require_POST
def conclusion(request, pk, item_id):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    item = _item(meeting, item_id)
    form = forms.ConclusionForm(request.POST)
    if form.is_valid() and run_action(form, actions.record_conclusion, item, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi kết luận."))
        return redirect(f"{reverse('meetings:agenda', args=[meeting.pk])}#item-{item.pk}")
    return _agenda(request, meeting, status=400, **{f"conclusion_{item.pk}": form})


@login_required
@require_POST
def vote_add(request, pk, item_id):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    item = _item(meeting, item_id)
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        vote = run_action(form, actions.record_vote, item, by=request.user, **form.cleaned_data)
        if vote:
            (messages.success if vote.passed else messages.warning)(request, vote.explanation)
            return redirect(f"{reverse('meetings:agenda', args=[meeting.pk])}#item-{item.pk}")
    return _agenda(request, meeting, status=400, **{f"vote_{item.pk}": form})


def _minutes_tab(request, meeting, status=200, **bound):
    minutes = _minutes(meeting)
    writer = selectors.can_write(request.user, meeting)
    members = Member.objects.filter(attendance__meeting=meeting).order_by("search_key", "pk")
    initial = {"chair": meeting.chair_id, "minute_taker": meeting.minute_taker_id, "guests": meeting.guests}
    if minutes:
        initial.update(opening=minutes.opening, other_notes=minutes.other_notes, closing=minutes.closing)
    locked = bool(minutes and minutes.is_locked)
    return _page(
        request, meeting, "minutes", "meetings/detail_minutes.html", status=status, minutes=minutes,
        record=selectors.minutes_context(meeting, minutes),
        minutes_form=bound.get("minutes_form") or (forms.MinutesForm(members=members, initial=initial)
                                                   if writer and not locked else None),
        lock_form=bound.get("lock_form") or (forms.LockForm() if writer and not locked else None),
        correction_form=bound.get("correction_form") or (forms.CorrectionForm() if writer and locked else None),
        corrections=list(minutes.corrections.select_related("by")) if minutes else [],
    )


@login_required
def minutes(request, pk):
    """Tab 4: the minutes as they will print; editing until locked, corrections after."""
    return _minutes_tab(request, selectors.access_meeting(request.user, pk))


@login_required
@require_POST
def minutes_save(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.MinutesForm(request.POST, members=Member.objects.filter(attendance__meeting=meeting))
    if form.is_valid() and run_action(form, actions.save_minutes, meeting, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã lưu biên bản."))
        return redirect("meetings:minutes", meeting.pk)
    return _minutes_tab(request, meeting, status=400, minutes_form=form)


@login_required
@require_POST
def minutes_lock(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.LockForm(request.POST)
    if form.is_valid() and run_action(form, actions.lock_minutes, meeting, read_back=form.cleaned_data["read_back"],
                                      by=request.user):
        messages.success(request, _("Đã khóa biên bản. Từ nay chỉ ghi đính chính."))
        return redirect("meetings:minutes", meeting.pk)
    return _minutes_tab(request, meeting, status=400, lock_form=form)


@login_required
@require_POST
def minutes_correct(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    form = forms.CorrectionForm(request.POST)
    if form.is_valid() and run_action(form, actions.correct_minutes, meeting, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi đính chính."))
        return redirect("meetings:minutes", meeting.pk)
    return _minutes_tab(request, meeting, status=400, correction_form=form)


class MinutesSheet:
    """What the Party's document header (documents/pdf/base.html, HD 36-HD/VPTW) reads from a document.

    The minutes of a cell meeting are not a numbered register entry, so they
    reuse the header and the two signatures of the register's minutes layout
    through this stand-in rather than a copy of the template.
    """

    confidentiality = "normal"
    display_reference = ""
    recipients_lines = ()

    def __init__(self, meeting, minutes):
        from dangbo.documents.models import issuer_header_name, place_name, superior_header_name

        org = meeting.organization
        day = selectors.meeting_date(meeting)
        self.superior_name = superior_header_name(org)
        self.header_name = issuer_header_name(org)
        self.place = place_name(org)
        self.day = day
        self.is_draft = not (minutes and minutes.is_locked)
        self.doc_type = type("Kind", (), {"title": _("BIÊN BẢN")})
        self.summary = _("Sinh hoạt chi bộ %(kind)s tháng %(m)s năm %(y)s") % {
            "kind": meeting.get_kind_display().lower(), "m": f"{meeting.month:02d}", "y": meeting.year}
        self.signing_authority = ""
        self.signer_position = _("CHỦ TRÌ")
        self.signer_name = meeting.chair.full_name if meeting.chair else ""
        self.second_signer_position = _("THƯ KÝ")
        self.second_signer_name = meeting.minute_taker.full_name if meeting.minute_taker else ""

    def date_line(self):
        d = self.day
        return f"{self.place}, ngày {d:%d} tháng {d:%m} năm {d:%Y}"


@login_required
def minutes_pdf(request, pk):
    """The minutes (Biên bản) in the Party's format; "DỰ THẢO" until locked."""
    meeting = selectors.access_meeting(request.user, pk)
    meeting = Meeting.objects.select_related("organization__parent", "chair", "minute_taker").get(pk=meeting.pk)
    minutes = _minutes(meeting)
    record = selectors.minutes_context(meeting, minutes)
    pdf = render_pdf("meetings/pdf/minutes.html", {"record": record, "doc": MinutesSheet(meeting, minutes)})
    response = HttpResponse(pdf, content_type="application/pdf")
    day = selectors.meeting_date(meeting)
    code = re.sub(r"[^A-Za-z0-9.-]+", "-", meeting.organization.code)
    response["Content-Disposition"] = f'inline; filename="bien-ban-{code}-{day:%Y-%m-%d}.pdf"'
    return response


@login_required
@require_POST
def resolution_issue(request, pk):
    meeting = selectors.access_meeting(request.user, pk, capability=access.WRITE)
    document = _run(request, actions.issue_resolution, meeting, by=request.user)
    if document:
        messages.success(request, _("Đã ban hành nghị quyết %(ref)s.") % {"ref": document.display_reference})
    return redirect("meetings:minutes", meeting.pk)


# ---------------------------------------------------------------- members: upcoming meetings and QR check-in

@login_required
def mine(request):
    """A member's phone page: notified meetings of their cell (and cells they follow), with the materials."""
    today = timezone.localdate()
    meetings = selectors.upcoming_for(request.user, today=today)
    for m in meetings:
        m.day = selectors.meeting_date(m)
    return render(request, "meetings/mine.html", {
        "meetings": meetings, "today": today, "member": selectors.own_member(request.user),
    })


_TOKEN = re.compile(r"^(\d+)-[A-Za-z0-9_-]+$")


def _token_matches(meeting, token):
    return bool(meeting.checkin_token) and secrets.compare_digest(meeting.checkin_token, token)


def _own_row(token, user_id):
    """The attendance row of ``user_id`` at the meeting of a check-in address, or None (none, or a wrong token)."""
    match = _TOKEN.match(token or "")
    row = actions.own_checkin_row(int(match[1]), user_id) if match else None
    return row if row is not None and _token_matches(row.meeting, token) else None


def _meeting_for_token(request, token):
    """The meeting of a check-in address, for a member it summons; anything else is 404."""
    match = _TOKEN.match(token or "")
    meeting = Meeting.objects.select_related("organization").filter(pk=match[1]).first() if match else None
    if meeting is None or not _token_matches(meeting, token):
        raise Http404("Không tìm thấy.")
    if not selectors.is_summoned(request.user, meeting):
        raise Http404("Không tìm thấy.")
    return meeting


def _checkin_target(request, token):
    """(meeting, the caller's row or None) of a check-in address; 404 unless the meeting summons the caller.

    A row on the roster is proof enough of that, and the common case costs one query.
    """
    row = _own_row(token, request.user.pk)
    if row is None:
        return _meeting_for_token(request, token), None
    return row.meeting, row


def _tap_by_session(request, token):
    """(meeting, row, user) of a tap that the session proves, without loading the user; else None.

    What the login check rests on, read from the session (its user, its backend, the
    account's ``session_epoch`` noted at login) and checked in the query the tap runs
    anyway: the account active, its epoch unchanged (a password change ends the trust,
    as Django's session hash does). On PostgreSQL the tap is then done in that same
    statement and ``user`` is None. Anything it cannot prove goes the usual way,
    through ``login_required``, which gives the usual answers.
    """
    session = request.session
    user_id, epoch = session.get(SESSION_KEY), session.get(SESSION_EPOCH_KEY)
    match = _TOKEN.match(token or "")
    if not (user_id and match and isinstance(epoch, int)
            and session.get(BACKEND_SESSION_KEY) in settings.AUTHENTICATION_BACKENDS):
        return None
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if connection.vendor == "postgresql":
        row = actions.tap_in_one_statement(int(match[1]), token, user_id=user_id, session_epoch=epoch)
        return None if row is None else (row.meeting, row, None)
    row = _own_row(token, user_id)
    if row is None or not (row.member.user.is_active and row.member.user.session_epoch == epoch):
        return None
    return row.meeting, row, row.member.user


@require_http_methods(["GET", "POST"])
def checkin(request, token):
    """The address in the meeting's QR code: the member confirms with one tap (GET never changes anything).

    The tap's answer is small, the partial for htmx or a bare page, rendered without
    the request's context processors: the site's menu would cost more queries than
    the tap itself. A tap (POST) by a member on the meeting's roster is proven from
    the session and the one row it reads (``_tap_by_session``); the page (GET) and
    everything else go through the usual login check.
    """
    tapped = _tap_by_session(request, token) if request.method == "POST" else None
    if tapped is None:
        return _checkin_logged_in(request, token)
    meeting, row, user = tapped
    return _tap(request, meeting, token, user, row)


@login_required
def _checkin_logged_in(request, token):
    meeting, row = _checkin_target(request, token)
    if request.method == "GET":
        context = {"meeting": meeting, "meeting_day": selectors.meeting_date(meeting), "error": "",
                   "row": row if row is not None and row.status == Attendance.Status.PRESENT else None}
        return render(request, "meetings/checkin.html", context)
    return _tap(request, meeting, token, request.user, row)


def _tap(request, meeting, token, user, row):
    """Check in (unless ``user`` is None: the row was marked already) and answer with the card."""
    context = {"meeting": meeting, "meeting_day": selectors.meeting_date(meeting), "error": "", "row": row}
    try:
        if user is not None:
            context["row"] = actions.check_in_by_token(meeting, token, user, row=row)
    except ValidationError as e:
        context.update(row=None, error=" ".join(e.messages), csrf_token=get_token(request))
    if request.htmx:
        return HttpResponse(render_to_string("meetings/_partials/checkin.html", context))
    return HttpResponse(render_to_string("meetings/checkin_tapped.html", context),
                        status=400 if context["error"] else 200)
