"""XHTML content documents of a reading pack: one chapter per record, the title page, the appendix.

Language and direction are carried by markup, never by style: a chapter's root states the record's
main language and direction, every block that differs says so with `lang`, `xml:lang` and `dir`, and
an inline run in another direction is its own element with `dir`, which reading systems isolate, so
the numbers and punctuation around a Persian phrase inside an English sentence stay where they belong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from lxml import etree

from ..errors import display_path
from ..inline import InlineNode, nest_spans
from ..langtags import direction_of_tag, language_name
from ..record import Block, Record, Span
from ..scripts import direction_of_script, main_script

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
NSMAP: dict[str | None, str] = {None: XHTML, "epub": OPS}
DOCTYPE = "<!DOCTYPE html>"

# The pack's own words (labels, headings) are English.
UI_LANG = "en"


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"\u00ab\u00bb\u201c\u201d]+")
_URL_TRAILING = ".,;:!?)]}'\u060c\u061b"
_EMAIL = re.compile(r"^[^@\s/:]+@[^@\s/]+\.[^@\s/]+$")
_LINK_SCHEMES = ("http", "https", "mailto", "ftp")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def clean(text: str) -> str:
    """Text safe for XML 1.0: the few characters it forbids are dropped rather than failing a pack."""
    return _ILLEGAL_XML.sub("", text)


def xml_id(raw: str) -> str:
    """A value usable as an XHTML id; records' block ids normally already are one."""
    if _NCNAME.match(raw):
        return raw
    return "b-" + re.sub(r"[^A-Za-z0-9_.\-]", "-", raw)


def safe_href(href: str | None) -> str | None:
    """A link target EPUBCheck accepts as a URL, or None when the text is no usable link.

    Characters a URL may not contain literally (spaces, non-ASCII) are percent-encoded; anything that
    is not a web or mail address (javascript:, relative paths into the original site) is not linked.
    """
    if not href:
        return None
    href = clean(href.strip())
    if _EMAIL.match(href):
        href = "mailto:" + href
    if href.startswith("www."):
        href = "http://" + href
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return None
    return quote(href, safe=_URL_SAFE)


def lang_dir(lang: str | None) -> str | None:
    """The direction a language tag implies, when the tag alone says it (e.g. `fa`, `ur-Arab`)."""
    return direction_of_tag(lang)


def record_title(record: Record) -> str:
    title = (record.metadata.title or "").strip()
    return clean(title or display_path(record.source.filename) or record.id)


def record_lang(record: Record) -> str:
    return record.main_language or "und"


def title_lang(record: Record) -> str:
    return record.metadata.title_lang or record_lang(record)


def title_dir(record: Record) -> str:
    """The title's direction: from its letters, since a title may differ from the text's language."""
    script = main_script(record_title(record))
    if script != "Zyyy":
        return direction_of_script(script)
    return lang_dir(title_lang(record)) or record.direction


# ---------------------------------------------------------------- element helpers


def el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """An XHTML element; `class_` stands for `class`."""
    name = f"{{{XHTML}}}{tag}"
    node = (
        etree.Element(name, nsmap=NSMAP)  # type: ignore[arg-type]
        if parent is None
        else etree.SubElement(parent, name)
    )
    for key, value in attrs.items():
        node.set("class" if key == "class_" else key, value)
    if text:
        node.text = clean(text)
    return node


def set_lang(node: etree._Element, lang: str) -> None:
    node.set("lang", lang)
    node.set(XML_LANG, lang)


def append_text(node: etree._Element, text: str) -> None:
    """Append character data after the node's last child (lxml keeps it in `.tail`)."""
    text = clean(text)
    if not text:
        return
    if len(node):
        last = node[-1]
        last.tail = (last.tail or "") + text
    else:
        node.text = (node.text or "") + text


def new_document(lang: str, direction: str, title: str, css_href: str, title_lang_: str) -> tuple[
    etree._Element, etree._Element
]:
    """An XHTML content document's skeleton: (html, body)."""
    html = el(None, "html")
    set_lang(html, lang)
    html.set("dir", direction)
    head = el(html, "head")
    el(head, "meta", charset="utf-8")
    title_el = el(head, "title", title)
    if title_lang_ != lang:
        set_lang(title_el, title_lang_)
    el(head, "link", rel="stylesheet", type="text/css", href=css_href)
    body = el(html, "body")
    return html, body


def serialize(html: etree._Element) -> bytes:
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype=DOCTYPE)


# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Context:
    """What a block is rendered inside: the language and direction already in force."""

    lang: str
    dir: str
    note_targets: dict[str, str]
    # Makes ids unique where several records share one document (the appendix).
    prefix: str = ""


def _autolinks(text: str, spans: list[Span]) -> list[Span]:
    """Spans plus links for bare URLs in the text that no link span already covers."""
    linked = [(s.start, s.end) for s in spans if s.kind == "link"]
    extra: list[Span] = []
    for m in _URL_IN_TEXT.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _URL_TRAILING:
            end -= 1
        if any(a < end and start < b for a, b in linked):
            continue
        extra.append(Span(start, end, "link", href=text[start:end]))
    return spans + extra if extra else spans


def render_inline(parent: etree._Element, text: str, spans: list[Span], ctx: Context) -> None:
    _render_node(parent, nest_spans(text, spans), ctx.lang, ctx.dir, ctx)


def _render_node(parent: etree._Element, node: InlineNode, lang: str, direction: str, ctx: Context) -> None:
    for child in node.children:
        if isinstance(child, str):
            append_text(parent, child)
            continue
        span = child.span
        assert span is not None
        target, inner_lang, inner_dir = _span_element(parent, span, child, lang, direction, ctx)
        _render_node(target, child, inner_lang, inner_dir, ctx)


def _span_element(
    parent: etree._Element, span: Span, node: InlineNode, lang: str, direction: str, ctx: Context
) -> tuple[etree._Element, str, str]:
    kind = span.kind
    if kind == "foreign":
        out = el(parent, "span", class_="foreign")
        span_lang = span.lang or lang
        span_dir = span.dir or lang_dir(span.lang) or direction
        if span_lang != lang:
            set_lang(out, span_lang)
        if span_dir != direction:
            out.set("dir", span_dir)
        return out, span_lang, span_dir
    if kind == "emphasis":
        return el(parent, "em"), lang, direction
    if kind == "strong":
        return el(parent, "strong"), lang, direction
    if kind == "code":
        return el(parent, "code"), lang, direction
    if kind == "link":
        href = safe_href(span.href)
        if href is None:
            return el(parent, "span", class_="link"), lang, direction
        return el(parent, "a", href=href), lang, direction
    if kind == "noteref":
        label = _label_key(_node_text(node))
        target = ctx.note_targets.get(label)
        if target:
            return el(parent, "a", class_="noteref", href="#" + target), lang, direction
        return el(parent, "sup", class_="noteref"), lang, direction
    if kind == "hemistich":
        return el(parent, "span", class_="hemistich"), lang, direction
    return el(parent, "span"), lang, direction


def _node_text(node: InlineNode) -> str:
    return "".join(c if isinstance(c, str) else _node_text(c) for c in node.children)


def _label_key(label: str) -> str:
    return label.strip().strip("[]()*.:").strip()


def _text_shows_label(block: Block) -> bool:
    """True when the text already opens with its label ("[1] …" for label "1"): showing it again
    would print the number twice."""
    first = block.text.lstrip().split(maxsplit=1)
    return bool(first) and _label_key(first[0]) == _label_key(block.label or "")


# ---------------------------------------------------------------- blocks


def block_lang_dir(block: Block, ctx: Context) -> tuple[str, str]:
    lang = block.lang or ctx.lang
    direction = block.dir or (direction_of_script(block.script) if block.script else None)
    return lang, direction or lang_dir(block.lang) or ctx.dir


def mark(node: etree._Element, lang: str, direction: str, ctx: Context) -> None:
    """State language and direction where they differ from the surroundings; rtl is always stated."""
    if lang != ctx.lang:
        set_lang(node, lang)
    if direction != ctx.dir or direction == "rtl":
        node.set("dir", direction)


def _clip(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans of one line of a verse, shifted to the line's own offsets."""
    out = []
    for s in spans:
        a, b = max(s.start, start), min(s.end, end)
        if a < b:
            out.append(replace(s, start=a - start, end=b - start))
    return out


def render_block(parent: etree._Element, block: Block, ctx: Context, heading_offset: int = 1) -> None:
    lang, direction = block_lang_dir(block, ctx)
    inner = Context(lang, direction, ctx.note_targets, ctx.prefix)
    kind = block.type
    bid = xml_id(ctx.prefix + block.id)
    if kind == "heading":
        level = min(6, max(1, (block.level or 1) + heading_offset))
        node = el(parent, f"h{level}", id=bid)
    elif kind == "verse":
        node = el(parent, "div", class_="verse", id=bid)
        mark(node, lang, direction, ctx)
        _render_verse(node, block, inner)
        return
    elif kind == "quote":
        outer = el(parent, "blockquote", id=bid)
        mark(outer, lang, direction, ctx)
        node = el(outer, "p")
        _render_text(node, block, inner)
        return
    elif kind == "note":
        node = el(parent, "aside", class_="note", id=bid)
        mark(node, lang, direction, ctx)
        para = el(node, "p")
        if block.label and not _text_shows_label(block):
            el(para, "span", block.label, class_="label")
            append_text(para, " ")
        _render_text(para, block, inner)
        return
    elif kind == "caption":
        node = el(parent, "p", class_="caption", id=bid)
    elif kind == "boilerplate":
        node = el(parent, "p", class_="boilerplate", id=bid)
    else:
        node = el(parent, "p", id=bid)
    mark(node, lang, direction, ctx)
    _render_text(node, block, inner)


def _render_text(node: etree._Element, block: Block, ctx: Context) -> None:
    spans = _autolinks(block.text, list(block.spans))
    render_inline(node, block.text, spans, ctx)


def _render_verse(node: etree._Element, block: Block, ctx: Context) -> None:
    spans = _autolinks(block.text, list(block.spans))
    stanza = el(node, "div", class_="stanza")
    offset = 0
    for line in block.text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            if len(stanza):
                stanza = el(node, "div", class_="stanza")
            continue
        line_spans = _clip(spans, start, end)
        bayt = sum(1 for s in line_spans if s.kind == "hemistich") > 1
        line_el = el(stanza, "p", class_="line bayt" if bayt else "line")
        render_inline(line_el, line, line_spans, ctx)
    if not len(stanza):
        node.remove(stanza)


def _render_list(parent: etree._Element, items: list[Block], ctx: Context, references: bool) -> None:
    langs = {block_lang_dir(b, ctx) for b in items}
    if len(langs) == 1:
        lang, direction = next(iter(langs))
    else:
        lang, direction = ctx.lang, ctx.dir
    labelled = any(b.label for b in items)
    if references:
        tag, cls = "ol", "references labelled" if labelled else "references"
    else:
        numeric = labelled and all((b.label or "").strip(".)").isdigit() for b in items)
        tag, cls = ("ol" if numeric else "ul"), "list"
    container = el(parent, tag, class_=cls)
    first = (items[0].label or "").strip(".)")
    if tag == "ol" and not references and first.isdigit() and first != "1":
        container.set("start", first)
    mark(container, lang, direction, ctx)
    inner = Context(lang, direction, ctx.note_targets, ctx.prefix)
    for block in items:
        item_lang, item_dir = block_lang_dir(block, inner)
        li = el(container, "li", id=xml_id(ctx.prefix + block.id))
        mark(li, item_lang, item_dir, inner)
        item_ctx = Context(item_lang, item_dir, ctx.note_targets, ctx.prefix)
        if references and block.label and not _text_shows_label(block):
            el(li, "span", block.label, class_="label")
            append_text(li, " ")
        _render_text(li, block, item_ctx)


def render_blocks(
    parent: etree._Element, blocks: Sequence[Block], ctx: Context, heading_offset: int = 1
) -> None:
    """Render blocks in order, gathering runs of list items and references into one list each."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.type in ("list_item", "reference"):
            j = i
            while j < len(blocks) and blocks[j].type == block.type:
                j += 1
            _render_list(parent, list(blocks[i:j]), ctx, references=block.type == "reference")
            i = j
            continue
        render_block(parent, block, ctx, heading_offset)
        i += 1


def note_targets(record: Record, prefix: str = "") -> dict[str, str]:
    """Labels of notes and references, so that a note reference like "[3]" can link to its target."""
    out: dict[str, str] = {}
    for block in record.blocks:
        if block.type in ("note", "reference") and block.label:
            out.setdefault(_label_key(block.label), xml_id(prefix + block.id))
    return out


# ---------------------------------------------------------------- chapter metadata


def _share(value: float) -> str:
    percent = value * 100 if value <= 1 else value
    return f"{percent:.0f}%"


def _value(parent: etree._Element, text: str, record: Record, ctx: Context) -> None:
    """A metadata value of unknown language: tagged by its letters and isolated, so a Persian author
    name in the English metadata list keeps its own direction."""
    text = clean(text)
    script = main_script(text)
    direction = direction_of_script(script) if script != "Zyyy" else ctx.dir
    if direction == ctx.dir:
        append_text(parent, text)
        return
    node = el(parent, "bdi", text)
    lang = _lang_for_dir(record, direction)
    if lang and lang != ctx.lang:
        set_lang(node, lang)
    node.set("dir", direction)


def _lang_for_dir(record: Record, direction: str) -> str | None:
    candidates = [record.main_language] + [share.tag for share in record.languages]
    for tag in candidates:
        if tag and lang_dir(tag) == direction:
            return tag
    return None


def _meta_row(dl: etree._Element, label: str) -> etree._Element:
    el(dl, "dt", label)
    return el(dl, "dd")


def render_record_header(parent: etree._Element, record: Record, ctx: Context) -> None:
    meta = record.metadata
    header = el(parent, "header", class_="record")
    h1 = el(header, "h1", record_title(record), id="record-title")
    mark(h1, title_lang(record), title_dir(record), ctx)
    if meta.subtitle:
        sub = el(header, "p", class_="subtitle")
        _value(sub, meta.subtitle, record, ctx)
    dl = el(header, "dl", class_="record-meta")
    ui = Context(UI_LANG, "ltr", ctx.note_targets, ctx.prefix)
    mark(dl, UI_LANG, "ltr", ctx)
    if meta.authors:
        dd = _meta_row(dl, "Authors" if len(meta.authors) > 1 else "Author")
        for n, person in enumerate(meta.authors):
            if n:
                append_text(dd, "; ")
            _value(dd, person.name, record, ui)
            if person.affiliation:
                append_text(dd, " (")
                _value(dd, person.affiliation, record, ui)
                append_text(dd, ")")
            if person.role and person.role != "author":
                append_text(dd, f", {person.role}")
    for date in meta.dates:
        dd = _meta_row(dl, f"Date ({date.role})" if date.role != "published" else "Date")
        el(dd, "time", date.iso, datetime=date.iso) if _is_iso_date(date.iso) else append_text(dd, date.iso)
        if date.original and date.original.strip() != date.iso:
            append_text(dd, " — ")
            _value(dd, date.original.strip(), record, ui)
            if date.calendar != "gregorian":
                append_text(dd, f" ({date.calendar})")
    if meta.publisher or meta.site:
        dd = _meta_row(dl, "Published by")
        _value(dd, "; ".join(x for x in (meta.publisher, meta.site) if x), record, ui)
    citation = meta.citation.text if meta.citation else None
    if citation:
        dd = _meta_row(dl, "Citation")
        _value(dd, citation, record, ui)
    dd = _meta_row(dl, "Source")
    _value(dd, display_path(record.source.filename), record, ui)
    append_text(dd, f" ({record.source.media_type}, sha256 {record.source.sha256[:16]}…)")
    urls = list(meta.urls) + ([meta.citation.url] if meta.citation and meta.citation.url else [])
    linkable = [(u, h) for u in dict.fromkeys(urls) if (h := safe_href(u))]
    if linkable:
        dd = _meta_row(dl, "URL" if len(linkable) == 1 else "URLs")
        for n, (url, href) in enumerate(linkable):
            if n:
                append_text(dd, " ")
            el(dd, "a", url, href=href)
    if record.languages:
        dd = _meta_row(dl, "Languages")
        for n, share in enumerate(record.languages):
            if n:
                append_text(dd, ", ")
            append_text(dd, f"{language_name(share.tag)} ({share.tag}) {_share(share.share)}")
    if meta.keywords:
        dd = _meta_row(dl, "Keywords")
        for n, word in enumerate(meta.keywords):
            if n:
                append_text(dd, ", ")
            _value(dd, word, record, ui)
    if meta.license:
        dd = _meta_row(dl, "Licence")
        _value(dd, meta.license, record, ui)


_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _is_iso_date(value: str) -> bool:
    return bool(_ISO_DATE.match(value))


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def reading_blocks(record: Record) -> list[Block]:
    """The chapter's text: boilerplate left out, and the heading that only repeats the title (the
    chapter header already shows it) dropped."""
    blocks = record.content_blocks()
    title = _normalized(record.metadata.title or "")
    for n, block in enumerate(blocks):
        if block.type == "heading" and title and _normalized(block.text) == title:
            return blocks[:n] + blocks[n + 1 :]
    return blocks


def chapter(record: Record, css_href: str) -> bytes:
    lang, direction = record_lang(record), record.direction
    html, body = new_document(lang, direction, record_title(record), css_href, title_lang(record))
    section = el(body, "section", id="record")
    section.set(EPUB_TYPE, "chapter")
    section.set("role", "doc-chapter")
    ctx = Context(lang, direction, note_targets(record))
    render_record_header(section, record, ctx)
    render_blocks(section, reading_blocks(record), ctx)
    return serialize(html)


# ---------------------------------------------------------------- title page, appendix


@dataclass(frozen=True, slots=True)
class Entry:
    """A record as the pack lists it: its chapter file, title, and the title's language and direction."""

    href: str
    title: str
    lang: str
    dir: str


def entry(record: Record, href: str) -> Entry:
    return Entry(href, record_title(record), title_lang(record), title_dir(record))


def entry_link(item: Entry) -> bytes:
    """A title-page or navigation list item linking to a record, both marked with the title's language.

    Made outside any namespace: spliced into a document whose default namespace is XHTML (see
    `splice_list`), it reads exactly as the same element made inside the document would."""
    holder = etree.Element("li")
    a = etree.SubElement(holder, "a", href=item.href)
    a.text = clean(item.title)
    for node in (holder, a):
        set_lang(node, item.lang)
        node.set("dir", item.dir)
    return etree.tostring(holder, encoding="utf-8")


_LIST_MARK = "archive:list"


def mark_list(parent: etree._Element) -> None:
    """Reserve the place of a long list in a document's skeleton, for `splice_list` to fill."""
    parent.append(etree.Comment(_LIST_MARK))


def splice_list(skeleton: bytes, items: Iterable[bytes]) -> bytes:
    """The serialized skeleton with its marked place filled by `items`, each serialized on its own."""
    return b"".join(splice_parts(skeleton, items))


def splice_parts(skeleton: bytes, items: Iterable[bytes]) -> Iterator[bytes]:
    """`splice_list` piece by piece: the skeleton before the marked place, each item, the rest.

    A pack of 20,000 records would otherwise hold four trees of 20,000 entries at its end (the title
    page, the navigation document, the package document and the NCX), or their serialized bytes;
    serialized one by one and written as they come, each entry is only bytes on their way to the ZIP.
    In a pretty-printed document the items take the marker's indentation."""
    before, after = skeleton.split(f"<!--{_LIST_MARK}-->".encode("ascii"))
    yield before
    line = before[before.rfind(b"\n") + 1:]
    if line.strip(b" "):
        yield from items
    else:
        joiner = b"\n" + line
        for n, item in enumerate(items):
            yield (joiner if n else b"") + item.rstrip(b"\n").replace(b"\n", joiner)
    yield after


def title_page(
    title: str, made: str, count: int, items: Iterable[Entry], css_href: str, title_lang_: str, title_dir_: str
) -> Iterator[bytes]:
    """The title page, in pieces (see `splice_parts`): `count` is the number of `items`, which only
    stream by once."""
    html, body = new_document(UI_LANG, "ltr", title, css_href, title_lang_)
    section = el(body, "section", id="titlepage")
    section.set(EPUB_TYPE, "titlepage")
    h1 = el(section, "h1", title)
    ctx = Context(UI_LANG, "ltr", {})
    mark(h1, title_lang_, title_dir_, ctx)
    made_p = el(section, "p", class_="made")
    append_text(made_p, "Made ")
    el(made_p, "time", made[:10], datetime=made)
    append_text(made_p, f" · {count} record{'s' if count != 1 else ''}")
    el(section, "h2", "Records")
    mark_list(el(section, "ol", class_="records"))
    return splice_parts(serialize(html), (entry_link(item) for item in items))


class Appendix:
    """Boilerplate of every record (comment forms, share buttons…), kept apart from the reading text.

    Built as the records go by, so a pack never has to keep its records for this page: only their
    boilerplate stays, rendered."""

    def __init__(self, css_href: str) -> None:
        self.html, body = new_document(UI_LANG, "ltr", "Appendix: boilerplate", css_href, UI_LANG)
        self.section = el(body, "section", id="appendix")
        self.section.set(EPUB_TYPE, "appendix")
        el(self.section, "h1", "Appendix: boilerplate")
        self.ctx = Context(UI_LANG, "ltr", {})
        self.parts = 0

    def __len__(self) -> int:
        return self.parts

    def add(self, record: Record, href: str) -> None:
        self.parts += 1
        n = self.parts
        part = el(self.section, "section", class_="boilerplate", id=f"appendix-{n}")
        lang, direction = record_lang(record), record.direction
        mark(part, lang, direction, self.ctx)
        prefix = f"a{n}-"
        inner = Context(lang, direction, note_targets(record, prefix), prefix)
        h2 = el(part, "h2")
        a = el(h2, "a", record_title(record), href=href)
        mark(a, title_lang(record), title_dir(record), inner)
        render_blocks(part, record.boilerplate_blocks(), inner, heading_offset=2)

    def to_bytes(self) -> bytes:
        return serialize(self.html)
