"""Headings, paragraphs and page furniture from the lines of a PDF's pages.

A PDF has no paragraphs, only lines at positions. Type size tells headings from body text (larger
than the body size, ranked by size into levels); a vertical gap wider than the document's usual line
pitch starts a paragraph; a line repeated at the top or bottom of most pages (page numbers ignored)
is a running header or footer and becomes boilerplate, kept but marked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .pdf_layout import Line, PageText

HEADING_RATIO = 1.15
PARAGRAPH_GAP = 1.35  # times the usual distance between baselines
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = tuple(".!?:;。؟۔»\"')]")


@dataclass
class PdfBlock:
    type: str
    text: str
    level: int | None = None


def _furniture_key(line: Line) -> str:
    return _DIGITS.sub("#", line.text).strip()


def _furniture(pages: list[PageText]) -> set[tuple[int, int]]:
    """(page, line) positions of running headers, footers and bare page numbers.

    Only the outermost lines of a page are candidates, working inwards while they keep matching, so
    a sentence that happens to end two pages alike is never mistaken for a footer."""
    with_text = sum(1 for p in pages if p.lines)
    places: dict[tuple[str, str], list[float]] = {}
    for page in pages:
        for edge, index in (("top", 0), ("top", 1), ("bottom", -1), ("bottom", -2)):
            if len(page.lines) > (index if index >= 0 else -index - 1):
                line = page.lines[index]
                places.setdefault((edge, _furniture_key(line)), []).append(line.y)

    def is_furniture(edge: str, line: Line) -> bool:
        key = _furniture_key(line)
        if len(key) > 100:
            return False
        if key.strip("#-–— ") == "" or re.fullmatch(r"(page|p\.)\s*#(\s*(of|/)\s*#)?", key, re.I):
            return True
        heights = places.get((edge, key), [])
        # Furniture sits at the same height on every page.
        count = len(heights) if heights and max(heights) - min(heights) <= 3 * max(line.size, 1.0) else 0
        most = max(2, -(-3 * with_text // 4))
        return with_text >= 2 and (count >= most or (with_text >= 4 and count >= with_text - 1))

    marked: set[tuple[int, int]] = set()
    for number, page in enumerate(pages):
        n = len(page.lines)
        for index in range(min(2, n)):
            if not is_furniture("top", page.lines[index]):
                break
            marked.add((number, index))
        for index in range(n - 1, max(n - 3, -1), -1):
            if (number, index) in marked or not is_furniture("bottom", page.lines[index]):
                break
            marked.add((number, index))
    return marked


def blocks_from_pages(pages: list[PageText]) -> list[PdfBlock]:
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return []
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    body = weights.most_common(1)[0][0]
    heading_sizes = sorted({round(line.size * 2) / 2 for line in lines if line.size >= body * HEADING_RATIO},
                           reverse=True)
    pitches = [a.y - b.y for page in pages for a, b in zip(page.lines, page.lines[1:], strict=False)
               if abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5 and a.y > b.y]
    pitch = sorted(pitches)[len(pitches) // 4] if pitches else body * 1.2
    furniture = _furniture(pages)
    margins = []
    for number, page in enumerate(pages):
        body_lines = [ln for i, ln in enumerate(page.lines) if (number, i) not in furniture]
        margins.append((min((ln.x0 for ln in body_lines), default=0.0), max((ln.x1 for ln in body_lines), default=0.0)))

    blocks: list[PdfBlock] = []
    previous: Line | None = None  # the last line of body text, on this page or the one before
    for number, page in enumerate(pages):
        for index, line in enumerate(page.lines):
            if (number, index) in furniture:
                blocks.append(PdfBlock("boilerplate", line.text))
                continue
            size = round(line.size * 2) / 2
            if size in heading_sizes and len(line.text) < 300:
                level = min(heading_sizes.index(size) + 1, 6)
                last = blocks[-1] if blocks else None
                if last and last.type == "heading" and last.level == level and previous is line_before(page, index):
                    last.text += " " + line.text
                else:
                    blocks.append(PdfBlock("heading", line.text, level))
                previous = line
                continue
            last = blocks[-1] if blocks else None
            same_page = any(other is previous for other in page.lines)
            continues = (
                last is not None and last.type == "paragraph" and previous is not None
                and abs(previous.size - line.size) < 0.5
                and not _ends_short(previous, margins[number] if same_page else margins[number - 1])
                and (previous.y - line.y <= PARAGRAPH_GAP * pitch if same_page
                     else not last.text.endswith(_SENTENCE_END)))
            if continues and last is not None:
                joiner = "" if last.text.endswith("-") and last.text[-2:-1].isalpha() else " "
                last.text += joiner + line.text
            else:
                blocks.append(PdfBlock("paragraph", line.text))
            previous = line
    return blocks


def _ends_short(line: Line, margins: tuple[float, float]) -> bool:
    """A line that stops well before the far margin ends its paragraph."""
    left, right = margins
    width = right - left
    free = line.x0 - left if line.rtl else right - line.x1
    return width > 0 and free > 0.2 * width


def line_before(page: PageText, index: int) -> Line | None:
    return page.lines[index - 1] if index > 0 else None
