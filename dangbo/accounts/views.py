"""Login, own password, and the office's account and role pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts import actions
from dangbo.accounts.forms import AccountForm, GrantForm, LinkMemberForm, LoginForm
from dangbo.accounts.models import RoleAssignment, User, remember_session_epoch
from dangbo.lib.forms import run_action
from dangbo.lib.vntext import search_key
from dangbo.members.models import Member
from dangbo.organizations import access


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
)


@login_required
def password_changed(request):
    # Django kept this session logged in (update_session_auth_hash); it notes the new epoch too.
    remember_session_epoch(None, request, request.user)
    messages.success(request, _("Đã đổi mật khẩu."))
    return redirect("home")


def _managed_root(request):
    org_id = request.GET.get("org")
    if org_id:
        return access.access_organization(request.user, org_id, capability=access.MANAGE)
    for root in access.roots(request.user):
        if access.can(request.user, root, access.MANAGE):
            return root
    raise Http404("Không tìm thấy.")


@login_required
def user_list(request):
    org = _managed_root(request)
    grants = RoleAssignment.objects.filter(organization__path__startswith=org.path).select_related("organization")
    users = (
        User.objects.filter(Q(role_assignments__organization__path__startswith=org.path)
                            | Q(member__organization__path__startswith=org.path))
        .distinct().order_by("full_name", "username")
        .prefetch_related(Prefetch("role_assignments", queryset=grants, to_attr="scoped_grants"))
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(phone__contains=q) | Q(full_name__icontains=q)
                             | Q(member__search_key__contains=search_key(q)))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"org": org, "page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    org = _managed_root(request)
    form = AccountForm(request.POST or None)
    grant_form = GrantForm(request.POST or None, organizations=access.visible_organizations(request.user, access.MANAGE))
    if request.method == "POST" and form.is_valid() and grant_form.is_valid():
        result = run_action(form, _create_with_grant, by=request.user, account=form.cleaned_data,
                            grant=grant_form.cleaned_data)
        if result:
            account, password = result
            messages.success(request, _("Đã tạo tài khoản %(u)s. Mật khẩu tạm: %(p)s — hãy đọc cho người dùng và đề nghị đổi ngay.")
                             % {"u": account.username, "p": password})
            return redirect("accounts:user_detail", account.pk)
    return render(request, "accounts/user_form.html", {"org": org, "form": form, "grant_form": grant_form})


def _create_with_grant(*, account, grant, by):
    from django.db import transaction

    with transaction.atomic():
        user, password = actions.create_account(by=by, **account)
        actions.grant_role(user, by=by, **grant)
    return user, password


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, user_id):
    account = access.access_user(request.user, user_id)
    manageable = access.visible_organizations(request.user, access.MANAGE)
    grant_form = GrantForm(request.POST or None, organizations=manageable)
    if request.method == "POST" and grant_form.is_valid():
        if run_action(grant_form, actions.grant_role, account, by=request.user, **grant_form.cleaned_data):
            messages.success(request, _("Đã phân quyền."))
            return redirect("accounts:user_detail", account.pk)
    grants = account.role_assignments.filter(access.scope_q(request.user, capability=access.MANAGE)).select_related("organization")
    member = Member.objects.filter(user=account).select_related("organization").first()
    return render(request, "accounts/user_detail.html", {
        "account": account, "grants": grants, "grant_form": grant_form, "member": member,
        "link_form": LinkMemberForm(), "history": account.history.select_related("history_user")[:20],
    })


@login_required
@require_POST
def grant_end(request, grant_id):
    grant = access.access_object(request.user, RoleAssignment.objects.all(), grant_id, capability=access.MANAGE)
    actions.end_role(grant, by=request.user)
    messages.success(request, _("Đã kết thúc vai trò %(r)s.") % {"r": grant.get_role_display()})
    return redirect("accounts:user_detail", grant.user_id)


@login_required
@require_POST
def user_reset_password(request, user_id):
    account = access.access_user(request.user, user_id)
    password = actions.reset_password(account, by=request.user)
    messages.success(request, _("Mật khẩu tạm mới của %(u)s: %(p)s") % {"u": account.username, "p": password})
    return redirect("accounts:user_detail", account.pk)


@login_required
@require_POST
def user_set_active(request, user_id):
    account = access.access_user(request.user, user_id)
    actions.set_active(account, active=request.POST.get("active") == "1", by=request.user)
    return redirect("accounts:user_detail", account.pk)


@login_required
@require_POST
def user_link_member(request, user_id):
    account = access.access_user(request.user, user_id)
    form = LinkMemberForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["card_or_cccd"].strip()
        member = (Member.objects.filter(access.scope_q(request.user, capability=access.MANAGE))
                  .filter(Q(card_number=key) | Q(citizen_id=key)).first())
        if member is None:
            messages.error(request, _("Không tìm thấy đảng viên có số thẻ hoặc CCCD %(k)s trong phạm vi của bạn.") % {"k": key})
        elif run_action(form, actions.link_member, account, member=member, by=request.user):
            messages.success(request, _("Đã gắn tài khoản với hồ sơ %(name)s.") % {"name": member.full_name})
        else:
            messages.error(request, " ".join(form.non_field_errors()))
    return redirect("accounts:user_detail", account.pk)
