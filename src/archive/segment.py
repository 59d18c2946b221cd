"""From draft blocks to record blocks: normalize each inline run, then compute span offsets.

Normalizing run by run, before offsets exist, is what keeps emphasis and link spans exact even when
normalization changes the length of the text (NFC, dropped bidi controls, folded ligatures).
"""

from __future__ import annotations

import re
from collections import Counter

from .normalize import normalize_text
from .readers.base import DraftBlock
from .record import Anchor, Block, Span

_SPAN_MARKS = ("emphasis", "strong", "link", "code", "noteref")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
# Arabic-script letters alone: no harakat, digits or punctuation, which a rhyme does not count.
_RHYME_LETTER = re.compile(r"[\u0621-\u064a\u066e\u066f\u0671-\u06d3\u06fa-\u06fc\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_SENTENCE_END = re.compile(r"[.!?؟۔]\s*$")
_VERSE_MAX_LINE = 120
_LINE_WORDS = 4
_RHYMING_LINE_WORDS = 3
_VERSE_LENGTH_RATIO = 0.5
_NOT_VERSE = re.compile(r"\d|[:：]|https?://|www\.|@")


def to_block(draft: DraftBlock, block_id: str, counts: Counter[str]) -> Block | None:
    """One record block, or None when nothing but white space is left after normalization."""
    texts = [normalize_text(inline.text, counts) for inline in draft.inlines]
    joined = "".join(texts)
    text = joined.strip()
    if not text:
        return None
    spans: list[Span] = []
    # Most blocks carry no inline marks at all: no spans to build.
    if any([inline.marks for inline in draft.inlines]):
        pieces = [(t, inline.marks, inline.href) for t, inline in zip(texts, draft.inlines, strict=True) if t]
        spans = _spans(pieces, len(joined) - len(joined.lstrip()), len(text))
    block = Block(id=block_id, type=draft.type, text=text, level=draft.level, label=draft.label,
                  lang=draft.lang, dir=draft.dir, spans=spans, evidence="declared" if draft.lang else None,
                  origin=draft.origin, confidence=draft.confidence)
    if any([inline.point for inline in draft.inlines]):
        block.anchors = _anchors(texts, draft, len(joined) - len(joined.lstrip()), len(text))
    return block


def _anchors(texts: list[str], draft: DraftBlock, lead: int, length: int) -> list[Anchor]:
    """Each point run of the draft as an anchor at the offset where it stands in the block's text."""
    anchors: list[Anchor] = []
    position = -lead
    for text, inline in zip(texts, draft.inlines, strict=True):
        if inline.point is not None:
            kind, name = inline.point
            anchors.append(Anchor(offset=min(max(position, 0), length), kind=kind, n=name))
        position += len(text)
    return anchors


def _spans(pieces: list[tuple[str, tuple[str, ...], str | None]], lead: int, length: int) -> list[Span]:
    """Merge consecutive runs that share a mark (and, for links, a target) into one span."""
    spans: list[Span] = []
    open_spans: dict[tuple[str, str | None], Span] = {}
    position = -lead
    for text, marks, href in pieces:
        start, end = position, position + len(text)
        keys = {(m, href if m == "link" else None) for m in marks if m in _SPAN_MARKS}
        for key in list(open_spans):
            if key not in keys:
                spans.append(open_spans.pop(key))
        for key in keys:
            if key in open_spans:
                open_spans[key].end = end
            else:
                kind, target = key
                open_spans[key] = Span(start=start, end=end, kind=kind, href=target)
        position = end
    spans.extend(open_spans.values())
    clipped = []
    for span in spans:
        span.start, span.end = max(span.start, 0), min(span.end, length)
        if span.start < span.end:
            clipped.append(span)
    return sorted(clipped, key=lambda s: (s.start, -s.end, s.kind))


def looks_like_verse(block: Block) -> bool:
    """Two or more short lines in Arabic script, none ending like prose, of like length: the shape of a
    bayt or a ghazal. Lines holding digits or a "label:" are a byline and a date, not a couplet. A line
    needs four words, or three where each couplet rhymes ("بنی‌آدم اعضای یکدیگرند / که در آفرینش ز یک
    گوهرند"): two short lines alone are as often a letterhead."""
    if block.type != "paragraph" or "\n" not in block.text:
        return False
    lines = [line for line in block.text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    lengths = [len(line) for line in lines]
    if min(lengths) < _VERSE_LENGTH_RATIO * max(lengths):
        return False
    words = [len(line.split()) for line in lines]
    if min(words) < _LINE_WORDS and (min(words) < _RHYMING_LINE_WORDS or not _couplets_rhyme(lines)):
        return False
    for line in lines:
        arabic = len(_ARABIC_LETTER.findall(line))
        if len(line) > _VERSE_MAX_LINE or arabic < 2 * len(_LATIN_LETTER.findall(line)) + 4:
            return False
        if _SENTENCE_END.search(line) or _NOT_VERSE.search(line):
            return False
    return True


def _couplets_rhyme(lines: list[str]) -> bool:
    """Whether the lines pair into couplets whose two halves end in the same two letters (marks and
    punctuation aside), as a masnavi's or a ghazal's opening couplet does."""
    if len(lines) % 2:
        return False
    endings = ["".join(_RHYME_LETTER.findall(line))[-2:] for line in lines]
    return all(len(a) == 2 and a == b for a, b in zip(endings[::2], endings[1::2], strict=True))


def mark_verse(blocks: list[Block]) -> int:
    count = 0
    for block in blocks:
        # Verse has two lines at least: most blocks are dismissed before the call.
        if "\n" in block.text and looks_like_verse(block):
            block.type = "verse"
            count += 1
    return count
