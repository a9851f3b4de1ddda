"""Pages for transfers, residence contact (213-QĐ/TW) and exemption from party activity.

Access: reading these records needs a staff role on one of the organizations
involved (a plain member sees only their own); recording needs write on the side
that acts: the sending cell starts and cancels a transfer, the receiving cell
receives it; the workplace cell links a member to a residential cell, the
residential cell records meetings and comments; the member's cell decides on
exemption.
"""

from functools import reduce
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.lib.dates import format_date
from dangbo.lib.forms import run_action, year_param
from dangbo.members import forms_movements as forms
from dangbo.members import movements
from dangbo.members.choices import Status
from dangbo.members.models import ExemptionRequest, Member, ResidenceComment, ResidenceContact, Transfer
from dangbo.organizations import access
from dangbo.organizations.models import Organization

TRANSFER_RELATED = ("member", "member__organization", "from_organization", "to_organization")


# ---------------------------------------------------------------- helpers

def _org_from_query(request, capability=access.STAFF):
    """The organization of ?org=<id>, or the top of the user's scope."""
    org_id = request.GET.get("org")
    if not org_id:
        tops = access.roots(request.user)
        if not tops:
            raise Http404("Không tìm thấy.")
        org_id = tops[0].pk
    return access.access_organization(request.user, org_id, capability=capability)




def _resolve(obj, field):
    for part in field.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj


def _two_sided(user, queryset, pk, fields, acting=None):
    """A row reachable from either of two organizations, fetched to write on it.

    Outside the scope of both → 404. In scope, without write on one of the
    organizations that may act (``acting(row)``, by default both) → 403.
    """
    scope = reduce(or_, (access.scope_q(user, field) for field in fields))
    obj = get_object_or_404(queryset.filter(scope).select_related(*fields), pk=pk)
    orgs = acting(obj) if acting else [_resolve(obj, field) for field in fields]
    if not any(org is not None and access.can(user, org, access.WRITE) for org in orgs):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    return obj


def _transfer(user, pk, acting=None):
    return _two_sided(user, Transfer.objects.select_related(*TRANSFER_RELATED), pk,
                      ["from_organization", "to_organization"], acting)


def _sending(transfer):
    return [transfer.from_organization]


def _receiving(transfer):
    """The receiving cell acts; for a place outside the system, the sending cell records the return slip."""
    return [transfer.to_organization or transfer.from_organization]


def _form_page(request, form, *, title, back, summary=None, org=None):
    return render(request, "members/movements/form.html", {
        "form": form, "title": title, "back": back, "summary": summary or [], "org": org,
    })


def _with_deadlines(transfers, today):
    transfers = list(transfers)
    for transfer in transfers:
        transfer.deadlines = movements.transfer_deadlines(transfer, today=today)
    return transfers


# ---------------------------------------------------------------- transfers

@login_required
def transfer_list(request):
    """Transfers of an organization's subtree: pending with deadlines, out, in, temporary."""
    org = _org_from_query(request)
    year, today = year_param(request), timezone.localdate()
    base = Transfer.objects.select_related(*TRANSFER_RELATED)
    out_q, in_q = Q(from_organization__path__startswith=org.path), Q(to_organization__path__startswith=org.path)
    temporary = base.filter(kind=Transfer.Kind.TEMPORARY, state=Transfer.State.COMPLETED)
    done = base.filter(moved_on__year=year).exclude(state=Transfer.State.PENDING)
    return render(request, "members/movements/transfer_list.html", {
        "org": org, "year": year, "today": today, "children": org.children.order_by("kind", "name"),
        "pending": _with_deadlines(base.filter(out_q | in_q, state=Transfer.State.PENDING), today),
        "outgoing": _with_deadlines(done.filter(out_q), today), "incoming": _with_deadlines(done.filter(in_q), today),
        "attached": temporary.filter(in_q), "away": temporary.filter(out_q),
        "can_write": access.can(request.user, org, access.WRITE),
    })


@login_required
def transfer_detail(request, pk):
    user = request.user
    visible = (access.scope_q(user, "from_organization", access.STAFF)
               | access.scope_q(user, "to_organization", access.STAFF) | Q(member__user_id=user.pk))
    transfer = get_object_or_404(Transfer.objects.filter(visible).select_related(*TRANSFER_RELATED), pk=pk)
    writes = {side: org is not None and access.can(user, org, access.WRITE)
              for side, org in (("from", transfer.from_organization), ("to", transfer.to_organization))}
    return render(request, "members/movements/transfer_detail.html", {
        "transfer": transfer, "deadlines": movements.transfer_deadlines(transfer, today=timezone.localdate()),
        "can_send": writes["from"], "can_end": writes["from"] or writes["to"],
        "can_receive": writes["to"] if transfer.to_organization_id else writes["from"],
        "history": transfer.history.select_related("history_user").order_by("-history_date"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def transfer_start(request, member_id):
    member = access.access_object(request.user, Member.objects.all(), member_id, capability=access.WRITE)
    form = forms.TransferStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        transfer = run_action(form, movements.start_transfer, member, by=request.user, **form.cleaned_data)
        if transfer:
            messages.success(request, _("Đã ghi việc chuyển sinh hoạt của %(name)s.") % {"name": member.full_name})
            return redirect("members:transfer_detail", transfer.pk)
    return _form_page(request, form, org=member.organization,
                      title=_("Chuyển sinh hoạt đảng: %(name)s") % {"name": member.full_name},
                      back=reverse("members:transfer_list") + f"?org={member.organization_id}")


def _transfer_action(request, pk, *, acting, form, action, title, done):
    transfer = _transfer(request.user, pk, acting)
    if request.method == "POST" and form.is_valid():
        if run_action(form, action, transfer, by=request.user, **form.cleaned_data):
            messages.success(request, done)
            return redirect("members:transfer_detail", transfer.pk)
    return _form_page(request, form, title=title % {"name": transfer.member.full_name},
                      back=reverse("members:transfer_detail", args=[transfer.pk]), summary=_summary(transfer))


def _summary(transfer):
    return [
        (_("Đảng viên"), transfer.member.full_name),
        (_("Loại"), transfer.get_kind_display()),
        (_("Nơi chuyển đi"), transfer.from_organization or transfer.from_text),
        (_("Nơi chuyển đến"), transfer.to_organization or transfer.to_text),
        (_("Giấy giới thiệu"), f"{transfer.letter_number} {format_date(transfer.letter_date)}".strip()),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def transfer_letter(request, pk):
    return _transfer_action(request, pk, acting=_sending, form=forms.LetterForm(request.POST or None),
                            action=movements.record_letter, title=_("Ghi giấy giới thiệu: %(name)s"),
                            done=_("Đã ghi giấy giới thiệu."))


@login_required
@require_http_methods(["GET", "POST"])
def transfer_receive(request, pk):
    return _transfer_action(request, pk, acting=_receiving,
                            form=forms.ReceiveForm(request.POST or None), action=movements.receive_transfer,
                            title=_("Tiếp nhận sinh hoạt đảng: %(name)s"), done=_("Đã tiếp nhận."))


@login_required
@require_POST
def transfer_cancel(request, pk):
    transfer = _transfer(request.user, pk, _sending)
    try:
        movements.cancel_transfer(transfer, by=request.user)
        messages.success(request, _("Đã hủy việc chuyển sinh hoạt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("members:transfer_detail", transfer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_end(request, pk):
    """Either the home cell or the receiving cell records the end of a temporary transfer."""
    transfer = _transfer(request.user, pk)
    form = forms.OnDateForm(request.POST or None, label=_("Kết thúc sinh hoạt tạm thời từ ngày"))
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.end_temporary_transfer, transfer, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã kết thúc sinh hoạt tạm thời."))
            return redirect("members:transfer_detail", transfer.pk)
    return _form_page(request, form, summary=_summary(transfer),
                      title=_("Kết thúc sinh hoạt tạm thời: %(name)s") % {"name": transfer.member.full_name},
                      back=reverse("members:transfer_detail", args=[transfer.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def transfer_receive_outside(request, cell_id):
    """A member arrives from a party organization outside the system."""
    cell = access.access_organization(request.user, cell_id, capability=access.WRITE)
    if not cell.is_cell:
        raise Http404("Không phải chi bộ.")
    form = forms.ReceiveFromOutsideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_fields, rest = form.split()
        transfer = run_action(form, movements.receive_from_outside, cell=cell, by=request.user, **rest, **member_fields)
        if transfer:
            messages.success(request, _("Đã tiếp nhận %(name)s.") % {"name": transfer.member.full_name})
            return redirect("members:transfer_detail", transfer.pk)
    return _form_page(request, form, org=cell,
                      title=_("Tiếp nhận đảng viên từ ngoài hệ thống vào %(cell)s") % {"cell": cell.name},
                      back=reverse("members:transfer_list") + f"?org={cell.pk}")


# ---------------------------------------------------------------- residence contact

@login_required
def residence_cell(request, cell_id):
    """The residential cell's working members: last meeting, this year's comment, flags."""
    cell = access.access_organization(request.user, cell_id, capability=access.STAFF)
    if cell.category != Organization.Category.RESIDENTIAL:
        raise Http404("Không phải chi bộ khu dân cư.")
    year, today = year_param(request), timezone.localdate()
    this_year = ResidenceComment.objects.filter(contact=OuterRef("pk"), year=year)
    contacts = list(
        cell.residence_contacts.filter(ended_on__isnull=True).select_related("member", "member__organization")
        .annotate(last_met=Max("residencemeeting__held_on"), comment_id=Subquery(this_year.values("pk")[:1]),
                  comment_sent_on=Subquery(this_year.values("sent_on")[:1]))
        .order_by("member__search_key")
    )
    for contact in contacts:
        contact.next_due = movements.meeting_due(contact.last_met or contact.introduced_on, cell=cell)
        contact.overdue = (not contact.exempt_from_activity and contact.next_due is not None
                           and contact.next_due < today)
    return render(request, "members/movements/residence_cell.html", {
        "cell": cell, "year": year, "contacts": contacts, "today": today,
        "meetings": cell.residence_meetings.annotate(n=Count("attendees")).order_by("-held_on")[:20],
        "can_write": access.can(request.user, cell, access.WRITE),
    })


@login_required
def residence_comments(request):
    """The workplace side: its members' residence contacts and the comments sent to it."""
    org = _org_from_query(request)
    year = year_param(request)
    mine = Q(contact__member__organization__path__startswith=org.path)
    return render(request, "members/movements/residence_comments.html", {
        "org": org, "year": year, "children": org.children.order_by("kind", "name"),
        "contacts": ResidenceContact.objects.filter(member__organization__path__startswith=org.path,
                                                    ended_on__isnull=True)
        .select_related("member", "member__organization", "residential_cell"),
        "comments": ResidenceComment.objects.filter(mine, sent_on__isnull=False, year=year)
        .select_related("contact__member", "contact__member__organization", "contact__residential_cell"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def residence_link(request, member_id):
    """The workplace cell introduces its member to the residential cell where they live."""
    member = access.access_object(request.user, Member.objects.all(), member_id, capability=access.WRITE)
    form = forms.ResidenceLinkForm(request.POST or None, initial={"address": member.residence_address})
    if request.method == "POST" and form.is_valid():
        contact = run_action(form, movements.link_residence, member, by=request.user, **form.cleaned_data)
        if contact:
            messages.success(request, _("Đã giới thiệu %(name)s về %(cell)s.")
                             % {"name": member.full_name, "cell": contact.residential_cell.name})
            return redirect(reverse("members:residence_comments") + f"?org={member.organization_id}")
    return _form_page(request, form, org=member.organization,
                      title=_("Giới thiệu sinh hoạt nơi cư trú: %(name)s") % {"name": member.full_name},
                      back=reverse("members:residence_comments") + f"?org={member.organization_id}")


@login_required
@require_http_methods(["GET", "POST"])
def residence_end(request, pk):
    """Either side ends the link: a new job, a new home, or leaving the workplace."""
    contact = _two_sided(request.user, ResidenceContact.objects.select_related("member"), pk,
                         ["member__organization", "residential_cell"])
    form = forms.OnDateForm(request.POST or None, label=_("Kết thúc từ ngày"))
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.end_residence, contact, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã kết thúc mối liên hệ nơi cư trú."))
            return redirect("members:residence_cell", contact.residential_cell_id)
    return _form_page(request, form, summary=[(_("Chi bộ nơi cư trú"), contact.residential_cell.name)],
                      title=_("Kết thúc sinh hoạt nơi cư trú: %(name)s") % {"name": contact.member.full_name},
                      back=reverse("members:residence_cell", args=[contact.residential_cell_id]))


@login_required
@require_http_methods(["GET", "POST"])
def residence_meeting_create(request, cell_id):
    cell = access.access_organization(request.user, cell_id, capability=access.WRITE)
    contacts = cell.residence_contacts.filter(ended_on__isnull=True).select_related("member")
    form = forms.ResidenceMeetingForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.record_residence_meeting, cell, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi buổi họp."))
            return redirect("members:residence_cell", cell.pk)
    return _form_page(request, form, org=cell, back=reverse("members:residence_cell", args=[cell.pk]),
                      title=_("Họp với đảng viên sinh hoạt nơi cư trú — %(cell)s") % {"cell": cell.name})


@login_required
@require_http_methods(["GET", "POST"])
def residence_comment(request, pk):
    contact = access.access_object(request.user, ResidenceContact.objects.select_related("member"), pk,
                                   field="residential_cell", capability=access.WRITE)
    year = year_param(request)
    existing = contact.comments.filter(year=year).first()
    initial = {"year": year, "comment": existing.comment if existing else ""}
    form = forms.ResidenceCommentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.record_residence_comment, contact, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã lưu nhận xét."))
            return redirect("members:residence_cell", contact.residential_cell_id)
    return _form_page(request, form, summary=[(_("Chi bộ nơi cư trú"), contact.residential_cell.name)],
                      title=_("Nhận xét đảng viên nơi cư trú: %(name)s") % {"name": contact.member.full_name},
                      back=reverse("members:residence_cell", args=[contact.residential_cell_id]))


@login_required
@require_POST
def residence_send(request, pk):
    """The residential cell sends a comment to the workplace organization."""
    comment = access.access_object(request.user, ResidenceComment.objects.all(), pk,
                                   field="contact__residential_cell", capability=access.WRITE)
    form = forms.OnDateForm(request.POST)
    if form.is_valid() and run_action(form, movements.send_comment, comment, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã gửi nhận xét về nơi công tác."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("members:residence_cell", comment.contact.residential_cell_id)


# ---------------------------------------------------------------- exemption

@login_required
def exemption_list(request):
    """Exemption requests of a subtree for the superior committee, and who is exempt now."""
    org = _org_from_query(request)
    year = year_param(request)
    requests = (ExemptionRequest.objects.filter(member__organization__path__startswith=org.path)
                .select_related("member", "member__organization"))
    undecided = list(requests.filter(decision=ExemptionRequest.Decision.PENDING))
    to_inform = list(requests.exclude(decision=ExemptionRequest.Decision.PENDING)
                     .filter(superior_informed_on__isnull=True))
    for row in undecided + to_inform:
        row.can_write = access.can(request.user, row.member.organization, access.WRITE)
    approved = (ExemptionRequest.objects.filter(decision=ExemptionRequest.Decision.APPROVED)
                .exclude(kind=ExemptionRequest.Kind.RETURN).order_by("-decided_on", "-pk"))
    return render(request, "members/movements/exemption_list.html", {
        "org": org, "year": year, "today": timezone.localdate(), "children": org.children.order_by("kind", "name"),
        "undecided": undecided, "to_inform": to_inform,
        "informed": requests.filter(superior_informed_on__isnull=False, superior_informed_on__year=year),
        "exempt": Member.objects.filter(organization__path__startswith=org.path, status=Status.EXEMPT)
        .select_related("organization").prefetch_related(Prefetch("exemption_requests", approved, to_attr="approved")),
    })


@login_required
@require_http_methods(["GET", "POST"])
def exemption_request(request, member_id):
    member = access.access_object(request.user, Member.objects.all(), member_id, capability=access.WRITE)
    initial = {"kind": ExemptionRequest.Kind.RETURN if member.status == Status.EXEMPT else ExemptionRequest.Kind.EXEMPT}
    form = forms.ExemptionRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.request_exemption, member, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi đơn của %(name)s.") % {"name": member.full_name})
            return redirect(reverse("members:exemption_list") + f"?org={member.organization_id}")
    return _form_page(request, form, org=member.organization,
                      title=_("Đơn miễn, tạm miễn, trở lại sinh hoạt: %(name)s") % {"name": member.full_name},
                      back=reverse("members:exemption_list") + f"?org={member.organization_id}")


@login_required
@require_http_methods(["GET", "POST"])
def exemption_decide(request, pk):
    """24-QĐ/TW §7.1: the cell decides."""
    req = access.access_object(request.user, ExemptionRequest.objects.select_related("member"), pk,
                               field="member__organization", capability=access.WRITE)
    form = forms.ExemptionDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_action(form, movements.decide_exemption, req, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã ghi quyết định của chi bộ."))
            return redirect(reverse("members:exemption_list") + f"?org={req.member.organization_id}")
    summary = [(_("Đảng viên"), req.member.full_name), (_("Loại"), req.get_kind_display()), (_("Lý do"), req.reason),
               (_("Ngày làm đơn"), format_date(req.requested_on)),
               (_("Đến ngày"), format_date(req.until))]
    return _form_page(request, form, summary=summary, title=_("Chi bộ xem xét đơn của %(name)s") % {
        "name": req.member.full_name}, back=reverse("members:exemption_list") + f"?org={req.member.organization_id}")


@login_required
@require_POST
def exemption_inform(request, pk):
    """The cell records that it informed the superior committee."""
    req = access.access_object(request.user, ExemptionRequest.objects.select_related("member"), pk,
                               field="member__organization", capability=access.WRITE)
    form = forms.OnDateForm(request.POST)
    if form.is_valid() and run_action(form, movements.inform_superior, req, by=request.user, **form.cleaned_data):
        messages.success(request, _("Đã ghi báo cáo cấp ủy cấp trên."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(reverse("members:exemption_list") + f"?org={req.member.organization_id}")

