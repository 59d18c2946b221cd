"""EPUB reader: spine order, package metadata, navigation titles, right-to-left chapters, hostile books."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.readers.base import FormatError, ReadOptions
from archive.readers.epub import read_epub

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>
<dc:title>Border Notes</dc:title>
<dc:creator>Abdul Majeed Bhatti</dc:creator>
<dc:language>en</dc:language>
<dc:language>fa</dc:language>
<dc:publisher>Kabul Press</dc:publisher>
<dc:date>2025-01-12</dc:date>
<meta property="dcterms:modified">2025-02-01T00:00:00Z</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/><itemref idref="nav" linear="no"/></spine>
</package>"""

NAV = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>toc</title></head>
<body><nav epub:type="toc"><ol>
<li><a href="text/ch1.xhtml">Chapter One</a></li><li><a href="text/ch2.xhtml">فصل دوم</a></li>
</ol></nav></body></html>"""

CH1 = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">
<head><title>One</title></head><body>
<h1>Chapter One</h1>
<p>The border <em>closed</em> in October.<a epub:type="noteref" href="#n1">1</a></p>
<aside epub:type="footnote" id="n1"><p>According to the UN report.</p></aside>
</body></html>"""

CH2 = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="fa" xml:lang="fa" dir="rtl">
<head><title>دو</title></head><body>
<p>من می‌خواهم کتاب‌ها را بخوانم و <span lang="en">Kabul</span> را ببینم.</p>
</body></html>"""


def make_epub(**overrides: str | bytes) -> bytes:
    parts: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": OPF,
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/text/ch1.xhtml": CH1,
        "OEBPS/text/ch2.xhtml": CH2,
    }
    parts.update(overrides)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, content in parts.items():
            book.writestr(name, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def draft():
    return read_epub(make_epub(), ReadOptions(filename="book.epub"))


def test_spine_order_not_manifest_order(draft):
    texts = [b.text for b in draft.blocks]
    assert texts.index("Chapter One") < texts.index(
        "من می\u200cخواهم کتاب\u200cها را بخوانم و Kabul را ببینم."
    )


def test_rtl_chapter_keeps_lang_dir_and_zwnj(draft):
    persian = next(b for b in draft.blocks if "کتاب" in b.text)
    assert (persian.lang, persian.dir) == ("fa", "rtl")
    assert "می\u200cخواهم" in persian.text
    assert [i.lang for i in persian.inlines if i.text == "Kabul"] == ["en"]


def test_navigation_title_heads_a_chapter_without_heading(draft):
    heading = next(b for b in draft.blocks if b.text == "فصل دوم")
    assert heading.type == "heading" and heading.level == 1
    assert heading.dir == "rtl"
    assert {"title": "Chapter One", "href": "OEBPS/text/ch1.xhtml"} in draft.info["toc"]


def test_footnotes_and_noterefs(draft):
    paragraph = next(b for b in draft.blocks if b.text.startswith("The border"))
    assert [(i.text, i.marks) for i in paragraph.inlines if i.marks] == [
        ("closed", ("emphasis",)),
        ("1", ("noteref",)),
    ]
    note = next(b for b in draft.blocks if b.type == "note")
    assert note.text == "According to the UN report." and note.label == "1"


def test_package_metadata(draft):
    assert draft.meta["title"] == "Border Notes"
    assert draft.meta["authors"] == ["Abdul Majeed Bhatti"]
    assert draft.meta["lang"] == "en"
    assert draft.meta["publisher"] == "Kabul Press"
    assert ["2025-01-12", "published"] in draft.meta["dates"]
    assert ["2025-02-01T00:00:00Z", "updated"] in draft.meta["dates"]
    assert draft.info["epub_version"] == "3.0"
    assert draft.info["spine"] == 2
    assert draft.info["identifiers"] == ["urn:uuid:12345678-1234-1234-1234-123456789abc"]
    assert draft.info["languages"] == ["en", "fa"]


def test_xxe_in_a_chapter_is_not_expanded():
    chapter = """<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>before &xxe; after</p></body></html>"""
    draft = read_epub(make_epub(**{"OEBPS/text/ch1.xhtml": chapter}), ReadOptions())
    text = "\n".join(b.text for b in draft.blocks)
    assert "root:" not in text
    assert "before after" in text
    assert any("entity" in w for w in draft.warnings)


def test_billion_laughs_in_a_chapter_is_not_expanded():
    laughs = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    chapter = (
        f'<?xml version="1.0"?><!DOCTYPE html [{laughs}]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x &j; y</p></body></html>'
    )
    draft = read_epub(make_epub(**{"OEBPS/text/ch1.xhtml": chapter}), ReadOptions())
    assert "lol" not in "".join(b.text for b in draft.blocks)


def test_entities_in_the_package_document_are_refused():
    hostile = OPF.replace(
        "<package xmlns", '<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><package xmlns'
    ).replace("<dc:title>Border Notes</dc:title>", "<dc:title>&xxe;</dc:title>")
    with pytest.raises(FormatError, match="entit"):
        read_epub(make_epub(**{"OEBPS/content.opf": hostile}), ReadOptions())


def test_path_traversal_and_zip_bomb_are_refused():
    with pytest.raises(FormatError, match="escapes"):
        read_epub(make_epub(**{"../outside.xhtml": "x"}), ReadOptions())
    with pytest.raises(FormatError, match="zip bomb"):
        read_epub(make_epub(**{"OEBPS/images/bomb.bin": b"\0" * (20 * 1024 * 1024)}), ReadOptions())


def test_epub2_ncx_titles():
    opf = (
        OPF.replace('version="3.0"', 'version="2.0"')
        .replace(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
            '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        )
        .replace("<spine>", '<spine toc="ncx">')
        .replace('<itemref idref="nav" linear="no"/>', "")
    )
    ncx = """<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="p2"><navLabel><text>Second</text></navLabel><content src="text/ch2.xhtml"/></navPoint>
</navMap></ncx>"""
    draft = read_epub(make_epub(**{"OEBPS/content.opf": opf, "OEBPS/toc.ncx": ncx}), ReadOptions())
    assert draft.info["epub_version"] == "2.0"
    assert any(b.type == "heading" and b.text == "Second" for b in draft.blocks)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_draft_or_format_error(data):
    with contextlib.suppress(FormatError):
        read_epub(data, ReadOptions())


def _encryption(*entries: tuple[str, str]) -> str:
    data = "".join(
        f'<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>'
        f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>'
        for algorithm, uri in entries
    )
    return ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            f'xmlns:enc="http://www.w3.org/2001/04/xmlenc#">{data}</encryption>')


@pytest.mark.parametrize("algorithm", ["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"])
def test_font_obfuscation_is_not_drm(algorithm: str) -> None:
    book = make_epub(**{"META-INF/encryption.xml": _encryption((algorithm, "OEBPS/fonts/Serif.obf.otf"))})
    draft = read_epub(book, ReadOptions(filename="book.epub"))
    assert "The border closed in October.1" in [b.text for b in draft.blocks]
    assert any("obfuscated" in w and "not DRM" in w for w in draft.warnings)


def test_encrypted_content_is_drm_and_the_scheme_is_named() -> None:
    aes = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
    encryption = _encryption(("http://www.idpf.org/2008/embedding", "OEBPS/fonts/a.otf"), (aes, "OEBPS/text/ch1.xhtml"))
    with pytest.raises(FormatError, match=r"encrypted \(DRM: Adobe ADEPT"):
        read_epub(make_epub(**{"META-INF/encryption.xml": encryption, "META-INF/rights.xml": "<rights/>"}),
                  ReadOptions())
    with pytest.raises(FormatError, match=r"encrypted \(DRM;"):
        read_epub(make_epub(**{"META-INF/encryption.xml": encryption}), ReadOptions())
    # The obfuscation algorithm applied to a chapter hides text: that is not font obfuscation.
    chapter = _encryption(("http://www.idpf.org/2008/embedding", "OEBPS/text/ch1.xhtml"))
    with pytest.raises(FormatError, match="encrypted"):
        read_epub(make_epub(**{"META-INF/encryption.xml": chapter}), ReadOptions())


def test_real_epubs_with_obfuscated_fonts_are_read_whole() -> None:
    import re

    from lxml import etree

    from real_files import real_dir

    word = re.compile(r"\w+")
    books = sorted(real_dir("epub").glob("*.epub"))
    assert books
    for path in books:
        draft = read_epub(path.read_bytes(), ReadOptions(filename=path.name))
        text = "\n".join(b.text for b in draft.blocks)
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.endswith(".xhtml"):
                    body = etree.fromstring(book.read(name)).find(".//{*}body")
                    # A line number in an inline span touches its line's last word: found inside a token.
                    missing = {w for w in word.findall(" ".join(body.itertext())) if w not in text}
                    assert not missing, (path.name, name, sorted(missing)[:10])
