"""Writing systems of text: which script each stretch of letters is in, and which way it runs.

Language detection starts here because the script alone narrows the candidates (Arabic letters can
only be Arabic, Persian, Pashto, Urdu…; Cyrillic only Russian, Tajik…), and because mixed text
(an English paragraph quoting a Persian verse) is split reliably at script boundaries long before any
statistical detector can tell where one language ends.

Digits, punctuation, spaces, symbols and joiners have no script of their own ("neutral"): they attach to
the letters around them, so "۱۴۰۳" or "*" between two Arabic-script words stays inside one run.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

# ISO 15924 codes for text that has no letters at all.
COMMON = "Zyyy"

# Ranges per script (letters and the combining marks that belong to them). Arabic-Indic and Extended
# Arabic-Indic digits and tatweel are counted as Arabic: they only occur in Arabic-script writing and
# keep Persian dates inside the Persian run.
_RANGES: dict[str, str] = {
    "Latn": "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0250-\u02af\u0300-\u036f"
    "\u1d00-\u1dbf\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a",
    "Grek": "\u0370-\u0373\u0376-\u037d\u037f\u0384-\u03ff\u1f00-\u1fff",
    "Cyrl": "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f",
    "Armn": "\u0531-\u058f",
    "Hebr": "\u0591-\u05f4\ufb1d-\ufb4f",
    "Arab": "\u0600-\u0605\u0610-\u061a\u061d\u061e\u0620-\u06dc\u06de-\u06ff\u0750-\u077f"
    "\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefc",
    "Syrc": "\u0700-\u074f\u0860-\u086f",
    "Thaa": "\u0780-\u07bf",
    "Nkoo": "\u07c0-\u07ff",
    "Deva": "\u0900-\u097f\ua8e0-\ua8ff",
    "Beng": "\u0980-\u09ff",
    "Guru": "\u0a00-\u0a7f",
    "Gujr": "\u0a80-\u0aff",
    "Orya": "\u0b00-\u0b7f",
    "Taml": "\u0b80-\u0bff",
    "Telu": "\u0c00-\u0c7f",
    "Knda": "\u0c80-\u0cff",
    "Mlym": "\u0d00-\u0d7f",
    "Sinh": "\u0d80-\u0dff",
    "Thai": "\u0e00-\u0e7f",
    "Laoo": "\u0e80-\u0eff",
    "Tibt": "\u0f00-\u0fff",
    "Mymr": "\u1000-\u109f",
    "Geor": "\u10a0-\u10ff\u2d00-\u2d2f",
    "Hang": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "Ethi": "\u1200-\u139f",
    "Khmr": "\u1780-\u17ff",
    "Mong": "\u1800-\u18af",
    "Hira": "\u3041-\u309f",
    "Kana": "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "Hani": "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f",
}

_RUN = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _RANGES.items()))

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Samr", "Mand", "Adlm", "Rohg", "Yezi"})

Run = tuple[int, int, str]


def direction_of_script(script: str | None) -> str:
    """`rtl` for scripts written right to left, else `ltr` (also for no script at all)."""
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def _build_table() -> tuple[dict[int, str], tuple[str, ...]]:
    """Map every Basic Multilingual Plane character of a known script to a one-character code, so
    that `str.translate` plus one regular expression finds the runs (the plain alternation of ranges
    costs several times more per character)."""
    names = tuple(_RANGES)
    table: dict[int, str] = {c: " " for c in range(0x20)}
    for index, chars in enumerate(_RANGES.values()):
        code = chr(index + 1)
        for m in re.finditer(r"(.)(?:-(.))?", chars, re.S):
            first = ord(m.group(1))
            last = ord(m.group(2)) if m.group(2) else first
            for c in range(first, min(last, 0xFFFF) + 1):
                table[c] = code
    return table, names


_CODES, _SCRIPT_NAMES = _build_table()
# The same mapping as one string indexed by code point: str.translate then never looks up a missing
# key (every BMP character has an entry), which is what makes a dict table slow on neutral characters.
_TABLE = "".join(_CODES.get(c, chr(c)) for c in range(0x10000))
_CODE_RUN = re.compile(r"([\x01-\x1f])\1*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=2048)
def _letter_runs(text: str) -> tuple[Run, ...]:
    if _ASTRAL.search(text):
        return _letter_runs_slow(text)
    codes = text.translate(_TABLE)
    return tuple((m.start(), m.end(), _SCRIPT_NAMES[ord(m.group(1)) - 1]) for m in _CODE_RUN.finditer(codes))


def _letter_runs_slow(text: str) -> tuple[Run, ...]:
    out: list[Run] = []
    for m in _RUN.finditer(text):
        script = m.lastgroup or COMMON
        if out and out[-1][2] == script and out[-1][1] == m.start():
            out[-1] = (out[-1][0], m.end(), script)
        else:
            out.append((m.start(), m.end(), script))
    return tuple(out)


# A letter, then any neutrals followed by a letter of the same script, again and again: one match per
# group of same-script runs, first letter to last.
_CODE_GROUP = re.compile(r"([\x01-\x1f])(?:[^\x01-\x1f]*\1)*")


def _bmp_class(chars: str) -> str:
    """The Basic Multilingual Plane part of a character class body from `_RANGES` (the part `_TABLE`
    covers; the ranges do not overlap)."""
    out = []
    for m in re.finditer(r"(.)(?:-(.))?", chars, re.S):
        first, last = m.group(1), m.group(2) or m.group(1)
        if first <= "\uffff":
            out.append(first if last == first else f"{first}-{min(last, chr(0xFFFF))}")
    return "".join(out)


_BMP_LETTERS = {name: _bmp_class(chars) for name, chars in _RANGES.items()}
_ANY_LETTER = re.compile("[" + "".join(_BMP_LETTERS.values()) + "]")


@lru_cache(maxsize=64)
def _letter_of(script: str) -> re.Pattern[str]:
    """Any letter of `script` in the BMP. Compiled when a script is first met: most never are."""
    return re.compile(f"[{_BMP_LETTERS[script]}]")


@lru_cache(maxsize=64)
def _other_letter_or_astral(script: str) -> re.Pattern[str]:
    """A letter of another script, or any character beyond the BMP: one search tells a text whose
    letters are all in `script`."""
    others = "".join(chars for name, chars in _BMP_LETTERS.items() if name != script)
    return re.compile(f"[{others}]|{_ASTRAL.pattern}")


# The name `_two_script_group` gives a match of any other letter: no script's name.
_NEITHER = "neither"


@lru_cache(maxsize=64)
def _two_script_group(first: str, second: str) -> re.Pattern[str]:
    """One match per group of text written in `first` and `second`, named by its script: a letter,
    then everything up to the next letter of another script, given back to the last letter of its
    own. Any letter of a third script, or character beyond the BMP, is a match named `_NEITHER`. A
    group is one scan of a character class, several times faster than translating the text and
    matching `_CODE_GROUP`, which takes a step per letter."""
    own = {name: _BMP_LETTERS[name] for name in (first, second)}
    rest = "".join(chars for name, chars in _BMP_LETTERS.items() if name not in own)
    branches = [f"(?P<{name}>[{own[name]}](?:[^{other}{rest}\U00010000-\U0010ffff]*[{own[name]}])?)"
                for name, other in ((first, own[second]), (second, own[first]))]
    return re.compile("|".join([*branches, f"(?P<{_NEITHER}>[{rest}\U00010000-\U0010ffff])"]))


class _Letters(NamedTuple):
    groups: tuple[Run, ...]
    counts: dict[str, int]  # letters per script, scripts in the order they first appear
    total: int  # letters of the whole text, inside groups or not


@lru_cache(maxsize=2048)
def _letters(text: str) -> _Letters:
    """The groups of `text`, its letters per script and all its letters, made together once: a block's
    script, its weight and its share of the document need all three. Harakat and other combining marks
    are not letters: a fully vocalized Arabic quote must not outweigh the paragraph it sits in."""
    groups, bmp = _groups(text)
    # Finding the groups told whether the text goes beyond the BMP: no need to look again per count.
    count = _bmp_alpha_count if bmp else alpha_count
    if len(groups) == 1:
        start, end, script = groups[0]
        total = count(text)
        outside = count(text[:start] + text[end:]) if start or end < len(text) else 0
        return _Letters(groups, {script: total - outside}, total)
    counts: dict[str, int] = {}
    total = position = 0
    for start, end, script in groups:
        n = count(text[start:end])
        counts[script] = counts.get(script, 0) + n
        total += n + (count(text[position:start]) if start > position else 0)
        position = end
    return _Letters(groups, counts, total + (count(text[position:]) if position < len(text) else 0))


def _groups(text: str) -> tuple[tuple[Run, ...], bool]:
    """The groups of `text`, and whether all its characters are in the BMP."""
    first = _ANY_LETTER.search(text)
    if text.isascii():
        # ASCII letters are all Latin.
        return ((_single_group(text, first.start(), len(text), "Latn"),) if first else ()), True
    if first is None:
        return (_groups_slow(text), False) if _ASTRAL.search(text) else ((), True)
    script = _script_of_letter(first.group())
    # From the start: a character beyond the BMP may come before the first letter.
    other = _other_letter_or_astral(script).search(text)
    if other is None:
        return (_single_group(text, first.start(), len(text), script),), True
    if other.group() <= "\uffff":
        # The first group ends before `other`, the first letter of a second script.
        rest = _two_script_groups(text, other.start(), script, _script_of_letter(other.group()))
        if rest is not None:
            return (_single_group(text, first.start(), other.start(), script), *rest), True
    if _ASTRAL.search(text):
        return _groups_slow(text), False
    codes = text.translate(_TABLE)
    groups = tuple(
        (m.start(), m.end(), _SCRIPT_NAMES[ord(m.group(1)) - 1]) for m in _CODE_GROUP.finditer(codes, first.start())
    )
    return groups, True


def _two_script_groups(text: str, start: int, first: str, second: str) -> tuple[Run, ...] | None:
    """The groups of text[start:] when its letters are all of `first` or `second` (the commonest
    mixed block: an English paragraph quoting Persian); None when it has a letter of a third script or
    a character beyond the BMP."""
    groups = []
    for m in _two_script_group(first, second).finditer(text, start):
        if m.lastgroup == _NEITHER:
            return None
        groups.append((m.start(), m.end(), m.lastgroup or COMMON))
    return tuple(groups)


def _script_of_letter(letter: str) -> str:
    """The script of a Basic Multilingual Plane letter `_ANY_LETTER` matched."""
    return _SCRIPT_NAMES[ord(_TABLE[ord(letter)]) - 1]


def _groups_slow(text: str) -> tuple[Run, ...]:
    """Groups of a text with characters beyond the BMP, which `_TABLE` does not cover."""
    out: list[Run] = []
    for start, end, script in _letter_runs_slow(text):
        if out and out[-1][2] == script:
            out[-1] = (out[-1][0], end, script)
        else:
            out.append((start, end, script))
    return tuple(out)


def _single_group(text: str, start: int, end: int, script: str) -> Run:
    """The group of text[start:end] when its letters are all in `script` and the first is at `start`:
    up to its last letter. Most blocks are in one script; two C-level searches replace translating
    every character."""
    last = _letter_of(script).search(text[start:end][::-1])
    return (start, end - (last.start() if last else 0), script)


def letter_runs(text: str) -> list[Run]:
    """Maximal runs of characters of one script, neutrals excluded: (start, end, script)."""
    return list(_letter_runs(text))


def script_runs(text: str) -> list[Run]:
    """Runs covering all of `text`, one per stretch of a single script.

    Neutral characters between two runs of the same script join them; between different scripts they
    go with the run before (a sentence's trailing punctuation belongs to its sentence); before the
    first letter they go with the first run. Text without any letter is one `Zyyy` run.
    """
    if not text:
        return []
    groups = _letters(text).groups
    if not groups:
        return [(0, len(text), COMMON)]
    out: list[Run] = []
    for i, (start, _end, script) in enumerate(groups):
        begin = 0 if i == 0 else start
        stop = groups[i + 1][0] if i + 1 < len(groups) else len(text)
        out.append((begin, stop, script))
    return out


def script_groups(text: str) -> list[Run]:
    """Like `script_runs` but each run spans only first letter to last letter of its script."""
    return list(_letters(text).groups)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to its first and last letter or digit, so a span never starts on a space
    or ends on the comma that separates it from the next language."""
    while start < end and not (text[start].isalnum() or _is_mark(text[start])):
        start += 1
    while end > start and not (text[end - 1].isalnum() or _is_mark(text[end - 1])):
        end -= 1
    return start, end


def _is_mark(ch: str) -> bool:
    return "\u064b" <= ch <= "\u065f" or ch == "\u0670" or "\u0300" <= ch <= "\u036f"


def letter_counts(text: str) -> Counter[str]:
    """How many characters of each script `text` has (neutrals not counted)."""
    return Counter(_letters(text).counts)


_ASCII_NOT_ALPHA = bytes(c for c in range(128) if not chr(c).isalpha())


def _not_alpha_pattern() -> re.Pattern[str]:
    """Every Basic Multilingual Plane character that is not a letter, space excepted (str.count does
    spaces faster). A class of BMP characters compiles to one bitmap; astral ranges in it would make
    the regex engine walk hundreds of ranges per character. One class alone, no alternation, so that
    the engine skips from one match to the next without trying a match at every character."""
    spans: list[tuple[int, int]] = []
    for c in range(0x10000):
        if c != 0x20 and not chr(c).isalpha():
            if spans and spans[-1][1] == c - 1:
                spans[-1] = (spans[-1][0], c)
            else:
                spans.append((c, c))
    bmp = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)
    return re.compile(f"[{bmp}]")


_NOT_ALPHA = _not_alpha_pattern()


def alpha_count(text: str) -> int:
    """How many characters of `text` are letters (`str.isalpha`), counted in C: ASCII text by
    `bytes.translate`, other text by subtracting spaces and one regex's matches; text with characters
    beyond the BMP (rare) character by character."""
    if not text.isascii() and _ASTRAL.search(text):
        return sum(map(str.isalpha, text))
    return _bmp_alpha_count(text)


def _bmp_alpha_count(text: str) -> int:
    """`alpha_count` of a text known to have no character beyond the BMP."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_ALPHA))
    return len(text) - text.count(" ") - len(_NOT_ALPHA.findall(text))


def letters_by_script(text: str) -> dict[str, int]:
    """`letter_counts` without the copy into a Counter (the cached dict itself: do not change it)."""
    return _letters(text).counts


def letter_total(text: str) -> int:
    """`alpha_count(text)`, made once with the per-script counts `main_script` needs."""
    return _letters(text).total


def main_script(text: str) -> str:
    """The script with the most letters; ties go to the one that appears first; `Zyyy` if none."""
    letters = _letters(text)
    counts = letters.counts
    if not counts or not any(counts.values()):
        return COMMON
    best = max(counts.values())
    for _start, _end, script in letters.groups:
        if counts[script] == best:
            return script
    return COMMON


__all__ = [
    "COMMON",
    "RTL_SCRIPTS",
    "Run",
    "alpha_count",
    "direction_of_script",
    "letter_counts",
    "letter_runs",
    "letter_total",
    "letters_by_script",
    "main_script",
    "script_groups",
    "script_runs",
    "trim",
]
