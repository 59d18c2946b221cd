"""A batch run: a parallel run stores exactly what a serial run stores."""

import os
from pathlib import Path

import pytest

from archive.batch import run_ingest
from archive.pipeline import map_files


def _corpus(root: Path) -> Path:
    root.mkdir()
    texts = [
        "Border talks\n\nKabul and Islamabad met in Doha on 3 March 2025 to discuss the crossings.",
        "# گزارش کابل\n\nنشست‌های کابل درباره‌ی آینده‌ی افغانستان هفته‌ی آینده ادامه می‌یابد.",
        "<html lang='ur'><body><h1>اسلام آباد</h1><p>سرحدی تجارت پر تفصیلی بات چیت کی گئی۔</p></body></html>",
    ]
    suffixes = [".txt", ".md", ".html"]
    for i in range(30):
        (root / f"doc{i:02}{suffixes[i % 3]}").write_text(f"{texts[i % 3]}\n\nItem {i}.", encoding="utf-8")
    (root / "same-a.txt").write_text(texts[0], encoding="utf-8")  # identical bytes: one record id
    (root / "same-b.txt").write_text(texts[0], encoding="utf-8")
    (root / "bad.bin").write_bytes(b"\x7fELF" + b"\x00" * 64)
    return root


def _payload(bundle: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_a_parallel_run_stores_byte_for_byte_what_a_serial_run_stores(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = _corpus(tmp_path / "in")
    serial = run_ingest([str(corpus)], tmp_path / "serial", workers=1)
    parallel = run_ingest([str(corpus)], tmp_path / "parallel", workers=2)
    assert (serial.files, serial.records, len(serial.failures)) == (33, 32, 1)
    assert (parallel.files, parallel.records, parallel.failures) == (serial.files, serial.records, serial.failures)
    assert parallel.by_language == serial.by_language and parallel.by_format == serial.by_format
    assert _payload(tmp_path / "parallel" / "bundle") == _payload(tmp_path / "serial" / "bundle")


def test_map_files_keeps_the_input_order_across_tasks_of_several_files(tmp_path: Path) -> None:
    files = [str(tmp_path / f"f{i:03}") for i in range(70)]
    assert list(map_files(os.path.basename, files, workers=2)) == [os.path.basename(f) for f in files]
    assert list(map_files(os.path.basename, files, workers=1)) == [os.path.basename(f) for f in files]


def test_a_worker_stages_the_record_files_and_falls_back_to_sending_them_when_it_cannot(tmp_path: Path) -> None:
    from archive.batch import ingest_and_prepare
    from archive.pipeline import IngestOptions

    source = tmp_path / "note.txt"
    source.write_text("Border talks\n\nKabul and Islamabad met in Doha to discuss the crossings.", encoding="utf-8")
    data = tmp_path / "bundle" / "data"
    staged = ingest_and_prepare(str(source), IngestOptions(), [str(tmp_path)], stage_in=data)
    assert staged.staged is not None and staged.stored is None and staged.original is None
    temporaries = {Path(temporary).name: Path(temporary) for temporary, _ in staged.staged.renames}
    assert all(name.startswith(".") and name.endswith(".part") for name in temporaries)
    assert source.read_bytes() in [path.read_bytes() for path in temporaries.values()]

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    sent = ingest_and_prepare(str(source), IngestOptions(), [str(tmp_path)], stage_in=blocked / "data")
    assert sent.staged is None and sent.stored is not None and sent.original == source.read_bytes()
    assert sent.record_id == staged.record_id


def test_a_file_changed_while_it_was_being_archived_is_read_again_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archive.batch

    source = tmp_path / "in" / "report.txt"
    source.parent.mkdir()
    source.write_text("First version\n\nKabul and Islamabad met in Doha.", encoding="utf-8")
    read_file = archive.batch.ingest_path

    def read_then_edit(path: str, *args: object, **kwargs: object) -> object:
        outcome = read_file(path, *args, **kwargs)  # type: ignore[arg-type]
        with open(path, "a", encoding="utf-8") as handle:  # the curator saves an edit meanwhile
            handle.write("\n\nA paragraph added while the first version was being archived.")
        return outcome

    monkeypatch.setattr(archive.batch, "ingest_path", read_then_edit)
    first = run_ingest([str(source.parent)], tmp_path / "out")
    monkeypatch.setattr(archive.batch, "ingest_path", read_file)
    second = run_ingest([str(source.parent)], tmp_path / "out")
    assert (first.records, second.records, second.unchanged) == (1, 1, 0)
    third = run_ingest([str(source.parent)], tmp_path / "out")
    assert (third.records, third.unchanged) == (0, 1)
