"""A block's anchors as TEI's empty elements: `pb` for a page, `milestone unit="words"` for a milestone,
`anchor` for a tag of the source's markup.

They are placed after the block's element is written, by character offset into its text, so the
writers of paragraphs, headings and verse need not know about them: an empty element splits a text
node or a tail without changing a character of the text.
"""

from __future__ import annotations

from lxml import etree

from ..record import Anchor, Block

TEI_NS = "http://www.tei-c.org/ns/1.0"


def place_anchors(el: etree._Element, block: Block) -> None:
    """Insert the block's anchors into `el`, the element written for it (`lg` for verse)."""
    # Last first: an anchor inserted at an offset goes before one already there, so order is kept.
    for anchor in sorted(block.anchors, key=lambda a: a.offset, reverse=True):
        target, offset = el, anchor.offset
        if el.tag == f"{{{TEI_NS}}}lg":
            target, offset = _line_at(el, block.text, anchor.offset)
        if not _insert(target, offset, _element(anchor)):
            target.append(_element(anchor))


def _element(anchor: Anchor) -> etree._Element:
    if anchor.kind == "page":
        el = etree.Element(f"{{{TEI_NS}}}pb")
    elif anchor.kind == "milestone":
        el = etree.Element(f"{{{TEI_NS}}}milestone", unit="words")
    else:
        el = etree.Element(f"{{{TEI_NS}}}anchor", type=anchor.kind)
    if anchor.n:
        el.set("n", anchor.n)
    return el


def _line_at(lg: etree._Element, text: str, offset: int) -> tuple[etree._Element, int]:
    """The `l` holding `offset` of a verse block's text (lines parted by newlines) and the offset in it."""
    lines = [child for child in lg if child.tag == f"{{{TEI_NS}}}l"]
    start = 0
    for line, content in zip(lines, text.split("\n"), strict=False):
        if offset <= start + len(content):
            return line, offset - start
        start += len(content) + 1
    return (lines[-1], len(text.split("\n")[-1])) if lines else (lg, 0)


def _insert(parent: etree._Element, offset: int, new: etree._Element) -> bool:
    """Put `new` at character `offset` of `parent`'s text content; False when the text is shorter.
    A point between two runs goes between their elements, never inside one (nor inside another point)."""
    text = parent.text or ""
    if offset <= len(text):
        parent.text, new.tail = text[:offset] or None, text[offset:] or None
        parent.insert(0, new)
        return True
    offset -= len(text)
    for index, child in enumerate(list(parent)):
        length = sum(len(str(t)) for t in child.itertext())
        if offset < length:
            return _insert(child, offset, new)
        offset -= length
        tail = child.tail or ""
        if offset <= len(tail):
            child.tail, new.tail = tail[:offset] or None, tail[offset:] or None
            parent.insert(index + 1, new)
            return True
        offset -= len(tail)
    return False
