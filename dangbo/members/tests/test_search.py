"""Name search as an office types it: words in any order, the last one a prefix, accent-free, on both engines."""

from datetime import date
from unittest import skipUnless

from django.db import connection
from django.db.models import Q

from dangbo.lib.vntext import search_words
from dangbo.lib.wordsearch import WordStarts
from dangbo.members.actions import create_member
from dangbo.members.models import Member
from dangbo.test import BaseTestCase

NAMES = [
    "Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Thanh", "Trần Thị Bình", "Đỗ Đức Đạt", "Lê Văn Tám",
    "H'Hen Niê", "Y-Moan Ê Ban", "Văn Văn Vinh", "Phạm An",
]


class SearchTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.members = {}
        for i, name in enumerate(NAMES):
            cls.members[name] = create_member(
                organization=cls.cell, by=cls.office, full_name=name, sex="male", date_of_birth=date(1980, 1, 1),
                admission_date=date(2005, 5, 19), official_date=date(2006, 5, 19), status="official",
                card_number=f"1000{i:04d}", citizen_id="040080123456" if i == 0 else "",
            )

    def found(self, text):
        return sorted(Member.objects.search(text).values_list("full_name", flat=True))

    def test_it_finds_the_words_in_any_order(self):
        both = ["Nguyễn Văn An", "Nguyễn Văn Anh"]
        self.assertEqual(self.found("nguyen an"), both)
        self.assertEqual(self.found("an nguyen"), ["Nguyễn Văn An"])  # "an" is whole here, "nguyen" the prefix
        self.assertEqual(self.found("van nguyen an"), both)
        self.assertEqual(self.found("Nguyễn Văn An"), both)

    def test_it_takes_the_last_word_as_a_prefix_and_the_others_whole(self):
        self.assertEqual(self.found("nguyen va"), ["Nguyễn Văn An", "Nguyễn Văn Anh"])
        self.assertEqual(self.found("ngu"), ["Nguyễn Thị Thanh", "Nguyễn Văn An", "Nguyễn Văn Anh"])
        self.assertEqual(self.found("ngu van"), [])
        self.assertEqual(self.found("nguyen anh"), ["Nguyễn Văn Anh"])
        # Words start where the name's words start: "an" is not found inside Thanh or Tám.
        self.assertEqual(self.found("an"), ["Nguyễn Văn An", "Nguyễn Văn Anh", "Phạm An"])
        self.assertEqual(self.found("uyen"), [])
        # Each word is tested on its own: Văn is the whole word and starts with v.
        self.assertEqual(self.found("lê văn v"), ["Lê Văn Tám"])
        self.assertEqual(self.found("van van"), ["Lê Văn Tám", "Nguyễn Văn An", "Nguyễn Văn Anh", "Văn Văn Vinh"])

    def test_it_ignores_accents_case_and_d_stroke(self):
        self.assertEqual(self.found("DO DUC DAT"), ["Đỗ Đức Đạt"])
        self.assertEqual(self.found("đạt đ"), ["Đỗ Đức Đạt"])
        self.assertEqual(self.found("dat"), ["Đỗ Đức Đạt"])
        self.assertEqual(self.found("Nguyễn   THỊ  thanh"), ["Nguyễn Thị Thanh"])

    def test_it_splits_words_at_punctuation_typed_or_stored(self):
        self.assertEqual(self.found("hen"), ["H'Hen Niê"])
        self.assertEqual(self.found("h'hen nie"), ["H'Hen Niê"])
        self.assertEqual(self.found("h hen"), ["H'Hen Niê"])
        self.assertEqual(self.found("moan y"), ["Y-Moan Ê Ban"])
        self.assertEqual(self.found("y-moan e ban"), ["Y-Moan Ê Ban"])
        self.assertEqual(self.found("nguyen,an."), ["Nguyễn Văn An", "Nguyễn Văn Anh"])

    def test_it_never_reads_input_as_query_syntax(self):
        both = ["Nguyễn Văn An", "Nguyễn Văn Anh"]
        for text in ("nguyen & an", "nguyen | an", "!nguyen an", "(nguyen) (an)", "nguyen:* an:*", "'nguyen' 'an'",
                     "nguyen\\ an", "nguyen <-> an", "nguyen' | 'van an", "nguyen%_ an", "nguyen .* an"):
            with self.subTest(text=text):
                self.assertEqual(self.found(text), both)
        self.assertEqual(self.found("nguyen | tran"), [])
        self.assertEqual(self.found("!tran"), ["Trần Thị Bình"])

    def test_it_finds_no_one_for_punctuation_alone(self):
        for text in ("&|!():*'\\", "-", "''", "%", ".*"):
            with self.subTest(text=text):
                self.assertEqual(self.found(text), [])

    def test_it_keeps_everyone_for_empty_input(self):
        for text in ("", "   ", "\t\n", None):
            with self.subTest(text=text):
                self.assertEqual(len(self.found(text)), len(NAMES))

    def test_it_finds_card_number_cccd_and_phone_exactly(self):
        self.assertEqual(self.found("10000001"), ["Nguyễn Văn Anh"])
        self.assertEqual(self.found("040 080 123 456"), ["Nguyễn Văn An"])
        self.assertEqual(self.found("1000000"), [])

    def test_it_refuses_words_that_are_not_search_words(self):
        for words in ([], ["an:*"], ["Nguyen"], ["a b"]):
            with self.subTest(words=words), self.assertRaises(ValueError):
                WordStarts("search_key", words)

    @skipUnless(connection.vendor == "postgresql", "the word index exists on PostgreSQL only")
    def test_it_agrees_with_the_portable_patterns_and_uses_the_index(self):
        for text in ("nguyen an", "an nguyen", "van van", "lê văn v", "h hen", "e", "y moan", "van v", "thi th", "ng"):
            words = search_words(text)
            expected = WordStarts("search_key", words).patterns()
            by_pattern = Member.objects.filter(*[Q(search_key__regex=p) for p in expected])
            with self.subTest(text=text):
                self.assertEqual(sorted(Member.objects.search(text).values_list("pk", flat=True)),
                                 sorted(by_pattern.values_list("pk", flat=True)))
        # A table this small is read whole; forbidden that, the planner must find the index by its expression.
        sql, params = Member.objects.search("nguyen an").order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("member_search_tokens", plan)
