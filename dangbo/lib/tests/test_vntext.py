"""Tests for Vietnamese text helpers and the TCVN3/VNI legacy encodings."""

import shutil
import subprocess
import unicodedata

import pytest

from dangbo.lib.vntext import (
    TCVN3_BYTES,
    VNI_SEQUENCES,
    detect_encoding,
    is_nfc,
    is_vietnamese_syllable,
    nfc,
    repair,
    search_key,
    tcvn3_bytes_to_unicode,
    tcvn3_to_unicode,
    vni_to_unicode,
)

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"

# Real words with their legacy forms written out by hand (TCVN3 checked against
# iconv, VNI against the xvnkb keyboard's table), so a table error cannot hide
# behind a round trip through the same table.
WORDS = [
    # (unicode, tcvn3 look-alikes, vni look-alikes)
    ("Nguyễn Văn Đức", "NguyÔn V¨n §øc", "Nguyeãn Vaên Ñöùc"),
    ("Trần Thị Hường", "TrÇn ThÞ H\xadêng", "Traàn Thò Höôøng"),
    ("Đảng Cộng sản Việt Nam", "§¶ng Céng s¶n ViÖt Nam", "Ñaûng Coäng saûn Vieät Nam"),
    ("Chi bộ Khối 5", "Chi bé Khèi 5", "Chi boä Khoái 5"),
    ("Phường Hưng Bình", "Ph\xadêng H\xadng B×nh", "Phöôøng Höng Bình"),
    ("Nghệ An", "NghÖ An", "Ngheä An"),
    ("Quyết định", "QuyÕt ®Þnh", "Quyeát ñònh"),
    ("Nghị quyết", "NghÞ quyÕt", "Nghò quyeát"),
    ("Đoàn Thanh niên", "§oµn Thanh niªn", "Ñoaøn Thanh nieân"),
    # VN3 has no code for 'Á'; a .VnTime user typed the lower-case one.
    ("Bùi Thị Ngọc ánh", "Bïi ThÞ Ngäc ¸nh", "Buøi Thò Ngoïc aùnh"),
    ("Lê Hữu Ưng", "Lª H÷u ¦ng", "Leâ Höõu Öng"),
]
UNICODE_WORDS = [unicode for unicode, _, _ in WORDS]

EUROPEAN = [
    "Café crème à Noël",
    "Müller, Straße 5, Köln",
    "España: señor José Peña, año 2020",
    "São Paulo não é Lisboa",
    "Ærøskøbing på Ærø",
    "Société Générale © 2024 — 5µm ± 0,5",
    "« Bonjour », dit-il.",
    "naïve façade, Zoë, Citroën, hôtel, île, château",
    # One word of each reads as Vietnamese after a conversion; the rest do not.
    "Mortensen & Søn A/S",
    "Institutleder på universitet",
    "Loïc Rey",
    "Ön muhasebeci",
    "Varga Deák Ferenc",
    "Diana Mäe",
    "Vila Nova de Foz Côa",
    "Mãe social",
]


def vietnamese_letters():
    """The 134 precomposed Vietnamese letters, built from Unicode data alone."""
    tones = ["", ACUTE, GRAVE, HOOK, TILDE, DOT]
    composed = [unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in tones]
    lower = [letter for letter in composed if not letter.isascii()] + ["đ"]
    return lower + [letter.upper() for letter in lower]


def expected_vni(letter):
    """VNI spelling of a lower-case letter, from the VNI keyboard's rules."""
    singles = {"í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "đ": "ñ", "ơ": "ô", "ư": "ö"}
    if letter in singles:
        return singles[letter]
    decomposed = unicodedata.normalize("NFD", letter)
    tone = next((ch for ch in decomposed if ch in (ACUTE, GRAVE, HOOK, TILDE, DOT)), "")
    bare = unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else letter
    plain_marks = dict(zip((ACUTE, GRAVE, HOOK, TILDE, DOT), "ùøûõï"))
    breve_marks = dict(zip((ACUTE, GRAVE, HOOK, TILDE, DOT), "éèúüë"))
    circumflex_marks = dict(zip((ACUTE, GRAVE, HOOK, TILDE, DOT), "áàåãä"))
    if bare == "ă":
        return "a" + (breve_marks[tone] if tone else "ê")
    if bare in "âêô":
        return unicodedata.normalize("NFD", bare)[0] + (circumflex_marks[tone] if tone else "â")
    base = {"ơ": "ô", "ư": "ö"}.get(bare, bare)
    return base + plain_marks[tone]


def tcvn3_encode(text):
    """Encode as a .VnTime user would: toned capitals fall back to lower-case codes."""
    inverse = {letter: chr(byte) for byte, letter in TCVN3_BYTES.items()}
    return "".join(inverse.get(ch, inverse.get(ch.lower(), ch)) for ch in text)


def vni_encode(text):
    return "".join(VNI_SEQUENCES.get(ch, ch) for ch in text)


# --- NFC and search keys ---------------------------------------------------


def test_it_composes_nfd_and_keeps_none():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert nfc(decomposed) == "Nguyễn Văn Đức"
    assert nfc(None) is None
    assert nfc("") == ""


def test_it_tells_nfc_from_nfd():
    assert is_nfc("Trần Thị Hường")
    assert not is_nfc(unicodedata.normalize("NFD", "Trần Thị Hường"))
    assert is_nfc("ASCII only")
    assert is_nfc(None)


def test_it_builds_accent_free_casefolded_search_keys():
    assert search_key("Nguyễn Văn Đức") == "nguyen van duc"
    assert search_key(unicodedata.normalize("NFD", "Nguyễn Văn Đức")) == "nguyen van duc"
    assert search_key("  ĐẢNG   Cộng sản\tViệt Nam ") == "dang cong san viet nam"
    assert search_key("Lê Hữu Ưng") == "le huu ung"
    assert search_key("") == ""
    assert search_key(None) == ""


# --- Tables ---------------------------------------------------------------


def test_it_covers_all_134_letters_in_vni():
    letters = vietnamese_letters()
    assert len(letters) == 134
    assert set(VNI_SEQUENCES) == set(letters)
    assert len(set(VNI_SEQUENCES.values())) == 134


def test_it_spells_every_vni_letter_by_the_keyboard_rules():
    for letter in vietnamese_letters():
        expected = expected_vni(letter.lower())
        if letter.isupper():
            expected = expected.upper()
        assert VNI_SEQUENCES[letter] == expected, letter
    # Capitals as the xvnkb keyboard lists them.
    assert [VNI_SEQUENCES[ch] for ch in "ÁĂẮÂỚỰỈĨỊỴĐ"] == [
        "AÙ", "AÊ", "AÉ", "AÂ", "ÔÙ", "ÖÏ", "Æ", "Ó", "Ò", "Î", "Ñ",
    ]


def test_it_round_trips_every_letter_through_vni():
    for letter in vietnamese_letters():
        assert vni_to_unicode(vni_encode(letter)) == letter, letter
    everything = " ".join(vietnamese_letters())
    assert vni_to_unicode(vni_encode(everything)) == everything


def test_it_has_the_75_codes_of_vn3():
    lower = [letter for letter in vietnamese_letters() if letter.islower()]
    assert len(TCVN3_BYTES) == 75
    assert set(lower) <= set(TCVN3_BYTES.values())
    capitals = {letter for letter in TCVN3_BYTES.values() if letter.isupper()}
    assert capitals == set("ĂÂÊÔƠƯĐ")
    assert all(0xA0 <= byte <= 0xFE for byte in TCVN3_BYTES)


def test_it_round_trips_every_letter_through_tcvn3_keeping_lower_case_codes():
    for letter in vietnamese_letters():
        decoded = tcvn3_to_unicode(tcvn3_encode(letter))
        if letter.islower() or letter in "ĂÂÊÔƠƯĐ":
            assert decoded == letter, letter
        else:
            # Toned capitals were typed as lower-case codes in a .VnTimeH font.
            assert decoded == letter.lower(), letter


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv is not installed")
def test_it_agrees_with_iconv_on_every_vn3_byte():
    for byte, letter in TCVN3_BYTES.items():
        result = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
            input=bytes([byte]), capture_output=True, check=True,
        )
        assert result.stdout.decode("utf-8") == letter, hex(byte)
        assert tcvn3_bytes_to_unicode(bytes([byte])) == letter


# --- Conversions ----------------------------------------------------------


def test_it_decodes_tcvn3_look_alikes_of_known_words():
    for unicode, tcvn3, _ in WORDS:
        assert tcvn3_to_unicode(tcvn3) == unicode
        assert tcvn3_encode(unicode) == tcvn3


def test_it_decodes_vni_look_alikes_of_known_words():
    for unicode, _, vni in WORDS:
        assert vni_to_unicode(vni) == unicode
        assert vni_encode(unicode) == vni


def test_it_decodes_raw_tcvn3_bytes():
    assert tcvn3_bytes_to_unicode(b"Nguy\xd4n V\xa8n \xa7\xf8c") == "Nguyễn Văn Đức"
    assert tcvn3_bytes_to_unicode(bytearray(b"Ph\xad\xeang")) == "Phường"
    # 0xC1 is a VN1 capital, outside VN3: it keeps its Latin-1 meaning.
    assert tcvn3_bytes_to_unicode(b"\xc1") == "Á"


def test_it_keeps_tcvn3_case_as_typed_with_an_all_capital_font():
    assert tcvn3_to_unicode("NGUYÔN V¡N §øC") == "NGUYễN VĂN ĐứC"
    # 'Ánh' has no VN3 code, so it was typed as 'ánh' and stays that way.
    assert repair("Bïi ThÞ Ngäc ¸nh") == "Bùi Thị Ngọc ánh"


def test_it_decodes_vni_capitals():
    assert vni_to_unicode("NGUYEÃN VAÊN ÑÖÙC") == "NGUYỄN VĂN ĐỨC"
    assert vni_to_unicode("BUØI THÒ NGOÏC AÙNH") == "BÙI THỊ NGỌC ÁNH"
    assert repair("Buøi Thò Ngoïc AÙnh") == "Bùi Thị Ngọc Ánh"
    assert detect_encoding("Bùi Thị Ngọc Ánh") == "unicode"


def test_it_passes_none_through_conversions():
    assert tcvn3_to_unicode(None) is None
    assert vni_to_unicode(None) is None
    assert repair(None) is None


# --- Detection and repair -------------------------------------------------


def test_it_recognises_vietnamese_syllables():
    for word in "Nguyễn giường quốc khuya thuở yêu khuỷu NGOÈO xoong".split():
        assert is_vietnamese_syllable(word), word
    for word in ["NguyÔn", "V¨n", "Nguyeãn", "Müller", "Straße", "hello", "Nguyễc", "Tõy"]:
        assert not is_vietnamese_syllable(word), word


def test_it_checks_tone_placement_and_stop_finals():
    for word in ["hoà", "hòa", "thuỷ", "thủy", "Nghệ", "chuyện", "giá", "quá", "Đắk", "Lắk"]:
        assert is_vietnamese_syllable(word), word
    # Tone on the wrong vowel, stop finals without rising or heavy tone, 'k' after 'ê'.
    for word in ["ngheọ", "chuỵên", "nhêt", "Nguyễc", "Dếk"]:
        assert not is_vietnamese_syllable(word), word


def test_it_detects_each_form_of_the_known_words():
    for unicode, tcvn3, vni in WORDS:
        assert detect_encoding(unicode) == "unicode", unicode
        assert detect_encoding(unicodedata.normalize("NFD", unicode)) == "unicode", unicode
        assert detect_encoding(tcvn3) == "tcvn3", tcvn3
        assert detect_encoding(vni) == "vni", vni


def test_it_detects_legacy_capitals():
    assert detect_encoding("NGUYÔN V¡N §øC") == "tcvn3"
    assert detect_encoding("NGUYEÃN VAÊN ÑÖÙC") == "vni"


def test_it_prefers_the_conversion_that_keeps_capitals_together():
    # TCVN3 would read 'VUế' (valid spelling, broken case); VNI reads 'VŨ'.
    assert detect_encoding("AN VUÕ") == "vni"
    assert repair("AN VUÕ") == "AN VŨ"


def test_it_ignores_abbreviations_and_numbers_when_detecting():
    assert repair("UBND Ph\xadêng H\xadng B×nh") == "UBND Phường Hưng Bình"
    assert repair("30 Th¸ng 4") == "30 Tháng 4"
    assert repair("TP. Vinh, NghÖ An") == "TP. Vinh, Nghệ An"


def test_it_detects_a_single_legacy_word():
    assert detect_encoding("§øc") == "tcvn3"
    assert detect_encoding("Ñöùc") == "vni"


def test_it_calls_ascii_and_empty_text_unicode():
    assert detect_encoding("") == "unicode"
    assert detect_encoding(None) == "unicode"
    assert detect_encoding("Nguyen Van Duc, Chi bo Khoi 5") == "unicode"


def test_it_leaves_latin1_only_vietnamese_unicode_alone():
    # Every letter here is in Latin-1, and 'oà'/'ô' are also VNI/TCVN3 codes.
    for text in ["Tô Hoài", "Hà Tây", "Cà Mau", "Thái Hà", "Hoà Bình", "Toàn", "Lê Hà", "Cô Tô"]:
        assert detect_encoding(text) == "unicode", text
        assert repair(text) == text


def test_it_leaves_european_text_alone():
    for text in EUROPEAN:
        assert detect_encoding(text) == "unicode", text
        assert repair(text) == text


def test_it_repairs_legacy_text_to_nfc_unicode():
    for unicode, tcvn3, vni in WORDS:
        assert repair(tcvn3) == unicode
        assert repair(vni) == unicode
        assert is_nfc(repair(vni))


def test_it_leaves_unicode_nfd_and_ascii_as_nfc():
    for unicode in UNICODE_WORDS:
        assert repair(unicode) == unicode
        assert repair(unicodedata.normalize("NFD", unicode)) == unicode
    assert repair("Nguyen Van Duc") == "Nguyen Van Duc"
    assert repair("") == ""


def test_it_repairs_a_sentence():
    tcvn3 = "§¶ng bé ph\xadêng H\xadng B×nh häp Chi bé Khèi 5 vÒ NghÞ quyÕt"
    assert repair(tcvn3) == "Đảng bộ phường Hưng Bình họp Chi bộ Khối 5 về Nghị quyết"
    vni = "Ñaûng boä phöôøng Höng Bình hoïp Chi boä Khoái 5 veà Nghò quyeát"
    assert repair(vni) == "Đảng bộ phường Hưng Bình họp Chi bộ Khối 5 về Nghị quyết"
