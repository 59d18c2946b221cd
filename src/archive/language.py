"""Language, script and direction of every block and of every inline run in another language.

Why the order of evidence: statistical detectors confuse the languages written in Arabic script on
anything shorter than a sentence (a Pashto phrase comes back as Uzbek, Persian typed on an Arabic
keyboard as Arabic), while the alphabets themselves differ: Pashto has ټ ډ ړ ږ ښ ځ څ ۍ ې ڼ ګ, Urdu
ٹ ڈ ڑ ں ے ہ, Central Kurdish ڕ ڵ ێ ۆ ە. So text is split into script runs first; within Arabic script
the letters decide where they are present, then the small closed-class words every sentence has
(را است می / کی ہے نے / د په چې / في من على); a text of a few words that these leave open is judged by
how often each language uses its words (`lexicon`), and only longer text by pycld2, restricted to the
languages the script allows. Where that is thin, the context speaks: a cue word of the sentence
(`cues`: "the Urdu daily «…»"), the block's other runs, the document. Dari is decided over the whole
document (`dari`); text that is not language is `und` (`noise`). A guess on thin evidence is marked
"+unsure" rather than stated.

Everything here is a pure function of its input (pycld2 is deterministic; langdetect is not used), so
the same text always gets the same tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, NamedTuple

from . import cues, dari, lexicon, noise
from .provenance import memo_naming_libraries, used
from .record import Block, LanguageShare, Span
from .scripts import (
    COMMON,
    alpha_count,
    direction_of_script,
    letter_total,
    main_script,
    script_groups,
    script_runs,
    trim,
)
from .scripts import letter_counts as _letter_counts
from .scripts import letters_by_script as _letters_by_script
from .urls import URL_BODY

__all__ = [
    "DocumentLanguages",
    "SCRIPT_OF_LANGUAGE",
    "detect_language",
    "detect_text",
    "judge_text",
    "TextLanguage",
    "direction_of_script",
    "script_of_language",
    "script_runs",
]

UNDETERMINED = "und"

# --- Arabic script -------------------------------------------------------------------------------

ARABIC_SCRIPT_LANGS = ("fa", "ps", "ur", "ar", "ckb", "sd", "ug")

# Letters that only one of the Arabic-script languages we know uses (within that set).
_EXCLUSIVE: dict[str, str] = {
    "ps": "\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06ab\u06bc\u06cd",  # ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ
    "ur": "\u0679\u0688\u0691\u06ba\u06c1\u06c2\u06d2\u06d3",  # ٹ ڈ ڑ ں ہ ۂ ے ۓ
    "sd": "\u067a\u067b\u067d\u067f\u0680\u0683\u0684\u0687\u068a\u068c\u068d\u068f\u0699\u06a6"
    "\u06aa\u06b1\u06b3\u06bb",  # ٺ ٻ ٽ ٿ ڀ ڃ ڄ ڇ ڊ ڌ ڍ ڏ ڙ ڦ ڪ ڱ ڳ ڻ
    "ug": "\u06ad\u06c7\u06c8\u06cb",  # ڭ ۇ ۈ ۋ
    "ckb": "\u0695\u06b5\u06ce\u06a4",  # ڕ ڵ ێ ڤ
}
# Letters two of them share: each counts half for both.
_SHARED: dict[str, tuple[str, ...]] = {
    "\u06d0": ("ps", "ug"),  # ې
    "\u06c6": ("ckb", "ug"),  # ۆ
    "\u06d5": ("ckb", "ug"),  # ە
    "\u06be": ("ur", "sd"),  # ھ (Urdu do-chashmi he; Sindhi aspiration)
}
_LETTER_LANG: dict[str, tuple[tuple[str, float], ...]] = {}
for _lang, _chars in _EXCLUSIVE.items():
    for _ch in _chars:
        _LETTER_LANG[_ch] = ((_lang, 1.0),)
for _ch, _langs in _SHARED.items():
    _LETTER_LANG[_ch] = tuple((x, 0.5) for x in _langs)

_SIGNATURE = re.compile("[" + "".join(sorted(_LETTER_LANG)) + "]")
_SIGNATURE_LETTERS = frozenset(_LETTER_LANG)

# Letters Arabic does not have (Persian and its neighbours do), and ZWNJ, which Arabic never uses.
_NOT_ARABIC = set("\u067e\u0686\u0698\u06af\u06cc\u06a9\u06c0\u200c")  # پ چ ژ گ ی ک ۀ ZWNJ
# Letters Persian, Pashto and Urdu writing rarely use outside quoted Arabic.
_ARABIC_ONLY = set("\u0629\u0623\u0625\u0624")  # ة أ إ ؤ
# The same as regexes: a set's isdisjoint hashes every character of the text, a character class does not.
_NOT_ARABIC_LETTER = re.compile("[" + "".join(sorted(_NOT_ARABIC)) + "]")
_ARABIC_ONLY_LETTER = re.compile("[" + "".join(sorted(_ARABIC_ONLY)) + "]")
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
_VOWEL_MARKS = re.compile("[\u064b-\u0652]")
# The same without shadda, which Persian writes too (اوّل): the marks of vocalised Arabic.
_SHORT_VOWEL_MARKS = re.compile("[\u064b-\u0650\u0652]")
_ARABIC_WORD_CHARS = "\u0620-\u064a\u066e-\u06d5\u06fa-\u06ff\u0750-\u077f\u200c"
_ARABIC_WORD = re.compile(f"[{_ARABIC_WORD_CHARS}]+")


def _word_with(letters: str) -> re.Pattern[str]:
    """One match per Arabic-script word with at least one of `letters` in it: from the first such
    letter to the end of the word (all of them word characters)."""
    return re.compile(f"[{letters}][{_ARABIC_WORD_CHARS}]*")


_WORD_WITH_LETTER = {lang: _word_with("".join(ch for ch, langs in _LETTER_LANG.items() if lang in dict(langs)))
                     for lang in sorted({lang for langs in _LETTER_LANG.values() for lang, _w in langs})}
_WORD_WITH_OWN_LETTER = {lang: _word_with(chars) for lang, chars in _EXCLUSIVE.items()}
_EXCLUSIVE_LETTERS = {lang: frozenset(_EXCLUSIVE.get(lang, "")) for lang in _WORD_WITH_LETTER}
_SHARED_LETTERS = {lang: frozenset(ch for ch, langs in _SHARED.items() if lang in langs) for lang in _WORD_WITH_LETTER}
# For word lookup only: the keyboard variants of yeh and kaf, and alef maksura, which Afghan and older
# Persian typing use at the end of words.
_FOLD = (("\u064a", "\u06cc"), ("\u0643", "\u06a9"), ("\u0649", "\u06cc"))


def _fold(text: str) -> str:
    """Keyboard yeh/kaf folded for word lookup. str.replace, not a str.translate table: translate looks
    every character up in the table, a thousand times slower on Arabic-script text."""
    for source, target in _FOLD:
        text = text.replace(source, target)
    return text


def _words(*groups: str) -> frozenset[str]:
    return frozenset(_fold(w) for g in groups for w in g.split())


# Closed-class words that are frequent in one language and rare as words of the others. Words two
# languages share (و، او، من، ما، هم، به، نه، له، بعد…) are left out on purpose.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fa": _words(
        "است را این آن که از در برای می نمی های ها یک تا بود بودند شد شده شدند کرد کرده کردند خود",
        "ایشان آنها اینکه چه چرا اما ولی اگر نیز باید هر همه دیگر پس هست نیست کند کنند شود شوند",
        "خواهد دارد داشت دارند گفت گفته تو یا چون زیرا روی پیش وقتی چنین همین همان آیا بسیار",
        "هستند بیشتر کنید کردن شدن شما کشور مردم امروز آنان خویش چیزی",
        "اند ام ای‌ ساخت باشد داده دهد هیچ میان کنیم رفت آمد بر",
    ),
    "ur": _words(
        "ہے ہیں کی کا کے میں نے سے کو اور یہ وہ بھی تھا تھی تھے کر کہ ہو گیا گئی گئے رہا رہے رہی",
        "ایک لیے لئے نہیں جو پر تک اس ان کیا جب ساتھ بہت کچھ اپنے اپنی اپنا آپ تم ہوا ہوئی ہوئے",
        "والے والی لیکن مگر کیونکہ جس جن انہوں ہمیں کسی جائے کرتے کرتا کرنے",
    ),
    "ps": _words(
        "د په چې یې کې ته دا دغه شو وو وه دې کړ کړی کوي لري لپاره باندې څخه وروسته پورې هغه",
        "دوی موږ زه یو ټول شوی شوې ولې خو بیا لکه ترڅو تر سره دی ده کښې کوم کړه کړل شول",
        "نو هر ورته دي وي کېږي کیږي شوي کړي ګډ خلک ډېر ډیر نور اوس",
    ),
    "ar": _words(
        "في عن أن إن التي الذي الذين هذا هذه ذلك تلك كان كانت قد لا لم لن مع كل حتى أو ثم هو هي",
        "نحن أنا أنت وقد وكان وهو وفي عليه عليها إلى الى لقد يكون كما أي حيث منذ إذا عند فقط أيضا",
        "الله ولا فإن لأن بأن إنما ليس هل التى ولكن أنه إنه وأن قال يا",
    ),
    "ckb": _words("لە بۆ کە ئەم ئەو بە دەکات دەبێت لەگەڵ"),
    "sd": _words("۾ ۽ آهي آهن"),
    "ug": _words("بىلەن ۋە ئۈچۈن بۇ ئۇ"),
}
# `بین` and `علی` are common Persian too (a preposition, and the name Ali): one point each, never in
# `_FUNCTION_WORDS` as well, so that neither decides Arabic alone.
_WEAK_WORDS: dict[str, frozenset[str]] = {"ar": _words("بين على"), "fa": _words("من ما")}

# An Afghan month name as a word of folded text: one regex search before any Dari evidence is gathered.
_AFGHAN_MONTH_WORD = re.compile(r"(?<![\w\u200c])(?:" + "|".join(sorted(dari.AFGHAN_MONTHS)) + r")(?![\w\u200c])")

# --- Other scripts -------------------------------------------------------------------------------

# The language a script implies when it is written by essentially one language.
_SCRIPT_DEFAULT: dict[str, str] = {
    "Latn": "en",
    "Arab": "ar",
    "Cyrl": "ru",
    "Grek": "el",
    "Hebr": "he",
    "Armn": "hy",
    "Geor": "ka",
    "Syrc": "syr",
    "Thaa": "dv",
    "Nkoo": "nqo",
    "Deva": "hi",
    "Beng": "bn",
    "Guru": "pa",
    "Gujr": "gu",
    "Orya": "or",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Sinh": "si",
    "Thai": "th",
    "Laoo": "lo",
    "Tibt": "bo",
    "Mymr": "my",
    "Hang": "ko",
    "Ethi": "am",
    "Khmr": "km",
    "Mong": "mn",
    "Hira": "ja",
    "Kana": "ja",
    "Hani": "zh",
}

# Which script each non-Latin language we may tag is written in; anything else is assumed Latin.
SCRIPT_OF_LANGUAGE: dict[str, tuple[str, ...]] = {
    **{lang: ("Arab",) for lang in ARABIC_SCRIPT_LANGS},
    "ku": ("Latn", "Arab"),
    "ks": ("Arab",),
    "bal": ("Arab",),
    "pnb": ("Arab",),
    "pa": ("Guru", "Arab"),
    "ru": ("Cyrl",),
    "uk": ("Cyrl",),
    "bg": ("Cyrl",),
    "sr": ("Cyrl", "Latn"),
    "mk": ("Cyrl",),
    "be": ("Cyrl",),
    "kk": ("Cyrl",),
    "ky": ("Cyrl",),
    "tg": ("Cyrl",),
    "mn": ("Cyrl", "Mong"),
    "uz": ("Latn", "Cyrl"),
    "az": ("Latn", "Cyrl"),
    "tt": ("Cyrl",),
    "ba": ("Cyrl",),
    "el": ("Grek",),
    "he": ("Hebr",),
    "yi": ("Hebr",),
    "hy": ("Armn",),
    "ka": ("Geor",),
    "syr": ("Syrc",),
    "dv": ("Thaa",),
    "hi": ("Deva",),
    "mr": ("Deva",),
    "ne": ("Deva",),
    "sa": ("Deva",),
    "bn": ("Beng",),
    "gu": ("Gujr",),
    "or": ("Orya",),
    "ta": ("Taml",),
    "te": ("Telu",),
    "kn": ("Knda",),
    "ml": ("Mlym",),
    "si": ("Sinh",),
    "th": ("Thai",),
    "lo": ("Laoo",),
    "bo": ("Tibt",),
    "my": ("Mymr",),
    "ko": ("Hang",),
    "am": ("Ethi",),
    "ti": ("Ethi",),
    "km": ("Khmr",),
    "ja": ("Hira", "Kana", "Hani"),
    "zh": ("Hani",),
}

# pycld2 codes that are not the BCP 47 tags we write.
_CLD2_TAG = {"iw": "he", "jw": "jv", "zh-Hant": "zh", "tl": "fil"}
_TAJIK_LETTERS = set("\u04e3\u04ef\u04b7")  # ӣ ӯ ҷ: Tajik, not Russian, Uzbek or Kazakh
_LATIN_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8)
def _words_at_least(count: int) -> re.Pattern[str]:
    """Matches text with `count` words (`_LATIN_WORD` runs) or more: the search stops at the
    `count`th word, where counting them all made a list of every word of the paragraph. A match starts
    only where a word does, so text with fewer words costs `count` passes at most, never one per
    character."""
    return re.compile(rf"(?<![^\W\d_])[^\W\d_]+(?:[\W\d_]+[^\W\d_]+){{{count - 1}}}")


def _has_words(text: str, count: int) -> bool:
    """`len(_LATIN_WORD.findall(text)) >= count`."""
    return _words_at_least(count).search(text) is not None


# Web and e-mail addresses: their Latin letters say nothing about the language around them.
_ADDRESS = re.compile(r"(?:https?://|ftp://|mailto:|www\.)" + URL_BODY + r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
                      re.IGNORECASE)


# "www." in any case. No character but W lowercases to anything with a "w", none but "." to a dot, and
# the one character whose lowercase is two characters (U+0130) gives neither: this finds what
# `"www." in text.lower()` finds without lowering (a copy of) the whole text.
_WWW = re.compile(r"[wW][wW][wW]\.")


def _has_www(text: str) -> bool:
    """`"www." in text.lower()`. Lowering ASCII text is a table copy, cheaper than the regex; text
    without a w (most Arabic-script text) is settled by two character searches."""
    if text.isascii():
        return "www." in text.lower()
    return ("w" in text or "W" in text) and _WWW.search(text) is not None


def _may_hold_address(text: str) -> bool:
    """What every match of _ADDRESS holds: "@", ":" or "www." in any case (IGNORECASE matches none
    but w and W to w). Substring tests, checked first because _ADDRESS tries its e-mail branch at
    every letter."""
    return "@" in text or ":" in text or _has_www(text)


def _has_address(text: str) -> bool:
    return _may_hold_address(text) and bool(_ADDRESS.search(text))


def _blank_addresses(text: str) -> str:
    return _ADDRESS.sub(" ", text) if _may_hold_address(text) else text
_MAJOR_LATIN = frozenset(
    {
        "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "fi", "pl", "cs", "sk", "sl",
        "hr", "ro", "hu", "tr", "id", "ms", "vi", "la", "ca", "gl", "eu", "et", "lv", "lt", "sq", "az",
        "uz", "fil", "sw", "af", "is", "ga", "cy", "mt",
    }
)

# Fewer letters than this and a statistical guess is not trusted over the surrounding context.
_MIN_LETTERS = {"Latn": 12, "Cyrl": 10, "Arab": 8}


@dataclass(frozen=True)
class Guess:
    lang: str
    evidence: str
    confident: bool


@lru_cache(maxsize=256)
def script_of_language(tag: str) -> tuple[str, ...]:
    """The scripts a language tag is written in (primary subtag; unknown tags: Latin). Cached: a few
    tags are asked about for every block."""
    primary = tag.split("-")[0].lower()
    if tag.lower() == "fa-af" or primary in ("fa", "prs"):
        return ("Arab",)
    return SCRIPT_OF_LANGUAGE.get(primary, ("Latn",))


_C0_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")


def _pycld2() -> Any:
    """pycld2, imported where it first runs and named in the record's provenance each time it does."""
    import pycld2

    used("pycld2")
    return pycld2


def _cld2(text: str) -> list[tuple[str, int]] | None:
    """pycld2's ranked (tag, percent) list, or None when it cannot judge the text at all."""
    # Lone surrogates (which pycld2 cannot encode) become "?"; ASCII text has none.
    clean = text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8", "replace")
    # pycld2 rejects C0 controls other than tab/newline as invalid input.
    if _C0_CONTROL.search(clean):
        clean = _C0_CONTROL.sub(" ", clean)
    pycld2 = _pycld2()
    try:
        reliable, _bytes, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:
        return None
    # "xx-Cari" and the like are pycld2's names for scripts it cannot tie to a language.
    ranked = [
        (_CLD2_TAG.get(code, code), pct)
        for _name, code, pct, _score in details
        if code != "un" and not code.startswith("xx-")
    ]
    return ranked or None


@memo_naming_libraries(maxsize=2048)
def _cld2_sure(text: str, lang: str) -> bool:
    """pycld2 without best effort still names `lang` and calls it reliable: a short line of names
    ("Saadi, Gulistan. Tehran: Amir Kabir") gets a best-effort guess (Estonian) it does not stand by."""
    pycld2 = _pycld2()
    try:
        reliable, _bytes, details = pycld2.detect(_C0_CONTROL.sub(" ", text))
    except pycld2.error:
        return False
    return bool(reliable) and _CLD2_TAG.get(details[0][1], details[0][1]) == lang


def _restricted(ranked: list[tuple[str, int]] | None, candidates: Iterable[str]) -> str | None:
    allowed = set(candidates)
    for tag, _pct in ranked or ():
        if tag in allowed:
            return tag
    return None


def _letter_votes(text: str) -> Counter[str]:
    """Per language: how many words of `text` carry its distinctive letters, a word counting once per
    language, and half where its only letters of that language are ones two languages share. Counted
    with one regex per language present (words with any of its letters, words with one of its own),
    not word by word."""
    votes: Counter[str] = Counter()
    present = set(_SIGNATURE.findall(text))
    if not present:
        return votes
    for lang in sorted({lang for ch in present for lang, _w in _LETTER_LANG[ch]}):
        own = not present.isdisjoint(_EXCLUSIVE_LETTERS[lang])
        shared = not present.isdisjoint(_SHARED_LETTERS[lang])
        with_own = len(_WORD_WITH_OWN_LETTER[lang].findall(text)) if own else 0
        with_any = len(_WORD_WITH_LETTER[lang].findall(text)) if shared else with_own
        votes[lang] = with_own + 0.5 * (with_any - with_own)  # type: ignore[assignment]
    return votes


def _word_scores(folded: str, words: list[str]) -> dict[str, int]:
    """Points per language for the small words of `folded` (`words`: its Arabic-script words), and
    one for Arabic per word with the article."""
    scores: dict[str, int] = {}
    for points in filter(None, map(_WORD_POINTS.get, words)):
        for lang, n in points:
            scores[lang] = scores.get(lang, 0) + n
    articles = len(_ARTICLE_WORD.findall(folded))
    if articles:
        scores["ar"] = scores.get("ar", 0) + articles
    return scores


def _word_points() -> dict[str, tuple[tuple[str, int], ...]]:
    """What each function word adds to each language's score: one dictionary lookup per word of text
    instead of one per word and lexicon."""
    points: dict[str, list[tuple[str, int]]] = {}
    for lexicons, n in ((_FUNCTION_WORDS, 2), (_WEAK_WORDS, 1)):
        for lang, listed in lexicons.items():
            for word in listed:
                points.setdefault(word, []).append((lang, n))
    return {word: tuple(p) for word, p in points.items()}


_WORD_POINTS = _word_points()


# An Arabic definite article on a word of some length (ال + 3 letters or more, no ZWNJ), for every word of a
# text at once. The literal comes first, so the regex engine can skip to each ال; the lookbehind then
# checks the character before it.
_ARTICLE_WORD = re.compile(f"\u0627\u0644(?<![{_ARABIC_WORD_CHARS}]\u0627\u0644)"
                           f"[\u0620-\u064a\u066e-\u06d5\u06fa-\u06ff\u0750-\u077f]{{3,}}(?![{_ARABIC_WORD_CHARS}])")


@lru_cache(maxsize=2048)
def _dari_evidence(text: str) -> dari.DariEvidence:
    """The Dari evidence of one text, kept: a block's is asked for when it is judged and again when
    the document's is summed. Callers must not change it (`dari.combined` makes a new one)."""
    return dari.evidence([text])


def _is_dari(text: str) -> bool:
    """Dari is evident in `text` alone: Afghan words or an Afghan date well ahead of anything only
    Iranian Persian writes (see `dari`). Conservative on purpose, since a wrong fa-AF is worse than a
    plain fa."""
    return _dari_evidence(text).is_dari()


def _may_be_sure_of(lang: str, text: str) -> bool:
    """Whether a guess of `lang` from words or pycld2 may be confident: not for a language with letters
    of its own (Pashto, Urdu, Sindhi…) in a text without one of them. Nearly every sentence of such a
    language has one; without, the guess rests on what Persian typed on an Arabic keyboard also has
    (Arabic yeh, which Pashto writes too; دي, Pashto "are" and the Persian month Dey), so in a
    document the block takes the language of its neighbours instead."""
    own = _EXCLUSIVE_LETTERS.get(lang)
    return not own or not own.isdisjoint(text) or not _SHARED_LETTERS[lang].isdisjoint(text)


# Up to this many words an Arabic-script text is judged by its words' frequencies: a heading, a name, a
# phrase. Letters still decide where a language's own letters are present.
_SHORT_WORDS = 6
# How far (in Zipf units, summed over the words) the likeliest language must lead the next for the
# guess to be trusted; below it the guess is unsure and a block takes its context.
_SURE_MARGIN = 1.5
_UNKNOWN_WORD_MARGIN = 1.5
_LISTED_ARABIC = tuple(lang for lang in lexicon.LISTED if "Arab" in SCRIPT_OF_LANGUAGE.get(lang, ()))


def _vocalised(text: str, plain: str) -> int:
    """2 for text vowelled throughout (a mark on every third letter or more: the Quran, hadith, verse
    as Arabic prints them), 1 for a few marks, 0 for none."""
    marks = len(_SHORT_VOWEL_MARKS.findall(text))
    return 0 if not marks else 2 if marks * 3 >= alpha_count(plain) else 1


def _guess_short_arabic(text: str, plain: str, words: list[str], votes: Counter[str],
                        context: str | None) -> Guess | None:
    """A short Arabic-script text (`text`, and `plain` without harakat) that neither letters nor small
    words decide, judged by its words' frequencies (`lexicon`) within the languages its letters allow
    (`votes`: only shared letters); vowel marks, Arabic's own letters and its article count for Arabic;
    None where the lists cannot tell (no word listed, or only languages without a list)."""
    candidates = [lang for lang in votes if lang in _LISTED_ARABIC] if votes else list(_LISTED_ARABIC)
    if not candidates:
        return None
    if _NOT_ARABIC_LETTER.search(plain) and "ar" in candidates and len(candidates) > 1:
        candidates.remove("ar")
    found = lexicon.score(words, candidates)
    if not found.known:
        return None
    by_lang = found.by_lang
    if "ar" in by_lang:
        # Arabic's own letters, and its article on a word (العهد, العلم), which the other languages
        # write only in set phrases: as much as a word Arabic uses and the others do not.
        by_lang["ar"] += lexicon.FLOOR * (2 * bool(_ARABIC_ONLY_LETTER.search(plain))
                                          + len(_ARTICLE_WORD.findall(plain))
                                          + _vocalised(text, plain))
    best, margin = found.margin()
    # A word no list knows may be a word of another language (a Kurdish کوردی beside a Persian-looking
    # زمانی): each asks for a wider lead.
    needed = _SURE_MARGIN + _UNKNOWN_WORD_MARGIN * (len(words) - len(found.known))
    if len(candidates) == 1 or margin >= needed:
        return Guess(best, f"lexicon:{best}", True)
    if context in candidates and by_lang.get(context, 0) >= by_lang[best] - _SURE_MARGIN:
        return Guess(context, "context", False)
    return Guess(best, f"lexicon:{best}", False)


# Kashmiri's own letters and vowel signs (ٲ ٳ ۄ ؠ, and the marks ٚ ٟ ٕ): no other language here writes them.
_KASHMIRI = re.compile("[\u0672\u0673\u06c4\u0620\u065a\u065f\u0655]")
# Balochi and Punjabi (Shahmukhi) write with Urdu's letters; their small words tell them apart. Points
# per word: 2 where Urdu never uses the word, 1 where it is rare in Urdu.
_BALOCHI_WORDS = {**dict.fromkeys(_words("انت اِنت اَنت بوتگ کنگ گوں تئی مئے وتی اوں کنت بیت"), 2),
                  **dict.fromkeys(_words("مرچی شت کنئے"), 1)}
_PUNJABI_WORDS = {**dict.fromkeys(_words(
    "وچ نوں دا تے نیں ایہہ ساڈا ساڈی ساڈے تہاڈا تہاڈی تہاڈے تسی تسیں اسیں کتھے نال نئیں چنگا چنگی"
    " چنگے کردا کردی کردے جاندا جاندی جاندے ہندا ہندی ویکھو پنڈ مینوں تینوں سانوں اوہناں ایتھے اوتھے"
    " دیاں جاواں آں ایہنوں اوہنوں سی"), 2),
                  **dict.fromkeys(_words("اوہ اے ہن ہور وی گل"), 1)}
# Balochi's enclitic hamza: ءَ ءِ after a consonant or alone ("لوگءَ", "ءِ"), never so in Urdu or Persian.
_BALOCHI_HAMZA = re.compile("(?<![\u0620-\u064a\u066e-\u06d5])\u0621[\u064e\u0650]?(?![\u0620-\u064a\u066e-\u06d5])"
                            "|\u0621[\u064e\u0650](?![\u0620-\u064a\u066e-\u06d5])")
_URDU_LETTER_LANGS = frozenset({"ur", "fa", "sd"})
# Substrings one of those words has (or a word beginning with one): where none is in the text, there is
# nothing to count. Substring tests in C; a false hint only costs the count.
_NEIGHBOUR_HINTS = ("انت", "گوں", "وتی", "تئی", "مئے", "بوتگ", "وچ", "نوں", " تے ", "نیں", "ساڈ", "تہاڈ", "تسی",
                    "اسیں", "کتھے", "نئیں", "چنگ", "ایہ", " دا ", "جاند", "ایتھے", "اوتھے", "کردا")


def _urdu_neighbour(text: str, guess: Guess) -> Guess:
    """Balochi or Punjabi where a text taken for Urdu (or Persian, or Sindhi by a shared letter) has
    their small words; Urdu kept, but unsure, where those words are there without outweighing Urdu's."""
    if "\u0621" not in text and (guess.lang != "ur" or not any(map(text.__contains__, _NEIGHBOUR_HINTS))):
        return guess
    words = _ARABIC_WORD.findall(_fold(_HARAKAT.sub("", text)))
    balochi = sum(_BALOCHI_WORDS.get(w, 0) for w in words) + 2 * len(_BALOCHI_HAMZA.findall(text))
    punjabi = sum(_PUNJABI_WORDS.get(w, 0) for w in words) if guess.lang == "ur" else 0
    if (balochi < 2 and punjabi < 2) or (guess.lang != "ur" and balochi < 4):
        return guess
    urdu = sum(n for w in words for lang, n in _WORD_POINTS.get(w, ()) if lang == "ur")
    best, points = ("bal", balochi) if balochi >= punjabi else ("pnb", punjabi)
    if points > urdu or (points >= 4 and points * 2 > urdu):
        return Guess(best, f"words:{best}", True)
    return Guess(guess.lang, guess.evidence, False)


def _only_do_chashmi_he_in_arabic(folded: str, plain: str) -> bool:
    """Whether the only distinctive letter is ھ in text with letters only Arabic writes (ة أ إ ؤ) and
    none Arabic lacks: Arabic fonts draw the initial heh so, and PDFs map it to U+06BE, where Urdu or
    Sindhi would also show ی, ک or letters of their own."""
    # Cheapest and most often false first: Urdu and Sindhi text shows ی or ک within a few letters.
    return (_NOT_ARABIC_LETTER.search(plain) is None and _ARABIC_ONLY_LETTER.search(plain) is not None
            and set(_SIGNATURE.findall(folded)) == {"\u06be"})


def _guess_arabic_script(text: str, context: str | None) -> Guess:
    if _KASHMIRI.search(text):
        return Guess("ks", "letters:ks", True)
    plain = _HARAKAT.sub("", text)
    # Folding changes letters into letters of the same word class, so the words and the distinctive
    # letters (none of them folded) are the same in `folded` as in `plain`.
    folded = _fold(plain)
    votes = _letter_votes(folded)
    if votes and _only_do_chashmi_he_in_arabic(folded, plain):
        votes = Counter()
    lang, top = max(sorted(votes.items()), key=lambda kv: kv[1]) if votes else ("", 0.0)
    # A Pashto or Urdu name inside a Persian paragraph must not flip it: one word's letters win
    # only in a short text or where the function words do not point elsewhere.
    if top >= 2:
        return Guess(lang, f"letters:{lang}", True)
    words = _ARABIC_WORD.findall(folded)
    scores: dict[str, int] | None = None
    if votes:
        if len(words) <= 4:
            if top < 1:
                # Only letters two languages share (ھ: Urdu or Sindhi): the words decide between them.
                short = _guess_short_arabic(text, plain, words, votes, context)
                if short is not None and short.confident:
                    lang = short.lang
            return Guess(lang, f"letters:{lang}", True)
        if top >= 1:
            scores = _word_scores(folded, words)
            if scores.get(lang, 0) >= max(scores.values(), default=0):
                return Guess(lang, f"letters:{lang}", True)
    not_arabic = bool(_NOT_ARABIC_LETTER.search(plain))
    arabic_only = bool(_ARABIC_ONLY_LETTER.search(plain))
    candidates = [x for x in ARABIC_SCRIPT_LANGS if not (x == "ar" and not_arabic)]
    if scores is None:
        scores = _word_scores(folded, words)
    if not_arabic:
        scores.pop("ar", None)
    if arabic_only and not not_arabic:
        scores["ar"] = scores.get("ar", 0) + 2
    if _VOWEL_MARKS.search(text) and not not_arabic:
        scores["ar"] = scores.get("ar", 0) + 1
    if "\u0643" in plain and not not_arabic:
        # Arabic kaf: Persian, Urdu and Pashto write keheh (ک), which even Windows-1256 has. A point,
        # not a decision: an Afghan page typed on an Arabic keyboard spells كابل so too.
        scores["ar"] = scores.get("ar", 0) + 1
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], ARABIC_SCRIPT_LANGS.index(kv[0])))
    if ranked and ranked[0][1] >= 2:
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if score >= second + 2 or (score > second and score >= 2 * second):
            sure = (len(words) >= 2 or score >= 4) and _may_be_sure_of(best, plain)
            if (not sure or score <= 2) and len(words) <= _SHORT_WORDS and not votes:
                # One small word (دی: Pashto "is", the Persian month Dey; ولی: Persian "but", Arabic
                # "guardian") in a short text: the frequencies of all its words may say otherwise.
                short = _guess_short_arabic(text, plain, words, votes, context)
                if short is not None and short.confident and (short.lang != best or not sure):
                    return short
            return Guess(best, f"words:{best}", sure)
    if len(words) <= _SHORT_WORDS and not votes:
        short = _guess_short_arabic(text, plain, words, votes, context)
        if short is not None:
            return short
    letters = alpha_count(plain)
    # pycld2's "ku" in Arabic letters is Sorani, i.e. Central Kurdish.
    ranked_cld2 = [("ckb" if tag == "ku" else tag, pct) for tag, pct in _cld2(plain) or ()]
    cld2_lang = _restricted(ranked_cld2, candidates)
    if cld2_lang and letters >= _MIN_LETTERS["Arab"] * 2:
        return Guess(cld2_lang, f"cld2:{cld2_lang}", _may_be_sure_of(cld2_lang, plain))
    if context in candidates:
        return Guess(context, "context", False)
    if not_arabic:
        # Letters Arabic lacks rule Arabic out, and Persian is the commonest of the languages left; where
        # pycld2 names another of them, the guess is not confident and a block takes its document's.
        return Guess("fa", "letters:fa", len(words) >= 2 and cld2_lang in (None, "fa"))
    if arabic_only or _VOWEL_MARKS.search(text):
        return Guess("ar", "letters:ar", len(words) >= 2)
    if cld2_lang:
        return Guess(cld2_lang, f"cld2:{cld2_lang}", False)
    return Guess("ar", "script", False)


def _guess_cyrillic(text: str, context: str | None) -> Guess:
    if not _TAJIK_LETTERS.isdisjoint(text.lower()):
        return Guess("tg", "letters:tg", True)
    candidates = [k for k, v in SCRIPT_OF_LANGUAGE.items() if "Cyrl" in v]
    lang = _restricted(_cld2(text), candidates)
    enough = alpha_count(text) >= _MIN_LETTERS["Cyrl"]
    if lang and enough:
        return Guess(lang, f"cld2:{lang}", True)
    if context and "Cyrl" in script_of_language(context):
        return Guess(context, "context", False)
    return Guess(lang or "ru", f"cld2:{lang}" if lang else "script", False)


# A short Latin text is English when every word is common English (mean Zipf 5 or more: "I have a",
# "is it true"), names apart; "per la pace" or "en el mar" are words English has too, but rarer.
_ENGLISH_MEAN_ZIPF = 5.0


def _common_english(text: str) -> bool:
    """Two to seven words, each in the English list or a capitalised name, the listed ones common."""
    # More than seven spaces: more than seven words, near enough, and one count in C.
    if text.count(" ") > 7:
        return False
    known = []
    for word in _LATIN_WORD.findall(text):
        zipf = lexicon.frequency(word.lower(), "en")
        if zipf:
            known.append(zipf)
        elif not word[:1].isupper():
            return False
    return len(known) >= 2 and sum(known) >= _ENGLISH_MEAN_ZIPF * len(known)


def _guess_latin(text: str, context: str | None) -> Guess:
    text = _blank_addresses(text)
    if _common_english(text):
        return Guess("en", "lexicon:en", True)
    ranked = _cld2(text)
    lang = None
    for tag, _pct in ranked or ():
        if "Latn" in script_of_language(tag):
            lang = tag
            break
    letters = alpha_count(text)
    # Names and acronyms make pycld2 see small languages in English prose ("Khyber Pakhtunkhwa
    # Province" as Chichewa); those need much more text before they are believed.
    needed = _MIN_LETTERS["Latn"] if lang in _MAJOR_LATIN else 80
    if (lang and letters >= needed and _has_words(text, 3)
            and (lang == "en" or _has_words(text, 8) or _cld2_sure(text, lang))):
        return Guess(lang, f"cld2:{lang}", True)
    if context and "Latn" in script_of_language(context):
        return Guess(context, "context", False)
    if lang in _MAJOR_LATIN:
        return Guess(lang, f"cld2:{lang}", False)
    return Guess("en", "script", False)


@memo_naming_libraries(maxsize=2048)
def _guess(text: str, script: str, context: str | None) -> Guess:
    if script == "Arab":
        guess = _guess_arabic_script(text, context)
        if guess.lang in _URDU_LETTER_LANGS:
            guess = _urdu_neighbour(text, guess)
        if guess.lang == "fa" and _is_dari(text):
            return Guess("fa-AF", guess.evidence + "+dari", guess.confident)
        return guess
    if script == "Latn":
        return _guess_latin(text, context)
    if script == "Cyrl":
        return _guess_cyrillic(text, context)
    if script == COMMON:
        return Guess(context or UNDETERMINED, "context" if context else "none", False)
    return Guess(_SCRIPT_DEFAULT.get(script, UNDETERMINED), f"script:{script}", True)


_NO_PRIVATE_USE = noise.PRIVATE_USE.search
_KANA = re.compile("[\u3041-\u30ff\u31f0-\u31ff\uff66-\uff9f]")


def _noise(text: str, script: str) -> Guess | None:
    """`und` for text that is not language (see `noise`), with the reason as evidence."""
    if script == "Arab" and _NO_PRIVATE_USE(text, 0, noise.SAMPLE) is None and len(_letters_by_script(text)) < 3:
        # Most blocks: Arabic script without a private-use character, in fewer than three scripts.
        return None
    reason = noise.not_language(text, script)
    if reason is None and len(_letters_by_script(text)) >= 3:
        reason = noise.mixed_scripts(text)
    return Guess(UNDETERMINED, f"noise:{reason}", True) if reason else None


def _judge(text: str, script: str, context: str | None) -> Guess:
    """Guess from the part of `text` written in its main script."""
    unreadable = _noise(text, script)
    if unreadable is not None:
        return unreadable
    if script == COMMON:
        return _guess(text, script, context)
    if script in ("Hani", "Hira", "Kana") and _KANA.search(text):
        # Japanese mixes kanji and kana; Chinese never writes kana.
        return Guess("ja", "letters:ja", True)
    own = _script_text(text, script)
    if script == "Arab" and "«" in own:
        own = _outside_quotes(own)
    guess = _guess(own, script, context)
    if guess.lang == "fa" and own != text and _AFGHAN_MONTH_WORD.search(_fold(own)) and _is_dari(text):
        # The script's stretches end at its last letter: a year in ASCII digits after an Afghan month
        # ("4 قوس 1395") is only in the whole text. Dari words would have been found in `own`.
        return Guess("fa-AF", guess.evidence + "+dari", guess.confident)
    return guess


_QUOTED = re.compile("«[^«»]*»")


def _outside_quotes(text: str) -> str:
    """The text without what it quotes in guillemets, where three words or more are left: an Arabic
    sentence quoting a Persian proverb is Arabic (the quotation becomes a span of its own)."""
    outside = _QUOTED.sub(" ", text)
    return outside if outside != text and _has_words(outside, 3) else text


def _script_text(text: str, script: str) -> str:
    """Only the stretches of `text` in `script`, so a Persian phrase does not dilute an English
    paragraph's statistics (and the other way round)."""
    groups = script_groups(text)
    if len(groups) == 1 and groups[0][2] == script:
        return text[groups[0][0]:groups[0][1]]
    return " ".join(text[s:e] for s, e, sc in groups if sc == script)


class TextLanguage(NamedTuple):
    """What `judge_text` finds for one string; `sure` is False where the evidence is thin (the
    evidence then ends in "+unsure", or is the given context)."""

    lang: str
    script: str
    dir: str
    evidence: str
    sure: bool


def judge_text(text: str, context: str | None = None) -> TextLanguage:
    """Language, script, direction and evidence of one string, and whether the evidence is enough to
    be sure. `context` is the language to fall back on when the string is too short to judge (only
    used if it is written in the string's script)."""
    script = main_script(text)
    guess = _judge(text, script, context)
    evidence = "context:given" if guess.evidence == "context" else _unsure(guess)
    return TextLanguage(guess.lang, script, direction_of_script(script), evidence, guess.confident)


def detect_text(text: str, context: str | None = None) -> tuple[str, str, str, str]:
    """(lang, script, dir, evidence) for one string: a title, a TEI attribute value, a metadata field
    (see `judge_text`; the same steps without building its tuple, since callers of this one are many)."""
    script = main_script(text)
    guess = _judge(text, script, context)
    evidence = "context:given" if guess.evidence == "context" else _unsure(guess)
    return guess.lang, script, direction_of_script(script), evidence


# --- Documents -----------------------------------------------------------------------------------


@dataclass
class DocumentLanguages:
    """What `detect_language` found for a whole document; `detail` goes into the provenance event."""

    languages: list[LanguageShare]
    main_language: str
    scripts: list[str]
    detail: dict[str, Any] = field(default_factory=dict)


# Where clauses end: punctuation that can end a quotation, or a dash between spaces.
_CLAUSE_END_CHARS = r".!?؟:;؛،,«»\"“”„()\[\]{}*\n"
_DASH_BETWEEN_SPACES = r"\s[-–—]\s"
_CLAUSE_END = re.compile(f"[{_CLAUSE_END_CHARS}]|{_DASH_BETWEEN_SPACES}")
# Without the dash: a single character class, which the regex engine scans several times faster than
# the alternation; enough for text without a dash.
_CLAUSE_END_PUNCTUATION = re.compile(f"[{_CLAUSE_END_CHARS}]")
# What `trim` keeps a clause's edges on: a letter or digit (str.isalnum is `[^\W_]`), or a mark.
_EDGE = r"(?:[^\W_]|[\u064b-\u065f\u0670\u0300-\u036f])"
# A clause as `trim` leaves it: first edge character to last, with no clause end between. One match
# per clause that has an edge character at all; one without any is trimmed to nothing.
_TRIMMED_CLAUSE = re.compile(f"{_EDGE}(?:[^{_CLAUSE_END_CHARS}]*{_EDGE})?")
_TRIMMED_CLAUSE_DASHED = re.compile(f"{_EDGE}(?:(?:(?!{_DASH_BETWEEN_SPACES})[^{_CLAUSE_END_CHARS}])*{_EDGE})?")


def _clauses(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The clauses of text[start:end] (a script group: it starts and ends on a letter), split at
    punctuation that can end a quotation and trimmed to their first and last letter, digit or mark;
    none when nothing splits the group. One regex pass: cutting at every clause end and trimming each
    clause character by character in Python cost more than the judging of most clauses."""
    # Three character searches (in C, much faster than a character class) tell text without a dash.
    dashed = text.find("-", start, end) >= 0 or text.find("–", start, end) >= 0 or text.find("—", start, end) >= 0
    # Without a clause end the group is one clause (two in five Arabic-script groups): the search stops
    # at the first clause end, so it costs little where there are clauses.
    if (_CLAUSE_END if dashed else _CLAUSE_END_PUNCTUATION).search(text, start, end) is None:
        return []
    return list((_TRIMMED_CLAUSE_DASHED if dashed else _TRIMMED_CLAUSE).finditer(text, start, end))


def _plausible(tag: str, script: str) -> bool:
    return script == COMMON or script in script_of_language(tag)


# A declared language still holds for a mixed block when its script has at least this share of the
# letters: a Persian sentence quoting a longer English phrase is a Persian paragraph.
_DECLARED_MIN_SHARE = 0.3


def _declared_script(tag: str, script: str, text: str) -> str | None:
    """The script a declared language is written in here, or None when the block does not bear the
    declaration out (too few letters of that language's script)."""
    if _plausible(tag, script):
        return script
    counts = _letter_counts(text)
    total = sum(counts.values())
    own = {sc: n for sc, n in counts.items() if sc in script_of_language(tag)}
    if total and sum(own.values()) >= _DECLARED_MIN_SHARE * total:
        return max(own, key=lambda sc: own[sc])
    return None


def _foreign_spans(
    block: Block, text: str, script: str, context: dict[str, str], counter: Counter[str]
) -> list[Span]:
    """Inline runs whose language differs from the block's: other-script runs of any length, and
    same-script clauses of two words or more whose language is clearly another one. `text` is the
    block's text with addresses blanked out."""
    lang = block.lang or UNDETERMINED
    spans: list[Span] = []
    runs: list[tuple[int, int, str, Guess]] = []
    for start, end, run_script in script_groups(text):
        if run_script == script:
            continue
        s, e = trim(text, start, end)
        piece = text[s:e]
        if not any(map(str.isalpha, piece)):
            continue
        guess = _noise(piece, run_script) or _guess(piece, run_script, context.get(run_script))
        runs.append((s, e, run_script, _with_cue(guess, text, s, e, run_script)))
    for s, e, run_script, guess in _from_neighbours(runs):
        evidence = _context_evidence(guess)
        if guess.lang != lang:
            spans.append(Span(s, e, "foreign", lang=guess.lang, script=run_script,
                              dir=direction_of_script(run_script), evidence=evidence))
    if script in ("Arab", "Latn"):
        spans.extend(_same_script_spans(text, script, lang))
    spans.sort(key=lambda sp: (sp.start, sp.end))
    for sp in spans:
        counter[(sp.evidence or "").split(":")[0]] += 1
    return spans


def _with_cue(guess: Guess, text: str, start: int, end: int, script: str) -> Guess:
    """The language a cue word of the sentence names for the run ("the Urdu daily «…»", see `cues`),
    where the run's own letters do not decide otherwise and the cue's language is written in its
    script."""
    if guess.lang == UNDETERMINED or (guess.confident and guess.evidence.startswith("letters:")):
        return guess
    found = cues.cue_language(text, start, end)
    if found is None or script not in script_of_language(found[0]):
        return guess
    lang, word = found
    if lang == guess.lang:
        return Guess(lang, f"{guess.evidence}+cue:{word.lower()}", True)
    return Guess(lang, f"cue:{word.lower()}", True)


def _from_neighbours(runs: list[tuple[int, int, str, Guess]]) -> list[tuple[int, int, str, Guess]]:
    """Runs too short to judge take the language their block's other runs of the same script are
    sure of (an English paragraph quoting several Urdu titles), before the document's."""
    sure: dict[str, Counter[str]] = {}
    for _s, _e, script, guess in runs:
        if guess.confident and guess.lang != UNDETERMINED:
            sure.setdefault(script, Counter())[guess.lang] += 1
    if not sure:
        return runs
    out = []
    for s, e, script, guess in runs:
        if not guess.confident and script in sure:
            lang = max(sorted(sure[script].items()), key=lambda kv: kv[1])[0]
            guess = Guess(lang, "context:neighbours", False)
        out.append((s, e, script, guess))
    return out


def _same_script_spans(text: str, script: str, lang: str) -> list[Span]:
    """Clauses in the block's own script that are confidently another language (an Arabic prayer in
    a Persian paragraph, a French sentence in an English one)."""
    out: list[Span] = []
    primary = lang.split("-")[0]
    clause_language = _arabic_clause_language if script == "Arab" else _latin_clause_language
    signs = _other_language_signs(primary) if script == "Arab" else None
    for gs, ge, group_script in script_groups(text):
        if group_script != script:
            continue
        if script == "Latn":
            # A Latin clause needs 30 characters to be judged (`_latin_clause_language`), and lies
            # within its group.
            if ge - gs < _LATIN_CLAUSE_LETTERS:
                continue
            clauses = [m for m in _clauses(text, gs, ge) if m.end() - m.start() >= _LATIN_CLAUSE_LETTERS]
        else:
            clauses = _clauses(text, gs, ge)
        pieces = [m.group() for m in clauses]
        if signs is not None and pieces and not signs.found(pieces):
            # Not one clause of the group shows a sign of another language: one test for them all.
            continue
        for m, piece in zip(clauses, pieces, strict=True):
            s, e = m.span()
            guess = clause_language(piece, primary)
            if guess is not None and guess.lang != lang and guess.lang.split("-")[0] != primary:
                if out and out[-1].lang == guess.lang and not text[out[-1].end:s].strip(" ,،"):
                    out[-1].end = e
                else:
                    out.append(Span(s, e, "foreign", lang=guess.lang, script=script,
                                    dir=direction_of_script(script), evidence=guess.evidence))
    return out


# Two Arabic-script words or more: a word character, something else, a word character.
_TWO_WORDS = re.compile(f"[{_ARABIC_WORD_CHARS}][^{_ARABIC_WORD_CHARS}]+[{_ARABIC_WORD_CHARS}]")


def _arabic_clause_language(piece: str, primary: str) -> Guess | None:
    """The guess for an Arabic-script clause when it is decisive (letters or words, confident) for
    a language other than `primary`; None otherwise."""
    signs = _other_language_signs(primary)
    if not _TWO_WORDS.search(piece) or not signs.found([piece]):
        return None
    guess = _guess(piece, "Arab", None)
    # The word lists name an Arabic clause only with the article on one of its words (a sign
    # `_OtherLanguageSigns` looks for): Persian, Urdu and Pashto share most short words.
    by_lexicon = guess.evidence == "lexicon:ar" and _ARTICLE_WORD.search(piece) is not None
    if not ((guess.evidence.startswith(("letters:", "words:")) or by_lexicon) and guess.confident
            and guess.lang.split("-")[0] != primary):
        return None
    if guess.evidence.startswith("letters:"):
        # A Pashto place name (ننګرهار) in a Persian clause is not a Pashto phrase: ask for a second
        # word with the letters, or one of the language's own small words.
        folded = _fold(_HARAKAT.sub("", piece))
        if (_letter_votes(folded).get(guess.lang, 0) < 2
                and _word_scores(folded, _ARABIC_WORD.findall(folded)).get(guess.lang, 0) <= 0):
            return None
    return guess


_LATIN_CLAUSE_LETTERS = 30


def _latin_clause_language(piece: str, primary: str) -> Guess | None:
    """The guess for a Latin-script clause when pycld2 is sure of a major language other than
    `primary` and `_guess_latin` agrees with confidence; None otherwise."""
    # A decisive clause needs 30 characters, five words and 30 letters, and pycld2 sure of a major
    # language. pycld2 is asked before the words and letters are counted: nearly every clause judged
    # has them, and pycld2 names the block's language for nearly all, which settles it.
    if len(piece) < _LATIN_CLAUSE_LETTERS:
        return None
    ranked = _cld2(piece)
    if not ranked or ranked[0][1] < 90 or ranked[0][0] not in _MAJOR_LATIN:
        return None
    if ranked[0][0].split("-")[0] == primary and not _has_address(piece):
        # _guess_latin would ask pycld2 about the same text and get the block's language.
        return None
    if not _has_words(piece, 5) or alpha_count(piece) < _LATIN_CLAUSE_LETTERS:
        return None
    guess = _guess_latin(piece, None)
    return guess if guess.confident else None


class _OtherLanguageSigns:
    """Whether an Arabic-script clause shows any sign of a language other than `primary` that
    `_guess_arabic_script` could name from letters or words ("letters:", "words:"): that language's
    distinctive letters, one of its small words, or for Arabic its article, its own letters or vowel
    marks. Without such a sign the clause cannot be a confident other language and need not be
    guessed. A few regexes and set tests, all in C.

    Letters and words that cannot outvote `primary` are no sign, and some are one only in company
    (see `_letter_sign`, `_word_sign`): ھ in Urdu, ې in Pashto, هر in Persian, من in Arabic would
    otherwise send most clauses through a full guess for nothing."""

    def __init__(self, primary: str) -> None:
        kinds = {ch: _letter_sign(langs, primary) for ch, langs in _LETTER_LANG.items()}
        letters = "".join(sorted(ch for ch, kind in kinds.items() if kind == _ALWAYS))
        self.check_arabic = primary != "ar"
        if self.check_arabic:
            letters += "".join(sorted(_ARABIC_ONLY)) + _VOWEL_MARKS.pattern[1:-1]
        # Distinctive letters and, outside Arabic, Arabic's own letters and vowel marks: one regex.
        self.letters = re.compile(f"[{letters}]") if letters else None
        tied = "".join(sorted(ch for ch, kind in kinds.items() if kind == _TIED))
        self.tied = re.compile(f"[{tied}]") if tied else None
        self.own = re.compile(f"[{_EXCLUSIVE.get(primary, '')}]") if tied else None
        raised = {word: _raises(score, primary) for word, score in _WORD_SCORE.items()}
        # Languages that words raising nothing still give points to.
        scored = {lang for word, langs in raised.items() if not langs for lang in _WORD_SCORE[word]}
        words = {word: _word_sign(_WORD_SCORE[word], langs, scored) for word, langs in raised.items()}
        # Every spelling that folds to a sign word: the clauses' words need no folding.
        self.words = frozenset().union(*(_SPELLINGS[word] for word, kind in words.items() if kind == _ALWAYS))
        self.weak_words = frozenset().union(*(_SPELLINGS[word] for word, kind in words.items() if kind == _WEAK))

    def found(self, clauses: list[str]) -> bool:
        """Whether one of `clauses` (as they stand in the block, harakat and all) shows a sign: exact
        for one clause; for several, true whenever one of them does (and sometimes when none does),
        so that a group of clauses without any sign is dismissed with one test."""
        text = " ".join(clauses)
        if self.letters is not None and self.letters.search(text):
            return True
        if (self.tied is not None and self.own is not None and self.tied.search(text)
                and not all(map(self.own.search, clauses))):
            return True
        # Joined with spaces the clauses keep their own words: harakat removal cannot join across.
        # Folding would not move a word boundary, nor change what the article regex matches.
        plain = _HARAKAT.sub("", text)
        words = _ARABIC_WORD.findall(plain)
        if not self.words.isdisjoint(words) or (self.check_arabic and _ARTICLE_WORD.search(plain)):
            return True
        if self.weak_words.isdisjoint(words):
            return False
        # A second point: another weak word, or Arabic kaf (a point for Arabic, see `_guess_arabic_script`).
        return (bool(_NOT_ARABIC_LETTER.search(plain)) or sum(map(self.weak_words.__contains__, words)) >= 2
                or (self.check_arabic and "\u0643" in plain))


def _spellings(word: str) -> set[str]:
    """Every text `_fold` turns into `word` (a folded word): each Farsi yeh may have been typed as
    Arabic yeh or alef maksura, each keheh as Arabic kaf."""
    sources: dict[str, str] = {}
    for source, target in _FOLD:
        sources[target] = sources.get(target, target) + source
    return {"".join(chars) for chars in product(*(sources.get(ch, ch) for ch in word))}


# Per small word, made once: its points per language, and every spelling that folds to it.
_WORD_SCORE = {word: {lang: sum(n for other, n in points if other == lang) for lang, _n in points}
               for word, points in _WORD_POINTS.items()}
_SPELLINGS = {word: frozenset(_spellings(word)) for word in _WORD_POINTS}


# What a letter or small word is to a clause in the block's language: no sign of another language,
# always one, one only where none of the block language's own letters is (`_TIED`), one only beside
# Persian letters or a second such word (`_WEAK`).
_NEVER, _ALWAYS, _TIED, _WEAK = "never", "always", "tied", "weak"


def _letter_sign(langs: tuple[tuple[str, float], ...], primary: str) -> str:
    """A distinctive letter can make another language win the letter vote. Not when it counts for
    `primary` as much as for the other language and `primary` wins the tie (the tag that sorts first
    does): every word it adds to the other language then adds as much to `primary`. Where the other
    language wins the tie, one of `primary`'s own letters (a whole vote, the shared letter half of
    one) still decides for `primary`."""
    own = dict(langs).get(primary)
    kinds = {_NEVER}
    for lang, weight in langs:
        if lang == primary:
            continue
        if own is None or weight > own or weight >= 1.0:
            kinds.add(_ALWAYS)
        elif lang < primary:
            kinds.add(_TIED)
    return _ALWAYS if _ALWAYS in kinds else _TIED if _TIED in kinds else _NEVER


def _raises(score: dict[str, int], primary: str) -> set[str]:
    """The languages other than `primary` a small word (`score`: its points per language) can raise
    above it: those it gives more points than `primary` (for Arabic, any points: its score is dropped
    when Persian letters are present), and Persian with any points outside Persian: a clause with
    Persian letters falls back to "letters:fa" when one of its words scores for Persian."""
    own = score.get(primary, 0) if primary != "ar" else 0
    return {lang for lang, n in score.items() if lang != primary and (n > own or (lang == "fa" and n > 0))}


def _word_sign(score: dict[str, int], raised: set[str], scored: set[str]) -> str:
    """`_ALWAYS` for a word that raises other languages (`raised`, see `_raises`), unless it gives each
    of them one point only and no word that raises nothing gives them points (`scored`): then a
    "words:" guess for them needs a second such word (two points), and "letters:fa" Persian letters."""
    if not raised:
        return _NEVER
    if any(score[lang] >= 2 or lang in scored for lang in raised):
        return _ALWAYS
    return _WEAK


@lru_cache(maxsize=32)
def _other_language_signs(primary: str) -> _OtherLanguageSigns:
    return _OtherLanguageSigns(primary)


def without_addresses(text: str) -> str:
    """The text with URLs and e-mail addresses blanked to spaces (offsets kept): their Latin letters
    say nothing about the language of the Persian or Arabic sentence around them."""
    if "@" not in text and "://" not in text and not _has_www(text):
        return text
    return _ADDRESS.sub(lambda m: " " * len(m.group()), text)


def _unsure(guess: Guess) -> str:
    """The guess's evidence, marked "+unsure" where it is not enough to be sure of the language."""
    if guess.confident or guess.evidence.startswith("context"):
        return guess.evidence
    return f"{guess.evidence}+unsure"


def _context_evidence(guess: Guess) -> str:
    return "context:document" if guess.evidence == "context" else _unsure(guess)


def _shares(counts: Counter[str]) -> list[LanguageShare]:
    total = sum(counts.values())
    if not total:
        return []
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shares = [LanguageShare(tag, round(n / total, 4)) for tag, n in ordered]
    # Rounding may leave the sum a few ten-thousandths off; the largest share absorbs it.
    drift = round(1.0 - sum(s.share for s in shares), 4)
    shares[0].share = round(shares[0].share + drift, 4)
    return shares


def detect_language(blocks: list[Block], declared: str | None = None) -> DocumentLanguages:
    """Set lang, script, dir and evidence on every block, add `foreign` spans, and measure shares.

    Two passes: the first judges each block on its own; blocks too short to judge then take the
    language the document mostly uses for their script (or the declared one).
    """
    first: list[tuple[str, Guess | None]] = []
    guess: Guess | None
    by_script: dict[str, Counter[str]] = {}
    # A source that declares plain Persian (lang="fa") may still be evidently Dari, as a judged block
    # may: the declaration is then narrowed to fa-AF, and the evidence says so.
    declared_dari = False
    texts = [without_addresses(block.text) for block in blocks]
    letters = [letter_total(text) for text in texts]
    for block, text, n_letters in zip(blocks, texts, letters, strict=True):
        # A block that is nothing but an address keeps the address's script; its language comes
        # from the document.
        script = main_script(text) if text and not text.isspace() else main_script(block.text)
        # A language the source declared comes without evidence; one this function set earlier
        # carries its evidence and is judged again.
        declared_here = block.lang and block.evidence in (None, "declared")
        declared_script = _declared_script(block.lang, script, text) if declared_here and block.lang else None
        if declared_script is not None:
            # The block is in its declared language; runs in other scripts become foreign spans.
            script = declared_script
            first.append((script, None))
            declared_dari = declared_dari or (block.lang == "fa" and _is_dari(text))
            lang = block.lang or UNDETERMINED
            weight = n_letters
        else:
            guess = _judge(text, script, None)
            first.append((script, guess))
            lang, weight = guess.lang, (n_letters if guess.confident else 0)
        if script != COMMON and weight and lang != UNDETERMINED:
            if script not in by_script:
                by_script[script] = Counter()
            by_script[script][lang] += weight
    context: dict[str, str] = {
        script: max(sorted(c.items()), key=lambda kv: kv[1])[0] for script, c in by_script.items() if c
    }
    if declared:
        for script in script_of_language(declared):
            context.setdefault(script, declared)
    doc_main = _document_main(by_script, declared)
    # Dari shows over the whole document: Afghan words, dates, places and institutions in any of its
    # Persian blocks, weighed against Iranian Persian's own words (see `dari`).
    found = None
    if context.get("Arab", "").startswith("fa") or declared_dari:
        found = dari.combined(map(_dari_evidence, _persian_texts(blocks, texts, first)))
    is_dari = declared_dari or (found is not None and found.is_dari())
    if context.get("Arab", "").startswith("fa"):
        context["Arab"] = "fa-AF" if is_dari else "fa"

    evidence_counts: Counter[str] = Counter()
    span_evidence: Counter[str] = Counter()
    char_counts: Counter[str] = Counter()
    for block, text, n_letters, (script, guess) in zip(blocks, texts, letters, first, strict=True):
        if guess is None:
            block.evidence = "declared"
        elif guess.confident:
            block.lang, block.evidence = guess.lang, guess.evidence
            if block.lang == "fa-AF" and not is_dari:
                # Iranian Persian in the rest of the document outweighs this block's Afghan words.
                block.lang, block.evidence = "fa", guess.evidence.replace("+dari", "")
        elif script == COMMON or not n_letters:
            # No letters to judge (or only an address's): the document's language, as the comment on
            # the first pass says; the block keeps its script and direction.
            block.lang, block.evidence = doc_main, "context:document"
        else:
            inherited = context.get(script)
            if inherited:
                block.lang, block.evidence = inherited, "context:document"
            else:
                block.lang, block.evidence = guess.lang, _unsure(guess)
        block.script = script
        block.dir = direction_of_script(script if script != COMMON else _main_script_of(doc_main))
        evidence_counts[(block.evidence or "").split(":")[0]] += 1
        block.spans = [s for s in block.spans if s.kind != "foreign" or s.evidence == "declared"]
        if not (block.evidence or "").startswith("noise:"):
            # Glyph garbage has no runs in other languages, only more garbage.
            block.spans.extend(_foreign_spans(block, text, script, context, span_evidence))
        if is_dari:
            _mark_dari(block)
        if block.type != "boilerplate":
            _count_chars(block, text, n_letters, char_counts)

    languages = _shares(char_counts)
    main = languages[0].tag if languages else doc_main
    scripts = sorted({b.script for b in blocks if b.script and b.script != COMMON}
                     | {s.script for b in blocks for s in b.spans if s.kind == "foreign" and s.script})
    detail = {
        "blocks": len(blocks),
        "evidence": dict(sorted(evidence_counts.items())),
        "foreign_spans": dict(sorted(span_evidence.items())),
        "declared": declared,
        **({"dari": {"fa-AF": is_dari, **found.describe()}} if found is not None else {}),
        "rules": "letters+words",
    }
    return DocumentLanguages(languages, main, scripts, detail)


def _persian_texts(blocks: list[Block], texts: list[str], first: list[tuple[str, Guess | None]]) -> list[str]:
    """The texts of the blocks that are or may be Persian: declared so, guessed so, or too short to
    judge in Arabic script (they take the document's Persian)."""
    out = []
    for block, text, (script, guess) in zip(blocks, texts, first, strict=True):
        if script != "Arab":
            continue
        lang = block.lang or "" if guess is None else guess.lang
        if lang.startswith("fa") or (guess is not None and not guess.confident):
            out.append(text)
    return out


def _mark_dari(block: Block) -> None:
    if block.lang == "fa":
        block.lang, block.evidence = "fa-AF", f"{block.evidence}+dari:document"
    for span in block.spans:
        if span.kind == "foreign" and span.lang == "fa" and span.evidence != "declared":
            span.lang, span.evidence = "fa-AF", f"{span.evidence}+dari:document"


def _main_script_of(tag: str) -> str:
    return script_of_language(tag)[0] if tag != UNDETERMINED else COMMON


def _document_main(by_script: dict[str, Counter[str]], declared: str | None) -> str:
    total: Counter[str] = Counter()
    for counts in by_script.values():
        total.update(counts)
    if total:
        return max(sorted(total.items()), key=lambda kv: kv[1])[0]
    return declared or UNDETERMINED


def _count_chars(block: Block, text: str, letters: int, counts: Counter[str]) -> None:
    """Letters of the block by language: foreign spans to theirs, the rest (of `letters`, all the
    letters of `text`) to the block's; letters of web and e-mail addresses belong to no language."""
    foreign = [s for s in block.spans if s.kind == "foreign" and s.lang]
    if not foreign:
        if letters > 0:
            counts[block.lang or UNDETERMINED] += letters
        return
    inside = 0
    covered = -1
    for span in sorted(foreign, key=lambda s: s.start):
        start = max(span.start, covered)
        if span.end <= start:
            continue
        n = alpha_count(text[start:span.end])
        counts[span.lang or UNDETERMINED] += n
        inside += n
        covered = span.end
    rest = letters - inside
    if rest > 0:
        counts[block.lang or UNDETERMINED] += rest
