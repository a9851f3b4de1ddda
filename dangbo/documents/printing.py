"""A document as a PDF in the Party's format (HD 36-HD/VPTW), one template per layout."""

import re

from dangbo.lib.pdf import render_pdf
from dangbo.lib.vntext import search_key

# A heading line is written all in capitals; one starting with a numbering
# ("I-", "1.", "a)") stays left, others ("QUYẾT ĐỊNH:") are centred.
_NUMBERED = re.compile(r"^\s*(?:[IVXLC]+|\d+|[a-zđ])\s*[-.)/]", re.IGNORECASE)


def paragraphs(text):
    """The body as [{"text", "heading", "centered"}], one per non-empty line."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        letters = [ch for ch in line if ch.isalpha()]
        heading = len(letters) >= 3 and all(ch.isupper() for ch in letters)
        result.append({"text": line, "heading": heading, "centered": heading and not _NUMBERED.match(line)})
    return result


def template_for(document):
    return f"documents/pdf/{document.doc_type.layout}.html"


def document_pdf(document):
    """The PDF bytes of ``document``; a draft prints "DỰ THẢO" and leaves its number blank."""
    tasks = []
    if document.doc_type.tracks_tasks:
        tasks = list(document.tasks.select_related("responsible_organization", "responsible_user"))
    return render_pdf(template_for(document), {
        "doc": document,
        "reference": document.display_reference or document.draft_reference(),
        "paragraphs": paragraphs(document.body),
        "recipients": document.recipients_lines(),
        "tasks": tasks,
    })


def pdf_filename(document):
    """An ASCII file name: "09-nq-du.pdf", or "du-thao-<id>.pdf" before issue."""
    stem = search_key(document.reference) if document.reference else f"du thao {document.pk}"
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") + ".pdf"
