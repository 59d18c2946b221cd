"""What a reader returns: a draft document, before normalization, language detection and metadata.

Readers know formats, nothing else. Inline runs keep their marks (emphasis, link…) as separate pieces
so normalization can work on each piece and the pipeline can compute span offsets afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..record import Encoding, Event


@dataclass
class Inline:
    """A run of text with the inline marks the source gave it (`emphasis`, `strong`, `link`, `code`,
    `noteref`); `href` goes with `link`; `lang` is a language the source declared for the run."""

    text: str
    marks: tuple[str, ...] = ()
    href: str | None = None
    lang: str | None = None
    # A point the source marks between words (a page break, a milestone): an empty run whose
    # (kind, name) becomes a record.Anchor at the place it stands.
    point: tuple[str, str | None] | None = None


@dataclass
class DraftBlock:
    """`type` is one of record.BLOCK_TYPES; `lang`/`dir` only when the source declares them."""

    type: str
    inlines: list[Inline]
    level: int | None = None
    label: str | None = None
    lang: str | None = None
    dir: str | None = None
    origin: str | None = None
    confidence: float | None = None

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)


@dataclass
class Part:
    """A document inside a container (a page a WARC captured): its own bytes, read into a record of its
    own by the reader of its format. `charset` is what the container declared for it (HTTP's
    Content-Type); `info` goes into the part's Source.info; `url` and `captured` (ISO 8601) into its
    metadata and provenance."""

    data: bytes
    filename: str
    charset: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    captured: str | None = None


@dataclass
class Draft:
    """A structured document as the reader saw it.

    `meta` holds what the format itself declares, with these keys when known: title, subtitle,
    authors (list of str), dates (list of [text, role]), lang, publisher, site, urls (list), keywords
    (list), abstract, license, description, citation (dict: journal, volume, issue, pages, year, url),
    fallback_dates (list of [text, role]: guesses taken only where nothing else dates the document).
    `info` goes into Source.info (pages, producer, package metadata…).
    """

    blocks: list[DraftBlock]
    encoding: Encoding | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    # Provenance a reader adds of its own (an OCR engine's run), after the pipeline's read event.
    events: list[Event] = field(default_factory=list)


@dataclass
class ReadOptions:
    """Options a reader may honour; `filename` is only a hint."""

    filename: str = ""
    # The file's path where it has one: a format whose metadata lives beside it (OpenITI's .yml) reads it.
    path: str = ""
    password: str | None = None
    max_bytes: int = 200 * 1024 * 1024
    # The charset a container declared for these bytes (a WARC's HTTP Content-Type), ahead of the
    # document's own declaration, as browsers take it.
    charset: str | None = None
    # OCR of page images: "auto" (when Tesseract is installed), "never", or "always" (every PDF page,
    # its text layer aside).
    ocr: str = "auto"


class Reader(Protocol):
    def __call__(self, data: bytes, options: ReadOptions) -> Draft: ...


class FormatError(ValueError):
    """Raised by a reader when the bytes are damaged, encrypted or hostile; the pipeline adds the path."""
