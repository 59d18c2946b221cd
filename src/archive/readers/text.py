"""Plain-text reader: paragraphs by blank lines, headings and list items by the shape of the line."""

from __future__ import annotations

import re

from ..encoding import decode
from .base import Draft, DraftBlock, Inline, ReadOptions

_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□➢➤►\-–*+]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+(?=\S)")
# "By Jane Roe" stands alone and unpunctuated like a heading, but it is the byline.
_BYLINE_START = re.compile(r"^(?:by|written by|بقلم|به قلم)\s", re.IGNORECASE)
_ORDINAL = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z])[.)]$")
_TERMINAL = tuple(".!?;,:؛،؟۔")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_URLISH = re.compile(r"https?://|www\.|@\S+\.", re.IGNORECASE)
# "Keywords: a, b, c" or "نویسنده: …": a label and its value, which is metadata, not a heading.
_LABEL_VALUE = re.compile(r"^[^\W\d_]+(?:[ \u200c][^\W\d_]+)?\s*[:：]\s*\S")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_MAX_HEADING_WORDS = 20
_MAX_HEADING_CHARS = 200
# Lines shorter than this within one paragraph are kept as separate lines (addresses, verse, bylines).
_SHORT_LINE = 80


def read_text(data: bytes, options: ReadOptions) -> Draft:
    decoded = decode(data, declared=options.charset)
    return Draft(blocks=text_to_blocks(decoded.text), encoding=decoded.encoding,
                 warnings=list(decoded.warnings), repairs=dict(decoded.repairs), info={"reader": "text"})


def text_to_blocks(text: str) -> list[DraftBlock]:
    blocks: list[DraftBlock] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for chunk in _PARAGRAPH_BREAK.split(text):
        lines = [line for line in map(str.strip, chunk.split("\n")) if line]
        if not lines:
            continue
        if all(line.startswith(">") for line in lines):
            # E-mail quoting: the ">" is structure, like a bullet sign, and leaves the text.
            lines = [line[1:].strip() for line in lines if line[1:].strip()]
            if lines:
                blocks.append(DraftBlock("quote", [Inline(_join(lines))]))
            continue
        if any(map(_BULLET.match, lines)):
            blocks.extend(_list_or_paragraphs(lines))
            continue
        if _is_quotation(lines):
            blocks.append(DraftBlock("quote", [Inline(_join(lines))]))
            continue
        if len(lines) == 1 and looks_like_heading(lines[0]):
            level = 1 if not blocks else 2
            blocks.append(DraftBlock("heading", [Inline(lines[0])], level=level))
            continue
        blocks.append(DraftBlock("paragraph", [Inline(_join(lines))]))
    return blocks


def _join(lines: list[str]) -> str:
    """Short lines stay lines (addresses, verse, bylines); long ones were wrapped prose."""
    return "\n".join(lines) if len(lines) > 1 and all(len(line) < _SHORT_LINE for line in lines) else " ".join(lines)


# Opening quotation marks and the marks that close them: guillemets (Persian, Arabic, French), English
# and German curly quotes, straight double quotes.
_CLOSING_MARK = {"«": "»", "“": "”", "„": "“", "‹": "›", '"': '"'}
_AFTER_QUOTE = ".!?؟۔,،"


def _is_quotation(lines: list[str]) -> bool:
    """A paragraph wholly inside one pair of quotation marks, with no closing mark of that pair before
    its end: «…» or “…” set apart as a block is a quotation. “We stay,” she said. is not: the mark
    closes before the end."""
    closing = _CLOSING_MARK.get(lines[0][:1])
    if closing is None:
        return False
    text = "\n".join(lines).rstrip(_AFTER_QUOTE)
    return len(text) > 2 and text.endswith(closing) and closing not in text[1:-1]


def _list_or_paragraphs(lines: list[str]) -> list[DraftBlock]:
    """Bulleted lines become list items; an unbulleted line continues the item before it.

    A bullet sign is structure and leaves the text; a number or letter ("1.", "b)") is part of what
    the author wrote, so it stays in the text and also becomes the item's label."""
    items: list[list[str | None]] = []  # [kind, body, label]
    for line in lines:
        match = _BULLET.match(line)
        if match:
            marker = match.group().strip()
            label = marker.strip("().") if _ORDINAL.match(marker) else None
            body = line.strip() if label else line[match.end():].strip()
            items.append(["list_item", body, label])
        elif items and items[-1][0] == "list_item":
            items[-1][1] = f"{items[-1][1]} {line}"
        else:
            items.append(["paragraph", line, None])
    return [DraftBlock(str(kind), [Inline(str(body))], label=label) for kind, body, label in items]


def looks_like_heading(line: str) -> bool:
    """A short line with letters, standing alone, not ending like a sentence or a label, not a URL."""
    if len(line) > _MAX_HEADING_CHARS or len(line.split()) > _MAX_HEADING_WORDS:
        return False
    if line.endswith(_TERMINAL) or not _HAS_LETTER.search(line) or _URLISH.search(line):
        return False
    if _LABEL_VALUE.match(line) or _BYLINE_START.match(line):
        return False
    letters = sum(map(str.isalpha, line))
    return letters >= max(2, len(line) // 3)
