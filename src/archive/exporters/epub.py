"""EPUB 3 reading packs: records made readable on any e-reader, in their own languages and directions.

The ZIP is written by hand rather than through an EPUB library so that every byte is ours to fix:
members in a fixed order, `mimetype` first and stored, a constant timestamp on every member, and
`dcterms:modified` taken from SOURCE_DATE_EPOCH or from the records' own provenance, never the clock.
The same records therefore always give the same file, and a pack can be checked by its checksum.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from .. import __version__
from ..atomic import remove_stale_temporaries, write_bytes
from ..record import Record
from ..scripts import direction_of_script, main_script
from ..select import select_records
from .epub_package import Creator, Item, PackageInfo, container_xml, content_opf, nav_xhtml, toc_ncx
from .epub_xhtml import (
    appendix,
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


def _unique(records: Iterable[Record]) -> list[Record]:
    seen: set[str] = set()
    out = []
    for record in records:
        if record.id not in seen:
            seen.add(record.id)
            out.append(record)
    return out


def pack_languages(records: Sequence[Record]) -> list[str]:
    """Every language in the pack, by amount of text, the main one first.

    Languages that appear only in a block or an inline run still count, so the package metadata
    never hides a language a reader will meet.
    """
    weight: dict[str, float] = defaultdict(float)
    order: dict[str, int] = {}

    def add(tag: str | None, amount: float) -> None:
        if tag and tag != "und":
            order.setdefault(tag, len(order))
            weight[tag] += amount

    for record in records:
        size = sum(len(block.text) for block in record.blocks) or 1
        for share in record.languages:
            add(share.tag, share.share * size)
        add(record.main_language, 0.5)
        for block in record.blocks:
            add(block.lang, 0.0)
            for span in block.spans:
                add(span.lang, 0.0)
    if not weight:
        return ["und"]
    return sorted(weight, key=lambda tag: (-weight[tag], order[tag]))


def modified_time(records: Sequence[Record]) -> str:
    """`dcterms:modified`: SOURCE_DATE_EPOCH when set, else the latest time the records record."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    latest: datetime | None = None
    for record in records:
        for event in record.provenance:
            moment = _parse_time(event.at)
            if moment and (latest is None or moment > latest):
                latest = moment
    if latest is None:
        dates = [d.iso[:10] for r in records for d in r.metadata.dates if _FULL_DATE.match(d.iso)]
        return max(dates) + "T00:00:00Z" if dates else FALLBACK_MODIFIED
    return latest.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def identifier(records: Sequence[Record]) -> str:
    """A UUID that names exactly this set of records, whatever order they come in."""
    key = "archive:epub:" + "\n".join(sorted(r.id for r in records))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _creators(records: Sequence[Record], languages: Sequence[str]) -> list[Creator]:
    names: dict[str, Creator] = {}
    for record in records:
        for person in record.metadata.authors:
            name = " ".join(person.name.split())
            if not name or name in names or person.role not in ("author", "aut", "creator"):
                continue
            script = main_script(name)
            direction = direction_of_script(script) if script != "Zyyy" else None
            lang = None
            if direction == "rtl":
                candidates = [record.main_language, *languages]
                lang = next((t for t in candidates if t and lang_dir(t) == "rtl"), None)
            names[name] = Creator(name, lang, direction)
    return list(names.values())


def _pack_date(records: Sequence[Record]) -> str | None:
    """The newest publication date among the records: for a one-record pack, simply its date."""
    dates = [d.iso for r in records if (d := r.metadata.date("published")) and re.match(r"^\d{4}", d.iso)]
    return max(dates) if dates else None


def _pack_title(
    records: Sequence[Record], title: str | None, languages: Sequence[str]
) -> tuple[str, str, str]:
    if title is None and len(records) == 1:
        return record_title(records[0]), title_lang(records[0]), title_dir(records[0])
    text = title or f"Reading pack: {len(records)} records"
    script = main_script(text)
    direction = direction_of_script(script) if script != "Zyyy" else "ltr"
    lang = "en"
    if direction == "rtl":
        lang = next((t for t in languages if lang_dir(t) == "rtl"), "und")
    return " ".join(text.split()), lang, direction


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
    records: Sequence[Record],
    *,
    title: str | None = None,
    include_boilerplate: bool = False,
    font: Path | None = None,
) -> bytes:
    """The bytes of a reading pack holding `records` in the given order (duplicates once)."""
    records = _unique(records)
    if not records:
        raise ValueError("a reading pack needs at least one record")
    languages = pack_languages(records)
    main = languages[0]
    pack_title, pack_title_lang, pack_title_dir = _pack_title(records, title, languages)
    modified = modified_time(records)

    files: list[tuple[str, bytes]] = []
    items: list[Item] = []

    font_family = font_href = None
    if font is not None:
        font_family, font_href, font_type, font_bytes = _font_item(Path(font))
        items.append(Item("font", font_href, font_type))
        files.append((font_href, font_bytes))
    files.append((CSS, stylesheet(font_family, font_href)))
    items.append(Item("css", CSS, "text/css"))

    entries = []
    chapters: list[tuple[str, bytes]] = []
    for n, record in enumerate(records, 1):
        href = f"{xml_id(record.id)}.xhtml"
        entries.append(entry(record, href))
        chapters.append((href, chapter(record, CSS)))
        items.append(Item(f"c{n:04d}", href, "application/xhtml+xml", in_spine=True))

    with_boilerplate = [(r, e.href) for r, e in zip(records, entries, strict=True) if r.boilerplate_blocks()]
    appendix_href = APPENDIX if include_boilerplate and with_boilerplate else None

    front = title_page(pack_title, modified, entries, CSS, pack_title_lang, pack_title_dir)
    files.append((TITLE_PAGE, front))
    files.append((NAV, nav_xhtml(pack_title, TITLE_PAGE, entries, appendix_href, CSS)))
    items[:0] = [
        Item("titlepage", TITLE_PAGE, "application/xhtml+xml", in_spine=True),
        Item("nav", NAV, "application/xhtml+xml", properties="nav"),
        Item("ncx", "toc.ncx", "application/x-dtbncx+xml"),
    ]
    files.extend(chapters)
    if appendix_href:
        files.append((appendix_href, appendix(with_boilerplate, CSS)))
        items.append(Item("appendix", appendix_href, "application/xhtml+xml", in_spine=True))

    info = PackageInfo(
        identifier=identifier(records),
        title=pack_title,
        title_lang=pack_title_lang,
        title_dir=pack_title_dir,
        languages=languages,
        creators=_creators(records, languages),
        date=_pack_date(records),
        modified=modified,
        rtl=lang_dir(main) == "rtl",
        description=f"{len(records)} archived record{'s' if len(records) != 1 else ''}",
    )
    files.append(("toc.ncx", toc_ncx(info, TITLE_PAGE, entries, appendix_href)))
    opf = content_opf(info, items, f"archive {__version__}")
    return _zip(
        [
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container_xml("OEBPS/content.opf")),
            ("OEBPS/content.opf", opf),
            *((f"OEBPS/{name}", data) for name, data in files),
        ]
    )


def _zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if stored else 9)
    return buffer.getvalue()


def write_epub(
    records: Sequence[Record],
    out_path: Path,
    *,
    title: str | None = None,
    include_boilerplate: bool = False,
    font: Path | None = None,
) -> Path:
    """Write one reading pack of `records` to `out_path` and return the path."""
    out_path = Path(out_path)
    data = build_epub(records, title=title, include_boilerplate=include_boilerplate, font=font)
    write_bytes(out_path, data)
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
    records = _unique(records)
    if not records:
        return []
    options = {"include_boilerplate": include_boilerplate, "font": font}
    if one_per_record:
        return [
            write_epub([record], out_dir / f"{xml_id(record.id)}.epub", title=None, **options)  # type: ignore[arg-type]
            for record in records
        ]
    return [write_epub(records, out_dir / f"{pack_name(title)}.epub", title=title, **options)]  # type: ignore[arg-type]
