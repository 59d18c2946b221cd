import codecs
import os
from pathlib import Path

import pytest

from archive.errors import IngestError, LimitExceeded, UnsupportedFormat
from archive.pipeline import (
    IngestOptions,
    ingest_bytes,
    ingest_file,
    ingest_many,
    input_folders,
    iter_sources,
    relative_name,
)

PERSIAN = "کابل پایتخت افغانستان است و مردم آن به زبان‌های دری و پشتو سخن می‌گویند."
ARABIC = "قَالَ اللَّهُ تَعَالَى فِي كِتَابِهِ الْكَرِيمِ إِنَّ مَعَ الْعُسْرِ يُسْرًا"


def test_same_bytes_give_the_same_record_id_and_content(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text("Title\n\nSome text here.", encoding="utf-8")
    b.write_bytes(a.read_bytes())
    first, second = ingest_file(a), ingest_file(b)
    assert first.id == second.id
    assert first.source.sha256 == second.source.sha256


def test_windows_1256_file_decodes_exactly(tmp_path: Path) -> None:
    # Windows-1256 has no Farsi yeh: Persian written in it uses the Arabic yeh, which normalization
    # then turns into the Persian letter, and counts.
    typed = "\n\n".join([PERSIAN, "روزنامه‌ها و خبرگزاری‌ها در کابل گزارش دادند که مذاکرات ادامه دارد."] * 6)
    typed = typed.replace("ی", "ي")
    path = tmp_path / "fa.txt"
    path.write_bytes(typed.encode("cp1256"))
    record = ingest_file(path)
    assert record.source.encoding is not None and record.source.encoding.name.replace("-", "").lower() in (
        "windows1256", "cp1256")
    assert "\n\n".join(b.text for b in record.blocks) == typed.replace("ي", "ی")
    steps = next(e for e in record.provenance if e.event == "normalize").detail["steps"]
    assert steps["arabic_yeh"] == typed.count("ي")
    assert record.main_language in ("fa", "fa-AF")
    assert all(b.dir == "rtl" for b in record.blocks)


def test_utf16_file_decodes_exactly(tmp_path: Path) -> None:
    text = ARABIC + "\n\n" + PERSIAN
    path = tmp_path / "mixed.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    record = ingest_file(path)
    assert [b.text for b in record.blocks] == [ARABIC, PERSIAN]
    assert [b.lang for b in record.blocks] == ["ar", "fa"]
    assert record.source.encoding is not None and record.source.encoding.method == "bom"


def test_provenance_names_every_stage_and_the_versions() -> None:
    record = ingest_bytes(b"Heading\n\nBody text of the article.", "x.txt")
    assert [e.event for e in record.provenance] == ["read", "decode", "normalize", "detect", "extract"]
    assert all(e.agent.startswith("archive/") for e in record.provenance)
    assert "pycld2/" in record.provenance[3].agent


def test_events_are_stamped_with_the_current_second_or_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timedelta, timezone

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(tz=timezone.utc).replace(microsecond=0)
    record = ingest_bytes(b"Heading\n\nBody text of the article.", "x.txt")
    after = datetime.now(tz=timezone.utc)
    for stamp in (e.at for e in record.provenance):
        assert stamp.endswith("Z")
        assert before <= datetime.fromisoformat(stamp[:-1] + "+00:00") <= after
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert {e.at for e in ingest_bytes(b"Text.", "x.txt").provenance} == {"2026-01-01T00:00:00Z"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225601")
    stamps = {e.at for e in ingest_bytes(b"Text.", "x.txt").provenance}
    assert stamps == {(datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_entity_artifacts_are_repaired_and_counted() -> None:
    record = ingest_bytes(b"Sociology &Amp; Cultural Research Review, 3(02), 152-157.", "x.txt")
    assert record.blocks[0].text.startswith("Sociology & Cultural")
    normalize = next(e for e in record.provenance if e.event == "normalize")
    assert normalize.detail["steps"].get("html_entities", 0) >= 1


def test_persian_blocks_get_persian_yeh_and_kaf_and_arabic_keeps_its_own() -> None:
    record = ingest_bytes(("اين كتاب براي كودكان نوشته شده است و ما آن را مي‌خوانيم\n\n" + ARABIC).encode(), "x.txt")
    persian, arabic = record.blocks
    assert "ی" in persian.text and "ک" in persian.text and "ي" not in persian.text and "ك" not in persian.text
    assert arabic.text == ARABIC


def test_unsupported_binary_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(b"GIF89a" + bytes(range(256)) * 4)  # PNG, JPEG and TIFF are scans, read by OCR
    with pytest.raises(UnsupportedFormat) as caught:
        ingest_file(path)
    assert "picture.txt" in str(caught.value) and "GIF" in str(caught.value)


def test_size_limit_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 1000)
    with pytest.raises(LimitExceeded):
        ingest_file(path, IngestOptions(max_bytes=100))


def test_batch_goes_on_after_a_bad_file_and_parallel_equals_serial(tmp_path: Path) -> None:
    (tmp_path / "good1.txt").write_text("First\n\nA paragraph of text.")
    (tmp_path / "bad.bin").write_bytes(b"\x7fELF" + b"\x00" * 200)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good2.md").write_text("# Two\n\n*emphasis* here")
    files = list(iter_sources([str(tmp_path)]))
    serial = list(ingest_many(files, workers=1))
    parallel = list(ingest_many(files, workers=2))
    assert [o.record is not None for o in serial] == [True, False, True] or len(serial) == 3
    assert [isinstance(o.error, IngestError) for o in serial].count(True) == 1
    strip = [(o.path, o.record.to_dict() if o.record else None) for o in serial]
    for (path, data), outcome in zip(strip, parallel, strict=True):
        assert outcome.path == path
        if data is None:
            assert outcome.error is not None
        else:
            assert outcome.record is not None
            got = outcome.record.to_dict()
            for event in got["provenance"] + data["provenance"]:
                event["at"] = ""
            assert got == data


def test_iter_sources_does_not_follow_folder_links(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "loop")
    assert [Path(p).name for p in iter_sources([str(tmp_path)])] == ["a.txt"]


def test_errors_survive_the_trip_back_from_a_worker_process() -> None:
    import pickle

    error = UnsupportedFormat("/x/a\u202e.bin", "unsupported format: ELF executable")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.path, back.reason, back.stage) == (UnsupportedFormat, error.path, error.reason, "sniff")
    assert "\u202e" not in str(back)


def test_names_are_relative_to_the_folder_given_and_bare_for_files_given_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    inside = folder / "sub" / "a.txt"
    named = tmp_path / "b.txt"
    for path in (inside, named):
        path.write_text("x", encoding="utf-8")
    folders = input_folders([str(folder), str(named)])
    assert folders == [str(folder)]
    assert relative_name(str(inside), folders) == os.path.join("sub", "a.txt")
    assert relative_name(str(named), folders) == "b.txt"


def test_the_time_limit_holds_even_when_a_stage_swallows_the_alarm(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A library that catches every exception must not turn an expired limit into a record, and the
    timer must be stopped afterwards, or it would fail the next files of the batch."""
    import contextlib
    import signal
    import time

    import archive.pipeline as pipeline

    real_detect = pipeline.detect_language

    def stubborn_detect(*args: object, **kwargs: object) -> object:
        ends = time.monotonic() + 0.5
        while time.monotonic() < ends:
            with contextlib.suppress(Exception):  # what a careless library does
                time.sleep(0.01)
        return real_detect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "detect_language", stubborn_detect)
    source = tmp_path / "a.txt"
    source.write_text("A title\n\nSome text of the article.", encoding="utf-8")
    outcome = pipeline.ingest_path(str(source), IngestOptions(timeout_s=0.1))
    assert isinstance(outcome.error, LimitExceeded) and "0.1 s limit" in outcome.error.reason
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    monkeypatch.setattr(pipeline, "detect_language", real_detect)
    assert pipeline.ingest_path(str(source), IngestOptions(timeout_s=30)).record is not None


def test_the_time_limit_holds_in_a_thread_and_the_thread_goes_on(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A Dask worker runs files in threads, where no alarm signal arrives: a file that hangs there is
    still that file's error, and the same thread then archives the next file."""
    import threading
    import time

    import archive.pipeline as pipeline

    real_detect = pipeline.detect_language

    def hanging_detect(blocks, *args: object, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
        if any("hang" in b.text for b in blocks):
            while True:  # a reader stuck in a loop
                time.sleep(0.01)
        return real_detect(blocks, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "detect_language", hanging_detect)
    (tmp_path / "a.txt").write_text("A title\n\nThis one will hang forever.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A title\n\nThis one is fine and quick.", encoding="utf-8")
    outcomes: list[pipeline.Outcome] = []

    def work() -> None:
        for name in ("a.txt", "b.txt"):
            outcomes.append(pipeline.ingest_path(str(tmp_path / name), IngestOptions(timeout_s=0.3)))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)  # a limit for a hang only
    assert not worker.is_alive()
    hung, fine = outcomes
    assert isinstance(hung.error, LimitExceeded) and "0.3 s limit" in hung.error.reason
    assert fine.record is not None and fine.error is None  # no late exception landed on the next file


def test_a_walk_skips_and_lists_links_out_of_the_tree_and_the_output_folder(tmp_path: Path) -> None:
    from archive.pipeline import walk_sources

    inputs, outside = tmp_path / "in", tmp_path / "outside"
    (inputs / "sub").mkdir(parents=True)
    outside.mkdir()
    (inputs / "a.txt").write_text("a")
    (inputs / "sub" / "b.txt").write_text("b")
    (outside / "secret.txt").write_text("s")
    (inputs / "to-secret.txt").symlink_to(outside / "secret.txt")
    (inputs / "to-b.txt").symlink_to(inputs / "sub" / "b.txt")  # inside the tree: followed
    (inputs / "to-outside").symlink_to(outside, target_is_directory=True)
    (inputs / "loop").symlink_to(inputs, target_is_directory=True)
    (inputs / "out" / "bundle").mkdir(parents=True)
    (inputs / "out" / "bundle" / "x.json").write_text("{}")
    walk = walk_sources([str(inputs)], exclude=[str(inputs / "out")])
    assert [Path(p).relative_to(inputs).as_posix() for p in walk.files] == ["a.txt", "to-b.txt", "sub/b.txt"]
    skipped = {Path(p).name: reason for p, reason in walk.skipped}
    assert set(skipped) == {"to-secret.txt", "to-outside", "loop", "out"}
    assert "outside the input folders" in skipped["to-secret.txt"] and "output folder" in skipped["out"]
    followed = walk_sources([str(inputs)], exclude=[str(inputs / "out")], follow_symlinks=True)
    names = [Path(p).name for p in followed.files]
    assert "to-secret.txt" in names and "secret.txt" in names
    assert {Path(p).name for p, _ in followed.skipped} == {"out", "loop"}


def test_a_file_that_holds_something_but_gives_no_text_is_a_failure(tmp_path: Path) -> None:
    from archive.pipeline import ingest_path

    (tmp_path / "scripts-only.html").write_bytes(b"<html><body><script>var x = 1;</script></body></html>")
    (tmp_path / "blank.txt").write_bytes(b" \n\n ")
    outcome = ingest_path(str(tmp_path / "scripts-only.html"), IngestOptions())
    assert outcome.record is None and outcome.error is not None
    assert "no text could be read" in outcome.error.reason
    blank = ingest_path(str(tmp_path / "blank.txt"), IngestOptions())
    assert blank.record is not None and blank.record.blocks == []


def test_an_image_only_pdf_is_a_failure_that_says_it_needs_ocr() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    from archive.pipeline import ingest_bytes

    document = pdfium.PdfDocument.new()
    page = document.new_page(200, 200)
    image = pdfium.PdfImage.new(document)
    bitmap = pdfium.PdfBitmap.new_native(20, 20, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((0, 0, 0, 255), 0, 0, 20, 20)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(100, 100))
    page.insert_obj(image)
    page.gen_content()
    import io

    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(IngestError) as caught:
        ingest_bytes(buffer.getvalue(), "scan.pdf", IngestOptions())
    assert "needs OCR" in caught.value.reason
