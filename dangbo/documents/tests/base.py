"""The register's test cast: the shared cast plus terms for the cells and helpers to make documents."""

import shutil
import tempfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from dangbo.documents import actions
from dangbo.documents.models import DocumentType, seed_default_types
from dangbo.organizations.models import Term
from dangbo.test import BaseTestCase

ISSUED_ON = date(2026, 2, 20)


def doc_type(code):
    return DocumentType.objects.get(code=code)


def make_draft(org, by, code="NQ", summary="về công tác xây dựng Đảng năm 2026", **fields):
    fields.setdefault("signer_name", "Nguyễn Văn Hùng")
    return actions.create_draft(organization=org, doc_type=doc_type(code), summary=summary, by=by, **fields)


def make_issued(org, by, code="NQ", on=ISSUED_ON, **fields):
    return actions.issue_document(make_draft(org, by, code, **fields), on=on, by=by)


def upload(name="bien-ban.pdf", content=b"%PDF-1.4 test", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class DocumentsTestCase(BaseTestCase):
    """The cast, with a term for every cell and a private media folder for attachments."""

    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="dangbo-documents-")
        cls._media_override = override_settings(MEDIA_ROOT=cls._media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_default_types()
        for cell in (cls.cell, cls.school_cell, cls.other_cell):
            Term.objects.create(organization=cell, name="2025–2027", starts_on=date(2025, 6, 1),
                                congress_closed_on=date(2025, 5, 31))
        Term.objects.create(organization=cls.other_ward, name="2025–2030", starts_on=date(2025, 8, 20),
                            congress_closed_on=date(2025, 8, 19))

    def login(self, user):
        self.client.force_login(user)
