"""50 issuers at once get 01..50: the counter row is locked, the transaction holds the number."""

import threading

from django.db import connection, connections
from django.test import TransactionTestCase
from django.utils import timezone

from dangbo.documents import actions
from dangbo.documents.models import Document, DocumentCounter, DocumentType, seed_default_types
from dangbo.test import Cast

ISSUERS = 50


class ConcurrentIssueTest(TransactionTestCase):
    def setUp(self):
        seed_default_types()
        Cast.build(self)
        resolution = DocumentType.objects.get(code="NQ")
        self.drafts = [
            actions.create_draft(organization=self.ward, doc_type=resolution, summary=f"Dự thảo số {i}",
                                 signer_name="Nguyễn Văn Hùng", by=self.secretary)
            for i in range(ISSUERS)
        ]

    def _issue_all_at_once(self, drafts):
        start = threading.Barrier(len(drafts))
        numbers, errors = [], []

        def issue(draft):
            try:
                # Connect first, so the barrier releases fifty open connections at once
                # rather than fifty threads queuing to connect.
                connection.ensure_connection()
                start.wait(timeout=30)
                numbers.append(actions.issue_document(draft, on=timezone.localdate(), by=self.secretary).number)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return numbers, errors

    def test_it_numbers_50_concurrent_issues_without_gap_or_duplicate(self):
        numbers, errors = self._issue_all_at_once(self.drafts)
        self.assertEqual(errors, [], f"on {connection.vendor}")
        self.assertEqual(sorted(numbers), list(range(1, ISSUERS + 1)))
        references = sorted(Document.objects.filter(status="issued").values_list("reference", flat=True))
        self.assertEqual(references, [f"{n:02d}-NQ/ĐU" for n in range(1, ISSUERS + 1)])
        self.assertEqual(DocumentCounter.objects.get(series="NQ").last_number, ISSUERS)

    def test_it_issues_one_draft_once_when_clicked_twice_at_once(self):
        draft = self.drafts[0]
        numbers, errors = self._issue_all_at_once([draft] * 5)
        self.assertEqual(numbers, [1])
        self.assertEqual(len(errors), 4)
        self.assertTrue(all("đã ban hành" in " ".join(e.messages) for e in errors))
        self.assertEqual(DocumentCounter.objects.get(series="NQ").last_number, 1)
