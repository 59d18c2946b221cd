"""Visual order back to logical order, and Arabic presentation forms back to letters.

A PDF places glyphs on the page; it does not say in which order a reader typed them. Browsers and
office suites write right-to-left runs left to right as they appear on screen, and the text extractor
hands them back in that visual order. Running the reordering half of the Unicode bidi algorithm
(UAX #9, rules W1–W7, N1–N2, I1–I2, L2) over the visual sequence restores the typed order for the
text such documents hold: a right-to-left line with Latin words and digit runs inside, or an English
line quoting a Persian phrase. Explicit embeddings cannot be seen on a page, so rules X1–X10 have
nothing to do here.

Presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFC) are the shaped glyph variants some PDFs map their
glyphs to; readers type the base letters. Their compatibility decomposition gives exactly those letters,
including the Persian and Urdu ones (U+FBFC–U+FBFF to U+06CC Farsi yeh, U+FB8E–U+FB91 to U+06A9 keheh),
so folding goes through NFKC one character at a time, never over a whole run.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

_STRONG_OR_NUMBER = frozenset({"L", "R", "AL", "EN", "AN"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})


def unit_class(text: str) -> str:
    """The bidi class a cluster of characters behaves as: its first strong or numeric character's."""
    first = ""
    for ch in text:
        cls = unicodedata.bidirectional(ch) or "ON"
        if cls in _STRONG_OR_NUMBER:
            return cls
        if not first and cls != "NSM":
            first = cls
    return first or "NSM"


@functools.lru_cache(maxsize=8192)
def is_rtl_text(text: str) -> bool:
    # Cached: a page asks this of every glyph, and glyph texts are mostly the same few letters.
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def base_level(classes: Sequence[str], default: int = 0) -> int:
    """1 (right to left) when right-to-left letters are at least as many as left-to-right ones."""
    rtl = sum(1 for c in classes if c in ("R", "AL"))
    ltr = sum(1 for c in classes if c == "L")
    if rtl == 0 and ltr == 0:
        return default
    return 1 if rtl >= ltr else 0


def resolve_levels(classes: Sequence[str], base: int) -> list[int]:
    """Embedding levels for a line without explicit embeddings (UAX #9 W1–W7, N1–N2, I1–I2)."""
    types = list(classes)
    n = len(types)
    sos = "R" if base % 2 else "L"
    # W1: marks take the type of what they follow.
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = sos if i == 0 else ("ON" if types[i - 1] in ("LRI", "RLI", "FSI", "PDI") else types[i - 1])
    # W2, W3
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last_strong = t
        elif t == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4
    for i in range(1, n - 1):
        prev, cur, nxt = types[i - 1], types[i], types[i + 1]
        if cur == "ES" and prev == nxt == "EN" or cur == "CS" and prev == nxt and prev in ("EN", "AN"):
            types[i] = prev
    # W5
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                for k in range(i, j):
                    types[k] = "EN"
            i = j
        else:
            i += 1
    # W6
    types = ["ON" if t in ("ES", "ET", "CS", "BN") else t for t in types]
    # W7
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R"):
            last_strong = t
        elif t == "EN" and last_strong == "L":
            types[i] = "L"
    # N1, N2
    embedding = sos

    def strength(t: str) -> str:
        return "R" if t in ("R", "EN", "AN") else t

    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else strength(types[i - 1])
            after = sos if j == n else strength(types[j])
            fill = before if before == after and before in ("L", "R") else embedding
            for k in range(i, j):
                types[k] = fill
            i = j
        else:
            i += 1
    # I1, I2
    levels = []
    for t in types:
        if base % 2 == 0:
            levels.append(base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0))
        else:
            levels.append(base + (1 if t in ("L", "EN", "AN") else 0))
    return levels


def reorder(levels: Sequence[int]) -> list[int]:
    """Rule L2: the order in which to read the items, as indices into the visual sequence.

    L2 reverses runs at each level from the highest down to the lowest odd one; it is its own
    inverse for one line, which is why it also turns visual order into logical order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def visual_to_logical(units: Sequence[str], base: int | None = None, default: int = 0) -> tuple[list[int], int]:
    """Reading order of visually ordered text units (each kept whole) and the line's base level."""
    classes = [unit_class(u) for u in units]
    level = base_level(classes, default) if base is None else base
    return reorder(resolve_levels(classes, level)), level


# Paired characters with the Bidi_Mirrored property (UnicodeData's BidiMirroring.txt, the pairs that
# occur in running text).
_MIRROR_PAIRS = "()[]{}<>«»‹›⁅⁆⁽⁾₍₎⟨⟩⟪⟫⟦⟧⦃⦄⦅⦆〈〉《》「」『』【】〔〕〖〗〘〙〚〛"
MIRRORED = {**dict(zip(_MIRROR_PAIRS[::2], _MIRROR_PAIRS[1::2], strict=True)),
            **dict(zip(_MIRROR_PAIRS[1::2], _MIRROR_PAIRS[::2], strict=True))}


def visual_line_to_logical(units: Sequence[str], default: int = 0,
                           mirrored: bool = True) -> tuple[list[str], int]:
    """Visually ordered text units in typed order, and the line's base level.

    PDFium hands out a bracket on a right-to-left stretch as its mirror image (")" for the "(" the
    font maps the glyph to), as if it had reordered the stretch itself; word processors map each
    glyph to the character typed. So where the units come from PDFium (`mirrored`), a bracket that
    resolves to an odd level is turned back; other extractors give the glyph's own character."""
    classes = [unit_class(u) for u in units]
    level = base_level(classes, default)
    levels = resolve_levels(classes, level)
    out = [MIRRORED.get(unit, unit) if mirrored and levels[i] % 2 else unit for i, unit in enumerate(units)]
    return [out[i] for i in reorder(levels)], level


def _is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC


_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


def shared_glyph_letters(text: str) -> dict[str, str]:
    """Presentation forms that stand for Arabic letters in `text`, though their names say otherwise.

    Initial and medial Farsi yeh (U+FBFE, U+FBFF) look exactly like Arabic yeh, and the four forms of
    heh doachashmee (U+FBAA–U+FBAD) like Arabic heh in many fonts; a font with one glyph for both
    maps it to one of the two, often the Persian or Urdu one. The rest of the text says which letter
    was typed: Arabic yeh in its final or isolated shape (which differs from Farsi yeh's) and no
    Farsi yeh of that shape, and no separate Arabic yeh glyph for the medial shape, means the shared
    glyph is Arabic yeh; Arabic heh and no heh goal (Urdu's plain h) means heh doachashmee is heh."""
    mapping: dict[str, str] = {}
    if any(ch in text for ch in "\ufef1\ufef2") and not any(ch in text for ch in "\ufbfc\ufbfd\ufef3\ufef4"):
        mapping.update({"\ufbfe": "\u064a", "\ufbff": "\u064a"})
    if any(ch in text for ch in "\u0647\ufee9\ufeea") and not any(
            ch in text for ch in "\u06c1\ufba6\ufba7\ufba8\ufba9\ufeeb\ufeec"):
        mapping.update(dict.fromkeys("\ufbaa\ufbab\ufbac\ufbad", "\u0647"))
    return mapping


def fold_presentation_forms(text: str, letters: dict[str, str] | None = None) -> tuple[str, int]:
    """Base letters for Arabic presentation forms, and how many characters were folded; `letters`
    overrides the base letter of some forms (see `shared_glyph_letters`)."""
    if not _PRESENTATION_FORM.search(text):
        return text, 0
    out: list[str] = []
    folded = 0
    for ch in text:
        if _is_presentation_form(ord(ch)):
            base = letters[ch] if letters and ch in letters else unicodedata.normalize("NFKC", ch)
            # Isolated harakat forms (U+FE70…, U+FC5E…) decompose to a space plus the mark.
            out.append(base.lstrip(" ") if len(base) > 1 else base)
            folded += 1
        else:
            out.append(ch)
    return "".join(out), folded
