"""Vietnamese text: NFC normalisation, accent-free search keys, legacy encodings."""

import re
import unicodedata

# TCVN 5712:1993 VN3 (the "ABC" charset of the .VnTime/.VnTimeH fonts), byte -> letter.
# VN3 leaves ASCII, C0 and C1 alone and assigns 75 codes: NBSP, seven bare capitals,
# their lower-case forms and the 60 toned lower-case vowels. Toned capitals exist only
# in VN1/VN2; VN3 users wrote them with lower-case codes in an all-capital font.
TCVN3_BYTES = {
    0xA0: "\u00a0",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}

# VNI-Windows, letter -> the characters the VNI fonts draw it with. A base letter is
# followed by a mark; the marks for plain vowels (ù ø û õ ï), for ă (ê, é è ú ü ë) and
# for â/ê/ô (â, á à å ã ä) differ. i-vowels, ỵ, ơ, ư and đ have single-character codes.
_VNI_LOWER = {
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
    "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
}
# The VNI capital of a letter is the capital of both of its characters ('AÙ' for 'Á').
VNI_SEQUENCES = {**_VNI_LOWER, **{k.upper(): v.upper() for k, v in _VNI_LOWER.items()}}

# Spelling of one syllable: initial consonant, vowel group, final consonant.
# Vowel groups map to the positions their tone mark may take; open oa/oe/uy accept
# both the old (hoà, thuỷ) and the new (hòa, thủy) placement. A misplaced tone is
# what tells TCVN3 'Ngheọ' from VNI 'Nghệ' when both read 'Ngheä'.
_INITIALS = "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x".split()
_FINALS = "ch nh ng c k m n p t".split()
_OPEN_VOWELS = {
    **dict.fromkeys("a e ê i o ô ơ u ư y".split(), {0}),
    **dict.fromkeys("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu".split(), {0}),
    **dict.fromkeys("oa oe uy".split(), {0, 1}),
    **dict.fromkeys("uê uơ iêu yêu oai oay oeo uây uôi ươi ươu uya uyu".split(), {1}),
}
_CLOSED_VOWELS = {
    **dict.fromkeys("a ă â e ê i o ô ơ u ư".split(), {0}),
    **dict.fromkeys("iê yê oa oă oe oo uâ uê uô uy ươ".split(), {1}),
    "uyê": {2},
}
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Syllables closed by a stop consonant always carry the rising or the heavy tone.
_STOP_FINALS = frozenset(("c", "ch", "k", "p", "t"))
_STOP_TONES = frozenset("\u0301\u0323")

# VN3 bytes are their own Latin-1 code points, which is also how cp1252 shows them.
_TCVN3_TRANSLATION = str.maketrans({chr(byte): letter for byte, letter in TCVN3_BYTES.items()})
_VNI_TO_UNICODE = {seq: letter for letter, seq in VNI_SEQUENCES.items() if seq != letter}
# Longest first, so that 'ôù' reads as 'ớ' rather than 'ơ' followed by a stray 'ù'.
_VNI_PATTERN = re.compile(
    "|".join(re.escape(seq) for seq in sorted(_VNI_TO_UNICODE, key=len, reverse=True))
)
# Letters no legacy look-alike text can contain: seeing one proves the text is Unicode.
_UNICODE_ONLY_LETTERS = frozenset(ch for ch in VNI_SEQUENCES if ord(ch) > 0xFF)
# Words are split at whitespace and ASCII punctuation but not at digits, so that
# '5µm' stays one implausible word instead of yielding a plausible 'µm'.
WORD = re.compile(r"[^\s!-/:-@\[-`{-~]+")


def nfc(text):
    """Return ``text`` in Unicode NFC (composed), as every stored text must be."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text)


def is_nfc(text):
    """True when ``text`` is already NFC; None counts as normalised."""
    if text is None:
        return True
    return unicodedata.is_normalized("NFC", text)


def search_key(text):
    """Accent-free, case-folded key: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


# A word of a search key: a run of ASCII letters and digits. Anything else, typed or
# stored (spaces, hyphens, apostrophes, query syntax), only separates words.
SEARCH_WORD = re.compile(r"[a-z0-9]+")


def search_words(text):
    """The words of ``text``'s search key: 'Nguyễn Văn-Đức (An)' -> ['nguyen', 'van', 'duc', 'an']."""
    return SEARCH_WORD.findall(search_key(text))


def tcvn3_to_unicode(text):
    """Convert TCVN3 text read as Latin-1/cp1252 look-alikes ('NguyÔn') to Unicode.

    Lower-case codes stay lower case even when an all-capital .VnTimeH font drew
    them as capitals: the file does not record which font was used.
    """
    if text is None:
        return None
    return text.translate(_TCVN3_TRANSLATION)


def tcvn3_bytes_to_unicode(data):
    """Decode raw TCVN3 (VN3) bytes; bytes outside VN3 keep their Latin-1 meaning."""
    return tcvn3_to_unicode(bytes(data).decode("latin-1"))


def vni_to_unicode(text):
    """Convert VNI-Windows text read as cp1252 look-alikes ('Nguyeãn') to Unicode."""
    if text is None:
        return None
    return _VNI_PATTERN.sub(lambda match: _VNI_TO_UNICODE[match.group()], text)


def is_vietnamese_syllable(word):
    """True when ``word`` is spelt like one Vietnamese syllable, in either case."""
    letters, tone, tone_at = [], None, None
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch not in _TONE_MARKS:
            letters.append(ch)
        elif tone is None and letters:
            tone, tone_at = ch, len(unicodedata.normalize("NFC", "".join(letters))) - 1
        else:
            return False
    bare = unicodedata.normalize("NFC", "".join(letters))
    for initial in [i for i in _INITIALS if bare.startswith(i)] + [""]:
        rest = bare[len(initial):]
        for final in [f for f in _FINALS if rest.endswith(f)] + [""]:
            vowels = rest[: len(rest) - len(final)]
            positions = (_CLOSED_VOWELS if final else _OPEN_VOWELS).get(vowels)
            # 'k' closes only minority-language names such as Đắk Lắk.
            if positions is None or (final == "k" and vowels != "ă"):
                continue
            if final in _STOP_FINALS:
                if tone not in _STOP_TONES:
                    continue
            elif tone is None:
                return True
            if tone_at - len(initial) in positions:
                return True
    return False


def _is_cased(word):
    """True for 'ô', 'Ô' and 'ÔNG', false for 'NhÊt' and 'VUế'."""
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


def reads_as_unicode(word):
    """True when the word is already a well-cased Vietnamese syllable in Unicode (no legacy encoding to repair)."""
    return _is_cased(word) and is_vietnamese_syllable(word)


def _is_abbreviation(word):
    """Short all-capital words such as TP, UBND or HĐND say nothing about the encoding."""
    return word.isupper() and len(word) <= 5


def _score(words, convert, plausible):
    """Rank a conversion, or return None when it should not be applied.

    A word counts as repaired only when it was not a cased syllable before and is
    a plausible one after, so real Unicode, whose words already read as
    syllables, never scores. The conversion must repair at least one word, break
    at most half as many, and leave most words reading as Vietnamese, which
    keeps one lucky word ('Søn' -> 'Sứn') from converting Danish or German text.
    Ties go to the conversion whose results are cased.
    """
    repaired = broken = foreign = syllables = cased = 0
    for word in words:
        converted = convert(word)
        if plausible(converted):
            syllables += 1
            if converted != word:
                repaired += not reads_as_unicode(word)
                cased += _is_cased(converted)
        elif _is_abbreviation(converted):
            continue
        elif converted != word:
            broken += 1
        else:
            foreign += 1
    if not repaired or broken * 2 > repaired or syllables <= broken + foreign:
        return None
    return repaired - broken, cased


# TCVN3 capitals come out lower case (.VnTimeH text reads 'NGUYễN'), so only its
# spelling is checked; VNI has every capital, so its results must be cased too.
_CONVERSIONS = (
    ("tcvn3", tcvn3_to_unicode, is_vietnamese_syllable),
    ("vni", vni_to_unicode, reads_as_unicode),
)


def detect_encoding(text):
    """Guess how ``text`` was encoded: "unicode", "tcvn3" or "vni".

    Legacy text is a run of Latin-1/cp1252 characters, so anything with a
    Vietnamese letter beyond Latin-1 or with combining marks (NFD) is Unicode.
    Otherwise each conversion is scored word by word. A short text can be
    legitimately ambiguous ('Höng' is TCVN3 'Hửng' and VNI 'Hưng'); TCVN3, the
    northern and government standard, wins exact ties, and detecting on a whole
    column at once gives the heuristics more words to go on.
    """
    if not text or text.isascii():
        return "unicode"
    if any(ch in _UNICODE_ONLY_LETTERS or unicodedata.combining(ch) for ch in text):
        return "unicode"
    # Single characters are too ambiguous to count: '«' is TCVN3 'ô' but also a quote.
    words = [word for word in WORD.findall(text) if len(word) > 1 and not word.isdigit()]
    best, best_rank = "unicode", None
    for name, convert, plausible in _CONVERSIONS:
        rank = _score(words, convert, plausible)
        if rank is not None and (best_rank is None or rank > best_rank):
            best, best_rank = name, rank
    return best


def repair(text):
    """Return ``text`` as NFC Unicode, converting it first if it looks like TCVN3 or VNI."""
    if text is None:
        return None
    encoding = detect_encoding(text)
    if encoding == "tcvn3":
        text = tcvn3_to_unicode(text)
    elif encoding == "vni":
        text = vni_to_unicode(text)
    return nfc(text)
