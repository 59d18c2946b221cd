"""Normalization: each step does its one job, is counted, and keeps what carries meaning."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.normalize import (
    NORMALIZATION_STEPS,
    fold_digits,
    fold_for_search,
    normalize_for_language,
    normalize_text,
)

ZWNJ = "\u200c"
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ufeff\ud800-\udfff]")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def norm(text: str) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter()
    return normalize_text(text, counts), counts


def test_ascii_text_is_untouched_and_uncounted() -> None:
    assert norm("Plain text, tabs\tand\nlines.") == ("Plain text, tabs\tand\nlines.", Counter())


@pytest.mark.parametrize(("text", "want", "n"), [
    ("Sociology &Amp; Cultural Research Review", "Sociology & Cultural Research Review", 1),
    ("Tom &amp; Jerry &quot;x&quot; it&#39;s &#x2014;", "Tom & Jerry \"x\" it's \u2014", 5),
    ("&amp;amp;", "&", 2),
])
def test_html_entities(text: str, want: str, n: int) -> None:
    assert norm(text) == (want, Counter({"html_entities": n}))


def test_ampersands_that_are_not_entities_stay() -> None:
    assert norm("AT&T & sons &nosuchentity; R&D;") == ("AT&T & sons &nosuchentity; R&D;", Counter())


@pytest.mark.parametrize(("mojibake", "want"), [
    ("Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©", "العربية"),
    ("Ù¾Ø§Ú©Ø³ØªØ§Ù†", "پاکستان"),
    ("پاکستان".encode().decode("cp1256"), "پاکستان"),
])
def test_mojibake_is_repaired_and_counted(mojibake: str, want: str) -> None:
    out, counts = norm(mojibake)
    assert out == want
    assert counts["mojibake"] == len(mojibake) - len(want)


def test_mojibake_repair_does_not_touch_quotes_ligatures_or_widths() -> None:
    text = "“quoted” ‘single’ ﬁne ＡＢＣ — ok"
    assert norm(text) == (text, Counter())


def test_presentation_forms_fold_to_the_right_letters() -> None:
    out, counts = norm("\ufbfd\ufbfc\ufb8e\ufb91\ufefb\ufe8d\ufee1")
    assert out == "\u06cc\u06cc\u06a9\u06a9\u0644\u0627\u0627\u0645"
    assert counts == Counter({"presentation_forms": 7})


@pytest.mark.parametrize(("form", "base"), [
    ("\ufbfe", "\u06cc"), ("\ufbff", "\u06cc"),  # Farsi yeh initial/medial, not Arabic yeh
    ("\ufef1", "\u064a"), ("\ufef4", "\u064a"),  # Arabic yeh stays Arabic yeh
    ("\ufb92", "\u06af"), ("\ufb56", "\u067e"), ("\ufb7a", "\u0686"),  # gaf, peh, tcheh
    ("\ufba4", "\u06c0"), ("\ufbae", "\u06d2"), ("\ufba6", "\u06c1"),  # heh+yeh, yeh barree, heh goal
    ("\ufef5", "\u0644\u0622"), ("\ufdf2", "\u0627\u0644\u0644\u0647"),
    ("\ufe70", "\u064b"),  # spacing fathatan: the mark, not a space plus the mark
])
def test_presentation_form_table(form: str, base: str) -> None:
    assert norm(form)[0] == base


def test_bidi_controls_removed_zwnj_and_zwj_kept() -> None:
    text = "\u200fمی\u200cخواهم\u200e \u202bx\u202c \u2067y\u2069 \u061cz \u200d"
    out, counts = norm(text)
    assert out == "می\u200cخواهم x y z \u200d"
    assert counts == Counter({"bidi_controls": 7})


def test_xml_illegal_and_nul_dropped_and_counted() -> None:
    out, counts = norm("a\x00b\x01c\x1fd\ufeffe\uffff\ud800f\tg\n")
    assert out == "abcdef\tg\n"
    assert counts == Counter({"nul": 1, "xml_illegal": 5})


def test_nfc_composes_and_counts() -> None:
    out, counts = norm("Cafe\u0301 \u0627\u0653")
    assert out == "Café \u0622"
    assert counts == Counter({"nfc": 2})


def test_harakat_and_tatweel_are_kept() -> None:
    text = "كَتَبَ عـــلي"
    assert norm(text) == (text, Counter())


@pytest.mark.parametrize(("lang", "want", "yeh", "kaf"), [
    ("fa", "کتابی یک ی", 3, 2),
    ("fa-AF", "کتابی یک ی", 3, 2),
    ("ur", "کتابی یک ی", 3, 2),
    ("ps", "کتابي يک ى", 0, 2),  # Pashto: ي is a letter of its own
    ("ar", "كتابي يك ى", 0, 0),
    ("en", "كتابي يك ى", 0, 0),
    (None, "كتابي يك ى", 0, 0),
])
def test_language_letters(lang: str | None, want: str, yeh: int, kaf: int) -> None:
    counts: Counter[str] = Counter()
    text = "كتابي يك ى"
    out = normalize_for_language(text, lang, counts)
    assert out == want
    assert len(out) == len(text)
    assert (counts["arabic_yeh"], counts["arabic_kaf"]) == (yeh, kaf)


def test_fold_for_search() -> None:
    assert fold_for_search("أَحْمَد") == fold_for_search("احمد") == "احمد"
    assert fold_for_search("كتابي") == fold_for_search("کتابی") == "کتابی"
    assert fold_for_search("می\u200cشود") == "میشود"
    assert fold_for_search("خانۀ") == fold_for_search("خانه") == "خانه"
    assert fold_for_search("عـــلی") == "علی"
    assert fold_for_search("مدرسة") == "مدرسة"  # teh marbuta kept
    assert fold_for_search("۱۴۰۳ ٢٠٢٤") == "1403 2024"
    assert fold_for_search("Café ÉCOLE Straße") == "cafe ecole strasse"
    assert fold_for_search("\ufefb") == "لا"


def test_fold_digits_only_touches_digits() -> None:
    assert fold_digits("سال ۱۴۰۳ و ٢٠٢٤، 12") == "سال 1403 و 2024، 12"


def test_every_counted_step_is_described() -> None:
    counts: Counter[str] = Counter()
    normalize_text("&Amp; Ø§Ù„Ø¹Ø±Ø¨ÙŠØ© \x00\x01\u200e\ufefbe\u0301 soft\u00adhyphen", counts)
    normalize_for_language("يك", "fa", counts)
    assert set(counts) == set(NORMALIZATION_STEPS)
    assert all(desc and "\n" not in desc for desc in NORMALIZATION_STEPS.values())


_PIECE = st.one_of(
    st.text(max_size=3),
    st.sampled_from(list("اﻻﯽيكیک\u064e\u0640\u200c\u200d\u200e\u202e&;#ÃØÙ©§\x00\ufeff")
                    + ["&amp;", "&Amp;", "&#", "Ø§Ù„", "ط§ظ„"]),
)
_TEXT = st.lists(_PIECE, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_normalize_text_properties(text: str) -> None:
    out, _ = norm(text)
    assert not XML_ILLEGAL.search(out)
    assert not BIDI.search(out)
    assert norm(out) == (out, Counter())  # idempotent, and a second run counts nothing
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابپتكیيک ى\u200c۱a")), max_size=40))
def test_zwnj_survives(text: str) -> None:
    assert norm(text)[0].count(ZWNJ) == text.count(ZWNJ)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["fa", "fa-AF", "ps", "ur", "ar", "ckb", "en", None]))
def test_normalize_for_language_preserves_length(text: str, lang: str | None) -> None:
    assert len(normalize_for_language(text, lang, Counter())) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_for_search_never_raises(text: str) -> None:
    assert isinstance(fold_for_search(text), str)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n")), max_size=5))
@settings(max_examples=300, deadline=None)
def test_folding_blocks_one_by_one_equals_folding_the_joined_text(parts: list[str]) -> None:
    """The catalog folds a record block by block; a query must still fold to the same key."""
    assert "\n".join(fold_for_search(p) for p in parts) == fold_for_search("\n".join(parts))


@given(st.text(alphabet=st.characters(max_codepoint=127)))
@settings(max_examples=300, deadline=None)
def test_ascii_fast_path_agrees_with_full_folding(text: str) -> None:
    full = unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text).casefold())
    assert fold_for_search(text) == full


_ARABIC_HEAVY = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.sampled_from("\u0640\u200c\u200d\u00ad\u0301 aAéÉß\ufefb\ufe8d۱٢"),
    st.characters(blacklist_categories=("Cs",)),
))


@given(_ARABIC_HEAVY)
@settings(max_examples=500, deadline=None)
def test_search_folding_equals_one_table_applied_to_every_character(text: str) -> None:
    """Marks removed by one regex pass and variants replaced only where present give exactly what a
    single translation table over every character gives."""
    from archive.normalize import _MARKS, _SEARCH_VARIANTS

    table = str.maketrans({**dict.fromkeys(_MARKS), **dict(_SEARCH_VARIANTS)})
    expected = unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text).casefold().translate(table))
    assert fold_for_search(text) == expected
