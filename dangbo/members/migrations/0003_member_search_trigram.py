"""A trigram index on Member.search_key, so accent-free name search stays fast at the nation's size.

``search`` filters with ``search_key LIKE '%...%'``, which a B-tree cannot serve: without
this index a province (500,000 members) is a sequential scan per keystroke. pg_trgm's GIN
index serves LIKE with leading wildcards. PostgreSQL only; on SQLite this does nothing.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_search_key_trgm ON members_member USING gin (search_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS member_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_exemptionrequest_decided_by_and_more")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
