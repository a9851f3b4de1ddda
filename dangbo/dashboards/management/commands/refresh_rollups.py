"""manage.py refresh_rollups: recount large committees' member statistics now (the task runs it each morning)."""

import time

from django.core.management.base import BaseCommand

from dangbo.dashboards import rollups


class Command(BaseCommand):
    help = "Tính lại số liệu thống kê đảng viên tổng hợp của các đảng bộ lớn (tỉnh, toàn quốc)."

    def handle(self, *args, **options):
        started = time.monotonic()
        committees = rollups.refresh()
        self.stdout.write(f"{committees} đảng bộ, {time.monotonic() - started:.1f} s.")
