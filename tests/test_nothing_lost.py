"""Nothing lost: every word of a source reaches its record in order, every word of the record's reading
text reaches the TEI body and the EPUB chapter in order, originals are kept byte for byte, and
`archive verify` names any file whose bytes changed."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from archive import __version__
from archive.exporters.epub import build_epub
from archive.exporters.tei import tei_bytes
from archive.pipeline import ingest_bytes, ingest_file
from archive.record import Record
from records import all_records
from samples import samples, seed_paths

WORD = re.compile(r"[^\W_]+")
# Letter variants the pipeline folds on purpose (Arabic yeh/kaf in Persian text), and marks it keeps
# but that a word match should not depend on.
FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "\u0640": None})


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(FOLD)
    return [w.casefold() for w in WORD.findall(text) if not all(unicodedata.combining(c) for c in w)]


def in_order(needles: list[str], haystack: list[str]) -> bool:
    """Whether `needles` is a subsequence of `haystack` (extra words around, e.g. headers, are fine)."""
    it = iter(haystack)
    return all(any(w == h for h in it) for w in needles)


def record_words(record: Record, boilerplate: bool = True) -> list[str]:
    return [w for b in record.blocks if boilerplate or b.type != "boilerplate" for w in words(b.text)]


TEI_BLOCKS = {"p", "head", "l", "lg", "item", "note", "quote", "bibl", "div", "ab", "label", "cell", "row"}
XHTML_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "div", "section", "header",
                "blockquote", "aside", "td", "th", "tr", "br", "figcaption", "nav", "ol", "ul", "dl"}


def block_text(root: etree._Element, blocks: set[str]) -> str:
    """Text of a tree with a space at every block boundary and none inside a line, so a note reference
    stuck to its word ("Taliban1") stays one word as it is in the record."""
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in blocks:
            el.text = " " + (el.text or "")
            el.tail = " " + (el.tail or "")
    return "".join(root.itertext())


def epub_reading_words(record: Record) -> list[str]:
    """The EPUB shows the title in the chapter header, so the heading that repeats it is expected there,
    ahead of the body, rather than at its own place."""
    from archive.exporters.epub_xhtml import reading_blocks

    return words(record.metadata.title or "") + [w for b in reading_blocks(record) for w in words(b.text)]


def tei_body_words(record: Record) -> list[str]:
    root = etree.fromstring(tei_bytes(record))
    body = root.find(".//{http://www.tei-c.org/ns/1.0}body")
    return words(block_text(body, TEI_BLOCKS))


def epub_chapter_words(record: Record) -> list[str]:
    book = zipfile.ZipFile(io.BytesIO(build_epub([record])))
    chapters = [n for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n and "title" not in n]
    text = []
    for name in sorted(chapters):
        root = etree.fromstring(book.read(name))
        body = root.find("{http://www.w3.org/1999/xhtml}body")
        text.append(block_text(body, XHTML_BLOCKS))
    return words(" ".join(text))


EN = ["border", "closed", "October", "trade", "Kabul", "river", "report", "people", "winter", "market"]
FA = ["کابل", "پایتخت", "افغانستان", "مردم", "زبان‌های", "کتاب‌ها", "بخوانم", "دری", "پشتو", "مرز"]
AR = ["قال", "الله", "كتابه", "الكريم", "العسر", "يسرا", "السلام", "عليكم", "المدينة", "التاريخ"]


@st.composite
def document(draw: st.DrawFn) -> tuple[str, str]:
    vocabulary = draw(st.sampled_from([EN, FA, AR, EN + FA, FA + AR]))
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        sentence = " ".join(draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=12)))
        kind = draw(st.sampled_from(["p", "h", "li", "quote", "em", "strong"]))
        parts.append({"p": sentence, "h": "## " + sentence, "li": "- " + sentence, "quote": "> " + sentence,
                      "em": f"*{sentence}* end", "strong": f"start **{sentence}**"}[kind])
    suffix = draw(st.sampled_from([".md", ".txt"]))
    return "\n\n".join(parts) + "\n", suffix


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(doc=document())
def test_generated_documents_lose_no_word_anywhere(doc: tuple[str, str]) -> None:
    text, suffix = doc
    record = ingest_bytes(text.encode("utf-8"), "generated" + suffix)
    source = words(text)
    assert record_words(record) == source
    reading = record_words(record, boilerplate=False)
    assert in_order(reading, tei_body_words(record))
    assert in_order(epub_reading_words(record), epub_chapter_words(record))
    assert sorted(set(reading)) == sorted(set(reading) & set(epub_chapter_words(record)))


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name)
def test_seed_words_reach_record_tei_and_epub_in_order(path: Path) -> None:
    record = ingest_file(path)
    source = words(path.read_bytes().decode("utf-8", "replace"))
    assert in_order(record_words(record), source) and len(record_words(record)) >= 0.98 * len(source)
    reading = record_words(record, boilerplate=False)
    assert in_order(reading, tei_body_words(record))
    assert in_order(epub_reading_words(record), epub_chapter_words(record))
    assert sorted(set(reading)) == sorted(set(reading) & set(epub_chapter_words(record)))


def _fixture_records() -> dict[str, Record]:
    found = {f"records.py:{r.id}": r for r in all_records()}
    for name, data in samples().items():
        # A container (a WARC) holds no text of its own: the pages it captured are the fixtures.
        parts: list[tuple[Record, bytes]] = []
        record = ingest_bytes(data, name, None, None, parts)
        if record.blocks or not parts:
            found[name] = record
        found.update({f"{name}#{page.source.filename}": page for page, _ in parts})
    return found


@pytest.mark.parametrize("name", sorted(_fixture_records()))
def test_fixture_reading_text_reaches_tei_body_and_epub_chapter(name: str) -> None:
    record = _fixture_records()[name]
    reading = record_words(record, boilerplate=False)
    assert reading, "a fixture with no text proves nothing"
    assert in_order(reading, tei_body_words(record))
    assert in_order(epub_reading_words(record), epub_chapter_words(record))
    assert sorted(set(reading)) == sorted(set(reading) & set(epub_chapter_words(record)))


# --- originals byte for byte, and fixity through `archive verify` ---------------------------------

def _archive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archive", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fixity")
    source = root / "in"
    source.mkdir()
    for name, data in samples().items():
        (source / name).write_bytes(data)
    result = _archive("ingest", str(source), "--out", str(root / "out"), "-j", "1", "-q")
    assert result.returncode == 0, result.stderr
    return source, root / "out" / "bundle"


@pytest.mark.slow
def test_originals_in_the_bundle_are_byte_identical_to_the_sources(bundle: tuple[Path, Path]) -> None:
    source, bag = bundle
    index = json.loads((bag / "data" / "index.json").read_text(encoding="utf-8"))
    files = 0
    for entry in index["records"]:
        record = json.loads((bag / "data" / "records" / f"{entry['id']}.json").read_text(encoding="utf-8"))
        kept = (bag / "data" / record["source"]["path"]).read_bytes()
        warc = record["source"]["info"].get("warc")
        if warc:  # a page a WARC captured: its bytes are the payload of the WARC record it points at
            assert kept == _warc_payload((source / warc["file"]).read_bytes(), warc["offset"])
        else:
            files += 1
            assert kept == (source / entry["source"]).read_bytes()
        assert hashlib.sha256(kept).hexdigest() == record["source"]["sha256"] == entry["sha256"]
    assert files == len(samples())


def _warc_payload(data: bytes, offset: int) -> bytes:
    from warcio.archiveiterator import ArchiveIterator

    return bytes(next(iter(ArchiveIterator(io.BytesIO(data[offset:])))).content_stream().read())


@pytest.mark.slow
def test_bag_info_names_the_software_and_its_version(bundle: tuple[Path, Path]) -> None:
    info = (bundle[1] / "bag-info.txt").read_text(encoding="utf-8")
    assert f"Bag-Software-Agent: archive/{__version__}" in info


def _flip(path: Path, at: int = -3) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.slow
@pytest.mark.parametrize("target", ["original", "record", "index", "bag-info", "manifest"])
def test_one_flipped_byte_anywhere_is_reported_with_the_file_named(bundle: tuple[Path, Path], target: str,
                                                                   tmp_path: Path) -> None:
    import shutil

    bag = tmp_path / "bag"
    shutil.copytree(bundle[1], bag)
    assert _archive("verify", str(bag)).returncode == 0
    first = json.loads((bag / "data" / "index.json").read_text(encoding="utf-8"))["records"][0]
    record_file = bag / "data" / "records" / f"{first['id']}.json"
    path = {
        "original": bag / "data" / json.loads(record_file.read_text(encoding="utf-8"))["source"]["path"],
        "record": record_file,
        "index": bag / "data" / "index.json",
        "bag-info": bag / "bag-info.txt",
        "manifest": bag / "manifest-sha256.txt",
    }[target]
    at = len(path.read_bytes()) // 2
    if target == "manifest":  # inside a checksum, wherever the middle line's file name starts
        at = path.read_bytes().rfind(b"\n", 0, at) + 10
    _flip(path, at=at)
    result = _archive("verify", str(bag))
    assert result.returncode == 1
    assert path.name in result.stdout, result.stdout


@pytest.mark.slow
def test_an_original_changed_with_its_manifest_still_fails_against_its_record(bundle: tuple[Path, Path],
                                                                             tmp_path: Path) -> None:
    """BagIt alone would accept a payload rewritten with fresh checksums; the record's sha256 does not."""
    import shutil

    import bagit

    bag = tmp_path / "bag"
    shutil.copytree(bundle[1], bag)
    first = json.loads((bag / "data" / "index.json").read_text(encoding="utf-8"))["records"][0]
    record = json.loads((bag / "data" / "records" / f"{first['id']}.json").read_text(encoding="utf-8"))
    original = bag / "data" / record["source"]["path"]
    _flip(original, at=len(original.read_bytes()) // 2)
    bagit.Bag(str(bag)).save(manifests=True)
    result = _archive("verify", str(bag))
    assert result.returncode == 1
    assert original.name in result.stdout and "does not match" in result.stdout
