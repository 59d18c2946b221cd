"""Lines of text in reading order from the glyphs PDFium found on a page.

PDFium's own character order is unreliable for right-to-left text (it reverses some words of a
visually ordered run and not others), but the position of every character is exact. So lines are
rebuilt from geometry: characters drawn from one glyph (PDFium gives them one origin, in typed order)
stay together as a unit, units are grouped into lines by baseline, right-to-left lines are read in
visual order and turned back into typed order with the bidi algorithm, and word spaces come from the
gaps between glyphs. Lines without right-to-left letters keep PDFium's order and spaces, which are
exact for them.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_c

from .pdf_bidi import fold_presentation_forms, is_rtl_text, shared_glyph_letters, visual_line_to_logical

# A gap wider than this fraction of the font size between two glyphs is a word space.
WORD_GAP = 0.15
# Baselines closer than this fraction of the font size are one line (Nastaliq letters climb and fall).
LINE_TOLERANCE = 0.5
# A pen that moves this fraction of the font size off the baseline has gone to another line, even
# where lines are set solid (a line pitch equal to the type size).
NEW_LINE_STEP = 0.75
_KEEP_FORMAT = frozenset({"\u200c", "\u200d"})


@dataclass
class Unit:
    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    index: int  # PDFium's character index (-1 for glyphs it kept no character for)
    space: bool = False
    obj: int = -1  # position of the glyph's object in the content stream
    drawn: bool = False  # a space glyph found among the page objects, not one PDFium made up
    hidden: bool = False  # drawn inside an empty /ActualText span


@dataclass
class Line:
    text: str
    y: float
    size: float
    x0: float
    x1: float
    rtl: bool
    # Some of its glyphs sit in an empty /ActualText span, which PDFium resolves by shifting letters
    # between neighbouring glyphs: another reader's text for this line is to be preferred.
    suspect: bool = False


@dataclass
class PageText:
    lines: list[Line] = field(default_factory=list)
    chars: int = 0
    dropped: int = 0  # control and unmapped characters left out
    folded: int = 0  # presentation forms turned into letters
    suspect: int = 0  # lines with glyphs in empty /ActualText spans


@functools.lru_cache(maxsize=4096)
def _usable(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat[0] != "C":
        return True
    return ch in _KEEP_FORMAT


def usable_text(text: str, keep: str = "") -> tuple[str, int]:
    """`text` without control, unassigned and private characters and U+FFFD (ZWNJ, ZWJ and the
    characters of `keep` stay), and how many were dropped: what a text extractor hands out beside
    the letters."""
    kept = "".join(ch for ch in text if ch in keep or ch.isspace() or (_usable(ch) and ch != "\ufffd"))
    return kept, len(text) - len(kept)


def _address(handle: Any) -> int:
    return ctypes.c_void_p.from_buffer(handle).value or 0


@dataclass(frozen=True)
class _CharCalls:
    """The per-character PDFium calls with plain argument and result types.

    pypdfium2's bindings wrap handles in typed pointer objects on every call, and the text object comes
    back as a pointer that needs one more ctypes call to become an address; for a page of a few
    thousand characters that wrapping costs more than PDFium's work. These are new function objects
    for the same C functions (the library's own stay as they are), taking the text page as an address
    and returning the text object as an address."""

    origin: Any
    box: Any
    text_object: Any
    font_size: Any
    generated: Any
    count_marks: Any
    get_mark: Any
    mark_string: Any


@functools.lru_cache(maxsize=1)
def _char_calls() -> _CharCalls:
    def prototype(function: Any, restype: Any, *argtypes: Any) -> Any:
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value or 0)

    page, index = ctypes.c_void_p, ctypes.c_int
    double_p = ctypes.POINTER(ctypes.c_double)
    return _CharCalls(
        origin=prototype(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, page, index, double_p, double_p),
        box=prototype(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, page, index,
                      ctypes.POINTER(pdfium_c.FS_RECTF)),
        text_object=prototype(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, page, index),
        font_size=prototype(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, page, index),
        generated=prototype(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, page, index),
        count_marks=prototype(pdfium_c.FPDFPageObj_CountMarks, ctypes.c_int, ctypes.c_void_p),
        get_mark=prototype(pdfium_c.FPDFPageObj_GetMark, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong),
        mark_string=prototype(pdfium_c.FPDFPageObjMark_GetParamStringValue, ctypes.c_int, ctypes.c_void_p,
                              ctypes.c_char_p, ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong)),
    )


def _actual_text(obj: Any, buf: Any, length: Any) -> str | None:
    """The /ActualText of a marked-content span around `obj`, if any."""
    for m in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, m)
        if pdfium_c.FPDFPageObjMark_GetParamStringValue(mark, b"ActualText", buf, ctypes.sizeof(buf),
                                                         ctypes.byref(length)):
            # PDFium hands back the string's raw bytes (UTF-16BE without its BOM), one per UTF-16 unit.
            raw = bytes(buf)[: max(length.value - 2, 0)].decode("utf-16-le", "replace")
            data = raw.encode("latin-1", "replace")
            if data.startswith(b"\xfe\xff"):
                data = data[2:]
            if len(data) % 2 == 0 and data and data[0] < 0x30:
                return data.decode("utf-16-be", "replace")
            return raw
    return None


def _object_spaces(page: Any, owned: set[int], addresses: list[int]) -> list[Unit]:
    """Word spaces and zero-width joiners drawn as glyphs of their own.

    Browsers draw a space glyph for every word space and for a ZWNJ (with /ActualText saying which);
    PDFium keeps no character for either, but the glyph object, its place in the content stream and
    its position survive, which is all that is needed to put them back exactly."""
    units: list[Unit] = []
    buf = (ctypes.c_ushort * 64)()
    length = ctypes.c_ulong()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    for k, address in enumerate(addresses):
        if address in owned:
            continue
        obj = pdfium_c.FPDFPage_GetObject(page, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        actual = _actual_text(obj, buf, length)
        if actual is not None and actual not in _KEEP_FORMAT:
            continue  # its characters were given to a neighbouring glyph
        pdfium_c.FPDFPageObj_GetBounds(obj, *map(ctypes.byref, (left, bottom, right, top)))
        if actual is None and right.value - left.value > 0.01:
            continue  # a visible glyph with no character: nothing to say about it
        pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
        units.append(Unit(actual or " ", left.value, right.value, matrix.f, 0.0, -1, space=True, obj=k,
                          drawn=True))
    return units


def read_units(page: Any, textpage: Any) -> tuple[list[Unit], int, int]:
    """Glyph units of a PDFium text page, plus the count of characters and of characters dropped."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return [], 0, 0
    buf = ctypes.create_string_buffer(2 * (n + 1))
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    raw = buf.raw[: 2 * max(got - 1, 0)].decode("utf-16-le", "replace")
    # One UTF-16 unit per character index, except characters outside the BMP.
    chars = list(raw) if len(raw) == n else [chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n)]
    ox, oy = ctypes.c_double(), ctypes.c_double()
    b_ox, b_oy = ctypes.byref(ox), ctypes.byref(oy)
    # The loose box spans the glyph's advance, so side bearings of narrow glyphs (digits, alef)
    # do not read as word gaps.
    rect = pdfium_c.FS_RECTF()
    b_rect = ctypes.byref(rect)
    calls = _char_calls()
    get_box, get_origin, get_size, is_generated = calls.box, calls.origin, calls.font_size, calls.generated
    get_object = calls.text_object
    text_address = _address(textpage)
    pointer = ctypes.c_void_p.from_buffer
    get_page_object = pdfium_c.FPDFPage_GetObject
    addresses = [pointer(get_page_object(page, k)).value or 0 for k in range(pdfium_c.FPDFPage_CountObjects(page))]
    position = {a: k for k, a in enumerate(addresses)}
    owned: set[int] = set()
    hidden: dict[int, bool] = {}  # text object address: inside an empty /ActualText span
    count_marks = calls.count_marks
    b_length = ctypes.byref(ctypes.c_ulong())
    ligatures: list[int] = []  # units that one glyph gave several characters
    units: list[Unit] = []
    dropped = 0
    last_origin = (float("nan"), float("nan"))
    for i, ch in enumerate(chars):
        if ch in "\r\n" and is_generated(text_address, i):
            continue
        if ch.isspace() or ch == "\x00":
            if ch != "\x00":
                get_origin(text_address, i, b_ox, b_oy)
                get_box(text_address, i, b_rect)
                # PDFium puts a space at the origin of a neighbouring glyph; that is only where the
                # space is when both neighbours are left-to-right.
                between_ltr = (0 < i < n - 1 and unicodedata.bidirectional(chars[i - 1]) == "L"
                               and unicodedata.bidirectional(chars[i + 1]) == "L")
                units.append(Unit(" ", rect.left, rect.right, oy.value, 0.0, i, space=True,
                                  obj=position.get(get_object(text_address, i) or 0, -1) if between_ltr else -1))
            else:
                dropped += 1
            last_origin = (float("nan"), float("nan"))
            continue
        if not _usable(ch) or ch == "\ufffd":
            dropped += 1
            continue
        get_origin(text_address, i, b_ox, b_oy)
        get_box(text_address, i, b_rect)
        address = get_object(text_address, i) or 0
        owned.add(address)
        # PDFium shifts letters out of empty spans where it reorders a right-to-left run; a
        # left-to-right glyph is not asked (most pages have no right-to-left letter at all).
        in_empty_span = False
        if is_rtl_text(ch):
            in_empty_span = hidden.get(address)  # type: ignore[assignment]
            if in_empty_span is None:
                marks = count_marks(address) if address else 0
                in_empty_span = hidden[address] = bool(marks) and _empty_actual_text(calls, address, marks,
                                                                                     b_length)
        origin = (ox.value, oy.value)
        if units and not units[-1].space and origin == last_origin:
            unit = units[-1]
            unit.text += ch
            if len(unit.text) == 2:
                ligatures.append(len(units) - 1)
            unit.x0 = min(unit.x0, rect.left)
            unit.x1 = max(unit.x1, rect.right)
        else:
            units.append(Unit(ch, rect.left, rect.right, oy.value, get_size(text_address, i), i,
                              obj=position.get(address, -1), hidden=in_empty_span))
        last_origin = origin
    _unreverse_ligatures(units, ligatures)
    units = _drop_repeated_clusters(page, _merge_cluster_marks(units))
    units += _object_spaces(page, owned, addresses)
    return units, n, dropped


def _empty_actual_text(calls: _CharCalls, address: int, marks: int, length: Any) -> bool:
    """Whether the text object at `address` sits in a span whose /ActualText is empty.

    Only the innermost mark is asked: a span with /ActualText is the innermost one around glyphs
    (structure tags enclose it)."""
    mark = calls.get_mark(address, marks - 1)
    # With no buffer PDFium only reports the length: 2 bytes (the terminator) for "".
    return bool(mark and calls.mark_string(mark, b"ActualText", None, 0, length) and length._obj.value <= 2)


@functools.lru_cache(maxsize=1)
def _ligature_letters() -> frozenset[str]:
    """The letters each Arabic ligature presentation form (lam-alef, the U+FC00… ligatures) stands for."""
    forms = (chr(c) for c in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)))
    return frozenset(t for t in (unicodedata.normalize("NFKC", ch) for ch in forms)
                     if len(t) > 1 and all(is_rtl_text(c) for c in t))


def _unreverse_ligatures(units: list[Unit], candidates: list[int]) -> None:
    """Letters of one glyph back in the order its /ToUnicode entry gives them.

    Where PDFium reads a stretch right to left (its character order runs against the x axis), it
    also reverses the letters a ligature glyph's /ToUnicode entry maps it to: a glyph for "مرحبا"
    comes out "ابحرم", one for "لا" as "ال". A ligature presentation form it decomposes itself keeps
    its order, so letters that spell one forwards are left alone and letters that spell one
    backwards are turned; for other letters the neighbouring glyph in PDFium's order shows which way
    it was reading."""
    ligatures = _ligature_letters()
    for k in candidates:
        unit = units[k]
        if not all(is_rtl_text(ch) for ch in unit.text) or unit.text in ligatures:
            continue
        if unit.text[::-1] in ligatures:
            unit.text = unit.text[::-1]
            continue
        centre = (unit.x0 + unit.x1) / 2
        tolerance = 0.5 * max(unit.size, 1.0)
        before = next((u for u in reversed(units[:k]) if not u.space and abs(u.y - unit.y) <= tolerance), None)
        after = next((u for u in units[k + 1:] if not u.space and abs(u.y - unit.y) <= tolerance), None)
        if (before is not None and (before.x0 + before.x1) / 2 > centre) or (
                before is None and after is not None and (after.x0 + after.x1) / 2 < centre):
            unit.text = unit.text[::-1]


def _span_of(page: Any, k: int, buf: Any, length: Any) -> int:
    """Identity of the /ActualText span around object `k` (0 if none)."""
    obj = pdfium_c.FPDFPage_GetObject(page, k)
    count = pdfium_c.FPDFPageObj_CountMarks(obj)
    if not count or _actual_text(obj, buf, length) is None:
        return 0
    return _address(pdfium_c.FPDFPageObj_GetMark(obj, count - 1))


def _drop_repeated_clusters(page: Any, units: list[Unit]) -> list[Unit]:
    """One character per /ActualText span, however many glyphs the span draws.

    A Nastaliq letter can be drawn as two glyphs inside one span; PDFium then gives each glyph the
    span's text. Such twins are neighbouring objects in the stream with the same /ActualText."""
    by_object = sorted((u for u in units if u.obj >= 0 and not u.space), key=lambda u: u.obj)
    twins: set[int] = set()
    buf = (ctypes.c_ushort * 64)()
    length = ctypes.c_ulong()
    for a, b in zip(by_object, by_object[1:], strict=False):
        if a.text == b.text and 0 < b.obj - a.obj <= 4 and id(a) not in twins:
            span = _span_of(page, a.obj, buf, length)
            if span and span == _span_of(page, b.obj, buf, length):
                twins.add(id(b))
    return [u for u in units if id(u) not in twins] if twins else units


def _merge_cluster_marks(units: list[Unit]) -> list[Unit]:
    """Marks PDFium split off a one-glyph object go back to that glyph's letter, after it.

    A browser's /ActualText cluster ("ط" + shadda + fatha drawn as one or two glyphs) can come out
    of PDFium as pieces with different origins, and sometimes mark first."""
    bases: dict[int, list[Unit]] = {}
    for unit in units:
        if unit.obj >= 0 and not unit.space and not _is_mark(unit.text):
            bases.setdefault(unit.obj, []).append(unit)
    kept: list[Unit] = []
    for unit in units:
        if not unit.space and _is_mark(unit.text) and len(bases.get(unit.obj, ())) == 1:
            host = bases[unit.obj][0]
            host.text += unit.text
            host.x0, host.x1 = min(host.x0, unit.x0), max(host.x1, unit.x1)
            continue
        kept.append(unit)
    for unit in kept:
        if not unit.space and _is_mark(unit.text[0]) and not _is_mark(unit.text):
            head = "".join(ch for ch in unit.text if not _is_mark(ch))
            unit.text = head + "".join(ch for ch in unit.text if _is_mark(ch))
    return kept


@functools.lru_cache(maxsize=4096)
def _is_mark(text: str) -> bool:
    return all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)


def _segments(glyphs: list[Unit]) -> list[list[Unit]]:
    """Runs of glyphs drawn one after another on one line, in content-stream order.

    Producers draw a line's glyphs together, so the stream splits lines even where letters of one
    line climb into the height of the next (Nastaliq); a new run starts where the pen jumps back
    across the page or moves well off the baseline."""
    runs: list[list[Unit]] = []
    prev: Unit | None = None
    for unit in sorted(glyphs, key=lambda u: (u.obj, u.index)):
        size = max(unit.size, 1.0)
        if (prev is None or abs(unit.y - prev.y) >= NEW_LINE_STEP * size
                or (unit.x0 < prev.x0 - 2 * size and abs(unit.y - prev.y) > 0.25 * size)):
            runs.append([unit])
        else:
            runs[-1].append(unit)
        prev = unit
    return runs


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def group_lines(units: list[Unit]) -> list[list[Unit]]:
    """Units grouped into lines, top line first."""
    glyphs = [u for u in units if not u.space]
    if not glyphs:
        return []
    drawn_in_order = all(u.obj >= 0 for u in glyphs)
    runs = _segments(glyphs) if drawn_in_order else [[u] for u in glyphs]
    runs.sort(key=lambda run: -_median([u.y for u in run]))
    lines: list[list[Unit]] = []
    extents: list[tuple[float, float, float]] = []  # median baseline, left, right
    for run in runs:
        y = _median([u.y for u in run])
        size = max(_median([u.size for u in run]), 1.0)
        left, right = min(u.x0 for u in run), max(u.x1 for u in run)
        best = None
        for i, (line_y, line_left, line_right) in enumerate(extents):
            distance = abs(line_y - y)
            beside = right <= line_left + size or left >= line_right - size
            # A run beside a line may sit higher or lower than it (a Nastaliq word climbs); a run
            # under it must share its baseline.
            if (distance <= LINE_TOLERANCE * size or (beside and distance <= size)) and (
                    best is None or distance < abs(extents[best][0] - y)):
                best = i
        if best is None:
            lines.append(list(run))
            extents.append((y, left, right))
        else:
            lines[best].extend(run)
            line_y, line_left, line_right = extents[best]
            extents[best] = (line_y, min(line_left, left), max(line_right, right))
    lines.sort(key=lambda line: -_median([u.y for u in line]))
    rising = [-_median([u.y for u in line]) for line in lines]  # ascending, for bisect
    for space in (u for u in units if u.space):
        at = bisect.bisect_left(rising, -space.y)
        nearest = min((i for i in (at - 1, at) if 0 <= i < len(lines)), key=lambda i: abs(rising[i] + space.y))
        if abs(rising[nearest] + space.y) <= LINE_TOLERANCE * max(lines[nearest][0].size, 1.0):
            lines[nearest].append(space)
    return lines


def _attach_marks(units: list[Unit]) -> list[Unit]:
    """Combining marks drawn as glyphs of their own go with the letter they sit on."""
    bases = [u for u in units if not _is_mark(u.text)]
    if not bases:
        return units
    for mark in (u for u in units if _is_mark(u.text)):
        centre = (mark.x0 + mark.x1) / 2
        host = min(bases, key=lambda b: (0 if b.x0 <= centre <= b.x1 else 1, abs((b.x0 + b.x1) / 2 - centre)))
        host.text += mark.text
    return bases


def _stream_direction(glyphs: list[Unit]) -> int:
    """2 where the producer drew the whole line left to right, glyph by glyph; 1 where it drew
    each run left to right; -1 right to left; 0 if no order shows."""
    objects: dict[int, list[Unit]] = {}
    for unit in glyphs:
        objects.setdefault(unit.obj, []).append(unit)
    if -1 in objects or len(objects) < 2:
        return 0
    spans = [(min(u.x0 for u in us), max(u.x1 for u in us), max(u.size for u in us))
             for _, us in sorted(objects.items())]
    steps = list(zip(spans, spans[1:], strict=False))
    # A glyph may start left of the one before it (a Nastaliq tail reaching under its word), but a
    # pen that jumps back further has started another run.
    if all(b[0] >= a[0] - 1.5 * max(a[2], b[2]) for a, b in steps):
        return 2
    forward = sum(1 for a, b in steps if b[0] >= a[0] - 0.2 * max(a[2], b[2]))
    backward = sum(1 for a, b in steps if b[1] <= a[1] + 0.2 * max(a[2], b[2]))
    if forward > backward:
        return 1
    return -1 if backward > forward else 0


def visual_order(units: list[Unit], direction: int) -> list[Unit]:
    """Units left to right: by position, and by content-stream order where glyphs overlap.

    Positions alone cannot order glyphs that overlap, as Nastaliq letters and stacked harakat do;
    the order the producer drew them in can, and browsers and office suites draw each word's
    glyphs left to right (though office suites draw a line's runs in reading order)."""
    if direction == 2:
        return sorted(units, key=lambda u: (u.obj, u.x0))
    ordered = sorted(units, key=lambda u: (u.x0 + u.x1) / 2)
    result: list[Unit] = []
    group: list[Unit] = []
    reach = float("-inf")

    def flush() -> None:
        if direction and all(u.obj >= 0 for u in group):
            group.sort(key=lambda u: (direction * u.obj, u.x0))  # direction is 1 or -1 here
        result.extend(group)
        group.clear()

    for unit in ordered:
        if group and unit.x0 >= reach - 0.05 * max(unit.size, 1.0):
            flush()
            reach = float("-inf")
        group.append(unit)
        reach = max(reach, unit.x1)
    flush()
    return result


def line_text(units: list[Unit], default_rtl: bool) -> Line:
    glyphs = _attach_marks([u for u in units if not u.space])
    size = _median([u.size for u in glyphs])
    y = _median([u.y for u in glyphs])
    x0 = min(u.x0 for u in glyphs)
    x1 = max(u.x1 for u in glyphs)
    rtl = any(is_rtl_text(u.text) for u in glyphs)
    suspect = any(u.hidden for u in glyphs)
    if not rtl:
        ordered = sorted((u for u in units if not u.drawn), key=lambda u: u.index)
        text = "".join(u.text for u in ordered if not _is_mark(u.text))
        return Line(" ".join(text.split()), y, size, x0, x1, False, suspect)
    direction = _stream_direction(glyphs)
    # Spaces drawn as glyphs of their own (browsers), and spaces inside a run of letters (office
    # suites); a space-only object is placed by the gaps it leaves, since such objects need not come
    # in stream order with the letters around them.
    with_letters = {u.obj for u in glyphs}
    spaces = [u for u in units if u.drawn or (u.space and u.obj in with_letters)]
    sequence = visual_order(glyphs + spaces, direction)
    gaps: list[bool] = []
    reach = None
    for unit in sequence:
        if unit.space:
            gaps.append(False)
            continue
        gaps.append(reach is not None and unit.x0 - reach > WORD_GAP * unit.size)
        reach = unit.x1 if reach is None else max(reach, unit.x1)
    # Where spaces were drawn as glyphs of their own (browsers draw every one), they are exact and
    # gaps, which stacked harakat can fake, are not needed. A space drawn past either end of the
    # line's letters (a word processor's trailing space) says nothing about the gaps between words.
    drawn_spaces = sum(1 for u in spaces if u.drawn and u.text == " " and x0 < u.x0 < x1)
    by_gaps = drawn_spaces < 0.5 * sum(gaps)
    pieces: list[str] = []
    for unit, gap in zip(sequence, gaps, strict=True):
        if gap and by_gaps:
            pieces.append(" ")
        pieces.append(unit.text)
    logical, level = visual_line_to_logical(pieces, default=1 if default_rtl else 0)
    return Line(" ".join("".join(logical).split()), y, size, x0, x1, level % 2 == 1, suspect)


_FONT_SIZE = re.compile(r"([\d.]+)\s+Tf")


def _annotation_string(annot: Any, key: bytes) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if size <= 2:
        return ""
    buf = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), size)
    return buf.raw[: size - 2].decode("utf-16-le", "replace")


def annotation_lines(page: Any) -> list[Line]:
    """The text of free-text annotations: words typed onto the page in a viewer.

    Their glyphs live in the annotation's appearance, not in the page's content, so the text page
    does not hold them; the annotation's /Contents is the text as typed, already in logical order."""
    lines: list[Line] = []
    rect = pdfium_c.FS_RECTF()
    for k in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, k)
        if not annot:
            continue
        try:
            if (pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_FREETEXT
                    or pdfium_c.FPDFAnnot_GetFlags(annot) & pdfium_c.FPDF_ANNOT_FLAG_HIDDEN):
                continue
            text = _annotation_string(annot, b"Contents")
            if not text.strip() or not pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
            declared = _FONT_SIZE.search(_annotation_string(annot, b"DA"))
            size = float(declared.group(1)) if declared else 12.0
            top, bottom = max(rect.top, rect.bottom), min(rect.top, rect.bottom)
            left, right = min(rect.left, rect.right), max(rect.left, rect.right)
            for n, part in enumerate(p for p in re.split(r"[\r\n]+", text) if p.strip()):
                y = max(top - size * (n + 1), bottom)
                lines.append(Line(" ".join(part.split()), y, size, left, right, _mostly_rtl(part)))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return lines


def _mostly_rtl(text: str) -> bool:
    rtl = sum(1 for ch in text if is_rtl_text(ch))
    return rtl > 0 and rtl >= sum(1 for ch in text if unicodedata.bidirectional(ch) == "L")


def page_text(page: Any, textpage: Any, default_rtl: bool = False) -> PageText:
    units, count, dropped = read_units(page, textpage)
    result = PageText(chars=count, dropped=dropped)
    lines = [line_text(group, default_rtl) for group in group_lines(units)]
    notes = annotation_lines(page)
    if notes:
        lines = sorted(lines + notes, key=lambda line: -line.y)
    letters = shared_glyph_letters("".join(line.text for line in lines))
    for line in lines:
        line.text, folded = fold_presentation_forms(line.text, letters)
        result.folded += folded
        if line.text:
            line.text = unicodedata.normalize("NFC", line.text)
            result.lines.append(line)
            result.suspect += line.suspect
    return result
