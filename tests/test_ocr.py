"""OCR of scans and image-only PDF pages: typed as OCR text, with confidence, engine and models recorded.

The scans in tests/data/ocr were made by `bench/ocr.py --fixtures` from the sentences beside them.
Tests that run Tesseract skip where it (or a model) is not installed; what a record says without it is
tested everywhere, by hiding the engine.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from archive import ocr
from archive.errors import IngestError
from archive.exporters.epub import build_epub
from archive.exporters.tei import tei_bytes
from archive.fixity import schema_problems
from archive.pipeline import IngestOptions, ingest_bytes, ingest_file, ingest_path
from archive.record import Record
from test_fuzz_readers import mutated

DATA = Path(__file__).parent / "data" / "ocr"
needs_tesseract = pytest.mark.skipif(not {"fas", "eng"} <= ocr.installed_models(),
                                     reason="Tesseract with the fas and eng models is not installed")


def ocr_text(record: Record) -> str:
    return " ".join(b.text for b in record.blocks if b.origin == "ocr")


def similarity(found: str, truth: str) -> float:
    """1 - edit distance / length, on NFKC text with white space collapsed and yeh/kaf folded."""
    fold = str.maketrans({"ي": "ی", "ك": "ک"})
    a, b = (" ".join(unicodedata.normalize("NFKC", t).translate(fold).split()) for t in (found, truth))
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1 - previous[-1] / max(len(b), 1)


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    ocr.engine_version.cache_clear()
    ocr.installed_models.cache_clear()
    yield
    ocr.engine_version.cache_clear()
    ocr.installed_models.cache_clear()


def test_tsv_words_become_paragraphs_of_lines_with_their_mean_confidence() -> None:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = ["5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tکتابخانه", "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tملی",
            "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70\tکابل", "5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t2\t~",
            "4\t1\t1\t1\t2\t0\t0\t0\t1\t1\t-1\t", "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t60\tEnglish"]
    blocks = ocr.parse_tsv(head + "\n".join(rows) + "\n")
    assert [(b.text, b.confidence) for b in blocks] == [("کتابخانه ملی\nکابل", 0.8), ("English", 0.6)]


@pytest.mark.parametrize(("lang", "model"), [("fa-AF", "fas+eng"), ("ar", "ara+eng"), ("ur", "urd+eng"),
                                              ("ps", "pus+eng"), ("en", "eng"), (None, "fas+eng")])
def test_the_model_follows_the_language(lang: str | None, model: str) -> None:
    assert ocr.model_for(lang) == model


@pytest.mark.parametrize("name", ["scan-fa.jpg", "scan-fa.pdf", "scan-en.png"])
def test_without_tesseract_a_scan_is_refused_with_the_packages_to_install(no_tesseract: None, name: str) -> None:
    """A scan left without text is not archived as if it were empty: the batch lists it, and a run
    after installing Tesseract reads it (the catalog re-reads failed files)."""
    outcome = ingest_path(str(DATA / name), IngestOptions())
    assert outcome.record is None and outcome.error is not None
    said = outcome.error.reason
    assert "Tesseract" in said and "apt-get install tesseract-ocr tesseract-ocr-fas" in said
    assert "tesseract-ocr-pus" in said


def test_ocr_never_leaves_the_images_unread_and_says_so() -> None:
    outcome = ingest_path(str(DATA / "scan-fa.jpg"), IngestOptions(ocr="never"))
    assert outcome.error is not None and "--ocr never" in outcome.error.reason


@needs_tesseract
@pytest.mark.parametrize("name", ["scan-fa.jpg", "scan-fa.pdf", "scan-en.png"])
def test_scans_are_read_as_ocr_text_with_confidence_engine_and_models(name: str, tei_schema: etree.RelaxNG) -> None:
    lang = name.split("-")[1].split(".")[0]
    truth = (DATA / f"scan-{lang}.txt").read_text(encoding="utf-8")
    record = ingest_file(DATA / name)
    assert record.blocks and all(b.origin == "ocr" and 0 < (b.confidence or 0) <= 1 for b in record.blocks)
    assert similarity(ocr_text(record), truth) >= 0.85
    assert record.main_language == lang
    event = next(e for e in record.provenance if e.event == "ocr")
    assert event.detail["models"] == [{"fa": "fas+eng", "en": "eng"}[lang]]
    assert "tesseract/" in event.agent and event.detail["engine"].startswith("tesseract ")
    assert not any("needs OCR" in w for w in record.warnings)
    assert schema_problems(record.to_dict(), "record", name) == []
    assert Record.from_dict(record.to_dict()) == record
    assert tei_schema.validate(etree.fromstring(tei_bytes(record))), tei_schema.error_log
    assert build_epub([record])


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(["scan-fa.jpg", "scan-en.png", "scan-fa.pdf"]))
def test_mutated_scans_give_a_record_or_a_clear_error(data: st.DataObject, name: str) -> None:
    """The fuzz suite's mutations of each scan, OCR off (the image header and the PDF are what the
    damage reaches; the engine is Tesseract's to harden)."""
    try:
        record = ingest_bytes(data.draw(mutated((DATA / name).read_bytes())), name, IngestOptions(ocr="never"))
    except IngestError as error:
        assert error.reason
        return
    assert schema_problems(record.to_dict(), "record", name) == []
    tei_bytes(record)


@needs_tesseract
def test_ocr_always_reads_pages_that_have_a_text_layer_too() -> None:
    data = (Path(__file__).parent / "data" / "pdf" / "latin.pdf").read_bytes()
    layer = ingest_bytes(data, "latin.pdf", IngestOptions(ocr="auto"))
    scanned = ingest_bytes(data, "latin.pdf", IngestOptions(ocr="always"))
    assert not any(b.origin for b in layer.blocks)
    assert scanned.blocks and all(b.origin == "ocr" for b in scanned.blocks)
    assert similarity(ocr_text(scanned), " ".join(b.text for b in layer.blocks)) >= 0.85
    assert next(e for e in scanned.provenance if e.event == "ocr").detail["models"] == ["eng"]
