"""The package files of a reading pack: container.xml, content.opf, the navigation document and the NCX.

Everything here is a pure function of its arguments, so the same records always give the same bytes.
The documents that list every record come in pieces (see `splice_parts`) and take their lists as
iterables, so that a pack of 20,000 records streams its lists from where they are kept into the ZIP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from .epub_xhtml import (
    EPUB_TYPE,
    UI_LANG,
    XML_LANG,
    Entry,
    el,
    entry_link,
    mark_list,
    new_document,
    serialize,
    splice_parts,
)

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"


@dataclass(frozen=True, slots=True)
class Item:
    """One manifest item: its path inside OEBPS/, media type, and EPUB properties if any."""

    id: str
    href: str
    media_type: str
    properties: str | None = None
    in_spine: bool = False


@dataclass(frozen=True)
class Creator:
    name: str
    lang: str | None
    dir: str | None


@dataclass(frozen=True)
class PackageInfo:
    identifier: str
    title: str
    title_lang: str
    title_dir: str
    languages: Sequence[str]
    creators: Sequence[Creator]
    date: str | None
    modified: str
    rtl: bool
    description: str


def _root(namespace: str, tag: str, **attrs: str) -> etree._Element:
    """A root element whose namespace is the default one (no prefix), as reading systems expect."""
    nsmap = {None: namespace}
    return etree.Element(f"{{{namespace}}}{tag}", attrs, nsmap=nsmap)  # type: ignore[dict-item,arg-type]


def container_xml(opf_path: str) -> bytes:
    root = _root(CONTAINER, "container", version="1.0")
    rootfiles = etree.SubElement(root, f"{{{CONTAINER}}}rootfiles")
    attrs = {"full-path": opf_path, "media-type": "application/oebps-package+xml"}
    etree.SubElement(rootfiles, f"{{{CONTAINER}}}rootfile", attrs)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def content_opf(info: PackageInfo, items: Callable[[], Iterable[Item]], generator: str) -> Iterator[bytes]:
    """The package document in pieces; `items()` gives the manifest in order, once for the manifest
    and once more for the spine."""
    root = _root(OPF, "package", version="3.0", **{"unique-identifier": "pub-id"})
    root.set(XML_LANG, UI_LANG)
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(name: str, text: str, **attrs: str) -> etree._Element:
        node = etree.SubElement(metadata, f"{{{DC}}}{name}")
        node.text = text
        for key, value in attrs.items():
            node.set(key, value)
        return node

    def meta(prop: str, text: str, refines: str | None = None, **attrs: str) -> None:
        node = etree.SubElement(metadata, f"{{{OPF}}}meta", property=prop)
        if refines:
            node.set("refines", refines)
        for key, value in attrs.items():
            node.set(key, value)
        node.text = text

    dc("identifier", info.identifier, id="pub-id")
    title = dc("title", info.title, id="title")
    title.set(XML_LANG, info.title_lang)
    title.set("dir", info.title_dir)
    for lang in info.languages:
        dc("language", lang)
    for n, creator in enumerate(info.creators, 1):
        node = dc("creator", creator.name, id=f"creator{n}")
        if creator.lang:
            node.set(XML_LANG, creator.lang)
        if creator.dir:
            node.set("dir", creator.dir)
        meta("role", "aut", refines=f"#creator{n}", scheme="marc:relators")
    if info.date:
        dc("date", info.date)
    dc("description", info.description)
    meta("dcterms:modified", info.modified)
    etree.SubElement(metadata, f"{{{OPF}}}meta", name="generator", content=generator)

    mark_list(etree.SubElement(root, f"{{{OPF}}}manifest"))
    spine = etree.SubElement(root, f"{{{OPF}}}spine", toc="ncx")
    if info.rtl:
        spine.set("page-progression-direction", "rtl")
    mark_list(spine)
    skeleton = etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
    manifest_part, spine_part = skeleton.split(b"</manifest>")
    yield from splice_parts(manifest_part, (_manifest_item(item) for item in items()))
    yield b"</manifest>"
    yield from splice_parts(spine_part, (_spine_item(item) for item in items() if item.in_spine))


def _manifest_item(item: Item) -> bytes:
    """One manifest entry, outside any namespace: `splice_list` puts it where the OPF one is default."""
    node = etree.Element("item", id=item.id, href=item.href, attrib={"media-type": item.media_type})
    if item.properties:
        node.set("properties", item.properties)
    return etree.tostring(node, encoding="utf-8")


def _spine_item(item: Item) -> bytes:
    return etree.tostring(etree.Element("itemref", idref=item.id), encoding="utf-8")


def nav_xhtml(
    title: str, title_page: str, entries: Iterable[Entry], first: str | None, appendix: str | None, css_href: str
) -> Iterator[bytes]:
    """The EPUB 3 navigation document, in pieces: every record by its title, in that title's language
    and direction; `first` is the first record's chapter, where the text starts."""
    html, body = new_document(UI_LANG, "ltr", title, css_href, UI_LANG)
    nav = el(body, "nav", id="toc")
    nav.set(EPUB_TYPE, "toc")
    nav.set("role", "doc-toc")
    el(nav, "h1", "Contents")
    ol = el(nav, "ol")
    li = el(ol, "li")
    el(li, "a", "Title page", href=title_page)
    mark_list(ol)
    if appendix:
        li = el(ol, "li")
        el(li, "a", "Appendix: boilerplate", href=appendix)
    landmarks = el(body, "nav", id="landmarks", hidden="hidden")
    landmarks.set(EPUB_TYPE, "landmarks")
    el(landmarks, "h2", "Landmarks")
    lol = el(landmarks, "ol")
    for href, kind, label in (
        (title_page, "titlepage", "Title page"),
        (first or title_page, "bodymatter", "Start of text"),
    ):
        a = el(el(lol, "li"), "a", label, href=href)
        a.set(EPUB_TYPE, kind)
    return splice_parts(serialize(html), (entry_link(item) for item in entries))


def toc_ncx(
    info: PackageInfo, title_page: str, count: int, entries: Iterable[Entry], appendix: str | None
) -> Iterator[bytes]:
    """The EPUB 2 table of contents, in pieces, for reading systems that predate the navigation
    document; `count` is the number of `entries`, which only stream by once."""
    root = _root(NCX, "ncx", version="2005-1")
    root.set(XML_LANG, UI_LANG)
    head = etree.SubElement(root, f"{{{NCX}}}head")
    for name, content in (
        ("dtb:uid", info.identifier),
        ("dtb:depth", "1"),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{NCX}}}meta", name=name, content=content)
    doc_title = etree.SubElement(root, f"{{{NCX}}}docTitle")
    etree.SubElement(doc_title, f"{{{NCX}}}text").text = info.title
    nav_map = etree.SubElement(root, f"{{{NCX}}}navMap")
    _nav_point(nav_map, 1, title_page, "Title page", None, None)
    mark_list(nav_map)
    if appendix:
        _nav_point(nav_map, count + 2, appendix, "Appendix: boilerplate", None, None)
    skeleton = etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
    points = (etree.tostring(_nav_point(None, order, e.href, e.title, e.lang, e.dir), encoding="utf-8",
                             pretty_print=True) for order, e in enumerate(entries, 2))
    return splice_parts(skeleton, points)


def _nav_point(parent: etree._Element | None, order: int, href: str, label: str, lang: str | None,
               direction: str | None) -> etree._Element:
    """A navPoint; made without a parent it is outside any namespace, for `splice_list`."""
    def sub(node: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(node, f"{{{NCX}}}{tag}" if parent is not None else tag, attrs)

    attrs = {"id": f"nav{order}", "playOrder": str(order)}
    point = sub(parent, "navPoint", **attrs) if parent is not None else etree.Element("navPoint", attrs)
    nav_label = sub(point, "navLabel")
    if lang:
        nav_label.set(XML_LANG, lang)
    if direction:
        nav_label.set("dir", direction)
    sub(nav_label, "text").text = label
    sub(point, "content", src=href)
    return point
