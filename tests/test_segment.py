from collections import Counter

import pytest

from archive.readers.base import DraftBlock, Inline
from archive.record import Block, Span
from archive.segment import link_notes, looks_like_verse, mark_hemistichs, mark_verse, to_block


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


# ----------------------------------------------------------------------------------- hemistichs

BAYTS = [
    # (line, first hemistich, second): a tab, a slash, a run of spaces, and no mark but the rhyme.
    ("الا يا ايها الساقی ادر کاسا و ناولها\tکه عشق آسان نمود اول ولی افتاد مشکلها",
     "الا يا ايها الساقی ادر کاسا و ناولها", "که عشق آسان نمود اول ولی افتاد مشکلها"),
    ("بنی‌آدم اعضای یکدیگرند / که در آفرینش ز یک گوهرند", "بنی‌آدم اعضای یکدیگرند", "که در آفرینش ز یک گوهرند"),
    ("قفا نبك من ذكرى حبيب ومنزل   بسقط اللوى بين الدخول فحومل", "قفا نبك من ذكرى حبيب ومنزل",
     "بسقط اللوى بين الدخول فحومل"),
    ("چو کشور نباشد تن من مباد بدین بوم و بر زنده یک تن مباد", "چو کشور نباشد تن من مباد",
     "بدین بوم و بر زنده یک تن مباد"),
]


def hemistichs(block: Block) -> list[str]:
    return [block.text[s.start:s.end] for s in block.spans if s.kind == "hemistich"]


@pytest.mark.parametrize(("line", "first", "second"), BAYTS)
def test_each_bayt_is_cut_into_its_two_hemistichs(line: str, first: str, second: str) -> None:
    for lang in ("fa", "ar", "ur", "ps"):
        block = Block("b1", "verse", line + "\n" + line, lang=lang, script="Arab")
        assert mark_hemistichs([block]) == 2
        assert hemistichs(block) == [first, second, first, second]


def test_no_split_is_guessed_without_a_mark_or_a_rhyme_and_prose_or_english_verse_stays_whole() -> None:
    ghazal = "دل می‌رود ز دستم صاحب‌دلان خدا را\nبه گزارش رسانه‌ها طالبان کنترل یک شهر را گرفته‌اند"
    unrhymed = Block("b1", "verse", ghazal.split("\n")[1], lang="fa", script="Arab")
    english = Block("b2", "verse", "The woods are lovely / dark and deep", lang="en", script="Latn")
    prose = Block("b3", "paragraph", BAYTS[1][0], lang="fa", script="Arab")
    assert mark_hemistichs([unrhymed, english, prose]) == 0
    assert not unrhymed.spans and not english.spans and not prose.spans


# ---------------------------------------------------------------------------------------- notes


def test_note_calls_are_linked_to_the_note_carrying_their_label_and_a_note_shows_its_label_once() -> None:
    text = "The border closed[1] in October, see note 2."
    call = Block("b1", "paragraph", text, spans=[Span(text.index("[1]"), text.index("[1]") + 3, "noteref"),
                                               Span(len(text) - 2, len(text) - 1, "noteref", href="#fn2")])
    note = Block("b2", "note", "1. See the report.", label="1", spans=[Span(3, 6, "emphasis")])
    reference = Block("b3", "reference", "[1] Another list", label="1")
    assert link_notes([call, note, reference]) == 1
    assert [s.href for s in call.spans] == ["#b2", "#fn2"]  # no note 2: the source's target stays
    assert note.text == "See the report." and note.text[note.spans[0].start:note.spans[0].end] == "See"
    assert reference.text == "[1] Another list"
