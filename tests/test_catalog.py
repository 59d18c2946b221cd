"""The catalog: incremental bookkeeping and script-aware full-text search."""

from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.pipeline import ingest_file

DOCS = {
    "ar.txt": "قَالَ الْمُتَحَدِّثُ إِنَّ الْمُفَاوَضَاتِ سَتَسْتَمِرُّ فِي الدَّوْحَةِ الأُسْبُوعَ الْمُقْبِلَ",
    "fa.txt": "نشست‌های کابل درباره‌ی آینده‌ی افغانستان هفته‌ی آینده ادامه می‌یابد و نمایندگان می‌آیند",
    "ur.txt": "اسلام آباد میں ہونے والی ملاقات میں سرحدی تجارت پر تفصیلی بات چیت کی گئی",
    "en.txt": "Négociations: the delegations met in Doha to discuss the Café agreement.",
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root = tmp_path_factory.mktemp("catalog")
    db = Catalog(root / "catalog.sqlite")
    for name, text in DOCS.items():
        path = root / name
        path.write_text(text, encoding="utf-8")
        db.record_success(str(path), ingest_file(path), name)
    db.commit()
    return db


def found(catalog: Catalog, query: str) -> set[str]:
    """The source names of the records a query finds."""
    source_of = {row.record_id: row.source for row in catalog.list_records()}
    return {source_of[hit.record_id] for hit in catalog.search(query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("المفاوضات", "ar.txt"),            # no harakat in the query, full harakat in the text
    ("المـفاوضات", "ar.txt"),           # tatweel ignored
    ("الدوحة", "ar.txt"),
    ("نشستهای", "fa.txt"),             # written without the ZWNJ
    ("آينده", "fa.txt"),               # Arabic yeh in the query, Persian yeh in the text
    ("كابل", "fa.txt"),                # Arabic kaf
    ("سرحدی تجارت", "ur.txt"),
    ("ملاقات", "ur.txt"),
    ("cafe", "en.txt"),                # accents and case folded
    ("NEGOCIATIONS", "en.txt"),
])
def test_search_folds_scripts_and_variants(catalog: Catalog, query: str, expected: str) -> None:
    assert found(catalog, query) == {expected}


def test_search_results_carry_title_language_and_snippet(catalog: Catalog) -> None:
    [hit] = catalog.search("Doha")
    assert hit.main_language == "en" and "[doha]" in hit.snippet.lower()


def test_list_filters_by_language_and_format(catalog: Catalog) -> None:
    assert {r.source for r in catalog.list_records(lang="fa")} == {"fa.txt"}
    assert len(list(catalog.list_records(media_type="text/plain"))) == 4
    assert list(catalog.list_records(since="2030")) == []


def test_unchanged_files_are_not_pending_and_a_new_pipeline_version_reprocesses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nText.", encoding="utf-8")
    with Catalog(tmp_path / "c.sqlite") as db:
        assert db.pending([str(path)]) == ([str(path)], [])
        db.record_success(str(path), ingest_file(path), "a.txt")
        db.commit()
        assert db.pending([str(path)]) == ([], [str(path)])
        monkeypatch.setattr("archive.catalog.PIPELINE_VERSION", "another")
        assert db.pending([str(path)]) == ([str(path)], [])


def test_vanished_sources_are_those_under_the_roots_given_and_gone(tmp_path: Path) -> None:
    """Roots may be folders or single files; a folder whose name begins another's ('old', 'older') is
    not under it, and a folder that is gone entirely reports every source it held, each once."""
    paths = {name: tmp_path / name for name in ("old/a.txt", "old/deep/b.txt", "older/c.txt", "single.txt")}
    db = Catalog(tmp_path / "catalog.sqlite")
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Kabul and Islamabad resumed talks on the border crossings this week.", encoding="utf-8")
        db.record_success(str(path), ingest_file(path), path.name)
    db.commit()
    for path in paths.values():
        path.unlink()
    (tmp_path / "old" / "deep").rmdir()
    (tmp_path / "old").rmdir()

    old = str(tmp_path / "old")
    assert db.mark_vanished([old, old + "/deep"], seen=set()) == [str(paths["old/a.txt"]), str(paths["old/deep/b.txt"])]
    assert db.mark_vanished([old], seen=set()) == []  # already marked
    assert db.mark_vanished([str(paths["single.txt"])], seen=set()) == [str(paths["single.txt"])]
    assert db.mark_vanished([str(tmp_path / "older")], seen={str(paths["older/c.txt"])}) == []
    assert db.mark_vanished([str(tmp_path / "older")], seen=set()) == [str(paths["older/c.txt"])]
    db.close()


def test_names_that_are_not_utf8_are_catalogued_skipped_when_unchanged_and_reported_when_gone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from archive.batch import run_ingest

    folder = os.path.join(os.fsencode(tmp_path), b"in-\xff")
    os.mkdir(folder)
    named = os.path.join(folder, b"bad-\xfe.txt")
    with open(named, "wb") as handle:
        handle.write(b"A title\n\nA file whose name and folder are not UTF-8.\n")
    as_text = os.fsdecode(named)
    first = run_ingest([as_text], tmp_path / "out")  # a file named directly
    assert (first.records, first.failures, first.fault) == (1, [], None)
    again = run_ingest([as_text], tmp_path / "out")
    through_folder = run_ingest([os.fsdecode(folder)], tmp_path / "out")  # the same file, found in its folder
    assert (again.records, again.unchanged) == (0, 1) and (through_folder.records, through_folder.unchanged) == (0, 1)
    os.unlink(named)
    gone = run_ingest([os.fsdecode(folder)], tmp_path / "out")
    assert gone.vanished == [as_text] and gone.fault is None
