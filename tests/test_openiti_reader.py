"""OpenITI mARkdown: header, structure, verse with hemistichs, page marks and milestones as points.

The real files of ../shared/real/openiti (when present) must come through with the header's title and
author, every verse line, the URI's language and no mARkdown marker in any block.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from archive.exporters.tei import tei_bytes
from archive.fixity import schema_problems
from archive.pipeline import ingest_bytes, ingest_file
from archive.record import Record
from archive.sniff import sniff
from samples import OPENITI

NAME = "0792Hafiz.SaqiNamah.Sample-per1"
TEI = "{http://www.tei-c.org/ns/1.0}"
REAL = next((p / "shared" / "real" / "openiti" for p in Path(__file__).resolve().parents
             if (p / "shared" / "real" / "openiti").is_dir()), None)
MARKERS = re.compile(r"######OpenITI#|#META#|PageV\w+P\d|(?<!\w)ms\d|Milestone300|~~|%~%|### \||(?m:^# )"
                     r"|!\[[^\]]*\]\(|(?<!\w)@(?:Y[ABDY]|T|P|S)\d|#\$#")


def record(text: str, name: str = NAME) -> Record:
    return ingest_bytes(("######OpenITI#\n\n#META#Header#End#\n" + text).encode(), name)


def test_sniffed_by_magic_line_with_or_without_bom_and_by_uri_name() -> None:
    assert sniff(OPENITI, "anything.txt") == "text/x-openiti-markdown"
    assert sniff(OPENITI.removeprefix("\ufeff".encode()), "x") == "text/x-openiti-markdown"
    plain = "# بیا ساقی آن می که حال آورد %~% کرامت فزاید کمال آورد\n".encode()
    assert sniff(plain, "0792Hafiz.SaqiNamah.PDL00075-per1") == "text/x-openiti-markdown"
    assert sniff(plain, "poem.txt") != "text/x-openiti-markdown"


def test_header_in_both_forms_gives_title_and_author_and_nodata_is_empty() -> None:
    r = ingest_bytes(OPENITI, NAME)
    assert r.metadata.title == "ساقی‌نامه"
    assert [a.name for a in r.metadata.authors] == ["حافظ شیرازی"]
    assert r.metadata.subtitle is None  # NODATA
    assert r.source.info["header"]["BookTITLE"] == "ساقی‌نامه"
    assert r.main_language == "fa"
    assert not any(MARKERS.search(b.text) for b in r.blocks)


def test_headings_nest_by_depth_and_paragraphs_join_across_continuations() -> None:
    r = record("### | باب اول\n# سطر نخست از بند\n~~ و سطر دوم همان بند\n### || فصل\n# بند دیگر\n")
    assert [(b.type, b.level) for b in r.blocks] == [("heading", 1), ("paragraph", None), ("heading", 2),
                                                    ("paragraph", None)]
    assert r.blocks[1].text == "سطر نخست از بند و سطر دوم همان بند"


@pytest.mark.parametrize("line", [
    "# بیا ساقی آن می که حال آورد %~% کرامت فزاید کمال آورد",  # %~%
    "# أمن أم أوفى دمنة لم تكلم ... بحومانة الدراج فالمتثلم",  # Shamela
    "# % أمن أم أوفى دمنة لم تكلم % بحومانة الدراج فالمتثلم % % 1",  # JK
])
def test_each_hemistich_convention_gives_a_verse_line_of_two_hemistichs(line: str) -> None:
    r = record(f"{line}\n{line}\n")
    verse = [b for b in r.blocks if b.type == "verse"]
    assert len(verse) == 1 and len(verse[0].lines) == 2
    halves = [s for s in verse[0].spans if s.kind == "hemistich"]
    assert len(halves) == 4
    assert verse[0].text[halves[0].start:halves[0].end].split()[-1] in ("آورد", "تكلم")
    assert "%" not in verse[0].text and "..." not in verse[0].text


def test_an_ellipsis_in_prose_is_not_a_hemistich() -> None:
    r = record("# قال الراوي ... ثم مضى في طريقه حتى بلغ المدينة التي كان يقصدها منذ أيام طويلة وهو متعب جدا\n")
    assert [b.type for b in r.blocks] == ["paragraph"]


def test_page_marks_milestones_and_tags_are_points_never_words() -> None:
    r = record("# الفقرة الأولى @YD310 تنتهي هنا ms0012\n\nPageV01P037\n# الفقرة الثانية\n")
    first, second = r.blocks
    assert first.text == "الفقرة الأولى تنتهي هنا" and second.text == "الفقرة الثانية"
    assert [(a.kind, a.n, a.offset) for a in first.anchors] == [
        ("tag", "@YD310", len("الفقرة الأولى")), ("milestone", "0012", len(first.text)),
        ("page", "V01P037", len(first.text))]


def test_points_become_tei_pb_and_milestone_and_come_back(tei_schema: etree.RelaxNG) -> None:
    from archive.readers.tei import read_tei_record

    r = ingest_bytes(OPENITI, NAME)
    tree = etree.fromstring(tei_bytes(r))
    assert tei_schema.validate(tree), tei_schema.error_log
    body = tree.find(f".//{TEI}body")
    assert body is not None
    assert [pb.get("n") for pb in body.iter(f"{TEI}pb")] == ["V01P002"]
    assert [(m.get("unit"), m.get("n")) for m in body.iter(f"{TEI}milestone")] == [("words", "1")]
    halves = [seg for seg in body.iter(f"{TEI}seg") if seg.get("type") == "hemistich"]
    assert len(halves) == 4 and "".join(halves[0].itertext()) == "بیا ساقی آن می که حال آورد"
    assert read_tei_record(tei_bytes(r)).to_dict()["blocks"] == r.to_dict()["blocks"]
    assert schema_problems(r.to_dict(), "record", NAME) == []


def test_sibling_yml_fills_what_the_header_lacks_and_template_text_is_ignored(tmp_path: Path) -> None:
    uri = "0428IbnSina.RisalaJudiya.AOCP1-per1"
    (tmp_path / uri).write_bytes("######OpenITI#\n#META#Header#End#\n# بدانکه جمیع علتها\n".encode())
    (tmp_path / f"{uri}.yml").write_text("80#VERS#BASED####: https://example.org/book\n"
                                         "90#VERS#ANNOTATOR: the name of the annotator (latin characters; please\n"
                                         "    use consistently)\n")
    (tmp_path / "0428IbnSina.RisalaJudiya.yml").write_text("10#BOOK#TITLEA#AR: Risālaŧ al-Jūdiyyaŧ\n")
    (tmp_path / "0428IbnSina.yml").write_text("10#AUTH#ISM####AR: Fulān\n10#AUTH#SHUHRA#AR: Ibn Sīnā\n")
    r = ingest_file(tmp_path / uri)
    assert r.metadata.title == "Risālaŧ al-Jūdiyyaŧ"
    assert [a.name for a in r.metadata.authors] == ["Ibn Sīnā"]
    assert "https://example.org/book" in r.metadata.urls
    (tmp_path / "0428IbnSina.RisalaJudiya.yml").unlink()
    (tmp_path / "0428IbnSina.yml").unlink()
    assert ingest_file(tmp_path / uri).metadata.title == "Risala Judiya"  # from the URI


# ---------------------------------------------------------------- real corpus files

REAL_FILES = sorted(p for p in REAL.iterdir() if not p.name.endswith(".yml")) if REAL else []


def _source_verse_lines(text: str) -> int:
    body = text.split("#META#Header#End#", 1)[-1].split("\n")
    return sum(1 for line in body if "%~%" in line or line.startswith("# %") or " ... " in line)


@pytest.mark.skipif(REAL is None, reason="../shared/real/openiti is not here")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:30])
def test_real_files_keep_title_author_every_verse_line_and_no_marker(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    r = ingest_file(path)
    assert r.source.media_type == "text/x-openiti-markdown"
    header = dict(re.findall(r"#META# (?:\d{3}\.)?(BookTITLE|AuthorNAME|title|bk|auth)\s*(?:::|:)\s*(.+)", text))
    title = header.get("BookTITLE") or header.get("title") or header.get("bk")
    author = header.get("AuthorNAME") or header.get("auth")
    if title:
        assert r.metadata.title == title.strip()
    if author:
        assert author.strip() in [a.name for a in r.metadata.authors]
    assert sum(len(b.lines) for b in r.blocks if b.type == "verse") == _source_verse_lines(text)
    headings = sum(1 for line in text.split("\n") if line.startswith("### |"))
    assert Counter(b.type for b in r.blocks)["heading"] == headings
    assert not [b.text for b in r.blocks if MARKERS.search(b.text)]
    assert r.main_language == {"ara": "ar", "per": "fa"}[path.name.rsplit("-", 1)[1][:3]]
    pages = len(re.findall(r"PageV\w+P\d+", text))
    assert sum(a.kind == "page" for b in r.blocks for a in b.anchors) == pages
