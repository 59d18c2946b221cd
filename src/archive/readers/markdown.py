"""Markdown reader: a real CommonMark parser turns syntax and escapes into structure.

Nothing of the Markdown syntax (`**`, `#`, `\\*`, link brackets) may reach the record's text; emphasis,
links and code become inline marks, headings and lists become blocks.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..encoding import decode
from .base import Draft, DraftBlock, Inline, ReadOptions
from .text import looks_like_heading

_PARSER = MarkdownIt("commonmark")

_CONTAINER_TYPES = {"blockquote_open": "quote", "list_item_open": "list_item"}
_MARK_OF = {"em_open": "emphasis", "strong_open": "strong", "s_open": "emphasis"}


def read_markdown(data: bytes, options: ReadOptions) -> Draft:
    decoded = decode(data)
    blocks = promote_title(markdown_to_blocks(decoded.text))
    return Draft(blocks=blocks, encoding=decoded.encoding, warnings=list(decoded.warnings),
                 repairs=dict(decoded.repairs), info={"reader": "markdown-it-py"})


def markdown_to_blocks(text: str) -> list[DraftBlock]:
    """Walk the token stream; a paragraph inside a list item or block quote takes that container's type."""
    blocks: list[DraftBlock] = []
    containers: list[str] = []
    pending_heading: int | None = None
    for token in _PARSER.parse(text):
        if token.type in _CONTAINER_TYPES:
            containers.append(_CONTAINER_TYPES[token.type])
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type == "heading_open":
            pending_heading = int(token.tag[1])
        elif token.type == "inline":
            inlines = _inlines(token.children or [])
            if not "".join(i.text for i in inlines).strip():
                pending_heading = None
                continue
            if pending_heading is not None:
                blocks.append(DraftBlock("heading", inlines, level=pending_heading))
                pending_heading = None
            else:
                block_type = containers[-1] if containers else "paragraph"
                blocks.append(DraftBlock(block_type, inlines))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(DraftBlock("paragraph", [Inline(token.content.rstrip("\n"), ("code",))]))
        elif token.type == "html_block" and token.content.strip():
            blocks.append(DraftBlock("paragraph", [Inline(token.content.strip())]))
    return blocks


def promote_title(blocks: list[DraftBlock]) -> list[DraftBlock]:
    """Many Markdown files carry their title as a bare first line; without a level-1 heading of its
    own, a first paragraph shaped like a heading is taken as one."""
    if not blocks or any(b.type == "heading" and b.level == 1 for b in blocks):
        return blocks
    first = blocks[0]
    if first.type == "paragraph" and "\n" not in first.text and looks_like_heading(first.text.strip()):
        first.type, first.level = "heading", 1
    return blocks


def _inlines(children: list[Token]) -> list[Inline]:
    out: list[Inline] = []
    marks: list[str] = []
    hrefs: list[str] = []
    for child in children:
        kind = child.type
        if kind in _MARK_OF:
            marks.append(_MARK_OF[kind])
        elif kind in ("em_close", "strong_close", "s_close"):
            if marks:
                marks.pop()
        elif kind == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
            marks.append("link")
        elif kind == "link_close":
            if hrefs:
                hrefs.pop()
            if "link" in marks:
                marks.reverse()
                marks.remove("link")
                marks.reverse()
        elif kind in ("text", "html_inline"):
            out.append(Inline(child.content, tuple(marks), hrefs[-1] if hrefs else None))
        elif kind == "code_inline":
            out.append(Inline(child.content, (*marks, "code"), hrefs[-1] if hrefs else None))
        elif kind == "softbreak":
            out.append(Inline(" ", tuple(marks), hrefs[-1] if hrefs else None))
        elif kind == "hardbreak":
            out.append(Inline("\n", tuple(marks), hrefs[-1] if hrefs else None))
        elif kind == "image":
            out.append(Inline(child.content or "", tuple(marks)))
    return out
