"""A word-pair index on Member.search_key in place of the trigram index: names are searched by the starts of their words.

``MemberQuerySet.search`` asks that every typed word be a word of the name and the last one
start a word, in any order (dangbo/lib/wordsearch.py). A GIN index of the words alone costs
the posting lists of every typed word: "Nguyễn Thị Uyên" reads Nguyễn's (a third of the
nation) and Thị's to keep the Uyên rows, ~100 ms over 5.6 M members. So ``search_tokens``
indexes each word ('uyen') and each ordered pair of the name's words, the same word twice
included ('+nguyen uyen', '+uyen nguyen', '+thi thi', …; 12 tokens for three words), and a
search of several words asks for the pairs (each whole word, the last typed word as a
prefix): '+nguyen uyen':* & '+thi uyen':*, two short lists. One word alone is looked up
among the single words. The trigram index served ``LIKE '%...%'``, which search no longer
runs; it is dropped. The index expression must stay the one ``WordStarts`` writes, or the
planner does not use the index. PostgreSQL only; on SQLite the same matching is a REGEXP per
row and needs no index.
"""

from django.db import migrations

# The words are the runs of [a-z0-9] of the (accent-free) key, as vntext.search_words splits
# them. COST tells the planner that computing it per row is dear: use the index.
TOKENS = r"""
CREATE OR REPLACE FUNCTION search_tokens(key text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT array_to_tsvector(w || ARRAY(SELECT '+' || a || ' ' || b FROM unnest(w) a, unnest(w) b))
    FROM string_to_array(btrim(regexp_replace(key, '[^a-z0-9]+', ' ', 'g')), ' ') w
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TOKENS)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_search_tokens ON members_member USING gin (search_tokens(search_key))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS member_search_key_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS member_search_key_trgm ON members_member USING gin (search_key gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS member_search_tokens")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_tokens(text)")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_search_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
