"""EPUB books into a draft: the spine's chapters in reading order, through the HTML block builder.

The package is read with our own safe ZIP and XML helpers rather than a book library, so the rules for
hostile input (no entity expansion, no path traversal, no decompression bombs) are the same as for
every other container. Chapters are XHTML, so they become blocks exactly as web pages do, minus the
boilerplate detection: a book has no chrome, only its text.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..encoding import decode
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .html import html_tree_to_blocks, limit_depth, normalize_tree, parse_html_text
from .safe_xml import SafeZip, open_zip, parse_xml, zip_path

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
NS = {"opf": OPF, "dc": DC, "c": CONTAINER, "ncx": NCX}
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
_SPACE = re.compile(r"[ \t\n\r\f]+")


def read_epub(data: bytes, options: ReadOptions) -> Draft:
    """Read an EPUB 2 or 3 package; FormatError for a damaged, encrypted or hostile one."""
    with open_zip(data, what="EPUB package") as book:
        warnings: list[str] = []
        _check_encryption(book, warnings)
        if book.has("mimetype") and book.read("mimetype").strip() != b"application/epub+zip":
            warnings.append("EPUB mimetype member is not application/epub+zip")
        opf_path = _rootfile(book)
        package = parse_xml(book.read(opf_path), what=opf_path, forbid_entities=True)
        manifest = {item.get("id") or "": item for item in package.iterfind("opf:manifest/opf:item", NS)}
        spine = [
            ref.get("idref") or ""
            for ref in package.iterfind("opf:spine/opf:itemref", NS)
            if (ref.get("linear") or "yes") != "no"
        ]
        titles, nav_path = _navigation(book, package, manifest, opf_path, warnings)
        blocks: list[DraftBlock] = []
        for idref in spine:
            item = manifest.get(idref)
            if item is None or (item.get("media-type") or "") not in _HTML_TYPES:
                continue
            path = zip_path(opf_path, item.get("href") or "")
            if not book.has(path):
                warnings.append(f"spine item {path} is missing")
                continue
            chapter = _chapter_blocks(book.read(path), path, warnings)
            if path == nav_path:
                chapter = [DraftBlock("boilerplate", b.inlines, None, None, b.lang, b.dir) for b in chapter]
            elif titles.get(path) and not any(b.type == "heading" for b in chapter):
                lang, direction = (chapter[0].lang, chapter[0].dir) if chapter else (None, None)
                chapter.insert(0, DraftBlock("heading", [Inline(titles[path])], 1, None, lang, direction))
            blocks.extend(chapter)
        blocks.extend(_unlisted_navigation(book, nav_path, spine_paths(spine, manifest, opf_path), warnings))
        meta, info = _package_metadata(package)
    info.update({"spine": len(spine), "toc": [{"title": t, "href": h} for h, t in titles.items()]})
    if not blocks:
        warnings.append("EPUB has no readable chapters")
    return Draft(blocks, None, meta=meta, info=info, warnings=warnings)


# Font obfuscation (IDPF's and Adobe's) scrambles the first bytes of embedded fonts so they are not
# reused outside the book; it is not DRM: the text stays plain and a reader needs no key for it.
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding": "IDPF",
    "http://ns.adobe.com/pdf/enc#RC": "Adobe",
}
# Files that only a DRM scheme puts in META-INF, and the scheme each names.
_DRM_MARKERS = (
    ("META-INF/rights.xml", "Adobe ADEPT"),
    ("META-INF/license.lcpl", "Readium LCP"),
    ("META-INF/sinf.xml", "Apple FairPlay"),
)


def _check_encryption(book: SafeZip, warnings: list[str]) -> None:
    """Refuse an EPUB whose content is encrypted (naming the DRM scheme where known); let one whose only
    "encryption" is font obfuscation through, with a warning that says which fonts were obfuscated."""
    scheme = next((name for path, name in _DRM_MARKERS if book.has(path)), None)
    if not book.has("META-INF/encryption.xml"):
        if scheme == "Readium LCP":
            raise FormatError("EPUB is encrypted (DRM: Readium LCP)")
        return
    encryption = parse_xml(book.read("META-INF/encryption.xml"), what="encryption.xml", forbid_entities=True)
    obfuscated: list[str] = []
    encrypted: list[str] = []
    for data in encryption.iter("{*}EncryptedData"):
        method = data.find("{*}EncryptionMethod")
        algorithm = (method.get("Algorithm") or "").strip() if method is not None else ""
        reference = data.find(".//{*}CipherReference")
        uri = (reference.get("URI") or "") if reference is not None else ""
        (obfuscated if algorithm in _FONT_OBFUSCATION and _is_font(uri) else encrypted).append(uri or "?")
    if encrypted:
        raise FormatError(f"EPUB is encrypted (DRM{': ' + scheme if scheme else ''}; "
                          f"{len(encrypted)} encrypted file(s), e.g. {encrypted[0]})")
    if obfuscated:
        warnings.append(f"{len(obfuscated)} embedded font(s) obfuscated (font obfuscation, not DRM); "
                        "the text is read, the fonts are not needed")


_FONT_FILE = re.compile(r"\.(?:otf|ttf|woff2?|eot|pfb|svg)$", re.IGNORECASE)


def _is_font(uri: str) -> bool:
    """Whether an obfuscated file is a font: obfuscation of anything else would hide text."""
    return bool(_FONT_FILE.search(uri.split("#", 1)[0]))


def spine_paths(spine: list[str], manifest: dict[str, etree._Element], opf_path: str) -> set[str]:
    """ZIP paths of the spine's items."""
    return {zip_path(opf_path, manifest[i].get("href") or "") for i in spine if i in manifest}


def _unlisted_navigation(book: SafeZip, nav_path: str | None, spine: set[str], warnings: list[str]) -> list[DraftBlock]:
    """The navigation document when the spine leaves it out: its table of contents is kept as
    boilerplate (nothing in the package is lost), after the chapters."""
    if not nav_path or nav_path in spine or not book.has(nav_path):
        return []
    return [DraftBlock("boilerplate", b.inlines, None, None, b.lang, b.dir)
            for b in _chapter_blocks(book.read(nav_path), nav_path, warnings)]


def _rootfile(book: SafeZip) -> str:
    if book.has("META-INF/container.xml"):
        container = parse_xml(book.read("META-INF/container.xml"), what="container.xml", forbid_entities=True)
        rootfile = container.find(".//c:rootfile", NS)
        if rootfile is not None and rootfile.get("full-path"):
            return zip_path("", rootfile.get("full-path") or "")
    candidates = [n for n in book.names() if n.endswith(".opf")]
    if not candidates:
        raise FormatError("EPUB has no package document (.opf)")
    return candidates[0]


def _chapter_blocks(data: bytes, path: str, warnings: list[str]) -> list[DraftBlock]:
    try:
        root: etree._Element | None = parse_xml(data, what=path)
    except FormatError:
        warnings.append(f"{path} is not well-formed XHTML; parsed as HTML")
        root = parse_html_text(decode(data).text)
    if root is None:
        return []
    dropped = normalize_tree(root)
    if dropped:
        warnings.append(f"{path}: {dropped} unknown entity reference(s) not expanded")
    if limit_depth(root):
        warnings.append(f"{path}: markup nested too deeply; the deepest parts kept as plain text")
    try:
        return html_tree_to_blocks(root, boilerplate=False)
    except RecursionError as exc:
        raise FormatError(f"{path}: nesting too deep to read") from exc


def _navigation(
    book: SafeZip,
    package: etree._Element,
    manifest: dict[str, etree._Element],
    opf_path: str,
    warnings: list[str],
) -> tuple[dict[str, str], str | None]:
    """Chapter titles by chapter path, from the EPUB 3 navigation document or else the EPUB 2 NCX."""
    titles: dict[str, str] = {}
    nav_item = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
    nav_path = zip_path(opf_path, nav_item.get("href") or "") if nav_item is not None else None
    if nav_path and book.has(nav_path):
        try:
            nav = parse_xml(book.read(nav_path), what=nav_path)
        except FormatError as exc:
            warnings.append(str(exc))
        else:
            for toc in nav.iter("{*}nav"):
                if "toc" not in (toc.get("{http://www.idpf.org/2007/ops}type") or "toc").split():
                    continue
                for link in toc.iter("{*}a"):
                    target = zip_path(nav_path, link.get("href") or "")
                    title = _SPACE.sub(" ", "".join(str(t) for t in link.itertext())).strip()
                    if title:
                        titles.setdefault(target, title)
    if not titles:
        spine = package.find("opf:spine", NS)
        ncx_item = manifest.get(spine.get("toc") or "") if spine is not None else None
        ncx_path = zip_path(opf_path, ncx_item.get("href") or "") if ncx_item is not None else None
        if ncx_path and book.has(ncx_path):
            try:
                ncx = parse_xml(book.read(ncx_path), what=ncx_path, forbid_entities=True)
            except FormatError as exc:
                warnings.append(str(exc))
            else:
                for point in ncx.iter(f"{{{NCX}}}navPoint"):
                    label = point.find("ncx:navLabel/ncx:text", NS)
                    content = point.find("ncx:content", NS)
                    if label is not None and content is not None and label.text:
                        titles.setdefault(zip_path(ncx_path, content.get("src") or ""), label.text.strip())
    return titles, nav_path


def _package_metadata(package: etree._Element) -> tuple[dict[str, Any], dict[str, Any]]:
    metadata = package.find("opf:metadata", NS)
    meta: dict[str, Any] = {}
    info: dict[str, Any] = {"epub_version": package.get("version") or "unknown"}
    if metadata is None:
        return meta, info

    def values(name: str) -> list[etree._Element]:
        return [el for el in metadata.iterfind(f"dc:{name}", NS) if (el.text or "").strip()]

    def text(el: etree._Element) -> str:
        return _SPACE.sub(" ", el.text or "").strip()

    titles = values("title")
    if titles:
        meta["title"] = text(titles[0])
        if len(titles) > 1:
            meta["subtitle"] = text(titles[1])
    creators = values("creator")
    if creators:
        meta["authors"] = [text(c) for c in creators]
    dates: list[list[str]] = []
    for el in values("date"):
        event = (el.get(f"{{{OPF}}}event") or "published").lower()
        dates.append([text(el), "published" if event in ("publication", "published") else event])
    for el in metadata.iterfind("opf:meta", NS):
        if el.get("property") == "dcterms:modified" and (el.text or "").strip():
            dates.append([text(el), "updated"])
    if dates:
        meta["dates"] = dates
    languages = values("language")
    if languages:
        meta["lang"] = text(languages[0])
        info["languages"] = [text(el) for el in languages]
    for name, key in (("publisher", "publisher"), ("description", "description"), ("rights", "license")):
        found = values(name)
        if found:
            meta[key] = text(found[0])
    subjects = values("subject")
    if subjects:
        meta["keywords"] = [text(el) for el in subjects]
    identifiers = [text(el) for el in values("identifier")]
    if identifiers:
        info["identifiers"] = identifiers
        urls = [i for i in identifiers if i.startswith(("http://", "https://"))]
        if urls:
            meta["urls"] = urls
    return meta, info


__all__ = ["read_epub"]
