"""Room on each PostgreSQL page for the new version of every row a classification updates.

With free space on the page and no indexed column changed, PostgreSQL updates a row in
place of its page (a HOT update) and writes no index entry; a province's classification
updates every row once, and the new version (grades, time stamp) is ~30 bytes longer than
a freshly scored one: at 30 % a page keeps room for every row's new version. The table
is three times larger for it (≈ 300 bytes a member). SQLite has no such setting.
"""

from django.db import migrations

TABLE = "evaluations_memberevaluation"


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = 30)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
