"""The one data model of the archive: every reader produces a `Record`, every exporter consumes one.

A record is plain data. `to_dict()` gives the JSON shape that `schemas/record.schema.json` describes,
and `from_dict()` is its exact inverse, so record -> JSON -> record is the identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

SCHEMA_VERSION = "1.0"

BLOCK_TYPES = (
    "heading",
    "paragraph",
    "verse",
    "quote",
    "list_item",
    "note",
    "reference",
    "caption",
    "boilerplate",
)
# A `hemistich` span covers one half of a bayt inside one line of a verse block (the words between
# the two halves stay outside both); a `noteref`'s href is "#<block id>" once linked to its note.
SPAN_KINDS = ("foreign", "emphasis", "strong", "link", "noteref", "code", "hemistich")
DIRECTIONS = ("ltr", "rtl")

T = TypeVar("T")


def _present(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes that are not None, in order: the JSON shape of the flat parts of a record.

    Written out rather than `dataclasses.asdict`, which deep-copies every value and costs about a
    third of a millisecond per record, on the path that stores every record of a batch."""
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            out[name] = value
    return out


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Build a flat dataclass from a dict, ignoring keys it does not know (forward compatibility)."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Span:
    """An inline run inside a block's text, by character offsets [start, end)."""

    start: int
    end: int
    kind: str
    lang: str | None = None
    script: str | None = None
    dir: str | None = None
    href: str | None = None
    rend: str | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _present(self, ("start", "end", "kind", "lang", "script", "dir", "href", "rend", "evidence"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return _build(cls, data)


@dataclass
class Anchor:
    """A point in a block's text that the source marks without words: a page break of the printed
    edition (`page`), a milestone of the source's own numbering (`milestone`, OpenITI's word-count
    blocks), or a tag of the source's markup that annotates the words around it (`tag`, OpenITI's
    `@YB123`). `offset` counts characters
    of the block's text; `n` is the source's name for the point."""

    offset: int
    kind: str
    n: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _present(self, ("offset", "kind", "n"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Anchor:
        return _build(cls, data)


ANCHOR_KINDS = ("page", "milestone", "tag")


@dataclass
class Block:
    """One structural unit of the text. Verse keeps its lines separated by newlines in `text`.

    `origin` is "ocr" for text recognised from an image, with the engine's mean word `confidence`
    (0-1); text the source itself holds has neither."""

    id: str
    type: str
    text: str
    lang: str | None = None
    script: str | None = None
    dir: str | None = None
    level: int | None = None
    label: str | None = None
    spans: list[Span] = field(default_factory=list)
    evidence: str | None = None
    anchors: list[Anchor] = field(default_factory=list)
    origin: str | None = None
    confidence: float | None = None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def to_dict(self) -> dict[str, Any]:
        out = _present(self, ("id", "type", "text", "lang", "script", "dir", "level", "label", "evidence",
                              "origin", "confidence"))
        out["spans"] = [s.to_dict() for s in self.spans]
        if self.anchors:  # most sources mark no pages: records without them keep their shape
            out["anchors"] = [a.to_dict() for a in self.anchors]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        block = _build(cls, {k: v for k, v in data.items() if k not in ("spans", "anchors")})
        block.spans = [Span.from_dict(s) for s in data.get("spans", [])]
        block.anchors = [Anchor.from_dict(a) for a in data.get("anchors", [])]
        return block


@dataclass
class Encoding:
    """How the bytes became text; `method` is one of bom, declared, detected, fallback, binary."""

    name: str
    confidence: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "confidence": self.confidence, "method": self.method}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Encoding:
        return _build(cls, data)


@dataclass
class Source:
    """The source file. `filename` is its name as it is safe to show (control, bidi and undecodable
    characters escaped, see `errors.display_path`); `filename_bytes` keeps the name's exact bytes,
    base64-encoded, whenever the shown form differs from them, so no name is lost or confused."""

    filename: str
    size: int
    sha256: str
    media_type: str
    encoding: Encoding | None = None
    path: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    filename_bytes: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "info": self.info,
        }
        if self.encoding is not None:
            out["encoding"] = self.encoding.to_dict()
        if self.path is not None:
            out["path"] = self.path
        if self.filename_bytes is not None:
            out["filename_bytes"] = self.filename_bytes
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        source = _build(cls, {k: v for k, v in data.items() if k != "encoding"})
        if data.get("encoding") is not None:
            source.encoding = Encoding.from_dict(data["encoding"])
        return source


@dataclass
class Person:
    name: str
    affiliation: str | None = None
    role: str = "author"

    def to_dict(self) -> dict[str, Any]:
        return _present(self, ("name", "affiliation", "role"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Person:
        return _build(cls, data)


@dataclass
class DateValue:
    """A date as ISO 8601 (Gregorian) plus the text it was read from and the calendar that text used."""

    iso: str
    original: str
    calendar: str = "gregorian"
    role: str = "published"

    def to_dict(self) -> dict[str, Any]:
        return {"iso": self.iso, "original": self.original, "calendar": self.calendar, "role": self.role}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateValue:
        return _build(cls, data)


@dataclass
class Citation:
    """Where the source was originally published, as a bibliographic citation gives it."""

    text: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    year: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _present(self, ("text", "journal", "volume", "issue", "pages", "year", "url"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        return _build(cls, data)


@dataclass
class Reference:
    """One entry of the source's own reference list; `block_id` points at its `reference` block."""

    label: str | None
    text: str
    urls: list[str] = field(default_factory=list)
    date: str | None = None
    block_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = _present(self, ("label", "text", "urls", "date", "block_id"))
        out["urls"] = list(self.urls)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reference:
        return _build(cls, {"label": None, **data})  # to_dict leaves out an absent label


@dataclass
class Metadata:
    title: str | None = None
    title_lang: str | None = None
    subtitle: str | None = None
    authors: list[Person] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    publisher: str | None = None
    site: str | None = None
    urls: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    citation: Citation | None = None
    license: str | None = None
    references: list[Reference] = field(default_factory=list)

    def date(self, role: str = "published") -> DateValue | None:
        """The first date with `role`, else the first date of any role."""
        for value in self.dates:
            if value.role == role:
                return value
        return self.dates[0] if self.dates else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name in ("authors", "dates", "references"):
                out[f.name] = [v.to_dict() for v in value]
            elif f.name == "citation":
                out[f.name] = value.to_dict()
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        simple = {k: v for k, v in data.items() if k not in ("authors", "dates", "references", "citation")}
        meta = _build(cls, simple)
        meta.authors = [Person.from_dict(p) for p in data.get("authors", [])]
        meta.dates = [DateValue.from_dict(d) for d in data.get("dates", [])]
        meta.references = [Reference.from_dict(r) for r in data.get("references", [])]
        if data.get("citation") is not None:
            meta.citation = Citation.from_dict(data["citation"])
        return meta


@dataclass
class Event:
    """One provenance event: what stage did what, by which software, with which evidence."""

    event: str
    at: str
    agent: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "at": self.at, "agent": self.agent, "detail": dict(self.detail)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return _build(cls, data)


@dataclass
class LanguageShare:
    tag: str
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "share": self.share}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LanguageShare:
        return _build(cls, data)


@dataclass
class Record:
    id: str
    source: Source
    metadata: Metadata = field(default_factory=Metadata)
    languages: list[LanguageShare] = field(default_factory=list)
    main_language: str | None = None
    scripts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    provenance: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def content_blocks(self) -> list[Block]:
        """The reading text: every block but boilerplate."""
        return [b for b in self.blocks if b.type != "boilerplate"]

    def boilerplate_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.type == "boilerplate"]

    @property
    def direction(self) -> str:
        """The direction of the record's main language, from its blocks."""
        main = self.main_language
        for block in self.blocks:
            if block.lang == main and block.dir:
                return block.dir
        return "ltr"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "source": self.source.to_dict(),
            "metadata": self.metadata.to_dict(),
            "languages": [lang.to_dict() for lang in self.languages],
            "main_language": self.main_language,
            "scripts": list(self.scripts),
            "blocks": [b.to_dict() for b in self.blocks],
            "provenance": [e.to_dict() for e in self.provenance],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            schema_version=data.get("schema_version", SCHEMA_VERSION),
            id=data["id"],
            source=Source.from_dict(data["source"]),
            metadata=Metadata.from_dict(data.get("metadata", {})),
            languages=[LanguageShare.from_dict(x) for x in data.get("languages", [])],
            main_language=data.get("main_language"),
            scripts=list(data.get("scripts", [])),
            blocks=[Block.from_dict(b) for b in data.get("blocks", [])],
            provenance=[Event.from_dict(e) for e in data.get("provenance", [])],
            warnings=list(data.get("warnings", [])),
        )


def record_id(sha256: str) -> str:
    """A record's id: stable for the same bytes, short enough for file names, a valid XML NCName."""
    return "r" + sha256[:16]
