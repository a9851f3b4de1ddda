"""manage.py import_members FILE --into ORG_CODE [--dry-run]: the web import, from a shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangbo.members import importer
from dangbo.organizations.models import Organization


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp .xlsx hoặc .csv vào một tổ chức đảng (theo mã)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--into", required=True, metavar="ORG_CODE",
                            help="mã đảng bộ hoặc chi bộ nhận đảng viên, ví dụ NA.VH")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu gì")
        parser.add_argument("--by", metavar="USERNAME", help="người dùng ghi vào lịch sử thay đổi")

    def handle(self, *args, file, into, dry_run, by=None, **options):
        organization = Organization.objects.filter(code__iexact=into).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức đảng mã «{into}».")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {file}.")
        user = None
        if by:
            from dangbo.accounts.models import User

            user = User.objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"Không có người dùng «{by}».")
        report = importer.import_file(path, organization, by=user, dry_run=dry_run, filename=path.name)
        self._print(report, dry_run)
        if not report.ok:
            raise CommandError(f"Có {len(report.errors)} lỗi ở {report.error_rows} dòng; không lưu gì.")

    def _print(self, report, dry_run):
        out = self.stdout
        out.write(f"Tệp {report.filename} → {report.organization.name} ({report.organization.code}): "
                  f"{report.total_rows} dòng dữ liệu.")
        for warning in report.warnings:
            out.write(f"Lưu ý: {warning}")
        if report.errors:
            out.write(f"Lỗi ({len(report.errors)}):")
            for error in report.errors:
                column = f", cột «{error.column}»" if error.column else ""
                out.write(f"  Dòng {error.row}{column}: {error.message}")
        for planned in report.updated:
            changes = "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in planned.diff())
            out.write(f"  Cập nhật dòng {planned.row}, {planned.member.full_name}: {changes}")
        out.write(f"Thêm mới: {report.new_count}, cập nhật: {len(report.updated)}, "
                  f"không thay đổi: {report.unchanged_count}.")
        if report.errors:
            return
        if dry_run:
            out.write("Chạy thử: không lưu gì.")
        elif report.saved:
            out.write(self.style.SUCCESS("Đã lưu."))
        else:
            out.write("Không có gì để lưu.")
