"""Word documents (DOCX) into a draft, read straight from the package XML.

Reading the parts with our own safe parser (rather than through a document library) keeps one place
that decides what untrusted XML may do, and gives direct access to what matters for right-to-left
text: `w:bidi` paragraphs, `w:rtl` runs, and the `w:lang` attributes Word writes for complex-script
runs (`w:bidi="fa-IR"`), which name the language more reliably than any detector.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..langtags import is_rtl_language
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .safe_xml import SafeZip, open_zip, parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "rel": PKG_REL,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
# ISO/IEC 29500 Strict writes the same vocabulary under other namespaces; each is mapped onto its
# Transitional twin when a part is parsed, so one reader serves both conformance classes.
_STRICT_NAMESPACES = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": W,
    "http://purl.oclc.org/ooxml/officeDocument/relationships": R,
    "http://purl.oclc.org/ooxml/drawingml/main": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing":
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
_STRICT_MARK = b"purl.oclc.org/ooxml/"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RTL_TEXT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_FALSE = ("0", "false", "off", "none")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _on(el: etree._Element | None) -> bool:
    """Word toggles (`<w:b/>`, `<w:b w:val="0"/>`) are on unless their value says off."""
    return el is not None and (el.get(_w("val")) or "true").lower() not in _FALSE


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    numbered: bool = False
    bidi: bool = False
    bold: bool = False
    italic: bool = False


@dataclass
class _Doc:
    styles: dict[str, _Style] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    note_numbers: dict[tuple[str, str], str] = field(default_factory=dict)


def read_docx(data: bytes, options: ReadOptions) -> Draft:
    """Read a DOCX package; FormatError for a damaged, encrypted or hostile one."""
    try:
        return _read(data)
    except RecursionError as exc:
        raise FormatError("DOCX markup nested too deep to read") from exc


def _read(data: bytes) -> Draft:
    with open_zip(data, what="DOCX package") as package:
        if not package.has("word/document.xml"):
            raise FormatError("DOCX package has no word/document.xml")
        doc = _Doc(styles=_styles(package), links=_links(package))
        body = _part(package, "word/document.xml")
        body_el = body.find("w:body", NS)
        if body_el is None:
            raise FormatError("word/document.xml has no body (w:document/w:body in neither the Transitional "
                              "nor the Strict namespace)")
        blocks = _page_parts(package, doc, "header")
        blocks.extend(_container_blocks(body_el, doc))
        warnings: list[str] = []
        for part, kind in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
            if package.has(part):
                blocks.extend(_notes(package, part, kind, doc))
        blocks.extend(_comments(package, doc))
        blocks.extend(_page_parts(package, doc, "footer"))
        meta, info = _core_properties(package)
    if not blocks:
        warnings.append("DOCX document has no text")
    return Draft(blocks, None, meta=meta, info=info, warnings=warnings)


def _part(package: SafeZip, part: str) -> etree._Element:
    """A package part parsed safely, in Transitional namespaces whichever conformance class wrote it."""
    data = package.read(part)
    root = parse_xml(data, what=part, forbid_entities=True)
    if _STRICT_MARK in data:
        _to_transitional(root)
    return root


def _to_transitional(root: etree._Element) -> None:
    """Rename Strict-namespace elements and attributes to their Transitional names, in place."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el)
        if name.namespace in _STRICT_NAMESPACES:
            el.tag = f"{{{_STRICT_NAMESPACES[name.namespace]}}}{name.localname}"
        for key in [str(k) for k in el.attrib]:
            if key.startswith("{"):
                attr = etree.QName(key)
                if attr.namespace in _STRICT_NAMESPACES:
                    el.attrib[f"{{{_STRICT_NAMESPACES[attr.namespace]}}}{attr.localname}"] = el.attrib.pop(key)


def _styles(package: SafeZip) -> dict[str, _Style]:
    if not package.has("word/styles.xml"):
        return {}
    root = _part(package, "word/styles.xml")
    styles: dict[str, _Style] = {}
    for el in root.iterfind("w:style", NS):
        style_id = el.get(_w("styleId")) or ""
        name_el = el.find("w:name", NS)
        based = el.find("w:basedOn", NS)
        outline = el.find("w:pPr/w:outlineLvl", NS)
        styles[style_id] = _Style(
            name=(name_el.get(_w("val")) if name_el is not None else "") or style_id,
            based_on=based.get(_w("val")) if based is not None else None,
            outline=_int(outline.get(_w("val"))) if outline is not None else None,
            numbered=el.find("w:pPr/w:numPr", NS) is not None,
            bidi=_on(el.find("w:pPr/w:bidi", NS)),
            bold=_on(el.find("w:rPr/w:b", NS)),
            italic=_on(el.find("w:rPr/w:i", NS)),
        )
    return styles


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _style_chain(style_id: str | None, doc: _Doc) -> list[_Style]:
    chain: list[_Style] = []
    seen: set[str] = set()
    while style_id and style_id in doc.styles and style_id not in seen and len(chain) < 20:
        seen.add(style_id)
        chain.append(doc.styles[style_id])
        style_id = doc.styles[style_id].based_on
    return chain


def _links(package: SafeZip) -> dict[str, str]:
    part = "word/_rels/document.xml.rels"
    if not package.has(part):
        return {}
    root = _part(package, part)
    return {
        rel.get("Id") or "": rel.get("Target") or ""
        for rel in root.iterfind("rel:Relationship", NS)
        if (rel.get("Type") or "").endswith("/hyperlink")
    }


def _container_blocks(container: etree._Element, doc: _Doc) -> list[DraftBlock]:
    """Paragraphs and tables of a body, cell, note or content control, in document order."""
    blocks: list[DraftBlock] = []
    for child in container:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "p":
            block = _paragraph(child, doc)
            if block is not None:
                blocks.append(block)
            for box in _text_boxes(child):
                blocks.extend(_container_blocks(box, doc))
        elif tag == "tbl":
            blocks.extend(_table(child, doc))
        elif tag in ("sdt", "customXml", "ins", "smartTag"):
            inner = child.find("w:sdtContent", NS) if tag == "sdt" else child
            if inner is not None:
                blocks.extend(_container_blocks(inner, doc))
    return blocks


def _table(table: etree._Element, doc: _Doc) -> list[DraftBlock]:
    """One paragraph per row, cells joined by " | " (the same rule as HTML tables)."""
    rows: list[DraftBlock] = []
    for row in table.iterfind("w:tr", NS):
        inlines: list[Inline] = []
        langs: list[str | None] = []
        rtl = False
        for i, cell in enumerate(row.iterfind("w:tc", NS)):
            if i:
                inlines.append(Inline(" | "))
            for j, block in enumerate(_container_blocks(cell, doc)):
                if j:
                    inlines.append(Inline(" "))
                inlines.extend(block.inlines)
                langs.append(block.lang)
                rtl = rtl or block.dir == "rtl"
        if "".join(i.text for i in inlines).strip(" |"):
            rows.append(DraftBlock("paragraph", inlines, dir="rtl" if rtl else None))
    return rows


def _paragraph(p: etree._Element, doc: _Doc, block_type: str = "paragraph") -> DraftBlock | None:
    ppr = p.find("w:pPr", NS)
    style_el = ppr.find("w:pStyle", NS) if ppr is not None else None
    chain = _style_chain(style_el.get(_w("val")) if style_el is not None else None, doc)
    inlines = _runs(p, doc, chain)
    if not "".join(i.text for i in inlines).strip():
        return None
    level = None
    if block_type == "paragraph":
        block_type, level = _classify(ppr, chain)
    bidi_el = ppr.find("w:bidi", NS) if ppr is not None else None
    rtl = _on(bidi_el) if bidi_el is not None else any(s.bidi for s in chain)
    lang = _block_lang(inlines)
    for inline in inlines:
        if inline.lang == lang:
            inline.lang = None
    return DraftBlock(block_type, _trim(inlines), level, None, lang, "rtl" if rtl else None)


def _classify(ppr: etree._Element | None, chain: list[_Style]) -> tuple[str, int | None]:
    outline = ppr.find("w:outlineLvl", NS) if ppr is not None else None
    level = _int(outline.get(_w("val"))) if outline is not None else None
    names = [s.name.lower() for s in chain]
    for style in chain:
        match = re.fullmatch(r"heading\s*([1-9])", style.name.lower())
        if match:
            return "heading", min(int(match.group(1)), 6)
        if style.name.lower() == "title":
            return "heading", 1
    if level is None:
        level = next((s.outline for s in chain if s.outline is not None), None)
    if level is not None and 0 <= level < 9:
        return "heading", min(level + 1, 6)
    numbered = ppr is not None and ppr.find("w:numPr", NS) is not None
    if numbered:
        num_id = ppr.find("w:numPr/w:numId", NS) if ppr is not None else None
        numbered = num_id is None or (num_id.get(_w("val")) or "0") != "0"
    if numbered or any(s.numbered for s in chain) or any("list" in n for n in names):
        return "list_item", None
    if any("quote" in n for n in names):
        return "quote", None
    if any(n == "caption" for n in names):
        return "caption", None
    return "paragraph", None


def _block_lang(inlines: list[Inline]) -> str | None:
    """The language declared for most of the paragraph's letters becomes the block's."""
    weights: Counter[str] = Counter()
    total = 0
    for inline in inlines:
        letters = sum(1 for c in inline.text if c.isalpha())
        total += letters
        if inline.lang:
            weights[inline.lang] += letters
    if not weights or total == 0:
        return None
    lang, count = weights.most_common(1)[0]
    return lang if count * 2 > total else None


def _trim(inlines: list[Inline]) -> list[Inline]:
    while inlines and not inlines[0].text.strip():
        inlines.pop(0)
    while inlines and not inlines[-1].text.strip():
        inlines.pop()
    if inlines:
        inlines[0].text = inlines[0].text.lstrip()
        inlines[-1].text = inlines[-1].text.rstrip()
    return inlines


@dataclass
class _RunState:
    href: str | None = None
    field_href: str | None = None
    in_field_code: bool = False


def _runs(p: etree._Element, doc: _Doc, chain: list[_Style]) -> list[Inline]:
    out: list[Inline] = []
    state = _RunState()
    style_marks: tuple[str, ...] = ()
    if any(s.bold for s in chain):
        style_marks += ("strong",)
    if any(s.italic for s in chain):
        style_marks += ("emphasis",)
    _collect(p, doc, state, out, style_marks)
    merged: list[Inline] = []
    for inline in out:
        last = merged[-1] if merged else None
        if last and (last.marks, last.href, last.lang) == (inline.marks, inline.href, inline.lang):
            last.text += inline.text
        elif inline.text:
            merged.append(inline)
    return merged


def _collect(el: etree._Element, doc: _Doc, state: _RunState, out: list[Inline], base: tuple[str, ...]) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag == "r":
            _run(child, doc, state, out, base)
        elif tag == "hyperlink":
            rid = child.get(f"{{{R}}}id")
            anchor = child.get(_w("anchor"))
            saved = state.href
            state.href = doc.links.get(rid or "") or (f"#{anchor}" if anchor else None)
            _collect(child, doc, state, out, base)
            state.href = saved
        elif tag in ("ins", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "bdo", "dir"):
            if tag == "fldSimple":
                target = _field_target(child.get(_w("instr")) or "")
                saved = state.href
                state.href = target or state.href
                _collect(child, doc, state, out, base)
                state.href = saved
            else:
                _collect(child, doc, state, out, base)


def _field_target(instruction: str) -> str | None:
    match = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction)
    return match.group(1) if match else None


def _run(r: etree._Element, doc: _Doc, state: _RunState, out: list[Inline], base: tuple[str, ...]) -> None:
    rpr = r.find("w:rPr", NS)
    marks = list(base)
    if rpr is not None:
        for tag, mark in (("b", "strong"), ("bCs", "strong"), ("i", "emphasis"), ("iCs", "emphasis")):
            toggle = rpr.find(f"w:{tag}", NS)
            if toggle is not None:
                if _on(toggle) and mark not in marks:
                    marks.append(mark)
                elif not _on(toggle) and mark in marks and tag in ("b", "i"):
                    marks.remove(mark)
        style = rpr.find("w:rStyle", NS)
        for s in _style_chain(style.get(_w("val")) if style is not None else None, doc):
            if (s.bold or s.name.lower() == "strong") and "strong" not in marks:
                marks.append("strong")
            if (s.italic or s.name.lower() == "emphasis") and "emphasis" not in marks:
                marks.append("emphasis")
    rtl = rpr is not None and _on(rpr.find("w:rtl", NS))
    for child in r:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        text = ""
        if tag == "fldChar":
            kind = child.get(_w("fldCharType"))
            if kind == "begin":
                state.in_field_code = True
            elif kind == "separate":
                state.in_field_code = False
            elif kind == "end":
                state.in_field_code = False
                state.field_href = None
            continue
        if tag == "instrText":
            target = _field_target(child.text or "")
            if target:
                state.field_href = target
            continue
        if state.in_field_code:
            continue
        if tag == "t":
            text = child.text or ""
        elif tag in ("tab", "ptab"):
            text = "\t"
        elif tag in ("br", "cr"):
            text = "\n"
        elif tag == "noBreakHyphen":
            text = "\u2011"
        elif tag in ("footnoteReference", "endnoteReference"):
            kind = "footnote" if tag.startswith("foot") else "endnote"
            note_id = child.get(_w("id")) or ""
            number = doc.note_numbers.setdefault(
                (kind, note_id), str(sum(1 for k in doc.note_numbers if k[0] == kind) + 1)
            )
            out.append(Inline(number, ("noteref",), f"#{kind}-{note_id}"))
            continue
        if not text:
            continue
        href = state.href or state.field_href
        run_marks = tuple(marks) + (("link",) if href else ())
        out.append(Inline(text, run_marks, href, _run_lang(rpr, rtl, text)))


def _run_lang(rpr: etree._Element | None, rtl: bool, text: str) -> str | None:
    """Word keeps the Latin-text language in w:val and the complex-script one in w:bidi."""
    lang_el = rpr.find("w:lang", NS) if rpr is not None else None
    if lang_el is None:
        return None
    latin, bidi = lang_el.get(_w("val")), lang_el.get(_w("bidi"))
    if rtl or _RTL_TEXT.search(text):
        if bidi:
            return bidi
        # Some producers put an RTL language in w:val alone; a Latin-text language there says nothing.
        return latin if is_rtl_language(latin) else None
    return latin or None


def _notes(package: SafeZip, part: str, kind: str, doc: _Doc) -> list[DraftBlock]:
    root = _part(package, part)
    numbered = {note_id: number for (k, note_id), number in doc.note_numbers.items() if k == kind}
    found: list[tuple[int, DraftBlock]] = []
    for note in root.iterfind(f"w:{kind}", NS):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        note_id = note.get(_w("id")) or ""
        label = numbered.get(note_id, note_id)
        for p in note.iterfind("w:p", NS):
            block = _paragraph(p, doc, block_type="note")
            if block is not None:
                block.label = label
                found.append((_int(label) or 10**6, block))
    return [block for _, block in sorted(found, key=lambda pair: pair[0])]


_TEXT_BOX = f"{{{W}}}txbxContent"
_FALLBACK = f"{{{MC}}}Fallback"


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in a paragraph (shapes, frames, sidebars), outermost only.

    Word writes each box twice, as a DrawingML shape and as a VML fallback for old readers; the
    fallback copy is skipped so the text comes once."""
    boxes: list[etree._Element] = []
    for box in p.iter(_TEXT_BOX):
        ancestor = box.getparent()
        nested = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (_TEXT_BOX, _FALLBACK):
                nested = True
                break
            ancestor = ancestor.getparent()
        if not nested:
            boxes.append(box)
    return boxes


def _comments(package: SafeZip, doc: _Doc) -> list[DraftBlock]:
    """Reviewers' comments as notes labelled "comment N", after the footnotes: they are about the
    text, not part of it, and nothing in the package is lost."""
    if not package.has("word/comments.xml"):
        return []
    root = _part(package, "word/comments.xml")
    found: list[DraftBlock] = []
    for number, comment in enumerate(root.iterfind("w:comment", NS), 1):
        author = comment.get(_w("author"))
        for i, block in enumerate(_container_blocks(comment, doc)):
            block.type = "note"
            block.level = None
            block.label = f"comment {number}"
            if i == 0 and author:
                block.inlines.insert(0, Inline(f"{author}: "))
            found.append(block)
    return found


def _page_parts(package: SafeZip, doc: _Doc, kind: str) -> list[DraftBlock]:
    """Running headers or footers (word/header1.xml…) as boilerplate, each distinct text once: they
    repeat on every page and frame the text rather than belong to it."""
    blocks: list[DraftBlock] = []
    seen: set[str] = set()
    names = sorted((n for n in package.names() if re.fullmatch(rf"word/{kind}\d*\.xml", n)),
                   key=lambda n: (len(n), n))
    for name in names:
        for block in _container_blocks(_part(package, name), doc):
            text = "".join(i.text for i in block.inlines).strip()
            if text in seen:
                continue
            seen.add(text)
            blocks.append(DraftBlock("boilerplate", block.inlines, None, None, block.lang, block.dir))
    return blocks


def _core_properties(package: SafeZip) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    info: dict[str, Any] = {}
    if package.has("docProps/core.xml"):
        core = _part(package, "docProps/core.xml")

        def text(path: str) -> str:
            el = core.find(path, NS)
            return (el.text or "").strip() if el is not None else ""

        if text("dc:title"):
            meta["title"] = text("dc:title")
        if text("dc:creator"):
            meta["authors"] = [a.strip() for a in re.split(r";", text("dc:creator")) if a.strip()]
        dates = [[text(p), role] for p, role in (("dcterms:created", "created"), ("dcterms:modified", "updated"))]
        if any(d[0] for d in dates):
            meta["dates"] = [d for d in dates if d[0]]
        if text("dc:language"):
            meta["lang"] = text("dc:language")
        if text("cp:keywords"):
            meta["keywords"] = [k.strip() for k in re.split(r"[;,،؛]", text("cp:keywords")) if k.strip()]
        if text("dc:description"):
            meta["description"] = text("dc:description")
        if text("dc:subject"):
            meta["subject"] = text("dc:subject")
        for key, path in (("last_modified_by", "cp:lastModifiedBy"), ("revision", "cp:revision")):
            if text(path):
                info[key] = text(path)
    if package.has("docProps/app.xml"):
        app = _part(package, "docProps/app.xml")
        application = app.find("{*}Application")
        if application is not None and application.text:
            info["application"] = application.text.strip()
    return meta, info


__all__ = ["read_docx"]
