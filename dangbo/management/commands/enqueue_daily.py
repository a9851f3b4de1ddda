"""Enqueue the daily background work; run it from cron, with `manage.py db_worker` running."""

from django.core.management.base import BaseCommand

# (module, task): idempotent tasks, so running the command twice a day does no harm.
DAILY = [
    ("dangbo.admissions.tasks", "send_reminders"),
    ("dangbo.meetings.tasks", "refresh_absence_flags"),
    ("dangbo.dashboards.tasks", "refresh_member_rollups"),
]


class Command(BaseCommand):
    help = "Đưa các việc hằng ngày (nhắc hạn kết nạp, rà soát vắng sinh hoạt) vào hàng đợi chạy nền."

    def handle(self, *args, **options):
        for module, name in DAILY:
            task = getattr(__import__(module, fromlist=[name]), name)
            result = task.enqueue()
            self.stdout.write(f"{module}.{name}: {result.id}")
