"""Exact round trips over every fixture: record -> JSON -> record and record -> TEI -> record.

Fixtures: the hand-built records, the seeds, and a record made from a real document of every format
the archive reads (text, Markdown, HTML, XHTML, PDF, DOCX, EPUB, TEI), so each reader's output is
proved to survive both serializations.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from archive.exporters.json_bundle import dumps
from archive.exporters.tei import tei_bytes
from archive.pipeline import ingest_bytes, ingest_file
from archive.readers.tei import read_tei_record
from archive.record import Record
from records import all_records
from samples import samples, seed_paths


@cache
def fixtures() -> dict[str, Record]:
    found = {f"records.py:{r.id}": r for r in all_records()}
    found.update({f"seed:{p.name}": ingest_file(p) for p in seed_paths()})
    found.update({f"sample:{name}": ingest_bytes(data, name) for name, data in samples().items()})
    return found


NAMES = sorted(fixtures())


def test_every_format_is_covered() -> None:
    media = {r.source.media_type for r in fixtures().values()}
    for wanted in ("text/plain", "text/markdown", "text/html", "application/xhtml+xml", "application/pdf",
                   "application/epub+zip", "application/tei+xml",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        assert wanted in media


@pytest.mark.parametrize("name", NAMES)
def test_record_to_json_to_record_is_the_identity(name: str) -> None:
    record = fixtures()[name]
    again = Record.from_dict(json.loads(dumps(record.to_dict())))
    assert again == record
    assert dumps(again.to_dict()) == dumps(record.to_dict())


@pytest.mark.parametrize("name", NAMES)
def test_record_to_tei_to_record_keeps_blocks_spans_languages_and_metadata(name: str) -> None:
    record = fixtures()[name]
    again = read_tei_record(tei_bytes(record)).to_dict()
    expected = record.to_dict()
    # Spans are a set of ranges: TEI gives them back in document order, the pipeline lists marks
    # before the foreign runs it detects later, so both sides are compared in one canonical order.
    for block in (*again["blocks"], *expected["blocks"]):
        block["spans"] = sorted(block["spans"], key=lambda s: json.dumps(s, sort_keys=True))
    for got_block, want_block in zip(again["blocks"], expected["blocks"], strict=True):
        assert got_block == want_block
    assert again["metadata"] == expected["metadata"]
    assert again["languages"] == expected["languages"]
    assert again["main_language"] == expected["main_language"]
    assert again["scripts"] == expected["scripts"]
    assert again == expected
