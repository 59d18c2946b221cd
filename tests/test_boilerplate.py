"""Page furniture is re-typed `boilerplate`, never deleted, and article text is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.boilerplate import classify_boilerplate
from archive.record import Block, Span

PROSE = (
    "The report noted a significant escalation in the ambition and scale of operations, with over six "
    "hundred attacks recorded during the reporting period, including those launched from across the border. "
    "Officials said the trend had held for two years."
)


def _blocks(*items: tuple[str, str]) -> list[Block]:
    return [Block(id=f"b{i + 1}", type=kind, text=text, lang="en") for i, (kind, text) in enumerate(items)]


def _types(blocks: list[Block]) -> list[str]:
    return [b.type for b in blocks]


def test_web_article_footer_comment_form_and_see_also() -> None:
    blocks = _blocks(
        ("heading", "Kabul continues to support the Pakistani Taliban"),
        ("paragraph", PROSE),
        ("heading", "See also\u00a0 Ukraine's mineral resources may now be a bargaining chip"),
        ("paragraph", PROSE),
        ("heading", "Discover more from Defence Talks | Defense News Military Pictures"),
        ("paragraph", "Subscribe to get the latest posts sent to your email."),
        ("heading", "Leave a Reply"),
        ("paragraph", "Your email address will not be published. Required fields are marked *"),
    )
    assert classify_boilerplate(blocks) == 5
    assert _types(blocks) == ["heading", "paragraph", "boilerplate", "paragraph"] + ["boilerplate"] * 4
    assert blocks[2].text.startswith("See also")  # re-typed, text untouched
    assert blocks[2].evidence and "boilerplate" in blocks[2].evidence


def test_two_line_comment_form() -> None:
    form = "Please enter your comment!\nPlease enter your name here"
    blocks = _blocks(("paragraph", PROSE), ("paragraph", form))
    classify_boilerplate(blocks)
    assert _types(blocks) == ["paragraph", "boilerplate"]


def test_journal_page_widgets_and_citation_under_how_to_cite() -> None:
    citation = (
        "Jan, A., & Qazi, M. (2025). Ideological Connections and Strategic Alliances. Sociology & Cultural "
        "Research Review, 3(02), 152–157. Retrieved from https://www.scrrjournal.com/index.php/14/article/view/206"
    )
    blocks = _blocks(
        ("heading", "Ideological Connections"),
        ("heading", "Abstract"),
        ("paragraph", PROSE),
        ("paragraph", "Keywords: Pakistan, Afghanistan"),
        ("heading", "Downloads"),
        ("heading", "Published"),
        ("paragraph", "2025-05-02"),
        ("heading", "How to Cite"),
        ("paragraph", citation),
    )
    classify_boilerplate(blocks)
    assert _types(blocks) == ["heading", "heading", "paragraph", "paragraph", "boilerplate", "heading",
                              "paragraph", "boilerplate", "boilerplate"]  # fmt: skip


def test_weak_words_inside_the_article_body_stay_text() -> None:
    blocks = _blocks(("paragraph", PROSE), ("heading", "Downloads"), ("paragraph", PROSE))
    classify_boilerplate(blocks)
    assert _types(blocks) == ["paragraph", "heading", "paragraph"]


def test_article_paragraph_mentioning_subscribe_is_not_boilerplate() -> None:
    sentence = "Readers who subscribe to the local paper learned of the attack a week later, officials said."
    blocks = _blocks(("paragraph", PROSE), ("paragraph", sentence), ("paragraph", "Subscribe"))
    classify_boilerplate(blocks)
    assert _types(blocks) == ["paragraph", "paragraph", "boilerplate"]


def test_long_paragraph_starting_with_see_also_is_text() -> None:
    blocks = _blocks(("paragraph", "See also " + PROSE + " " + PROSE))
    assert classify_boilerplate(blocks) == 0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Share this:", "en"),
        ("Facebook Twitter WhatsApp", "en"),
        ("Related: Pakistan closes the Torkham crossing", "en"),
        ("Read more", "en"),
        ("Download citation", "en"),
        ("بیشتر بخوانید: طالبان و پاکستان", "fa"),
        ("مطالب مرتبط", "fa"),
        ("اقرأ أيضاً: التوتر على الحدود", "ar"),
        ("اترك تعليقاً", "ar"),
        ("لن يتم نشر عنوان بريدك الإلكتروني", "ar"),
        ("یہ بھی پڑھیں", "ur"),
        ("دا هم ولولئ", "ps"),
        ("شریک یې کړئ", "ps"),
        ("ټول حقوق خوندي دي", "ps"),
        ("جملہ حقوق محفوظ ہیں", "ur"),
        ("نشانی ایمیل شما منتشر نخواهد شد.", "fa"),
        ("هم‌رسانی در تلگرام", "fa"),
        ("همهٔ حقوق این وب‌سایت محفوظ است.", "fa"),
        ("تمامی حقوق مادی و معنوی محفوظ است", "fa"),
        ("کلیه حقوق این سایت متعلق به خبرگزاری پژواک است.", "fa"),
        ("شارك على فيسبوك", "ar"),
        ("شاركها عبر واتساب", "ar"),
        ("واٹس ایپ پر شیئر کریں", "ur"),
        ("ہمارے نیوز لیٹر کے لیے سائن اپ کریں", "ur"),
        ("په ټویټر کې یې شریک کړئ", "ps"),
        ("زموږ خبرپاڼې ته ګډون وکړئ", "ps"),
    ],
)
def test_lexicon_in_every_language(text: str, lang: str) -> None:
    blocks = [Block("b1", "paragraph", PROSE, lang="en"), Block("b2", "paragraph", text, lang=lang)]
    assert classify_boilerplate(blocks) == 1 and blocks[1].type == "boilerplate"


def test_verse_and_quotes_are_never_boilerplate() -> None:
    blocks = [Block("b1", "verse", "Share this:\nRead more"), Block("b2", "quote", "Leave a reply")]
    assert classify_boilerplate(blocks) == 0


def test_link_bars_outside_the_body_are_navigation() -> None:
    menu = Block("b1", "paragraph", "Home | News | Opinion | Contact",
                 spans=[Span(0, 4, "link", href="/"), Span(7, 11, "link", href="/n"),
                        Span(14, 21, "link", href="/o"), Span(24, 31, "link", href="/c")])  # fmt: skip
    inline = Block("b3", "paragraph", PROSE, spans=[Span(0, 3, "link", href="/a"), Span(4, 10, "link", href="/b"),
                                                    Span(11, 20, "link", href="/c")])  # fmt: skip
    blocks = [menu, Block("b2", "paragraph", PROSE), inline]
    classify_boilerplate(blocks)
    assert [b.type for b in blocks] == ["boilerplate", "paragraph", "paragraph"]


_FOLD_ALPHABET = list("aB ُيىكأإآةہۀېۍګـًٰ") + ["\u200c", "\u064b", "\u065f", "\ufe70", "ﷺ", "İ", "\u00a0", "\t"]


@given(st.text(alphabet=st.sampled_from(_FOLD_ALPHABET), max_size=16))
def test_fold_merges_variants_and_drops_marks_like_a_per_character_fold(text: str) -> None:
    import unicodedata

    from archive.boilerplate import _fold

    table = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه",
                           "\u200c": " ", "\u0640": None, "ہ": "ه", "ۀ": "ه", "ې": "ی",
                           "ۍ": "ی", "ګ": "گ"})  # fmt: skip
    expected = unicodedata.normalize("NFKC", text).lower().translate(table)
    expected = "".join(c for c in expected if not ("\u064b" <= c <= "\u065f" or c == "\u0670"))
    assert _fold(text) == " ".join(expected.split())


_LABEL_ALPHABET = ["how to cite ", "citation", "to cite this article", "نحوه استناد", " ", "\u00a0", ":", "\u064e",
                   "\u0640", "\ufe70", "\u200c", "a", "ا", "\u0301", "ﷺ", "K", "ſ"]


@given(st.lists(st.sampled_from(_LABEL_ALPHABET), max_size=12).map("".join))
def test_citation_label_shortcut_agrees_with_folding_the_whole_block(text: str) -> None:
    from archive.boilerplate import _CITE_LABEL, _fold, _is_cite_label

    assert _is_cite_label(text) == bool(_CITE_LABEL.match(_fold(text.strip())))


_SPACES = ["\t", "\n", "\u00a0", "\u2009", "\u3000", "\u200c", "\x1f", "\u0301"]


@given(st.text(alphabet=st.sampled_from(list("ab ا") + _SPACES), max_size=12))
def test_squeeze_equals_splitting_on_whitespace(text: str) -> None:
    from archive.boilerplate import _squeeze
    from archive.metadata import _clean

    assert _squeeze(text) == _clean(text) == " ".join(text.split())


_PHRASE_ALPHABET = ["like this", "how to cite", "see also", "comments", "related posts", "share on facebook",
                    "notify me of new", "join 1,200 other subscribers", "print", "more from", "citation",
                    "به اشتراک بگذارید", "اقرأ أيضا", "I", "i", "ı", "İ", "K", "\u212a", "ſ", "S", " ", ":", "!",
                    "\u0640", "12 "]


@given(st.lists(st.sampled_from(_PHRASE_ALPHABET), max_size=8).map("".join))
def test_phrase_patterns_match_folded_text_as_case_insensitive_patterns_do(text: str) -> None:
    import re

    from archive.boilerplate import _CITE_LABEL, _STRONG, _WEAK, _fold, _is_folded_cite_label

    folded = _fold(text)
    for pattern in (_STRONG, _WEAK, _CITE_LABEL):
        as_written = re.compile(pattern.pattern.replace("[iı]", "i"), re.IGNORECASE)
        assert bool(pattern.match(folded)) == bool(as_written.match(folded))
    assert _is_folded_cite_label(folded) == bool(_CITE_LABEL.match(folded))


def test_dotless_i_is_the_only_folded_character_that_case_insensitive_matching_reads_as_ascii() -> None:
    import re

    from archive.boilerplate import _fold

    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    found = {c for cp in range(0x110000) if not 0xD800 <= cp < 0xE000 for c in _fold(chr(cp))
             if ascii_letter.match(c) and not "a" <= c <= "z"}  # fmt: skip
    assert found == {"ı"}


def test_a_sentence_about_rights_is_text() -> None:
    # "All the rights of women…": the phrase of a copyright line opens it, but nothing is reserved.
    sentence = Block("b2", "paragraph", "تمام حقوق زنان در این قانون به رسمیت شناخته شده است.", lang="fa")
    blocks = [Block("b1", "paragraph", PROSE, lang="en"), sentence]
    assert classify_boilerplate(blocks) == 0 and sentence.type == "paragraph"
