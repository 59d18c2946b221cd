"""Unicode and Arabic-script normalization, every change counted so the archive can say what it did.

The original bytes are kept beside each record, so normalization may change text, but never silently:
each step adds to a counter under a stable step name (`NORMALIZATION_STEPS`), which provenance and the
TEI header report. What carries meaning stays: ZWNJ/ZWJ (Persian spelling), harakat and tatweel
(removed only by `fold_for_search`, for the index).

Three levels:
- `normalize_text`: language-independent repairs safe for any text (entities, mojibake, illegal and
  invisible controls, presentation forms, NFC).
- `normalize_for_language`: letter choices that depend on the language (Arabic yeh/kaf in Persian,
  Urdu, Pashto…); one character for one character, so span offsets computed before still hold.
- `fold_for_search`: lossy folding for the full-text index only.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .encoding import repair_mojibake

NORMALIZATION_STEPS: dict[str, str] = {
    "html_entities": "HTML/XML character references left in the text (&amp;, &Amp;, &#39;…) replaced by "
    "the characters they stand for",
    "mojibake": "UTF-8 text that had been decoded with a legacy code page (Windows-1252/1256, Latin-1) "
    "repaired; counts characters removed by the repair",
    "nul": "NUL characters removed",
    "xml_illegal": "characters not allowed in XML 1.0 (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF, "
    "lone surrogates) and stray U+FEFF removed",
    "bidi_controls": "bidirectional formatting controls (LRM, RLM, ALM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI) "
    "removed; direction is recorded per block and span instead",
    "format_characters": "invisible format characters removed: soft hyphens (U+00AD), zero-width spaces "
    "(U+200B), word joiners and invisible operators (U+2060–U+2064), the Mongolian vowel separator "
    "(U+180E); ZWNJ and ZWJ, part of Persian and Urdu spelling, are kept",
    "presentation_forms": "Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFE) folded to the base "
    "letters by compatibility decomposition",
    "nfc": "Unicode canonical composition (NFC); counts sequences changed",
    "arabic_yeh": "Arabic yeh/alef maksura (U+064A/U+0649) written as Farsi yeh (U+06CC) in Persian, Urdu "
    "and related languages",
    "arabic_kaf": "Arabic kaf (U+0643) written as keheh (U+06A9) in Persian, Urdu, Pashto and related "
    "languages",
}

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4\u0637-\u063a\u0623][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
                            "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122\u067e\u0686\u0698"
                            "\u06af\u06a9\u0679\u0688\u0691\u06ba\u06be\u060c\u061b\u061f]")
_XML_ILLEGAL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ufeff\ud800-\udfff]")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Soft hyphens and zero-width spaces split a word for search and comparison while showing nothing.
_FORMAT = re.compile("[\u00ad\u200b\u2060-\u2064\u180e]")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
# Spacing forms of harakat (U+FE70…, U+FC5E…) decompose to a space plus the mark; the space would split
# the word the mark belongs to.
_SPACE_THEN_MARK = re.compile(" (?=[\u064b-\u065f])")
_TOKEN = re.compile(r"\S+")


def normalize_text(text: str, counts: Counter[str]) -> str:
    """Language-independent normalization; adds the number of changes per step to `counts`.

    Idempotent: normalizing the output again changes nothing. One step can expose work for another
    (an entity that stands for a bidi control, a removed control that joined mojibake bytes), so the
    steps repeat until nothing changes; the second round is only a few scans. Text with nothing to
    repair (`_nothing_to_repair`) is returned after one to three scans.
    """
    if _nothing_to_repair(text):
        return text
    for _ in range(4):
        before = text
        text = _one_round(text, counts)
        if text == before or _nothing_to_repair(text):
            break
    return text


# Every character some step of `_one_round` acts on by itself (NUL, XML-illegal, bidi controls, `&`,
# presentation forms): one class, so clean text costs one scan instead of one per step.
_REPAIRABLE = re.compile(
    "[\x00&" + "".join(p.pattern[1:-1] for p in (_XML_ILLEGAL, _BIDI, _FORMAT, _PRESENTATION)) + "]"
)


def _nothing_to_repair(text: str) -> bool:
    """`_one_round` would return `text` unchanged and count nothing: no character a step acts on, no
    sign of mojibake, and composed already."""
    if _REPAIRABLE.search(text):
        return False
    # Mojibake and decomposed letters need characters beyond ASCII.
    return text.isascii() or (not _MOJIBAKE_HINT.search(text) and unicodedata.is_normalized("NFC", text))


def _one_round(text: str, counts: Counter[str]) -> str:
    text = _remove_invisible(text, counts)
    if "&" in text:
        text = _remove_invisible(_unescape(text, counts), counts)
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = _nfc(text, counts)
    composed = text
    if _MOJIBAKE_HINT.search(text):
        fixed, n = repair_mojibake(text)
        if n:
            text = _remove_invisible(fixed, counts)
            counts["mojibake"] += n
    if _PRESENTATION.search(text):
        text = _PRESENTATION.sub(lambda m: _fold_presentation(m.group(), counts), text)
    # Text no repair touched is in NFC already.
    if text is not composed and not unicodedata.is_normalized("NFC", text):
        text = _nfc(text, counts)
    return text


def _remove_invisible(text: str, counts: Counter[str]) -> str:
    if "\x00" in text:
        counts["nul"] += text.count("\x00")
        text = text.replace("\x00", "")
    text = _drop(_XML_ILLEGAL, text, "xml_illegal", counts)
    if text.isascii():
        return text
    return _drop(_FORMAT, _drop(_BIDI, text, "bidi_controls", counts), "format_characters", counts)


def _drop(pattern: re.Pattern[str], text: str, step: str, counts: Counter[str]) -> str:
    if not pattern.search(text):
        return text
    text, n = pattern.subn("", text)
    counts[step] += n
    return text


def _unescape(text: str, counts: Counter[str]) -> str:
    # Repeat until stable: "&amp;amp;" (escaped twice) becomes "&", and a second run changes nothing.
    while True:
        before = counts["html_entities"]
        text = _ENTITY.sub(lambda m: _entity(m.group(), counts), text)
        if counts["html_entities"] == before:
            return text


def _entity(ref: str, counts: Counter[str]) -> str:
    value = html.unescape(ref)
    if value == ref and not ref.startswith("&#"):
        # Title-cased by a careless "smart" capitalizer: "Sociology &Amp; Cultural Research".
        value = html.unescape(ref.lower())
    if value == ref:
        return ref
    counts["html_entities"] += 1
    return value


@lru_cache(maxsize=1024)
def _presentation_base(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return _SPACE_THEN_MARK.sub("", folded) if folded.strip() else folded


def _fold_presentation(ch: str, counts: Counter[str]) -> str:
    base = _presentation_base(ch)
    if base != ch:
        counts["presentation_forms"] += 1
    return base


def _nfc(text: str, counts: Counter[str]) -> str:
    out = unicodedata.normalize("NFC", text)
    changed = 0
    for token in _TOKEN.findall(text):
        if not unicodedata.is_normalized("NFC", token):
            changed += max(1, len(token) - len(unicodedata.normalize("NFC", token)))
    counts["nfc"] += max(1, changed)
    return out


# --- language-specific letters --------------------------------------------------------------------------

# Languages whose alphabet has Farsi yeh and keheh where Arabic has yeh and kaf. Pashto is not in the
# yeh list: ي (U+064A) is a letter of its own in Pashto. Sindhi and Uyghur keep Arabic kaf (Sindhi's
# keheh is a different letter, aspirated kh; Uyghur writes k with U+0643).
_FOLD_YEH = frozenset({"fa", "prs", "ur", "ckb", "bal", "ks", "pnb", "skr", "azb", "glk", "mzn", "lrc", "bqi"})
_FOLD_KAF = _FOLD_YEH | {"ps", "pbt", "pbu"}


def normalize_for_language(text: str, lang: str | None, counts: Counter[str]) -> str:
    """Arabic yeh/kaf to the letters Persian, Urdu, Pashto… use; text in other languages is returned as is.

    One character replaces one character, so offsets into the text stay valid.
    """
    if not lang or text.isascii():
        return text
    steps = _letter_steps(lang.split("-", 1)[0].lower())
    if not steps:
        return text
    # str.replace per letter, not str.translate: translate looks every character up in its table. No
    # target is another step's source, so the order of the replacements does not matter.
    for step, sources, target in steps:
        n = sum(map(text.count, sources))
        if n:
            counts[step] += n
            for source in sources:
                text = text.replace(source, target)
    return text


@lru_cache(maxsize=64)
def _letter_steps(primary: str) -> tuple[tuple[str, str, str], ...]:
    steps: list[tuple[str, str, str]] = []
    if primary in _FOLD_YEH:
        steps.append(("arabic_yeh", "\u064a\u0649", "\u06cc"))
    if primary in _FOLD_KAF:
        steps.append(("arabic_kaf", "\u0643", "\u06a9"))
    return tuple(steps)


# --- search folding ------------------------------------------------------------------------------------

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_MARKS = "\u0640\u200c\u200d\u00ad" + "".join(
    chr(c) for first, last in ((0x0300, 0x036F), (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670),
                               (0x06D6, 0x06ED)) for c in range(first, last + 1)
)
_SEARCH_LETTERS = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # alef forms
    "\u0672": "\u0627", "\u0673": "\u0627",
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0626": "\u06cc",  # yeh forms -> Farsi yeh
    "\u0643": "\u06a9",  # kaf -> keheh
    "\u0624": "\u0648",  # waw with hamza -> waw
    "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06be": "\u0647", "\u06d5": "\u0647",  # heh forms -> heh
    "\u06c2": "\u0647", "\u06c3": "\u0629",
}
# Removals by one regex pass and replacements by str.replace, only for the letters present: str.translate
# with a table looks up every character of the text, which made it most of the cost of indexing a record.
_SEARCH_MARKS = re.compile("[" + re.escape(_MARKS) + "]+")
_SEARCH_VARIANTS = (*_SEARCH_LETTERS.items(), *((chr(k), chr(v)) for k, v in _DIGITS.items()))
_SEARCH_ANY_VARIANT = re.compile("[" + "".join(source for source, _ in _SEARCH_VARIANTS) + "]")


def fold_for_search(text: str) -> str:
    """A lossy key for the full-text index; apply the same function to queries.

    Compatibility forms decomposed (presentation forms, ligatures, widths); Latin, Greek and Cyrillic
    case-folded and stripped of accents; harakat, Quranic marks and tatweel removed; alef, yeh, kaf,
    waw-hamza and heh variants folded to one letter each (teh marbuta stays: it is a different word
    ending, not a spelling variant); ZWNJ, ZWJ and soft hyphens removed, so "می‌شود" and "میشود" match;
    Persian and Arabic-Indic digits to ASCII.

    Every step works character by character and leaves a newline alone, so folding the blocks of a
    record one by one and joining them gives the fold of the joined text; ASCII text only needs
    lower-casing, which is what the catalog's English blocks take. No variant's target is another
    variant's source, so the order of the replacements does not matter.
    """
    if text.isascii():
        return text.lower()
    text = _SEARCH_MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
    if _SEARCH_ANY_VARIANT.search(text):
        for source, target in _SEARCH_VARIANTS:
            if source in text:
                text = text.replace(source, target)
    return unicodedata.normalize("NFC", text)


def fold_digits(text: str) -> str:
    """Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits to ASCII; nothing else changes."""
    return text if text.isascii() else text.translate(_DIGITS)


__all__ = ["NORMALIZATION_STEPS", "fold_digits", "fold_for_search", "normalize_for_language", "normalize_text"]
