"""Pages of the organization tree: browse, and the office's create/rename/move/merge/close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangbo.lib import history as change_history
from dangbo.lib.forms import run_action
from dangbo.organizations import access, actions
from dangbo.organizations.counts import member_counts
from dangbo.organizations.forms import (
    CloseForm, MergeForm, MoveForm, OrganizationCreateForm, RenameForm, ResidentialGroupForm, TermForm,
)
from dangbo.organizations.models import Organization, ResidentialGroup, Term


def _crumbs(user, org, ancestors=None):
    """Breadcrumbs from the top of the user's scope down to ``org`` (``ancestors``: org.ancestors(), if at hand)."""
    visible = [o for o in (org.ancestors() if ancestors is None else ancestors) if access.can(user, o)]
    return [{"label": o.name, "url": o.get_absolute_url()} for o in visible]


def _with_counts(orgs, root_path=None):
    orgs = list(orgs)
    counts = member_counts(orgs, root_path)
    for org in orgs:
        org.member_count = counts[org.pk]
    return orgs


@login_required
def tree(request):
    """The user's part of the tree: their top organizations with one level below."""
    roots = _with_counts(access.roots(request.user))
    return render(request, "organizations/tree.html", {"roots": roots})


@login_required
def children(request, org_id):
    """htmx partial: the organizations directly under ``org_id``, with counts."""
    org = access.access_organization(request.user, org_id)
    kids = _with_counts(org.children.order_by("kind", "code"), org.path)
    return render(request, "organizations/_partials/children.html", {"org": org, "kids": kids})


def _next_meeting(org, today):
    from dangbo.meetings.models import Meeting

    if not org.is_cell:
        return None
    return (Meeting.objects.filter(organization=org, scheduled_at__date__gte=today)
            .exclude(state__in=[Meeting.State.CANCELLED, Meeting.State.HELD]).order_by("scheduled_at").first())


def _admission_deadlines(user, org, today):
    from dangbo.admissions.selectors import deadline_counts

    return deadline_counts(user, org, today) if access.can(user, org, access.STAFF) else None


@login_required
def detail(request, org_id):
    """An organization's page: for a cell, its dashboard (members, next meeting, deadlines)."""
    org = access.access_organization(request.user, org_id)
    today = timezone.localdate()
    # The page lists the organizations below a committee only.
    kids = [] if org.is_cell else _with_counts(org.children.order_by("active_to", "kind", "code"), org.path)
    ancestors = list(org.ancestors())
    if org.parent_id is not None:
        # The page names the parent: take it from the breadcrumbs' query instead of one of its own.
        org.parent = next((o for o in ancestors if o.pk == org.parent_id), None) or org.parent
    return render(request, "organizations/detail.html", {
        "staff": access.can(request.user, org, access.STAFF),
        "next_meeting": _next_meeting(org, today),
        "admission_deadlines": _admission_deadlines(request.user, org, today),
        "org": org,
        "member_count": member_counts([org])[org.pk],
        "kids": kids,
        "terms": org.terms.all(),
        "groups": org.residential_groups.prefetch_related("cells") if not org.is_cell else org.covered_groups.all(),
        "can_manage": access.can(request.user, org, access.MANAGE),
        "breadcrumbs": _crumbs(request.user, org, ancestors),
        "tab": "overview",
    })


@login_required
def history(request, org_id):
    """Every recorded change of the organization, its terms and residential groups."""
    org = access.access_organization(request.user, org_id)
    rows = change_history.merged(
        change_history.history_rows(Organization, org.history.all(), what=_("Tổ chức"), summary=lambda r: r.name),
        change_history.history_rows(Term, Term.history.filter(organization_id=org.pk), what=_("Nhiệm kỳ"),
                             summary=lambda r: r.name),
    )
    return render(request, "organizations/history.html", {
        "org": org, "rows": rows,
        "breadcrumbs": _crumbs(request.user, org), "tab": "history",
    })


@login_required
@require_http_methods(["GET", "POST"])
def create(request, org_id):
    parent = access.access_organization(request.user, org_id, capability=access.MANAGE)
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = run_action(form, actions.create_organization, parent=parent, by=request.user, **form.cleaned_data)
        if org:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": org.name})
            return redirect(org)
    return render(request, "organizations/form.html", {
        "org": parent, "form": form, "title": _("Thành lập tổ chức trực thuộc %(name)s") % {"name": parent.name},
        "breadcrumbs": _crumbs(request.user, parent),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rename(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.MANAGE)
    form = RenameForm(request.POST or None, initial={"name": org.name, "symbol": org.symbol})
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.rename_organization, org, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã đổi tên."))
            return redirect(org)
    return render(request, "organizations/form.html", {
        "org": org, "form": form, "title": _("Đổi tên %(name)s") % {"name": org.name},
        "breadcrumbs": _crumbs(request.user, org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def move(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.MANAGE)
    choices = (
        access.visible_organizations(request.user, access.MANAGE)
        .committees().active().exclude(path__startswith=org.path)
    )
    form = MoveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.move_organization, org, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã chuyển %(name)s.") % {"name": org.name})
            return redirect(org)
    return render(request, "organizations/form.html", {
        "org": org, "form": form, "title": _("Chuyển %(name)s sang trực thuộc tổ chức khác") % {"name": org.name},
        "breadcrumbs": _crumbs(request.user, org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.MANAGE)
    choices = access.visible_organizations(request.user, access.MANAGE).cells().active().exclude(pk=org.pk)
    form = MergeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.merge_cells, org, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã sáp nhập %(name)s.") % {"name": org.name})
            return redirect(form.cleaned_data["into"])
    return render(request, "organizations/form.html", {
        "org": org, "form": form, "title": _("Sáp nhập %(name)s vào chi bộ khác") % {"name": org.name},
        "breadcrumbs": _crumbs(request.user, org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def close(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.MANAGE)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.close_organization, org, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã giải thể %(name)s.") % {"name": org.name})
            return redirect(org)
    return render(request, "organizations/form.html", {
        "org": org, "form": form, "title": _("Giải thể %(name)s") % {"name": org.name},
        "breadcrumbs": _crumbs(request.user, org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, org_id):
    org = access.access_organization(request.user, org_id, capability=access.MANAGE)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = form.save(commit=False)
        term.organization = org
        actions._stamp(term, request.user).save()
        messages.success(request, _("Đã thêm nhiệm kỳ %(name)s.") % {"name": term.name})
        return redirect(org)
    return render(request, "organizations/form.html", {
        "org": org, "form": form, "title": _("Thêm nhiệm kỳ của %(name)s") % {"name": org.name},
        "breadcrumbs": _crumbs(request.user, org),
    })


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, org_id, group_id=None):
    ward = access.access_organization(request.user, org_id, capability=access.MANAGE)
    group = None
    if group_id is not None:
        group = access.access_object(request.user, ResidentialGroup.objects.all(), group_id, field="ward",
                                     capability=access.MANAGE)
        ward = group.ward
    form = ResidentialGroupForm(request.POST or None, instance=group, ward=ward)
    if request.method == "POST" and form.is_valid():
        group = form.save(commit=False)
        group.ward = ward
        actions._stamp(group, request.user).save()
        form.save_m2m()
        messages.success(request, _("Đã lưu tổ dân phố %(name)s.") % {"name": group.name})
        return redirect(ward)
    return render(request, "organizations/form.html", {
        "org": ward, "form": form,
        "title": _("Tổ dân phố của %(name)s") % {"name": ward.name},
        "breadcrumbs": _crumbs(request.user, ward),
    })
