"""Whether a text layer is text: glyph garbage told apart from words.

A PDF whose fonts carry no usable /ToUnicode map gives glyph codes, not characters: each code lands
on whatever character has that number, so a "word" mixes Latin extensions, CJK ideographs, Lao and
Arabic letters, or private-use characters. Real words keep to one script (Japanese mixes kanji and
kana, Korean hangul and hanja: those count as one). The share of letters in tokens that break this
rule, or in lines that scatter over many scripts, says how much of a page is garbage.
"""

from __future__ import annotations

import functools
import unicodedata

# Above this share of garbage letters a page's reading is not trusted.
GARBAGE_SHARE = 0.25

_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "HALFWIDTH", "FULLWIDTH"})
_NEUTRAL_NAMES = frozenset({"MODIFIER", "COMBINING", "SUPERSCRIPT", "SUBSCRIPT"})
_BROKEN = "?"  # private use, unassigned, surrogate or U+FFFD: never part of a word


@functools.lru_cache(maxsize=8192)
def script_family(ch: str) -> str:
    """A coarse script of a letter ("" for anything that is not one), from its Unicode name."""
    category = unicodedata.category(ch)
    if category in ("Co", "Cn", "Cs") or ch == "\ufffd":
        return _BROKEN
    if not category.startswith("L"):
        return ""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in _NEUTRAL_NAMES:
        return ""
    if first in _EAST_ASIAN:
        return "CJK"
    return first


def garbage_letters(text: str) -> tuple[int, int]:
    """(letters in tokens that are not words, all letters) of `text`.

    A token is a run of letters (and marks): a hyphen or a digit between two scripts ("Kabul-کابل")
    separates them as a space does."""
    bad = total = 0
    token: list[str] = []
    for ch in text + " ":
        family = script_family(ch)
        if family:
            token.append(family)
            continue
        if unicodedata.category(ch).startswith("M") or not token:
            continue
        total += len(token)
        kinds = set(token)
        if len(kinds - {_BROKEN}) > 1:
            bad += len(token)
        elif _BROKEN in kinds:
            bad += token.count(_BROKEN)
        token = []
    return bad, total


# A line of real text rarely mixes more than two or three scripts; a line of glyph codes read as
# characters scatters over many.
MANY_SCRIPTS = 4


def garbage_share(text: str) -> float:
    """Share of the letters of `text` that are garbage: in tokens that mix scripts or hold broken
    characters, or anywhere in a line whose letters come from many scripts."""
    bad = total = 0
    for line in text.splitlines():
        line_bad, line_total = garbage_letters(line)
        if line_total and len({f for f in map(script_family, line) if f} - {_BROKEN}) >= MANY_SCRIPTS:
            line_bad = line_total
        bad += line_bad
        total += line_total
    return bad / total if total else 0.0


def is_garbage(text: str) -> bool:
    # Letters of one script and nothing broken (most pages) cannot mix scripts in a token: the
    # distinct characters, a few dozen, settle it without going through the text.
    if text.isascii():
        return False
    families = {script_family(ch) for ch in set(text)} - {""}
    if len(families) <= 1 and _BROKEN not in families:
        return False
    return garbage_share(text) > GARBAGE_SHARE


def is_clean(text: str) -> bool:
    """Stricter than `not is_garbage`: also fewer scripts over the whole text than a line of garbage
    scatters over. A second reading replaces a garbage page only if it is clean, since another
    library splits the same glyph codes into shorter lines and tokens that pass one by one."""
    families = {f for f in map(script_family, text) if f}
    return _BROKEN not in families and len(families) < MANY_SCRIPTS and not is_garbage(text)
