"""dangbo.lib.pdf: HTML templates to PDF in the fonts shipped under dangbo/static/fonts."""

import shutil
import subprocess
import unittest

from django.test import SimpleTestCase, override_settings

from dangbo.lib import pdf

TEMPLATE = """<html><head><style>{{ font_face_css|safe }}
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "{{ font_family }}"; font-size: 14pt; }</style></head>
<body><p><b>{{ title }}</b></p><p><i>{{ line }}</i></p></body></html>"""

LOCMEM = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"sample.html": TEMPLATE})]},
}]


@override_settings(TEMPLATES=LOCMEM)
class RenderPdfTest(SimpleTestCase):
    def render(self):
        return pdf.render_pdf("sample.html", {
            "title": "ĐẢNG CỘNG SẢN VIỆT NAM", "line": "Vinh Hưng, ngày 20 tháng 02 năm 2026",
        })

    def test_it_returns_a_pdf(self):
        self.assertTrue(self.render().startswith(b"%PDF-"))

    @unittest.skipIf(shutil.which("pdftotext") is None, "pdftotext (poppler-utils) is not installed")
    def test_it_keeps_every_vietnamese_letter(self):
        text = subprocess.run(["pdftotext", "-", "-"], input=self.render(), capture_output=True,
                              check=True).stdout.decode("utf-8")
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", text)
        self.assertIn("Vinh Hưng, ngày 20 tháng 02 năm 2026", text)

    @unittest.skipIf(shutil.which("pdffonts") is None, "pdffonts (poppler-utils) is not installed")
    def test_it_embeds_the_shipped_fonts_only(self):
        fonts = subprocess.run(["pdffonts", "-"], input=self.render(), capture_output=True,
                               check=True).stdout.decode("utf-8")
        names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
        self.assertTrue(names)
        for name in names:
            self.assertRegex(name, r"^[A-Z]{6}\+Dangbo-Serif")
        self.assertTrue(any("Bold" in n for n in names))
        self.assertTrue(any("Italic" in n for n in names))

    def test_it_ships_four_font_files_and_their_licence(self):
        for filename, _weight, _style in pdf._FACES:
            self.assertTrue((pdf.FONT_DIR / filename).is_file(), filename)
        self.assertIn("SIL", (pdf.FONT_DIR / "LICENSE-LiberationSerif.txt").read_text())

    def test_it_fetches_nothing_but_its_fonts(self):
        fetcher = pdf._fetcher()
        with self.assertRaises(ValueError):
            fetcher.fetch("file:///etc/passwd")
        with self.assertRaises(ValueError):
            fetcher.fetch("http://169.254.169.254/latest/meta-data/")
        response = fetcher.fetch((pdf.FONT_DIR / "LiberationSerif-Regular.ttf").as_uri())
        self.assertTrue(response.read(4))
        response.close()
