"""Web pages (HTML and XHTML) into a draft: the article first, every other text kept as boilerplate.

A saved web page is mostly chrome: menus, share buttons, comment forms, "see also" lists, cookie
notices. The archive keeps all of it (nothing is deleted), but the article's own blocks come first and
everything else is typed `boilerplate` and gathered after it, so exports and language statistics are
about the text a person came for. `html_tree_to_blocks` is shared with the EPUB reader, whose chapters
are XHTML without chrome.

Persian spelling depends on ZWNJ (U+200C), so whitespace collapsing touches ASCII whitespace and NBSP
only; format characters stay in the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol, cast
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..dates import find_dates, parse_date
from ..encoding import decode
from ..langtags import is_rtl_language
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .safe_xml import parse_xml, replace_entity_refs, replace_with_text

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 120

# Not text: dropped with everything inside.
_SKIP = frozenset(
    [
        "script",
        "style",
        "template",
        "svg",
        "canvas",
        "iframe",
        "object",
        "embed",
        "head",
        "meta",
        "link",
        "noembed",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "param",
        "input",
        "select",
        "textarea",
        "img",
        "picture",
        "math",
    ]
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "address",
        "blockquote",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "pre",
        "figure",
        "figcaption",
        "caption",
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "form",
        "fieldset",
        "legend",
        "hr",
        "details",
        "summary",
        "body",
        "center",
        "hgroup",
        "dialog",
        "menu",
        "noscript",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "button",
        "label",
        "option",
        "br",
    ]
) - {"br"}
# Block elements that give their text a block type of its own.
_BLOCK_TYPE_OF = {
    **dict.fromkeys(_HEADINGS, "heading"),
    "blockquote": "quote",
    **dict.fromkeys(("li", "dt", "dd"), "list_item"),
    **dict.fromkeys(("figcaption", "caption"), "caption"),
}
_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})
_STRONG = frozenset({"strong", "b"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "form", "noscript", "dialog", "menu"})
_BOILERPLATE_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
        "form",
    }
)
_BOILERPLATE_WORDS = re.compile(
    r"(?:^|[-_ ])(comments?|comment-list|respond|reply|share|sharing|social|subscribe|subscription|"
    r"newsletter|related|see-?also|cookies?|consent|gdpr|banner|ads?|advert\w*|sponsor\w*|promo\w*|"
    r"sidebar|widget|breadcrumbs?|menu|navbar|nav|pagination|pager|popup|modal|masthead|"
    r"site-?header|site-?footer|footer|skip-?link|disqus|author-?bio|print|most-?read|"
    r"trending|recommended|outbrain|taboola|gallery|slideshow|carousel|lightbox|credits?|skip-?links?)(?:$|[-_ ])",
    re.IGNORECASE,
)
# Comment threads can hold most of a page's text and still are never the article; nor is a menu.
_NEVER_WRAPPER_WORDS = re.compile(
    r"(?:^|[-_ ])(comments?|comment-list|respond|reply|disqus|footer|copyright|cookies?|consent|gdpr|newsletter|"
    r"subscribe|subscription|outbrain|taboola|most-?read|trending)(?:$|[-_ ])",
    re.IGNORECASE,
)
_NEVER_WRAPPER_TAGS = frozenset({"nav", "menu", "dialog", "footer"})
_CONTENT_WORDS = re.compile(r"(?:^|[-_ ])(article|content|entry|main|story|body|text|post)(?:$|[-_ ])", re.IGNORECASE)
# Elements inside the article that are chrome when most of their text is link text.
_LINK_LISTS = frozenset({"ul", "ol", "dl", "div", "section", "table", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
_LINK_SHARE = 0.7
# Of those, the ones that are one block of text: chrome by links only when short.
_LINK_LISTS_SHORT = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
_SEE_ALSO = re.compile(
    r"^\s*(see also|related( articles| posts| stories| news| content)?|read (also|more)|more (on|from) "
    r"this|you may also like|recommended|share( this)?|tags?|comments?|leave a (reply|comment)|"
    r"most (popular|read|viewed|shared)|popular( now| stories| posts)?|trending( now| stories)?|top stories|"
    r"latest (news|stories|posts)|more (stories|news|videos)|read next|up next|editor'?s picks|around the web|"
    r"you (may|might) also (like|enjoy)|sponsored( content| stories)?|promoted( stories)?|(must|just) watch(ed)?|"
    r"mehr zum thema|meistgelesen|lesen sie auch|noticias relacionadas|m[aá]s le[ií]das|leia tamb[eé]m|"
    r"veja tamb[eé]m|mais lidas|voc[eê] (tamb[eé]m )?pode gostar( de)?|[àa] lire aussi|sur le m[eê]me sujet|"
    r"مطالب مرتبط|مطالب بیشتر|بیشتر بخوانید|همچنین بخوانید|اخبار مرتبط|نظرات|دیدگاه‌ها|"
    r"مقالات ذات صلة|اقرأ أيضا|اقرأ أيضاً|تعليقات|متعلقہ|مزید پڑھیں|تبصرے|اړوند)\s*:?\s*$",
    re.IGNORECASE,
)
_SEE_ALSO_PREFIX = re.compile(r"^\s*(see also|related|read (also|more))\s*:", re.IGNORECASE)
# Every character that case-insensitive matching lets open `_SEE_ALSO_PREFIX`'s words (ſ is a long s).
_SEE_ALSO_INITIALS = frozenset("sSrR\u017f")
_NOTE_ID = re.compile(r"^(fn|footnote|note|ftn|_ftn|en|endnote|edn|_edn)[-_:]?\w*$", re.IGNORECASE)
_NOTEREF_HREF = re.compile(r"^#(fn|footnote|note|ftn|_ftn|en|endnote|edn|_edn)", re.IGNORECASE)
# Runs of ASCII whitespace and NBSP that collapse to one space: every run but a lone space, which is
# left alone rather than matched and written back (a paragraph has hundreds).
_SPACE_RUN = re.compile(r"[\t\n\r\f\u00a0][ \t\n\r\f\u00a0]*| [ \t\n\r\f\u00a0]+")
_SPACE_CHARS = " \t\n\r\f\u00a0"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# C0 controls but tab, line feed, form feed and carriage return, and the noncharacters U+FFFE and
# U+FFFF: libxml2 refuses them (NUL ends the document), and they are not text.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")
# In UTF-8, bytes below 0x20 stand only for those controls, and 0xF0-0xF4 open the characters beyond
# U+FFFF: a text whose UTF-8 has none of these bytes has nothing to remove and fits in UTF-16 units.
_NOT_BMP_TEXT_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0xF0, 0xF5)])
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ScholarlyArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "TechArticle",
        "Report",
        "WebPage",
        "MedicalScholarlyArticle",
        "SocialMediaPosting",
    }
)


# ---------------------------------------------------------------- reading


def read_html(data: bytes, options: ReadOptions) -> Draft:
    """Read an HTML or XHTML page; FormatError only when the bytes are not text at all."""
    declared = options.charset or _declared_charset(data)
    decoded = decode(data, declared=declared)
    warnings = list(decoded.warnings)
    repairs = dict(decoded.repairs)
    root = _parse_document(data, decoded.text, warnings)
    if root is None:
        return Draft([], decoded.encoding, warnings=[*warnings, "empty HTML document"], repairs=repairs)
    flattened = limit_depth(root)
    if flattened:
        warnings.append(f"markup nested deeper than {MAX_DEPTH} levels: {flattened} subtree(s) kept as plain text")
    meta = html_metadata(root)
    base = _base_url(root, meta)
    # The main element is chosen once for the blocks and the article dates: the walk only marks
    # elements as boilerplate, which does not change the choice.
    body = _body(root)
    try:
        measure = page_measure(body)
        main = choose_main(body, measure)
        blocks = _tree_to_blocks(body, main, base, True, measure)
    except RecursionError as exc:
        raise FormatError("HTML nesting too deep to read") from exc
    _add_page_dates(meta, root, body, main, decoded.text, blocks)
    info: dict[str, Any] = {}
    if root.get("dir") in ("rtl", "ltr"):
        info["dir"] = root.get("dir")
    return Draft(blocks, decoded.encoding, meta=meta, info=info, warnings=warnings, repairs=repairs)


def _add_page_dates(
    meta: dict[str, Any],
    root: etree._Element,
    body: etree._Element,
    main: etree._Element | None,
    text: str,
    blocks: list[DraftBlock],
) -> None:
    """Where the head declares no publication date: the dates of the page's elements, then the day in
    its own address."""
    dates: list[list[str]] = list(meta.get("dates") or [])
    url_date = _url_date(meta.get("urls") or [])
    if _has_published(dates):
        meta["dates"] = _local_first(dates, url_date or _site_day(dates, meta.get("urls") or []))
        return
    dates.extend(_article_dates(root, (body, main)).get("dates", []))
    if url_date is not None:
        dates.append(url_date)
    if dates:
        meta["dates"] = _dedupe(dates)
    if not _has_published(dates):
        # Guesses, for metadata to take only where the text's own bylines and labels date nothing.
        fallback = [[written, "published"]] if (written := _written_date(blocks)) is not None else []
        found = _htmldate(text, (meta.get("urls") or [None])[0])
        if found is not None:
            fallback.append([found, "published"])
        if fallback:
            meta["fallback_dates"] = fallback


_UTC = re.compile(r"T(\d\d):\d\d(?::\d{1,2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$")
_OFFSET = re.compile(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-](?!00:?00)\d\d:?\d\d$")


def _local_first(dates: list[list[str]], url_date: list[str] | None) -> list[list[str]]:
    """A publication time in UTC (`Z`, `+00:00`) is often the server's conversion of a local time, and
    near midnight its day can be the day after or before the one the article was published on. Where
    the page also gives the time with its own offset, or its address holds the day, that local day
    comes first."""
    published = [d for d in dates if d[1] == "published"]
    utc = _UTC.search(published[0][0].strip()) if published else None
    if utc is None or 8 <= int(utc.group(1)) < 16:
        return dates  # far enough from midnight that the day is the same in nearly every time zone
    local = next((d for d in published if _OFFSET.search(d[0].strip())), None)
    better = local or url_date
    if better is None or better[0][:10] == published[0][0].strip()[:10]:
        return dates
    return _dedupe([better, *dates])


def _written_date(blocks: list[DraftBlock]) -> str | None:
    """The text of the first short line of the article (a header's "today" date is chrome) that is a
    date and nothing else but a weekday or a time: "28.04.2020", "۱۲ تیر ۱۳۹۹", "٢٥ رمضان ١٤٤١ هـ",
    read in every calendar `parse_date` knows."""
    for block in [b for b in blocks if b.type != "boilerplate"][:60]:
        text = block.text
        if 6 <= len(text) <= 60 and any(c.isdigit() for c in text):
            value = parse_date(text, lang=block.lang)
            if value is not None and value.iso and len(value.iso) >= 10:
                return text
    return None


def _has_published(dates: list[list[str]]) -> bool:
    """Whether one of the dates is a publication date that reads as a date (`content="{{date}}"` does not)."""
    return any(role == "published" and (parse_date(value) is not None or find_dates(value)) for value, role in dates)


def _htmldate(text: str, url: str | None) -> str | None:
    """htmldate's reading of a page that declares no date: it weighs the dates written in the text
    ("28.04.2020", "3 March 2020", in many languages) against each other, which measured best on real
    news pages (bench/webpages.py). Asked only here, where every declared signal is missing."""
    try:
        from htmldate import find_date
    except ImportError:  # an optional helper: without it such a page has no date
        return None
    try:
        found = find_date(text, url=url, extensive_search=True, original_date=True)
    except Exception:  # a third-party failure on a hostile page is no date, never a failed record
        return None
    return found if isinstance(found, str) and found else None


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.match(head.lstrip(b"\xef\xbb\xbf")) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _parse_document(data: bytes, text: str, warnings: list[str]) -> etree._Element | None:
    """XHTML is parsed as XML when it is well-formed (namespaces, no entity expansion), else as HTML.
    Either way the tree comes back as `normalize_tree` leaves it. An HTML-parsed tree is that already
    (lxml's HTML parser drops comments and processing instructions as asked, expands or keeps as text
    every entity reference and knows no namespaces), and is spared its three passes."""
    if _XML_DECL.match(text) or 'xmlns="http://www.w3.org/1999/xhtml"' in text[:2048]:
        try:
            root = parse_xml(data, what="XHTML")
        except FormatError:
            warnings.append("XHTML is not well-formed; parsed as HTML")
        else:
            dropped = normalize_tree(root)
            if dropped:
                warnings.append(f"{dropped} unknown entity reference(s) not expanded")
            return root
    return parse_html_text(text)


def parse_html_text(text: str) -> etree._Element | None:
    """Parse HTML text with lxml's forgiving parser; None for a document with no elements."""
    text = _XML_DECL.sub("", text, count=1)
    markup = _clean_utf8(text)
    if markup is None:
        text = _NOT_TEXT.sub("", text)
    if not text.strip():
        return None
    # Without huge_tree libxml2 silently drops text nested deeper than 256 elements; HTML has no entity
    # expansion to fear, memory stays linear in the input, and limit_depth() flattens what is too deep.
    # lxml.html's parser builds the same tree but looks up a Python element class each time an element
    # proxy is made; plain elements are all the reader needs, and the walk makes thousands of proxies.
    parser = etree.HTMLParser(
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        encoding=None if markup is None else "utf-8",
    )
    try:
        root = etree.fromstring(text if markup is None else markup, parser)
        if root is not None and _AT_PARSER_DEPTH_CAP(root):
            # libxml2 (2.14 and later) stops building the tree about 2,048 levels down, even with
            # huge_tree, and silently drops the text below: the markup is made shallow first.
            root = etree.fromstring(_shallow_markup(text, MAX_DEPTH), parser)
        return root
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


_PARSER_DEPTH_CAP = 2000
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                            "source", "track", "wbr"})


def _shallow_markup(text: str, limit: int) -> str:
    """The markup with every tag deeper than `limit` replaced by a space, its text kept in place: what
    limit_depth() would make of the tree, for a tree too deep for the parser to build."""
    out: list[str] = []
    depth = last = 0
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            keep = depth <= limit
            depth = max(0, depth - 1)
        elif name in _VOID_ELEMENTS or match.group(0).endswith("/>"):
            keep = depth < limit
        else:
            depth += 1
            keep = depth <= limit
        if not keep:
            out.append(text[last:match.start()])
            out.append(" ")
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def _clean_utf8(text: str) -> bytes | None:
    """The text as UTF-8 where libxml2 builds the same tree from these bytes as from the string, which
    lxml hands it as UTF-16 (or Latin-1) for most pages: one conversion fewer, and a byte deletion
    pass finds that there is no character to remove, instead of a regex over every character.

    None, for the string to be cleaned and parsed as it is, when the text holds a character to
    remove, a lone surrogate (not encodable), a character beyond U+FFFF (lxml then passes UCS-4,
    which libxml2 reads differently in places: it keeps a second leading U+FEFF), or an XML
    declaration left after the first (lxml refuses a string declaring an encoding)."""
    if "\ufffe" in text or "\uffff" in text or text.startswith("<?xml"):
        return None
    try:
        markup = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return markup if len(markup.translate(None, _NOT_BMP_TEXT_BYTES)) == len(markup) else None


def normalize_tree(root: etree._Element) -> int:
    """Make XML-parsed XHTML look like HTML-parsed HTML: plain tag names, comments and processing
    instructions gone, entity references replaced. Returns how many entity references were dropped."""
    dropped = replace_entity_refs(root)
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        replace_with_text(node, "")
    if not _HAS_NAMESPACED(root):
        return dropped  # HTML-parsed pages never have namespaces: no element to rename
    for el in _elements(root):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith("{"):
            el.tag = etree.QName(el).localname
    return dropped


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    """Every element, depth first. Holding the ancestors' proxies lets lxml free each element's proxy
    in constant time; root.iter() or a plain stack walk free them at a cost proportional to their
    depth, which makes a page nested 100 000 deep take minutes."""
    yield root
    stack: list[tuple[etree._Element, Iterator[etree._Element]]] = [(root, iter(root))]
    while stack:
        child = next(stack[-1][1], None)
        if child is None:
            stack.pop()
            continue
        yield child
        stack.append((child, iter(child)))


# Whether any element has a namespace (its tag is then "{uri}name"); evaluated in C, without a proxy
# per element. XPath evaluators lock around each evaluation, so one compiled expression is thread-safe.
_HAS_NAMESPACED = etree.XPath("boolean(descendant-or-self::*[namespace-uri() != ''])")


@lru_cache(maxsize=8)
def _deep_element(depth: int) -> etree.XPath:
    """Whether any element lies `depth` levels below the context element (an XPath of `depth` steps)."""
    return etree.XPath("boolean(" + "/".join(["*"] * depth) + ")") if depth > 0 else etree.XPath("true()")


_AT_PARSER_DEPTH_CAP = _deep_element(_PARSER_DEPTH_CAP)


def _ancestor_totals(
    elements: Iterable[etree._Element], amount: Callable[[etree._Element], int]
) -> dict[etree._Element, int]:
    """Each element's `amount` added to it and to every ancestor, in one pass over `elements`."""
    totals: dict[etree._Element, int] = {}
    for el in elements:
        value = amount(el)
        if value:
            for node in (el, *el.iterancestors()):
                totals[node] = totals.get(node, 0) + value
    return totals


def limit_depth(root: etree._Element, max_depth: int | None = None) -> int:
    """Replace subtrees deeper than `max_depth` by their text, so walking the tree cannot exhaust the
    stack (hostile or broken pages nest thousands of levels). Returns how many subtrees were flattened."""
    limit = MAX_DEPTH if max_depth is None else max_depth
    if not _deep_element(limit)(root):
        return 0  # nothing as deep as the limit: the walk below would find nothing to flatten
    flattened = 0
    stack: list[tuple[etree._Element, int]] = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth >= limit and len(el):
            text = "".join(t for t in el.itertext() if isinstance(t, str))
            for child in list(el):
                el.remove(child)
            el.text = text
            flattened += 1
            continue
        stack.extend((child, depth + 1) for child in el)
    return flattened


class _Attributes(Protocol):
    """An element's attributes as the reader asks for them: the element itself, or a dict of them."""

    def get(self, key: str, /) -> str | None: ...


def _attribute_dict(el: etree._Element) -> dict[str, str] | None:
    """The attributes an element carries, read at once; None for an element without any (most).
    Each `el.get` parses the name and searches the element's attributes again, about 2,500
    instructions, and the walk asks about a dozen names of every element that has attributes."""
    items = el.items()
    return cast("dict[str, str]", dict(items)) if items else None


def _carried_attributes(el: etree._Element) -> etree._Element | None:
    """The element to ask for its attributes, None for one that carries none."""
    return el if el.keys() else None


def _itself(el: etree._Element) -> etree._Element:
    """The element to ask for its attributes, DTD defaults included, whether it carries any or not."""
    return el


def _from_html_parser(el: etree._Element) -> bool:
    """Whether lxml's HTML parser built the element's tree. Its elements' attributes are only those
    they carry, so `_attribute_dict` answers as `get` does. An internal DTD subset of an XML tree may
    declare default values, which `get` reports although the element does not carry them."""
    return isinstance(el.getroottree().parser, etree.HTMLParser)


_OPS_TYPE = f"{{{OPS_NS}}}type"
_XML_LANG = f"{{{XML_NS}}}lang"


def _epub_type(attributes: _Attributes) -> str:
    """`epub:type`, whichever parser read the chapter (XML keeps the namespace, HTML the prefix)."""
    return (attributes.get(_OPS_TYPE) or attributes.get("epub:type") or "").lower()


def _lang_attr(attributes: _Attributes) -> str:
    return (attributes.get("lang") or attributes.get(_XML_LANG) or attributes.get("xml:lang") or "").strip()


def _first_descendant(el: etree._Element, tag: str) -> etree._Element | None:
    """`el.find(".//" + tag)` without the path language: lxml parses and caches the path, then asks
    the same iterator, at twice the cost."""
    return next(el.iterdescendants(tag), None)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


# ---------------------------------------------------------------- blocks


class _Ctx:
    """What the walk knows about the text at a point of the tree. Contexts are shared between
    elements (a child that changes nothing gets its parent's), so one is never changed in place:
    `but` makes a copy. A plain class rather than a frozen dataclass: the walk makes thousands."""

    __slots__ = ("block_type", "marks", "href", "lang", "dir", "chrome", "outside", "pre")

    def __init__(
        self,
        block_type: str = "paragraph",
        marks: tuple[str, ...] = (),
        href: str | None = None,
        lang: str | None = None,
        dir: str | None = None,  # noqa: A002 - the HTML attribute's name
        chrome: bool = False,
        outside: bool = False,
        pre: bool = False,
    ) -> None:
        self.block_type = block_type
        self.marks = marks
        self.href = href
        self.lang = lang
        self.dir = dir
        self.chrome = chrome  # navigation, comments, share boxes…: boilerplate wherever it is
        self.outside = outside  # outside the main content container
        self.pre = pre

    def but(self, **changes: Any) -> _Ctx:
        """The same context when nothing changes, else a copy with `changes`."""
        for name, value in changes.items():
            if getattr(self, name) != value:
                break
        else:
            return self
        new = _Ctx(self.block_type, self.marks, self.href, self.lang, self.dir, self.chrome, self.outside, self.pre)
        for name, value in changes.items():
            setattr(new, name, value)
        return new

    def plain(self) -> _Ctx:
        """Without inline marks or link, as a new block starts."""
        return self if not self.marks and self.href is None else self.but(marks=(), href=None)


# A run of text waiting for its block: text, marks, href, lang, and whether its whitespace is kept as is.
_Piece = tuple[str, tuple[str, ...], "str | None", "str | None", bool]

_MAIN, _TITLE, _NOTES, _REST = 0, -1, 1, 2


class _Builder:
    """Walks a tree once, cutting inline runs into blocks at block-level element boundaries."""

    def __init__(
        self,
        base_url: str | None,
        main: etree._Element | None,
        detect: bool,
        attributes_of: Callable[[etree._Element], _Attributes | None],
    ) -> None:
        self.base_url = base_url
        self.main = main
        self.detect = detect
        # Reads an element's attributes, None when it carries none: then nothing about it can be
        # declared (language, direction, note, boilerplate class), and most elements stop there.
        self.attributes_of = attributes_of
        self.main_path: set[etree._Element] = set()
        # Main and everything inside it, found once: asking each element for its ancestors costs a
        # walk up the tree per element.
        self.main_tree: set[etree._Element] = set()
        if main is not None:
            self.main_path = {main, *main.iterancestors()}
            self.main_tree = set(main.iter())
        self.blocks: list[tuple[int, DraftBlock]] = []
        self.title_candidate: int | None = None
        self.pending: list[_Piece] = []
        self.pending_ctx = _Ctx()
        self.pending_level: int | None = None
        self.pending_label: str | None = None
        self.flat = 0
        # The page's lengths, where the walk marks boilerplate: a layout wrapper is never chrome.
        self.measure: _Measure | None = None

    def flush(self) -> None:
        pending = self.pending
        ctx, level, label = self.pending_ctx, self.pending_level, self.pending_label
        self.pending = []
        self.pending_level = self.pending_label = None
        if len(pending) > 1 and _blank(pending):
            return  # a single piece is as cheap to tidy as to test
        inlines = _tidy(pending)
        if not inlines:
            return
        for inline in inlines:
            if inline.lang == ctx.lang:
                inline.lang = None
        block_type = ctx.block_type
        rank = _MAIN
        if ctx.chrome or (ctx.outside and block_type != "note"):
            headline = ctx.outside and not ctx.chrome and block_type == "heading" and level == 1
            if headline and self.title_candidate is None:
                self.title_candidate = len(self.blocks)
            block_type, rank = "boilerplate", _REST
        elif ctx.outside:
            rank = _NOTES
        if block_type != "heading":
            level = None
        self.blocks.append((rank, DraftBlock(block_type, inlines, level, label, ctx.lang, ctx.dir)))

    def start(self, ctx: _Ctx, level: int | None = None, label: str | None = None) -> None:
        if self.flat:
            # Inside a table cell block boundaries are only word boundaries.
            self.pending.append((" ", (), None, None, False))
            return
        if label is None and ctx.block_type == "note" and not any(piece[0].strip() for piece in self.pending):
            label = self.pending_label  # a note's number passes to its first paragraph
        if self.pending:
            self.flush()
        self.pending_ctx = ctx
        self.pending_level = level
        self.pending_label = label

    def add_text(self, text: str | None, ctx: _Ctx) -> None:
        if text:
            self.pending.append((text, ctx.marks, ctx.href, ctx.lang, ctx.pre))

    def walk(self, el: etree._Element, outer: _Ctx) -> None:
        tag = _tag(el)
        if tag and tag not in _SKIP:
            self._element(el, tag, outer)
        if el.tail:
            self.add_text(el.tail, outer)

    def _element(self, el: etree._Element, tag: str, outer: _Ctx) -> None:
        attributes = self.attributes_of(el)
        ctx = outer if attributes is None else self._inherit(attributes, outer)
        note = attributes is not None and _is_note(attributes, tag)
        if self.detect:
            ctx = self._place(el, tag, ctx, attributes, note)
        if note:
            assert attributes is not None  # a note is known by its attributes
            inner = ctx.but(block_type="note", marks=(), href=None, chrome=False)
            self.start(inner, label=_note_label(attributes))
            self._children(el, inner)
            self.start(outer.plain())
        elif tag == "br":
            self.pending.append(("\n", ctx.marks, ctx.href, ctx.lang, True))
        elif tag == "table" and _is_data_table(el):
            self._table(el, ctx)
            self.start(outer.plain())
        elif tag in _BLOCKS:
            self._block(el, tag, ctx)
            self.start(outer.plain())
        else:
            self._inline(el, tag, ctx, attributes)

    def _place(
        self, el: etree._Element, tag: str, ctx: _Ctx, attributes: _Attributes | None, note: bool
    ) -> _Ctx:
        """Mark the context as outside the main content, or as chrome, where the element is."""
        if el is self.main:
            ctx = ctx.but(outside=False)
        elif self.main is not None and not ctx.outside and el not in self.main_path and el not in self.main_tree:
            ctx = ctx.but(outside=True)
        # Without attributes only a chrome tag can make an element chrome: most elements stop here.
        maybe = attributes is not None or tag == "header" or tag in _BOILERPLATE_TAGS
        if not ctx.chrome and (
            (maybe and self._is_chrome(el, tag, attributes, note))
            or (tag in _LINK_LISTS and el is not self.main and el in self.main_tree and self._links(el))
        ):
            ctx = ctx.but(chrome=True)
        return ctx

    def _links(self, el: etree._Element) -> bool:
        """Whether an element inside the article is mostly link text: a list of related stories, a
        teaser's headline, a share bar, an author's profile link."""
        measure = self.measure
        if measure is None:
            return False
        length = measure.text_len(el)
        if not length or measure.link_len(el) < _LINK_SHARE * length:
            return False
        if _tag(el) in _LINK_LISTS_SHORT and length > 150:
            return False  # a sentence written as one long link is still the article's sentence
        # Links that show their own address are a list of sources, not navigation.
        addresses = sum(1 for a in el.iter("a") if _text(a).lstrip().startswith(("http://", "https://", "www.")))
        return addresses * 2 < sum(1 for _ in el.iter("a"))

    def _children(self, el: etree._Element, ctx: _Ctx) -> None:
        text = el.text
        if text and (self.pending or ctx.pre or text.strip(_SPACE_CHARS)):  # as for a tail, below
            self.pending.append((text, ctx.marks, ctx.href, ctx.lang, ctx.pre))
        for child in el:
            # walk(), inlined: this loop runs for every element of the page.
            tag = child.tag
            if isinstance(tag, str):
                tag = tag.lower()
                if tag and tag not in _SKIP:
                    self._element(child, tag, ctx)
            tail = child.tail
            # Whitespace opening a block is trimmed anyway; mostly it is the line break after the
            # block just closed, and leaving it out spares a flush.
            if tail and (self.pending or ctx.pre or tail.strip(_SPACE_CHARS)):
                self.pending.append((tail, ctx.marks, ctx.href, ctx.lang, ctx.pre))

    def _block(self, el: etree._Element, tag: str, ctx: _Ctx) -> None:
        level = _HEADINGS.get(tag)
        kind = _BLOCK_TYPE_OF.get(tag)
        if kind is not None:
            inner = ctx.but(marks=(), href=None, block_type=kind)
        elif tag == "pre":
            inner = ctx.but(marks=(), href=None, pre=True)
        elif tag == "p" and ctx.block_type in ("heading", "caption"):
            inner = ctx.but(marks=(), href=None, block_type="paragraph")
        else:
            inner = ctx.plain()
        if self.detect and not inner.chrome:
            if level is not None and _SEE_ALSO.match(_text(el)):
                self._mark_section_chrome(el, level)
                inner = inner.but(chrome=True)
            elif tag == "p" and _opens_with_see_also(el):
                inner = inner.but(chrome=True)
        self.start(inner, level=level)
        self._children(el, inner)

    def _mark_section_chrome(self, heading: etree._Element, level: int) -> None:
        """A "See also"/"Related"/"Comments" heading makes the rest of its section boilerplate."""
        for sibling in heading.itersiblings():
            sibling_level = _HEADINGS.get(_tag(sibling))
            if sibling_level is not None and sibling_level <= level:
                break
            if isinstance(sibling.tag, str):
                sibling.set("data-archive-boilerplate", "1")

    def _inline(self, el: etree._Element, tag: str, ctx: _Ctx, attributes: _Attributes | None) -> None:
        inner = ctx
        if tag in _EMPHASIS:
            inner = ctx.but(marks=_add(ctx.marks, "emphasis"))
        elif tag in _STRONG:
            inner = ctx.but(marks=_add(ctx.marks, "strong"))
        elif tag in _CODE:
            inner = ctx.but(marks=_add(ctx.marks, "code"))
        elif tag == "a" and attributes is not None:  # a link is known by its attributes
            href = (attributes.get("href") or "").strip()
            if _is_noteref(el, attributes, href):
                inner = ctx.but(marks=_add(ctx.marks, "noteref"), href=href)
            elif href and not href.lower().startswith(("javascript:", "data:")):
                inner = ctx.but(marks=_add(ctx.marks, "link"), href=self._resolve(href))
        elif tag == "q":
            rtl = is_rtl_language(ctx.lang)
            opening, closing = ("«", "»") if rtl else ("\u201c", "\u201d")
            self.add_text(opening, ctx)
            self._children(el, inner)
            self.add_text(closing, ctx)
            return
        self._children(el, inner)

    def _table(self, table: etree._Element, ctx: _Ctx) -> None:
        """A data table becomes one paragraph per row, cells joined by " | "."""
        base = ctx.but(marks=(), href=None, block_type="paragraph")
        for child in table:
            if _tag(child) == "caption":
                self.walk(child, ctx)
        for row in _rows(table):
            row_ctx = self._inherit(row, base)
            self.start(row_ctx)
            first = True
            for cell in row:
                if _tag(cell) not in ("td", "th"):
                    continue
                if not first:
                    self.pending.append((" | ", (), None, None, True))
                first = False
                self.flat += 1
                try:
                    self._children(cell, self._inherit(cell, row_ctx))
                finally:
                    self.flat -= 1
            self.start(base)

    def _inherit(self, attributes: _Attributes, ctx: _Ctx) -> _Ctx:
        lang = _lang_attr(attributes)
        direction = (attributes.get("dir") or "").strip().lower()
        if lang or direction in ("rtl", "ltr"):
            return ctx.but(lang=lang or ctx.lang, dir=direction if direction in ("rtl", "ltr") else ctx.dir)
        return ctx

    def _is_chrome(self, el: etree._Element, tag: str, attributes: _Attributes | None, note: bool) -> bool:
        if attributes is not None and attributes.get("data-archive-boilerplate"):
            return True
        if el in self.main_path or tag in ("body", "html") or note:
            return False
        if tag == "header":
            return self.main is not None and el not in self.main_tree
        if attributes is not None and _hidden(attributes):
            return True
        if not (tag in _BOILERPLATE_TAGS or (attributes is not None and _chrome_names(attributes))):
            return False
        return self.measure is None or not self.measure.wrapper(el)

    def _resolve(self, href: str) -> str:
        if self.base_url and not href.startswith("#"):
            try:
                return urljoin(self.base_url, href)
            except ValueError:
                return href
        return href


def html_tree_to_blocks(
    root: etree._Element, *, base_url: str | None = None, boilerplate: bool = True
) -> list[DraftBlock]:
    """Blocks of an HTML tree (already passed through the reader's normalization).

    With `boilerplate` on (web pages), the main content container is chosen by a density rule and
    its blocks come first; notes outside it follow; every other text follows as `boilerplate` blocks
    in document order. With it off (EPUB chapters), blocks stay in document order as they are.
    """
    body = _body(root)
    if not boilerplate:
        return _tree_to_blocks(body, None, base_url, False)
    measure = page_measure(body)
    return _tree_to_blocks(body, choose_main(body, measure), base_url, True, measure)


def _body(root: etree._Element) -> etree._Element:
    body = root if _tag(root) == "body" else _first_descendant(root, "body")
    return root if body is None else body


def _tree_to_blocks(
    body: etree._Element,
    main: etree._Element | None,
    base_url: str | None,
    boilerplate: bool,
    measure: _Measure | None = None,
) -> list[DraftBlock]:
    builder = _Builder(base_url, main, boilerplate, _attribute_dict if _from_html_parser(body) else _carried_attributes)
    builder.measure = measure
    outer = _Ctx()
    for el in (*reversed(list(body.iterancestors())), body):
        outer = builder._inherit(el, outer)
    builder._children(body, outer)
    builder.flush()
    ranked = builder.blocks
    has_title = any(rank == _MAIN and b.type == "heading" and b.level == 1 for rank, b in ranked)
    if builder.title_candidate is not None and not has_title:
        # Pages often put the article's h1 above the article element.
        _, block = ranked[builder.title_candidate]
        ranked[builder.title_candidate] = (_TITLE, replace(block, type="heading", level=1))
    return [block for _, block in sorted(ranked, key=lambda pair: pair[0])]


def _add(marks: tuple[str, ...], mark: str) -> tuple[str, ...]:
    return marks if mark in marks else (*marks, mark)


def _blank(pieces: list[_Piece]) -> bool:
    """Whether `_tidy(pieces)` is empty for want of anything but the whitespace it trims (the line
    breaks between inline elements of an otherwise empty block), answered without tidying."""
    for text, _marks, _href, _lang, keep in pieces:
        if text.strip(" \n\t" if keep else _SPACE_CHARS):
            break
    else:
        return True
    return False


def _tidy(pieces: list[_Piece]) -> list[Inline]:
    """Collapse ASCII whitespace and NBSP (never ZWNJ/ZWJ), trim the block, merge equal neighbours."""
    if len(pieces) == 1:  # most blocks: what the loop below comes to for a single piece
        text, marks, href, lang, keep = pieces[0]
        text = (text if keep else _collapse(text)).strip(" \n\t")
        return [Inline(text, marks, href, lang)] if text else []
    out: list[Inline] = []
    at_break = True
    for text, marks, href, lang, preserve in pieces:
        if not preserve:
            text = _collapse(text)
            if at_break and text.startswith(" "):
                text = text[1:]
        if text == "\n" and out:
            out[-1].text = out[-1].text.rstrip(" ")
        if not text:
            continue
        at_break = text.endswith((" ", "\n"))
        last = out[-1] if out else None
        if last is not None and last.marks == marks and last.href == href and last.lang == lang:
            last.text += text
        else:
            out.append(Inline(text, marks, href, lang))
    while out and not out[-1].text.strip(" \n\t"):
        out.pop()
    if out:
        out[-1].text = out[-1].text.rstrip(" \n\t")
    while out and not out[0].text.strip(" \n\t"):
        out.pop(0)
    if out:
        out[0].text = out[0].text.lstrip(" \n\t")
    return [i for i in out if i.text]


def _is_data_table(table: etree._Element) -> bool:
    """Old sites lay whole pages out in tables; only tables whose cells hold inline text are data."""
    for cell in table.iter("td", "th"):
        for inner in cell.iter():
            if _tag(inner) in ("p", "div", "table", "ul", "ol", "blockquote", "h1", "h2", "h3", "section"):
                return False
    return True


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for row in table.iter("tr"):
        owner = next((a for a in row.iterancestors() if _tag(a) == "table"), None)
        if owner is table:
            yield row


def _is_note(attributes: _Attributes, tag: str) -> bool:
    role = attributes.get("role")
    if role and role.lower() in ("doc-footnote", "doc-endnote"):
        return True
    epub_type = _epub_type(attributes)
    if epub_type and not {"footnote", "endnote", "rearnote"}.isdisjoint(epub_type.split()):
        return True
    classes = attributes.get("class")
    if classes and not {"footnote", "endnote"}.isdisjoint(classes.lower().split()):
        return True
    return tag == "li" and bool(_NOTE_ID.match(attributes.get("id") or ""))


def _note_label(attributes: _Attributes) -> str | None:
    digits = re.findall(r"\d+", attributes.get("id") or "")
    return digits[-1] if digits else (attributes.get("id") or None)


def _is_noteref(el: etree._Element, attributes: _Attributes, href: str) -> bool:
    if not href.startswith("#"):
        return False
    if (attributes.get("role") or "").lower() == "doc-noteref" or "noteref" in _epub_type(attributes):
        return True
    classes = (attributes.get("class") or "").lower()
    if "footnote-ref" in classes or "noteref" in classes or "fnref" in classes:
        return True
    parent = el.getparent()
    inside_sup = (parent is not None and _tag(parent) == "sup") or any(_tag(c) == "sup" for c in el)
    return inside_sup and bool(_NOTEREF_HREF.match(href))


# ---------------------------------------------------------------- main content


def _text(el: etree._Element) -> str:
    """All the text inside `el` (its tail excluded), joined by libxml2: the same as joining
    `el.itertext()`, without a Python string per text node. An element without children (most
    paragraphs, links and headings) holds only its `text`, which is cheaper to ask for than a
    serialization."""
    if not len(el):
        return el.text or ""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _opens_with_see_also(el: etree._Element) -> bool:
    """`_SEE_ALSO_PREFIX` on the element's text. The pattern reads past the leading space at most nine
    characters, then up to the next one that is not a space: when the element's first text run gets
    that far, it decides alone, and the paragraph's whole text need not be gathered. Before that, its
    first letter alone answers most paragraphs: the pattern's words start with an s or an r. A
    paragraph opening with an inline element (<em>, <a>, <time>) has its first text run there."""
    head = (el.text or "").lstrip()
    if not head and len(el) and isinstance(el[0].tag, str):
        head = (el[0].text or "").lstrip()
    if head and head[0] not in _SEE_ALSO_INITIALS:
        return False
    if not head[9:].strip():
        head = _text(el)
    return _SEE_ALSO_PREFIX.match(head) is not None


def _collapse(text: str) -> str:
    """Each run of ASCII whitespace and NBSP as one space (never ZWNJ/ZWJ). Text whose only whitespace
    is single spaces, most runs of a page, is returned at once; each substring test is a memchr over
    the text's buffer, which costs less than one regex pass, or `isprintable`, over its characters."""
    if (
        "\n" not in text
        and "  " not in text
        and "\t" not in text
        and "\r" not in text
        and "\f" not in text
        and "\u00a0" not in text
    ):
        return text
    if not text.strip(_SPACE_CHARS):
        return " " if text else ""  # the whitespace between blocks
    return _SPACE_RUN.sub(" ", text)


def _text_len(el: etree._Element) -> int:
    return len(_collapse(_text(el)).strip())


def _link_len(el: etree._Element) -> int:
    return sum(_text_len(a) for a in el.iter("a"))


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden(attributes: _Attributes) -> bool:
    """Whether a browser would not show the element: schema.org properties written out for robots,
    duplicated image data, templates for scripts. Kept, as boilerplate."""
    if attributes.get("hidden") is not None or (attributes.get("aria-hidden") or "").lower() == "true":
        return True
    style = attributes.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _chrome_names(attributes: _Attributes) -> bool:
    """Whether the element's id or class names a kind of chrome ("sidebar", "share-buttons"…), and no
    other of its names says it is the content ("box article modal-enabled", "page-content
    and-w-sidebar"): a name that says both ("sidebar-content") is chrome."""
    ident, classes = attributes.get("id"), attributes.get("class")
    if not ident and not classes:
        return False
    names = f"{ident or ''} {classes or ''}"
    if _BOILERPLATE_WORDS.search(names) is None:
        return False
    if _CONTENT_WORDS.search(names) is None:
        return True
    return not any(_CONTENT_WORDS.search(n) and not _BOILERPLATE_WORDS.search(n) for n in names.split())


_PARAGRAPHS = ("p", "pre", "blockquote", "li", "td")


def _own_text(el: etree._Element) -> str:
    """The text written directly in `el` and in its inline children, not in its block children nor in
    its links (a <div> of links is a list of teasers, not a paragraph)."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag.lower() not in _BLOCKS and tag.lower() not in _SKIP and tag.lower() != "a":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lists_posts(el: etree._Element) -> bool:
    """An <article> holding two or more <article>s is a list of posts ("you may also like"), not one."""
    if _tag(el) != "article":
        return False
    inner = el.iterdescendants("article")
    return next(inner, None) is not None and next(inner, None) is not None


def page_measure(body: etree._Element) -> _Measure:
    """The lengths and chrome verdicts of a page, shared by the choice of its main element and the walk."""
    return _Measure(body, _attribute_dict if _from_html_parser(body) else _itself)


def choose_main(body: etree._Element, measure: _Measure | None = None) -> etree._Element | None:
    """The element holding the article: a semantic container (article, main, role=main,
    itemprop=articleBody) with real paragraph text, else the element whose paragraphs carry the most
    text with the fewest links; then the innermost element inside it that still holds its prose.
    Paragraphs inside chrome do not count, but a chrome-named element holding half the page's prose
    is a layout wrapper (`_Measure.wrapper`), and an <article> of <article>s is a list of posts.
    Choices measured on real pages with bench/webpages.py."""
    measure = measure or page_measure(body)
    scores: dict[etree._Element, float] = {}
    for p in body.iter(*_PARAGRAPHS, "div"):
        value = float(measure.paragraph_value(p))
        if not value or measure.in_chrome(p):
            continue
        # Text written in a <div> is a paragraph (Blogger writes posts as text and <br>).
        value *= 1.0 if p.tag in ("p", "div") else 0.5
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + value
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + value / 2
    density_best = max(scores, key=lambda e: scores[e]) if scores else None
    best_score = scores.get(density_best, 0.0) if density_best is not None else 0.0

    candidates = []
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        attributes = measure.attributes_of(el)
        if (
            tag.lower() in ("article", "main")
            or (
                attributes is not None
                and ((attributes.get("role") or "").lower() == "main" or attributes.get("itemprop") == "articleBody")
            )
        ) and not measure.in_chrome(el) and not _lists_posts(el):
            candidates.append(el)
    if candidates:
        paragraph_totals: dict[etree._Element, int] = {}

        def paragraph_text(el: etree._Element) -> int:
            total = paragraph_totals.get(el)
            if total is None:
                total = sum(
                    measure.text_len(p) - measure.link_len(p)
                    for p in el.iter("p", "pre", "blockquote", "li")
                    if not measure.in_chrome(p)
                )
                paragraph_totals[el] = total
            return total

        ranked = sorted(candidates, key=paragraph_text, reverse=True)
        top = ranked[0]
        if paragraph_text(top) >= 0.3 * best_score and paragraph_text(top) > 0:
            # An <article> inside <main> is the tighter choice when it holds nearly all of main's text.
            for other in ranked[1:]:
                if top not in set(other.iterancestors()):
                    continue
                if paragraph_text(other) >= _ARTICLE_SHARE * paragraph_text(top) and _tag(other) == "article":
                    top = other
            return _tighten(top, measure)
    if density_best is None or density_best is body:
        return None
    return _tighten(density_best, measure)


# Measured on the article benchmark (bench/webpages.py): 0.7 to 0.85 score alike; 0.95 keeps headlines and bylines.
_TIGHTEN_SHARE = 0.8
_ARTICLE_SHARE = 0.7  # an <article> inside <main> holding this share of its text is the article


def _tighten(main: etree._Element, measure: _Measure) -> etree._Element:
    """The innermost element under `main` that still holds nearly all of its prose. A page's <article>
    or <main> also holds the headline, the byline, share bars and "most popular" teasers; the element
    the article's paragraphs are written in holds the text alone. Never a single paragraph."""
    node = main
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        kept = [c for c in children if not measure.in_chrome(c)]
        total = measure.prose(node) - sum(measure.prose(c) for c in children if c not in kept)
        if total <= 0:
            return node
        best = max(kept, key=measure.prose, default=None)
        if best is None or _tag(best) in ("p", "pre", "blockquote"):
            return node
        most = measure.prose(best)
        # Nearly all the prose, or most of it beside short pieces only (a dek, a caption, a byline).
        if most < _TIGHTEN_SHARE * total and (
            most < 0.5 * total or any(measure.prose(c) > 0.1 * most for c in kept if c is not best)
        ):
            return node
        node = best


class _Measure:
    """Text lengths and chrome verdicts of one tree, each computed once: choosing the main element asks
    for the same paragraphs and ancestors many times over, and the tree does not change meanwhile."""

    def __init__(self, tree: etree._Element, attributes_of: Callable[[etree._Element], _Attributes | None]) -> None:
        self.tree = tree
        # Reads an element's attributes; None only where every attribute would be None.
        self.attributes_of = attributes_of
        # Keyed by the element proxies themselves: holding them keeps lxml from recycling their ids.
        self._lengths: dict[etree._Element, int] = {}
        self._links: dict[etree._Element, int] | None = None
        self._chrome: dict[etree._Element, bool] = {}
        self._prose: dict[etree._Element, int] | None = None

    def text_len(self, el: etree._Element) -> int:
        length = self._lengths.get(el)
        if length is None:
            length = self._lengths[el] = _text_len(el)
        return length

    def link_len(self, el: etree._Element) -> int:
        """`_link_len` of an element of the tree."""
        if self._links is None:
            self._links = self._link_lengths()
        return self._links.get(el, 0)

    def _link_lengths(self) -> dict[etree._Element, int]:
        """The text length of the links inside each element of the tree (itself included), found in
        one pass: each link's length goes to the link and each of its ancestors. Looking for links
        inside each paragraph instead sets up an lxml iterator per paragraph, about 9,000
        instructions each."""
        return _ancestor_totals(self.tree.iter("a"), self.text_len)

    def prose(self, el: etree._Element) -> int:
        """Characters of paragraph text outside links inside `el`: how much of the page's prose it holds."""
        if self._prose is None:
            self._prose = self._prose_totals()
        return self._prose.get(el, 0)

    def _prose_totals(self) -> dict[etree._Element, int]:
        """`prose` of every element, found in one pass: each paragraph's own text goes to it and to each
        of its ancestors. A <div> counts the text written directly in it (Blogger posts are text and
        <br>, with no <p>)."""
        return _ancestor_totals(self.tree.iter(*_PARAGRAPHS, "div"), self.paragraph_value)

    def paragraph_value(self, p: etree._Element) -> int:
        """Text outside links of a paragraph-like element (0 under 25 characters: a label, a button);
        for a <div>, only the text written directly in it and its inline children."""
        if p.tag == "div":
            length = len(_collapse(_own_text(p)).strip())
            return length if length >= 25 else 0
        length = self.text_len(p)
        if length < 25:
            return 0
        return max(0, length - self.link_len(p))

    def wrapper(self, el: etree._Element) -> bool:
        """Whether `el` holds half the prose of the page or more: a layout wrapper, whatever its class
        says. Themes name the element that wraps the whole article `content-sidebar-wrap`,
        `elementor-widget-container`, `Page-ad-margins` or `widget Blog`, and ASP.NET pages put
        everything in one <form>; a real sidebar, menu or cookie notice never holds most of the text."""
        total = self.prose(self.tree)
        if not total or 2 * self.prose(el) < total or _tag(el) in _NEVER_WRAPPER_TAGS:
            return False
        attributes = self.attributes_of(el)
        if attributes is None:
            return True
        return _NEVER_WRAPPER_WORDS.search(f"{attributes.get('id') or ''} {attributes.get('class') or ''}") is None

    def in_chrome(self, el: etree._Element) -> bool:
        """Whether the element or any ancestor is chrome by its tag or its names, layout wrappers apart."""
        pending: list[etree._Element] = []
        node: etree._Element | None = el
        verdict = False
        while node is not None:
            known = self._chrome.get(node)
            if known is not None:
                verdict = known
                break
            pending.append(node)
            tag = node.tag
            tag = tag.lower() if isinstance(tag, str) else ""
            if (
                tag not in ("body", "html")
                and (tag in _BOILERPLATE_TAGS or self._chrome_names(node))
                and not self.wrapper(node)
            ):
                verdict = True  # chrome by tag or name, unless it wraps most of the text
                break
            node = node.getparent()
        for seen in pending:
            self._chrome[seen] = verdict
        return verdict

    def _chrome_names(self, el: etree._Element) -> bool:
        attributes = self.attributes_of(el)
        return attributes is not None and _chrome_names(attributes)


# ---------------------------------------------------------------- metadata


def _base_url(root: etree._Element, meta: dict[str, Any]) -> str | None:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href.startswith(("http://", "https://")):
            return href
    urls = meta.get("urls") or []
    return urls[0] if urls else None


def _dedupe(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _clean(value: str | None) -> str:
    return _collapse(value or "").strip()


def html_metadata(root: etree._Element) -> dict[str, Any]:
    """What the page declares about itself, in Draft.meta keys.

    Besides the keys of Draft.meta, `affiliations` is a list parallel to `authors` (None where a
    citation_author has no citation_author_institution), and `citation` may carry `doi`.
    """
    pairs: list[tuple[str, str]] = []
    for el in root.iter("meta"):
        content = _clean(el.get("content"))
        if not content:
            continue
        # One element can be keyed three ways at once (`itemprop="datePublished" name="pubdate"`).
        keys = (el.get("property"), el.get("name"), el.get("itemprop"), el.get("http-equiv"))
        for key in _dedupe((k or "").strip().lower() for k in keys):
            pairs.append((key, content))
    first: dict[str, str] = {}
    values: dict[str, list[str]] = {}  # every value of each key, in document order
    for key, value in pairs:
        first.setdefault(key, value)
        values.setdefault(key, []).append(value)

    def every(key: str) -> list[str]:
        return values.get(key, [])

    ld = _json_ld_articles(root)
    meta: dict[str, Any] = {}
    title_el = _first_descendant(root, "title")
    page_title = _clean(_text(title_el)) if title_el is not None else ""
    title = (
        first.get("citation_title")
        or _ld_str(ld, "headline")
        or first.get("og:title")
        or first.get("dc.title")
        or first.get("twitter:title")
        or page_title
    )
    if title:
        meta["title"] = title
    if page_title:
        meta["page_title"] = page_title

    authors: list[str] = []
    affiliations: list[str | None] = []
    for key, value in pairs:
        if key == "citation_author":
            authors.append(value)
            affiliations.append(None)
        elif key == "citation_author_institution" and authors:
            previous = affiliations[-1]
            affiliations[-1] = f"{previous}; {value}" if previous else value
    if not authors:
        authors = _dedupe(
            [
                *every("dc.creator"),
                *_ld_people(ld, "author"),
                *every("author"),
                *[a for a in every("article:author") if not a.startswith(("http://", "https://"))],
            ]
        )
        affiliations = []
    if not authors:
        authors = _author_elements(root)
    authors = _people_only(
        authors, first.get("og:site_name"), first.get("application-name"), first.get("dc.publisher"),
        _ld_publisher(ld), first.get("twitter:site"),
    )
    if authors:
        meta["authors"] = authors
    if any(affiliations):
        meta["affiliations"] = affiliations

    dates = [[value, role] for key, role in _DATE_KEYS for value in every(key)]
    dates.extend(_json_ld_dates(root, ld))
    if dates:
        meta["dates"] = _dedupe(dates)

    lang = (
        root.get("lang")
        or _lang_attr(root)
        or first.get("dc.language")
        or _ld_str(ld, "inLanguage")
        or first.get("og:locale", "").replace("_", "-")
        or ""
    ).strip()
    if lang:
        meta["lang"] = lang
    publisher = first.get("dc.publisher") or first.get("citation_publisher") or _ld_publisher(ld)
    if publisher:
        meta["publisher"] = publisher
    site = first.get("og:site_name") or first.get("application-name")
    if site:
        meta["site"] = site
    urls = _dedupe(
        [
            first.get("og:url"),
            *(_link_hrefs(root, "canonical")),
            first.get("citation_abstract_html_url"),
            first.get("citation_fulltext_html_url"),
            first.get("citation_pdf_url"),
            _ld_str(ld, "url"),
        ]
    )
    doi = _doi(first.get("citation_doi") or first.get("dc.identifier") or "")
    if doi:
        urls.append(f"https://doi.org/{doi}")
    if urls:
        meta["urls"] = _dedupe(urls)

    keywords: list[str] = []
    for key in ("citation_keywords", "keywords", "news_keywords", "article:tag", "dc.subject"):
        for value in every(key):
            keywords.extend(k.strip() for k in re.split(r"[;,،؛]", value))
    for obj in ld:
        declared = obj.get("keywords")
        if isinstance(declared, str):
            keywords.extend(k.strip() for k in re.split(r"[;,،؛]", declared))
        elif isinstance(declared, list):
            keywords.extend(str(k).strip() for k in declared if isinstance(k, str | int))
    if keywords:
        meta["keywords"] = _dedupe(keywords)

    abstract = first.get("citation_abstract") or first.get("dc.description.abstract")
    if abstract:
        meta["abstract"] = abstract
    description = (
        first.get("og:description")
        or first.get("description")
        or first.get("dc.description")
        or _ld_str(ld, "description")
    )
    if description:
        meta["description"] = description
    license_url = _link_hrefs(root, "license")
    license_text = first.get("dc.rights") or (license_url[0] if license_url else None)
    if license_text:
        meta["license"] = license_text

    citation: dict[str, str] = {}
    for key, field_name in (
        ("citation_journal_title", "journal"),
        ("citation_conference_title", "journal"),
        ("citation_volume", "volume"),
        ("citation_issue", "issue"),
    ):
        if first.get(key):
            citation.setdefault(field_name, first[key])
    pages = "-".join(p for p in (first.get("citation_firstpage"), first.get("citation_lastpage")) if p)
    if pages:
        citation["pages"] = pages
    year = re.search(
        r"\b(1[5-9]\d\d|20\d\d)\b",
        first.get("citation_publication_date") or first.get("citation_date") or first.get("citation_year") or "",
    )
    if year and citation:
        citation["year"] = year.group(1)
    if citation and doi:
        citation["doi"] = doi
    if citation and urls:
        citation["url"] = urls[0]
    if citation:
        meta["citation"] = citation
    return meta


# Meta keys (property, name, itemprop or http-equiv, lower case) that date a page, best first.
_DATE_KEYS = (
    *(
        (key, "published")
        for key in (
            "citation_publication_date", "citation_date", "citation_online_date", "article:published_time",
            "article:published", "og:published_time", "og:article:published_time", "datepublished",
            "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created",
            "datecreated", "pubdate", "publishdate", "publish-date", "publish_date", "published_time",
            "published-date", "article.published", "article_date_original", "original-publish-date",
            "parsely-pub-date", "sailthru.date", "date", "uploaddate", "date_published", "article.created",
        )
    ),
    *(
        (key, "updated")
        for key in ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                    "dcterms.modified", "last-modified", "article.updated", "lastmod")
    ),
)
# A script that is not typed JSON-LD but holds schema.org data (some sites leave the type out).
_LD_HINT = re.compile(r'"(?:datePublished|dateCreated|uploadDate|dateModified)"\s*:\s*"([^"]{6,40})"')


def _json_ld_dates(root: etree._Element, ld: list[dict[str, Any]]) -> list[list[str]]:
    """Dates of the page's schema.org data: of its article objects first, then `datePublished` of any
    object, in typed JSON-LD or in a script that holds it without the type (found by its keys)."""
    dates: list[list[str]] = []
    for obj in ld:
        for key, role in (("datePublished", "published"), ("dateCreated", "published"), ("dateModified", "updated")):
            if isinstance(obj.get(key), str) and obj[key].strip():
                dates.append([obj[key].strip(), role])
    for script in root.iter("script"):
        raw = script.text or ""
        if "date" not in raw or len(raw) > 2_000_000:
            continue
        for match in _LD_HINT.finditer(raw):
            role = "updated" if "Modified" in match.group(0) else "published"
            dates.append([match.group(1).strip(), role])
    return dates


# UTC offsets (hours) of countries whose web domain names one time zone, for the local day of a
# publication time a server wrote in UTC. Countries spanning several zones (us, ca, ru, br, au…) and
# generic domains are left out: there the day cannot be told.
_DOMAIN_OFFSET: dict[str, float] = {
    "uk": 0, "ie": 0, "pt": 0, "is": 0, "ma": 1, "ng": 1, "de": 1, "fr": 1, "it": 1, "es": 1, "nl": 1,
    "be": 1, "ch": 1, "at": 1, "se": 1, "no": 1, "dk": 1, "pl": 1, "cz": 1, "hu": 1, "rs": 1, "hr": 1,
    "gr": 2, "ro": 2, "bg": 2, "fi": 2, "ua": 2, "il": 2, "eg": 2, "za": 2, "lb": 2, "jo": 3, "tr": 3,
    "sa": 3, "iq": 3, "qa": 3, "kw": 3, "ke": 3, "by": 3, "ir": 3.5, "ae": 4, "om": 4, "az": 4, "ge": 4,
    "am": 4, "af": 4.5, "pk": 5, "uz": 5, "in": 5.5, "lk": 5.5, "np": 5.75, "bd": 6, "th": 7, "vn": 7,
    "sg": 8, "my": 8, "ph": 8, "cn": 8, "hk": 8, "tw": 8, "jp": 9, "kr": 9, "nz": 12,
}


def _site_day(dates: list[list[str]], urls: Iterable[str]) -> list[str] | None:
    """The local day of a UTC publication time, where the page's address names a country of one time
    zone (`.it`, `.pk`, `.ir`): a time stamped `Z` near midnight is often the next or the previous day
    where the article was published."""
    published = [d for d in dates if d[1] == "published"]
    if not published:
        return None
    utc = _UTC_TIME.search(published[0][0].strip())
    for url in urls:
        host = urlsplit(url or "").hostname or ""
        offset = _DOMAIN_OFFSET.get(host.rsplit(".", 1)[-1]) if "." in host else None
        if utc is not None and offset is not None:
            year, month, day, hour, minute = (int(g) for g in utc.groups())
            try:
                moment = datetime(year, month, day, hour, minute) + timedelta(hours=offset)
            except ValueError:
                return None
            return [moment.strftime("%Y-%m-%d"), "published"]
    return None


_UTC_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::\d{1,2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$")


def _url_date(urls: Iterable[str]) -> list[str] | None:
    """The day written in the page's own address (`/2020/03/08/`, `/2020-03-08-`, `/20200308`), which
    news sites set when the article is published."""
    for url in urls:
        match = _URL_DATE.search(url or "")
        if match:
            year, month, day = (int(g) for g in match.groups())
            if 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
                return [f"{year:04d}-{month:02d}-{day:02d}", "published"]
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


def _author_elements(root: etree._Element) -> list[str]:
    """Authors the page marks in its body: `rel="author"` links and `itemprop="author"` elements
    (their `itemprop="name"` part where they have one)."""
    names: list[str] = []
    for el in root.iter("a", "span", "div", "p", "address", "link"):
        rel = (el.get("rel") or "").lower().split()
        itemprop = (el.get("itemprop") or "").lower().split()
        if "author" not in rel and "author" not in itemprop:
            continue
        part = next((d for d in el.iter() if (d.get("itemprop") or "").lower() == "name"), None)
        text = _clean(part.get("content") or _text(part) if part is not None else _text(el))
        if 2 < len(text) <= 80:
            names.append(text)
    return _dedupe(names)[:6]


_CREDIT = re.compile(r"^\s*(?:developed|designed|powered|built|hosted|maintained|created)\s+by\b", re.IGNORECASE)


def _people_only(authors: list[str], *organisations: str | None) -> list[str]:
    """Authors without the site's or the publisher's own name and without site credits ("Developed by
    …"): a page's `author` meta often names the newsroom or the web agency, never a person."""
    known = {o.strip().lower().lstrip("@") for o in organisations if o and o.strip()}
    out = []
    for name in authors:
        plain = name.strip().lower().lstrip("@")
        if not plain or plain in known or _CREDIT.match(name) or "://" in name or plain.startswith("www."):
            continue
        out.append(name)
    return out


def _doi(value: str) -> str | None:
    match = re.search(r"\b(10\.\d{4,9}/\S+)", value)
    return match.group(1) if match else None


def _link_hrefs(root: etree._Element, rel: str) -> list[str]:
    return [
        (link.get("href") or "").strip()
        for link in root.iter("link")
        if rel in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip()
    ]


def _json_ld_articles(root: etree._Element) -> list[dict[str, Any]]:
    """Article-like JSON-LD objects, including those inside @graph, in document order."""
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower().strip() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        seen = 0
        while stack and seen < 1000:
            seen += 1
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if any(t in _ARTICLE_TYPES for t in _types(item)):
                    found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    # A page's WebPage object is a weaker source than its Article.
    found.sort(key=lambda o: "WebPage" in _types(o))
    return found


def _types(obj: dict[str, Any]) -> list[str]:
    types = obj.get("@type")
    return [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]


def _ld_str(objs: list[dict[str, Any]], key: str) -> str | None:
    for obj in objs:
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("name") or value.get("@value") or value.get("alternateName")
        if isinstance(value, list) and value and isinstance(value[0], str):
            value = value[0]
        if isinstance(value, str) and value.strip():
            return _clean(value)
    return None


def _ld_people(objs: list[dict[str, Any]], key: str) -> list[str]:
    for obj in objs:
        value = obj.get(key)
        items = value if isinstance(value, list) else [value]
        names = []
        for item in items:
            if isinstance(item, dict) and "Organization" in _types(item):
                continue  # a newsroom credited as author is the publisher, not a person
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(_clean(item["name"]))
            elif isinstance(item, str) and not item.startswith(("http://", "https://")):
                names.append(_clean(item))
        if names:
            return names
    return []


def _ld_publisher(objs: list[dict[str, Any]]) -> str | None:
    for obj in objs:
        publisher = obj.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return _clean(publisher["name"])
        if isinstance(publisher, str):
            return _clean(publisher)
    return None


def _article_dates(
    root: etree._Element, chosen_in: tuple[etree._Element, etree._Element | None] | None = None
) -> dict[str, Any]:
    """`<time datetime>` and `itemprop="datePublished"` elements, those inside the main content first,
    then anywhere on the page (the byline with the date often sits above the article element), never
    inside comments (a reader's comment date is not the article's)."""
    body = _first_descendant(root, "body")
    if body is None:
        return {}
    chosen = chosen_in[1] if chosen_in is not None and chosen_in[0] is body else None
    dates: list[list[str]] = []
    for scope in (chosen, body):
        if scope is None:
            continue
        for el in scope.iter("time", "span", "div", "p", "abbr", "meta", "li"):
            tag = el.tag
            itemprop = (el.get("itemprop") or "").lower()
            if tag == "time":
                value = (el.get("datetime") or "").strip()
            elif itemprop in ("datepublished", "datecreated", "datemodified"):
                value = (el.get("content") or el.get("datetime") or el.get("title") or _text(el)).strip()
            else:
                continue
            if not value or len(value) > 80 or _in_comments(el):
                continue
            hints = f"{itemprop} {el.get('class') or ''}".lower()
            role = "updated" if ("modified" in hints or "updated" in hints) else "published"
            dates.append([_collapse(value), role])
    return {"dates": _dedupe(dates)} if dates else {}


def _in_comments(el: etree._Element) -> bool:
    """Whether the element is inside comments, a footer or another box that never holds the article
    (`_NEVER_WRAPPER_WORDS`): a date there is a reader's comment or the site's copyright year."""
    for node in (el, *el.iterancestors()):
        names = f"{node.get('id') or ''} {node.get('class') or ''}"
        if names.strip() and _NEVER_WRAPPER_WORDS.search(names):
            return True
    return False
