"""Queue today's admission reminders; run it daily (cron) with the task worker running."""

from django.core.management.base import BaseCommand

from dangbo.admissions.tasks import send_reminders


class Command(BaseCommand):
    help = "Nhắc các thời hạn kết nạp, công nhận đảng viên sắp hết hoặc đã quá (ghi nhắc việc, gửi email)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="Ngày tính hạn, dạng YYYY-MM-DD (mặc định hôm nay).")
        parser.add_argument("--now", action="store_true", help="Chạy ngay, không qua hàng đợi.")

    def handle(self, *args, day=None, now=False, **options):
        if now:
            result = send_reminders.call(day)
            self.stdout.write(f"{result['notices']} nhắc việc mới, {result['mailed']} email.")
        else:
            result = send_reminders.enqueue(day)
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
