"""PDF reader: text in reading order, headings and paragraphs rebuilt from layout, declared metadata.

PDFium (pypdfium2) reads the pages: it is an order of magnitude faster than pypdf's text extraction,
applies /ActualText, and gives every character's position, from which pdf_layout rebuilds lines in
typed order. pypdf reads only what PDFium does not expose: the XMP packet and the catalog's /Lang.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import datetime
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..provenance import used
from .base import Draft, DraftBlock, FormatError, Inline, ReadOptions
from .pdf_blocks import blocks_from_pages
from .pdf_layout import PageText, page_text
from .scan import ocr_pages, render_pdf_page

_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_SECURITY_ERROR = 6  # FPDF_ERR_SECURITY


def read_pdf(data: bytes, options: ReadOptions) -> Draft:
    _check_envelope(data, options)
    document = _open(data, options.password)
    try:
        draft = Draft(blocks=[])
        pages = _read_pages(document, draft)
        draft.meta, draft.info = _metadata(document, data, draft)
        draft.info["pages"] = len(pages)
        draft.blocks = _page_blocks(document, pages, draft, options)
        needs_ocr = draft.info.get("needs_ocr", [])
        if pages and len(needs_ocr) == len(pages) and "ocr" not in draft.info:
            draft.warnings.append("no page has a text layer; the whole document needs OCR")
        return draft
    finally:
        document.close()


def _page_blocks(document: pdfium.PdfDocument, pages: list[PageText], draft: Draft,
                 options: ReadOptions) -> list[DraftBlock]:
    """The blocks of the text layer, with the OCR blocks of each page that needs OCR (every page under
    `--ocr always`) in that page's place."""
    needs = set(draft.info.get("needs_ocr", []))
    wanted = set(range(1, len(pages) + 1)) if options.ocr == "always" else needs
    found = ocr_pages(draft, ((n, _render(document, n)) for n in sorted(wanted)),
                      _document_language(pages, draft), options) if wanted else {}
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
    if b"%PDF-" not in data[:1024]:
        raise FormatError("not a PDF: no %PDF- header at the start")
    # PDFium quietly rebuilds a cut-off file from whatever objects survive; an archive must not
    # record the fragment as if it were the document.
    if b"%%EOF" not in data[-2048:]:
        raise FormatError("truncated PDF: no %%EOF marker at the end of the file")


def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == _PASSWORD_ERROR:
            if password:
                raise FormatError("encrypted PDF: the password given does not open it") from error
            raise FormatError("encrypted PDF: a password is needed (use --password)") from error
        if code == _SECURITY_ERROR:
            raise FormatError("encrypted PDF: unsupported security handler") from error
        raise FormatError(f"corrupt PDF: {error}") from error
    if len(document) == 0:
        document.close()
        raise FormatError("corrupt PDF: no pages could be found")
    return document


def _read_pages(document: pdfium.PdfDocument, draft: Draft) -> list[PageText]:
    pages: list[PageText] = []
    needs_ocr: list[int] = []
    failed = 0
    rtl_votes = 0
    for number in range(1, len(document) + 1):
        try:
            page = document[number - 1]
        except pdfium.PdfiumError:
            failed += 1
            draft.warnings.append(f"page {number}: could not be read")
            pages.append(PageText())
            continue
        try:
            textpage = page.get_textpage()
            try:
                text = page_text(page.raw, textpage.raw, default_rtl=rtl_votes > 0)
            finally:
                textpage.close()
            if not any(line.text for line in text.lines):
                if _has_images(page):
                    needs_ocr.append(number)
                    draft.warnings.append(f"page {number}: no text layer; needs OCR")
            elif text.chars and text.dropped > 0.3 * text.chars:
                needs_ocr.append(number)
                draft.warnings.append(f"page {number}: most characters have no Unicode mapping; needs OCR")
            rtl_votes += sum(1 if line.rtl else -1 for line in text.lines)
            if text.dropped:
                draft.repairs["pdf_control_characters_dropped"] = (
                    draft.repairs.get("pdf_control_characters_dropped", 0) + text.dropped)
            if text.folded:
                draft.repairs["pdf_presentation_forms_folded"] = (
                    draft.repairs.get("pdf_presentation_forms_folded", 0) + text.folded)
            pages.append(text)
        finally:
            page.close()
    if failed == len(document):
        raise FormatError("corrupt PDF: none of its pages could be read")
    if needs_ocr:
        draft.info["needs_ocr"] = needs_ocr
    return pages


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


def _metadata(document: pdfium.PdfDocument, data: bytes, draft: Draft) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    info: dict[str, Any] = dict(draft.info)
    try:
        declared = {k: v.strip() for k, v in document.get_metadata_dict(skip_empty=True).items()}
    except pdfium.PdfiumError:
        declared = {}
    version = document.get_version()
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
    _merge_xmp(data, meta, info, draft)
    return meta, info


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*|\s*،\s*", text)
    return [p for p in (part.strip() for part in parts) if p]


def _split_keywords(text: str) -> list[str]:
    return [p for p in (part.strip() for part in re.split(r"[,;،؛]", text)) if p]


def _merge_xmp(data: bytes, meta: dict[str, Any], info: dict[str, Any], draft: Draft) -> None:
    """Fill what the info dictionary left empty from the XMP packet and the catalog's /Lang."""
    import pypdf

    used("pypdf")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return  # PDFium already opened it; pypdf would need the password again
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
