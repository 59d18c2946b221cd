"""Content sniffing: the bytes decide the media type, the file name is only a hint."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.readers import READERS
from archive.readers.base import FormatError
from archive.sniff import (
    DOCX,
    EPUB,
    HTML,
    MARKDOWN,
    PDF,
    TEI,
    TEXT,
    XHTML,
    XML,
    UnsupportedFormatError,
    markdown_signals,
    sniff,
)
from real_files import real_dir


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_pdf_named_txt_is_pdf():
    assert sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.txt") == PDF
    assert sniff(b"\r\n" * 20 + b"%PDF-1.4\n", "x") == PDF  # junk before the header is tolerated


def test_html_named_dat_is_html():
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page.dat") == HTML
    assert sniff(b"\n\n  <HTML><HEAD><TITLE>x</TITLE></HEAD>", "page.dat") == HTML
    assert sniff(b"<!-- saved page --><head><meta charset=utf-8></head><p>x", "x.bin") == HTML


def test_xhtml_and_utf16_html():
    xhtml = b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert sniff(xhtml) == XHTML
    page = "<html><body><p>سلام</p></body></html>"
    assert sniff(page.encode("utf-16")) == HTML
    assert sniff(page.encode("utf-16-le")) == HTML  # no BOM: the NUL pattern gives it away


def test_tei_with_any_prefix_and_prolog():
    tei = b"""\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="tei_all.rng" type="application/xml"?>
<!-- a comment -->
<!DOCTYPE TEI>
<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0"><tei:teiHeader/></tei:TEI>"""
    assert sniff(tei, "doc.txt") == TEI
    assert sniff(b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"></teiCorpus>') == TEI
    assert sniff(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>') == XML


def test_zip_containers():
    epub = _zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>"})
    assert sniff(epub, "book.zip") == EPUB
    assert sniff(_zip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})) == DOCX
    with pytest.raises(UnsupportedFormatError) as error:
        sniff(_zip({"photo.jpg": b"\xff\xd8\xff"}), "archive.zip")
    assert error.value.detected == "ZIP archive (no known document inside)"


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (b"GIF89a\x01\x00", "GIF image"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip data"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"MZ\x90\x00\x03\x00", "Windows executable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE2 compound file (legacy .doc/.xls?)"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_unsupported_formats_are_named(data, detected):
    with pytest.raises(UnsupportedFormatError) as error:
        sniff(data, "file.txt")
    assert error.value.detected == detected
    assert str(error.value) == f"unsupported format: {detected}"
    assert isinstance(error.value, FormatError)


def test_plain_text_in_many_encodings():
    persian = "من می‌خواهم کتاب‌ها را بخوانم. " * 20
    assert sniff(persian.encode("utf-8")) == TEXT
    assert sniff(persian.encode("utf-16")) == TEXT
    assert sniff("قالت الأمم المتحدة إن الحركة تتلقى دعماً. ".encode("cp1256") * 10) == TEXT
    assert sniff(b"") == TEXT
    assert sniff(b"Just a sentence with * one star and a C:\\Users path.") == TEXT


def test_markdown_needs_two_signals_or_the_extension():
    markdown = "# Title\n\nSome **bold** words and a [link](https://example.org).\n"
    assert sniff(markdown.encode(), "notes.txt") == MARKDOWN
    assert markdown_signals(markdown) >= {"atx_heading", "strong", "link"}
    poem = "چو کشور نباشد تن من مباد  \nبدین بوم و بر زنده یک تن مباد\n\n\\* not a list\n"
    assert sniff(poem.encode()) == MARKDOWN  # hard break + escape
    single = "Only # one hash-like signal here\n# Heading\nand plain text.\n"
    assert sniff(single.encode(), "a.txt") == TEXT
    assert sniff(single.encode(), "a.md") == MARKDOWN


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["", "a.txt", "a.md", "a.html", "a.pdf", "a.xml"]))
def test_arbitrary_bytes_give_a_type_or_format_error(data, filename):
    try:
        media_type = sniff(data, filename)
    except FormatError:
        return
    assert media_type in READERS or media_type == XML


# The plain forms of the signals whose patterns are written literal-first for speed.
_PLAIN_SIGNALS = {
    "emphasis": re.compile(r"(?<![*\w])\*[^*\s][^*\n]*?(?<=\S)\*(?![*\w])"),
    "link": re.compile(r"!?\[[^\]\n]+\]\((?:[^()\s]+|<[^>\n]+>)(?:\s+\"[^\"\n]*\")?\)"),
    "hard_break": re.compile(r"\S {2,}\n[^\n]*\S"),
    "inline_code": re.compile(r"(?<!`)`[^`\n]+`(?!`)"),
    "setext_heading": re.compile(r"^[^\n]*\S[^\n]*\n {0,3}=+[ \t]*$", re.MULTILINE),
}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="*a_ \n`[]()<>\"!\t.=-#", max_size=40))
def test_fast_markdown_signals_agree_with_their_plain_forms(text: str) -> None:
    found = markdown_signals(text)
    for name, pattern in _PLAIN_SIGNALS.items():
        assert (name in found) == bool(pattern.search(text)), name


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="*a_ \n`[]()<>:\"!\t.=-#|~\\hptsmilo", max_size=60))
def test_signal_prefilters_never_hide_a_match(text: str) -> None:
    # Each signal's characters are a necessary condition only: the answer is the regex's alone.
    from archive.sniff import _MD_SIGNALS

    found = markdown_signals(text)
    for name, (_needles, pattern) in _MD_SIGNALS.items():
        assert (name in found) == bool(pattern.search(text)), name


def test_utf16_without_bom_and_control_dense_text():
    assert sniff("<html><body>سلام</body></html>".encode("utf-16-le")) == HTML
    assert sniff("plain words, nothing else\n".encode("utf-16-be")) == TEXT
    assert sniff(codecs.BOM_UTF8 + b"text with one \x01 control" * 3) == TEXT
    with pytest.raises(UnsupportedFormatError):
        sniff(codecs.BOM_UTF8 + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 100)


# HTML is known by its structure, wherever it starts in the sample and whatever the file is called.
_PAGE = b"<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Hello</p></body></html>"


def test_html_after_php_warnings_is_html():
    junk = b"<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/index.php</b> on line <b>3</b><br />\n"
    assert sniff(junk * 40 + _PAGE, "index.php") == "text/html"
    cli = b"PHP Warning:  Undefined index: id in /var/www/index.php on line 12\n"
    assert sniff(cli * 40 + _PAGE, "page.txt") == "text/html"


def test_html_after_a_long_style_block_is_html_not_markdown():
    style = b"<style type=\"text/css\">\n" + b"    #welcome-ad { position: fixed; top: 0; }\n" * 100 + b"</style>\n"
    assert sniff(style + _PAGE, "page.html") == "text/html"
    assert sniff(style + b"<div><p>Text</p></div>", "saved") == "text/html"


def test_html_with_a_wrong_extension_is_html():
    assert sniff(_PAGE, "article.txt") == "text/html"
    assert sniff(_PAGE, "article.md") == "text/html"


def test_text_that_mentions_html_tags_is_not_html():
    assert sniff(b"Plain text that talks about the <html> and <body> tags.\n", "notes.txt") == "text/plain"
    assert sniff(b"# Notes\n\nWrite `<html>` first.\n", "notes.md") == "text/markdown"


ARABIC_SCRIPT_LINES = (
    "قالت وزارة الصحة إن عدد المصابين ارتفع خلال الأسبوع الماضي في ثلاث محافظات.\n",
    "این گزارش نشان می‌دهد که بیشتر دانش‌آموزان روستایی به اینترنت دسترسی ندارند.\n",
    "حکومت نے اعلان کیا ہے کہ اگلے مہینے سے بجلی کی قیمتوں میں اضافہ ہوگا۔\n",
)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("line", ARABIC_SCRIPT_LINES)
def test_arabic_script_utf16_and_utf32_without_bom_are_text(codec: str, line: str) -> None:
    # Arabic-script UTF-16 has NULs only in spaces and punctuation (about a fifth of its bytes).
    data = (line * 3).encode(codec)
    assert sniff(data, "news.txt") == TEXT
    assert sniff(("<html><body><p>" + line + "</p></body></html>").encode(codec)) == HTML


def test_real_wide_files_are_text() -> None:
    folder = real_dir("encoding")
    wide = [p for p in folder.glob("utf-[13]*/*") if p.is_file()]
    assert wide
    for path in wide:
        assert sniff(path.read_bytes(), path.name) in (TEXT, HTML), path


@pytest.mark.parametrize(("data", "media_type"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
    (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
])
def test_page_images_are_read_by_ocr(data: bytes, media_type: str) -> None:
    assert sniff(data, "scan.txt") == media_type
