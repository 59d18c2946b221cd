"""Who did what, when: timestamps that honour SOURCE_DATE_EPOCH and agents that name every library."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from . import __version__
from .record import Event

# Libraries whose behaviour shapes a record; their versions go into each event's agent.
_STAGE_LIBRARIES: dict[str, tuple[str, ...]] = {
    "read": (),
    "decode": ("chardet", "ftfy"),
    "normalize": ("ftfy",),
    "detect": ("pycld2",),
    "extract": ("jdatetime", "hijridate"),
    "capture": ("warcio",),
}
_READER_LIBRARIES: dict[str, tuple[str, ...]] = {
    "markdown": ("markdown-it-py",),
    "html": ("lxml",),
    "pdf": ("pypdf", "pypdfium2"),
    "docx": ("python-docx", "lxml"),
    "epub": ("ebooklib", "lxml"),
    "tei": ("lxml",),
    "warc": ("warcio",),
}


def now_iso() -> str:
    """Current UTC time to the second, or SOURCE_DATE_EPOCH when set, so rebuilds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return _iso_second(int(epoch) if epoch and epoch.isdigit() else int(time.time()))


@lru_cache(maxsize=2)
def _iso_second(second: int) -> str:
    """Every event of a file, and the files of a batch, fall in a few seconds: each second's string is
    made once instead of a datetime built and formatted for every event."""
    return datetime.fromtimestamp(second, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@cache
def library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


@cache
def agent(stage: str, reader: str | None = None) -> str:
    """Cached: the same few strings are made for every event of every file of a batch."""
    libraries = _READER_LIBRARIES.get(reader or "", ()) if stage == "read" else _STAGE_LIBRARIES.get(stage, ())
    parts = [f"archive/{__version__}"] + [f"{lib}/{library_version(lib)}" for lib in libraries]
    return " ".join(parts)


def event(stage: str, detail: dict[str, Any], reader: str | None = None, at: str | None = None) -> Event:
    return Event(event=stage, at=at or now_iso(), agent=agent(stage, reader), detail=detail)
