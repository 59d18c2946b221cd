"""Parsing helpers that untrusted XML and ZIP containers cannot turn against the machine.

Documents come from anywhere, so every XML parse goes through a parser that never fetches a DTD,
never touches the network and never expands entities (XXE, billion laughs), and every ZIP container
(DOCX, EPUB) is opened through `open_zip`, which refuses path traversal and decompression bombs
before a single member is inflated. Readers for other formats may import these too.
"""

from __future__ import annotations

import html.entities
import posixpath
import struct
import zipfile
import zlib
from io import BytesIO
from urllib.parse import unquote

from lxml import etree

from .base import FormatError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
# Small members compress absurdly well when they are all whitespace; only big ones can be a bomb.
RATIO_FLOOR_BYTES = 1024 * 1024

_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    KeyError,
    IndexError,
    struct.error,
    OverflowError,
)


def xml_parser(*, recover: bool = False, remove_comments: bool = False) -> etree.XMLParser:
    """A parser that keeps entity references as unexpanded nodes and loads nothing from outside."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=remove_comments,
        remove_pis=False,
    )


def declared_entities(root: etree._Element) -> list[str]:
    """Names of entities the document declares in its internal DTD subset (none in honest DOCX/OPF)."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return []
    return [str(e.name) for e in dtd.iterentities()]  # type: ignore[attr-defined]


def parse_xml(data: bytes, *, what: str = "XML", forbid_entities: bool = False) -> etree._Element:
    """Parse untrusted XML bytes; `forbid_entities` refuses any internal entity declaration outright,
    for formats (DOCX parts, EPUB package files) where an honest producer never writes one."""
    try:
        root = etree.fromstring(data, xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise FormatError(f"{what} is not well-formed: {exc}") from exc
    if root is None:
        raise FormatError(f"{what} is empty")
    if forbid_entities and declared_entities(root):
        raise FormatError(f"{what} declares DTD entities (refused: possible XXE or entity expansion)")
    return root


def replace_entity_refs(root: etree._Element) -> int:
    """Replace unexpanded entity references by the HTML character they name (`&nbsp;` in XHTML whose
    DTD was not loaded); references to anything else are dropped. Returns how many were dropped."""
    dropped = 0
    for ent in list(root.iter(etree.Entity)):
        name = (ent.text or "").strip("&;")
        value = html.entities.html5.get(name + ";", "")
        if not value:
            dropped += 1
        replace_with_text(ent, value)
    return dropped


def replace_with_text(node: etree._Element, text: str) -> None:
    """Put `text` where `node` stood, keeping the text that followed it; the node itself goes."""
    parent = node.getparent()
    if parent is None:
        return
    joined = text + (node.tail or "")
    prev = node.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(node)


def _unsafe_member_name(name: str) -> bool:
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return True
    return ".." in normalized.split("/") or "\x00" in normalized


class SafeZip:
    """A ZIP container whose every member was checked before anything is inflated."""

    def __init__(self, archive: zipfile.ZipFile, what: str) -> None:
        self._zip = archive
        self._what = what
        self._names = {info.filename for info in archive.infolist()}

    def names(self) -> list[str]:
        return [info.filename for info in self._zip.infolist()]

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        if name not in self._names:
            raise FormatError(f"{self._what} has no member {name!r}")
        try:
            return self._zip.read(name)
        except _ZIP_ERRORS as exc:
            raise FormatError(f"{self._what} member {name!r} cannot be read: {exc}") from exc

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_zip(
    data: bytes,
    *,
    what: str = "ZIP container",
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> SafeZip:
    """Open a ZIP from bytes, refusing absolute or `..` member paths, too many members, a declared
    uncompressed total over `max_total`, and members that inflate more than `max_ratio` times.

    zipfile never inflates a member past its declared size, so checking declared sizes bounds memory.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise FormatError(f"{what} is damaged: {exc}") from exc
    if len(infos) > max_members:
        raise FormatError(f"{what} has {len(infos)} members (limit {max_members})")
    total = 0
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise FormatError(f"{what} member path escapes the container: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise FormatError(f"{what} is encrypted")
        total += info.file_size
        if total > max_total:
            raise FormatError(f"{what} would inflate to more than {max_total} bytes (zip bomb?)")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise FormatError(
                f"{what} member {info.filename!r} has compression ratio over {max_ratio} (zip bomb?)"
            )
    return SafeZip(archive, what)


def zip_path(base: str, href: str) -> str:
    """Resolve `href` relative to the container member `base` (both posix paths inside the ZIP)."""
    joined = posixpath.join(posixpath.dirname(base), unquote(href.split("#", 1)[0]))
    return posixpath.normpath(joined).lstrip("/")
