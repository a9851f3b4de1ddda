"""Search a name by the starts of its words, as an office types it, alike on PostgreSQL and SQLite."""

from django.db.models import BooleanField, Func

from dangbo.lib.vntext import SEARCH_WORD

# PostgreSQL: search_tokens(key), a tsvector of the key's words and of every ordered pair of
# them ('+nguyen uyen'), created with its GIN index by members migration 0004; the query
# must name the same expression for the planner to use that index.
TOKENS = "search_tokens({key})"

# Elsewhere (SQLite): one regular expression per word, Python's on SQLite, POSIX's on
# PostgreSQL, which agree on these patterns. A word is bounded by the key's ends or by a
# character outside [a-z0-9], where search_tokens splits it too.
_WHOLE = "(^|[^a-z0-9]){word}([^a-z0-9]|$)"
_START = "(^|[^a-z0-9]){word}"


class WordStarts(Func):
    """True when every typed word is a word of ``key`` and the last one starts a word, in any order.

    ``key`` is an accent-free column (``vntext.search_key``); ``words`` are
    ``vntext.search_words`` of what was typed, so they hold only [a-z0-9] and never carry
    query syntax. "nguyen an" and "an nguyen" find "Nguyễn Văn An" and "Nguyễn Văn Anh";
    "nguyen v" finds every Nguyễn with a word starting with v while the office is still
    typing. Only the last word is a prefix: the words before it were ended with a space, and
    a prefix such as "th" (Thị: a third of all women) would make the index read a third of
    the table. The conditions are independent: "van v" finds "Nguyễn Văn An" (Văn both).

    On PostgreSQL each whole word is paired with the last one, '+nguyen uyen':* &
    '+thi uyen':*, which holds exactly when each is a word and the last starts one: the
    index has every ordered pair, a word with itself included (see migration 0004).
    """

    output_field = BooleanField()

    def __init__(self, key, words):
        if not words or not all(SEARCH_WORD.fullmatch(w) for w in words):
            raise ValueError(f"WordStarts needs words of [a-z0-9] (vntext.search_words), not {words!r}.")
        super().__init__(key)
        self.words = tuple(words)

    def tsquery(self):
        """The tsquery text for search_tokens: 'uyen':* for one word, '+nguyen uyen':* & … for more."""
        *whole, last = self.words
        if not whole:
            return f"'{last}':*"
        return " & ".join(dict.fromkeys(f"'+{w} {last}':*" for w in whole))

    def patterns(self):
        *whole, last = self.words
        return [*(_WHOLE.format(word=w) for w in whole), _START.format(word=last)]

    def as_postgresql(self, compiler, connection, **extra_context):
        key, params = compiler.compile(self.source_expressions[0])
        return f"{TOKENS.format(key=key)} @@ %s::tsquery", (*params, self.tsquery())

    def as_sql(self, compiler, connection, **extra_context):
        key, params = compiler.compile(self.source_expressions[0])
        test = connection.operators["regex"] % "%s"
        sql = " AND ".join(f"{key} {test}" for _ in self.words)
        return f"({sql})", tuple(p for pattern in self.patterns() for p in (*params, pattern))
