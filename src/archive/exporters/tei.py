"""TEI P5 export: one `TEI` document per record and a `teiCorpus` for the collection.

Everything a record holds is expressed in TEI-valid places so that `readers.tei.tei_to_record` can
restore it; what TEI has no element for is carried as follows (chosen so tei_all validates and generic
TEI tools still show the text correctly):

- block ids: `xml:id` = "<record id>-<block id>" (prefixed so ids stay unique inside a teiCorpus);
- a block's or span's script, direction, level and language-detection evidence: `@ana` pointers to
  `interp` elements in one `interpGrp type="analysis"` at the end of `back` (TEI's own mechanism for
  attaching interpretations to text; one `interp` per distinct value, so the file stays small);
- labels (list numbers, note and reference labels): `@n`, TEI's "number or label";
- where boilerplate stood among the content blocks: `@n` (its index in record.blocks) on its
  `div type="boilerplate"` in `back`;
- `Metadata.references` in order: `sourceDesc/listBibl type="references"`, one `bibl` per reference
  pointing at its reference block with `@corresp` (text kept there only when it differs from the block).

Output is deterministic: nothing depends on the clock, and every map is iterated in a fixed order.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from .. import __version__
from ..atomic import atomic_path, remove_stale_temporaries, write_bytes
from ..errors import display_path
from ..inline import InlineNode, nest_spans
from ..langtags import language_name
from ..record import Block, Event, Record, Span
from .tei_anchors import place_anchors

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_ID = f"{{{XML_NS}}}id"
TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
RULES_NAME = "tei-rules.sch"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"

# Span kinds used only inside this writer, for runs it marks up without them being record spans.
AUTO_LINK = "_autolink"
REF_URL = "_refurl"
REF_DATE = "_refdate"


_ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NCNAME_BAD = re.compile(r"[^A-Za-z0-9._-]")


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def is_iso_date(value: str | None) -> bool:
    """Whether `value` fits TEI's @when (W3C date/time types); other values stay text only."""
    return bool(value) and bool(_ISO_DATE.match(value or ""))


def percentages(weights: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Integer percentages summing to exactly 100 (largest remainder), in the input order."""
    total = sum(max(w, 0.0) for _, w in weights)
    if total <= 0:
        if not weights:
            return []
        return [(tag, 100 if i == 0 else 0) for i, (tag, _) in enumerate(weights)]
    exact = [(tag, max(w, 0.0) * 100.0 / total) for tag, w in weights]
    floors = [int(v) for _, v in exact]
    missing = 100 - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [(tag, floors[i]) for i, (tag, _) in enumerate(exact)]


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tei(tag))
    for key, value in attrs.items():
        el.set(XML_LANG if key == "lang" else key.rstrip("_").replace("__", "-"), value)
    if text is not None:
        el.text = text
    return el


def _ncname(value: str) -> str:
    return _NCNAME_BAD.sub("-", value)


@dataclass
class _Analysis:
    """The `interp` values a record's blocks and spans point at, numbered in first-use order."""

    record_id: str
    ids: dict[tuple[str, str], str] = field(default_factory=dict)

    def pointer(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self.ids:
            self.ids[key] = f"{self.record_id}-{kind}{len(self.ids) + 1}"
        return "#" + self.ids[key]

    def ana(self, script: str | None, direction: str | None, evidence: str | None,
            level: int | None = None) -> str | None:
        pointers = []
        if script:
            pointers.append(self.pointer("script", script))
        if direction:
            pointers.append(self.pointer("dir", direction))
        if level is not None:
            pointers.append(self.pointer("level", str(level)))
        if evidence:
            pointers.append(self.pointer("evidence", evidence))
        return " ".join(pointers) or None

    def write(self, parent: etree._Element) -> None:
        if not self.ids:
            return
        group = _sub(parent, "interpGrp", type="analysis")
        for (kind, value), xml_id in self.ids.items():
            interp = _sub(group, "interp", value, type=kind)
            interp.set(XML_ID, xml_id)


# --------------------------------------------------------------------------------------------- header


def _normalization_steps(events: list[Event]) -> dict[str, int]:
    """Steps that changed something, summed over every normalize event (generic and language-specific)."""
    totals: dict[str, int] = {}
    for event in events:
        if event.event != "normalize":
            continue
        steps = event.detail.get("steps", {})
        if not isinstance(steps, dict):
            continue
        for step, count in steps.items():
            if isinstance(count, int) and count > 0:
                totals[str(step)] = totals.get(str(step), 0) + count
    return dict(sorted(totals.items()))


def _used_languages(record: Record) -> list[str]:
    """Every language the document's text uses, in first-use order."""
    seen: dict[str, None] = {}
    for tag in (record.main_language, record.metadata.title_lang):
        if tag:
            seen.setdefault(tag, None)
    for block in record.blocks:
        if block.lang:
            seen.setdefault(block.lang, None)
        for span in block.spans:
            if span.lang:
                seen.setdefault(span.lang, None)
    return list(seen)


def _measured_shares(record: Record) -> dict[str, float]:
    return {share.tag: share.share for share in record.languages if share.tag}


def _language_usage(record: Record) -> list[tuple[str, int]]:
    """Shares from the record (character based); languages used but not measured get 0."""
    weights = [(share.tag, share.share) for share in record.languages if share.tag]
    if not any(w > 0 for _, w in weights):
        counts: dict[str, float] = {}
        for block in record.blocks:
            tag = block.lang or record.main_language or "und"
            counts[tag] = counts.get(tag, 0.0) + len(block.text)
        weights = list(counts.items())
    known = {tag for tag, _ in weights}
    weights += [(tag, 0.0) for tag in _used_languages(record) if tag not in known]
    if not weights:
        weights = [(record.main_language or "und", 1.0)]
    return percentages(weights)


def _lang_usage(parent: etree._Element, usage: list[tuple[str, int]],
                exact: dict[str, float] | None = None) -> None:
    """`@usage` is TEI's integer percentage; `@n` keeps the record's exact share for the round trip."""
    lang_usage = _sub(parent, "langUsage")
    for tag, percent in usage:
        language = _sub(lang_usage, "language", language_name(tag), ident=tag, usage=str(percent))
        if exact and tag in exact:
            language.set("n", repr(exact[tag]))


def _persons(parent: etree._Element, record: Record) -> None:
    for person in record.metadata.authors:
        author = _sub(parent, "author")
        if person.role != "author":
            author.set("role", person.role)
        _sub(author, "persName", person.name)
        if person.affiliation:
            _sub(author, "affiliation", person.affiliation)


def _calendar_id(record: Record, calendar: str) -> str:
    return f"{record.id}-cal-{_ncname(calendar)}"


def _date(parent: etree._Element, record: Record, value: str, role: str, iso: str | None,
          calendar: str | None) -> etree._Element:
    date = _sub(parent, "date", value, type=role)
    if is_iso_date(iso):
        date.set("when", iso or "")
    if calendar and calendar != "gregorian":
        # The text is written in this calendar; @when is always its Gregorian equivalent.
        date.set("calendar", "#" + _calendar_id(record, calendar))
    return date


def _source_desc(file_desc: etree._Element, record: Record) -> None:
    meta = record.metadata
    citation = meta.citation
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(source_desc, "biblStruct")
    analytic = _sub(bibl, "analytic")
    _persons(analytic, record)
    title = _sub(analytic, "title", meta.title or "", level="a")
    if meta.title_lang:
        title.set(XML_LANG, meta.title_lang)
    monogr = _sub(bibl, "monogr")
    if citation and citation.journal:
        _sub(monogr, "title", citation.journal, level="j")
    if meta.site:
        _sub(monogr, "title", meta.site, type="site")
    if len(monogr) == 0:
        _sub(monogr, "title", "", level="m")
    _sub(monogr, "idno", display_path(record.source.filename), type="filename")
    _sub(monogr, "idno", record.source.media_type, type="mediaType")
    imprint = _sub(monogr, "imprint")
    if meta.publisher:
        _sub(imprint, "publisher", meta.publisher)
    for value in meta.dates:
        _date(imprint, record, value.original, value.role, value.iso, value.calendar)
    if citation:
        if citation.year:
            _date(imprint, record, citation.year, "citation", citation.year, None)
        for unit, scope in (("volume", citation.volume), ("issue", citation.issue), ("page", citation.pages)):
            if scope:
                _sub(imprint, "biblScope", scope, unit=unit)
    if len(imprint) == 0:
        _sub(imprint, "date")
    extent = _sub(monogr, "extent")
    size = str(record.source.size)
    _sub(extent, "measure", f"{size} bytes", unit="byte", quantity=size)
    encoding = record.source.encoding
    if encoding is not None:
        note = _sub(bibl, "note", type="encoding")
        _sub(note, "ident", encoding.name).tail = " "
        _sub(note, "seg", encoding.method, type="method").tail = " "
        _sub(note, "num", repr(encoding.confidence), type="confidence", value=repr(encoding.confidence))
    if record.source.info:
        _sub(bibl, "note", json.dumps(record.source.info, ensure_ascii=False, sort_keys=True), type="info")
    if citation and citation.text:
        _sub(bibl, "note", citation.text, type="citation")
    if citation and citation.url:
        _sub(bibl, "ref", citation.url, type="citation", target=citation.url)
    for url in meta.urls:
        _sub(bibl, "ref", url, type="url", target=url)
    for email in meta.emails:
        _sub(bibl, "ref", email, type="email", target=_mailto(email))
    if meta.references:
        _references(source_desc, record)


def _references(parent: etree._Element, record: Record) -> None:
    blocks = {b.id: b for b in record.blocks}
    list_bibl = _sub(parent, "listBibl", type="references")
    for ref in record.metadata.references:
        bibl = _sub(list_bibl, "bibl")
        if ref.label is not None:
            bibl.set("n", ref.label)
        block = blocks.get(ref.block_id or "")
        if block is not None:
            bibl.set("corresp", f"#{record.id}-{block.id}")
        if block is not None and block.text == ref.text:
            bibl.set("type", "pointer")
        else:
            bibl.text = ref.text
        for url in ref.urls:
            _sub(bibl, "ref", type="url", target=url)
        if ref.date is not None:
            date = _sub(bibl, "date", ref.date)
            if is_iso_date(ref.date):
                date.set("when", ref.date)


def _encoding_desc(header: etree._Element, record: Record) -> None:
    encoding_desc = _sub(header, "encodingDesc")
    app_info = _sub(encoding_desc, "appInfo")
    app = _sub(app_info, "application", ident="archive", version=__version__)
    _sub(app, "label", "archive")
    steps = _normalization_steps(record.provenance)
    if steps:
        decl = _sub(encoding_desc, "editorialDecl")
        normalization = _sub(decl, "normalization")
        for step, count in steps.items():
            p = _sub(normalization, "p", n=step)
            ident = _sub(p, "ident", step, type="step")
            ident.tail = ": "
            num = _sub(p, "num", str(count), value=str(count))
            num.tail = " change" + ("" if count == 1 else "s")


def _profile_desc(header: etree._Element, record: Record) -> None:
    meta = record.metadata
    profile = _sub(header, "profileDesc")
    _lang_usage(profile, _language_usage(record), _measured_shares(record))
    calendars = sorted({d.calendar for d in meta.dates if d.calendar and d.calendar != "gregorian"})
    if calendars:
        calendar_desc = _sub(profile, "calendarDesc")
        for name in calendars:
            calendar = _sub(calendar_desc, "calendar")
            calendar.set(XML_ID, _calendar_id(record, name))
            _sub(calendar, "p", name)
    if meta.abstract is not None:
        abstract = _sub(profile, "abstract")
        _sub(abstract, "p", meta.abstract)
    if meta.keywords:
        keywords = _sub(_sub(profile, "textClass"), "keywords")
        for keyword in meta.keywords:
            _sub(keywords, "term", keyword)


def _revision_desc(header: etree._Element, record: Record) -> None:
    if not record.provenance:
        return
    revision = _sub(header, "revisionDesc")
    for event in record.provenance:
        change = _sub(revision, "change", type=event.event)
        if is_iso_date(event.at):
            change.set("when", event.at)
        else:
            change.set("n", event.at)
        name = _sub(change, "name", event.agent, type="agent")
        if event.detail:
            name.tail = " " + json.dumps(event.detail, ensure_ascii=False, sort_keys=True)


def _header(record: Record) -> etree._Element:
    meta = record.metadata
    header = etree.Element(tei("teiHeader"))
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    title = _sub(title_stmt, "title", meta.title or "", type="main")
    if meta.title_lang:
        title.set(XML_LANG, meta.title_lang)
    if meta.subtitle is not None:
        _sub(title_stmt, "title", meta.subtitle, type="sub")
    _persons(title_stmt, record)
    pub = _sub(file_desc, "publicationStmt")
    _sub(pub, "publisher", os.environ.get("ARCHIVE_PUBLISHER", "archive"))
    _sub(pub, "idno", record.source.sha256, type="sha256")
    _sub(pub, "idno", record.id, type="archive")
    availability = _sub(pub, "availability")
    if meta.license:
        _sub(availability, "licence", meta.license)
    else:
        availability.set("status", "unknown")
        _sub(availability, "p", "The source states no licence.")
    if record.warnings:
        notes = _sub(file_desc, "notesStmt")
        for warning in record.warnings:
            _sub(notes, "note", warning, type="warning")
    _source_desc(file_desc, record)
    _encoding_desc(header, record)
    _profile_desc(header, record)
    _revision_desc(header, record)
    return header


# ----------------------------------------------------------------------------------------------- body


def _mailto(address: str) -> str:
    return address if address.startswith("mailto:") else "mailto:" + address


@dataclass
class _Piece(Span):
    """A span tagged with its position in the block's span list, so its pieces can be linked."""

    index: int = -1


@dataclass
class _Writer:
    record: Record
    analysis: _Analysis
    pieces: dict[tuple[str, int], etree._Element] = field(default_factory=dict)
    piece_count: int = 0
    block_key: str = ""

    def block_attrs(self, el: etree._Element, block: Block, parent_lang: str | None,
                    with_label: bool = True) -> None:
        el.set(XML_ID, f"{self.record.id}-{block.id}")
        self.block_key = block.id
        if block.lang != parent_lang:
            el.set(XML_LANG, block.lang or "")
        if with_label and block.label is not None:
            el.set("n", block.label)
        ana = self.analysis.ana(block.script, block.dir, block.evidence, block.level)
        if ana:
            el.set("ana", ana)

    def inline(self, el: etree._Element, text: str, spans: list[Span], lang: str | None,
               keys: list[int] | None = None) -> None:
        """Write `text` with its spans as mixed content of `el`; `lang` is the language in force there.
        `keys` identify the spans across calls (verse lines), by default their positions in `spans`."""
        keys = keys if keys is not None else list(range(len(spans)))
        indexed = [_Piece(**{f.name: getattr(s, f.name) for f in fields(Span)}, index=k)
                   for k, s in zip(keys, spans, strict=True)]
        self._children(el, nest_spans(text, list(indexed)), lang)

    def _children(self, el: etree._Element, node: InlineNode, lang: str | None) -> None:
        last: etree._Element | None = None
        for child in node.children:
            if isinstance(child, str):
                if last is None:
                    el.text = (el.text or "") + child
                else:
                    last.tail = (last.tail or "") + child
                continue
            span = child.span
            assert span is not None
            sub = self._span_element(el, span, lang)
            self._link_piece(sub, span)
            inner = span.lang if span.kind == "foreign" or (span.lang and span.lang != lang) else lang
            self._children(sub, child, inner)
            last = sub

    def _link_piece(self, el: etree._Element, span: Span) -> None:
        """A span that XML nesting (or a verse line end) cut into pieces: each later piece points back
        at the previous one with `@prev`, TEI's way to say that elements form one virtual element."""
        key = getattr(span, "index", -1)
        if key < 0 or span.kind in (AUTO_LINK, REF_URL, REF_DATE):
            return
        previous = self.pieces.get((self.block_key, key))
        if previous is not None:
            if previous.get(XML_ID) is None:
                self.piece_count += 1
                previous.set(XML_ID, f"{self.record.id}-s{self.piece_count}")
            el.set("prev", "#" + str(previous.get(XML_ID)))
        self.pieces[(self.block_key, key)] = el

    def _span_element(self, parent: etree._Element, span: Span, lang: str | None) -> etree._Element:
        kind = span.kind
        if kind == "foreign":
            el = _sub(parent, "foreign")
            el.set(XML_LANG, span.lang or "")
        elif kind in ("emphasis", "strong"):
            default = "italic" if kind == "emphasis" else "bold"
            el = _sub(parent, "hi", rend=span.rend or default)
        elif kind == "link":
            el = _sub(parent, "ref")
            href = span.href or ""
            if _EMAIL.match(href):
                el.set("type", "email")
                href = _mailto(href)
            if href:
                el.set("target", href)
        elif kind == "noteref":
            el = _sub(parent, "ref", type="noteref")
            if span.href:
                el.set("target", span.href)
        elif kind == "code":
            el = _sub(parent, "code")
        elif kind == AUTO_LINK:
            el = _sub(parent, "ref", type="auto", target=span.href or "")
        elif kind == REF_URL:
            el = _sub(parent, "ref", type="url", target=span.href or "")
        elif kind == REF_DATE:
            el = _sub(parent, "date")
            if is_iso_date(span.href):
                el.set("when", span.href or "")
        else:  # an unknown kind still keeps its text, as a neutral segment
            el = _sub(parent, "seg", type=kind)
        if kind != "foreign" and span.lang and span.lang != lang:
            el.set(XML_LANG, span.lang)
        if kind not in (AUTO_LINK, REF_URL, REF_DATE):
            ana = self.analysis.ana(span.script, span.dir, span.evidence)
            if ana:
                el.set("ana", ana)
        return el

    # One writer per block type; each appends to `parent` and returns the element it made.

    def _text_element(self, tag: str, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        el = _sub(parent, tag)
        self.block_attrs(el, block, lang)
        self.inline(el, block.text, block.spans + _auto_links(block), block.lang)
        return el

    def paragraph(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        return self._text_element("p", parent, block, lang)

    def quote(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        return self._text_element("quote", parent, block, lang)

    def note(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        return self._text_element("note", parent, block, lang)

    def caption(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        figure = _sub(parent, "figure")
        el = _sub(figure, "head")
        self.block_attrs(el, block, lang)
        self.inline(el, block.text, block.spans, block.lang)
        return figure

    def verse(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        lg = _sub(parent, "lg")
        self.block_attrs(lg, block, lang)
        start = 0
        for line in block.text.split("\n"):
            end = start + len(line)
            cut = [(k, s) for k, s in enumerate(block.spans) if s.start < end and s.end > start]
            spans = [replace(s, start=max(s.start, start) - start, end=min(s.end, end) - start)
                     for _, s in cut]
            self.inline(_sub(lg, "l"), line, spans, block.lang, [k for k, _ in cut])
            start = end + 1
        return lg

    def reference(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        el = _sub(parent, "bibl")
        self.block_attrs(el, block, lang)
        extra: list[Span] = []
        appended: list[tuple[str, str]] = []
        for ref in self.record.metadata.references:
            if ref.block_id != block.id:
                continue
            for url in ref.urls:
                span = _free_run(block, url, REF_URL, url, extra)
                if span:
                    extra.append(span)
                else:
                    appended.append(("ref", url))
            if ref.date:
                span = _free_run(block, ref.date, REF_DATE, ref.date, extra)
                if span:
                    extra.append(span)
                elif is_iso_date(ref.date):
                    appended.append(("date", ref.date))
        self.inline(el, block.text, block.spans + extra, block.lang)
        for tag, value in appended:
            if tag == "ref":
                _sub(el, "ref", type="url", target=value)
            else:
                _sub(el, "date", when=value)
        return el

    def list_item(self, parent: etree._Element, block: Block, lang: str | None) -> etree._Element:
        el = _sub(parent, "item")
        self.block_attrs(el, block, lang)
        self.inline(el, block.text, block.spans + _auto_links(block), block.lang)
        return el


def _free_run(block: Block, needle: str, kind: str, value: str, taken: list[Span]) -> Span | None:
    """A span over the first occurrence of `needle` that no record span or earlier run overlaps."""
    start = block.text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if not any(s.start < end and s.end > start for s in [*block.spans, *taken]):
            return Span(start, end, kind, href=value)
        start = block.text.find(needle, start + 1)
    return None


def _auto_links(block: Block) -> list[Span]:
    """Bare URLs and e-mail addresses in the text become `ref`s, unless a span already covers them."""
    found: list[Span] = []
    for pattern, make in ((_URL_IN_TEXT, _web_target), (_EMAIL_IN_TEXT, _mailto)):
        for match in pattern.finditer(block.text):
            start, end = match.span()
            if any(s.start < end and s.end > start for s in [*block.spans, *found]):
                continue
            found.append(Span(start, end, AUTO_LINK, href=make(match.group())))
    return found


def _web_target(url: str) -> str:
    return url if "://" in url else "http://" + url


def _body(writer: _Writer, record: Record, lang: str | None) -> etree._Element:
    body = etree.Element(tei("body"))
    # (level, container) pairs: content goes into the innermost open div.
    stack: list[tuple[int, etree._Element]] = [(0, body)]
    group: etree._Element | None = None
    group_kind = ""
    for block in record.content_blocks():
        if block.type == "heading":
            level = max(block.level or 1, 1)
            while stack[-1][0] >= level:
                stack.pop()
            div = _sub(stack[-1][1], "div", type="section")
            stack.append((level, div))
            head = _sub(div, "head")
            writer.block_attrs(head, block, lang)
            writer.inline(head, block.text, block.spans, block.lang)
            place_anchors(head, block)
            group = None
            continue
        container = stack[-1][1]
        if block.type in ("list_item", "reference"):
            if group is None or group_kind != block.type or group.getparent() is not container \
                    or container[-1] is not group:
                group = _sub(container, "list" if block.type == "list_item" else "listBibl")
                group_kind = block.type
            place_anchors(getattr(writer, block.type)(group, block, lang), block)
            continue
        group = None
        method = getattr(writer, block.type, writer.paragraph)
        place_anchors(method(container, block, lang), block)
    if len(body) == 0:
        _sub(body, "p")
    return body


def _back(writer: _Writer, record: Record, lang: str | None) -> etree._Element | None:
    back = etree.Element(tei("back"))
    div: etree._Element | None = None
    previous = -2
    for index, block in enumerate(record.blocks):
        if block.type != "boilerplate":
            continue
        if div is None or index != previous + 1:
            div = _sub(back, "div", type="boilerplate", n=str(index))
        p = _sub(div, "p")
        writer.block_attrs(p, block, lang)
        writer.inline(p, block.text, block.spans, block.lang)
        place_anchors(p, block)
        previous = index
    writer.analysis.write(back)
    return back if len(back) else None


def record_to_tei(record: Record) -> etree._Element:
    """The record as a `TEI` element (no processing instructions; `tei_bytes` adds those)."""
    lang = record.main_language or "und"
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set(XML_LANG, lang)
    root.set(XML_ID, record.id)
    root.append(_header(record))
    writer = _Writer(record, _Analysis(record.id))
    for script in record.scripts:  # registered first, so their order restores record.scripts
        writer.analysis.pointer("script", script)
    text = _sub(root, "text")
    text.append(_body(writer, record, lang))
    back = _back(writer, record, lang)
    if back is not None:
        text.append(back)
    return root


def _serialize(root: etree._Element) -> bytes:
    _indent(root, 0)
    pis = b"".join(etree.tostring(pi, encoding="UTF-8") + b"\n" for pi in _model_pis())
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + pis + body + b"\n"


# Elements this writer fills with elements only; indenting them adds no text to the record's content.
_CONTAINERS = frozenset(
    tei(tag)
    for tag in (
        "TEI", "teiCorpus", "teiHeader", "fileDesc", "titleStmt", "author", "publicationStmt",
        "availability", "sourceDesc", "biblStruct", "analytic", "monogr", "imprint", "extent",
        "encodingDesc", "appInfo", "application", "editorialDecl", "normalization", "notesStmt",
        "profileDesc", "langUsage", "calendarDesc", "calendar", "abstract", "textClass", "keywords",
        "revisionDesc", "text", "body", "div", "lg", "list", "listBibl", "figure", "back", "interpGrp",
    )
)


def _indent(el: etree._Element, depth: int) -> None:
    """Indent element-only containers, so validation errors point at a useful line."""
    if el.tag not in _CONTAINERS or el.text or len(el) == 0 or any(c.tail for c in el):
        return
    el.text = "\n" + "  " * (depth + 1)
    for child in el:
        _indent(child, depth + 1)
        child.tail = "\n" + "  " * (depth + 1)
    el[-1].tail = "\n" + "  " * depth


def _model_pis() -> list[etree._ProcessingInstruction]:
    return [
        etree.ProcessingInstruction(
            "xml-model",
            f'href="{TEI_ALL_URL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"',
        ),
        etree.ProcessingInstruction(
            "xml-model", f'href="{RULES_NAME}" type="application/xml" schematypens="{SCHEMATRON_NS}"'
        ),
    ]


def tei_bytes(record: Record) -> bytes:
    """The record's TEI file: deterministic, so the same record always gives the same bytes."""
    return _serialize(record_to_tei(record))


class _CorpusUsage:
    """Language weights of the whole collection, gathered record by record (characters per language),
    so the corpus header can be written without holding the records."""

    def __init__(self) -> None:
        self.weights: dict[str, float] = {}
        self.records = 0

    def add(self, record: Record) -> None:
        self.records += 1
        chars = sum(len(b.text) for b in record.blocks)
        for tag, percent in _language_usage(record):
            self.weights[tag] = self.weights.get(tag, 0.0) + chars * percent / 100.0

    def shares(self) -> list[tuple[str, int]]:
        """Whole percentages per language, largest first, summing to 100."""
        return percentages(sorted(self.weights.items(), key=lambda kv: (-kv[1], kv[0])))


def _corpus_head(usage: _CorpusUsage, title: str = "archive corpus") -> bytes:
    """corpus.xml up to its first TEI: the prolog, `<teiCorpus>` and the header of the collection."""
    shares = usage.shares()
    root = etree.Element(tei("teiCorpus"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set(XML_LANG, shares[0][0] if shares else "und")
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    extent = _sub(file_desc, "extent")
    count = str(usage.records)
    _sub(extent, "measure", f"{count} records", unit="records", quantity=count)
    pub = _sub(file_desc, "publicationStmt")
    _sub(pub, "publisher", os.environ.get("ARCHIVE_PUBLISHER", "archive"))
    _sub(_sub(file_desc, "sourceDesc"), "p", f"A collection of {count} archived records.")
    app = _sub(_sub(_sub(header, "encodingDesc"), "appInfo"), "application", ident="archive",
               version=__version__)
    _sub(app, "label", "archive")
    _lang_usage(_sub(header, "profileDesc"), shares or [("und", 100)])
    whole = _serialize(root)
    return whole[: whole.rindex(b"</teiCorpus>")]


def _write_corpus(out: BinaryIO, usage: _CorpusUsage, record_files: list[Path]) -> None:
    """A `teiCorpus` of the records' own TEI files (in the order given), copied in one at a time.

    Each file's TEI element goes in as written, after its prolog: the corpus never exists as one
    tree in memory (20,000 records make a corpus of more than half a gigabyte), and the records are
    not converted a second time."""
    out.write(_corpus_head(usage))
    for path in record_files:
        data = path.read_bytes()
        out.write(data[data.index(b"<TEI"):])
    out.write(b"</teiCorpus>\n")


def rules_path() -> Path:
    """Our Schematron rules, shipped inside the package (schemas/ at the repo root links there)."""
    return Path(__file__).resolve().parents[1] / "schemas" / RULES_NAME


# Records one worker thread converts before it ends; see `_convert_batch`.
_RECORDS_PER_THREAD = 500


def write_tei(records: Iterable[Record], out_dir: Path) -> list[Path]:
    """Write `<id>.xml` per record and `corpus.xml` (records sorted by id); returns the written paths,
    sorted by name, corpus last. Records are taken one at a time, so a generator keeps memory flat."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    usage = _CorpusUsage()
    written: list[Path] = []
    pending = iter(records)
    while _convert_batch(pending, out_dir, usage, written):
        pass
    written.sort()
    rules = rules_path()
    if rules.exists():
        # The Schematron xml-model points at a sibling copy, so each export folder validates alone.
        write_bytes(out_dir / RULES_NAME, rules.read_bytes())
    corpus = out_dir / "corpus.xml"
    with atomic_path(corpus) as temporary, open(temporary, "wb") as out:
        _write_corpus(out, usage, written)
    written.append(corpus)
    return written


def _convert_batch(records: Iterator[Record], out_dir: Path, usage: _CorpusUsage, written: list[Path]) -> bool:
    """Convert up to `_RECORDS_PER_THREAD` records in a thread of their own; True if more may follow.

    libxml2 interns every xml:id value in lxml's string dictionary, which lives as long as its
    thread: converted in the main thread, 20,000 records would leave some 60 MB of ids behind. A
    short-lived thread takes its dictionary with it when it ends."""
    def convert() -> bool:
        for count, record in enumerate(records, 1):
            path = out_dir / f"{record.id}.xml"
            write_bytes(path, tei_bytes(record))
            written.append(path)
            usage.add(record)
            if count == _RECORDS_PER_THREAD:
                return True
        return False

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(convert).result()
