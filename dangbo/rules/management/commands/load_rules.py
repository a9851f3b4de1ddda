"""manage.py load_rules: re-sync the Rule table with catalog.py (safe to run again and again)."""

from django.core.management.base import BaseCommand, CommandError

from dangbo.rules.catalog import CatalogError
from dangbo.rules.loader import sync_catalog
from dangbo.rules.lookup import clear_cache


class Command(BaseCommand):
    help = "Nạp danh mục quy định từ dangbo/rules/catalog.py: thêm mới, cập nhật; không xóa, không động đến điều chỉnh của đơn vị."

    def handle(self, *args, **options):
        try:
            report = sync_catalog()
        except CatalogError as error:
            raise CommandError(str(error)) from error
        clear_cache()
        for label in report.created:
            self.stdout.write(f"+ {label}")
        for label in report.updated:
            self.stdout.write(f"~ {label}")
        for label in report.stale:
            self.stdout.write(self.style.WARNING(f"! {label}: không còn trong danh mục (giữ nguyên)"))
        self.stdout.write(self.style.SUCCESS(
            f"Thêm {len(report.created)}, cập nhật {len(report.updated)}, giữ nguyên {report.unchanged}."
        ))
