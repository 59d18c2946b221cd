"""End to end over seeds/: the metadata rules, through the whole pipeline, on the five sample sources.

The rules are general; these files are a check that they come out right on real pages of each kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import archive
from archive.record import Record

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed(prefix: str) -> Record:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return archive.ingest(str(path))


@pytest.fixture(scope="module")
def seeds() -> dict[str, Record]:
    return {p: _seed(p) for p in ("000", "001", "002", "003", "004")}


def _boilerplate(record: Record) -> list[str]:
    return [b.text for b in record.blocks if b.type == "boilerplate"]


def test_000_journal_landing_page(seeds: dict[str, Record]) -> None:
    record = seeds["000"]
    meta = record.metadata
    assert meta.title == (
        "Ideological Connections and Strategic Alliances: Examining the Ties Between TTP and Afghan Taliban"
    )
    assert [(p.name, p.affiliation) for p in meta.authors] == [
        ("Attaullah Jan", "Assistant Professor, Pakistan Studies, Qurtuba University of Science and "
         "Information Technology, Peshawar"),  # fmt: skip
        ("Muhammad Naeem Akbar Qazi", None),
    ]
    assert [(d.iso, d.role) for d in meta.dates] == [("2025-05-02", "published")]
    assert meta.keywords == ["Pakistan", "Afghanistan", "Afghan Taliban", "TTP", "Ideologies", "Terrorism"]
    assert meta.abstract and meta.abstract.startswith("This paper investigates the strategic")
    assert meta.abstract.endswith("South Asia’s security landscape.")
    citation = meta.citation
    assert citation is not None
    fields = (citation.journal, citation.volume, citation.issue, citation.pages, citation.year, citation.url)
    assert fields == (
        "Sociology & Cultural Research Review", "3", "02", "152–157", "2025",
        "https://www.scrrjournal.com/index.php/14/article/view/206",
    )  # fmt: skip
    furniture = _boilerplate(record)
    assert furniture[:2] == ["Downloads", "How to Cite"]
    assert furniture[2].startswith("Dr. Attaullah Jan, & Brigadier") and len(furniture) == 3


def test_001_comment_form(seeds: dict[str, Record]) -> None:
    record = seeds["001"]
    assert record.metadata.title == "Connections between Pakistani and Afghan militant groups"
    assert record.metadata.authors == [] and record.metadata.dates == []
    text = "\n".join(_boilerplate(record))
    assert "Please enter your comment!" in text and "Please enter your name here" in text
    assert all(b.type != "boilerplate" for b in record.blocks[:-1] if "Please enter" not in b.text)


def test_002_byline_and_references(seeds: dict[str, Record]) -> None:
    record = seeds["002"]
    meta = record.metadata
    assert meta.title == (
        "The Geopolitical Implications of Clashes between Pakistan and the Tehreek-e-Taliban Pakistan (TTP)"
    )
    assert [p.name for p in meta.authors] == ["Abdul Majeed Bhatti"]
    assert meta.dates == []  # "In 2024 alone", "November 2022" are in the body
    refs = meta.references
    assert [r.label for r in refs] == ["1", "2", "3", "4", "5", "6"]
    assert [r.date for r in refs] == ["2022-11", "2024-12", "2023-11", "2025-01", "2023-07", "2024"]
    assert all(len(r.urls) == 1 and r.urls[0].startswith("https://") for r in refs)
    assert refs[3].urls[0].endswith("refugee-125010900988_1.html")
    by_id = {b.id: b for b in record.blocks}
    assert all(by_id[r.block_id].type == "reference" for r in refs if r.block_id)
    assert meta.urls == [u for r in refs for u in r.urls]


def test_003_masthead_name_date_signature(seeds: dict[str, Record]) -> None:
    meta = seeds["003"].metadata
    assert meta.title == "Clashes between Afghanistan and Pakistan escalate" and meta.title_lang == "en"
    assert [p.name for p in meta.authors] == ["Vanessa Sevidova"]
    assert meta.authors[0].affiliation == "researcher-expert on the Middle East and Africa"
    assert [(d.iso, d.original, d.role) for d in meta.dates] == [
        ("2025-01-12", "12.01.2025", "published"),
        ("2025-01-11", "January 11, 2025", "created"),
    ]
    assert meta.site == "www.afgazad.com"
    assert meta.emails == ["afgazad@gmail.com"]


def test_004_web_footer(seeds: dict[str, Record]) -> None:
    record = seeds["004"]
    meta = record.metadata
    assert meta.title == "Kabul continues to support the Pakistani Taliban, a recent UN report states"
    assert meta.dates == []  # "dated February 6" is about the report, not this page
    furniture = _boilerplate(record)
    assert len(furniture) == 5
    assert furniture[0].startswith("See also")
    assert furniture[1].startswith("Discover more from Defence Talks")
    assert furniture[2] == "Subscribe to get the latest posts sent to your email."
    assert furniture[3] == "Leave a Reply"
    assert furniture[4].startswith("Your email address will not be published.")
    assert meta.site == "Defence Talks"
