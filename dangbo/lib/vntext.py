"""Vietnamese text: NFC normalisation, accent-free search keys, legacy encodings."""

import unicodedata


def nfc(text):
    """Return ``text`` in Unicode NFC (composed), as every stored text must be."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text)


def search_key(text):
    """Accent-free, case-folded key: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
