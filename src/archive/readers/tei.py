"""TEI P5 reader: TEI from any project becomes a Draft; the archive's own exports become Records again.

One walker turns the text of a TEI document into blocks with character-offset spans. `read_tei` makes
a Draft of them (header metadata in `meta`), as for any other format; `tei_to_record` also reads the
carriers that `exporters.tei` documents (xml:id, @ana interps, @n labels, @prev pieces, boilerplate
positions, the header's references) and so restores the exported record exactly.

Whitespace: in the archive's own exports text is exact and kept as is; TEI from elsewhere is usually
indented, so there runs of whitespace collapse to one space and `lb` becomes a line break.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, cast

from lxml import etree

from ..langtags import bcp47
from ..record import (
    Anchor,
    Block,
    Citation,
    DateValue,
    Encoding,
    Event,
    LanguageShare,
    Metadata,
    Person,
    Record,
    Reference,
    Source,
    Span,
)
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .safe_xml import parse_xml, xml_parser

NS = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = {"t": NS}
_LINE_BREAK = "\u2028"  # stands for `lb` while whitespace is collapsed

# Elements whose content is never reading text.
_SKIP = {"interp", "interpGrp", "link", "linkGrp", "span", "spanGrp", "certainty", "pb", "cb", "milestone",
         "gap", "fw", "del", "sic", "orig", "abbr", "rdg", "figDesc", "graphic", "media", "ptr", "index",
         "anchor", "alt", "altGrp", "join", "joinGrp", "timeline", "respons", "precision"}
# Inside `choice` (and `app`) the reading that the editor chose wins.
_PREFERRED = ("reg", "corr", "expan", "lem")
_BLOCK_TAGS = {"p", "ab", "head", "lg", "l", "quote", "cit", "list", "item", "note", "listBibl", "bibl",
               "biblStruct", "figure", "table", "row", "cell", "sp", "speaker", "stage", "label", "trailer",
               "byline", "dateline", "salute", "signed", "epigraph", "opener", "closer", "docTitle",
               "titlePart", "docAuthor", "docDate", "argument", "postscript", "div", "floatingText"}


def _xp(el: etree._Element, path: str) -> list[Any]:
    """Evaluate an XPath with the `t:` prefix bound to the TEI namespace."""
    return cast(list[Any], el.xpath(path, namespaces=T))


def _itertext(el: etree._Element) -> str:
    return "".join(str(t) for t in el.itertext())


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.split("}", 1)[1] if tag.startswith("{" + NS + "}") else ""


def _lang_of(el: etree._Element) -> str | None:
    """The language in force at `el` (xml:lang inherits); "" means unknown, returned as None."""
    node: etree._Element | None = el
    while node is not None:
        value = node.get(XML_LANG)
        if value is not None:
            return value or None
        node = node.getparent()
    return None


@dataclass
class _Block:
    """A block as the walker found it; `el` is the element that carries its attributes."""

    type: str
    el: etree._Element
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    level: int | None = None
    label: str | None = None
    position: int | None = None  # boilerplate: index among the record's blocks
    anchors: list[Anchor] = field(default_factory=list)


# The order in which inline.nest_spans nests spans that cover the same characters.
_RANK = {"link": 0, "foreign": 1, "strong": 2, "emphasis": 3, "noteref": 4, "code": 5}
# Block structures that TEI allows inside a paragraph; they become blocks after the one holding them.
_NESTED_BLOCKS = {"list", "lg", "listBibl", "table", "figure", "p", "ab", "cit", "floatingText"}


# TEI from elsewhere: parts of a dictionary entry that become blocks of their own, fields of an entry
# that are words of their own, block children that make a note a note of several paragraphs, and
# the elements that `_Walker.child` reads with rules of their own (any other holding words directly, such
# as `closer` or `u`, becomes a paragraph).
_ENTRY_PARTS = {"sense", "re", "entry", "entryFree", "dictScrap"}
_FIELDS = {"form", "orth", "pron", "hyph", "syll", "gramGrp", "gram", "pos", "gen", "number", "case", "tns",
           "mood", "per", "iType", "subc", "colloc", "usg", "lbl", "def", "etym", "xr", "oVar", "oRef",
           "pVar", "pRef"}
_NOTE_BLOCKS = {"p", "ab", "lg", "list"}
_READ = {"head", "p", "ab", "byline", "dateline", "salute", "signed", "trailer", "docAuthor", "docDate",
         "titlePart", "speaker", "stage", "label", "cell", "lg", "l", "quote", "cit", "q", "said", "list", "note",
         "listBibl", "bibl", "biblStruct", "figure"}


# A list label that only numbers its item: 1, 1., (a), iv), •.
_ENUMERATOR = re.compile(r"[(\[]?(?:\d{1,4}|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})[.)\]:]?|[-–—•*·▪◦]")


def _is_division(name: str) -> bool:
    return name == "div" or (name.startswith("div") and name[3:].isdigit())


def _has_own_text(el: etree._Element) -> bool:
    """Whether `el` holds words directly (its text or a child's tail), not only inside children."""
    if el.text and el.text.strip():
        return True
    return any(c.tail and c.tail.strip() for c in el)


@dataclass
class _Walker:
    exact: bool
    analysis: dict[str, tuple[str, str]]
    blocks: list[_Block] = field(default_factory=list)
    pieces: dict[str, Span] = field(default_factory=dict)
    pending: list[etree._Element] = field(default_factory=list)
    depth: int = 0
    # TEI from elsewhere: anchor xml:id -> (label, note xml:id) of the note that points at it.
    anchors: dict[str, tuple[str, str]] = field(default_factory=dict)

    # ---------------------------------------------------------------- structure

    def container(self, el: etree._Element, depth: int, boilerplate: int | None = None) -> None:
        """Walk a div-like container; `depth` is the heading level its `head` gets."""
        for child in el:
            self.child(el, child, depth, boilerplate)
            if boilerplate is not None and _local(child) in ("p", "ab"):
                boilerplate += 1

    def child(self, el: etree._Element, child: etree._Element, depth: int, boilerplate: int | None) -> None:
        self.depth = depth
        name = _local(child)
        if not name or name in _SKIP or name == "teiHeader":
            return
        if not self.exact and self.foreign(el, child, name, depth, boilerplate):
            return
        if True:
            if name == "div" or (name.startswith("div") and name[3:].isdigit()):
                position = None
                if child.get("type") == "boilerplate":
                    n = child.get("n", "")
                    position = int(n) if n.isdigit() else -1
                self.container(child, depth + 1, position if position is not None else boilerplate)
            elif name == "head" and _local(el) != "figure":
                self.leaf(child, "heading", level=max(depth, 1))
            elif name in ("p", "ab", "byline", "dateline", "salute", "signed", "trailer", "docAuthor",
                          "docDate", "titlePart", "speaker", "stage", "label", "cell"):
                if boilerplate is not None:
                    block = self.leaf(child, "boilerplate")
                    if block and boilerplate >= 0:
                        block.position = boilerplate
                else:
                    self.leaf(child, "paragraph")
            elif name == "lg":
                self.verse(child)
            elif name == "l":
                self.leaf(child, "verse")
            elif name in ("quote", "cit", "q", "said"):
                if any(_local(c) in ("p", "lg", "l", "ab") for c in child):
                    self.quote_container(child)
                else:
                    self.leaf(child, "quote")
            elif name == "list":
                self.items(child, 1)
            elif name == "note":
                self.leaf(child, "note", label=child.get("n"))
            elif name == "listBibl":
                for bibl in child:
                    if _local(bibl) in ("bibl", "biblStruct", "biblFull"):
                        self.leaf(bibl, "reference", label=bibl.get("n"))
                    elif _local(bibl) == "head":
                        self.leaf(bibl, "heading", level=depth + 1)
            elif name in ("bibl", "biblStruct"):
                self.leaf(child, "reference", label=child.get("n"))
            elif name == "figure":
                for head in child:
                    if _local(head) == "head":
                        self.leaf(head, "caption")
                self.container(child, depth, boilerplate)
            else:  # front matter, tables, speeches, floating texts: walk what they hold
                self.container(child, depth, boilerplate)

    def verse(self, lg: etree._Element) -> None:
        lines = [el for el in lg.iter(f"{{{NS}}}l")]
        if not lines:
            self.leaf(lg, "verse")
            return
        block = _Block("verse", lg, level=None)
        for i, line in enumerate(lines):
            if i:
                block.text += "\n" if self.exact else _LINE_BREAK
            self.inline(line, block, _lang_of(lg), top=False)
        self.finish(block)

    def quote_container(self, quote: etree._Element) -> None:
        for child in quote:
            if _local(child) in ("p", "ab", "l"):
                self.leaf(child, "quote")
            elif _local(child) == "lg":
                self.verse(child)

    def items(self, lst: etree._Element, level: int) -> None:
        label: str | None = None
        for child in lst:
            name = _local(child)
            if name == "label":
                label = _itertext(child).strip() or None
                if not self.exact and label and not _ENUMERATOR.fullmatch(label):
                    # A glossed term, not a number: its words are text, a paragraph before its item.
                    self.leaf(child, "paragraph")
                    label = None
            elif name == "item":
                block = self.leaf(child, "list_item", label=child.get("n") or label,
                                  level=level if level > 1 else None)
                label = None
                for nested in child.iter(f"{{{NS}}}list"):
                    if nested.getparent() is child:
                        self.items(nested, level + 1)
                del block
            elif name == "head":
                self.leaf(child, "heading", level=level + 1)

    def leaf(self, el: etree._Element, kind: str, *, level: int | None = None,
             label: str | None = None) -> _Block | None:
        block = _Block(kind, el, level=level, label=label if label is not None else el.get("n"))
        self.inline(el, block, _lang_of(el), top=True)
        return self.finish(block)

    def finish(self, block: _Block) -> _Block | None:
        # Spans come back in document order (outer before inner), whatever order the record had.
        block.spans.sort(key=lambda s: (s.start, -s.end, _RANK.get(s.kind, 9)))
        if not self.exact:
            _collapse(block)
            block.text = block.text.replace(_LINE_BREAK, "\n")
        if block.text or self.exact and block.el.get(XML_ID):
            self.blocks.append(block)
        pending, self.pending = self.pending, []
        for el in pending:
            parent = el.getparent()
            self.child(parent if parent is not None else el, el, self.depth, None)
        return block if block in self.blocks else None

    # ------------------------------------------------- shapes of TEI from elsewhere

    def foreign(self, el: etree._Element, child: etree._Element, name: str, depth: int,
                boilerplate: int | None) -> bool:
        """Shapes that only TEI from other projects has; True when `child` was handled here."""
        if name in ("entry", "entryFree", "superEntry", "re", "sense", "dictScrap"):
            self.entry(child)
        elif name == "note" and any(_local(c) in _NOTE_BLOCKS for c in child):
            self.note_blocks(child)
        elif name == "group":
            self.group(child, depth)
        elif name == "text":
            self.text_parts(child, depth)
        elif _is_division(name) and _has_own_text(child):
            # A division with words of its own, not in a paragraph: those words are a paragraph.
            self.leaf(child, "paragraph")
        elif name in ("front", "body", "back") or name in _READ or _is_division(name):
            return False
        elif _has_own_text(child):
            # An element with words of its own that no rule knows (u, castItem, seg at the top…) is a
            # paragraph: its words are never dropped for want of a rule.
            block = self.leaf(child, "paragraph" if boilerplate is None else "boilerplate")
            if block and boilerplate is not None and boilerplate >= 0:
                block.position = boilerplate
        else:
            return False
        return True

    def text_parts(self, text: etree._Element, depth: int) -> None:
        """A `text` of any shape: front/body/back, a `group` of texts, or divisions with no `body`."""
        for child in text:
            name = _local(child)
            if name in ("front", "body", "back"):
                self.container(child, depth)
            elif name:
                self.child(text, child, depth, None)

    def group(self, group: etree._Element, depth: int) -> None:
        """A `group` of texts (an anthology, an issue): its heads are headings, each text is read whole."""
        for child in group:
            name = _local(child)
            if name == "head":
                self.leaf(child, "heading", level=min(depth + 1, 6))
            elif name in ("text", "group"):
                self.child(group, child, depth + 1, None)
            elif name:
                self.child(group, child, depth, None)

    def entry(self, entry: etree._Element) -> None:
        """A dictionary entry: the headword, grammar and definition make one paragraph; each sense,
        related entry and example (`cit`) follows as a block of its own, labelled by its @n."""
        self.leaf(entry, "paragraph")

    def note_blocks(self, note: etree._Element) -> None:
        """A note made of paragraphs (as notes divisions gather them): every paragraph is a note with
        the note's @n, so the note keeps its number and is not read as body text."""
        for child in note:
            name = _local(child)
            if name in ("p", "ab"):
                self.leaf(child, "note", label=note.get("n"))
            elif name:
                self.child(note, child, self.depth, None)

    def anchor(self, anchor: etree._Element, block: _Block) -> None:
        """Where a note points at an `anchor` in the text, its label stands there as a note reference."""
        label, note_id = self.anchors[str(anchor.get(XML_ID))]
        start = len(block.text)
        # In brackets: a bare letter or number would join the word the anchor follows ("Bock" + "c").
        block.text += f"[{label}]"
        block.spans.append(Span(start, len(block.text), "noteref", href=f"#{note_id}" if note_id else None))

    def field(self, el: etree._Element, name: str, block: _Block, lang: str | None) -> None:
        """A field of a dictionary entry (form, pos, def…) is a word group of its own: projects write
        them without spaces between (`<orth>Kamlot</orth><pos>r.</pos>`)."""
        if block.text and block.text[-1].isalnum():
            block.text += " "
        self.span(el, name, block, lang)
        if (el.tail or "a")[0].isalnum():
            block.text += " "

    # ------------------------------------------------------------------ inline

    def inline(self, el: etree._Element, block: _Block, lang: str | None, top: bool) -> None:
        if el.text:
            block.text += el.text
        for child in el:
            name = _local(child)
            point = _point(child, name)
            if point is not None:
                block.anchors.append(Anchor(len(block.text), *point))
            elif name == "list" and _local(el) == "item":
                pass  # nested lists are blocks of their own (see items)
            elif name in _NESTED_BLOCKS or (name == "note" and not self.exact) or (
                    not self.exact and name in _ENTRY_PARTS):
                self.pending.append(child)
            elif not self.exact and name == "anchor" and child.get(XML_ID) in self.anchors:
                self.anchor(child, block)
            elif not self.exact and not name and isinstance(child.tag, str):
                # An element of another vocabulary inside the text (a project's own `Menu`): its words.
                self.inline(child, block, lang, top=False)
            elif name and name not in _SKIP:
                if name == "lb":
                    block.text += "\n" if self.exact else _LINE_BREAK
                elif name in ("choice", "app"):
                    chosen = next((c for c in child if _local(c) in _PREFERRED), None)
                    if chosen is None:
                        chosen = next((c for c in child if _local(c) not in _SKIP), None)
                    if chosen is not None:
                        self.inline(chosen, block, lang, top=False)
                elif not self.exact and name in _FIELDS:
                    self.field(child, name, block, lang)
                else:
                    self.span(child, name, block, lang)
            if child.tail:
                block.text += child.tail

    def span(self, el: etree._Element, name: str, block: _Block, lang: str | None) -> None:
        start = len(block.text)
        own_lang = el.get(XML_LANG)
        inner_lang = (own_lang or None) if own_lang is not None else lang
        self.inline(el, block, inner_lang, top=False)
        end = len(block.text)
        span = self.span_for(el, name, own_lang, lang)
        if span is None or end <= start:
            return
        prev = el.get("prev", "")
        if prev.startswith("#") and prev[1:] in self.pieces:
            first = self.pieces[prev[1:]]
            first.end = end
            span = first
        else:
            span.start, span.end = start, end
            values = _ana(el, self.analysis)
            span.script, span.dir = values.get("script"), values.get("dir")
            span.evidence = values.get("evidence")
            block.spans.append(span)
        if el.get(XML_ID):
            self.pieces[str(el.get(XML_ID))] = span

    def span_for(self, el: etree._Element, name: str, own_lang: str | None, lang: str | None) -> Span | None:
        kind_type = el.get("type")
        if name == "foreign":
            span = Span(0, 0, "foreign", lang=own_lang or None)
        elif name in ("hi", "emph"):
            rend = el.get("rend")
            if name == "emph" and rend is None:
                span = Span(0, 0, "emphasis")
            elif rend and "bold" in rend.split():
                span = Span(0, 0, "strong", rend=None if rend == "bold" else rend)
            else:
                span = Span(0, 0, "emphasis", rend=None if rend in (None, "italic") else rend)
        elif name == "ref":
            if kind_type in ("auto", "url"):
                return None
            target = el.get("target")
            if kind_type == "noteref":
                span = Span(0, 0, "noteref", href=target)
            elif kind_type == "email" and target and target.startswith("mailto:"):
                span = Span(0, 0, "link", href=target[len("mailto:"):])
            else:
                span = Span(0, 0, "link", href=target)
        elif name == "code":
            span = Span(0, 0, "code")
        elif name == "seg" and kind_type and not self.exact:
            return None
        elif name == "seg" and kind_type:
            span = Span(0, 0, kind_type)
        elif own_lang and own_lang != (lang or "") and not self.exact:
            # TEI from elsewhere often marks a language switch on q, title, term… without `foreign`.
            span = Span(0, 0, "foreign", lang=own_lang)
        else:
            return None
        if span.kind != "foreign" and own_lang is not None:
            span.lang = own_lang or None
        return span


def _collapse(block: _Block) -> None:
    """Collapse whitespace runs to one space and trim, moving span offsets with the text."""
    text = block.text
    out: list[str] = []
    mapping = [0] * (len(text) + 1)
    for i, ch in enumerate(text):
        mapping[i] = len(out)
        if ch.isspace() and ch != _LINE_BREAK:
            if out and out[-1] not in (" ", _LINE_BREAK):
                out.append(" ")
        else:
            if ch == _LINE_BREAK and out and out[-1] == " ":
                out.pop()
                mapping[i] = len(out)
            out.append(ch)
    mapping[len(text)] = len(out)
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip(" "))
    stripped = joined.strip(" ")
    spans = []
    for span in block.spans:
        start = min(max(mapping[span.start] - lead, 0), len(stripped))
        end = min(max(mapping[span.end] - lead, 0), len(stripped))
        if end > start:
            span.start, span.end = start, end
            spans.append(span)
    block.text, block.spans = stripped, spans


# ------------------------------------------------------------------------------------------ documents


def _parse(data: bytes) -> etree._Element:
    root = parse_xml(data, what="TEI")
    if _local(root) == "teiCorpus" or _local(root) == "TEI":
        return root
    raise FormatError("not TEI: the root element is not TEI or teiCorpus in the TEI namespace")


def _is_own(tei: etree._Element) -> bool:
    return bool(_xp(tei, "t:teiHeader/t:encodingDesc/t:appInfo/t:application[@ident='archive']"))


def _walk(tei: etree._Element, exact: bool) -> list[_Block]:
    walker = _Walker(exact, _analysis(tei))
    if not exact:
        return _walk_foreign(walker, tei)
    for part in _xp(tei, "t:text/t:front | t:text/t:body | t:text/t:back | t:text/t:group/t:text/*"):
        walker.container(part, 0)
    return walker.blocks


def _walk_foreign(walker: _Walker, tei: etree._Element) -> list[_Block]:
    """TEI from elsewhere: every `text` whatever its shape, with notes' anchors marked in the text."""
    walker.anchors = _note_anchors(tei)
    for text in _xp(tei, "t:text"):
        walker.text_parts(text, 0)
    return walker.blocks


def _note_anchors(tei: etree._Element) -> dict[str, tuple[str, str]]:
    """anchor xml:id -> (label, note xml:id) for every numbered note whose @target points at an anchor."""
    anchors = {str(a.get(XML_ID)) for a in _xp(tei, "t:text//t:anchor[@xml:id]")}
    found: dict[str, tuple[str, str]] = {}
    for note in _xp(tei, "t:text//t:note[@n and @target]"):
        for target in (note.get("target") or "").split():
            if target.startswith("#") and target[1:] in anchors:
                found.setdefault(target[1:], (str(note.get("n")), note.get(XML_ID) or ""))
    return found


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return " ".join(_itertext(el).split()) or None


def _first(tei: etree._Element, path: str) -> etree._Element | None:
    found = _xp(tei, path)
    return found[0] if found else None


def _all_text(tei: etree._Element, path: str) -> list[str]:
    return [t for t in (_text(el) for el in _xp(tei, path)) if t]


def _header_meta(tei: etree._Element) -> dict[str, Any]:
    """What the header declares, in the keys readers.base.Draft documents."""
    h = "t:teiHeader/t:fileDesc"
    meta: dict[str, Any] = {}
    title = _first(tei, f"{h}/t:titleStmt/t:title[@type='main' or not(@type)]")
    if title is None:
        title = _first(tei, f"{h}/t:titleStmt/t:title")
    if _text(title):
        meta["title"] = _text(title)
    subtitle = _first(tei, f"{h}/t:titleStmt/t:title[@type='sub']")
    if _text(subtitle):
        meta["subtitle"] = _text(subtitle)
    authors = []
    for author in _xp(tei, f"{h}/t:titleStmt/t:author"):
        name = _first(author, "t:persName | t:name")
        authors.append(_text(author if name is None else name))
    if any(authors):
        meta["authors"] = [a for a in authors if a]
    dates = [[_text(d) or d.get("when", ""), d.get("type") or "published"]
             for d in _xp(tei, f"{h}/t:sourceDesc//t:imprint/t:date[not(@type='citation')] | "
                                f"{h}/t:publicationStmt/t:date")]
    if [d for d in dates if d[0]]:
        meta["dates"] = [d for d in dates if d[0]]
    lang = tei.get(XML_LANG)
    if lang:
        meta["lang"] = lang
    for key, path in (("publisher", f"{h}/t:sourceDesc//t:imprint/t:publisher"),
                      ("site", f"{h}/t:sourceDesc//t:monogr/t:title[@type='site']"),
                      ("license", f"{h}/t:publicationStmt/t:availability"),
                      ("abstract", "t:teiHeader/t:profileDesc/t:abstract")):
        value = _text(_first(tei, path))
        if value:
            meta[key] = value
    urls = [str(u) for u in _xp(tei, f"{h}/t:sourceDesc//t:ref[@type='url' or not(@type)]/@target")]
    if urls:
        meta["urls"] = urls
    keywords = _all_text(tei, "t:teiHeader/t:profileDesc/t:textClass/t:keywords//t:term")
    if keywords:
        meta["keywords"] = keywords
    citation = _citation(tei)
    if citation is not None:
        meta["citation"] = citation.to_dict()
    return meta


def _citation(tei: etree._Element) -> Citation | None:
    bibl = _first(tei, "t:teiHeader/t:fileDesc/t:sourceDesc/t:biblStruct")
    if bibl is None:
        return None

    def scope(unit: str) -> str | None:
        return _text(_first(bibl, f"t:monogr/t:imprint/t:biblScope[@unit='{unit}'] | "
                                  f"t:monogr/t:biblScope[@unit='{unit}']"))

    url = _first(bibl, "t:ref[@type='citation' or @subtype='citation']")
    citation = Citation(
        text=_exact(_first(bibl, "t:note[@type='citation']")),
        journal=_exact(_first(bibl, "t:monogr/t:title[@level='j']")),
        volume=scope("volume"),
        issue=scope("issue"),
        pages=scope("page") or scope("pages"),
        year=_exact(_first(bibl, "t:monogr/t:imprint/t:date[@type='citation']")),
        url=url.get("target") if url is not None else None,
    )
    return citation if citation.to_dict() else None


def _exact(el: etree._Element | None) -> str | None:
    return None if el is None else _itertext(el)


def _draft_block(block: _Block, own: bool, analysis: dict[str, tuple[str, str]]) -> DraftBlock:
    values = _ana(block.el, analysis)
    level = int(values["level"]) if own and "level" in values else block.level
    return DraftBlock(block.type, _with_points(_inlines(block.text, block.spans), block.anchors), level=level,
                      label=block.label, lang=_lang_of(block.el), dir=values.get("dir"))


# Empty elements that mark a point of the text (exporters/tei_anchors.py writes them) -> anchor kind.
_POINTS = {"pb": "page", "milestone": "milestone", "anchor": "tag"}


def _point(el: etree._Element, name: str) -> tuple[str, str | None] | None:
    """A page break, a milestone counting words, or a markup tag the archive kept as an anchor;
    other milestones and anchors (cross-reference targets) are not points of the reading text."""
    kind = _POINTS.get(name)
    if kind is None or (name == "milestone" and el.get("unit") != "words") or \
            (name == "anchor" and el.get("type") != "tag"):
        return None
    return kind, el.get("n")


def _with_points(inlines: list[Inline], anchors: list[Anchor]) -> list[Inline]:
    """The inline runs with an empty point run at each anchor's offset."""
    if not anchors:
        return inlines
    out: list[Inline] = []
    position = 0
    pending = sorted(anchors, key=lambda a: a.offset)
    for inline in inlines:
        while pending and pending[0].offset <= position:
            anchor = pending.pop(0)
            out.append(Inline("", point=(anchor.kind, anchor.n)))
        cut = position + len(inline.text)
        while pending and pending[0].offset < cut:
            anchor = pending.pop(0)
            head = anchor.offset - position
            out.append(replace(inline, text=inline.text[:head]))
            out.append(Inline("", point=(anchor.kind, anchor.n)))
            inline = replace(inline, text=inline.text[head:])
            position += head
        out.append(inline)
        position = cut
    out.extend(Inline("", point=(a.kind, a.n)) for a in pending)
    return out


def _inlines(text: str, spans: list[Span]) -> list[Inline]:
    """Cut the text at every span boundary; each piece carries the marks of the spans covering it."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Inline] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if end <= start:
            continue
        covering = [s for s in spans if s.start <= start and end <= s.end]
        marks = tuple(dict.fromkeys(s.kind for s in covering if s.kind != "foreign"))
        href = next((s.href for s in covering if s.kind in ("link", "noteref") and s.href), None)
        lang = next((s.lang for s in reversed(covering) if s.kind == "foreign" and s.lang), None)
        out.append(Inline(text[start:end], marks, href, lang))
    return out


def _tei_element(root: etree._Element, warnings: list[str]) -> etree._Element:
    if _local(root) == "TEI":
        return root
    members = _xp(root, ".//t:TEI")
    if not members:
        raise FormatError("teiCorpus holds no TEI document")
    if len(members) > 1:
        warnings.append(f"teiCorpus holds {len(members)} TEI documents; only the first was read")
    return members[0]


def read_tei(data: bytes, options: ReadOptions) -> Draft:
    """Read a TEI P5 document (or the first document of a teiCorpus) into a Draft."""
    warnings: list[str] = []
    tei = _tei_element(_parse_tolerant(data, warnings), warnings)
    own = _is_own(tei)
    analysis = _analysis(tei)
    blocks = [_draft_block(b, own, analysis) for b in _ordered(_walk(tei, exact=own))]
    meta = _header_meta(tei)
    if not own:
        _normalise_languages(tei, blocks, meta)
    return Draft(blocks=blocks, meta=meta, info={"reader": "tei", "archive_export": own},
                 warnings=warnings)


# libxml2's complaints about xml:id values: a duplicate, or a value that is not an NCName. The XML is
# well-formed all the same, and the words are all there; identifiers only matter to links.
_ID_ERRORS = ("DTD_ID_REDEFINED", "DTD_XMLID_VALUE")


def _parse_tolerant(data: bytes, warnings: list[str]) -> etree._Element:
    """Parse TEI; duplicate or malformed xml:id values become a warning instead of a refusal (projects
    that assemble issues from fragments repeat identifiers), any other error still refuses the file."""
    try:
        return _parse(data)
    except FormatError as error:
        parser = xml_parser(recover=True)
        try:
            root = etree.fromstring(data, parser)
        except (etree.XMLSyntaxError, ValueError):
            raise error from None
        errors = list(parser.error_log)
        if root is None or not errors or any(e.type_name not in _ID_ERRORS for e in errors):
            raise error from None
        duplicate = [e for e in errors if e.type_name == "DTD_ID_REDEFINED"]
        malformed = len(errors) - len(duplicate)
        said = []
        if duplicate:
            said.append(f"{len(duplicate)} duplicate xml:id value(s) (first: {duplicate[0].message}, "
                        f"line {duplicate[0].line})")
        if malformed:
            said.append(f"{malformed} xml:id value(s) that are not NCNames")
        warnings.append("TEI has " + " and ".join(said) + "; read anyway, links to them may be ambiguous")
    if _local(root) in ("TEI", "teiCorpus"):
        return root
    raise FormatError("not TEI: the root element is not TEI or teiCorpus in the TEI namespace")


def _normalise_languages(tei: etree._Element, blocks: list[DraftBlock], meta: dict[str, Any]) -> None:
    """Declared language codes as BCP 47 (eng -> en, per -> fa, ger -> de); the document's language is
    the root's, else its text's, else the one `langUsage` gives the largest share."""
    declared = tei.get(XML_LANG) or next((str(t.get(XML_LANG)) for t in _xp(tei, ".//t:text[@xml:lang]")), None)
    if not declared:
        usage = sorted(_xp(tei, "t:teiHeader/t:profileDesc/t:langUsage/t:language[@ident]"),
                       key=lambda lang: -_percent(lang.get("usage")))
        declared = usage[0].get("ident") if usage else None
    if declared:
        meta["lang"] = bcp47(declared)
    for block in blocks:
        if block.lang:
            block.lang = bcp47(block.lang)
        for inline in block.inlines:
            if inline.lang:
                inline.lang = bcp47(inline.lang)


def _percent(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


# --------------------------------------------------------------------------------- own exports


_ANALYSIS_KINDS = ("script", "dir", "level", "evidence")


def _analysis(tei: etree._Element) -> dict[str, tuple[str, str]]:
    """xml:id -> (kind, value) of what the exporter's @ana pointers name: the categories of the
    header's analysis taxonomy (a category per kind, one inside it per value), or the `interp`s
    that earlier exports kept in `back`."""
    found = {str(i.get(XML_ID)): (i.get("type") or "", i.text or "")
             for i in _xp(tei, ".//t:interp[@xml:id]")}
    for group in _xp(tei, "t:teiHeader/t:encodingDesc/t:classDecl/t:taxonomy/t:category[@n]"):
        kind = group.get("n")
        if kind not in _ANALYSIS_KINDS:
            continue
        for category in _xp(group, "t:category[@xml:id]"):
            found[str(category.get(XML_ID))] = (kind, _exact(_first(category, "t:catDesc")) or "")
    return found


def _ana(el: etree._Element, analysis: dict[str, tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pointer in (el.get("ana") or "").split():
        kind, value = analysis.get(pointer.lstrip("#"), ("", ""))
        if kind:
            values[kind] = value
    return values


def _ordered(blocks: list[_Block]) -> list[_Block]:
    """Put boilerplate back where it stood among the content blocks."""
    content = [b for b in blocks if b.position is None]
    placed = sorted((b for b in blocks if b.position is not None), key=lambda b: b.position or 0)
    for block in placed:
        content.insert(min(block.position or 0, len(content)), block)
    return content


def _strip(value: str | None, prefix: str) -> str | None:
    if value is None:
        return None
    return value[len(prefix):] if value.startswith(prefix) else value


def tei_to_record(tree: etree._Element | etree._ElementTree) -> Record:
    """Restore a Record from the archive's own TEI export of it (see exporters.tei for the carriers)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    tei = _tei_element(root, [])
    h = "t:teiHeader/t:fileDesc"
    rid = _text(_first(tei, f"{h}/t:publicationStmt/t:idno[@type='archive']")) or str(tei.get(XML_ID))
    prefix = rid + "-"
    analysis = _analysis(tei)
    blocks: list[Block] = []
    for found in _ordered(_walk(tei, exact=True)):
        values = _ana(found.el, analysis)
        _own_spans(found, prefix)
        blocks.append(Block(
            id=_strip(found.el.get(XML_ID), prefix) or f"b{len(blocks) + 1}",
            type=found.type,
            text=found.text,
            lang=_lang_of(found.el),
            script=values.get("script"),
            dir=values.get("dir"),
            level=int(values["level"]) if "level" in values else None,
            label=found.el.get("n"),
            spans=found.spans,
            evidence=values.get("evidence"),
            anchors=found.anchors,
        ))
    main = tei.get(XML_LANG) or None
    return Record(
        id=rid,
        source=_source(tei),
        metadata=_metadata(tei, rid, {b.id: b for b in blocks}),
        languages=[LanguageShare(str(lang.get("ident")), float(str(lang.get("n"))))
                   for lang in _xp(tei, "t:teiHeader/t:profileDesc/t:langUsage/t:language[@n]")],
        # "und" is what the pipeline gives a record without text (a WARC's container, an image without
        # OCR), so it comes back as written.
        main_language=main,
        # Common-script blocks (digits, punctuation) carry "Zyyy", which a record never lists among its scripts
        scripts=list(dict.fromkeys(v for k, v in analysis.values() if k == "script" and v != "Zyyy")),
        blocks=blocks,
        provenance=_provenance(tei),
        warnings=[n.text or "" for n in _xp(tei, f"{h}/t:notesStmt/t:note[@type='warning']")],
    )


def _own_spans(found: _Block, prefix: str) -> None:
    """The export's own conventions inside a block: a note call points at "#<record id>-<block id>"
    (the record says "#<block id>"), and a reference's label segment is no record span."""
    spans = []
    for span in found.spans:
        if span.kind == "label" and _local(found.el) == "bibl":
            continue
        if span.kind == "noteref" and span.href and span.href.startswith("#" + prefix):
            span.href = "#" + span.href[len(prefix) + 1:]
        spans.append(span)
    found.spans = spans


def _source(tei: etree._Element) -> Source:
    h = "t:teiHeader/t:fileDesc"
    size = _first(tei, f"{h}/t:sourceDesc/t:biblStruct/t:monogr/t:extent/t:measure[@unit='byte']")
    encoding = _first(tei, f"{h}/t:sourceDesc/t:biblStruct/t:note[@type='encoding']")
    info = _first(tei, f"{h}/t:sourceDesc/t:biblStruct/t:note[@type='info']")
    confidence = [str(v) for v in _xp(tei, f"{h}/t:sourceDesc/t:biblStruct/t:note/t:num/@value")]
    monogr = f"{h}/t:sourceDesc/t:biblStruct/t:monogr"
    return Source(
        encoding=None if encoding is None else Encoding(
            _exact(_first(encoding, "t:ident")) or "",
            float(confidence[0]) if confidence else 0.0,
            _exact(_first(encoding, "t:seg[@type='method']")) or "",
        ),
        info=_info(info),
        filename=_exact(_first(tei, f"{monogr}/t:idno[@type='filename']")) or "",
        size=int(size.get("quantity", "0")) if size is not None else 0,
        sha256=_exact(_first(tei, f"{h}/t:publicationStmt/t:idno[@type='sha256']")) or "",
        media_type=_exact(_first(tei, f"{monogr}/t:idno[@type='mediaType']"))
        or "application/tei+xml",
    )


def _info(note: etree._Element | None) -> dict[str, Any]:
    """What the reader recorded: a feature structure, or JSON text in earlier exports."""
    if note is None:
        return {}
    fs = _first(note, "t:fs")
    if fs is not None:
        return _fs_value(fs)
    try:
        value = json.loads(note.text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _fs_value(fs: etree._Element) -> dict[str, Any]:
    """A feature structure as the JSON object it was written from (see exporters.tei)."""
    out: dict[str, Any] = {}
    for f in _xp(fs, "t:f"):
        key = f.get("n") if f.get("name") == "key" and f.get("n") is not None else f.get("name", "")
        values = [c for c in f if isinstance(c.tag, str)]
        out[str(key)] = _feature(values[0]) if values else None
    return out


def _feature(el: etree._Element) -> Any:
    name = _local(el)
    if name == "symbol":
        return {"null": None, "empty": ""}.get(el.get("value", ""), el.get("value"))
    if name == "binary":
        return el.get("value") in ("true", "1")
    if name == "numeric":
        value = el.get("value", "0")
        return int(value) if el.get("trunc") == "true" else float(value)
    if name == "string":
        return _itertext(el)
    if name == "vColl":
        return [_feature(c) for c in el if isinstance(c.tag, str)]
    if name == "fs" and el.get("type") == "list":
        return [_feature(c[0]) if len(c) else None for c in _xp(el, "t:f")]
    if name == "fs":
        return _fs_value(el)
    return _itertext(el)


def _metadata(tei: etree._Element, rid: str, blocks: dict[str, Block]) -> Metadata:
    h = "t:teiHeader/t:fileDesc"
    bibl = f"{h}/t:sourceDesc/t:biblStruct"
    title = _first(tei, f"{h}/t:titleStmt/t:title[@type='main']")
    licence = _first(tei, f"{h}/t:publicationStmt/t:availability/t:licence")
    abstract = _xp(tei, "t:teiHeader/t:profileDesc/t:abstract/t:p")
    return Metadata(
        title=_exact(title) or None,
        title_lang=title.get(XML_LANG) if title is not None else None,
        subtitle=_exact(_first(tei, f"{h}/t:titleStmt/t:title[@type='sub']")),
        authors=[
            Person(_exact(_first(a, "t:persName")) or "", _exact(_first(a, "t:affiliation")),
                   a.get("role", "author"))
            for a in _xp(tei, f"{h}/t:titleStmt/t:author")
        ],
        dates=[
            DateValue(d.get("when", ""), _exact(d) or "",
                      _strip(d.get("calendar"), f"#{rid}-cal-") or "gregorian", d.get("type", "published"))
            for d in _xp(tei, f"{bibl}/t:monogr/t:imprint/t:date[@type and @type != 'citation']")
        ],
        publisher=_exact(_first(tei, f"{bibl}/t:monogr/t:imprint/t:publisher")),
        site=_exact(_first(tei, f"{bibl}/t:monogr/t:title[@type='site']")),
        urls=[str(u) for u in _xp(tei, f"{bibl}/t:ref[@type='url']/@target")],
        emails=[_exact(e) or "" for e in _xp(tei, f"{bibl}/t:ref[@type='email']")],
        keywords=[_exact(t) or "" for t in
                  _xp(tei, "t:teiHeader/t:profileDesc/t:textClass/t:keywords/t:term")],
        abstract="\n\n".join(_exact(p) or "" for p in abstract) if abstract else None,
        citation=_citation(tei),
        license=_exact(licence),
        references=_references(tei, rid, blocks),
    )


def _references(tei: etree._Element, rid: str, blocks: dict[str, Block]) -> list[Reference]:
    """The source's reference list: the header's list where the export kept one, else the text's
    own `bibl type="reference"` entries."""
    listed = _xp(tei, "t:teiHeader/t:fileDesc/t:sourceDesc/t:listBibl[@type='references']/t:bibl")
    if listed:
        return [_listed_reference(b, rid, blocks) for b in listed]
    return [_text_reference(b, rid) for b in _xp(tei, "t:text//t:bibl[@type='reference'][@xml:id]")]


def _text_reference(bibl: etree._Element, rid: str) -> Reference:
    """A reference from its own entry: the words after its label segment, its links and its date."""
    label = _first(bibl, "t:seg[@type='label']")
    text = _itertext(bibl)
    if label is not None:
        before = (bibl.text or "") + _itertext(label)
        text = text[len(before):].lstrip()
    urls = [str(el.get("target")) for el in bibl.iter(f"{{{NS}}}ref", f"{{{NS}}}ptr")
            if el.get("target") and el.get("type") not in ("email", "noteref", "auto")]
    date = _first(bibl, ".//t:date[@when]")
    return Reference(
        label=bibl.get("n"),
        text=text,
        urls=list(dict.fromkeys(urls)),
        date=date.get("when") if date is not None else None,
        block_id=_strip(bibl.get(XML_ID), f"{rid}-"),
    )


def _listed_reference(bibl: etree._Element, rid: str, blocks: dict[str, Block]) -> Reference:
    corresp = bibl.get("corresp")
    block_id = _strip(_strip(corresp, f"#{rid}-"), "#")
    block = blocks.get(block_id or "")
    text = block.text if bibl.get("type") == "pointer" and block is not None else (bibl.text or "")
    date = _first(bibl, "t:date")
    return Reference(
        label=bibl.get("n"),
        text=text,
        urls=[str(u) for u in _xp(bibl, "t:ref/@target | t:ptr/@target")],
        date=(date.get("when") or _exact(date)) if date is not None else None,
        block_id=block_id,
    )


def _provenance(tei: etree._Element) -> list[Event]:
    events = []
    for change in _xp(tei, "t:teiHeader/t:revisionDesc/t:change"):
        name = _first(change, "t:name[@type='agent']")
        fs = _first(change, "t:fs")
        detail: dict[str, Any] = {}
        if fs is not None:
            detail = _fs_value(fs)
        elif name is not None and (name.tail or "").strip().startswith("{"):
            try:  # earlier exports: the details as JSON after the agent
                detail = json.loads(name.tail or "")
            except ValueError:
                detail = {"text": (name.tail or "").strip()}
        events.append(Event(change.get("type", ""), change.get("when") or change.get("n", ""),
                            _exact(name) or "", detail))
    return events


def read_tei_record(data: bytes) -> Record:
    """Parse bytes safely and restore the record they export."""
    return tei_to_record(_parse(data))
