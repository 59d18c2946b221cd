"""Documents inside a container file (the pages a WARC captured) become records of their own.

The container's reader hands each document on as a `Part`; it is read like any file, by the reader of
its own format, and then marked as a capture: the URLs it was found at and the capture time go into
its metadata, a `capture` event into its provenance, and `source.info["warc"]` points at the container
(its record id, file name and the offset of the WARC record). Each part keeps its own bytes as its
original, so every record's fixity holds on its own; the container's original is stored once, by the
container's record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import IngestError
from .provenance import event
from .readers.base import Part
from .record import DateValue, Record

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def ingest_parts(parts: list[Part], container: Record,
                 ingest: Callable[[bytes, str, str | None], Record]) -> list[tuple[Record, bytes]]:
    """A record for each part, with its bytes. A part that cannot be read becomes a warning of the
    container, so one broken page does not cost the others."""
    done: list[tuple[Record, bytes]] = []
    for part in parts:
        try:
            record = ingest(part.data, part.filename, part.charset)
        except IngestError as error:
            container.warnings.append(f"{part.url or part.filename}: {error.stage}: {error.reason}")
            continue
        mark_capture(record, part, container)
        done.append((record, part.data))
    captures = container.source.info.get("captures")
    if isinstance(captures, dict):
        captures["archived"] = len(done)
    container.source.info["parts"] = [record.id for record, _ in done]
    return done


def mark_capture(record: Record, part: Part, container: Record) -> None:
    """URLs, capture time and the pointer to the container, in the record's metadata, provenance and source."""
    info = dict(part.info)
    for value in info.values():
        if isinstance(value, dict):
            value["container"] = container.id
            value.setdefault("container_sha256", container.source.sha256)
    record.source.info.update(info)
    found = info.get("warc")
    warc: dict[str, Any] = found if isinstance(found, dict) else {}
    urls = [part.url] if part.url else []
    urls += [str(other["url"]) for other in warc.get("also", []) if other.get("url")]
    record.metadata.urls = list(dict.fromkeys(urls + record.metadata.urls))
    if part.captured:
        captured = part.captured if _DATE_TIME.match(part.captured) else None
        if captured and not any(d.role == "captured" for d in record.metadata.dates):
            record.metadata.dates.append(DateValue(iso=captured[:10], original=part.captured, role="captured"))
        detail = {k: v for k, v in warc.items() if k in ("file", "offset", "record_id", "url", "software")}
        record.provenance.insert(0, event("capture", {**detail, "container": container.id}, ("warcio",),
                                          at=captured or None))
