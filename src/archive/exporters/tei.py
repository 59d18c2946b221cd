"""TEI P5 export: one `TEI` document per record and a `teiCorpus` for the collection.

Everything a record holds is expressed in TEI-valid places so that `readers.tei.tei_to_record` can
restore it, and so that TEI tools (the TEI Consortium's stylesheets, CETEIcean, corpus tools reading
`itertext()`) show the source's words and nothing else as its text:

- block ids: `xml:id` = "<record id>-<block id>" (prefixed so ids stay unique inside a teiCorpus);
- direction, as TEI tools read it: `@rendition` pointing at a `<rendition scheme="css">` of the
  header's `tagsDecl`, on `<text>` when the document runs right to left and on every block or inline
  run whose direction differs from the element around it;
- a block's or span's script, direction, heading level and language-detection evidence (analysis,
  not text): `@ana` pointers to the categories of one `taxonomy` in the header's `classDecl`;
- labels (list numbers, note and reference labels): `@n`, TEI's "number or label";
- a note call: `<ref type="noteref" target="#…">` pointing at the `note`'s `xml:id`;
- verse: `lg`/`l`, each hemistich of a bayt a `<seg type="hemistich">`;
- boilerplate: `back/div type="boilerplate"`, `@n` its index among the record's blocks, and a
  rendition that hides it (`display: none`), so the reading view shows the work alone;
- `Metadata.references`: the reference blocks themselves (`listBibl/bibl type="reference"`), the
  label a `<seg type="label">`, links `ref`/`ptr`, the date a `<date when>` over its words; only a
  reference these cannot restore exactly is listed again in `sourceDesc/listBibl`;
- provenance and what the reader knew: words in `change`, the details as a feature structure.

Output is deterministic: nothing depends on the clock, and every map is iterated in a fixed order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from .. import __version__
from ..atomic import atomic_path, remove_stale_temporaries, write_bytes
from ..dates import find_dates
from ..errors import display_path
from ..inline import InlineNode, nest_spans
from ..langtags import language_name
from ..record import DIRECTIONS, Block, Event, Record, Reference, Span
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
REF_LABEL = "_reflabel"
HEMISTICH = "hemistich"


_ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NCNAME_BAD = re.compile(r"[^A-Za-z0-9._-]")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


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


# What each kind of analysis value is, as the header's taxonomy describes it.
_ANALYSIS_KINDS = {
    "script": "Writing system (ISO 15924 code)",
    "dir": "Direction of the writing",
    "level": "Heading level",
    "evidence": "What decided the language",
}

# The CSS each rendition declares; `unicode-bidi: isolate` keeps a run's neutral characters (digits,
# punctuation) with it instead of with the text around it.
_RENDITIONS = {
    "rtl": "direction: rtl; unicode-bidi: isolate;",
    "ltr": "direction: ltr; unicode-bidi: isolate;",
    "boilerplate": "display: none;",
    "bayt": "display: flex; flex-wrap: wrap; justify-content: space-between; column-gap: 2em;",
}


@dataclass
class _Analysis:
    """The analysis values a record's blocks and spans point at (`@ana`), numbered in first-use order,
    and the renditions they use (`@rendition`); both are written into the header once the text is."""

    record_id: str
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    renditions: dict[str, None] = field(default_factory=dict)

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

    def rendition(self, name: str) -> str:
        self.renditions.setdefault(name, None)
        return f"#{self.record_id}-{name}"

    def write(self, encoding_desc: etree._Element) -> None:
        """`tagsDecl` with the renditions used, `classDecl` with the analysis values used."""
        if self.renditions:
            tags = _sub(encoding_desc, "tagsDecl")
            for name in _RENDITIONS:
                if name in self.renditions:
                    rendition = _sub(tags, "rendition", _RENDITIONS[name], scheme="css")
                    rendition.set(XML_ID, f"{self.record_id}-{name}")
        if not self.ids:
            return
        taxonomy = _sub(_sub(encoding_desc, "classDecl"), "taxonomy")
        taxonomy.set(XML_ID, f"{self.record_id}-analysis")
        _sub(taxonomy, "desc", "How the archive read each block and inline run; @ana points here.")
        for kind, description in _ANALYSIS_KINDS.items():
            values = [(value, xml_id) for (k, value), xml_id in self.ids.items() if k == kind]
            if not values:
                continue
            group = _sub(taxonomy, "category", n=kind)
            group.set(XML_ID, f"{self.record_id}-{kind}")
            _sub(group, "catDesc", description)
            for value, xml_id in values:
                category = _sub(group, "category")
                category.set(XML_ID, xml_id)
                _sub(category, "catDesc", value)


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


def _source_desc(file_desc: etree._Element, record: Record, references: list[Reference]) -> None:
    meta = record.metadata
    citation = meta.citation
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(source_desc, "biblStruct")
    if meta.title or meta.authors:
        analytic = _sub(bibl, "analytic")
        _persons(analytic, record)
        if meta.title:
            title = _sub(analytic, "title", meta.title, level="a")
            if meta.title_lang:
                title.set(XML_LANG, meta.title_lang)
    monogr = _sub(bibl, "monogr")
    if citation and citation.journal:
        _sub(monogr, "title", citation.journal, level="j")
    if meta.site:
        _sub(monogr, "title", meta.site, type="site")
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
        # TEI requires an imprint; "n.d." is the bibliographer's own words for "no date given".
        _sub(imprint, "date", "n.d.")
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
        note = _sub(bibl, "note", "What the reader of this format recorded:", type="info")
        _feature_structure(note, record.source.info, "info")
    if citation and citation.text:
        _sub(bibl, "note", citation.text, type="citation")
    # The citation's own address is usually among the source's addresses: written once, marked so.
    if citation and citation.url and citation.url not in meta.urls:
        _sub(bibl, "ref", citation.url, type="citation", target=citation.url)
    for url in meta.urls:
        ref = _sub(bibl, "ref", url, type="url", target=url)
        if citation and citation.url == url:
            ref.set("subtype", "citation")
    for email in meta.emails:
        _sub(bibl, "ref", email, type="email", target=_mailto(email))
    if references:
        _header_references(source_desc, record, references)


def _header_references(parent: etree._Element, record: Record, references: list[Reference]) -> None:
    """References the text's own `bibl`s cannot give back exactly, each listed once more with what
    they hold; an entry whose words are its block's points at that block instead of repeating them."""
    blocks = {b.id: b for b in record.blocks}
    list_bibl = _sub(parent, "listBibl", type="references")
    for ref in references:
        block = blocks.get(ref.block_id or "")
        bibl = _sub(list_bibl, "bibl")
        if block is not None and block.text == ref.text:
            bibl.set("type", "pointer")
        else:
            bibl.text = ref.text
        if ref.label is not None:
            bibl.set("n", ref.label)
        if ref.block_id is not None:
            bibl.set("corresp", f"#{record.id}-{ref.block_id}")
        for url in ref.urls:
            _sub(bibl, "ptr", target=url)
        if ref.date:
            date = _sub(bibl, "date", ref.date)
            if is_iso_date(ref.date):
                date.set("when", ref.date)


# ------------------------------------------------------------------------- feature structures


def _feature_structure(parent: etree._Element, values: dict[str, Any], kind: str) -> etree._Element:
    """A JSON object as a TEI feature structure: each key an `f`, each value its typed element, so
    the details stay structured without JSON text in the header."""
    fs = _sub(parent, "fs", type=kind)
    for key, value in values.items():
        _feature_value(_sub(fs, "f", name=_feature_name(str(key))), value, str(key))
    return fs


def _feature_name(key: str) -> str:
    """f/@name must be an XML name; other keys are kept whole in the `f`'s @n."""
    return key if _XML_NAME.match(key) else "key"


# What a reader reports about a file (a PDF's producer, a package's metadata) comes from the file as it
# is: characters XML 1.0 cannot hold are shown as U+FFFD in the header rather than break the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _feature_value(f: etree._Element, value: Any, key: str) -> None:
    if f.get("name") == "key" and key != "key":
        f.set("n", _NOT_XML.sub("\ufffd", key))
    if value is None:
        _sub(f, "symbol", value="null")
    elif isinstance(value, bool):
        _sub(f, "binary", value="true" if value else "false")
    elif isinstance(value, (int, float)):
        numeric = _sub(f, "numeric", value=repr(value))
        if isinstance(value, int):  # @trunc: the value is a whole number
            numeric.set("trunc", "true")
    elif isinstance(value, str):
        if value:
            _sub(f, "string", _NOT_XML.sub("\ufffd", value))
        else:
            _sub(f, "symbol", value="empty")
    elif isinstance(value, dict):
        _feature_structure(f, value, "map")
    elif isinstance(value, (list, tuple)):
        # A value collection holds single values and structures; a list inside a list becomes a
        # structure of "item" features.
        collection = _sub(f, "vColl", org="list")
        for item in value:
            if isinstance(item, (list, tuple)):
                inner = _sub(collection, "fs", type="list")
                for part in item:
                    _feature_value(_sub(inner, "f", name="item"), part, "item")
                continue
            holder = etree.Element(tei("f"), name="item")
            _feature_value(holder, item, "item")
            collection.extend(list(holder))
    else:
        _sub(f, "string", str(value))


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


# What each pipeline stage did, in words; the exact details follow as a feature structure.
_EVENT_WORDS = {
    "read": "Read the source file",
    "decode": "Decoded the bytes to text",
    "normalize": "Normalized the text",
    "detect": "Detected the languages, scripts and directions",
    "extract": "Extracted the metadata",
}


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
        words = _EVENT_WORDS.get(event.event, f"Stage {event.event}")
        change.text = words + " with "
        name = _sub(change, "name", event.agent, type="agent")
        name.tail = "."
        if event.detail:
            name.tail = ". Details:"
            _feature_structure(change, event.detail, "detail")


def _header(record: Record, references: list[Reference]) -> etree._Element:
    meta = record.metadata
    header = etree.Element(tei("teiHeader"))
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    if meta.title:
        title = _sub(title_stmt, "title", meta.title, type="main")
        if meta.title_lang:
            title.set(XML_LANG, meta.title_lang)
    else:
        # A file with no title is named by its file name, typed so that it is not taken for a title.
        _sub(title_stmt, "title", display_path(record.source.filename) or record.id, type="file")
    if meta.subtitle:
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
    _source_desc(file_desc, record, references)
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
class _ReferenceRuns:
    """How a reference's details sit in its own `bibl`: the label's run, the runs marked as its links
    and its date, and the links that are nowhere in its words (written as `ptr`)."""

    label_end: int = 0
    runs: list[Span] = field(default_factory=list)
    pointers: list[str] = field(default_factory=list)


@dataclass
class _Writer:
    record: Record
    analysis: _Analysis
    references: dict[str, _ReferenceRuns] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    pieces: dict[tuple[str, int], etree._Element] = field(default_factory=dict)
    piece_count: int = 0
    block_key: str = ""

    def block_attrs(self, el: etree._Element, block: Block, parent_lang: str | None,
                    parent_dir: str, with_label: bool = True) -> str:
        """Identity, language, label, analysis and direction of a block's element; returns the
        direction in force inside it."""
        el.set(XML_ID, f"{self.record.id}-{block.id}")
        self.block_key = block.id
        if block.lang != parent_lang:
            el.set(XML_LANG, block.lang or "")
        if with_label and block.label is not None:
            el.set("n", block.label)
        ana = self.analysis.ana(block.script, block.dir, block.evidence, block.level)
        if ana:
            el.set("ana", ana)
        return self.direction(el, block.dir, parent_dir)

    def direction(self, el: etree._Element, own: str | None, parent_dir: str) -> str:
        if own in DIRECTIONS and own != parent_dir:
            el.set("rendition", self.analysis.rendition(own or ""))
            return own or parent_dir
        return parent_dir

    def inline(self, el: etree._Element, text: str, spans: list[Span], lang: str | None, direction: str,
               keys: list[int] | None = None) -> None:
        """Write `text` with its spans as mixed content of `el`; `lang` and `direction` are in force
        there. `keys` identify the spans across calls (verse lines), by default their positions."""
        keys = keys if keys is not None else list(range(len(spans)))
        indexed = [_Piece(**{f.name: getattr(s, f.name) for f in fields(Span)}, index=k)
                   for k, s in zip(keys, spans, strict=True)]
        self._children(el, nest_spans(text, list(indexed)), lang, direction)

    def _children(self, el: etree._Element, node: InlineNode, lang: str | None, direction: str) -> None:
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
            sub = self._span_element(el, span, lang, child)
            self._link_piece(sub, span)
            inner = span.lang if span.kind == "foreign" or (span.lang and span.lang != lang) else lang
            inner_dir = self.direction(sub, span.dir, direction)
            self._children(sub, child, inner, inner_dir)
            last = sub

    def _link_piece(self, el: etree._Element, span: Span) -> None:
        """A span that XML nesting (or a verse line end) cut into pieces: each later piece points back
        at the previous one with `@prev`, TEI's way to say that elements form one virtual element."""
        key = getattr(span, "index", -1)
        if key < 0 or span.kind.startswith("_"):
            return
        previous = self.pieces.get((self.block_key, key))
        if previous is not None:
            if previous.get(XML_ID) is None:
                self.piece_count += 1
                previous.set(XML_ID, f"{self.record.id}-s{self.piece_count}")
            el.set("prev", "#" + str(previous.get(XML_ID)))
        self.pieces[(self.block_key, key)] = el

    def _span_element(self, parent: etree._Element, span: Span, lang: str | None,
                      node: InlineNode) -> etree._Element:
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
            target = self.note_target(span.href)
            if target:
                el.set("target", target)
        elif kind == "code" and any(not isinstance(c, str) for c in node.children):
            # TEI's `code` holds characters only: code with marked runs inside is a typed segment.
            el = _sub(parent, "seg", type="code")
        elif kind == "code":
            el = _sub(parent, "code")
        elif kind == HEMISTICH:
            el = _sub(parent, "seg", type="hemistich")
        elif kind == AUTO_LINK:
            el = _sub(parent, "ref", type="auto", target=span.href or "")
        elif kind == REF_URL:
            el = _sub(parent, "ref", type="url", target=span.href or "")
        elif kind == REF_DATE:
            el = _sub(parent, "date", when=span.href or "")
        elif kind == REF_LABEL:
            el = _sub(parent, "seg", type="label")
        else:  # an unknown kind still keeps its text, as a neutral segment
            el = _sub(parent, "seg", type=kind)
        if kind != "foreign" and span.lang and span.lang != lang:
            el.set(XML_LANG, span.lang)
        if not kind.startswith("_"):
            ana = self.analysis.ana(span.script, span.dir, span.evidence)
            if ana:
                el.set("ana", ana)
        return el

    def note_target(self, href: str | None) -> str | None:
        """A note call points at its note's xml:id when the record links it to a block (`#b7`);
        any other target is kept as the source gave it."""
        if href and href.startswith("#") and href[1:] in self.notes:
            return "#" + self.notes[href[1:]]
        return href

    # One writer per block type; each appends to `parent` and returns the element it made.

    def _text_element(self, tag: str, parent: etree._Element, block: Block, lang: str | None,
                      direction: str) -> etree._Element:
        el = _sub(parent, tag)
        inner = self.block_attrs(el, block, lang, direction)
        self.inline(el, block.text, block.spans + _auto_links(block), block.lang, inner)
        return el

    def paragraph(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        return self._text_element("p", parent, block, lang, direction)

    def quote(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        return self._text_element("quote", parent, block, lang, direction)

    def note(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        return self._text_element("note", parent, block, lang, direction)

    def caption(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        figure = _sub(parent, "figure")
        el = _sub(figure, "head")
        inner = self.block_attrs(el, block, lang, direction)
        self.inline(el, block.text, block.spans, block.lang, inner)
        return figure

    def verse(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        lg = _sub(parent, "lg")
        inner = self.block_attrs(lg, block, lang, direction)
        start = 0
        for line in block.text.split("\n"):
            end = start + len(line)
            cut = [(k, s) for k, s in enumerate(block.spans) if s.start < end and s.end > start]
            spans = [replace(s, start=max(s.start, start) - start, end=min(s.end, end) - start)
                     for _, s in cut]
            l_el = _sub(lg, "l")
            if sum(1 for s in spans if s.kind == HEMISTICH) > 1:
                # The hemistichs of a bayt side by side, as printed editions set them.
                l_el.set("rendition", self.analysis.rendition("bayt"))
            self.inline(l_el, line, spans, block.lang, inner, [k for k, _ in cut])
            start = end + 1
        return lg

    def reference(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        el = _sub(parent, "bibl")
        inner = self.block_attrs(el, block, lang, direction)
        runs = self.references.get(block.id)
        if runs is None:
            self.inline(el, block.text, block.spans, block.lang, inner)
            return el
        el.set("type", "reference")
        extra = list(runs.runs)
        if runs.label_end:
            extra.append(Span(0, runs.label_end, REF_LABEL))
        self.inline(el, block.text, block.spans + extra, block.lang, inner)
        for url in runs.pointers:
            _sub(el, "ptr", target=url)
        return el

    def list_item(self, parent: etree._Element, block: Block, lang: str | None, direction: str) -> etree._Element:
        el = _sub(parent, "item")
        inner = self.block_attrs(el, block, lang, direction)
        self.inline(el, block.text, block.spans + _auto_links(block), block.lang, inner)
        return el


def _free_run(block: Block, needle: str, kind: str, value: str, taken: list[Span],
              start: int = 0) -> Span | None:
    """A span over the first occurrence of `needle` from `start` that no record span or earlier run
    overlaps."""
    start = block.text.find(needle, start)
    while start >= 0:
        end = start + len(needle)
        if not any(s.start < end and s.end > start for s in [*block.spans, *taken]):
            return Span(start, end, kind, href=value)
        start = block.text.find(needle, start + 1)
    return None


def _reference_runs(block: Block, ref: Reference) -> _ReferenceRuns | None:
    """Where the reference's label, links and date sit in its block, or None when its `bibl` could not
    give the reference back exactly (it is then listed in the header as well)."""
    if ref.label != block.label:
        return None
    runs = _ReferenceRuns()
    if ref.text != block.text:
        # The entry's own words follow its label ("[1] Al Jazeera…"): the label becomes a segment.
        prefix = block.text[: len(block.text) - len(ref.text)]
        if not block.text.endswith(ref.text) or not prefix.strip() or not prefix[-1].isspace() \
                or prefix[0].isspace():
            return None
        runs.label_end = len(prefix.rstrip())
        if any(s.start < runs.label_end for s in block.spans):
            return None
    body = ref.text
    offset = len(block.text) - len(body)
    linked = [s for s in block.spans if s.kind == "link" and s.href and not _EMAIL.match(s.href)]
    found: list[tuple[int, str]] = [(s.start, s.href or "") for s in linked]
    for url in ref.urls:
        if any(href == url for _, href in found):
            continue
        span = _free_run(block, url, REF_URL, url, runs.runs, offset)
        if span is None:
            runs.pointers.append(url)
        else:
            runs.runs.append(span)
            found.append((span.start, url))
    derived = list(dict.fromkeys([href for _, href in sorted(found, key=lambda f: f[0])] + runs.pointers))
    if derived != ref.urls:
        return None
    if ref.date is not None:
        date = _date_run(block, ref, offset, runs.runs)
        if date is None:
            return None
        runs.runs.append(date)
    return runs


def _date_run(block: Block, ref: Reference, offset: int, taken: list[Span]) -> Span | None:
    """The words the reference's date was read from, as the metadata stage finds them; else the ISO
    date itself where the text writes it so."""
    if not is_iso_date(ref.date):
        return None
    unlinked = _URL_IN_TEXT.sub(lambda m: " " * len(m.group()), ref.text)
    for value, start, end in find_dates(unlinked, bare_years=True, lang=block.lang):
        span = Span(offset + start, offset + end, REF_DATE, href=ref.date)
        if value.iso == ref.date and not any(s.start < span.end and s.end > span.start
                                             for s in [*block.spans, *taken]):
            return span
    return _free_run(block, ref.date or "", REF_DATE, ref.date or "", taken, offset)


def _plan_references(record: Record) -> tuple[dict[str, _ReferenceRuns], list[Reference]]:
    """Each reference in its own block's `bibl` when that gives it back exactly and in order;
    otherwise all of them in the header's list (a reference is never written twice over)."""
    blocks = {b.id: b for b in record.blocks if b.type == "reference"}
    plans: dict[str, _ReferenceRuns] = {}
    order = [b.id for b in record.blocks if b.type == "reference"]
    for ref in record.metadata.references:
        block = blocks.get(ref.block_id or "")
        runs = _reference_runs(block, ref) if block is not None and ref.block_id not in plans else None
        if runs is None:
            return {}, list(record.metadata.references)
        plans[ref.block_id or ""] = runs
    if [b for b in order if b in plans] != [r.block_id for r in record.metadata.references]:
        return {}, list(record.metadata.references)
    return plans, []


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


def _body(writer: _Writer, record: Record, lang: str | None, direction: str) -> etree._Element:
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
            inner = writer.block_attrs(head, block, lang, direction)
            writer.inline(head, block.text, block.spans, block.lang, inner)
            place_anchors(head, block)
            group = None
            continue
        container = stack[-1][1]
        if block.type in ("list_item", "reference"):
            if group is None or group_kind != block.type or group.getparent() is not container \
                    or container[-1] is not group:
                group = _sub(container, "list" if block.type == "list_item" else "listBibl")
                group_kind = block.type
            place_anchors(getattr(writer, block.type)(group, block, lang, direction), block)
            continue
        group = None
        method = getattr(writer, block.type, writer.paragraph)
        place_anchors(method(container, block, lang, direction), block)
    if len(body) == 0:
        _sub(body, "p")
    return body


def _back(writer: _Writer, record: Record, lang: str | None, direction: str) -> etree._Element | None:
    """Boilerplate, kept where TEI keeps matter outside the work, with a rendition that hides it: the
    TEI stylesheets and CETEIcean then show the work alone, and the words stay in the file."""
    back = etree.Element(tei("back"))
    div: etree._Element | None = None
    previous = -2
    for index, block in enumerate(record.blocks):
        if block.type != "boilerplate":
            continue
        if div is None or index != previous + 1:
            div = _sub(back, "div", type="boilerplate", n=str(index))
            div.set("rendition", writer.analysis.rendition("boilerplate"))
        p = _sub(div, "p")
        inner = writer.block_attrs(p, block, lang, direction)
        writer.inline(p, block.text, block.spans, block.lang, inner)
        place_anchors(p, block)
        previous = index
    return back if len(back) else None


def record_to_tei(record: Record) -> etree._Element:
    """The record as a `TEI` element (no processing instructions; `tei_bytes` adds those)."""
    lang = record.main_language or "und"
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set(XML_LANG, lang)
    root.set(XML_ID, record.id)
    plans, listed = _plan_references(record)
    writer = _Writer(record, _Analysis(record.id), plans,
                     {b.id: f"{record.id}-{b.id}" for b in record.blocks})
    for script in record.scripts:  # registered first, so their order restores record.scripts
        writer.analysis.pointer("script", script)
    text = etree.Element(tei("text"))
    direction = writer.direction(text, record.direction, "ltr")
    text.append(_body(writer, record, lang, direction))
    back = _back(writer, record, lang, direction)
    if back is not None:
        text.append(back)
    header = _header(record, listed)
    writer.analysis.write(_first_child(header, "encodingDesc"))
    root.append(header)
    root.append(text)
    return root


def _first_child(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(tei(tag))
    assert found is not None
    return found


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
        "revisionDesc", "text", "body", "div", "lg", "list", "listBibl", "figure", "back", "tagsDecl",
        "classDecl", "taxonomy", "category", "fs", "f", "vColl",
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


def write_tei(records: Iterable[Record], out_dir: Path,
              on_error: Callable[[str, BaseException], None] | None = None) -> list[Path]:
    """Write `<id>.xml` per record and `corpus.xml` (records sorted by id); returns the written paths,
    sorted by name, corpus last. Records are taken one at a time, so a generator keeps memory flat.
    `on_error(record_id, error)`, when given, is told of a record that cannot be converted, which is
    then left out, instead of the error ending the export."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    usage = _CorpusUsage()
    written: list[Path] = []
    pending = iter(records)
    while _convert_batch(pending, out_dir, usage, written, on_error):
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


def _convert_batch(records: Iterator[Record], out_dir: Path, usage: _CorpusUsage, written: list[Path],
                   on_error: Callable[[str, BaseException], None] | None = None) -> bool:
    """Convert up to `_RECORDS_PER_THREAD` records in a thread of their own; True if more may follow.

    libxml2 interns every xml:id value in lxml's string dictionary, which lives as long as its
    thread: converted in the main thread, 20,000 records would leave some 60 MB of ids behind. A
    short-lived thread takes its dictionary with it when it ends."""
    def convert() -> bool:
        for count, record in enumerate(records, 1):
            path = out_dir / f"{record.id}.xml"
            try:
                write_bytes(path, tei_bytes(record))
            except Exception as error:
                if on_error is None:
                    raise
                on_error(record.id, error)
                continue
            written.append(path)
            usage.add(record)
            if count == _RECORDS_PER_THREAD:
                return True
        return False

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(convert).result()
