"""Encoding detection: exact decoding per encoding, declared charsets, damaged UTF-8, mojibake, binary."""

from __future__ import annotations

import codecs
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.encoding import decode, repair_mojibake
from archive.readers.base import FormatError
from real_files import real_dir

PERSIAN = (
    "این بایگانی برای نگهداری اسناد تاریخی و نوشته‌های پژوهشگران ساخته شده است. "
    "کتابخانه‌های بزرگ شهر هر سال هزاران جلد کتاب تازه به مجموعه‌های خود می‌افزایند. "
    "ژاله بر برگ‌های چنار نشسته بود و کودکان با شادی در باغ می‌دویدند؟ "
)
ARABIC = (
    "تهدف هذه المكتبة إلى حفظ الوثائق التاريخية وإتاحتها للباحثين والطلاب في كل مكان. "
    "وفي المساء اجتمع أهل القرية حول النار يتبادلون الحكايات القديمة عن الأجداد، "
    "ويجب على الباحث أن يتحقق من مصادره بعناية قبل أن يكتب استنتاجاته. "
)
URDU = (
    "یہ کتب خانہ تاریخی دستاویزات کو محفوظ رکھنے اور محققین تک پہنچانے کے لیے بنایا گیا ہے۔ "
    "بارش کے بعد گلیوں میں مٹی کی خوشبو پھیل گئی اور بچے باہر کھیلنے لگے۔ "
)
ENGLISH = (
    "The café near the museum served crème brûlée; the archive keeps “historical” documents — "
    "and the notes of researchers — in one place. Every year the libraries add new volumes. "
)


def _long(text: str, encoding: str, size: int = 1100) -> str:
    out = text
    while len(out.encode(encoding)) < size:
        out += text
    return out


def _storable(text: str, encoding: str) -> str:
    """Persian in Windows-1256 is written with Arabic yeh; drop what the code page cannot hold."""
    text = text.replace("ی", "ي") if "ی".encode(encoding, "ignore") == b"" else text
    return text.encode(encoding, "ignore").decode(encoding)


CASES = [
    ("utf-8", PERSIAN), ("utf-8", ARABIC), ("utf-8", URDU), ("utf-8", ENGLISH),
    ("utf-16-le", PERSIAN), ("utf-16-be", ARABIC), ("utf-16-le", ENGLISH), ("utf-16-be", URDU),
    ("cp1256", PERSIAN), ("cp1256", ARABIC), ("cp1256", URDU),
    ("iso8859-6", ARABIC), ("cp720", ARABIC),
    ("mac-arabic", PERSIAN), ("mac-arabic", ARABIC), ("mac-arabic", URDU),
    ("cp1252", ENGLISH), ("latin-1", ENGLISH),
]


@pytest.mark.parametrize(("encoding", "text"), CASES, ids=[f"{e}-{t[:3]}" for e, t in CASES])
def test_long_documents_decode_exactly(encoding: str, text: str) -> None:
    original = _long(_storable(text, encoding), encoding)
    decoded = decode(original.encode(encoding))
    assert decoded.text == original
    assert decoded.encoding.method == "detected"


@pytest.mark.parametrize(("encoding", "text"), CASES, ids=[f"{e}-{t[:3]}" for e, t in CASES])
def test_short_documents_decode_exactly(encoding: str, text: str) -> None:
    original = _storable(text, encoding)[:60]
    assert decode(original.encode(encoding)).text == original


def test_windows_1256_persian_is_named_and_exact() -> None:
    original = _long(_storable(PERSIAN, "cp1256"), "cp1256")
    decoded = decode(original.encode("cp1256"))
    assert decoded.text == original
    assert decoded.encoding.name == "windows-1256"
    assert decoded.warnings == []


def test_utf16_without_bom_persian_and_arabic() -> None:
    for encoding, name in (("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")):
        original = PERSIAN + ARABIC
        decoded = decode(original.encode(encoding))
        assert (decoded.text, decoded.encoding.name) == (original, name)


@pytest.mark.parametrize(("bom", "encoding"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_byte_order_marks_win_and_are_removed(bom: bytes, encoding: str) -> None:
    decoded = decode(bom + PERSIAN.encode(encoding), declared="windows-1256")
    assert decoded.text == PERSIAN
    assert decoded.encoding.method == "bom"
    assert decoded.encoding.confidence == 1.0


def test_declared_charset_is_used_when_it_decodes() -> None:
    data = _storable(ARABIC, "iso8859-6").encode("iso8859-6")
    decoded = decode(data, declared="ISO-8859-6")
    assert decoded.encoding.method == "declared"
    assert decoded.encoding.name == "iso-8859-6"
    assert decoded.text == data.decode("iso8859-6")


def test_declared_charset_that_fails_falls_through_with_a_warning() -> None:
    decoded = decode(PERSIAN.encode("utf-8"), declared="us-ascii")
    assert decoded.text == PERSIAN
    assert decoded.encoding.method == "detected"
    assert any("us-ascii" in w for w in decoded.warnings)


def test_unknown_declared_charset_is_ignored_with_a_warning() -> None:
    decoded = decode(ENGLISH.encode("utf-8"), declared="no-such-charset")
    assert decoded.text == ENGLISH
    assert any("unknown" in w for w in decoded.warnings)


def test_valid_utf8_beats_a_declared_single_byte_charset() -> None:
    decoded = decode(ARABIC.encode("utf-8"), declared="windows-1256")
    assert decoded.text == ARABIC
    assert decoded.encoding.name == "utf-8"
    assert decoded.warnings


def test_mostly_valid_utf8_keeps_utf8_and_counts_bad_bytes() -> None:
    data = bytearray(_long(PERSIAN, "utf-8").encode("utf-8"))
    data[10:11] = b"\xff"  # the first byte of a two-byte letter damaged
    data[200:200] = b"\x80\xfe"
    decoded = decode(bytes(data))
    assert decoded.encoding.name == "utf-8"
    bad = decoded.text.count("\ufffd")
    assert bad >= 3
    assert "نگهداری" in decoded.text
    assert decoded.warnings == [f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"]


@pytest.mark.parametrize("codepage", ["cp1252", "cp1256"])
def test_utf8_read_with_a_code_page_is_repaired(codepage: str) -> None:
    original = "العربية و پاکستان می‌شود"
    mojibake = original.encode("utf-8").decode(codepage)
    decoded = decode(mojibake.encode("utf-8"))
    assert decoded.text == original
    assert decoded.repairs.get("mojibake", 0) > 0


def test_repair_mojibake_examples() -> None:
    assert repair_mojibake("Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©")[0] == "العربية"
    assert repair_mojibake("Ù¾Ø§Ú©Ø³ØªØ§Ù†")[0] == "پاکستان"
    double = "پاکستان".encode().decode("cp1252").encode().decode("cp1252")
    assert repair_mojibake(double)[0] == "پاکستان"


@pytest.mark.parametrize("text", [PERSIAN, ARABIC, URDU, ENGLISH, "naïve café ÉCOLE", "عکس طبیعت"])
def test_repair_mojibake_leaves_good_text_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, 0)


def test_binary_data_is_refused() -> None:
    with pytest.raises(FormatError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)


def test_empty_and_ascii() -> None:
    assert decode(b"").text == ""
    decoded = decode(b"plain ascii")
    assert (decoded.text, decoded.encoding.name, decoded.encoding.confidence) == ("plain ascii", "utf-8", 1.0)


def test_latin_text_is_named_windows_1252_not_1256() -> None:
    assert decode("café".encode("cp1252")).encoding.name == "windows-1252"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_text_or_format_error(data: bytes) -> None:
    try:
        decoded = decode(data)
    except FormatError:
        return
    assert isinstance(decoded.text, str)
    decoded.text.encode("utf-8")  # no lone surrogates


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["utf-8", "utf-16", "unicode_escape", "utf-7", "rot13",
                                                  "x-mac-arabic", "latin-1", "bogus", ""]))
def test_arbitrary_bytes_with_any_declaration(data: bytes, declared: str) -> None:
    try:
        decoded = decode(data, declared=declared)
    except FormatError:
        return
    decoded.text.encode("utf-8")


# Real words of the archive's Arabic-script languages, chosen so that many hold a letter whose
# Windows-1256 byte is a UTF-8 lead byte (ط ظ ع غ أ) next to one that is a continuation byte (ک گ پ ھ ،).
_WORD_LIST = (
    "عکس لکھا، تک طبیعت عکاس غگ ظپ أکثر عبدالله طالبان عصر غزل ظلم طرح"
    " یہ کتب خانہ تاریخی دستاویزات پہنچانے کے لیے گیا ہے۔ کھیلنے مٹی خوشبو"
    " این بایگانی نوشته‌های پژوهشگران کتابخانه‌های می‌افزایند ژاله برگ‌های چنار"
    " د افغانستان په ښار کې ټولنه ډېر ګډ ځای څه ړومبی ږغ"
    " المكتبة الوثائق التاريخية للباحثين أهل القرية الحكايات"
)
_ARABIC_SCRIPT_WORDS = _WORD_LIST.split()
_SEPARATORS = (" ", "\u00a0", "\u200c", "، ", "\n", "؛ ")


def test_correct_urdu_next_to_a_word_that_looks_like_mojibake_is_unchanged() -> None:
    # Joined by a no-break space, "عکس" (its bytes start like UTF-8) and "لکھا،" form one run whose
    # bytes are valid UTF-8; reading them as UTF-8 gave "ژӠᘪǡ".
    text = "اس نے عکس\u00a0لکھا، تک بھیجا"
    assert repair_mojibake(text) == (text, 0)
    for encoding in ("utf-16", "utf-8"):
        decoded = decode(text.encode(encoding))
        assert decoded.text == text
        assert "mojibake" not in decoded.repairs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ARABIC_SCRIPT_WORDS), st.sampled_from(_SEPARATORS)),
                min_size=1, max_size=30))
def test_correct_arabic_script_text_is_never_repaired(words: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in words).strip()
    assert repair_mojibake(text) == (text, 0)
    for encoding in ("utf-16", "utf-8"):  # UTF-16 with its byte-order mark, as editors save it
        assert decode(text.encode(encoding)).text == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(set("".join(_ARABIC_SCRIPT_WORDS)) | {"\u00a0", "\u200c"})),
               min_size=1, max_size=40))
def test_any_arabic_letter_sequence_is_never_repaired(text: str) -> None:
    assert repair_mojibake(text) == (text, 0)


def _score_by_tuples(codec: str, sample: bytes) -> float | None:
    """The code-page score as first written: every pair a tuple, every term in order of first occurrence."""
    from archive.encoding import _bigram, _byte_unigram, _table

    table = _table(codec)
    if any(table[b] is None for b in sample):
        return None
    total = sum(_byte_unigram(table, b) * n for b, n in Counter(sample).items())
    total += sum(_bigram(table[a] or "", table[b] or "") * n
                 for (a, b), n in Counter(zip(sample, sample[1:], strict=False)).items())
    return total / len(sample)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(min_size=1, max_size=300),
                 st.text(alphabet="سلام دنیا کتابخانه، «ملی» éà Ωжb\n1", min_size=1, max_size=120)
                 .map(lambda t: t.encode("cp1256", errors="replace"))))
def test_code_page_scores_from_counted_pairs_equal_the_tuple_scores(sample: bytes) -> None:
    """Pairs are counted as 16-bit numbers, even and odd offsets apart; the scores must not move."""
    from archive.encoding import _FAMILY, _pair_code, _pair_counts, _score_single_byte

    pairs = _pair_counts(sample)
    assert pairs == Counter(_pair_code(a, b) for a, b in zip(sample, sample[1:], strict=False))
    for codec in [*_FAMILY, "cp1254", "koi8-r", "cp437"]:
        assert _score_single_byte(codec, Counter(sample), pairs, len(sample)) == _score_by_tuples(codec, sample)


def test_real_encoding_set_decodes_exactly_through_the_whole_ingest() -> None:
    """Every labelled file of shared/real/encoding: the record names an encoding that gives exactly the
    labelled text, and its blocks are those of the same text given as UTF-8 (chardet's own rule, strict)."""
    from archive.pipeline import ingest_bytes

    folder = real_dir("encoding")
    rows = [line.split("\t") for line in (folder / "labels.tsv").read_text().splitlines()[1:]]
    assert rows
    for name, label, _lang in rows:
        data = (folder / name).read_bytes()
        want = data.decode(label).lstrip("\ufeff")
        record = ingest_bytes(data, name)
        assert record.source.encoding is not None
        codec = {"x-mac-arabic": "mac-arabic", "ibm720": "cp720"}.get(record.source.encoding.name,
                                                                      record.source.encoding.name)
        assert data.decode(codec).lstrip("\ufeff") == want, name
        utf8 = ingest_bytes(want.encode("utf-8"), name)
        assert [b.text for b in record.blocks] == [b.text for b in utf8.blocks], name


# Lines written for these tests, one language per code page that carries it.
CHECKED_LINES = [
    ("cp1255", "הוועדה התכנסה ביום שלישי כדי לדון בתקציב של העירייה."),
    ("cp1253", "Η επιτροπή συνεδρίασε την Τρίτη για να συζητήσει τον προϋπολογισμό."),
    ("cp1251", "Комитет собрался во вторник, чтобы обсудить бюджет города."),
    ("cp1250", "Komisja zebrała się we wtorek, żeby omówić budżet miasta."),
    ("cp1252", "The committee met on Tuesday to discuss the city’s “draft” budget."),
    ("cp1252", "Die Kommission traf sich am Dienstag, um über den Haushalt zu beraten."),
    ("iso8859-6", "اجتمعت اللجنة يوم الثلاثاء لمناقشة ميزانية المدينة."),
    ("cp1256", "اجتمعت اللجنة يوم الثلاثاء لمناقشة ميزانية المدينة."),
    # Persian as Windows-1256 writers stored it: Arabic yeh, the ZWNJ kept.
    ("cp1256", "کميته روز سه‌شنبه براي بررسي بودجه شهر تشکيل جلسه داد."),
]


@pytest.mark.parametrize(("codec", "line"), CHECKED_LINES)
def test_a_guess_is_checked_against_the_text_it_gives(codec: str, line: str) -> None:
    """One line in a legacy code page: the decoding that gives real words of one script wins, and is
    not flagged as weak (Hebrew in Windows-1255 is not MacArabic, Greek in Windows-1253 not IBM720)."""
    data = line.encode(codec)
    decoded = decode(data)
    assert decoded.text == line
    assert decoded.encoding.confidence >= 0.6
    assert not any("weak" in w or "contradicted" in w for w in decoded.warnings)


def test_iso_8859_6_and_windows_1256_are_told_apart_by_the_bytes_and_the_words() -> None:
    # Bytes D8-DF and E0-EF hold letters in one of the two and Latin letters or symbols in the other.
    line = "ظهرت الشمس فوق الجبال وغطى الضباب الوادي."
    for codec, name in (("iso8859-6", "iso-8859-6"), ("cp1256", "windows-1256")):
        decoded = decode(line.encode(codec))
        assert (decoded.text, decoded.encoding.name) == (line, name)


def test_a_contradicted_guess_is_a_warning_with_its_evidence() -> None:
    """Turkish in Windows-1254, a code page the guesser does not try: whatever it picks, the text says
    the guess is unsure, and the warning quotes what the text showed."""
    line = "Kurul salı günü şehrin bütçesini görüşmek için toplandı ve ılık bir oylama yaptı.\n"
    decoded = decode(line.encode("cp1254"))
    assert decoded.encoding.confidence < 0.6
    [warning] = [w for w in decoded.warnings if "encoding guess" in w]
    assert "common words" in warning


def test_the_language_of_a_weakly_decoded_text_is_unsure() -> None:
    from archive.pipeline import ingest_bytes

    line = "Kurul salı günü şehrin bütçesini görüşmek için toplandı ve ılık bir oylama yaptı.\n"
    record = ingest_bytes(line.encode("cp1254"), "note.txt")
    assert record.blocks and all("unsure:encoding" in (b.evidence or "") for b in record.blocks if b.lang)
    sure = ingest_bytes("اجتمعت اللجنة يوم الثلاثاء لمناقشة ميزانية المدينة.\n".encode("cp1256"), "note.txt")
    assert not any("unsure" in (b.evidence or "") for b in sure.blocks)
