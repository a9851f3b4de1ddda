"""Load the rule catalog, so that every database (and every test database) has the rules."""

from django.db import migrations


def load(apps, schema_editor):
    from dangbo.rules.loader import sync_catalog

    sync_catalog(apps.get_model("rules", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
