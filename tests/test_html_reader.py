"""HTML reader: encodings, main text versus boilerplate, page metadata, structure and hostile input."""
# ruff: noqa: E501  (fixture markup reads better unwrapped)

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.readers.base import FormatError, ReadOptions
from archive.readers.html import read_html


def read(page: str | bytes):
    data = page.encode("utf-8") if isinstance(page, str) else page
    return read_html(data, ReadOptions(filename="page.html"))


def texts(draft, kind: str | None = None) -> list[str]:
    return [b.text for b in draft.blocks if kind is None or b.type == kind]


NEWS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Clashes escalate | Border Post</title>
<meta property="og:title" content="Clashes between Afghanistan and Pakistan escalate">
<meta property="og:site_name" content="Border Post">
<meta property="og:url" content="https://news.example.org/2025/01/clashes">
<meta property="article:published_time" content="2025-01-12T08:00:00+00:00">
<meta property="article:tag" content="Afghanistan"><meta property="article:tag" content="Pakistan">
<script type="application/ld+json">%s</script>
<style>p { color: red }</style>
</head><body>
<header class="site-header"><a href="/">Border Post</a><nav><ul><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<main><article>
<h1>Clashes between Afghanistan and Pakistan escalate</h1>
<p class="byline">By <a href="/authors/vs">Vanessa Sevidova</a>, <time datetime="2025-01-12">12 January</time></p>
<p>Following several weeks of clashes and unrest along the border, the situation has worsened.</p>
<p>Officials in <a href="../../kabul">Kabul</a> said that talks would resume next week.<sup><a href="#fn1">1</a></sup></p>
<blockquote><p>We want peace, not war.</p></blockquote>
<figure><figcaption>Border crossing at Torkham.</figcaption></figure>
<ul><li>First point of the report</li><li>Second point</li></ul>
<div class="share-links"><a href="https://twitter.com/share">Share on X</a></div>
<h2>See also</h2><ul><li><a href="/other">Another story about the border</a></li></ul>
<section class="footnotes"><ol><li id="fn1">UN monitoring team report, February 2025.</li></ol></section>
</article>
<section id="comments"><h3>3 comments</h3>
<div class="comment"><time datetime="2025-03-03">March</time><p>Reader: this is a long comment about the article.</p></div>
<form class="respond"><label>Your reply</label><textarea></textarea><button>Post comment</button></form>
</section></main>
<aside class="newsletter">Subscribe to our newsletter for daily updates.</aside>
<footer><p>© 2025 Border Post. All rights reserved.</p></footer>
<script>var tracking = "should never appear";</script>
</body></html>"""

JSON_LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Border Post"},
        {
            "@type": "NewsArticle",
            "headline": "Clashes between Afghanistan and Pakistan escalate",
            "author": [
                {"@type": "Person", "name": "Vanessa Sevidova"},
                {"@type": "Person", "name": "A. Khan"},
            ],
            "datePublished": "2025-01-12T08:00:00Z",
            "dateModified": "2025-01-13T09:30:00Z",
            "publisher": {"@type": "Organization", "name": "Border Post Media"},
            "keywords": ["border", "Torkham"],
            "inLanguage": "en",
            "description": "Weeks of clashes along the Durand Line.",
        },
    ],
}


@pytest.fixture(scope="module")
def news():
    return read(NEWS % json.dumps(JSON_LD))


def test_main_text_comes_first_and_boilerplate_is_kept(news):
    kinds = [b.type for b in news.blocks]
    assert news.blocks[0].type == "heading" and news.blocks[0].text.startswith("Clashes between")
    first_boilerplate = kinds.index("boilerplate")
    assert all(k == "boilerplate" for k in kinds[first_boilerplate:])
    boilerplate = texts(news, "boilerplate")
    for chrome in (
        "World",
        "We use cookies to improve your experience.",
        "Share on X",
        "See also",
        "Another story about the border",
        "Reader: this is a long comment about the article.",
        "Post comment",
        "Subscribe to our newsletter for daily updates.",
        "© 2025 Border Post. All rights reserved.",
    ):
        assert any(chrome in t for t in boilerplate), chrome
    main = texts(news)[:first_boilerplate]
    assert (
        "Following several weeks of clashes and unrest along the border, the situation has worsened." in main
    )
    assert not any("Share" in t or "newsletter" in t for t in main)


def test_scripts_and_styles_are_not_text(news):
    everything = "\n".join(texts(news))
    assert "tracking" not in everything and "color: red" not in everything


def test_structure_and_links(news):
    by_text = {b.text: b for b in news.blocks}
    assert by_text["We want peace, not war."].type == "quote"
    assert by_text["Border crossing at Torkham."].type == "caption"
    assert by_text["First point of the report"].type == "list_item"
    officials = next(b for b in news.blocks if b.text.startswith("Officials"))
    link = next(i for i in officials.inlines if i.text == "Kabul")
    assert link.marks == ("link",) and link.href == "https://news.example.org/kabul"
    noteref = officials.inlines[-1]
    assert (noteref.text, noteref.marks, noteref.href) == ("1", ("noteref",), "#fn1")
    note = next(b for b in news.blocks if b.type == "note")
    assert note.text == "UN monitoring team report, February 2025." and note.label == "1"
    assert all(b.lang == "en" for b in news.blocks)


def test_json_ld_and_open_graph_metadata(news):
    meta = news.meta
    assert meta["title"] == "Clashes between Afghanistan and Pakistan escalate"
    assert meta["authors"] == ["Vanessa Sevidova", "A. Khan"]
    assert ["2025-01-12T08:00:00+00:00", "published"] in meta["dates"]
    assert ["2025-01-13T09:30:00Z", "updated"] in meta["dates"]
    assert meta["publisher"] == "Border Post Media"
    assert meta["site"] == "Border Post"
    assert meta["urls"][0] == "https://news.example.org/2025/01/clashes"
    assert meta["keywords"] == ["Afghanistan", "Pakistan", "border", "Torkham"]
    assert meta["description"] == "Weeks of clashes along the Durand Line."
    assert meta["lang"] == "en"
    assert "2025-03-03" not in json.dumps(meta)  # a comment's date is not the article's


def test_time_element_in_article_when_head_has_no_dates():
    page = """<html><body><article><h1>Title of the piece</h1>
    <time datetime="2024-12-30" itemprop="datePublished">30 Dec</time>
    <p>A paragraph long enough to count as the main text of this small article page.</p></article>
    <div id="comments"><time datetime="2025-01-05">later</time><p>A comment that is long enough to count.</p></div>
    </body></html>"""
    assert read(page).meta["dates"] == [["2024-12-30", "published"]]


def test_highwire_citation_metadata():
    page = """<html><head>
    <meta name="citation_title" content="Ideological Connections and Strategic Alliances">
    <meta name="citation_author" content="Attaullah Jan">
    <meta name="citation_author_institution" content="Qurtuba University, Peshawar">
    <meta name="citation_author" content="Muhammad Naeem Akbar Qazi">
    <meta name="citation_journal_title" content="Journal of Social Sciences Review">
    <meta name="citation_volume" content="4"><meta name="citation_issue" content="3">
    <meta name="citation_firstpage" content="12"><meta name="citation_lastpage" content="29">
    <meta name="citation_publication_date" content="2024/09/30">
    <meta name="citation_doi" content="10.54183/jssr.v4i3.123">
    <meta name="citation_keywords" content="TTP; Afghan Taliban; militancy">
    <meta name="citation_abstract" content="This paper investigates the alliances.">
    </head><body><p>Body text of the article is here and it is long enough.</p></body></html>"""
    meta = read(page).meta
    assert meta["title"] == "Ideological Connections and Strategic Alliances"
    assert meta["authors"] == ["Attaullah Jan", "Muhammad Naeem Akbar Qazi"]
    assert meta["affiliations"] == ["Qurtuba University, Peshawar", None]
    assert meta["citation"] == {
        "journal": "Journal of Social Sciences Review",
        "volume": "4",
        "issue": "3",
        "pages": "12-29",
        "year": "2024",
        "doi": "10.54183/jssr.v4i3.123",
        "url": "https://doi.org/10.54183/jssr.v4i3.123",
    }
    assert meta["keywords"] == ["TTP", "Afghan Taliban", "militancy"]
    assert meta["abstract"] == "This paper investigates the alliances."
    assert ["2024/09/30", "published"] in meta["dates"]


def test_dublin_core_metadata():
    page = """<html><head><meta name="DC.title" content="Kabul report"><meta name="DC.creator" content="R. Ahmadi">
    <meta name="DC.date" content="2023-05-01"><meta name="DC.language" content="fa">
    <meta name="DC.publisher" content="Afgazad"></head><body><p>Text.</p></body></html>"""
    meta = read(page).meta
    assert (meta["title"], meta["authors"], meta["lang"], meta["publisher"]) == (
        "Kabul report",
        ["R. Ahmadi"],
        "fa",
        "Afgazad",
    )
    assert meta["dates"] == [["2023-05-01", "published"]]


PERSIAN = """<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>کتاب</title></head>
<body><article><h1>من می‌خواهم</h1>
<p>من می‌خواهم کتاب‌ها را بخوانم،&nbsp;&nbsp; و   <span lang="en" dir="ltr">Kabul   University</span> را ببینم.</p>
<p>چو کشور نباشد تن من مباد<br>بدین بوم و بر زنده یک تن مباد</p>
<p>او گفت <q>صلح</q> و <i>آرامش</i>.</p>
</article></body></html>"""


def test_persian_zwnj_survives_and_whitespace_collapses():
    draft = read(PERSIAN)
    paragraph = draft.blocks[1]
    assert "می\u200cخواهم" in paragraph.text and "کتاب\u200cها" in paragraph.text
    assert paragraph.text == "من می\u200cخواهم کتاب\u200cها را بخوانم، و Kabul University را ببینم."
    assert (paragraph.lang, paragraph.dir) == ("fa", "rtl")
    assert [i.lang for i in paragraph.inlines if "Kabul" in i.text] == ["en"]
    assert draft.blocks[0].text == "من می\u200cخواهم" and draft.blocks[0].level == 1
    assert draft.meta["lang"] == "fa" and draft.info["dir"] == "rtl"


def test_line_breaks_and_inline_quotes():
    draft = read(PERSIAN)
    assert draft.blocks[2].text == "چو کشور نباشد تن من مباد\nبدین بوم و بر زنده یک تن مباد"
    assert draft.blocks[2].type == "paragraph"
    assert draft.blocks[3].text == "او گفت «صلح» و آرامش."
    assert [i.marks for i in draft.blocks[3].inlines if i.text == "آرامش"] == [("emphasis",)]


def test_windows_1256_page_decodes_exactly():
    arabic = "قالت الأمم المتحدة إن حركة طالبان باكستان تتلقى دعماً من كابل"
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"<title>خبر</title></head><body><p>{arabic}</p></body></html>"
    ).encode("cp1256")
    draft = read(page)
    assert texts(draft) == [arabic]
    assert draft.encoding is not None and draft.encoding.method == "declared"
    assert draft.encoding.name in ("windows-1256", "cp1256")


def test_utf16_page():
    draft = read("\ufeff<html><body><p>سلام دنیا</p></body></html>".encode("utf-16-le"))
    assert texts(draft) == ["سلام دنیا"]


def test_tables_become_rows():
    page = "<html><body><table><caption>Losses</caption><tr><th>Year</th><th>Killed</th></tr>"
    page += "<tr><td>2024</td><td><b>685</b></td></tr></table></body></html>"
    draft = read(page)
    assert [(b.type, b.text) for b in draft.blocks] == [
        ("caption", "Losses"),
        ("paragraph", "Year | Killed"),
        ("paragraph", "2024 | 685"),
    ]


def test_base_href_resolves_links():
    page = '<html><head><base href="https://example.org/a/"></head><body><p><a href="b.html">x</a></p></body></html>'
    assert read(page).blocks[0].inlines[0].href == "https://example.org/a/b.html"


def test_xhtml_with_xxe_and_billion_laughs_is_not_expanded():
    laughs = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    page = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">{laughs}]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a &xxe; b &j; c</p></body></html>"""
    draft = read(page)
    everything = "".join(texts(draft))
    assert "root:" not in everything and "lol" not in everything
    assert "a" in everything and "c" in everything


def test_xhtml_named_entities_without_dtd():
    page = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en"><body><p>a&nbsp;b&mdash;c</p></body></html>"""
    draft = read(page)
    assert texts(draft) == ["a b\u2014c"]
    assert draft.blocks[0].lang == "en"


def test_empty_page_gives_empty_draft():
    assert read(b"").blocks == []
    assert read(b"<html></html>").blocks == []


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_draft_or_format_error(data):
    with contextlib.suppress(FormatError):
        read_html(data, ReadOptions())


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcp\u200c\u0645\u06cc&;#!-[]\n")), max_size=300))
def test_arbitrary_markup_gives_a_draft(markup):
    read_html(markup.encode("utf-8"), ReadOptions())


def test_deep_nesting_keeps_text_and_does_not_exhaust_the_stack():
    page = "<html><body>" + "<div><b>" * 400 + "deep text" + "</b></div>" * 400 + "</body></html>"
    draft = read(page)
    assert texts(draft) == ["deep text"]
    assert any("nested deeper" in w for w in draft.warnings)


# The reader's shortcuts must agree with the plain forms they stand for.
_WHITESPACE = " \t\n\r\f\u00a0\u200c\u2009\x0bab"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_WHITESPACE, max_size=16))
def test_collapse_is_the_plain_whitespace_collapse(text: str) -> None:
    import re

    from archive.readers.html import _collapse

    assert _collapse(text) == re.sub(r"[ \t\n\r\f\u00a0]+", " ", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=_WHITESPACE, max_size=6), st.booleans()), max_size=4))
def test_blank_pending_text_is_what_tidy_empties(pieces: list[tuple[str, bool]]) -> None:
    from archive.readers.html import _blank, _tidy

    runs = [(text, (), None, None, keep) for text, keep in pieces]
    assert _blank(runs) == (not _tidy(runs))


_SEE_ALSO_STARTS = ["", " ", "\u2003see also", "Related", " READ more", "read also", "\nrelated  ", "\u017fee also", "x"]


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(_SEE_ALSO_STARTS),
    st.text(alphabet=" \u2003\n:x", max_size=8),
    st.sampled_from(["element", "comment", "entity"]),
    st.sampled_from(_SEE_ALSO_STARTS),
    st.text(alphabet=" \u2003\n:x", max_size=8),
    st.text(alphabet=" :xe", max_size=4),
)
def test_see_also_prefix_needs_only_the_first_text_run(
    start: str, more: str, first: str, inner: str, inner_more: str, rest: str
) -> None:
    from lxml import etree

    from archive.readers.html import _SEE_ALSO_PREFIX, _opens_with_see_also, _text

    p = etree.Element("p")
    p.text = start + more
    if first == "element":
        etree.SubElement(p, "em").text = inner + inner_more
    else:
        p.append(etree.Comment(inner + inner_more) if first == "comment" else etree.Entity("amp"))
    p[0].tail = rest
    etree.SubElement(p, "b").text = rest
    assert _opens_with_see_also(p) == bool(_SEE_ALSO_PREFIX.match(_text(p)))


# Characters and fragments on which lxml's string and byte inputs, or the reader's two ways of removing
# what is not text, could part.
_MARKUP_PIECES = [
    "<p>", "</p>", "<b>", "<meta charset='windows-1256'>", "<?xml version='1.0' encoding='latin-1'?>",
    "<?xml version='1.0'?>", "<!-- c -->", "&#0;", "&amp;", "a", "é", "\u06a9", "\u200c", "\U0001f600",
    "\ufeff", "\x00", "\x01", "\x0b", "\x0c", "\r", "\n", " ", "\x1f", "\x85", "\xa0", "\u2003", "\ufffe",
    "\uffff", "\ud800",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=12))
def test_parse_html_text_is_the_plain_parse(pieces: list[str]) -> None:
    import re

    from lxml import etree

    from archive.readers.html import parse_html_text

    def plain_parse(text: str) -> etree._Element | None:
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
        text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]", "", text)
        if not text.strip():
            return None
        parser = etree.HTMLParser(no_network=True, huge_tree=True, remove_comments=True, remove_pis=True)
        try:
            return etree.fromstring(text, parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None

    def markup(root: etree._Element | None) -> str | None:
        return None if root is None else etree.tostring(root, encoding="unicode")

    text = "".join(pieces)
    assert markup(parse_html_text(text)) == markup(plain_parse(text))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "\u200c", "<![CDATA[x]]>", "<![CDATA[]]>", "<!--c-->", "<?pi x?>", "&amp;", "&e;", "<b>t</b>", "<i/>"]),
        max_size=6,
    )
)
def test_text_of_an_element_without_children_is_its_text(pieces: list[str]) -> None:
    from lxml import etree

    from archive.readers.html import _text

    source = '<!DOCTYPE p [<!ENTITY e "ee">]><p>' + "".join(pieces) + "</p>"
    p = etree.fromstring(source, etree.XMLParser(strip_cdata=False, resolve_entities=False))
    assert _text(p) == etree.tostring(p, method="text", encoding="unicode", with_tail=False)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<!-- c -->", "<!--", "-->", "<?php x ?>", "<?xml-stylesheet href='a'?>", "<![CDATA[x]]>", "<![if IE]>",
             "&nbsp;", "&unknown;", "&#160;", "&amp", "<svg xmlns='http://www.w3.org/2000/svg'><circle/></svg>", "<x:y>t</x:y>",
             "<html xmlns='http://www.w3.org/1999/xhtml'>", "<math xmlns='http://www.w3.org/1998/Math/MathML'>", "<!DOCTYPE html>",
             "<script>a<!-- b --></script>", "text", " "]
        ),
        max_size=10,
    )
)
def test_an_html_parsed_tree_is_already_normalized(pieces: list[str]) -> None:
    from lxml import etree

    from archive.readers.html import normalize_tree, parse_html_text

    root = parse_html_text("".join(pieces))
    if root is None:
        return
    before = etree.tostring(root)
    assert normalize_tree(root) == 0
    assert etree.tostring(root) == before


# Markup whose attributes the reader asks about: language, direction, notes, note references, chrome
# names, main-content containers.
_ATTRIBUTE_PIECES = [
    "<p>", "</p>", '<p lang="fa" dir="rtl">', '<p class="byline">', '<span xml:lang="ps">', "</span>",
    '<div class="sidebar">', '<div id="comments">', "<div>", "</div>", '<div role="main">', '<div itemprop="articleBody">',
    "<article>", "</article>", '<main role="MAIN">', "</main>", "<aside>", "</aside>", '<header class="site-header">', "</header>",
    '<section class="footnotes"><ol><li id="fn1">', "</li></ol></section>", '<p epub:type="footnote">', '<aside role="doc-endnote">',
    '<sup><a href="#fn1">', "</a></sup>", '<a href="/x" class="share">', '<a href="javascript:void(0)">', "</a>",
    '<div data-archive-boilerplate="1">', '<p dir="LTR" lang=" en ">', "<h2>See also</h2>", "<h2>Words</h2>", '<li id="note-2">',
    "Officials said that talks would resume next week in the capital. ", "شهرداری درخت در کنار خیابانی کاشت که به ایستگاه می‌رسد. ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ATTRIBUTE_PIECES), max_size=14))
def test_attribute_dict_answers_as_get_on_html_parsed_trees(pieces: list[str]) -> None:
    from archive.readers.html import _attribute_dict, _from_html_parser, parse_html_text

    root = parse_html_text("<html><body>" + "".join(pieces))
    assert root is not None and _from_html_parser(root)
    names = ["lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang", "dir", "id", "class", "role", "href",
             "itemprop", "epub:type", "{http://www.idpf.org/2007/ops}type", "data-archive-boilerplate", "absent"]  # fmt: skip
    for el in root.iter():
        attributes = _attribute_dict(el)
        assert (attributes is None) == (not el.keys())
        if attributes is not None:
            assert [attributes.get(name) for name in names] == [el.get(name) for name in names]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ATTRIBUTE_PIECES), max_size=14))
def test_reading_attributes_at_once_gives_the_same_draft(pieces: list[str]) -> None:
    from unittest import mock

    page = "<html><body>" + "".join(pieces)
    fast = read(page)
    with mock.patch("archive.readers.html._from_html_parser", return_value=False):
        asking = read(page)
    assert fast == asking


def test_xml_parsed_pages_ask_elements_for_their_attributes():
    # get() reports a default value the internal DTD subset declares: a dict of the attributes the
    # element carries would not have it.
    page = """<?xml version="1.0"?><!DOCTYPE html [<!ATTLIST p lang CDATA "fa">]><html xmlns="http://www.w3.org/1999/xhtml">
<body><article><p class="x">سلام دوستان عزیز، این یک متن آزمایشی است.</p></article></body></html>"""
    assert [b.lang for b in read(page).blocks] == ["fa"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<div>", "</div>", "<nav>", "</nav>", '<a href="/x">', '<a href="/y"> a link ', "<a>", "</a>", "<li>",
             "</li>", "<ul>", "</ul>", "<b>", "</b>", "text ", "  ", "\u06a9\u062a\u0627\u0628 "]
        ),
        max_size=16,
    )
)
def test_link_lengths_found_at_once_are_each_elements_own(pieces: list[str]) -> None:
    from archive.readers.html import _body, _itself, _link_len, _Measure, parse_html_text

    root = parse_html_text("<html><body>" + "".join(pieces))
    assert root is not None
    body = _body(root)
    measure = _Measure(body, _itself)
    for el in body.iter():
        assert measure.link_len(el) == _link_len(el)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<html>", "<head>", "<title>t", "</title>", "<body>", "</body>", "<p>", "<b>", "x", "<?pi?>"]), max_size=10))
def test_first_descendant_is_what_find_finds(pieces: list[str]) -> None:
    from lxml import etree

    from archive.readers.html import _first_descendant

    for root in (etree.fromstring("<r>" + "".join(pieces) + "</r>", etree.HTMLParser(recover=True)), etree.XML("<body><body/><title/></body>")):
        if root is not None:
            for tag in ("body", "title", "p"):
                assert _first_descendant(root, tag) is root.find(".//" + tag)


# ---------------------------------------------------------------- main text of real-world page shapes

_PROSE = (
    "The council met on Tuesday to discuss the new water supply plan for the northern districts. "
    "Residents had complained for months about shortages during the summer heat."
)


def _main_text(html: str) -> str:
    draft = read_html(html.encode("utf-8"), ReadOptions(filename="page.html"))
    return "\n".join(b.text for b in draft.blocks if b.type != "boilerplate")


def _article(n: int = 6) -> str:
    return "".join(f"<p>{_PROSE} Paragraph {i}.</p>" for i in range(n))


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="content-sidebar-wrap">{}</div>',
        '<div class="elementor-widget-container">{}</div>',
        '<div class="Page-ad-margins"><article>{}</article></div>',
        '<div class="widget Blog" id="Blog1">{}</div>',
        '<form id="aspnetForm"><div>{}</div></form>',
        '<div class="box article modal-enabled">{}</div>',
    ],
)
def test_a_chrome_named_wrapper_of_the_whole_article_is_not_chrome(wrapper: str) -> None:
    page = (
        '<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        + wrapper.format(_article())
        + '<aside class="sidebar"><p>Most read: a short teaser about something else entirely.</p></aside>'
        + "</body></html>"
    )
    text = _main_text(page)
    assert "Paragraph 5." in text and "Paragraph 0." in text
    assert "Most read" not in text and "Home" not in text


def test_comments_never_become_the_article_however_long() -> None:
    comments = "".join(f'<li class="comment"><p>{_PROSE} Comment {i}.</p></li>' for i in range(12))
    page = (
        f'<html><body><main><article><h1>Water plan</h1><div class="entry-content">{_article(3)}</div>'
        f'<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div>'
        "</article></main></body></html>"
    )
    text = _main_text(page)
    assert "Paragraph 2." in text
    assert "Comment 0." not in text


def test_blogger_post_written_with_br_is_found() -> None:
    lines = "<br>".join(f"{_PROSE} Line {i}." for i in range(6))
    page = (
        '<html><body><div class="sidebar"><ul><li><a href="/a">Archive 2018</a></li></ul></div>'
        f'<div class="post-body">{lines}</div></body></html>'
    )
    assert "Line 5." in _main_text(page)


def test_link_lists_hidden_text_and_teasers_inside_the_article_are_boilerplate() -> None:
    related = "".join(f'<li><a href="/s{i}">Another story number {i} worth reading</a></li>' for i in range(5))
    page = (
        f"<html><body><article>{_article()}<ul>{related}</ul>"
        '<div style="display: none">2019-11-13T23:06:00+01:00 hidden schema data</div>'
        "</article></body></html>"
    )
    draft = read_html(page.encode(), ReadOptions(filename="page.html"))
    text = "\n".join(b.text for b in draft.blocks if b.type != "boilerplate")
    everything = "\n".join(b.text for b in draft.blocks)
    assert "Paragraph 5." in text
    assert "Another story number 3" not in text and "hidden schema data" not in text
    assert "Another story number 3" in everything and "hidden schema data" in everything  # kept, typed


# ---------------------------------------------------------------- dates of web pages


def _dates(html: str) -> list[list[str]]:
    return read_html(html.encode("utf-8"), ReadOptions(filename="page.html")).meta.get("dates", [])


def test_meta_date_keyed_by_name_and_itemprop_at_once() -> None:
    page = '<html><head><meta itemprop="datePublished" name="pubdate" content="2020-04-28"></head><body></body></html>'
    assert ["2020-04-28", "published"] in _dates(page)


def test_schema_org_date_in_an_untyped_script() -> None:
    page = (
        '<html><head><script>{"@context":"https://schema.org","@type":"NewsArticle",'
        '"datePublished":"2020-03-08T10:00:00+01:00"}</script></head><body><p>x</p></body></html>'
    )
    assert _dates(page)[0] == ["2020-03-08T10:00:00+01:00", "published"]


def test_time_element_outside_the_article_and_url_date() -> None:
    page = (
        f'<html><head><link rel="canonical" href="https://example.org/2019/07/03/story/"></head><body>'
        f'<header><time datetime="2019-07-02T18:00:00-04:00">July 2</time></header><article>{_article()}</article>'
        "</body></html>"
    )
    dates = _dates(page)
    assert dates[0] == ["2019-07-02T18:00:00-04:00", "published"]
    assert ["2019-07-03", "published"] in dates


def test_a_utc_timestamp_yields_to_the_local_one() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2020-12-24T23:59:50+00:00">'
        '<meta name="pubdate" content="2020-12-25T01:59:50+02:00"></head><body></body></html>'
    )
    assert _dates(page)[0] == ["2020-12-25T01:59:50+02:00", "published"]


@pytest.mark.parametrize(
    ("line", "iso"),
    [("28.04.2020", "2020-04-28"), ("۱۲ تیر ۱۳۹۹", "2020-07-02"), ("Tuesday, 3 March 2020 10:15", "2020-03-03")],
)
def test_a_line_that_is_only_a_date_dates_the_page(line: str, iso: str) -> None:
    from archive.pipeline import ingest_bytes

    page = f"<html><body><article><h1>Title</h1><p>{line}</p>{_article()}</article></body></html>"
    published = [d for d in ingest_bytes(page.encode(), "page.html").metadata.dates if d.role == "published"]
    assert published and published[0].iso == iso


# ---------------------------------------------------------------- the real development pages


def _shared_html() -> Path | None:
    from pathlib import Path as _Path

    root = _Path(__file__).resolve().parent.parent
    for place in (root.parent / "shared", root.parent.parent / "shared"):
        if (place / "real" / "html").is_dir():
            return place / "real" / "html"
    return None


REAL_HTML = _shared_html()
needs_real = pytest.mark.skipif(REAL_HTML is None, reason="../shared/real/html is not present")


@needs_real
@pytest.mark.slow
def test_real_articles_main_text_is_found_and_nothing_is_lost() -> None:
    """Every 6th page of the article benchmark: the record's main text holds most of the annotated
    article, and the whole record holds nearly all of it."""
    import gzip
    import re as _re
    from collections import Counter as _Counter

    from archive.pipeline import ingest_bytes

    assert REAL_HTML is not None
    gold = json.loads((REAL_HTML / "articles" / "ground-truth.json").read_text(encoding="utf-8"))
    words = _re.compile(r"\w+")
    recalls, anywhere = [], []
    for page in sorted(gold)[::6]:
        data = gzip.decompress((REAL_HTML / "articles" / "html" / f"{page}.html.gz").read_bytes())
        record = ingest_bytes(data, f"{page}.html")
        want = _Counter(words.findall(gold[page]["articleBody"]))
        main = _Counter(words.findall("\n".join(b.text for b in record.blocks if b.type != "boilerplate")))
        every = _Counter(words.findall("\n".join(b.text for b in record.blocks)))
        total = sum(want.values()) or 1
        recalls.append(sum((want & main).values()) / total)
        anywhere.append(sum((want & every).values()) / total)
    assert sum(recalls) / len(recalls) > 0.9
    assert sum(anywhere) / len(anywhere) > 0.98


@needs_real
@pytest.mark.slow
def test_real_news_pages_publication_dates() -> None:
    """Every 5th page of htmldate's evaluation set: the record's published date is the gold day."""
    import gzip

    from archive.pipeline import ingest_bytes

    assert REAL_HTML is not None
    gold = json.loads((REAL_HTML / "dates" / "dates.json").read_text(encoding="utf-8"))
    names = [n for n in sorted(gold) if gold[n]["date"]][::5]
    right = 0
    for name in names:
        data = gzip.decompress((REAL_HTML / "dates" / "pages" / f"{name}.gz").read_bytes())
        record = ingest_bytes(data, name)
        published = [d.iso for d in record.metadata.dates if d.role == "published" and d.iso]
        right += bool(published) and published[0][:10] == gold[name]["date"]
    assert right / len(names) > 0.85


@needs_real
def test_real_persian_and_arabic_pages_keep_their_main_blocks_right_to_left() -> None:
    import gzip

    from archive.pipeline import ingest_bytes

    assert REAL_HTML is not None
    gold = json.loads((REAL_HTML / "dates" / "dates.json").read_text(encoding="utf-8"))
    hosts = ("khabaronline.ir", "yjc.ir", "youm7.com", "alyaum.com", "albayan.ae")
    checked = 0
    for name, entry in sorted(gold.items()):
        if not any(h in entry["url"] for h in hosts):
            continue
        data = gzip.decompress((REAL_HTML / "dates" / "pages" / f"{name}.gz").read_bytes())
        record = ingest_bytes(data, name)
        main = [b for b in record.blocks if b.type not in ("boilerplate", "heading") and len(b.text) > 80]
        arabic_script = [b for b in main if sum("\u0600" <= c <= "\u06ff" for c in b.text) > 0.6 * len(b.text)]
        assert arabic_script, entry["url"]
        for block in arabic_script:
            assert block.dir == "rtl" and (block.lang or "")[:2] in ("fa", "ar"), (entry["url"], block.text[:40])
        checked += 1
    assert checked >= 3


def test_soft_hyphens_and_zero_width_spaces_are_removed_and_counted() -> None:
    from archive.pipeline import ingest_bytes

    page = "<html><body><p>Rhabar\u00adber\u00adkuchen und Zero\u200bwidth, aber نمی\u200cخواهم bleibt.</p></body></html>"
    record = ingest_bytes(page.encode("utf-8"), "page.html")
    assert record.blocks[0].text == "Rhabarberkuchen und Zerowidth, aber نمی\u200cخواهم bleibt."
    steps = next(e.detail["steps"] for e in record.provenance if e.event == "normalize")
    assert steps["format_characters"] == 3


def test_an_article_holding_a_list_of_posts_is_not_the_article() -> None:
    teasers = "".join(f'<article class="post"><p>{_PROSE} Teaser {i}.</p></article>' for i in range(6))
    page = (
        f'<html><body><article class="post"><h1>Water plan</h1><p>{_PROSE} The story.</p></article>'
        f'<article class="post"><h3>You may like</h3>{teasers}</article></body></html>'
    )
    text = _main_text(page)
    assert "The story." in text
    assert "Teaser 3." not in text


def test_a_utc_time_far_from_midnight_keeps_its_day_against_the_address() -> None:
    page = (
        '<html><head><link rel="canonical" href="https://example.org/2020/07/08/story/">'
        '<meta property="article:published_time" content="{}"></head><body></body></html>'
    )
    assert _dates(page.format("2020-07-09T10:04:04Z"))[0] == ["2020-07-09T10:04:04Z", "published"]
    assert _dates(page.format("2020-07-09T02:18:11Z"))[0] == ["2020-07-08", "published"]


@pytest.mark.parametrize(("address", "day"), [
    ("https://www.example.it/news/1.html", "2020-12-06"),  # Italy: 23:15 UTC is 00:15 the next day
    ("https://www.example.pk/news/1.html", "2020-12-06"),  # Pakistan, UTC+5
    ("https://www.example.com/news/1.html", "2020-12-05"),  # a generic domain: no zone to read
])
def test_a_utc_time_near_midnight_takes_the_day_of_the_sites_country(address: str, day: str) -> None:
    from archive.pipeline import ingest_bytes

    page = (f'<html><head><title>Vote</title><link rel="canonical" href="{address}">'
            '<meta property="article:published_time" content="2020-12-05T23:15:0Z"></head><body><article>'
            "<h1>Vote</h1><p>The state certified its vote on Saturday night, officials said in a statement.</p>"
            "</article></body></html>")
    record = ingest_bytes(page.encode(), "page.html")
    assert record.metadata.dates[0].iso[:10] == day
