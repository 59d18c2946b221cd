"""EPUB 3 reading packs: records made readable on any e-reader, in their own languages and directions.

The package documents are made here and the ZIP by the standard library's `zipfile`, with every choice
that makes a pack reproducible fixed: members in a fixed order, `mimetype` first and stored, a constant
timestamp on every member, and `dcterms:modified` taken from SOURCE_DATE_EPOCH or from the records' own
provenance, never the clock.
The same records therefore always give the same file, and a pack can be checked by its checksum.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import sqlite3
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, suppress
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..atomic import atomic_path, remove_stale_temporaries
from ..record import Record
from ..scripts import direction_of_script, main_script
from ..select import select_records
from .epub_package import Creator, Item, PackageInfo, container_xml, content_opf, nav_xhtml, toc_ncx
from .epub_xhtml import (
    Appendix,
    Entry,
    chapter,
    entry,
    lang_dir,
    record_title,
    title_dir,
    title_lang,
    title_page,
    xml_id,
)

__all__ = ["build_epub", "pack_name", "select_records", "write_epub", "write_epubs"]

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FALLBACK_MODIFIED = "2000-01-01T00:00:00Z"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
CSS = "style.css"
TITLE_PAGE = "title.xhtml"
NAV = "nav.xhtml"
APPENDIX = "appendix.xhtml"

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_FONT_FAMILY = re.compile(r"font-family:\s*(?!\"DejaVu Sans Mono\")")


# ---------------------------------------------------------------- pack metadata


class PackSummary:
    """What the package metadata says of a whole pack, gathered one record at a time, so a pack of
    20,000 records is written without holding them: its languages by amount of text, its creators,
    its newest date and provenance time (the ids that name it are kept with its chapters)."""

    def __init__(self) -> None:
        self.weight: dict[str, float] = defaultdict(float)
        self.order: dict[str, int] = {}
        self.count = 0
        self.first: Record | None = None
        self.latest_event: datetime | None = None
        self.latest_full_date: str | None = None
        self.newest_published: str | None = None
        # name -> (direction of its script, main language of the first record that names it)
        self.authors: dict[str, tuple[str | None, str | None]] = {}

    def add(self, record: Record) -> None:
        self.count += 1
        if self.first is None:
            self.first = record
        self._add_languages(record)
        for event in record.provenance:
            moment = _parse_time(event.at)
            if moment and (self.latest_event is None or moment > self.latest_event):
                self.latest_event = moment
        for value in record.metadata.dates:
            if _FULL_DATE.match(value.iso) and (self.latest_full_date or "") < value.iso[:10]:
                self.latest_full_date = value.iso[:10]
        published = record.metadata.date("published")
        if published and re.match(r"^\d{4}", published.iso) and (self.newest_published or "") < published.iso:
            self.newest_published = published.iso
        for person in record.metadata.authors:
            name = " ".join(person.name.split())
            if not name or name in self.authors or person.role not in ("author", "aut", "creator"):
                continue
            script = main_script(name)
            self.authors[name] = (direction_of_script(script) if script != "Zyyy" else None, record.main_language)

    def _add_languages(self, record: Record) -> None:
        """Languages that appear only in a block or an inline run still count, so the package
        metadata never hides a language a reader will meet."""
        def add(tag: str | None, amount: float) -> None:
            if tag and tag != "und":
                self.order.setdefault(tag, len(self.order))
                self.weight[tag] += amount

        size = sum(len(block.text) for block in record.blocks) or 1
        for share in record.languages:
            add(share.tag, share.share * size)
        add(record.main_language, 0.5)
        for block in record.blocks:
            add(block.lang, 0.0)
            for span in block.spans:
                add(span.lang, 0.0)

    def languages(self) -> list[str]:
        """Every language in the pack, by amount of text, the main one first."""
        if not self.weight:
            return ["und"]
        return sorted(self.weight, key=lambda tag: (-self.weight[tag], self.order[tag]))

    def modified(self) -> str:
        """`dcterms:modified`: SOURCE_DATE_EPOCH when set, else the latest time the records record."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.latest_event is not None:
            return self.latest_event.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.latest_full_date + "T00:00:00Z" if self.latest_full_date else FALLBACK_MODIFIED

    def creators(self, languages: Sequence[str]) -> list[Creator]:
        creators = []
        for name, (direction, record_language) in self.authors.items():
            lang = None
            if direction == "rtl":
                candidates = [record_language, *languages]
                lang = next((t for t in candidates if t and lang_dir(t) == "rtl"), None)
            creators.append(Creator(name, lang, direction))
        return creators

    def title(self, title: str | None, languages: Sequence[str]) -> tuple[str, str, str]:
        if title is None and self.count == 1 and self.first is not None:
            return record_title(self.first), title_lang(self.first), title_dir(self.first)
        text = title or f"Reading pack: {self.count} records"
        script = main_script(text)
        direction = direction_of_script(script) if script != "Zyyy" else "ltr"
        lang = "en"
        if direction == "rtl":
            lang = next((t for t in languages if lang_dir(t) == "rtl"), "und")
        return " ".join(text.split()), lang, direction


def _parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


# ---------------------------------------------------------------- the pack's chapters


class Chapters:
    """The pack's chapters in reading order (record id, chapter file, title, the title's language and
    direction), kept in a private temporary SQLite database rather than in memory.

    The title page, the navigation document, the package document and the NCX each list every
    chapter, and only once the last record has gone by; a pack of 20,000 records would otherwise hold
    20,000 entries until its end. SQLite keeps a small page cache and spills the rest to a temporary
    file it deletes on close; its primary key on the id tells a record already in the pack, and its
    ORDER BY gives the ids sorted (SQLite compares TEXT as UTF-8 bytes: the order of Python's `sorted`)."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": private, on disk when it outgrows the cache, deleted on close
        self.db.execute("CREATE TABLE chapters (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                        "href TEXT NOT NULL, title TEXT NOT NULL, lang TEXT NOT NULL, dir TEXT NOT NULL)")
        self.count = 0

    def __contains__(self, record_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM chapters WHERE id = ?", (record_id,)).fetchone() is not None

    def add(self, record_id: str, item: Entry) -> None:
        self.count += 1
        self.db.execute("INSERT INTO chapters VALUES (?, ?, ?, ?, ?, ?)",
                        (self.count, record_id, item.href, item.title, item.lang, item.dir))

    def entries(self) -> Iterator[Entry]:
        """Every chapter in reading order, read back as it is asked for."""
        for row in self.db.execute("SELECT href, title, lang, dir FROM chapters ORDER BY n"):
            yield Entry(*row)

    def first_href(self) -> str | None:
        row = self.db.execute("SELECT href FROM chapters ORDER BY n LIMIT 1").fetchone()
        return row[0] if row else None

    def identifier(self) -> str:
        """A UUID that names exactly this set of records, whatever order they come in: the UUID 5 of
        "archive:epub:" and the sorted ids one a line, hashed as the ids come rather than joined."""
        digest = hashlib.sha1(uuid.NAMESPACE_URL.bytes + b"archive:epub:")
        for n, (record_id,) in enumerate(self.db.execute("SELECT id FROM chapters ORDER BY id")):
            digest.update((b"\n" if n else b"") + record_id.encode("utf-8"))
        return f"urn:uuid:{uuid.UUID(bytes=digest.digest()[:16], version=5)}"

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------- stylesheet and fonts


def stylesheet(font_family: str | None, font_href: str | None) -> bytes:
    """The pack's CSS; an embedded font goes first in every font stack, the usual fonts after it
    (reading systems fall back glyph by glyph, so a Latin-only font still leaves Persian readable)."""
    css = resources.files("archive").joinpath("data/epub.css").read_text(encoding="utf-8")
    if font_family and font_href:
        css = _FONT_FAMILY.sub(f'font-family: "{font_family}", ', css)
        face = f'@font-face {{\n  font-family: "{font_family}";\n  src: url("{font_href}");\n}}\n\n'
        css = face + css
    return css.encode("utf-8")


def _font_item(font: Path) -> tuple[str, str, str, bytes]:
    """(family name, href, media type, bytes) of a user-supplied font."""
    suffix = font.suffix.lower()
    if suffix not in FONT_TYPES:
        raise ValueError(f"{font}: not a font this pack can embed (use one of {', '.join(FONT_TYPES)})")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", font.stem).strip("-") or "font"
    return f"Pack {stem}", f"fonts/{stem}{suffix}", FONT_TYPES[suffix], font.read_bytes()


# ---------------------------------------------------------------- the pack


def build_epub(
    records: Iterable[Record],
    *,
    title: str | None = None,
    include_boilerplate: bool = False,
    font: Path | None = None,
) -> bytes:
    """The bytes of a reading pack holding `records` in the given order (duplicates once)."""
    buffer = io.BytesIO()
    _write_pack(records, buffer, title=title, include_boilerplate=include_boilerplate, font=font)
    return buffer.getvalue()


def _write_pack(
    records: Iterable[Record],
    out: BinaryIO,
    *,
    title: str | None,
    include_boilerplate: bool,
    font: Path | None,
) -> None:
    """Write the pack's ZIP to `out`: `mimetype` first, then each record's chapter as the record comes
    (so only a summary stays in memory, and its table-of-contents entry on disk), then the package
    files, which need the whole pack and are written as their lists stream back."""
    summary = PackSummary()
    boilerplate = Appendix(CSS)
    with closing(Chapters()) as chapters:
        archive = PackZip(out)
        try:
            archive.add("mimetype", [b"application/epub+zip"])
            for record in records:
                if record.id in chapters:
                    continue
                summary.add(record)
                href = f"{xml_id(record.id)}.xhtml"
                chapters.add(record.id, entry(record, href))
                archive.add(f"OEBPS/{href}", [chapter(record, CSS)])
                if include_boilerplate and record.boilerplate_blocks():
                    boilerplate.add(record, href)
            if not summary.count:
                raise ValueError("a reading pack needs at least one record")
            for name, parts in _package_files(summary, chapters, boilerplate, title, font):
                archive.add(name, parts)
        except BaseException:
            archive.abandon()
            raise
        archive.close()


def _package_files(
    summary: PackSummary,
    chapters: Chapters,
    boilerplate: Appendix,
    title: str | None,
    font: Path | None,
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """container.xml, the package document, the stylesheet (and font), title page, navigation,
    boilerplate appendix and NCX, as (member name, pieces of its bytes), each made only when it is
    asked for: the lists of a large pack stream from `chapters` into the ZIP, never held whole."""
    languages = summary.languages()
    pack_title, pack_title_lang, pack_title_dir = summary.title(title, languages)
    modified = summary.modified()
    head = [
        Item("titlepage", TITLE_PAGE, "application/xhtml+xml", in_spine=True),
        Item("nav", NAV, "application/xhtml+xml", properties="nav"),
        Item("ncx", "toc.ncx", "application/x-dtbncx+xml"),
    ]
    font_family = font_href = font_type = None
    if font is not None:
        font_family, font_href, font_type, font_bytes = _font_item(Path(font))
        head.append(Item("font", font_href, font_type))
    head.append(Item("css", CSS, "text/css"))
    appendix_href = APPENDIX if len(boilerplate) else None
    tail = [Item("appendix", appendix_href, "application/xhtml+xml", in_spine=True)] if appendix_href else []

    def items() -> Iterator[Item]:
        yield from head
        for n, chapter_entry in enumerate(chapters.entries(), 1):
            yield Item(f"c{n:04d}", chapter_entry.href, "application/xhtml+xml", in_spine=True)
        yield from tail

    info = PackageInfo(
        identifier=chapters.identifier(),
        title=pack_title,
        title_lang=pack_title_lang,
        title_dir=pack_title_dir,
        languages=languages,
        creators=summary.creators(languages),
        date=summary.newest_published,
        modified=modified,
        rtl=lang_dir(languages[0]) == "rtl",
        description=f"{summary.count} archived record{'s' if summary.count != 1 else ''}",
    )
    yield "META-INF/container.xml", [container_xml("OEBPS/content.opf")]
    yield "OEBPS/content.opf", content_opf(info, items, f"archive {__version__}")
    if font_href is not None:
        yield f"OEBPS/{font_href}", [font_bytes]
    yield f"OEBPS/{CSS}", [stylesheet(font_family, font_href)]
    yield f"OEBPS/{TITLE_PAGE}", title_page(pack_title, modified, summary.count, chapters.entries(), CSS,
                                            pack_title_lang, pack_title_dir)
    yield f"OEBPS/{NAV}", nav_xhtml(pack_title, TITLE_PAGE, chapters.entries(), chapters.first_href(),
                                    appendix_href, CSS)
    if appendix_href:
        yield f"OEBPS/{appendix_href}", [boilerplate.to_bytes()]
    yield "OEBPS/toc.ncx", toc_ncx(info, TITLE_PAGE, summary.count, chapters.entries(), appendix_href)


class PackZip:
    """The pack's ZIP, written with the standard library's `zipfile` so that the format is the
    library's to get right (ZIP64 past 65,535 members or 2 GiB, UTF-8 names): every member has a
    constant time and permissions, `mimetype` is stored and comes first, the rest is deflated at
    level 9, and each member streams in pieces through `ZipFile.open(info, "w")` (deflate gives the
    same bytes however its input is cut). zipfile keeps a ZipInfo of about 0.4 KB per member for the
    central directory: 8 MB for a pack of 20,000 records (bench/README.md)."""

    def __init__(self, out: BinaryIO) -> None:
        self.archive = zipfile.ZipFile(out, "w", allowZip64=True)

    def add(self, name: str, parts: Iterable[bytes]) -> None:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.create_system = _UNIX
        info.external_attr = _PERMISSIONS
        if name == "mimetype":
            info.compress_type = zipfile.ZIP_STORED
        else:
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = 9  # type: ignore[attr-defined]  # public as compress_level from 3.13
        with self.archive.open(info, "w") as member:
            for chunk in _gathered(parts):
                member.write(chunk)

    def close(self) -> None:
        self.archive.close()

    def abandon(self) -> None:
        """After a failed write (a full disk) the temporary file is thrown away: the archive is closed
        here, whatever that raises, so that zipfile's finalizer does not try to end it later."""
        with suppress(OSError, ValueError):
            self.archive.close()


_UNIX = 3
_PERMISSIONS = 0o644 << 16
_WRITE_SIZE = 1 << 16


def _gathered(parts: Iterable[bytes]) -> Iterator[bytes]:
    """Small pieces gathered into chunks of about 64 KiB: each chunk runs the CRC and the compressor."""
    held: list[bytes] = []
    size = 0
    for part in parts:
        held.append(part)
        size += len(part)
        if size >= _WRITE_SIZE:
            yield b"".join(held)
            held.clear()
            size = 0
    if held:
        yield b"".join(held)


def write_epub(
    records: Iterable[Record],
    out_path: Path,
    *,
    title: str | None = None,
    include_boilerplate: bool = False,
    font: Path | None = None,
) -> Path:
    """Write one reading pack of `records` to `out_path` and return the path; the ZIP goes straight
    to a temporary file beside it, renamed into place once complete."""
    out_path = Path(out_path)
    with atomic_path(out_path) as temporary, open(temporary, "wb") as out:
        _write_pack(records, out, title=title, include_boilerplate=include_boilerplate, font=font)
    return out_path


def pack_name(title: str | None, fallback: str = "archive") -> str:
    """A file name for a pack: an ASCII slug of its title (titles in Persian get the fallback)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", unicodedata.normalize("NFKD", title or "")).strip("-").lower()
    return slug[:80].strip("-") or fallback


def write_epubs(
    records: Iterable[Record],
    out_dir: Path,
    one_per_record: bool = False,
    *,
    title: str | None = None,
    include_boilerplate: bool = False,
    font: Path | None = None,
) -> list[Path]:
    """Write `out_dir/<pack>.epub`: one pack of all records, or one per record named by its id."""
    out_dir = Path(out_dir)
    remove_stale_temporaries(out_dir)
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        return []
    records = itertools.chain([first], iterator)
    if one_per_record:
        written: dict[str, Path] = {}
        for record in records:
            if record.id not in written:
                written[record.id] = write_epub([record], out_dir / f"{xml_id(record.id)}.epub",
                                                include_boilerplate=include_boilerplate, font=font)
        return list(written.values())
    return [write_epub(records, out_dir / f"{pack_name(title)}.epub", title=title,
                       include_boilerplate=include_boilerplate, font=font)]
