"""PDF from an HTML/CSS template with WeasyPrint, in fonts shipped with the code.

Party documents are set in Times New Roman (HD 36-HD/VPTW); Liberation Serif 2 is
its metric twin with every Vietnamese letter, under the SIL OFL. The font files
live in ``dangbo/static/fonts`` and are loaded by ``file://`` URL, so the result
never depends on which fonts the server happens to have.
"""

from pathlib import Path

from django.template.loader import render_to_string

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_FAMILY = "Dangbo Serif"
_FACES = [
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
]


def font_face_css():
    """@font-face rules for ``FONT_FAMILY`` in its four styles."""
    rules = []
    for filename, weight, style in _FACES:
        url = (FONT_DIR / filename).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _font_urls():
    return {(FONT_DIR / filename).as_uri() for filename, _weight, _style in _FACES}


def _fetcher():
    """A URL fetcher that reads our font files and nothing else.

    A template shows user text; refusing every other URL means no text can make
    the server fetch a network address or read a local file.
    """
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0] not in _font_urls():
                raise ValueError(f"PDF rendering fetches only its fonts, not {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def render_pdf(template_name, context):
    """Render ``template_name`` with ``context`` and return the PDF as bytes.

    The template gets ``font_face_css`` and ``font_family`` to put in its
    ``<style>``; its own CSS sets the page (size, margins) and the layout.
    """
    # Imported here: WeasyPrint loads Pango at import, which pages without PDFs do not need.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, {
        **context, "font_face_css": font_face_css(), "font_family": FONT_FAMILY,
    })
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(font_config=font_config)
