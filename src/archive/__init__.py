"""archive: multilingual sources in, trustworthy archival records out (JSON bundle, TEI P5, EPUB 3)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("archive")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from .errors import IngestError  # noqa: E402
from .record import Block, Metadata, Record, Source, Span  # noqa: E402

__all__ = ["Block", "IngestError", "Metadata", "Record", "Source", "Span", "__version__", "ingest"]


def ingest(path: str, **options: object) -> Record:
    """Archive one file and return its record (the pipeline is imported lazily to keep start-up fast)."""
    from .pipeline import ingest_file

    return ingest_file(path, **options)  # type: ignore[arg-type]
