"""One registry maps media types to readers; the pipeline asks it and never names a format itself.

Adding a format is adding one module with a `read_…(data, options) -> Draft` function and one line
here. Readers are imported on first use so that start-up stays fast and a format's optional library is
loaded only when a file of that format turns up.
"""

from __future__ import annotations

from importlib import import_module

from .base import Draft, DraftBlock, FormatError, Inline, Part, Reader, ReadOptions

READERS: dict[str, str] = {
    "text/plain": "text:read_text",
    "text/markdown": "markdown:read_markdown",
    "text/html": "html:read_html",
    "application/xhtml+xml": "html:read_html",
    "application/pdf": "pdf:read_pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx:read_docx",
    "application/epub+zip": "epub:read_epub",
    "application/tei+xml": "tei:read_tei",
    "text/x-openiti-markdown": "openiti:read_openiti",
    "application/warc": "warc:read_warc",
    "image/png": "scan:read_image",
    "image/jpeg": "scan:read_image",
    "image/tiff": "scan:read_image",
}

# The library each reader parses its format with, on every file it reads (distribution names). Libraries
# a reader calls only for some files (pypdf for a PDF's XMP packet) are named where they run, through
# `provenance.used`.
PARSERS: dict[str, tuple[str, ...]] = {
    "markdown": ("markdown-it-py",),
    "html": ("lxml",),
    "pdf": ("pypdfium2",),
    "docx": ("lxml",),
    "epub": ("lxml",),
    "tei": ("lxml",),
    "warc": ("warcio",),
}


def reader_for(media_type: str) -> tuple[str, Reader]:
    """The reader's name (for provenance) and the callable; FormatError for a type nobody reads."""
    target = READERS.get(media_type)
    if target is None:
        raise FormatError(f"unsupported format: {media_type}")
    module_name, function_name = target.split(":")
    module = import_module(f"{__name__}.{module_name}")
    reader: Reader = getattr(module, function_name)
    return module_name, reader


__all__ = ["PARSERS", "READERS", "Draft", "DraftBlock", "FormatError", "Inline", "Part", "ReadOptions", "Reader",
           "reader_for"]
