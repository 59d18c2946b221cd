"""WARC: each captured page is a record with its URL, capture time and a pointer into the WARC."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from archive.batch import run_ingest
from archive.errors import IngestError
from archive.exporters.tei import tei_bytes
from archive.fixity import schema_problems, verify_bundle
from archive.pipeline import IngestOptions, ingest_bytes, ingest_path
from archive.record import Record
from archive.sniff import sniff
from test_fuzz_readers import mutated
from warcs import PAGE_EN, make_warc


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    path.write_bytes(make_warc())
    return path


def pages(path: Path) -> tuple[Record, dict[str, Record]]:
    outcome = ingest_path(str(path), IngestOptions(), keep_original=True)
    assert outcome.record is not None, outcome.error
    return outcome.record, {r.metadata.urls[0]: r for r, _ in outcome.parts}


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_and_warc_gz_are_sniffed(gzip: bool) -> None:
    assert sniff(make_warc(gzip), "crawl") == "application/warc"


def test_each_page_is_a_record_and_the_rest_is_skipped_and_counted(crawl: Path) -> None:
    container, found = pages(crawl)
    assert sorted(found) == ["https://news.example.af/fa/border", "https://news.example.org/en/border",
                             "https://news.example.org/notes.txt"]
    counts = container.source.info["captures"]
    assert (counts["responses"], counts["archived"], counts["revisits"], counts["not_ok"], counts["other_types"],
            counts["duplicates"]) == (6, 3, 1, 1, 1, 1)
    assert container.source.info["parts"] == [r.id for r in found.values()]
    assert any("1 revisits" in w and "1 not ok" in w for w in container.warnings)


def test_url_capture_time_and_pointer_are_in_metadata_provenance_and_source(crawl: Path) -> None:
    container, found = pages(crawl)
    page = found["https://news.example.org/notes.txt"]
    assert [(d.iso, d.role) for d in page.metadata.dates] == [("2024-05-01", "captured")]
    capture = page.provenance[0]
    assert capture.event == "capture" and capture.at == "2024-05-01T10:00:00Z"
    assert capture.detail["url"] == "https://news.example.org/notes.txt"
    warc = page.source.info["warc"]
    assert warc["container"] == container.id and warc["file"] == "crawl.warc.gz"
    # The offset points at the WARC record that holds this page's bytes.
    stream = ArchiveIterator(io.BytesIO(crawl.read_bytes()[warc["offset"]:]))
    record = next(iter(stream))
    assert record.rec_headers.get_header("WARC-Target-URI") == "https://news.example.org/notes.txt"
    assert record.content_stream().read() == crawl_page(crawl, page)
    assert schema_problems(page.to_dict(), "record", "page") == []


def crawl_page(crawl: Path, page: Record) -> bytes:
    outcome = ingest_path(str(crawl), IngestOptions(), keep_original=True)
    return next(data for record, data in outcome.parts if record.id == page.id)


def test_http_charset_decodes_a_page_that_declares_none(crawl: Path) -> None:
    _, found = pages(crawl)
    page = found["https://news.example.af/fa/border"]
    assert page.source.encoding is not None
    assert (page.source.encoding.name, page.source.encoding.method) == ("windows-1256", "declared")
    assert page.metadata.title == "گزارش مرز" and page.main_language.startswith("fa")
    assert page.source.info["warc"]["charset"] == "windows-1256"


def test_a_payload_captured_twice_is_one_record_with_both_urls(crawl: Path) -> None:
    _, found = pages(crawl)
    page = found["https://news.example.org/en/border"]
    assert page.metadata.urls[:2] == ["https://news.example.org/en/border", "https://mirror.example.org/en/border"]
    assert [a["url"] for a in page.source.info["warc"]["also"]] == ["https://mirror.example.org/en/border"]
    assert page.source.sha256 == __import__("hashlib").sha256(PAGE_EN).hexdigest()


def test_a_batch_stores_every_page_and_the_warc_once_and_verifies(tmp_path: Path, crawl: Path,
                                                                   tei_schema: etree.RelaxNG) -> None:
    report = run_ingest([str(crawl)], tmp_path / "out")
    assert report.ok and report.records == 4 and report.files == 1
    data = tmp_path / "out" / "bundle" / "data"
    originals = sorted(p.name for p in (data / "originals").iterdir())
    assert sum(name.endswith("crawl.warc.gz") for name in originals) == 1
    assert len(originals) == 4
    assert verify_bundle(tmp_path / "out" / "bundle") == []
    for file in (data / "records").iterdir():
        record = Record.from_dict(json.loads(file.read_text()))
        assert tei_schema.validate(etree.fromstring(tei_bytes(record))), tei_schema.error_log


def test_a_damaged_warc_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    outcome = ingest_path(str(path), IngestOptions())
    assert (outcome.record is None) == (outcome.error is not None)
    if outcome.error is not None:
        assert outcome.error.reason


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_mutated_uncompressed_warcs_give_records_or_a_clear_error_pages_included(data: st.DataObject) -> None:
    """The fuzz suite's mutations on an uncompressed WARC (where the damage reaches the WARC and HTTP
    parsers), with the pages read too: every page record satisfies the schema and exports to TEI."""
    parts: list[tuple[Record, bytes]] = []
    try:
        ingest_bytes(data.draw(mutated(make_warc(gzip=False))), "crawl.warc", IngestOptions(), None, parts)
    except IngestError as error:
        assert error.reason
    for record, _ in parts:
        assert schema_problems(record.to_dict(), "record", "page") == []
        tei_bytes(record)
