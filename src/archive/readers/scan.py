"""Scanned pages: images (PNG, JPEG, TIFF) and the image-only pages of PDFs, read by OCR.

What the engine does lives in archive.ocr; this module turns its paragraphs into draft blocks typed as
OCR text, with their confidence, and says in the record what ran (an `ocr` provenance event naming
the engine and the models) or why nothing did (`--ocr never`, or Tesseract missing, with the packages
to install).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from .. import ocr
from ..provenance import event
from ..record import Event
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions

PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
_MAX_PIXELS = 100_000_000  # a page at 600 dpi is about 35 million; more is a bomb or a poster


def read_image(data: bytes, options: ReadOptions) -> Draft:
    width, height = image_size(data)
    draft = Draft(blocks=[], info={"reader": "image", "width": width, "height": height})
    found = ocr_pages(draft, [(1, data)], language=None, options=options)
    draft.blocks = [block for blocks in found.values() for block in blocks]
    return draft


def render_pdf_page(page: Any, dpi: int = 300) -> bytes:
    """A PDF page (a pypdfium2 page) as a greyscale PGM image, which Tesseract reads from standard input."""
    width, height = page.get_size()
    scale = min(dpi / 72, (_MAX_PIXELS / max(width * height, 1)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        rows = bytes(bitmap.buffer)
        stride, w, h = bitmap.stride, bitmap.width, bitmap.height
    finally:
        bitmap.close()
    pixels = b"".join(rows[y * stride:y * stride + w] for y in range(h)) if stride != w else rows[:w * h]
    return f"P5\n{w} {h}\n255\n".encode("ascii") + pixels


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from the image's own header; FormatError when the header is damaged or the
    image is too large to OCR, so a broken file is refused before any engine sees it."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if data[12:16] != b"IHDR" or len(data) < 24:
            raise FormatError("damaged PNG image: no IHDR header")
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
    elif data[:4] in (b"II*\x00", b"MM\x00*"):
        width, height = 1, 1  # a TIFF's size is per page, in its IFDs; the engine reads them
    else:
        raise FormatError("not a PNG, JPEG or TIFF image")
    if width <= 0 or height <= 0:
        raise FormatError("damaged image: it has no pixels")
    if width * height > _MAX_PIXELS:
        raise FormatError(f"image of {width}x{height} pixels is too large to OCR")
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return width, height
        position += 2 + length
    raise FormatError("damaged JPEG image: no frame header")


def ocr_pages(draft: Draft, pages: Iterable[tuple[int, bytes]], language: str | None,
              options: ReadOptions) -> dict[int, list[DraftBlock]]:
    """OCR each (page number, image): the blocks of each page read. What ran goes into the draft's
    events and info, what could not into its warnings. `pages` may be lazy: an image is made only
    when the engine is there to read it."""
    if options.ocr == "never":
        draft.warnings.insert(0, "OCR not run (--ocr never): the page images hold text that is not in this record")
        return {}
    found: dict[int, list[DraftBlock]] = {}
    done: list[dict[str, Any]] = []
    for number, image in pages:
        try:
            page = ocr.recognise(image, language, detect=_detect)
        except ocr.OcrUnavailable as error:
            # First: a file left without text is refused with its first word on OCR, and this one
            # says what to install.
            draft.warnings.insert(0, str(error))
            break
        except ValueError as error:
            draft.warnings.append(f"page {number}: {error}")
            continue
        found[number] = [DraftBlock("paragraph", [Inline(b.text)], origin="ocr", confidence=b.confidence)
                         for b in page.blocks]
        done.append({"page": number, "model": page.model, "blocks": len(page.blocks),
                     "language": page.language})
    if done:
        draft.info["ocr"] = {"engine": ocr.engine_version(), "pages": done}
        draft.events.append(_ocr_event(done))
    return found


def _ocr_event(pages: list[dict[str, Any]]) -> Event:
    models = sorted({p["model"] for p in pages})
    found = event("ocr", {"engine": ocr.engine_version(), "models": models, "pages": [p["page"] for p in pages]})
    found.agent = f"{found.agent} {str(ocr.engine_version()).replace(' ', '/')}"
    return found


def _detect(text: str) -> str:
    """The language of a first reading. The Persian model writes Persian yeh and keheh for Arabic's,
    which would make any Arabic page look Persian, so they are judged in Arabic's letters: Persian
    keeps what marks it (پ چ ژ گ, its words), and Arabic is seen for what it is."""
    from ..language import detect_text

    return detect_text(text.replace("\u06cc", "\u064a").replace("\u06a9", "\u0643"))[0]
