"""Background work of admissions: daily reminders of deadlines due soon or overdue.

``send_reminders`` is a django-tasks task; ``manage.py send_admission_reminders``
enqueues it (run it daily from cron; the worker, ``manage.py db_worker``, runs it).
"""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dangbo.accounts.models import WRITE_ROLES, RoleAssignment
from dangbo.admissions import selectors
from dangbo.admissions.models import CLOSED, Candidate, Notice
from dangbo.lib.dates import format_date

log = logging.getLogger(__name__)

# Console and dummy backends deliver nothing to anyone: mail only when a real one is set.
_NO_MAIL_BACKENDS = ("django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend")
# The deadlines that are reminded: those due within SOON_WORKING_DAYS, and those overdue.
REMINDED = ("soon", "overdue")
# The tab of the candidate's page where each deadline is acted on.
TAB_FOR = {"certificate": "course", "dossier": "dossier", "ceremony": "decision", "recognition": "probation"}


def _responsible(candidates, on):
    """{cell id: users} holding a writing role on the cell or on the committee right above it on ``on``:
    the cell's secretary records the cell's steps, the ward office follows every cell."""
    org_ids = {c.organization_id for c in candidates} | {c.organization.parent_id for c in candidates}
    by_org = defaultdict(list)
    grants = (RoleAssignment.objects.in_force(on).filter(organization_id__in=org_ids, role__in=WRITE_ROLES,
                                                         user__is_active=True).select_related("user"))
    for grant in grants:
        by_org[grant.organization_id].append(grant.user)
    result = {}
    for candidate in candidates:
        users = by_org[candidate.organization_id] + by_org.get(candidate.organization.parent_id, [])
        result[candidate.organization_id] = list({u.pk: u for u in users}.values())
    return result


def due_reminders(on):
    """(user, deadline row) for every deadline due soon or overdue on ``on``, for each responsible user."""
    candidates = list(selectors.with_dossier(Candidate.objects.exclude(step__in=CLOSED)))
    responsible = _responsible(candidates, on)
    pairs = []
    for row in selectors.open_deadlines(candidates, on):
        if row["state"] in REMINDED:
            for user in responsible.get(row["candidate"].organization_id, []):
                pairs.append((user, row))
    return pairs


def _title(row):
    candidate = row["candidate"]
    return f"{row['name']}: {candidate.full_name} ({candidate.organization.name}) — {row['text']}"[:300]


def _mail(user, notices):
    lines = [_("Các thời hạn phát triển đảng viên cần xử lý:"), ""]
    lines += [f"- {n.title}" for n in notices]
    lines += ["", _("Xem chi tiết trong mục Phát triển đảng viên › Nhắc việc.")]
    subject = _("[Công tác đảng] %(n)s thời hạn kết nạp, công nhận đảng viên cần xử lý") % {"n": len(notices)}
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


def send_reminders_on(on):
    """Write the day's in-app notices and mail each user with an email one summary.

    Idempotent per deadline and day: a notice is unique on (user, deadline, day),
    and a notice is mailed once (emailed_at is set in the same transaction that
    picks it), so running the task twice a day adds and sends nothing.
    """
    pairs = due_reminders(on)
    existing = set(Notice.objects.filter(day=on).values_list("user_id", "key"))
    new = []
    for user, row in pairs:
        key = row["deadline"].key
        if (user.pk, key) in existing:
            continue
        existing.add((user.pk, key))
        new.append(Notice(user=user, candidate=row["candidate"], key=key, day=on, state=row["state"],
                          due_on=row["due"], title=_title(row),
                          url=reverse("admissions:tab", args=[row["candidate"].pk, TAB_FOR[row["deadline"].kind]])))
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    mailed = 0
    if settings.EMAIL_BACKEND not in _NO_MAIL_BACKENDS:
        mailed = _mail_pending(on)
    return {"notices": len(new), "mailed": mailed}


def _mail_pending(on):
    with transaction.atomic():
        pending = list(
            Notice.objects.select_for_update().filter(day=on, emailed_at__isnull=True).exclude(user__email="")
            .select_related("user").order_by("user_id", "due_on")
        )
        Notice.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    by_user = defaultdict(list)
    for notice in pending:
        by_user[notice.user].append(notice)
    for user, notices in by_user.items():
        try:
            _mail(user, notices)
        except Exception:
            # One unreachable mailbox must not stop the others; the in-app notice stays.
            log.exception("reminder mail to %s failed", user.email)
    return len(by_user)


@task()
def send_reminders(day=None):
    """Remind the responsible users of admission deadlines due soon or overdue on ``day`` (ISO date, default today)."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    result = send_reminders_on(on)
    log.info("admission reminders for %s: %s", format_date(on), result)
    return result
