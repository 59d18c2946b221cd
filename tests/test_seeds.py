"""End to end over the demo corpus: structure, language and direction as the issue lists them."""

from functools import cache
from pathlib import Path

import pytest

from archive import ingest
from archive.fixity import schema_problems
from archive.record import Record

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed(prefix: str) -> Record:
    [path] = SEEDS.glob(f"{prefix}_*")
    return ingest(str(path))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_record_validates_and_is_mostly_english(prefix: str) -> None:
    record = seed(prefix)
    assert schema_problems(record.to_dict(), "record", prefix) == []
    assert record.main_language == "en"
    assert all(b.lang and b.dir and b.script for b in record.blocks)
    for block in record.blocks:
        if block.text.strip("*"):  # a row of escaped asterisks is the source's own section separator
            assert "**" not in block.text and "\\*" not in block.text and "](" not in block.text


def test_seed_002_arabic_quotation_is_arabic_and_right_to_left() -> None:
    record = seed("002")
    spans = [(b, s) for b in record.blocks for s in b.spans if s.kind == "foreign" and s.lang == "ar"]
    assert spans, "the vocalized Arabic quotation must be an `ar` run"
    block, span = spans[0]
    assert span.dir == "rtl"
    assert "الْمُنَافِقِينَ" in block.text[span.start:span.end]
    assert "\\$35m" not in "".join(b.text for b in record.blocks)
    assert any("$35m" in b.text for b in record.blocks)


def test_seed_003_persian_header_and_verse() -> None:
    record = seed("003")
    verse = [b for b in record.blocks if b.type == "verse"]
    assert len(verse) == 1 and len(verse[0].lines) == 2
    assert verse[0].lang in ("fa", "fa-AF") and verse[0].dir == "rtl"
    masthead = record.blocks[0]
    assert masthead.text.startswith("افغانستان آزاد") and masthead.lang in ("fa", "fa-AF") and masthead.dir == "rtl"
    assert any(b.text == "زبانهای اروپایی" and b.dir == "rtl" for b in record.blocks)
    assert not any(b.text.startswith("#") for b in record.blocks)
    assert any(b.text == "Clashes between Afghanistan and Pakistan escalate" and b.type == "heading"
               for b in record.blocks)
