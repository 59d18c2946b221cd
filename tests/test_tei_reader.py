"""TEI reader: our exports come back as the same record; TEI from elsewhere becomes a sensible Draft."""

from __future__ import annotations

import pytest

from archive.exporters.tei import tei_bytes
from archive.readers.base import FormatError, ReadOptions
from archive.readers.tei import read_tei, read_tei_record
from archive.record import Record, Span
from records import all_records, english_article, persian_record

RANK = {"link": 0, "foreign": 1, "strong": 2, "emphasis": 3, "noteref": 4, "code": 5}


def canonical(record: Record) -> dict:
    """The record as a dict, spans in document order (the one thing TEI cannot keep is their list order)."""
    data = record.to_dict()
    for block in data["blocks"]:
        block["spans"].sort(key=lambda s: (s["start"], -s["end"], RANK.get(s["kind"], 9)))
    return data


@pytest.mark.parametrize("record", all_records(), ids=lambda r: r.id)
def test_record_to_tei_to_record_is_the_identity(record: Record) -> None:
    back = read_tei_record(tei_bytes(record))
    expected, got = canonical(record), canonical(back)
    assert got["blocks"] == expected["blocks"]
    assert got["metadata"] == expected["metadata"]
    assert got["languages"] == expected["languages"]
    assert got == expected


def test_pieces_of_a_cut_span_come_back_as_one_span() -> None:
    record = persian_record()
    verse = read_tei_record(tei_bytes(record)).blocks[3]
    assert verse.spans == record.blocks[3].spans
    assert "\n" in verse.text[verse.spans[0].start : verse.spans[0].end]


def test_span_order_is_document_order() -> None:
    record = english_article()
    block = read_tei_record(tei_bytes(record)).blocks[6]
    assert [s.kind for s in block.spans] == ["strong", "foreign", "emphasis"]


def test_own_export_as_draft_keeps_blocks_marks_and_header() -> None:
    record = english_article()
    draft = read_tei(tei_bytes(record), ReadOptions("x.xml"))
    assert [b.text for b in draft.blocks] == [b.text for b in record.blocks]
    assert [b.type for b in draft.blocks] == [b.type for b in record.blocks]
    assert draft.blocks[0].lang == "fa" and draft.blocks[0].dir == "rtl" and draft.blocks[0].level == 1
    marked = {i.text: i for i in draft.blocks[6].inlines}
    assert marked["The saying"].marks == ("strong",)
    assert any(i.lang == "ar" for i in draft.blocks[6].inlines)
    link = next(i for i in draft.blocks[4].inlines if i.href)
    assert link.text == "afgazad@gmail.com" and link.marks == ("link",)
    meta = draft.meta
    assert meta["title"] == record.metadata.title
    assert meta["authors"] == [p.name for p in record.metadata.authors]
    assert meta["keywords"] == record.metadata.keywords
    assert meta["citation"]["volume"] == "3" and meta["lang"] == "en"
    assert ["12.01.2025", "published"] in meta["dates"]


FOREIGN_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Travels in Khorasan</title><author><persName>A. Traveller</persName></author>
      </titleStmt>
      <publicationStmt><publisher>Some Project</publisher><date when="1890">1890</date></publicationStmt>
      <sourceDesc><p>Printed edition.</p></sourceDesc>
    </fileDesc>
    <profileDesc><textClass><keywords><term>travel</term></keywords></textClass></profileDesc>
  </teiHeader>
  <text>
    <front><docTitle><titlePart>Travels</titlePart></docTitle></front>
    <body>
      <div>
        <head>Chapter
          one</head>
        <p>We met a <hi rend="italic">dervish</hi> who said
           <foreign xml:lang="fa">درود بر تو</foreign> and<lb/>left.<note place="foot">A wandering mystic.</note>
           See <ref target="https://example.org/k">the map</ref>, <choice><sic>teh</sic><corr>the</corr></choice>
           <q xml:lang="ar">السلام عليكم</q>.</p>
        <lg xml:lang="fa"><l>یک</l><l>دو</l></lg>
        <quote><p>A quoted paragraph.</p></quote>
        <list><item n="a">first</item><item>second<list><item>inner</item></list></item></list>
        <listBibl><bibl>Burnes, <title>Travels into Bokhara</title>, 1834.</bibl></listBibl>
      </div>
    </body>
  </text>
</TEI>"""


def test_tei_from_another_project() -> None:
    draft = read_tei(FOREIGN_TEI.encode(), ReadOptions("khorasan.xml"))
    kinds = [(b.type, b.text) for b in draft.blocks]
    assert kinds[0] == ("paragraph", "Travels")
    assert kinds[1] == ("heading", "Chapter one")
    para = draft.blocks[2]
    assert para.type == "paragraph"
    assert para.text == ("We met a dervish who said درود بر تو and\nleft. See the map, the السلام عليكم.")
    assert kinds[3] == ("note", "A wandering mystic.")
    assert next(i for i in para.inlines if i.text == "dervish").marks == ("emphasis",)
    assert next(i for i in para.inlines if i.text == "درود بر تو").lang == "fa"
    assert next(i for i in para.inlines if i.text == "السلام عليكم").lang == "ar"
    assert next(i for i in para.inlines if i.text == "the map").href == "https://example.org/k"
    assert ("verse", "یک\nدو") in kinds and draft.blocks[kinds.index(("verse", "یک\nدو"))].lang == "fa"
    assert ("quote", "A quoted paragraph.") in kinds
    items = [b for b in draft.blocks if b.type == "list_item"]
    assert [(b.text, b.label, b.level) for b in items] == [("first", "a", None), ("second", None, None),
                                                          ("inner", None, 2)]
    assert ("reference", "Burnes, Travels into Bokhara, 1834.") in kinds
    assert draft.meta["title"] == "Travels in Khorasan"
    assert draft.meta["authors"] == ["A. Traveller"]
    assert draft.meta["dates"] == [["1890", "published"]]
    assert draft.meta["keywords"] == ["travel"]


def test_hostile_and_non_tei_input_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&b;</p></body></text></TEI>"""
    draft = read_tei(bomb, ReadOptions())
    assert "aaaa" not in "".join(b.text for b in draft.blocks)  # entities are never expanded
    xxe = b"""<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>"""
    assert "root:" not in "".join(b.text for b in read_tei(xxe, ReadOptions()).blocks)
    with pytest.raises(FormatError):
        read_tei(b"<html><body><p>hi</p></body></html>", ReadOptions())
    with pytest.raises(FormatError):
        read_tei(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", ReadOptions())


def test_span_is_a_plain_dataclass_after_reading() -> None:
    back = read_tei_record(tei_bytes(english_article()))
    assert all(type(s) is Span for b in back.blocks for s in b.spans)
