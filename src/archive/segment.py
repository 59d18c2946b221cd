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


# ------------------------------------------------------------------------------------------ hemistichs

# Languages whose verse is written in bayts of two hemistichs (Persian, Dari, Arabic, Pashto, Urdu
# and their Arabic-script neighbours).
_BAYT_LANGUAGES = frozenset({"fa", "prs", "ar", "ps", "ur", "ckb", "sd", "ug"})
# What editions put between the hemistichs of a line: a tab, a run of spaces, a slash, a bar, stars,
# an ellipsis or OpenITI's "%~%".
_CAESURA = re.compile(r"\s*(?:%~%|[/|*٭✽…]+|\.{3})\s*|\t\s*|\s{2,}")
_WORD = re.compile(r"\S+")
_HALF_MIN = 0.3  # each hemistich holds at least this share of the line's letters


def mark_hemistichs(blocks: list[Block]) -> int:
    """Mark the two hemistichs of each bayt in Arabic-script verse as `hemistich` spans; returns how
    many lines were split. A line splits at a caesura mark near its middle, or, where none is written,
    at the word near the middle whose ending rhymes with the line's end (a masnavi's or a ghazal's
    opening couplet). A line with neither stays whole: no split is guessed."""
    count = 0
    for block in blocks:
        if block.type != "verse" or not _bayt_language(block):
            continue
        start = 0
        for line in block.text.split("\n"):
            cut = _caesura(line)
            if cut is not None and not any(s.start < start + cut[1] and s.end > start + cut[0]
                                           and s.kind != "foreign" for s in block.spans):
                left = line[: cut[0]]
                right = line[cut[1]:]
                first = start + len(left) - len(left.lstrip())
                second = start + cut[1]
                block.spans.append(Span(first, start + len(left.rstrip()), "hemistich"))
                block.spans.append(Span(second, second + len(right.rstrip()), "hemistich"))
                count += 1
            start += len(line) + 1
        block.spans.sort(key=lambda s: (s.start, -s.end, s.kind))
    return count


def _bayt_language(block: Block) -> bool:
    lang = (block.lang or "").split("-")[0].lower()
    return lang in _BAYT_LANGUAGES or (not lang and block.script == "Arab")


def _caesura(line: str) -> tuple[int, int] | None:
    """[start, end) of what separates the two hemistichs of `line`, or None."""
    text = line.strip()
    if len(_WORD.findall(text)) < 4:
        return None
    lead = len(line) - len(line.lstrip())
    letters = _letters(text)
    marks = [m for m in _CAESURA.finditer(text) if m.start() > 0 and m.end() < len(text)]
    halves = [m for m in marks if _balanced(text[: m.start()], letters)]
    if len(marks) == 1 and halves:
        return lead + halves[0].start(), lead + halves[0].end()
    if marks:
        return None
    return _rhyming_cut(text, lead, letters)


def _letters(text: str) -> int:
    return len(_RHYME_LETTER.findall(text))


def _balanced(left: str, letters: int) -> bool:
    share = _letters(left) / letters if letters else 0.0
    return _HALF_MIN <= share <= 1 - _HALF_MIN


def _rhyming_cut(text: str, lead: int, letters: int) -> tuple[int, int] | None:
    """The space after the word nearest the middle whose last two letters are the line's last two."""
    ending = "".join(_RHYME_LETTER.findall(text))[-2:]
    if len(ending) < 2:
        return None
    best: tuple[float, int, int] | None = None
    words = list(_WORD.finditer(text))
    for word, following in zip(words, words[1:], strict=False):
        left = text[: word.end()]
        if "".join(_RHYME_LETTER.findall(word.group()))[-2:] != ending or not _balanced(left, letters):
            continue
        distance = abs(_letters(left) / letters - 0.5)
        if best is None or distance < best[0]:
            best = (distance, word.end(), following.start())
    return None if best is None else (lead + best[1], lead + best[2])


# --------------------------------------------------------------------------------------------- notes


def _label_key(label: str) -> str:
    return label.strip().strip("[]()*.:").strip()


def link_notes(blocks: list[Block]) -> int:
    """Point each note call at the note (else the reference) that carries its label: the span's href
    becomes "#<block id>", so every export links the call to its note. Returns the calls linked."""
    targets: dict[str, str] = {}
    for kind in ("note", "reference"):
        for block in blocks:
            if block.type == kind and block.label and _label_key(block.label):
                targets.setdefault(_label_key(block.label), block.id)
    linked = 0
    for block in blocks:
        if block.type == "note" and block.label:
            _drop_repeated_label(block)
        for span in block.spans:
            if span.kind == "noteref":
                target = targets.get(_label_key(block.text[span.start:span.end]))
                if target is not None:
                    span.href = "#" + target
                    linked += 1
    return linked


def _drop_repeated_label(block: Block) -> None:
    """A note whose text opens with its own label ("1. See…" for label "1") shows the number once, as
    its label: printed again in the text, every reader of the export would show "1 1. See…"."""
    label = re.escape((block.label or "").strip())
    match = re.match(rf"[\[(]?{label}[\].):]?\s+(?=\S)", block.text) if label else None
    if match is None:
        return
    cut = match.end()
    block.text = block.text[cut:]
    spans = []
    for span in block.spans:
        start, end = max(span.start - cut, 0), span.end - cut
        if end > start:
            span.start, span.end = start, end
            spans.append(span)
    block.spans = spans
