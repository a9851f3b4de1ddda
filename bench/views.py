"""Reference endpoints: the floor of a Django request on this machine, with and without one UPDATE."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


def hello(request):
    """Hello world through the app's whole middleware stack."""
    return HttpResponse("Hello, world", content_type="text/plain")


@csrf_exempt
def raw_checkin(request, meeting_id, member_id):
    """The least a check-in can do: one conditional UPDATE of the attendance row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_attendance SET status = 'present', version = version + 1, marked_at = now() "
            "WHERE meeting_id = %s AND member_id = %s AND status <> 'present'",
            [meeting_id, member_id],
        )
        changed = cursor.rowcount
    return HttpResponse("ok" if changed else "already", content_type="text/plain")


def lean_checkin(request, token):
    """A probe, not the app: what a check-in costs as one guarded UPDATE behind the app's own session login.

    The rules of ``check_in_by_token`` folded into SQL (right token, not cancelled or
    ended, today, the caller's own row, minutes not locked); it shows how far a leaner
    check-in could go. CSRF and authentication go through the app's middleware as usual.
    """
    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponse(status=403)
    meeting_id = token.split("-", 1)[0]
    if not meeting_id.isdigit():
        return HttpResponse(status=404)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE meetings_attendance a
               SET status = 'present', version = a.version + 1, marked_at = now(), marked_by_id = %(user)s
              FROM meetings_meeting mt, members_member m
             WHERE mt.id = %(meeting)s AND mt.checkin_token = %(token)s AND mt.state <> 'cancelled'
               AND mt.ended_at IS NULL
               AND (mt.scheduled_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
               AND NOT EXISTS (SELECT 1 FROM meetings_minutes mi WHERE mi.meeting_id = mt.id AND mi.locked_at IS NOT NULL)
               AND a.meeting_id = mt.id AND a.member_id = m.id AND m.user_id = %(user)s AND a.status <> 'present'
            """,
            {"user": request.user.pk, "meeting": int(meeting_id), "token": token},
        )
    return HttpResponse("ok", content_type="text/plain")
