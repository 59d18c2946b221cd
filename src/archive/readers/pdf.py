"""PDF reader: text in reading order, headings and paragraphs rebuilt from layout, declared metadata.

PDFium (pypdfium2) reads the pages: it is an order of magnitude faster than pypdf's text extraction,
applies /ActualText, and gives every character's position, from which pdf_layout rebuilds lines in
typed order. pypdf reads what PDFium does not expose: the XMP packet and the catalog's /Lang.

No file is refused that another reader can read: where PDFium cannot open the file or a page, or
reads a page as glyph garbage, or shifts letters out of empty /ActualText spans, pypdf and then
pdfminer.six read it again (pdf_fallback), and `source.info["page_readers"]` says which library read
which pages. A page that stays garbage is kept and marked: it needs OCR. The libraries' own warnings
go into the record, with the file's name, never to stderr.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..provenance import used
from ..sniff import late_pdf_header
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .pdf_blocks import blocks_from_pages
from .pdf_fallback import Fallback, captured, warning_lines
from .pdf_layout import PageText, page_text
from .pdf_quality import is_clean, is_garbage
from .scan import ocr_pages, render_pdf_page

_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


class _PasswordError(FormatError):
    """The file needs a password (or another one): no other library can read it without."""

_SECURITY_ERROR = 6  # FPDF_ERR_SECURITY


def read_pdf(data: bytes, options: ReadOptions) -> Draft:
    seen: Counter[str] = Counter()
    with captured(seen):
        draft = _read(data, options)
    draft.warnings.extend(warning_lines(seen, options.filename))
    return draft


def _read(data: bytes, options: ReadOptions) -> Draft:
    _check_envelope(data, options)
    draft = Draft(blocks=[])
    # PDFium quietly rebuilds a cut-off file from whatever objects survive: what it finds is kept,
    # but the record says the file may be a fragment.
    truncated = b"%%EOF" not in data[-2048:]
    if truncated:
        draft.warnings.append("no %%EOF marker at the end of the file: it may be cut off; what could be read is kept")
    fallback = Fallback(data, options.password)
    try:
        pages, readers, declared, version = _read_text(data, options, fallback, draft)
    except FormatError as error:
        if truncated:
            raise FormatError(f"truncated PDF: no %%EOF marker at the end of the file; {error}") from error
        raise
    if truncated and not any(page.lines for page in pages):
        raise FormatError("truncated PDF: no %%EOF marker at the end of the file, and no text could be read")
    draft.meta, draft.info = _metadata(declared, version, fallback, draft)
    draft.info["pages"] = len(pages)
    draft.info["page_readers"] = _page_ranges(readers)
    draft.blocks = _page_blocks(data, pages, draft, options)
    needs_ocr = draft.info.get("needs_ocr", [])
    if pages and len(needs_ocr) == len(pages) and "ocr" not in draft.info:
        draft.warnings.append("no page has a usable text layer; the whole document needs OCR")
    return draft


def _read_text(data: bytes, options: ReadOptions, fallback: Fallback,
               draft: Draft) -> tuple[list[PageText], list[str], dict[str, str], int | None]:
    """Pages, the library that read each, the info dictionary and the PDF version."""
    try:
        document = _open(data, options.password)
    except _PasswordError:
        raise
    except FormatError as error:
        pages, readers = _read_without_pdfium(fallback, draft, error)
        return pages, readers, fallback.declared(), None
    try:
        pages, readers = _read_pages(document, fallback, draft)
        return pages, readers, _declared(document), document.get_version()
    finally:
        document.close()


def _page_blocks(data: bytes, pages: list[PageText], draft: Draft, options: ReadOptions) -> list[DraftBlock]:
    """The blocks of the text layer, with the OCR blocks of each page that needs OCR (every page under
    `--ocr always`) in that page's place."""
    needs = set(draft.info.get("needs_ocr", []))
    wanted = set(range(1, len(pages) + 1)) if options.ocr == "always" else needs
    found: dict[int, list[DraftBlock]] = {}
    if wanted:
        found = ocr_pages(draft, _page_images(data, options, sorted(wanted), draft),
                          _document_language(pages, draft), options)
    draft.warnings = [w for w in draft.warnings
                      if not any(w.startswith(f"page {n}: ") and w.endswith("needs OCR") for n in found if found[n])]
    blocks: list[DraftBlock] = []
    run: list[PageText] = []
    for number, page in enumerate(pages, start=1):
        if number in found:
            blocks += _text_blocks(run) + found[number]
            run = []
        else:
            run.append(page)
    return blocks + _text_blocks(run)


def _page_images(data: bytes, options: ReadOptions, numbers: list[int], draft: Draft) -> Iterator[tuple[int, bytes]]:
    """Each page to OCR as an image, rendered by PDFium one at a time as the engine asks for it (the
    text was read by other means, and the document closed, before)."""
    try:
        document = _open(data, options.password)
    except FormatError as error:
        draft.warnings.append(f"pages could not be rendered for OCR: {error}")
        return
    try:
        for number in numbers:
            try:
                yield number, _render(document, number)
            except pdfium.PdfiumError:
                draft.warnings.append(f"page {number}: could not be rendered for OCR")
    finally:
        document.close()


def _text_blocks(pages: list[PageText]) -> list[DraftBlock]:
    return [DraftBlock(b.type, [Inline(b.text)], level=b.level) for b in blocks_from_pages(pages)]


def _render(document: pdfium.PdfDocument, number: int) -> bytes:
    page = document[number - 1]
    try:
        return render_pdf_page(page)
    finally:
        page.close()


def _document_language(pages: list[PageText], draft: Draft) -> str | None:
    """The language the PDF declares, else the one its text layer is in: the evidence an OCR model is
    chosen by."""
    declared = draft.meta.get("lang")
    if isinstance(declared, str) and declared:
        return declared
    text = " ".join(line.text for page in pages for line in page.lines)[:5000]
    if len(text.split()) < 5:
        return None
    from ..language import detect_text

    lang = detect_text(text)[0]
    return None if lang == "und" else lang


def _check_envelope(data: bytes, options: ReadOptions) -> None:
    if len(data) > options.max_bytes:
        raise FormatError(f"PDF is larger than the {options.max_bytes}-byte limit")
    if b"%PDF-" not in data[:1024] and not late_pdf_header(data):
        raise FormatError("not a PDF: no %PDF- header at the start")


def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == _PASSWORD_ERROR:
            if password:
                raise _PasswordError("encrypted PDF: the password given does not open it") from error
            raise _PasswordError("encrypted PDF: a password is needed (use --password)") from error
        if code == _SECURITY_ERROR:
            raise FormatError("encrypted PDF: unsupported security handler") from error
        raise FormatError(f"corrupt PDF: {error}") from error
    if len(document) == 0:
        document.close()
        raise FormatError("corrupt PDF: no pages could be found")
    return document


def _page_ranges(readers: list[str]) -> dict[str, str]:
    """Which library read which pages, as page ranges ("1-4,7")."""
    spans: dict[str, list[list[int]]] = {}
    for number, name in enumerate(readers, start=1):
        runs = spans.setdefault(name, [])
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return {name: ",".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs) for name, runs in spans.items()}


def _read_without_pdfium(fallback: Fallback, draft: Draft, error: FormatError) -> tuple[list[PageText], list[str]]:
    count = fallback.page_count()
    if not count:
        raise FormatError(f"{error}; neither pypdf nor pdfminer.six could read it either")
    draft.warnings.append(f"PDFium could not open the file ({error}); pypdf or pdfminer.six read it instead")
    pages: list[PageText] = []
    readers: list[str] = []
    needs_ocr: list[int] = []
    for index in range(count):
        page, name = fallback.page(index)
        if page is None:
            draft.warnings.append(f"page {index + 1}: could not be read")
            page, name = PageText(), "none"
        elif is_garbage(_page_string(page)):
            needs_ocr.append(index + 1)
            draft.warnings.append(f"page {index + 1}: the text layer is glyph garbage (its fonts do not map "
                                  "glyphs to letters) and no other reader did better; needs OCR")
        pages.append(page)
        readers.append(name)
    if not any(page.lines for page in pages):
        # Pages that open but hold no text are most likely scans, as on PDFium's side.
        needs_ocr = list(range(1, count + 1))
        draft.warnings.append("pypdf and pdfminer.six found no text on any page: the pages may be images")
    if needs_ocr:
        draft.info["needs_ocr"] = needs_ocr
    return pages, readers


def _read_pages(document: pdfium.PdfDocument, fallback: Fallback, draft: Draft) -> tuple[list[PageText], list[str]]:
    pages: list[PageText] = []
    readers: list[str] = []
    needs_ocr: list[int] = []
    failed = 0
    rtl_votes = 0
    for number in range(1, len(document) + 1):
        text, images = _pdfium_page(document, number, rtl_votes > 0)
        reader = "pdfium"
        if text is None:
            text, reader = fallback.page(number - 1)
            if text is None:
                failed += 1
                draft.warnings.append(f"page {number}: could not be read")
                pages.append(PageText())
                readers.append("none")
                continue
        elif text.suspect:
            reader = fallback.mend(number - 1, text)
        trouble = _trouble(text, images)
        if trouble or (text.chars and not text.lines):
            # What PDFium cannot see or map, another library may: its reading is taken if clean.
            other, name = fallback.second_opinion(number - 1)
            if other is not None and other.lines and is_clean(_page_string(other)):
                text, reader, trouble = other, name, ""
        if trouble:
            needs_ocr.append(number)
            draft.warnings.append(f"page {number}: {trouble}; needs OCR")
        rtl_votes += sum(1 if line.rtl else -1 for line in text.lines)
        if text.dropped:
            draft.repairs["pdf_control_characters_dropped"] = (
                draft.repairs.get("pdf_control_characters_dropped", 0) + text.dropped)
        if text.folded:
            draft.repairs["pdf_presentation_forms_folded"] = (
                draft.repairs.get("pdf_presentation_forms_folded", 0) + text.folded)
        pages.append(text)
        readers.append(reader)
    if failed == len(document):
        raise FormatError("corrupt PDF: none of its pages could be read")
    if needs_ocr:
        draft.info["needs_ocr"] = needs_ocr
    return pages, readers


def _trouble(text: PageText, images: bool) -> str:
    """Why PDFium's reading of a page is not the page's text ("" if it is)."""
    if not text.lines:
        return "no text layer" if images else ""
    if text.chars and text.dropped > 0.3 * text.chars:
        return "most characters have no Unicode mapping"
    if is_garbage(_page_string(text)):
        return ("the text layer is glyph garbage (its fonts do not map glyphs to letters) "
                "and no other reader did better")
    return ""


def _pdfium_page(document: pdfium.PdfDocument, number: int, default_rtl: bool) -> tuple[PageText | None, bool]:
    """The page as PDFium reads it (None if it cannot), and whether it holds images."""
    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        return None, False
    try:
        textpage = page.get_textpage()
        try:
            text = page_text(page.raw, textpage.raw, default_rtl=default_rtl)
        finally:
            textpage.close()
        return text, not text.lines and _has_images(page)
    finally:
        page.close()


def _page_string(page: PageText) -> str:
    return "\n".join(line.text for line in page.lines)


def _has_images(page: pdfium.PdfPage) -> bool:
    raw = page.raw
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, k)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
        for k in range(pdfium_c.FPDFPage_CountObjects(raw)))


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+\-])?(\d{2})?'?(\d{2})?")


def pdf_date(value: str) -> str:
    """ISO 8601 for a PDF date string ("D:20240131093000+03'30'"); the input itself if it is not one."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return value.strip()
    year, month, day, hour, minute, second, sign, tzh, tzm = match.groups()
    text = year + (f"-{month}" if month else "") + (f"-{day}" if month and day else "")
    if hour and day:
        text += f"T{hour}:{minute or '00'}:{second or '00'}"
        if sign in ("Z", "z"):
            text += "Z"
        elif sign:
            text += f"{sign}{tzh or '00'}:{tzm or '00'}"
    return text


def _declared(document: pdfium.PdfDocument) -> dict[str, str]:
    try:
        return {k: v.strip() for k, v in document.get_metadata_dict(skip_empty=True).items()}
    except (pdfium.PdfiumError, UnicodeDecodeError):
        # A damaged info dictionary (a hex string with a non-hex digit) can give bytes that are not
        # UTF-16; the pages are still readable and the XMP packet may still hold the metadata.
        return {}


def _metadata(declared: dict[str, str], version: int | None, fallback: Fallback,
              draft: Draft) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    info: dict[str, Any] = dict(draft.info)
    if version:
        info["pdf_version"] = f"{version // 10}.{version % 10}"
    for key, target in (("Producer", "producer"), ("Creator", "creator")):
        if declared.get(key):
            info[target] = declared[key]
    if declared.get("Title"):
        meta["title"] = declared["Title"]
    if declared.get("Author"):
        meta["authors"] = _split_names(declared["Author"])
    if declared.get("Subject"):
        meta["description"] = declared["Subject"]
    if declared.get("Keywords"):
        meta["keywords"] = _split_keywords(declared["Keywords"])
    dates = []
    for key, role in (("CreationDate", "created"), ("ModDate", "modified")):
        if declared.get(key):
            dates.append([pdf_date(declared[key]), role])
    if dates:
        meta["dates"] = dates
    _merge_xmp(fallback, meta, info, draft)
    return meta, info


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*|\s*،\s*", text)
    return [p for p in (part.strip() for part in parts) if p]


def _split_keywords(text: str) -> list[str]:
    return [p for p in (part.strip() for part in re.split(r"[,;،؛]", text)) if p]


def _merge_xmp(fallback: Fallback, meta: dict[str, Any], info: dict[str, Any], draft: Draft) -> None:
    """Fill what the info dictionary left empty from the XMP packet and the catalog's /Lang."""
    used("pypdf")
    try:
        reader = fallback.pypdf_reader()
        if reader is None:
            return
        root = reader.trailer["/Root"]
        lang = root.get("/Lang") if hasattr(root, "get") else None
        xmp = reader.xmp_metadata
        if lang and "lang" not in meta:
            meta["lang"] = str(lang).strip()
        if xmp is None:
            return
        title = _first_alt(xmp.dc_title)
        if title and "title" not in meta:
            meta["title"] = title
        if xmp.dc_creator and "authors" not in meta:
            meta["authors"] = [str(name).strip() for name in xmp.dc_creator if str(name).strip()]
        description = _first_alt(xmp.dc_description)
        if description and "description" not in meta:
            meta["description"] = description
        keywords = list(xmp.dc_subject or []) or _split_keywords(xmp.pdf_keywords or "")
        if keywords and "keywords" not in meta:
            meta["keywords"] = [str(k).strip() for k in keywords if str(k).strip()]
        if xmp.dc_language and "lang" not in meta:
            meta["lang"] = str(xmp.dc_language[0])
        created = xmp.xmp_create_date
        if isinstance(created, datetime) and "dates" not in meta:
            meta["dates"] = [[created.isoformat(), "created"]]
        if xmp.pdf_producer and "producer" not in info:
            info["producer"] = str(xmp.pdf_producer)
        if xmp.xmp_creator_tool and "creator" not in info:
            info["creator"] = str(xmp.xmp_creator_tool)
    except Exception as error:  # pypdf raises many kinds on damaged files PDFium could read
        draft.warnings.append(f"XMP metadata could not be read: {type(error).__name__}")


def _first_alt(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("x-default", *value.keys()):
            if value.get(key):
                return str(value[key]).strip()
        return None
    return str(value).strip() if value else None
