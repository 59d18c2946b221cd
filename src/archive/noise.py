"""Text that is not language: glyph garbage, private-use characters, symbol runs, random letters.

Why: a PDF whose fonts map glyphs to the wrong code points, or to the private-use area, gives "text"
that any statistical detector will still call something (English, Greek, Macedonian) with confidence.
Such text is `und`, and the reason is the evidence. Each test below is a sign no real sentence
gives: most characters private-use or symbols; words that mix Latin, Greek and Cyrillic letters;
most words without a vowel; Latin-1 letters where a real language has a few (UTF-8 or Arabic code
pages read as Latin-1); letters in alphabetical order (a symbol font's glyphs numbered in turn).

Only the start of a long text is looked at (`SAMPLE` characters): garbage is garbage throughout, and
the test must cost little on the real prose that makes up nearly every block.
"""

from __future__ import annotations

import re
import unicodedata

SAMPLE = 400
_CHECKED = frozenset({"Latn", "Grek", "Cyrl", "Zyyy"})
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_TOKEN = re.compile(r"\S+")
# Letters of the scripts whose garbage we see (Latin, Greek, Cyrillic), by script.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_GREEK = "\u0370-\u03ff"
_CYRILLIC = "\u0400-\u04ff"
_LETTER_OF = {name: re.compile(f"[{chars}]") for name, chars in
              (("Latn", _LATIN), ("Grek", _GREEK), ("Cyrl", _CYRILLIC))}
_WORD = re.compile(f"[{_LATIN}{_GREEK}{_CYRILLIC}]+")
_VOWEL = re.compile("[aeiouyAEIOUY\u00c0-\u00c6\u00c8-\u00cf\u00d2-\u00d6\u00d8-\u00dd\u00e0-\u00e6\u00e8-\u00ef"
                    "\u00f2-\u00f6\u00f8-\u00fd\u0100-\u0105\u0112-\u011b\u012a-\u0131\u014c-\u0151\u0168-\u0173"
                    "\u0386\u0388-\u038a\u038c\u038e-\u0390\u0391\u0395\u0397\u0399\u039f\u03a5\u03a9-\u03b1"
                    "\u03b5\u03b7\u03b9\u03bf\u03c5\u03c9-\u03ce"
                    "\u0410\u0415\u0418\u041e\u0423\u042b\u042d\u042e\u042f\u0430\u0435\u0438\u043e\u0443\u044b"
                    "\u044d\u044e\u044f\u0400\u0401\u0404\u0406\u0407\u0450\u0451\u0454\u0456\u0457\u040e\u045e]")
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")
_OTHER_THAN_LATIN = re.compile(f"[{_GREEK}{_CYRILLIC}]")
_ASCII_NOT_ALPHA = bytes(c for c in range(128) if not chr(c).isalpha())


def not_language(text: str, script: str) -> str | None:
    """Why `text` (whose main script is `script`) is not language ("private-use", "symbols",
    "mixed-script-words", "no-vowels", "single-letters", "latin-1-letters", "alphabet-run"), or None
    when it may well be. Text in other scripts than Latin, Greek and Cyrillic (or none) is only
    checked for private-use characters. Each test starts with a count or a search in C that real
    prose fails, so that prose costs a few of those and nothing more."""
    if script not in _CHECKED:
        # Most blocks: one search, no copy.
        if PRIVATE_USE.search(text, 0, SAMPLE) is None:
            return None
        return _private_use(text[:SAMPLE])
    sample = text[:SAMPLE]
    ascii_text = sample.isascii()
    if not ascii_text and _private_use(sample):
        return "private-use"
    if script == "Zyyy":
        chars = _non_space(sample)
        return "symbols" if not ascii_text and chars >= 3 and _mostly_symbols(sample, chars) else None
    if script == "Latn":
        if not ascii_text:
            found = (_OTHER_THAN_LATIN.search(sample) and _mixed(sample)) or _latin1(sample)
            if found:
                return found
        return _vowelless(_WORD.findall(sample)) if _few_vowels(sample) else None
    words = _WORD.findall(sample)
    return _mixed(sample) or _vowelless(words) or _alphabet_run(words)


def _non_space(sample: str) -> int:
    return len(sample) - sample.count(" ") - sample.count("\n") - sample.count("\t")


def _private_use(sample: str) -> str | None:
    """Private-use characters in three tenths or more of the non-space characters."""
    if not PRIVATE_USE.search(sample):
        return None
    return "private-use" if len(PRIVATE_USE.findall(sample)) * 10 >= _non_space(sample) * 3 else None


def _ascii_letters(sample: str) -> int:
    return len(sample.encode("ascii", "ignore").translate(None, _ASCII_NOT_ALPHA))


def _few_vowels(sample: str) -> bool:
    """Fewer vowels than a third of the ASCII letters, or a short text of letters standing alone: what
    random letters give, where Latin-script prose has about two vowels in five letters."""
    # Bytes: three translations in C, no Python loop and no lowering of a str.
    letters_only = sample.encode("ascii", "ignore").translate(None, _ASCII_NOT_ALPHA)
    letters = len(letters_only)
    vowels = letters - len(letters_only.translate(None, b"aeiouyAEIOUY"))
    return vowels * 3 < letters or (len(sample) < 100 and letters * 2 <= len(sample.split()) * 3)


def _mostly_symbols(sample: str, chars: int) -> bool:
    """Most non-space characters are symbols (dingbats, shapes, box drawing), not digits or punctuation:
    a page number or a row of dashes is no garbage."""
    symbols = sum(1 for ch in sample if unicodedata.category(ch) in ("So", "Sm", "Co"))
    return symbols * 2 >= chars


def _mixed(sample: str) -> str | None:
    """Words that mix Latin, Greek and Cyrillic letters, in a third of the words or more."""
    present = [name for name, letter in _LETTER_OF.items() if letter.search(sample)]
    if len(present) < 2:
        return None
    tokens = _TOKEN.findall(sample)
    mixed = sum(1 for token in tokens if sum(1 for name in present if _LETTER_OF[name].search(token)) >= 2)
    return "mixed-script-words" if mixed * 3 >= len(tokens) else None


def _vowelless(words: list[str]) -> str | None:
    """Three words or more, most without a vowel, or all of them single letters. Words in capitals
    (acronyms) do not count."""
    counted = [w for w in words if not (w.isupper() and len(w) <= 5 and w.isascii())]
    if len(counted) < 3:
        return None
    if len(counted) >= 6 and all(len(w) == 1 for w in counted):
        return "single-letters"
    # Two-letter ASCII words without a vowel are mostly abbreviations (pp, cf, ch, vs).
    longer = [w for w in counted if len(w) >= (3 if w.isascii() else 2)]
    if len(longer) < 3:
        return None
    without = sum(1 for w in longer if not _VOWEL.search(w))
    return "no-vowels" if without * 5 >= len(longer) * 3 else None


def _latin1(sample: str) -> str | None:
    """More Latin-1 letters (À-ÿ) than ASCII ones: bytes of another encoding read as Latin-1. French,
    Portuguese or Vietnamese have a few in a word, not a majority."""
    if not _LATIN1_LETTER.search(sample):
        return None
    latin1 = len(_LATIN1_LETTER.findall(sample))
    return "latin-1-letters" if latin1 >= 4 and latin1 > _ascii_letters(sample) else None


# Scripts that one word may mix in real writing: Japanese writes kanji and kana together, Korean
# hangul with hanja.
_SCRIPT_FAMILY = {"Hira": "Jpan", "Kana": "Jpan", "Hani": "Jpan", "Hang": "Jpan"}


def mixed_scripts(text: str) -> str | None:
    """Words that mix letters of two scripts or more (Arabic, Latin, Lao and Han in one word: a
    Nastaliq font's glyphs taken for code points), in a third of the words or more. For text whose
    letters are in three scripts or more; others never need it."""
    from .scripts import letter_runs

    tokens = [t for t in _TOKEN.findall(text[:SAMPLE]) if any(map(str.isalpha, t))]
    if len(tokens) < 2:
        return None
    mixed = sum(1 for token in tokens
                if len({_SCRIPT_FAMILY.get(script, script) for _s, _e, script in letter_runs(token)}) >= 2)
    return "mixed-script-words" if mixed * 3 >= len(tokens) else None


def _alphabet_run(words: list[str]) -> str | None:
    """Letters that follow each other in the alphabet in most places (ΑΒΓ ΕΖΗ ΛΜΝ): glyph numbers
    of a symbol font taken for code points."""
    pairs = steps = 0
    for word in words:
        for a, b in zip(word, word[1:], strict=False):
            pairs += 1
            steps += ord(b) - ord(a) == 1
    return "alphabet-run" if pairs >= 6 and steps * 2 >= pairs else None


__all__ = ["PRIVATE_USE", "SAMPLE", "mixed_scripts", "not_language"]
