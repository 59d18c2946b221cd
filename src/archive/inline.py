"""Turn a block's flat spans into a properly nested tree, the shape XML and XHTML writers need.

Spans may overlap (a foreign-language run that starts inside an emphasis and ends after it). XML
cannot express overlap, so a span that crosses the end of its enclosing span is split into pieces,
each piece keeping the span's attributes; no character is dropped, doubled or reordered.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace

from .record import Span

# Wider-reaching kinds enclose narrower ones when two spans cover exactly the same characters.
# A hemistich is structure (half a verse line): it encloses whatever else starts with it.
_KIND_RANK = {"hemistich": -1, "link": 0, "foreign": 1, "strong": 2, "emphasis": 3, "noteref": 4, "code": 5}


@dataclass
class InlineNode:
    """A span (None for the root) and its children: plain strings and nested nodes, in text order."""

    span: Span | None
    start: int
    end: int
    children: list[str | InlineNode] = field(default_factory=list)


def nest_spans(text: str, spans: list[Span]) -> InlineNode:
    """Build the inline tree of `text`; spans outside the text or empty are ignored."""
    root = InlineNode(None, 0, len(text))
    heap: list[tuple[int, int, int, int, Span]] = []
    for seq, span in enumerate(spans):
        if 0 <= span.start < span.end <= len(text):
            heapq.heappush(heap, (span.start, -span.end, _KIND_RANK.get(span.kind, 9), seq, span))
    stack = [root]
    # Child nodes are collected first; text between them is filled in afterwards.
    nodes: dict[int, list[InlineNode]] = {id(root): []}
    seq = len(spans)
    while heap:
        start, neg_end, rank, _, span = heapq.heappop(heap)
        end = -neg_end
        while stack[-1].end <= start:
            stack.pop()
        parent = stack[-1]
        if end > parent.end:
            seq += 1
            heapq.heappush(heap, (parent.end, -end, rank, seq, replace(span, start=parent.end, end=end)))
            end = parent.end
        node = InlineNode(replace(span, start=start, end=end), start, end)
        nodes[id(parent)].append(node)
        nodes[id(node)] = []
        stack.append(node)
    _fill(root, text, nodes)
    return root


def _fill(node: InlineNode, text: str, nodes: dict[int, list[InlineNode]]) -> None:
    position = node.start
    for child in nodes[id(node)]:
        if child.start > position:
            node.children.append(text[position : child.start])
        _fill(child, text, nodes)
        node.children.append(child)
        position = child.end
    if position < node.end:
        node.children.append(text[position : node.end])


def node_text(node: InlineNode) -> str:
    """The characters under a node, in order: for tests and for writers that need a run's text."""
    return "".join(c if isinstance(c, str) else node_text(c) for c in node.children)
