"""Web archives (WARC, WARC.gz): every captured page becomes a record of its own.

A WARC holds what a saved page alone lacks: the URL, the capture time, the HTTP headers with the
charset, and every page of a crawl in one file. The reader keeps the WARC itself as the container's
record and hands each HTML, PDF or plain-text response on as a part, which the pipeline reads with the
reader of its own format (see pipeline._ingest_parts). Revisits (a crawler saying "unchanged since")
and responses other than 200 are skipped and counted; a payload captured under several URLs (same
digest) becomes one part that lists every URL.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zlib
from typing import Any
from urllib.parse import urlsplit

from ..errors import IngestError
from .base import Draft, FormatError, Part, ReadOptions

# The media types whose payloads the archive reads, by the HTTP Content-Type's type and subtype.
_READABLE = {"text/html", "application/xhtml+xml", "application/pdf", "text/plain"}
_EXTENSION = {"text/html": "html", "application/xhtml+xml": "xhtml", "application/pdf": "pdf", "text/plain": "txt"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_SAFE_NAME = re.compile(r"[^\w.-]+")
# Characters XML cannot carry: header values go into the records' metadata and info, which TEI writes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _header(headers: Any, name: str) -> str:
    return _NOT_XML.sub("", str(headers.get_header(name) or "")).strip()


def is_warc(data: bytes) -> bool:
    """`WARC/1.x` at the start, plain or in the first gzip member (a .warc.gz compresses each record)."""
    if data.startswith(b"WARC/"):
        return True
    if not data.startswith(b"\x1f\x8b"):
        return False
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def read_warc(data: bytes, options: ReadOptions) -> Draft:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as error:  # a base dependency; only a broken install lacks it
        raise FormatError("reading WARC files needs the warcio package (pip install warcio)") from error
    counts = {"responses": 0, "pages": 0, "revisits": 0, "not_ok": 0, "other_types": 0, "duplicates": 0,
              "too_large": 0}
    parts: dict[str, Part] = {}  # payload digest -> part
    warnings: list[str] = []
    software: str | None = None
    stream = ArchiveIterator(io.BytesIO(data), no_record_parse=False, arc2warc=True)
    try:
        for record in stream:
            kind = record.rec_type
            if kind == "warcinfo":
                software = software or _warcinfo_software(record)
                continue
            if kind == "revisit":
                counts["revisits"] += 1
                continue
            if kind != "response":
                continue
            counts["responses"] += 1
            part = _response_part(record, options, counts)
            # Asked after the payload is read: warcio finds the offset by reading the record to its end.
            offset = stream.get_record_offset()
            if part is None:
                continue
            part.info["warc"]["offset"] = offset
            digest = part.info["warc"]["payload_digest"]
            if digest in parts:
                counts["duplicates"] += 1
                parts[digest].info["warc"]["also"].append({"url": part.info["warc"]["url"], "offset": offset,
                                                            "date": part.info["warc"]["date"]})
                continue
            if software:
                part.info["warc"]["software"] = software
            parts[digest] = part
    except IngestError:
        raise  # the time limit, not the file
    except Exception as error:  # warcio raises many kinds on damaged bytes; all mean "damaged from here"
        if not parts and not counts["responses"]:
            raise FormatError(f"damaged WARC file: {error}") from None
        warnings.append(f"WARC damaged after {counts['responses']} response(s); the rest was not read: {error}")
    counts["pages"] = len(parts)
    skipped = {k: v for k, v in counts.items() if k not in ("responses", "pages") and v}
    if skipped:
        warnings.append("responses not archived as pages: "
                        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in skipped.items()))
    info: dict[str, Any] = {"reader": "warc", "captures": counts}
    if software:
        info["software"] = software
    return Draft(blocks=[], info=info, warnings=warnings, parts=list(parts.values()))


def _response_part(record: Any, options: ReadOptions, counts: dict[str, int]) -> Part | None:
    """The part for one response record, or None (counted) when it is not a page to archive."""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    if status != "200":
        counts["not_ok"] += 1
        return None
    content_type = _header(record.http_headers, "Content-Type")
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _READABLE:
        counts["other_types"] += 1
        return None
    payload = record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        counts["too_large"] += 1
        return None
    url = _header(record.rec_headers, "WARC-Target-URI")
    date = _header(record.rec_headers, "WARC-Date")
    charset = _CHARSET.search(content_type)
    digest = hashlib.sha256(payload).hexdigest()
    warc: dict[str, Any] = {
        "file": options.filename,
        "offset": 0,
        "record_id": _header(record.rec_headers, "WARC-Record-ID"),
        "url": url,
        "date": date,
        "http_status": 200,
        "content_type": content_type,
        "payload_digest": _header(record.rec_headers, "WARC-Payload-Digest") or _sha1_digest(payload),
        "also": [],
    }
    if charset:
        warc["charset"] = charset.group(1)
    return Part(data=payload, filename=_name(url, media, digest), charset=charset.group(1) if charset else None,
                info={"warc": warc}, url=url or None, captured=date or None)


def _sha1_digest(payload: bytes) -> str:
    """The digest a crawler would have written (`sha1:` base 32), for records that lack the header."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def _name(url: str, media: str, digest: str) -> str:
    """A file name for the page, from its URL: the host and the last segment of the path."""
    parts = urlsplit(url)
    segment = parts.path.rstrip("/").rsplit("/", 1)[-1] or "index"
    stem = _SAFE_NAME.sub("_", f"{parts.hostname or 'page'}_{segment}")[:80].strip("_") or digest[:12]
    extension = _EXTENSION[media]
    return stem if stem.lower().endswith(f".{extension}") else f"{stem}.{extension}"


def _warcinfo_software(record: Any) -> str | None:
    """The crawler that wrote the file (`software:` of the warcinfo record), for the parts' provenance."""
    try:
        text = record.content_stream().read(64 * 1024).decode("utf-8", "replace")
    except Exception:  # a damaged warcinfo says nothing; the responses still count
        return None
    match = re.search(r"^software:\s*(.+?)\s*$", text, re.MULTILINE)
    return _NOT_XML.sub("", match.group(1))[:200] if match else None
