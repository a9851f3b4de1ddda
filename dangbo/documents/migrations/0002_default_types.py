"""The document types of HD 36-HD/VPTW (DOMAIN §11); offices may add or rename them later."""

from django.db import migrations

# (code, name, layout, tracks_tasks), copied here so the migration never changes.
TYPES = [
    ("NQ", "Nghị quyết", "resolution", True),
    ("QĐ", "Quyết định", "decision", False),
    ("CT", "Chỉ thị", "generic", True),
    ("KL", "Kết luận", "generic", True),
    ("QC", "Quy chế", "generic", False),
    ("QĐi", "Quy định", "generic", False),
    ("HD", "Hướng dẫn", "generic", False),
    ("TB", "Thông báo", "notice", False),
    ("BC", "Báo cáo", "report", False),
    ("KH", "Kế hoạch", "plan", True),
    ("CTr", "Chương trình", "plan", True),
    ("TTr", "Tờ trình", "generic", False),
    ("ĐA", "Đề án", "generic", True),
    ("BB", "Biên bản", "minutes", False),
    ("CV", "Công văn", "dispatch", False),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for position, (code, name, layout, tracks) in enumerate(TYPES, start=1):
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "layout": layout, "tracks_tasks": tracks, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
