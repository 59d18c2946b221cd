from collections import Counter

from archive.readers.base import DraftBlock, Inline
from archive.record import Block
from archive.segment import looks_like_verse, mark_verse, to_block


def test_spans_follow_normalization_that_changes_length() -> None:
    # U+202B (a bidi embedding) is dropped by normalization: the emphasis span must still cover "bold".
    draft = DraftBlock("paragraph", [Inline("  a\u202b "), Inline("bold", ("strong",)), Inline(" end")])
    counts: Counter[str] = Counter()
    block = to_block(draft, "b1", counts)
    assert block is not None
    assert block.text == "a bold end"
    [span] = block.spans
    assert block.text[span.start:span.end] == "bold" and span.kind == "strong"
    assert counts["bidi_controls"] == 1


def test_consecutive_runs_with_the_same_link_form_one_span() -> None:
    draft = DraftBlock("paragraph", [Inline("see "), Inline("the ", ("link",), "http://x"),
                                     Inline("site", ("link", "emphasis"), "http://x"), Inline(".")])
    block = to_block(draft, "b1", Counter())
    assert block is not None
    links = [s for s in block.spans if s.kind == "link"]
    assert [(block.text[s.start:s.end], s.href) for s in links] == [("the site", "http://x")]
    assert [block.text[s.start:s.end] for s in block.spans if s.kind == "emphasis"] == ["site"]


def test_empty_blocks_are_dropped() -> None:
    assert to_block(DraftBlock("paragraph", [Inline(" \u200f ")]), "b1", Counter()) is None


def test_declared_language_is_kept_with_its_evidence() -> None:
    block = to_block(DraftBlock("paragraph", [Inline("متن")], lang="fa", dir="rtl"), "b1", Counter())
    assert block is not None and (block.lang, block.dir, block.evidence) == ("fa", "rtl", "declared")


def test_persian_couplet_is_verse_but_prose_and_bylines_are_not() -> None:
    couplet = Block("b1", "paragraph", "چو کشور نباشد تن من مباد بدین بوم و بر زنده یک تن مباد\n"
                    "همه سر به سر تن به کشتن دهیم از آن به که کشور به دشمن دهیم")
    byline = Block("b2", "paragraph", "Vanessa Sevidova\n12.01.2025")
    prose = Block("b3", "paragraph", "این یک جمله است که پایان دارد.\nو این هم جمله دوم است که تمام شد.")
    persian_byline = Block("b4", "paragraph", "نویسنده: احمد رحیمی\n۲۳ حمل ۱۴۰۳")
    assert not looks_like_verse(persian_byline)
    assert looks_like_verse(couplet)
    assert not looks_like_verse(byline)
    assert not looks_like_verse(prose)
    assert mark_verse([couplet, byline, prose]) == 1 and couplet.type == "verse"
    assert couplet.lines[1].startswith("همه")


def test_a_rhyming_couplet_of_three_word_lines_is_verse_but_a_letterhead_is_not() -> None:
    couplet = Block("b1", "paragraph", "بنی‌آدم اعضای یکدیگرند\nکه در آفرینش ز یک گوهرند")
    letterhead = Block("b2", "paragraph", "وزارت امور خارجه\nجمهوری اسلامی افغانستان")
    vocalized = Block("b3", "paragraph", "بنی‌آدم اعضای یکدیگرَند\nکه در آفرینش ز یک گوهرَند،")
    assert looks_like_verse(couplet)
    assert looks_like_verse(vocalized)  # marks and punctuation are no part of the rhyme
    assert not looks_like_verse(letterhead)
