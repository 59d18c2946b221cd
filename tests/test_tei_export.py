"""TEI export: valid TEI P5, every character of the record in place, the header the issue asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from archive import __version__
from archive.exporters.tei import percentages, record_to_tei, tei_bytes, write_tei
from archive.record import Block, Event, Record, Span
from archive.validate import validate_tei_rules
from records import QUOTE_AR, all_records, arabic_record, english_article, persian_record

T = {"t": "http://www.tei-c.org/ns/1.0"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def parse(record: Record) -> etree._Element:
    return etree.fromstring(tei_bytes(record))


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=T)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]


def text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


def block_element(root: etree._Element, record: Record, block: Block) -> etree._Element:
    return one(root, f"//*[@xml:id='{record.id}-{block.id}']")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_tei(all_records(), tmp_path_factory.mktemp("tei"))


def test_every_file_and_the_corpus_validate_against_tei_all(written: list[Path], tei_schema) -> None:
    assert [p.name for p in written][-1] == "corpus.xml"
    assert len(written) == len(all_records()) + 1
    for path in written:
        doc = etree.parse(str(path))
        assert tei_schema.validate(doc), f"{path.name}: {tei_schema.error_log}"
        assert validate_tei_rules(path, doc) == []


def test_files_carry_both_xml_model_instructions(written: list[Path]) -> None:
    for path in written:
        head = path.read_bytes()[:400].decode()
        assert 'href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"' in head
        assert 'schematypens="http://relaxng.org/ns/structure/1.0"' in head
        assert 'schematypens="http://purl.oclc.org/dsdl/schematron"' in head
    assert (written[0].parent / "tei-rules.sch").exists()


def test_body_text_is_the_blocks_text_in_order_with_nothing_added() -> None:
    for record in all_records():
        root = parse(record)
        expected = [b for b in record.blocks if b.type != "boilerplate"]
        ids = {f"{record.id}-{b.id}" for b in record.blocks}
        body_blocks = [e for e in root.xpath("//t:body//*[@xml:id]", namespaces=T) if e.get(XML_ID) in ids]
        assert [e.get(XML_ID) for e in body_blocks] == [f"{record.id}-{b.id}" for b in expected]
        for el, block in zip(body_blocks, expected, strict=True):
            if block.type == "verse":
                assert "\n".join(text_of(line) for line in el.xpath("t:l", namespaces=T)) == block.text
            else:
                assert text_of(el) == block.text
        # Nothing but block text under body: structure adds elements, never characters.
        body = one(root, "//t:body")
        blocks_chars = "".join(b.text.replace("\n", "") for b in expected)
        assert re.sub(r"\s", "", text_of(body)) == re.sub(r"\s", "", blocks_chars)


def test_boilerplate_goes_to_back_in_order_and_is_kept() -> None:
    record = english_article()
    root = parse(record)
    back = [text_of(p) for p in root.xpath("//t:back/t:div[@type='boilerplate']/t:p", namespaces=T)]
    assert back == [b.text for b in record.boilerplate_blocks()]
    assert not root.xpath("//t:body//t:div[@type='boilerplate']", namespaces=T)


def test_persian_header_lines_carry_their_language_and_verse_is_lg_of_lines() -> None:
    record = english_article()
    root = parse(record)
    assert root.get(LANG) == "en"
    head = block_element(root, record, record.blocks[0])
    assert head.tag.endswith("head") and head.get(LANG) == "fa"
    verse = block_element(root, record, record.blocks[2])
    assert verse.tag.endswith("lg") and verse.get(LANG) == "fa"
    assert [text_of(line) for line in verse] == record.blocks[2].text.split("\n")
    # English blocks inherit the document's language and repeat nothing.
    assert block_element(root, record, record.blocks[4]).get(LANG) is None


def test_inline_markup_foreign_emphasis_links_and_mail() -> None:
    record = english_article()
    root = parse(record)
    foreign = one(root, "//t:foreign")
    assert foreign.get(LANG) == "ar" and text_of(foreign) == QUOTE_AR
    assert one(root, "//t:hi[.='Hindustan Times']").get("rend") == "italic"
    assert one(root, "//t:hi[.='The saying']").get("rend") == "bold"
    assert one(root, "//t:body//t:ref[.='afgazad@gmail.com']").get("target") == "mailto:afgazad@gmail.com"
    assert one(root, "//t:ref[.='e-mail']").get("target") == "mailto:info@example.org"
    assert one(root, "//t:ref[.='www.example.org/quote']").get("target") == "http://www.example.org/quote"
    # The emphasis that overlaps the quotation is cut in two pieces linked by @prev.
    second = one(root, "//t:hi[@prev]")
    first = one(root, f"//t:hi[@xml:id='{second.get('prev')[1:]}']")
    assert text_of(first) + text_of(second) == "اتِ was"


def test_quote_list_note_caption_and_nested_sections() -> None:
    record = english_article()
    root = parse(record)
    by_id = {b.id: block_element(root, record, b) for b in record.blocks}
    assert by_id["b9"].tag.endswith("quote")
    assert [i.get("n") for i in by_id["b10"].getparent()] == ["1.", "2."]
    assert by_id["b12"].tag.endswith("note") and by_id["b12"].get("n") == "*"
    assert by_id["b17"].getparent().tag.endswith("figure")
    # Level 3 heading sits in a div inside the level 2 div, inside the level 1 div.
    assert len(by_id["b8"].xpath("ancestor::t:div", namespaces=T)) == 3
    assert len(by_id["b14"].xpath("ancestor::t:div", namespaces=T)) == 2


def test_references_form_one_listbibl_each_bibl_with_its_url_and_date() -> None:
    record = english_article()
    root = parse(record)
    bibls = root.xpath("//t:body//t:listBibl/t:bibl", namespaces=T)
    assert len(bibls) == 2
    for bibl, ref in zip(bibls, record.metadata.references, strict=True):
        assert bibl.xpath("t:ref/@target", namespaces=T) == ref.urls
        assert bibl.xpath("t:date/@when", namespaces=T) == [ref.date]
        assert text_of(bibl) == ref.text


def test_header_title_authors_publication_and_source() -> None:
    record = english_article()
    root = parse(record)
    h = "t:teiHeader/t:fileDesc"
    title = one(root, f"{h}/t:titleStmt/t:title[@type='main']")
    assert title.text == record.metadata.title and title.get(LANG) == "en"
    authors = root.xpath(f"{h}/t:titleStmt/t:author", namespaces=T)
    assert [one(a, "t:persName").text for a in authors] == [p.name for p in record.metadata.authors]
    assert one(authors[0], "t:affiliation").text.startswith("Qurtuba University")
    assert one(root, f"{h}/t:publicationStmt/t:publisher").text == "archive"
    assert one(root, f"{h}/t:publicationStmt/t:idno[@type='sha256']").text == record.source.sha256
    assert one(root, f"{h}/t:publicationStmt/t:idno[@type='archive']").text == record.id
    bibl = one(root, f"{h}/t:sourceDesc/t:biblStruct")
    assert one(bibl, "t:analytic/t:title").text == record.metadata.title
    assert one(bibl, "t:monogr/t:title[@level='j']").text == "Sociology & Cultural Research Review"
    assert one(bibl, "t:monogr/t:imprint/t:biblScope[@unit='volume']").text == "3"
    assert one(bibl, "t:monogr/t:imprint/t:biblScope[@unit='page']").text == "152–157"
    assert one(bibl, "t:note[@type='citation']").text == record.metadata.citation.text
    assert "https://www.scrrjournal.com/index.php/14/article/view/206" in bibl.xpath("t:ref/@target",
                                                                                    namespaces=T)


def test_non_gregorian_dates_keep_their_text_and_calendar() -> None:
    record = english_article()
    root = parse(record)
    hijri = one(root, "//t:imprint/t:date[@calendar]")
    assert hijri.text == "۲۳ جدی ۱۴۰۳" and hijri.get("when") == "2025-01-12"
    calendar = one(root, f"//t:calendarDesc/t:calendar[@xml:id='{hijri.get('calendar')[1:]}']")
    assert text_of(calendar).strip() == "solar-hijri"
    gregorian = one(root, "//t:imprint/t:date[.='12.01.2025']")
    assert gregorian.get("when") == "2025-01-12" and gregorian.get("calendar") is None


def test_encoding_desc_lists_only_applied_normalization_with_counts() -> None:
    root = parse(english_article())
    app = one(root, "//t:appInfo/t:application")
    assert app.get("ident") == "archive" and app.get("version") == __version__
    steps = {p.get("n"): one(p, "t:num").get("value")
             for p in root.xpath("//t:normalization/t:p", namespaces=T)}
    assert steps == {"nfc": "3", "presentation_forms": "2"}  # bidi_controls counted 0: not applied
    assert not parse(arabic_record()).xpath("//t:editorialDecl", namespaces=T)


def test_profile_desc_languages_abstract_keywords_and_revisions() -> None:
    record = english_article()
    root = parse(record)
    usage = {lang.get("ident"): int(lang.get("usage")) for lang in root.xpath("//t:langUsage/t:language",
                                                                              namespaces=T)}
    assert usage == {"en": 80, "fa": 17, "ar": 3}
    assert one(root, "//t:profileDesc/t:abstract/t:p").text == record.metadata.abstract
    assert [t.text for t in root.xpath("//t:keywords/t:term", namespaces=T)] == record.metadata.keywords
    changes = root.xpath("//t:revisionDesc/t:change", namespaces=T)
    assert [(c.get("type"), c.get("when")) for c in changes] == [(e.event, e.at) for e in record.provenance]


def test_percentages_always_sum_to_100() -> None:
    assert percentages([("en", 1 / 3), ("fa", 1 / 3), ("ar", 1 / 3)]) == [("en", 34), ("fa", 33), ("ar", 33)]
    assert sum(p for _, p in percentages([("a", 0.333), ("b", 0.0), ("c", 0.1), ("d", 0.567)])) == 100
    assert percentages([("und", 0.0)]) == [("und", 100)]


def test_undeclared_languages_still_get_a_langusage_entry() -> None:
    record = persian_record()
    record.languages = [record.languages[0]]  # "en" is used by a foreign span but was not measured
    root = parse(record)
    assert {lang.get("ident") for lang in root.xpath("//t:language", namespaces=T)} == {"fa", "en"}


def test_same_record_gives_the_same_bytes() -> None:
    for record in all_records():
        assert tei_bytes(record) == tei_bytes(record)
    assert tei_bytes(english_article()) == tei_bytes(english_article())


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    paths = write_tei([persian_record()], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [paths[0].name, "corpus.xml", "tei-rules.sch"])


def test_corpus_header_counts_records_and_shares_languages(written: list[Path]) -> None:
    corpus = etree.parse(str(written[-1])).getroot()
    assert corpus.tag.endswith("teiCorpus")
    assert len(corpus.xpath("t:TEI", namespaces=T)) == 3
    assert one(corpus, "t:teiHeader//t:extent/t:measure").get("quantity") == "3"
    usage = {lang.get("ident"): int(lang.get("usage"))
             for lang in corpus.xpath("t:teiHeader//t:langUsage/t:language", namespaces=T)}
    assert sum(usage.values()) == 100 and set(usage) == {"en", "fa", "ar"}


def test_empty_record_and_missing_language_still_validate(tei_schema) -> None:
    record = arabic_record()
    record.blocks = []
    record.main_language = None
    record.languages = []
    record.provenance = [Event("read", "2025-01-01T00:00:00Z", "archive", {})]
    assert tei_schema.validate(record_to_tei(record).getroottree()), tei_schema.error_log
    unknown = english_article()
    unknown.blocks[1].lang = None
    unknown.blocks[4].spans.append(Span(0, 3, "foreign", lang="ps"))
    root = record_to_tei(unknown)
    assert tei_schema.validate(root.getroottree()), tei_schema.error_log
    assert block_element(root, unknown, unknown.blocks[1]).get(LANG) == ""


# ------------------------------------------------------------------------------------------- seeds

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seed_records() -> dict[str, Record]:
    """Each seed ingested by the real pipeline, keyed by the seed's number ("000"…)."""
    from archive.pipeline import ingest_file

    return {path.name[:3]: ingest_file(path) for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def seed_tei(seed_records: dict[str, Record], tmp_path_factory: pytest.TempPathFactory) -> dict[str, etree._Element]:
    """Each seed's TEI as exported with the others; keyed by the seed's number, and "corpus"."""
    records = seed_records
    out = tmp_path_factory.mktemp("seed-tei")
    write_tei(records.values(), out)
    return {key: etree.parse(str(out / f"{r.id}.xml")).getroot() for key, r in records.items()} | {
        "corpus": etree.parse(str(out / "corpus.xml")).getroot()
    }


def test_every_seed_exports_valid_tei(seed_tei: dict[str, etree._Element], tei_schema) -> None:
    for key, root in seed_tei.items():
        assert tei_schema.validate(root.getroottree()), f"{key}: {tei_schema.error_log}"


def test_seed_003_persian_header_lines_and_verse(seed_tei: dict[str, etree._Element]) -> None:
    root = seed_tei["003"]
    persian = root.xpath("//t:body//*[(self::t:head or self::t:p) and @xml:lang='fa']", namespaces=T)
    assert persian, "the Persian header lines carry xml:lang='fa'"
    verses = root.xpath("//t:body//t:lg[count(t:l) = 2]", namespaces=T)
    assert verses and all(text_of(line).strip() for line in verses[0])


def test_seed_002_arabic_quotation_and_six_references(seed_tei: dict[str, etree._Element]) -> None:
    root = seed_tei["002"]
    assert root.xpath("//t:body//t:p//t:foreign[@xml:lang='ar']", namespaces=T)
    bibls = root.xpath("//t:body//t:listBibl/t:bibl", namespaces=T)
    assert len(bibls) == 6
    assert all(b.xpath("t:ref[starts-with(@target, 'http')]", namespaces=T) for b in bibls)


def test_seed_000_authors_keywords_abstract_and_citation(seed_tei: dict[str, etree._Element]) -> None:
    root = seed_tei["000"]
    assert len(root.xpath("//t:titleStmt/t:author/t:persName", namespaces=T)) == 2
    assert len(root.xpath("//t:profileDesc//t:keywords/t:term", namespaces=T)) >= 5
    assert text_of(one(root, "//t:profileDesc/t:abstract")).strip()
    assert text_of(one(root, "//t:sourceDesc/t:biblStruct/t:note[@type='citation']")).strip()


def test_conversion_in_short_lived_threads_gives_the_same_files(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import archive.exporters.tei as tei_module

    records = all_records()
    whole = write_tei(iter(records), tmp_path / "whole")
    monkeypatch.setattr(tei_module, "_RECORDS_PER_THREAD", 1)
    batched = write_tei(iter(records), tmp_path / "batched")
    assert [p.name for p in whole] == [p.name for p in batched]
    assert [p.read_bytes() for p in whole] == [p.read_bytes() for p in batched]


# ------------------------------------------------------------- what TEI tools show (issue: render right)

TAXONOMY = "t:teiHeader/t:encodingDesc/t:classDecl/t:taxonomy"


def words_of(text: str) -> list[str]:
    return text.split()


def test_text_of_every_seed_holds_only_the_sources_words(seed_records: dict[str, Record],
                                                         seed_tei: dict[str, etree._Element]) -> None:
    """itertext() of <text>, as a corpus tool reads it: the blocks' words (reading text, then
    boilerplate), nothing else: no script codes, directions, detector evidence or added labels."""
    for key, record in seed_records.items():
        text = one(seed_tei[key], "t:text")
        expected = [w for b in record.content_blocks() + record.boilerplate_blocks() for w in words_of(b.text)]
        assert words_of(text_of(text)) == expected, key


def test_analysis_lives_in_the_header_taxonomy_and_every_pointer_resolves() -> None:
    for record in all_records():
        root = parse(record)
        assert not root.xpath("//t:text//t:interp | //t:text//t:interpGrp | //t:text//t:catDesc", namespaces=T)
        categories = {c.get(XML_ID): c for c in root.xpath(f"{TAXONOMY}//t:category", namespaces=T)}
        pointers = [p for el in root.xpath("//t:text//*[@ana]", namespaces=T) for p in el.get("ana").split()]
        assert pointers and all(p[1:] in categories for p in pointers)
        kinds = {categories[p[1:]].getparent().get("n") for p in pointers}
        assert {"script", "dir"} <= kinds


def test_direction_is_a_css_rendition_on_text_and_where_it_changes() -> None:
    persian = persian_record()
    root = parse(persian)
    rtl = one(root, "t:teiHeader//t:tagsDecl/t:rendition[contains(., 'direction: rtl')]")
    assert rtl.get("scheme") == "css"
    assert one(root, "t:text").get("rendition") == "#" + rtl.get(XML_ID)
    # Persian blocks inherit from <text>; the English run inside the Persian text turns back.
    assert not root.xpath("//t:body//*[@xml:lang='fa' or not(@xml:lang)][@rendition]"
                          "[not(self::t:l)][not(self::t:foreign)]", namespaces=T)
    ltr = one(root, "t:teiHeader//t:tagsDecl/t:rendition[contains(., 'direction: ltr')]")
    english = root.xpath("//t:body//t:foreign[@xml:lang='en']", namespaces=T)
    assert english and all(f.get("rendition") == "#" + ltr.get(XML_ID) for f in english)

    article = english_article()
    root = parse(article)
    assert one(root, "t:text").get("rendition") is None
    rtl_id = "#" + one(root, "//t:rendition[contains(., 'direction: rtl')]").get(XML_ID)
    for block in article.blocks:
        el = block_element(root, article, block)
        assert (el.get("rendition") == rtl_id) == (block.dir == "rtl"), block.id
    assert one(root, "//t:foreign[@xml:lang='ar']").get("rendition") == rtl_id


def test_note_calls_point_at_their_notes_whose_number_is_n_only() -> None:
    record = english_article()
    text = record.blocks[4].text
    record.blocks[4].spans.append(Span(text.index("*"), text.index("*") + 1, "noteref", href="#b12"))
    root = parse(record)
    call = one(root, "//t:ref[@type='noteref']")
    note = one(root, f"//t:note[@xml:id='{call.get('target')[1:]}']")
    assert note.get("n") == "*" and call.text == "*"


def test_seed_references_are_each_one_bibl_with_each_link_once(seed_records: dict[str, Record],
                                                               seed_tei: dict[str, etree._Element]) -> None:
    root, record = seed_tei["002"], seed_records["002"]
    bibls = root.xpath("//t:bibl", namespaces=T)
    assert len(bibls) == len(record.metadata.references) == 6
    for bibl, ref in zip(bibls, record.metadata.references, strict=True):
        targets = bibl.xpath(".//t:ref/@target | .//t:ptr/@target", namespaces=T)
        assert targets == ref.urls and len(set(targets)) == len(targets)
        assert bibl.get("n") == ref.label and one(bibl, "t:seg[@type='label']").text == f"[{ref.label}]"
        date = one(bibl, ".//t:date")
        assert date.get("when") == ref.date and date.text.strip()


def test_no_empty_ref_date_or_title_in_any_export(seed_tei: dict[str, etree._Element]) -> None:
    roots = [parse(r) for r in all_records()] + list(seed_tei.values())
    for root in roots:
        for el in root.xpath("//t:ref | //t:date | //t:title", namespaces=T):
            assert text_of(el).strip(), etree.tostring(el)


def test_boilerplate_is_kept_in_back_with_a_rendition_that_hides_it() -> None:
    root = parse(english_article())
    divs = root.xpath("//t:back/t:div[@type='boilerplate']", namespaces=T)
    assert len(divs) == 2
    for div in divs:
        rendition = one(root, f"//t:rendition[@xml:id='{div.get('rendition')[1:]}']")
        assert rendition.text.strip() == "display: none;"


def test_provenance_and_reader_info_are_tei_not_json() -> None:
    for record in all_records():
        root = parse(record)
        header = root.find(f"{{{T['t']}}}teiHeader")
        assert "{" not in text_of(header).replace("{}", "")  # no JSON object anywhere in the header
        changes = root.xpath("//t:revisionDesc/t:change", namespaces=T)
        assert len(changes) == len(record.provenance)
        for change, event in zip(changes, record.provenance, strict=True):
            assert change.text.strip().split()[0].istitle()  # a sentence, in words
            assert bool(change.xpath("t:fs", namespaces=T)) == bool(event.detail)
    steps = one(parse(english_article()), "//t:change[@type='normalize']/t:fs//t:f[@name='nfc']/t:numeric")
    assert steps.get("value") == "3" and steps.get("trunc") == "true"


def test_bayt_hemistichs_are_segments_of_their_line(seed_tei: dict[str, etree._Element]) -> None:
    lg = one(seed_tei["003"], "//t:body//t:lg")
    for line in lg.xpath("t:l", namespaces=T):
        halves = line.xpath("t:seg[@type='hemistich']", namespaces=T)
        assert len(halves) == 2 and all(text_of(h).strip() for h in halves)
        assert text_of(line) == f"{text_of(halves[0])} {text_of(halves[1])}"
        rendition = one(seed_tei["003"], f"//t:rendition[@xml:id='{line.get('rendition')[1:]}']")
        assert "display: flex" in rendition.text


def test_inline_markup_inside_code_stays_valid_tei(tei_schema) -> None:
    record = english_article()
    text = "Run x = fetch('http://e.org') on تهران data"
    record.blocks[12] = Block("b13", "paragraph", text, spans=[
        Span(4, text.index(" data"), "code"),
        Span(text.index("http"), text.index("')"), "link", href="http://e.org"),
        Span(text.index("تهران"), text.index(" data"), "foreign", lang="fa", script="Arab", dir="rtl"),
    ], lang="en", script="Latn", dir="ltr")
    root = record_to_tei(record)
    assert tei_schema.validate(root.getroottree()), tei_schema.error_log
    code = one(root, f"//*[@xml:id='{record.id}-b13']/t:seg[@type='code']")
    assert code.xpath("t:ref", namespaces=T) and code.xpath("t:foreign", namespaces=T)
    from archive.readers.tei import read_tei_record

    again = read_tei_record(tei_bytes(record)).blocks[12]
    assert sorted((s.start, s.end, s.kind) for s in again.spans) == sorted(
        (s.start, s.end, s.kind) for s in record.blocks[12].spans)


FOOTNOTED_PAGE = b"""<html lang="en"><head><title>Border notes</title></head><body><article><h1>Border notes</h1>
<p>The border closed<sup><a href="#fn1" role="doc-noteref">1</a></sup> in October and trade fell by half
over the winter months, as the monitoring team reported.</p>
<h2>References</h2><ol><li>[1] Smith, J. (2020). A book about borders. Press.</li></ol>
<section role="doc-endnotes"><ol><li id="fn1" role="doc-footnote"><p>1. See the report of the monitoring
team.</p></li></ol></section></article></body></html>"""


@pytest.mark.parametrize("source", ["html", "markdown"])
def test_a_footnote_stays_a_note_its_call_points_at_it_and_its_number_is_said_once(source: str) -> None:
    from archive.pipeline import ingest_bytes

    if source == "html":
        record = ingest_bytes(FOOTNOTED_PAGE, "notes.html")
    else:
        record = ingest_bytes(b"# Border notes\n\nThe border closed[^1] in October and trade fell.\n\n"
                              b"## References\n\n1. Smith, J. (2020). A book about borders. Press.\n\n"
                              b"[^1]: See the report of the monitoring team.\n", "notes.md")
    root = parse(record)
    call = one(root, "//t:body//t:ref[@type='noteref']")
    note = one(root, f"//t:note[@xml:id='{call.get('target')[1:]}']")
    assert call.text == note.get("n") == "1"
    assert text_of(note) == "See the report of the monitoring team."
    assert len(root.xpath("//t:bibl", namespaces=T)) == 1


def test_a_reference_its_bibl_cannot_restore_is_listed_once_more_without_repeating_its_words(
        tmp_path: Path, tei_schema) -> None:
    from archive.readers.tei import read_tei_record

    record = english_article()
    # A link the entry's words do not hold, and a date nowhere in them: the header keeps them.
    record.metadata.references[0].urls.append("https://example.org/elsewhere")
    record.metadata.references[1].date = "1999"
    root = record_to_tei(record)
    assert tei_schema.validate(root.getroottree()), tei_schema.error_log
    listed = root.xpath("//t:sourceDesc/t:listBibl[@type='references']/t:bibl", namespaces=T)
    assert [b.get("type") for b in listed] == ["pointer", "pointer"]  # the words stay in the text alone
    assert listed[0].xpath("t:ptr/@target", namespaces=T)[-1] == "https://example.org/elsewhere"
    assert not root.xpath("//t:body//t:bibl[@type='reference']", namespaces=T)
    assert read_tei_record(tei_bytes(record)).metadata.references == record.metadata.references
    path = write_tei([record], tmp_path)[0]
    assert validate_tei_rules(path) == []
