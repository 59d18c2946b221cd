from hypothesis import given, settings
from hypothesis import strategies as st

from archive.readers.markdown import markdown_to_blocks


def test_headings_lists_quotes_and_levels() -> None:
    blocks = markdown_to_blocks("# One\n\n## *Two*\n\n- a\n- b\n\n> said\n\npara")
    assert [(b.type, b.level, b.text) for b in blocks] == [
        ("heading", 1, "One"), ("heading", 2, "Two"), ("list_item", None, "a"), ("list_item", None, "b"),
        ("quote", None, "said"), ("paragraph", None, "para")]
    assert blocks[1].inlines[0].marks == ("emphasis",)


def test_escapes_and_emphasis_never_leak_as_syntax() -> None:
    blocks = markdown_to_blocks("The Taliban\\* pledged \\$35m **bold** and *it*.\n\n\\*\\*\\*")
    text = blocks[0].text
    assert text == "The Taliban* pledged $35m bold and it."
    assert "**" not in text and "\\" not in text
    assert blocks[1].text == "***"
    marks = {i.text: i.marks for i in blocks[0].inlines}
    assert marks["bold"] == ("strong",)
    assert marks["it"] == ("emphasis",)


def test_links_and_autolinks_keep_their_targets() -> None:
    blocks = markdown_to_blocks("[site](http://example.com) and <https://a.org/x>")
    links = [(i.text, i.href) for i in blocks[0].inlines if "link" in i.marks]
    assert links == [("site", "http://example.com"), ("https://a.org/x", "https://a.org/x")]


def test_hard_breaks_become_newlines() -> None:
    blocks = markdown_to_blocks("line one  \nline two")
    assert blocks[0].text == "line one\nline two"


def test_bare_first_line_becomes_the_title_only_without_an_h1() -> None:
    from archive.readers.markdown import promote_title

    promoted = promote_title(markdown_to_blocks("The Title of a Piece\n\nBy Someone\n\nText *here*."))
    assert (promoted[0].type, promoted[0].level) == ("heading", 1)
    kept = promote_title(markdown_to_blocks("Intro line\n\n# Real title\n\nText."))
    assert kept[0].type == "paragraph"


_MARKDOWN_TEXT = st.text(alphabet=st.sampled_from(list("ab زی \n\t*_`[]()!<>&\\#-:;=~.1\"'$%@+{}^|")),
                         max_size=60)
# Pieces of real Markdown, so that links, images, autolinks, entities and references are met whole.
_MARKDOWN_PIECES = st.lists(st.sampled_from([
    "word", "واژه", " ", "\n", "  \n", "\n\n", "*", "**", "_", "`", "[", "]", "(", ")", "!", "<", ">", "&",
    "\\", "-", ":", "#", "~", "[a](http://x.org/a-b:c \"t\")", "[a]", "[a]: /u:v-w", "![i](p.png)",
    "<http://a.b/c-d>", "<x@y.org>", "&amp;", "&#1575;", "\\*", "- ", "1. ", "> ", "```\n", "<span>", "a-b:c",
]), max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(_MARKDOWN_TEXT, _MARKDOWN_PIECES, st.text(max_size=60)))
def test_plain_runs_parse_exactly_as_markdown_it_parses_them(text: str) -> None:
    """The reader's inline stage hands plain runs their text token directly, and its text rule stops
    only where an inline rule can start or a link label end; every token must equal the one
    markdown-it's own configuration makes."""
    from markdown_it import MarkdownIt

    from archive.readers.markdown import _PARSER

    assert _PARSER.parse(text) == MarkdownIt("commonmark", {"maxNesting": 100}).parse(text)


def test_brackets_nested_past_any_link_label_are_kept_as_text_with_a_warning() -> None:
    from archive.readers.base import ReadOptions
    from archive.readers.markdown import read_markdown

    deep = "[" * 5000 + "deep words" + "]" * 5000
    draft = read_markdown(f"{deep}\n\nA [real link](https://example.org) stays a link.\n".encode(), ReadOptions())
    assert draft.blocks[0].text == deep
    assert any("nested deeper" in w for w in draft.warnings)
    link = [i for i in draft.blocks[1].inlines if i.href]
    assert [(i.text, i.href) for i in link] == [("real link", "https://example.org")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["-", "*", "_", " ", "\t", "\n", "a", "> ", "- ", "* ", "1. ", "    ", "```\n"]),
                max_size=30).map("".join))
def test_thematic_breaks_parse_exactly_as_markdown_it_parses_them(text: str) -> None:
    """The reader's own `hr` rule (a regex over the line) must find the breaks markdown-it's finds."""
    from markdown_it import MarkdownIt

    from archive.readers.markdown import _PARSER

    assert _PARSER.parse(text) == MarkdownIt("commonmark", {"maxNesting": 100}).parse(text)


def test_a_line_of_list_markers_nested_past_the_parser_limit_keeps_its_words() -> None:
    from archive.readers.base import ReadOptions
    from archive.readers.markdown import read_markdown

    blocks = read_markdown(("- " * 20_000 + "deep words here\n\nafter the depths\n").encode(), ReadOptions()).blocks
    assert "deep words here" in " ".join(b.text for b in blocks)
    assert blocks[-1].text == "after the depths"


def test_footnotes_become_note_calls_and_notes_with_their_labels() -> None:
    blocks = markdown_to_blocks(
        "The border closed[^1] in October, as reported[^long].\n"
        "[^1]: Ibid.\n"
        "[^long]: See the *report* of the\n    monitoring team.\n\nAfter the notes, `[^1]` is code.\n"
    )
    assert [(b.type, b.label, b.text) for b in blocks] == [
        ("paragraph", None, "The border closed1 in October, as reportedlong."),
        ("note", "1", "Ibid."),
        ("note", "long", "See the report of the monitoring team."),
        ("paragraph", None, "After the notes, [^1] is code."),
    ]
    calls = [(i.text, i.marks) for i in blocks[0].inlines if "noteref" in i.marks]
    assert calls == [("1", ("noteref",)), ("long", ("noteref",))]
    assert ("report", ("emphasis",)) in [(i.text, i.marks) for i in blocks[2].inlines]
