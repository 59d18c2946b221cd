"""The PDF reader against PDFs printed by Chromium and LibreOffice from known text.

Fixtures are committed (tests/data/pdf/make_fixtures.py regenerates them), so these tests need
neither a browser nor an office suite. Similarity is measured as in bench/pdf.py.
"""

from __future__ import annotations

import difflib
import io
import logging
import time
import unicodedata
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.readers.base import Draft, FormatError, ReadOptions
from archive.readers.pdf import pdf_date, read_pdf
from archive.readers.pdf_bidi import fold_presentation_forms, shared_glyph_letters, visual_to_logical
from archive.readers.pdf_fallback import Chunk, lines_from_chunks
from archive.sniff import sniff

DATA = Path(__file__).parent / "data" / "pdf"
ARABIC_SCRIPT = ["persian", "arabic", "urdu", "pashto", "mixed", "persian_lo", "arabic_lo", "mixed_lo"]
LATIN = ["latin", "latin_lo"]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _read(name: str, **options: object) -> Draft:
    return read_pdf((DATA / f"{name}.pdf").read_bytes(), ReadOptions(**options))  # type: ignore[arg-type]


def _body(draft: Draft) -> str:
    return "\n".join(b.text for b in draft.blocks if b.type != "boilerplate")


def similarity(name: str, draft: Draft) -> float:
    expected = _norm((DATA / f"{name}.txt").read_text(encoding="utf-8"))
    return difflib.SequenceMatcher(None, expected, _norm(_body(draft)), autojunk=False).ratio()


@pytest.mark.parametrize("name", ARABIC_SCRIPT)
def test_arabic_script_text_matches_source_exactly(name: str) -> None:
    assert similarity(name, _read(name)) == 1.0


@pytest.mark.parametrize("name", LATIN)
def test_latin_text_matches_source_exactly(name: str) -> None:
    assert similarity(name, _read(name)) == 1.0


@pytest.mark.parametrize("name", ARABIC_SCRIPT + LATIN)
def test_no_control_or_presentation_characters(name: str) -> None:
    text = "".join(b.text for b in _read(name).blocks)
    assert not [ch for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")]
    assert not [ch for ch in text if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF]


def test_persian_keeps_zwnj_digits_and_word_order() -> None:
    text = _body(_read("persian"))
    assert "زبان‌های هندواروپایی" in text
    assert "می‌گویند." in text
    assert "در سال ۱۴۰۳ خورشیدی" in text
    assert "۳٫۲ میلیون" in text


def test_arabic_harakat_stay_on_their_letters() -> None:
    text = _norm(_body(_read("arabic")))
    assert _norm("ذَهَبَ الطَّالِبُ إِلَى الْمَدْرَسَةِ") in text
    assert "سَنَةَ ١٩٢٠" in text


def test_inline_persian_phrase_in_english_line() -> None:
    text = _body(_read("mixed"))
    assert "the phrase دل‌های ما یکی است was painted" in text
    assert "Her first book, کتاب دوستی, appeared in Kabul" in text


def test_urdu_nastaliq_lines() -> None:
    text = _body(_read("urdu"))
    assert "اردو برصغیر پاک و ہند کی ایک اہم زبان ہے" in text
    assert "سنہ ۱۹۴۷ میں" in text


def test_headings_from_type_size() -> None:
    blocks = _read("persian").blocks
    assert (blocks[0].type, blocks[0].level, blocks[0].text) == ("heading", 1, "زبان فارسی و پیشینهٔ آن")
    assert [(b.type, b.level) for b in blocks if b.type == "heading"] == [("heading", 1), ("heading", 2)]
    assert sum(1 for b in blocks if b.type == "paragraph") == 4


def test_running_header_and_footer_are_boilerplate() -> None:
    draft = _read("latin")
    furniture = {b.text for b in draft.blocks if b.type == "boilerplate"}
    assert furniture == {"Regional Markets Review", "Working paper, not for citation"}
    assert draft.info["pages"] == 4
    # A paragraph cut by a page break is one paragraph.
    assert not any(b.text.startswith("of them") or b.text[:1].islower() for b in draft.blocks)


def test_metadata_from_info_dictionary() -> None:
    draft = _read("persian")
    assert draft.meta["title"] == "زبان فارسی و پیشینهٔ آن"
    assert draft.meta["lang"] == "fa"
    assert draft.meta["dates"][0][1] == "created" and draft.meta["dates"][0][0][:2] == "20"
    assert draft.info["producer"].startswith("Skia/PDF")
    assert draft.info["pdf_version"] == "1.4"
    lo = _read("persian_lo")
    assert lo.info["producer"].startswith("LibreOffice")
    assert lo.info["creator"] == "Writer"


def test_metadata_from_xmp_when_info_is_empty() -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO((DATA / "latin_lo.pdf").read_bytes()))
    writer._info = None  # type: ignore[assignment]
    writer.add_metadata({"/Producer": "test"})
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">سفر به شمال</rdf:li></rdf:Alt></dc:title>'
        "<dc:creator><rdf:Seq><rdf:li>Parvin Etesami</rdf:li></rdf:Seq></dc:creator>"
        "<dc:subject><rdf:Bag><rdf:li>trade</rdf:li><rdf:li>border</rdf:li></rdf:Bag></dc:subject>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    writer.xmp_metadata = xmp.encode()  # type: ignore[assignment]
    out = io.BytesIO()
    writer.write(out)
    draft = read_pdf(out.getvalue(), ReadOptions())
    assert draft.meta["title"] == "سفر به شمال"
    assert draft.meta["authors"] == ["Parvin Etesami"]
    assert draft.meta["keywords"] == ["trade", "border"]


def _image_only_pdf() -> bytes:
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(300, 200)
    bitmap = pdfium.PdfBitmap.new_native(60, 40, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((200, 200, 200, 255), 0, 0, 60, 40)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(300, 200))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_page_without_text_layer_needs_ocr() -> None:
    draft = read_pdf(_image_only_pdf(), ReadOptions())
    assert draft.blocks == []
    assert draft.info["needs_ocr"] == [1]
    assert "page 1: no text layer; needs OCR" in draft.warnings


def _encrypted(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO((DATA / "latin_lo.pdf").read_bytes()))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_with_empty_user_password_is_read() -> None:
    draft = read_pdf(_encrypted(""), ReadOptions())
    assert "Border Trade and Regional Markets" in _body(draft)


def test_encrypted_with_user_password() -> None:
    data = _encrypted("s3cret")
    with pytest.raises(FormatError, match=r"encrypted PDF: a password is needed \(use --password\)"):
        read_pdf(data, ReadOptions())
    with pytest.raises(FormatError, match="password given does not open it"):
        read_pdf(data, ReadOptions(password="wrong"))
    assert "Border Trade" in _body(read_pdf(data, ReadOptions(password="s3cret")))


def test_truncated_pdf_is_rejected() -> None:
    data = (DATA / "persian.pdf").read_bytes()
    with pytest.raises(FormatError, match="truncated PDF"):
        read_pdf(data[: len(data) // 2], ReadOptions())


@pytest.mark.parametrize("data", [b"hello world", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\ngarbage\n%%EOF\n"])
def test_not_a_pdf_or_corrupt(data: bytes) -> None:
    with pytest.raises(FormatError):
        read_pdf(data, ReadOptions())


def test_size_limit() -> None:
    with pytest.raises(FormatError, match="limit"):
        read_pdf((DATA / "mixed.pdf").read_bytes(), ReadOptions(max_bytes=1000))


def test_presentation_forms_fold_to_persian_letters() -> None:
    # Farsi yeh and keheh forms, lam-alef ligature, an isolated fathatan form.
    text, folded = fold_presentation_forms("\ufbfc\ufbfd\ufbfe\ufbff \ufb8e\ufb8f\ufb90\ufb91 \ufefb \ufe70")
    assert text == "\u06cc\u06cc\u06cc\u06cc \u06a9\u06a9\u06a9\u06a9 \u0644\u0627 \u064b"
    assert folded == 10
    assert fold_presentation_forms("plain") == ("plain", 0)


def test_visual_order_to_logical() -> None:
    # "سال ۱۴۰۳" drawn left to right: digits keep their order, letters are reversed.
    units = list("۱۴۰۳ لاس")
    order, level = visual_to_logical(units)
    assert level == 1
    assert "".join(units[i] for i in order) == "سال ۱۴۰۳"
    units = list("the phrase ام لد was")
    order, level = visual_to_logical(units)
    assert level == 0
    assert "".join(units[i] for i in order) == "the phrase دل ما was"


def test_pdf_dates() -> None:
    assert pdf_date("D:20240131093000+03'30'") == "2024-01-31T09:30:00+03:30"
    assert pdf_date("D:20240131093000Z") == "2024-01-31T09:30:00Z"
    assert pdf_date("D:2024") == "2024"
    assert pdf_date("yesterday") == "yesterday"


_SEED = (DATA / "mixed.pdf").read_bytes()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), min_size=1, max_size=30),
       st.booleans())
def test_mutated_pdf_gives_draft_or_format_error(edits: list[tuple[int, int]], cut: bool) -> None:
    data = bytearray(_SEED)
    for position, value in edits:
        data[position] = value
    if cut:
        data = data[: edits[0][0]] + data[-200:]
    started = time.monotonic()
    try:
        draft = read_pdf(bytes(data), ReadOptions())
    except FormatError:
        pass
    else:
        assert isinstance(draft, Draft)
        assert all(isinstance(b.text, str) for b in draft.blocks)
    assert time.monotonic() - started < 5


# ---------------------------------------------------------------------------------------------------
# PDFs written here, glyph by glyph: each glyph's code maps through /ToUnicode to the text given, and
# glyphs are drawn left to right in the order given (visual order, as word processors write them).

def _cmap(glyphs: dict[str, int]) -> bytes:
    entries = "".join(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>\n" for text, code in glyphs.items())
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(glyphs)} beginbfchar\n{entries}endbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode()


def _stream(body: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(body)} {extra}>>\nstream\n".encode() + body + b"\nendstream"


def make_pdf(lines: list[tuple[float, float, float, list[str]]], annots: tuple[tuple[str, str], ...] = (),
             eof: bool = True, startxref_offset: int = 0, empty_spans: bool = False) -> bytes:
    """A one-page PDF: each line (x, y, size, glyphs) drawn glyph by glyph; each glyph a string that
    its code maps to (" " is the space). `annots` are free-text annotations (contents, /DA);
    `empty_spans` puts every glyph in a span whose /ActualText is empty, as some word processors do."""
    glyphs: dict[str, int] = {" ": 0x20}
    for *_, drawn in lines:
        for glyph in drawn:
            glyphs.setdefault(glyph, 0x21 + len(glyphs) - 1 if len(glyphs) < 0x5F else 0x80 + len(glyphs))
    content = b""
    for x, y, size, drawn in lines:
        if empty_spans:
            shows = " ".join(f"/Span <</ActualText <>>> BDC <{glyphs[g]:02X}> Tj EMC" for g in drawn)
            content += f"BT /F1 {size} Tf {x} {y} Td /ReversedChars BMC {shows} EMC ET\n".encode()
            continue
        codes = "".join(f"{glyphs[g]:02X}" for g in drawn)
        content += f"BT /F1 {size} Tf {x} {y} Td <{codes}> Tj ET\n".encode()
    annot_refs = " ".join(f"{7 + k} 0 R" for k in range(len(annots)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Resources << /Font << /F1 4 0 R >> >> "
         f"/Contents 5 0 R /Annots [{annot_refs}] >>").encode(),
        (f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 0 /LastChar 255 "
         f"/Widths [{' '.join(['500'] * 256)}] /ToUnicode 6 0 R >>").encode(),
        _stream(content),
        _stream(_cmap(glyphs)),
    ]
    for k, (contents, da) in enumerate(annots):
        text = "FEFF" + contents.encode("utf-16-be").hex().upper()
        objects.append(f"<< /Type /Annot /Subtype /FreeText /Rect [20 {200 - 60 * k} 380 {250 - 60 * k}] "
                       f"/Contents <{text}> /DA ({da}) >>".encode())
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref + startxref_offset}\n".encode()
    return out + (b"%%EOF\n" if eof else b"")


def _words(text: str) -> list[str]:
    return [w.strip(".،؟?!") for w in text.split()]


def test_hebrew_brackets_in_visual_order_come_back_typed() -> None:
    # "לפי סעיף 15(ב)(4) לחוק" as a word processor draws it, left to right on the page, each glyph
    # mapped to the character typed (the leftmost glyph, drawn "(", is the typed ")").
    drawn = [*"קוחל", " ", *")4()ב(", "1", "5", " ", *"ףיעס", " ", *"יפל"]
    draft = read_pdf(make_pdf([(40, 200, 12, drawn)]), ReadOptions())
    assert _body(draft) == "לפי סעיף 15(ב)(4) לחוק"


def test_lines_set_solid_are_separate_lines() -> None:
    # Four one-word lines whose baselines are exactly one type size apart (line height 1.0).
    words = ["ةديسلا", "اذام", "ىرتشإ", "ارذع"]  # each drawn left to right, so reversed here
    draft = read_pdf(make_pdf([(40, 200 - 20 * k, 20, list(w)) for k, w in enumerate(words)]), ReadOptions())
    assert _words(_body(draft)) == ["السيدة", "ماذا", "إشترى", "عذرا"]


def test_ligature_glyph_mapping_to_a_word_is_not_reversed() -> None:
    # One glyph whose /ToUnicode entry is a whole word, beside letters drawn one glyph each (a wide
    # gap: the test font's boxes are not the glyphs' own).
    draft = read_pdf(make_pdf([(40, 200, 14, [*"ملاعلاب", " ", " ", "مرحبا"])]), ReadOptions())
    assert _body(draft) == "مرحبا بالعالم"
    assert not [ch for ch in _body(draft) if unicodedata.category(ch) == "Lo" and "GREEK" in unicodedata.name(ch)]


def test_free_text_annotations_are_read() -> None:
    data = make_pdf([], annots=(("مرحبا بالعالم", "/Helv 24 Tf"), ("Hello World", "/Helv 18 Tf")))
    draft = read_pdf(data, ReadOptions())
    assert [b.text for b in draft.blocks] == ["مرحبا بالعالم", "Hello World"]


def test_missing_eof_marker_is_a_warning_not_a_refusal() -> None:
    data = make_pdf([(40, 200, 12, list("Archive"))], eof=False)
    draft = read_pdf(data, ReadOptions())
    assert _body(draft) == "Archive"
    assert any("%%EOF" in w for w in draft.warnings)


def test_glyph_garbage_is_marked_not_passed_as_text() -> None:
    # Glyph codes mapped onto unrelated characters, as fonts without a usable /ToUnicode give them.
    garbage = ["ٱ", "Ĵ", "ǎ", "ƶ", "ຊ", "ا", "䋔", "ᜯ", " ", "㩈", "ǔ", "Ӓ", "ا", "ⴑ", "ᒒ", "ດ", "ǎ"]
    # OCR off: with it, the page is read by OCR and the warning makes way for its text.
    draft = read_pdf(make_pdf([(20, 200 - 20 * k, 12, garbage) for k in range(4)]), ReadOptions(ocr="never"))
    assert draft.info["needs_ocr"] == [1]
    assert any("glyph garbage" in w and "needs OCR" in w for w in draft.warnings)


def test_library_warnings_are_captured_with_the_file_name(capsys: pytest.CaptureFixture[str]) -> None:
    # A wrong startxref: PDFium repairs it silently, pypdf (reading the metadata) warns.
    data = make_pdf([(40, 200, 12, list("Archive"))], startxref_offset=7)
    draft = read_pdf(data, ReadOptions(filename="broken.pdf"))
    assert _body(draft) == "Archive"
    assert any(w.startswith("pypdf: ") and "broken.pdf" in w for w in draft.warnings)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    # The libraries' loggers are as they were once the file is read.
    assert logging.getLogger("pypdf").propagate and not logging.getLogger("pypdf").handlers


def test_page_readers_are_recorded() -> None:
    draft = _read("latin")
    assert draft.info["page_readers"] == {"pdfium": "1-4"}


# ---------------------------------------------------------------------------------------------------
# Real PDFs from other projects' test suites (../shared/real/pdf), scored against pdftotext's output.

REAL = next((p / "shared" / "real" / "pdf" for p in Path(__file__).resolve().parents
             if (p / "shared" / "real" / "pdf").is_dir()), None)
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/real/pdf is not there")


def _real(name: str, ocr: str = "auto") -> Draft:
    assert REAL is not None
    return read_pdf((REAL / f"{name}.pdf").read_bytes(), ReadOptions(filename=f"{name}.pdf", ocr=ocr))


def _bare(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not unicodedata.category(ch).startswith("M"))


@needs_real
def test_real_arabic_words_are_four_separate_words() -> None:
    words = _words(_bare(_body(_real("issue5677"))))
    assert words == ["عذرا", "إشترى", "ماذا", "السيدة"]


@needs_real
def test_real_hebrew_words_and_legal_reference() -> None:
    text = _body(_real("issue11656"))
    assert "כמו כל הילדים." in text
    assert "סעיף 15(ב)(4)" in text


@needs_real
def test_real_free_text_annotations() -> None:
    text = _body(_real("issue20504"))
    assert "مرحبا بالعالم" in text and "Hello World" in text and "你好世界" in text


@needs_real
def test_real_arabic_paragraph_in_empty_actual_text_spans() -> None:
    draft = _real("issue19971")
    assert "pdfium+pypdf" in draft.info["page_readers"]
    words = set(_bare(_body(draft)).split())
    assert {"أكثر", "المواقع؛", "دراسة", "حفظ"} <= words
    # PDFium's own reading of these spans shifts letters between glyphs: "أأكث", "ححف", "إإنه".
    assert not {"أأكث", "ححف", "إإنه", "االمواقع"} & words


@needs_real
def test_real_nastaliq_without_unicode_mapping_is_marked_garbage() -> None:
    draft = _real("issue5874", ocr="never")  # with OCR, the page is read by Tesseract instead
    assert draft.info["needs_ocr"] == [1]
    assert any("glyph garbage" in w for w in draft.warnings)


@needs_real
@pytest.mark.parametrize("name", ["issue11656", "issue19971", "issue20504", "issue5677", "issue5874"])
def test_real_no_presentation_forms_and_no_reversed_words(name: str) -> None:
    assert REAL is not None
    text = _body(_real(name))
    assert not [ch for ch in text if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFC]
    reference = set(_bare((REAL / "pdftotext" / f"{name}.txt").read_text(encoding="utf-8")).split())
    ours = {w for w in _bare(text).split() if len(w) > 2 and any("\u0590" <= ch <= "\u06ff" for ch in w)}
    assert not {w for w in ours if w not in reference and w[::-1] in reference}


def test_pdf_behind_a_preamble_is_read_by_a_fallback() -> None:
    # PDFium wants the header in the first 1,024 bytes; pypdf and pdfminer.six find it further in.
    data = b"Received: from a mail gateway\n" * 120 + make_pdf([(40, 200, 12, list("Archive text"))])
    assert sniff(data, "message.txt") == "application/pdf"
    draft = read_pdf(data, ReadOptions(filename="message.pdf"))
    assert _body(draft) == "Archive text"
    assert draft.info["page_readers"] in ({"pypdf": "1"}, {"pdfminer": "1"})
    assert any(w.startswith("PDFium could not open the file") for w in draft.warnings)
    # Each library warning once, with the file's name: pypdf is opened once for text and metadata.
    library = [w for w in draft.warnings if w.startswith("pypdf: ")]
    assert library and all("message.pdf" in w and "(×" not in w for w in library)


def test_text_that_mentions_a_pdf_header_is_not_a_pdf() -> None:
    text = b"Notes on file formats, kept for the archive's own staff.\n" * 30
    text += b"Every PDF starts with %PDF-1.7 and ends with a trailer.\n" * 10
    assert sniff(text, "notes.txt") == "text/plain"


def test_shared_yeh_and_heh_glyphs_follow_the_rest_of_the_text() -> None:
    # "في بيت" with the medial yeh glyph mapped to Farsi yeh, beside a final Arabic yeh: Arabic.
    arabic = "\ufed3\ufef2 \ufe91\ufbff\ufe96"
    letters = shared_glyph_letters(arabic)
    assert fold_presentation_forms(arabic, letters)[0] == "في بيت"
    # Persian "کی بیت": a final Farsi yeh is there, so the medial one is Farsi yeh too.
    persian = "\ufb8e\ufbfd \ufe91\ufbff\ufe96"
    assert fold_presentation_forms(persian, shared_glyph_letters(persian))[0] == "کی بیت"
    # "هذه هر" with the initial heh glyph mapped to heh doachashmee, beside Arabic heh: heh.
    text = "\ufbac\ufeac\u0647 \u0647\ufeae"
    assert fold_presentation_forms(text, shared_glyph_letters(text))[0] == "هذه هر"


def test_lam_alef_glyph_mapped_to_two_letters_keeps_their_order() -> None:
    # "تلاتار" is not a word; what matters is that the glyph's "لا" does not come out "ال".
    draft = read_pdf(make_pdf([(40, 200, 14, [*"باتک", " ", " ", *"رات", "لا", "ت"])]), ReadOptions())
    assert _body(draft) == "تلاتار کتاب"


def test_lines_in_empty_actual_text_spans_are_read_by_pypdf() -> None:
    # PDFium shifts letters between the glyphs of such spans (issue19971 below); pypdf reads the
    # glyphs' own mapping, so the line is taken from it and the record says so.
    drawn = [*"ةسارد", " ", *"ةمهم"]
    draft = read_pdf(make_pdf([(40, 200, 14, drawn), (40, 100, 14, list("plain"))], empty_spans=True),
                     ReadOptions())
    assert draft.info["page_readers"] == {"pdfium+pypdf": "1"}
    assert _body(draft) == "مهمة دراسة plain"


def test_runs_of_another_library_come_in_reading_order() -> None:
    # pypdf hands out runs of text with their origins; an Arabic line quoting two English words.
    chunks = [Chunk("نسخة", 300, 500, 12), Chunk("new", 150, 500, 12), Chunk("version", 190, 500, 12),
              Chunk("جديدة", 50, 500.4, 12), Chunk("Next line", 50, 480, 12)]
    lines = lines_from_chunks(chunks)
    assert [(line.text, line.rtl) for line in lines] == [("نسخة new version جديدة", True), ("Next line", False)]
