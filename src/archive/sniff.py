"""Media type from the bytes themselves; the file name is only a hint.

Archives receive files with wrong or missing extensions (a PDF saved as .txt, a web page saved as
.dat), so the content decides: magic numbers, then ZIP members, then the shape of the text (markup
root, Markdown structure). Anything we cannot read is refused with a name a person recognizes.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from io import BytesIO

from .encoding import wide_encoding
from .readers.base import FormatError
from .readers.openiti import is_openiti
from .readers.warc import is_warc

PDF = "application/pdf"
EPUB = "application/epub+zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEI = "application/tei+xml"
XHTML = "application/xhtml+xml"
HTML = "text/html"
XML = "application/xml"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
OPENITI = "text/x-openiti-markdown"
WARC = "application/warc"

_TEXT_SAMPLE = 64 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 compound file (legacy .doc/.xls?)"),
    (b"{\\rtf", "RTF document"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly binary"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
)


# Images of pages, read by OCR (readers/scan.py).
_SCANNABLE = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"II*\x00", "image/tiff"),
              (b"MM\x00*", "image/tiff"))


class UnsupportedFormatError(FormatError):
    """The bytes are something the archive has no reader for; `detected` says what they look like."""

    def __init__(self, detected: str) -> None:
        self.detected = detected
        super().__init__(f"unsupported format: {detected}")


def sniff(data: bytes, filename: str = "") -> str:
    """Return the media type of `data`, or raise UnsupportedFormatError naming what it appears to be."""
    ext = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if b"%PDF-" in data[:1024] or late_pdf_header(data):
        return PDF
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _sniff_zip(data)
    if (data[:5] == b"WARC/" or data[:2] == b"\x1f\x8b") and is_warc(data):
        return WARC
    for magic, image in _SCANNABLE:
        if data.startswith(magic):
            return image
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise UnsupportedFormatError("WebP image")
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(name)
    text = _sample_text(data)
    if text is None:
        raise UnsupportedFormatError("binary data")
    if is_openiti(text[:64], filename):
        return OPENITI
    markup = _sniff_markup(text, ext)
    if markup:
        return markup
    if ext in ("md", "markdown", "mdown", "mkd") or _looks_like_markdown(text):
        return MARKDOWN
    return TEXT


def late_pdf_header(data: bytes) -> bool:
    """A PDF behind a preamble (a mail or download wrapper): its header further in, and the file's
    end written as a PDF's end is. pypdf and pdfminer.six read such files; PDFium does not."""
    return b"%PDF-" in data[:_TEXT_SAMPLE] and (b"%%EOF" in data[-2048:] or b"startxref" in data[-2048:])


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                # Reading a tiny declared member is safe; a bomb would need a huge declared size.
                if info.file_size <= 100:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype == EPUB:
                        return EPUB
            if "word/document.xml" in names:
                return DOCX
            if "META-INF/container.xml" in names and any(n.endswith(".opf") for n in names):
                return EPUB
            if "content.xml" in names and "mimetype" in names:
                raise UnsupportedFormatError("OpenDocument file")
            if "xl/workbook.xml" in names:
                raise UnsupportedFormatError("Excel workbook (.xlsx)")
            if "ppt/presentation.xml" in names:
                raise UnsupportedFormatError("PowerPoint presentation (.pptx)")
    except UnsupportedFormatError:
        raise
    except Exception as exc:  # zipfile raises many kinds on damaged data; all mean "not a usable ZIP"
        raise UnsupportedFormatError("damaged ZIP archive") from exc
    raise UnsupportedFormatError("ZIP archive (no known document inside)")


# Control bytes that binary data is dense with and text hardly has (counted by deleting them, in C).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f\v\x1a\x1b") + b"\x7f"
# C0 controls other than the whitespace ones, and U+FFFD. Counted by a regex: str.translate with a
# deleting table looks every character up in a dict.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")


def _sample_text(data: bytes) -> str | None:
    """Decode the start of `data` if it is text in any plausible encoding, else None.

    Legacy 8-bit code pages (Windows-1256 Arabic, Persian) are mostly bytes >= 0x80: they count as
    text as long as control bytes are rare; the real decoding is the decoder's job, not ours.
    """
    sample = data[:_TEXT_SAMPLE]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if sample.startswith(bom):
            return _texty(sample[len(bom) :].decode(codec, "replace"))
    # UTF-16/32 without a byte-order mark: judged by the text each decoding gives, not by a NUL ratio
    # (Arabic-script UTF-16 has NULs only in spaces and punctuation).
    wide = wide_encoding(sample[:8192]) if b"\x00" in sample[:8192] else None
    if wide:
        return _texty(sample[: len(sample) // 4 * 4].decode(wide, "replace"))
    if not sample:
        return ""
    head = sample[:8192]
    # A stray NUL or two (a damaged export, a padded record) does not make text binary; binary data is
    # dense with NULs and other controls, which the ratio below catches.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.02 * len(head):
        return None
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the sample boundary
            return sample[: exc.start].decode("utf-8")
    return sample.decode("latin-1")


def _texty(text: str) -> str | None:
    """Refuse decoded text that is mostly control characters or undecodable (binary data)."""
    head = text[:4096]
    bad = len(_BAD_CHAR.findall(head))
    return None if bad > 0.05 * max(len(head), 1) else text


_PROLOG = re.compile(
    r"""\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*""",
    re.DOTALL | re.IGNORECASE,
)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
_HTML_HINT = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_XHTML_NS = "http://www.w3.org/1999/xhtml"
# HTML by structure wherever it starts in the sample: a line that opens the document (`<!DOCTYPE html>`,
# `<html>`) with its body or end after it. Pages saved from servers begin with PHP warnings, long
# <style> or <script> blocks or comments, which push those past the first kilobyte.
_HTML_START = re.compile(r"^[ \t]*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.MULTILINE)
_HTML_END = re.compile(r"<body[\s>]|</html\s*>", re.IGNORECASE)
# Elements that exist only in HTML: a document that opens with one is a page, not XML.
_HTML_ONLY_ROOTS = frozenset({"style", "script", "meta", "link", "br", "b", "div", "p", "span", "table", "title",
                              "noscript", "center", "font", "iframe"})


def _html_later(text: str) -> bool:
    start = _HTML_START.search(text)
    return start is not None and _HTML_END.search(text, start.end()) is not None


def _sniff_markup(text: str, ext: str) -> str | None:
    text = text.lstrip("\ufeff")
    prolog = _PROLOG.match(text)
    rest = text[prolog.end() if prolog else 0 :]
    head = text[:2048]
    xml_decl = head.lstrip().startswith("<?xml")
    root = _ROOT.match(rest)
    if root:
        name = root.group(2)
        if name in ("TEI", "teiCorpus"):
            return TEI
        if name.lower() == "html":
            tag_end = rest.find(">")
            if xml_decl or _XHTML_NS in rest[: tag_end if tag_end > 0 else 1024]:
                return XHTML
            return HTML
    if rest.startswith("<") and _HTML_HINT.search(text[:1024]):
        return XHTML if xml_decl else HTML
    if _html_later(text) or (
        root is not None and root.group(1) is None and root.group(2).lower() in _HTML_ONLY_ROOTS and not xml_decl
    ):
        return HTML
    if root and (xml_decl or rest.rstrip().endswith(">")):
        if ext in ("html", "htm", "xhtml") and root.group(1) is None:
            return HTML
        return XML
    return None


# Each signal with characters one of which any match must contain: `in` finds a single character in C
# far faster than the regex engine tries every line (or a longer literal), so plain text without them
# costs a few scans.
_MD_SIGNALS: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    "atx_heading": (("#",), re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)),
    # `[^\S\n]*\S` finds a line's first non-space in one pass; `[^\n]*\S` backtracks quadratically.
    "setext_heading": (("=",), re.compile(r"^[^\S\n]*\S[^\n]*\n {0,3}=+[ \t]*$", re.MULTILINE)),
    "strong": (("*", "_"), re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")),
    # Patterns that start with a literal let the regex engine skip ahead to it; a leading lookbehind or
    # character class makes it try every position. Only whether a pattern occurs matters here.
    "emphasis": (("*",), re.compile(r"\*(?<![*\w]\*)[^*\s][^*\n]*?(?<=\S)\*(?![*\w])")),
    "link": (("]",), re.compile(r"\[[^\]\n]+\]\((?:[^()\s]+|<[^>\n]+>)(?:\s+\"[^\"\n]*\")?\)")),
    "escape": (("\\",), re.compile(r"\\[\\`*_{}\[\]()#+\-.!|>~]")),
    "fence": (("`", "~"), re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)),
    "hard_break": (("  \n",), re.compile(r"  (?<=\S  ) *\n[^\n]*\S")),
    "inline_code": (("`",), re.compile(r"`(?<!``)[^`\n]+`(?!`)")),
    "blockquote": ((">",), re.compile(r"^ {0,3}> \S", re.MULTILINE)),
    "table": (("|",), re.compile(r"^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|", re.MULTILINE)),
    "autolink": (("<",), re.compile(r"<(?:https?|mailto):[^>\s]+>")),
    "reference_link": (("]",), re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S", re.MULTILINE)),
}


def markdown_signals(text: str) -> set[str]:
    """Which kinds of Markdown structure appear in `text` (one kind alone is often a coincidence)."""
    return {name for name, (needles, pattern) in _MD_SIGNALS.items() if _signal(text, needles, pattern)}


def _looks_like_markdown(text: str) -> bool:
    found = 0
    for needles, pattern in _MD_SIGNALS.values():
        if _signal(text, needles, pattern):
            found += 1
            if found == 2:
                return True
    return False


def _signal(text: str, needles: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    for needle in needles:
        if needle in text:
            return pattern.search(text) is not None
    return False
