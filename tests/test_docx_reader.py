"""DOCX reader: structure, right-to-left paragraphs, declared run languages, notes and hostile packages."""
# ruff: noqa: E501  (fixture markup reads better unwrapped)

from __future__ import annotations

import contextlib
import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from archive.readers.base import FormatError, ReadOptions
from archive.readers.docx import read_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:footnoteRef/></w:r>
<w:r><w:rPr><w:rtl/><w:lang w:val="en-US" w:bidi="fa-IR"/></w:rPr><w:t xml:space="preserve"> منبع: گزارش سازمان ملل</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def _rtl_run(paragraph, text: str, lang: str = "fa-IR"):
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    rpr.append(OxmlElement("w:rtl"))
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:bidi"), lang)
    rpr.append(lang_el)
    return run


def _bidi(paragraph) -> None:
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "گزارش مرز"
    document.core_properties.author = "Vanessa Sevidova"
    document.core_properties.language = "fa-IR"
    document.core_properties.keywords = "Afghanistan, Pakistan"
    document.add_heading("Border clashes", level=1)
    document.add_heading("Background", level=2)
    persian = document.add_paragraph()
    _bidi(persian)
    _rtl_run(persian, "من می‌خواهم کتاب‌ها را بخوانم ")
    latin = persian.add_run("Taliban")
    latin.bold = True
    latin_lang = OxmlElement("w:lang")
    latin_lang.set(qn("w:val"), "en-US")
    latin._r.get_or_add_rPr().append(latin_lang)
    note_ref = persian.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    note_ref._r.append(ref)
    english = document.add_paragraph("The report was ")
    english.add_run("published").italic = True
    english.add_run(" in February.")
    document.add_paragraph("First point", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Killed"
    table.cell(0, 1).text = "685"
    buffer = io.BytesIO()
    document.save(buffer)
    return _add_part(
        buffer.getvalue(),
        "word/footnotes.xml",
        FOOTNOTES,
        rel_type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    )


def _add_part(data: bytes, name: str, xml: str, rel_type: str, content_type: str) -> bytes:
    """python-docx cannot write footnotes, so the part is spliced into the package by hand."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdFn" Type="{rel_type}" Target="footnotes.xml"/></Relationships>'.encode(),
                )
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode(),
                )
            target.writestr(info.filename, content)
        target.writestr(name, xml)
    return out.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def draft():
    return read_docx(make_docx(), ReadOptions(filename="report.docx"))


def test_headings_by_style(draft):
    headings = [(b.text, b.level) for b in draft.blocks if b.type == "heading"]
    assert headings == [("Border clashes", 1), ("Background", 2)]


def test_bidi_paragraph_keeps_zwnj_direction_and_declared_language(draft):
    block = next(b for b in draft.blocks if "کتاب" in b.text)
    assert block.dir == "rtl"
    assert "می\u200cخواهم" in block.text and "کتاب\u200cها" in block.text
    assert block.lang == "fa-IR"
    bold = next(i for i in block.inlines if i.text == "Taliban")
    assert bold.marks == ("strong",)
    assert bold.lang == "en-US"  # a Latin run inside a Persian paragraph keeps its own language
    noteref = block.inlines[-1]
    assert noteref.marks == ("noteref",) and noteref.text == "1"


def test_marks_lists_and_tables(draft):
    english = next(b for b in draft.blocks if b.text.startswith("The report"))
    assert english.text == "The report was published in February."
    assert [i.marks for i in english.inlines if i.text == "published"] == [("emphasis",)]
    assert english.dir is None
    assert any(b.type == "list_item" and b.text == "First point" for b in draft.blocks)
    assert any(b.type == "paragraph" and b.text == "Killed | 685" for b in draft.blocks)


def test_footnotes_become_labelled_notes(draft):
    notes = [b for b in draft.blocks if b.type == "note"]
    assert len(notes) == 1
    assert notes[0].label == "1"
    assert notes[0].text == "منبع: گزارش سازمان ملل"
    assert notes[0].dir == "rtl" and notes[0].lang == "fa-IR"


def test_core_properties(draft):
    assert draft.meta["title"] == "گزارش مرز"
    assert draft.meta["authors"] == ["Vanessa Sevidova"]
    assert draft.meta["lang"] == "fa-IR"
    assert draft.meta["keywords"] == ["Afghanistan", "Pakistan"]
    assert any(role == "created" for _, role in draft.meta["dates"])


def test_hyperlink_target_from_relationships():
    document = docx.Document()
    paragraph = document.add_paragraph("See ")
    rid = document.part.relate_to(
        "https://example.org/report",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the report"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    buffer = io.BytesIO()
    document.save(buffer)
    block = read_docx(buffer.getvalue(), ReadOptions()).blocks[0]
    assert [(i.text, i.marks, i.href) for i in block.inlines] == [
        ("See ", (), None),
        ("the report", ("link",), "https://example.org/report"),
    ]


XXE_DOCUMENT = f"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>""".encode()

LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
LAUGHS_DOCUMENT = (
    f'<?xml version="1.0"?>{LAUGHS}<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&j;</w:t></w:r>'
    "</w:p></w:body></w:document>"
).encode()


@pytest.mark.parametrize("payload", [XXE_DOCUMENT, LAUGHS_DOCUMENT], ids=["xxe", "billion-laughs"])
def test_entity_declarations_are_refused(payload):
    hostile = _replace_part(make_docx(), "word/document.xml", payload)
    with pytest.raises(FormatError, match="entit"):
        read_docx(hostile, ReadOptions())


def test_path_traversal_member_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>')
        package.writestr("../../evil.sh", "rm -rf /")
    with pytest.raises(FormatError, match="escapes"):
        read_docx(out.getvalue(), ReadOptions())


def test_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>')
        package.writestr("word/media/huge.bin", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(FormatError, match="zip bomb"):
        read_docx(out.getvalue(), ReadOptions())


def test_not_a_zip_is_a_format_error():
    with pytest.raises(FormatError):
        read_docx(b"PK\x03\x04 this is not really a zip", ReadOptions())


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_draft_or_format_error(data):
    with contextlib.suppress(FormatError):
        read_docx(data, ReadOptions())


STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _package(document: str, parts: dict[str, str] | None = None) -> bytes:
    """A minimal package: the main part and any others, by name (readers look parts up by name)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        package.writestr("word/document.xml", document)
        for name, xml in (parts or {}).items():
            package.writestr(name, xml)
    return out.getvalue()


def test_strict_docx_is_read_like_transitional():
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="{STRICT_W}" w:conformance="strict"><w:body>
<w:p><w:pPr><w:bidi w:val="true"/></w:pPr><w:r><w:rPr><w:b w:val="true"/><w:lang w:bidi="fa-IR"/></w:rPr><w:t>گزارش سالانه</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Second </w:t></w:r><w:r><w:t>paragraph</w:t></w:r></w:p>
</w:body></w:document>"""
    draft = read_docx(_package(document), ReadOptions())
    assert [b.text for b in draft.blocks] == ["گزارش سالانه", "Second paragraph"]
    assert draft.blocks[0].dir == "rtl" and draft.blocks[0].lang == "fa-IR"
    assert draft.blocks[0].inlines[0].marks == ("strong",)


def test_real_strict_docx():
    from real_files import real_dir

    path = real_dir("epub") / "strict-format.docx"
    draft = read_docx(path.read_bytes(), ReadOptions())
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    assert etree.QName(root).namespace == STRICT_W
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{{{STRICT_W}}}t")) for p in root.iter(f"{{{STRICT_W}}}p")]
    assert [b.text for b in draft.blocks] == [p for p in paragraphs if p.strip()]


TEXT_BOX_DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>
<w:p><w:r><w:t>The body paragraph.</w:t></w:r><w:r><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>A sidebar in a text box.</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>A sidebar in a text box.</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>
</mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>After the box.</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>
</w:body></w:document>"""
HEADER = f"""<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>Quarterly report — draft</w:t></w:r></w:p></w:hdr>"""
FOOTER = f"""<w:ftr xmlns:w="{W_NS}"><w:p><w:r><w:t>Page footer text</w:t></w:r></w:p></w:ftr>"""
COMMENTS = f"""<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="Reviewer"><w:p><w:r><w:t>Check this figure.</w:t></w:r></w:p></w:comment></w:comments>"""


def test_text_boxes_comments_headers_and_footers_are_typed_blocks():
    parts = {"word/header1.xml": HEADER, "word/header2.xml": HEADER, "word/footer1.xml": FOOTER,
             "word/comments.xml": COMMENTS, "word/footnotes.xml": FOOTNOTES}
    draft = read_docx(_package(TEXT_BOX_DOCUMENT, parts), ReadOptions())
    got = [(b.type, b.text, b.label) for b in draft.blocks]
    assert got == [
        ("boilerplate", "Quarterly report — draft", None),  # the same header on two page styles: once
        ("paragraph", "The body paragraph.", None),
        ("paragraph", "A sidebar in a text box.", None),  # once, though Word writes it twice
        ("paragraph", "After the box.", None),
        ("note", "منبع: گزارش سازمان ملل", "1"),
        ("note", "Reviewer: Check this figure.", "comment 1"),
        ("boilerplate", "Page footer text", None),
    ]
