"""Load the catalog's new entries (the evaluation's point scale) into existing databases."""

from django.db import migrations


def load(apps, schema_editor):
    from dangbo.rules.loader import sync_catalog

    sync_catalog(apps.get_model("rules", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_catalog")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
