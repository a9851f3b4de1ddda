"""Who sees which document: the scoped lookups every documents view goes through.

The rule (built on organizations.access, whose grants cover a subtree):

- A **draft** is seen only by users with WRITE on its organization (its own
  secretary or the office above it). A cell never sees another cell's drafts.
- A **register** (every issued or received document of an organization) is seen by
  users holding any role other than ``member`` on that organization or above it:
  secretaries, the office, committee members, the read-only superior.
- Anyone else sees only what was **sent** to them: a delivery to them by name, or
  to an organization at or above one they hold a role on (sending to a cell
  reaches every user with a role in that cell). A member of cell A therefore sees
  what was sent to cell A, to the ward, or to them, and nothing else.

Outside this scope a lookup is a 404, as if the document did not exist; inside
it, asking to write without WRITE on the document's organization is a 403.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from dangbo.accounts.models import WRITE_ROLES, Role, RoleAssignment, User
from dangbo.documents.models import (
    CONGRESS_SERIES, CONGRESS_SYMBOL, Attachment, Delivery, Document, DocumentCounter, DocumentType, ReadReceipt, Task,
    numbering_term,
)
from dangbo.organizations import access
from dangbo.organizations.models import Organization

# Roles that keep or supervise a register; ``member`` only receives documents.
REGISTER_ROLES = frozenset(Role) - {Role.MEMBER}


def _subtree_q(paths, prefix="organization__"):
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))


def _paths(user, roles):
    return [g.organization.path for g in access.grants(user) if g.role in roles]


def member_of_ids(user):
    """Organizations a delivery may address to reach ``user``: each one they hold a role on, and its ancestors."""
    return {pk for g in access.grants(user) for pk in g.organization.ancestor_ids()}


def sent_to_q(user):
    """Deliveries that reach ``user``."""
    return Q(user=user) | Q(organization_id__in=member_of_ids(user))


def visible_documents(user):
    """Documents ``user`` may see, as a queryset (see the module docstring for the rule)."""
    if not user.is_authenticated:
        return Document.objects.none()
    if user.is_superuser:
        return Document.objects.all()
    draft = Q(status=Document.Status.DRAFT)
    sent = Delivery.objects.filter(sent_to_q(user)).values("document_id")
    return Document.objects.filter(
        (draft & _subtree_q(_paths(user, WRITE_ROLES)))
        | (~draft & (_subtree_q(_paths(user, REGISTER_ROLES)) | Q(pk__in=sent)))
    )


def can_write(user, document):
    """Whether ``user`` may change ``document``: WRITE on the organization that holds it."""
    return access.can(user, document.organization, access.WRITE)


def access_document(user, document_id, *, capability=access.READ):
    """Fetch a document within the user's scope: 404 outside it, 403 when asked to write without WRITE."""
    try:
        document = visible_documents(user).select_related(
            "organization", "doc_type", "term", "replaced_by"
        ).get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    if capability != access.READ and not access.can(user, document.organization, capability):
        raise PermissionDenied(gettext("Bạn không có quyền sửa văn bản của đơn vị này."))
    return document


def access_attachment(user, document_id, attachment_id, *, capability=access.READ):
    document = access_document(user, document_id, capability=capability)
    try:
        return document, document.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None


def can_report(user, task):
    """The responsible side reports on a task; so may the issuer's office, recording a paper report."""
    if task.responsible_user_id == user.pk:
        return True
    if task.responsible_organization_id and access.can(user, task.responsible_organization, access.WRITE):
        return True
    return can_write(user, task.document)


def access_task(user, task_id, *, report=False):
    """Fetch a task whose document the user sees; ``report=True`` also needs the right to report on it."""
    try:
        task = Task.objects.select_related(
            "document__organization", "document__doc_type", "responsible_organization", "responsible_user"
        ).get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    if not visible_documents(user).filter(pk=task.document_id).exists():
        raise Http404("Không tìm thấy.")
    if report and not can_report(user, task):
        raise PermissionDenied(gettext("Bạn không phụ trách nhiệm vụ này."))
    return task


def is_recipient(document, user):
    return document.deliveries.filter(sent_to_q(user)).exists()


def register(user):
    """The register as the list shows it, with what each row needs in the same query."""
    unread = ~Exists(ReadReceipt.objects.filter(document=OuterRef("pk"), user=user.pk))
    addressed = Exists(Delivery.objects.filter(sent_to_q(user), document=OuterRef("pk")))
    return (
        visible_documents(user)
        .select_related("organization", "doc_type")
        .annotate(addressed_to_me=addressed, unread=unread)
    )


def expected_readers(document):
    """Everyone a document was sent to, with when they read it: [{"user", "via", "read_at"}], unread first.

    Sending to an organization reaches every user holding a role (in force today)
    on it or below it; a user reached several ways is listed once.
    """
    deliveries = list(document.deliveries.select_related("organization", "user"))
    rows = {}
    org_deliveries = [d for d in deliveries if d.organization_id]
    if org_deliveries:
        paths = [d.organization.path for d in org_deliveries]
        grants = (
            RoleAssignment.objects.in_force()
            .filter(_subtree_q(paths))
            .select_related("user", "organization")
            .order_by("organization__path", "user__full_name")
        )
        for grant in grants:
            row = rows.setdefault(grant.user_id, {"user": grant.user, "via": []})
            if grant.organization.name not in row["via"]:
                row["via"].append(grant.organization.name)
    for delivery in deliveries:
        if delivery.user_id:
            row = rows.setdefault(delivery.user_id, {"user": delivery.user, "via": []})
            row["via"].append(gettext("gửi đích danh"))
    read = dict(document.receipts.values_list("user_id", "read_at"))
    result = []
    for user_id, row in rows.items():
        row["read_at"] = read.get(user_id)
        row["via"] = ", ".join(row["via"])
        result.append(row)
    result.sort(key=lambda r: (r["read_at"] is not None, str(r["user"])))
    return result


def overdue_tasks_for(user, today=None):
    """Open tasks past their deadline that ``user`` follows: as issuer (WRITE on the document's
    organization) or as the responsible side (the person, or WRITE on the responsible organization).
    """
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return Task.objects.none()
    tasks = Task.objects.overdue(today).select_related(
        "document__organization", "document__doc_type", "responsible_organization", "responsible_user"
    )
    if user.is_superuser:
        return tasks
    write_paths = _paths(user, WRITE_ROLES)
    return tasks.filter(
        _subtree_q(write_paths, "document__organization__")
        | _subtree_q(write_paths, "responsible_organization__")
        | Q(responsible_user=user)
    ).order_by("deadline", "pk")


_TASK_RELATED = ("document__organization", "document__doc_type", "responsible_organization", "responsible_user")


def tasks_of(document):
    return document.tasks.select_related(*_TASK_RELATED).annotate(report_count=Count("reports"))


def tasks_for(user):
    """Tasks of the issued documents ``user`` sees, open ones first, by deadline."""
    return (
        Task.objects.filter(document__in=visible_documents(user))
        .exclude(document__status=Document.Status.DRAFT)
        .select_related(*_TASK_RELATED)
        .annotate(report_count=Count("reports"))
        .order_by("-state", "deadline", "pk")
    )


def organizations_for_distribution(document):
    """Where a document may be sent: its holder and every active organization below it."""
    return Organization.objects.within(document.organization).active().order_by("path")


def users_for_distribution(document):
    """Users holding a role (in force) in the document's organization subtree."""
    ids = RoleAssignment.objects.in_force().filter(
        organization__path__startswith=document.organization.path
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def numbering_term_today(organization):
    return numbering_term(organization, timezone.localdate())


def counters_of(organization):
    """The organization's number series in the term in force today, as (code, name, last number)."""
    term = numbering_term_today(organization)
    used = {}
    if term is not None:
        used = dict(DocumentCounter.objects.filter(organization=organization, term=term)
                    .values_list("series", "last_number"))
    rows = [(t.code, t.name, used.pop(t.code, 0)) for t in DocumentType.objects.filter(active=True)]
    if CONGRESS_SERIES in used:
        rows.append((CONGRESS_SYMBOL, gettext("Văn bản đại hội"), used.pop(CONGRESS_SERIES)))
    return rows
