"""A batch run: a parallel run stores exactly what a serial run stores."""

import json
import os
from pathlib import Path

import pytest

import archive
from archive.batch import run_ingest
from archive.pipeline import map_files

# The folder the tested package is imported from, for the `archive` command run as a child process
# (not the whole sys.path: another test module puts bench/, whose encodings.py would hide the codecs).
PACKAGE_ROOT = str(Path(archive.__file__).resolve().parents[1])


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


# --- faults: one clear line, exit status 3, nothing lost, and the same command finishes the job ------

def _outputs(out: Path) -> dict[str, bytes]:
    """What a build leaves that must not depend on how it got there (the report and catalog hold times)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in ("report.json", "catalog.sqlite", "catalog.sqlite-wal",
                                              "catalog.sqlite-shm")}


def _no_space(path: object = None) -> OSError:
    import errno

    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path) if path is not None else None)


def _fill_the_disk(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make one kind of write fail as a full disk does."""
    from contextlib import contextmanager

    import archive.exporters.epub
    import archive.exporters.json_bundle as bundle
    import archive.exporters.tei

    if where == "ingest":
        real = bundle.write_temporary
        calls = iter(range(10_000))

        def write_temporary(target: object, data: bytes, durable: bool = False) -> str:
            if next(calls) >= 9:  # the fifth record's files
                raise _no_space(target)
            return real(target, data, durable)  # type: ignore[arg-type]
        monkeypatch.setattr(bundle, "write_temporary", write_temporary)
    elif where == "index":
        def write_index(out: object, entries: object) -> None:
            raise _no_space()
        monkeypatch.setattr(bundle, "_write_index", write_index)
    elif where == "seal":
        def write_text(target: object, text: str, durable: bool = True) -> None:
            raise _no_space(target)
        monkeypatch.setattr(bundle, "write_text", write_text)
    elif where == "tei":
        def write_bytes(target: object, data: bytes, durable: bool = True) -> None:
            raise _no_space(target)
        monkeypatch.setattr(archive.exporters.tei, "write_bytes", write_bytes)
    else:
        @contextmanager
        def atomic_path(target: object, durable: bool = True):  # type: ignore[no-untyped-def]
            raise _no_space(target)
            yield
        monkeypatch.setattr(archive.exporters.epub, "atomic_path", atomic_path)


@pytest.mark.parametrize("where", ["ingest", "index", "seal", "tei", "epub"])
def test_a_full_disk_ends_the_run_with_one_line_and_the_same_command_completes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    from click.testing import CliRunner

    from archive.cli import cli
    from archive.fixity import verify_bundle

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = _corpus(tmp_path / "in")
    command = ["build", str(corpus), "-j", "1", "--format", "tei", "--format", "epub"]
    clean = CliRunner().invoke(cli, [*command, "--out", str(tmp_path / "clean")])
    assert clean.exit_code == 1  # bad.bin

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _fill_the_disk(where, patch)
        full = CliRunner().invoke(cli, [*command, "--out", str(out)])
    assert full.exit_code == 3, full.output
    assert "Traceback" not in full.output and full.exception is None or isinstance(full.exception, SystemExit)
    [line] = [ln for ln in full.output.splitlines() if ln.startswith("error:")]
    assert "No space left on device" in line and "could not finish" in line
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "No space left on device" in report["fault"]
    if where in ("ingest", "tei", "epub"):  # what was archived before the disk filled is a bag that verifies
        assert verify_bundle(out / "bundle") == []

    again = CliRunner().invoke(cli, [*command, "--out", str(out)])
    assert again.exit_code == 1, again.output
    assert verify_bundle(out) == []
    assert _outputs(out) == _outputs(tmp_path / "clean")
    assert not [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp"))]


def test_a_read_only_output_folder_is_one_line_and_exit_status_3(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    from contextlib import contextmanager

    from click.testing import CliRunner

    import archive.batch
    from archive.cli import cli

    @contextmanager
    def read_only(folder: object):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))
        yield

    monkeypatch.setattr(archive.batch, "folder_lock", read_only)  # root ignores chmod; the error is the same
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["ingest", str(_corpus(tmp_path / "in")), "--out", str(out), "-j", "1"])
    assert result.exit_code == 3, result.output
    assert f"error: could not finish: preparing the output folder {out}: Read-only file system" in result.output


def test_a_second_run_on_a_busy_folder_refuses_and_leaves_the_first_runs_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    from archive.atomic import folder_lock

    corpus = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    staged = out / "bundle" / "data" / "records" / ".r0000000000000000.json.99-1.part"
    staged.parent.mkdir(parents=True)
    staged.write_text("a record the first run is staging")
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    with folder_lock(out):
        second = subprocess.run([sys.executable, "-m", "archive", "ingest", str(corpus), "--out", str(out)],
                                capture_output=True, text=True, env=env)
        assert second.returncode == 3, second.stderr
        assert f"in use by pid {os.getpid()}" in second.stderr and "Traceback" not in second.stderr
        assert staged.exists() and not (out / "catalog.sqlite").exists()
    # A lock left by a run that died (its pid written, no process holding the lock) is taken over.
    (out / ".archive.lock").write_text("999999999\n")
    third = subprocess.run([sys.executable, "-m", "archive", "ingest", str(corpus), "--out", str(out), "-q"],
                           capture_output=True, text=True, env=env)
    assert third.returncode == 1, third.stderr  # bad.bin
    assert not (out / ".archive.lock").exists() and not staged.exists()


def test_an_unreachable_dask_scheduler_is_one_line_and_exit_status_3(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    import dask
    from click.testing import CliRunner

    from archive.cli import cli

    out = tmp_path / "out"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(cli, ["ingest", str(_corpus(tmp_path / "in")), "--out", str(out),
                                          "--executor", "dask://127.0.0.1:9"])
    assert result.exit_code == 3, result.output
    assert "Dask cluster dask://127.0.0.1:9 is unreachable" in result.output
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["fault"]


# --- killed at any point, then the same command: the outputs of a clean build --------------------

CHECKPOINT = 20  # files per checkpoint in these runs (ARCHIVE_CHECKPOINT_FILES), so that small batches span several


def _large_corpus(root: Path) -> Path:
    """More small files than two checkpoints hold, in two folders, with a duplicate and a bad file."""
    for i in range(3 * CHECKPOINT + 7):
        folder = root / ("gen" if i % 3 else "other")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{i:04}.txt").write_text(f"Report {i}\n\nTalks in Kabul on day {i} covered the border.\n",
                                               encoding="utf-8")
    (root / "gen" / "copy.txt").write_bytes((root / "gen" / "doc0001.txt").read_bytes())
    (root / "gen" / "bad.bin").write_bytes(b"\x7fELF" + b"\x00" * 64)
    return root


def _workers_of(out: Path) -> list[int]:
    """Processes still running a build into `out` (the main process or its pool workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(out).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _committed_sources(out: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{out / 'catalog.sqlite'}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM sources WHERE status = 'archived'").fetchone()[0]
    except sqlite3.Error:
        return 0


KILL_POINTS = {
    "ingest": lambda out: len(list((out / "bundle" / "data" / "records").glob("*.json"))) >= 5,
    "past a checkpoint": lambda out: _committed_sources(out) >= CHECKPOINT,
    "sealing": lambda out: (out / "bundle" / "data" / "index.json").exists(),
    "tei": lambda out: len(list((out / "tei").glob("r*.xml"))) >= 5,
    "epub": lambda out: (out / "epub").exists(),
}


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find leftover workers")
def test_a_build_killed_at_any_point_then_run_again_equals_a_clean_build(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from archive.fixity import verify_bundle

    corpus = _large_corpus(tmp_path / "in")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": PACKAGE_ROOT,
           "ARCHIVE_CHECKPOINT_FILES": str(CHECKPOINT)}

    def build(out: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "archive", "build", str(corpus), "--out", str(out), "-j", "2",
                                 "-q", "--format", "tei", "--format", "epub"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    # The clean build and one build per kill point run side by side (a few seconds in all).
    clean = build(tmp_path / "clean")
    outs = {point: tmp_path / point.replace(" ", "-") for point in KILL_POINTS}
    runs = {point: build(out) for point, out in outs.items()}
    killed = []
    while any(run.poll() is None for run in runs.values()):
        for point, run in runs.items():
            if run.poll() is None and KILL_POINTS[point](outs[point]):
                run.send_signal(signal.SIGKILL)
                run.wait(timeout=60)
                killed.append(point)
        time.sleep(0.002)
    assert clean.wait(timeout=600) == 1  # bad.bin
    expected = _outputs(tmp_path / "clean")
    for point, out in outs.items():
        deadline = time.monotonic() + 30  # a limit for a hang, far from the fraction of a second it takes
        while _workers_of(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _workers_of(out), f"workers outlived the build killed {point}"
    again = {point: build(out) for point, out in outs.items()}
    for point, out in outs.items():
        _, stderr = again[point].communicate(timeout=600)
        assert again[point].returncode == 1, stderr.decode()
        assert b"Traceback" not in stderr
        assert verify_bundle(out) == [], point
        assert not [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp")) or p.name == ".archive.lock"]
        assert _outputs(out) == expected, f"killed {point}, then run again: the outputs differ from a clean build"
    assert "past a checkpoint" in killed and len(killed) >= 3, killed


# --- what a re-run and the exports keep honest --------------------------------------------------

def test_a_changed_source_leaves_no_superseded_tei_and_verify_names_each_changed_export(
        tmp_path: Path) -> None:
    from click.testing import CliRunner

    from archive.cli import cli
    from archive.fixity import verify_bundle

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First version\n\nKabul and Islamabad met in Doha.", encoding="utf-8")
    (corpus / "b.txt").write_text("Other\n\nHerat is in the west of the country.", encoding="utf-8")
    out = tmp_path / "out"
    command = ["build", str(corpus), "--out", str(out), "-j", "1", "-q", "--format", "tei"]
    assert CliRunner().invoke(cli, command).exit_code == 0
    before = {p.name for p in (out / "tei").glob("r*.xml")}
    (corpus / "a.txt").write_text("Second version\n\nKabul and Islamabad met again.", encoding="utf-8")
    assert CliRunner().invoke(cli, command).exit_code == 0
    after = {p.name for p in (out / "tei").glob("r*.xml")}
    index_ids = {e["id"] for e in json.loads((out / "bundle" / "data" / "index.json").read_text())["records"]}
    assert after == {f"{i}.xml" for i in index_ids} and after != before
    assert verify_bundle(out) == []

    edited, deleted = sorted((out / "tei").glob("r*.xml"))
    edited.write_bytes(edited.read_bytes().replace(b"</TEI>", b"</TEI>\n"))
    deleted.unlink()
    (out / "tei" / "added.xml").write_text("<x/>")
    problems = {Path(p.file).name: p.message for p in verify_bundle(out)}
    assert set(problems) == {edited.name, deleted.name, "added.xml"}
    assert problems[edited.name].startswith("changed: now") and "missing" in problems[deleted.name]


def test_verify_names_a_record_whose_size_changed(tmp_path: Path) -> None:
    from archive.fixity import verify_bundle

    run_ingest([str(_corpus(tmp_path / "in"))], tmp_path / "out")
    record = sorted((tmp_path / "out" / "bundle" / "data" / "records").glob("*.json"))[0]
    record.write_bytes(record.read_bytes() + b" ")
    problems = verify_bundle(tmp_path / "out" / "bundle")
    assert any(Path(p.file) == record and "changed" in p.message for p in problems), problems


def test_the_jsonl_log_and_the_summary_count_unchanged_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from archive.cli import cli

    corpus = _corpus(tmp_path / "in")
    command = ["ingest", str(corpus), "--out", str(tmp_path / "out"), "-j", "1"]
    CliRunner().invoke(cli, command)
    again = CliRunner().invoke(cli, [*command, "--log", "jsonl"])
    lines = [json.loads(line) for line in again.stdout.splitlines() if line.startswith("{")]
    statuses = [line["status"] for line in lines]
    assert statuses.count("unchanged") == 32 and statuses.count("failed") == 1 and len(lines) == 33
    assert all(line["id"] for line in lines if line["status"] == "unchanged")
    assert "33 files (32 unchanged)" in again.output


def test_an_output_folder_inside_an_input_is_skipped_with_a_note(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    first = run_ingest([str(corpus)], corpus / "archive-out")
    second = run_ingest([str(corpus)], corpus / "archive-out")
    assert (first.records, second.records, second.unchanged) == (32, 0, 32)
    assert [s["reason"] for s in second.skipped] == ["the output folder is inside an input; not archived"]


def test_a_file_that_kills_its_worker_process_is_that_files_failure(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside a C library ends the worker process, not just a stage: the pool breaks, and the
    batch finds the file that did it, lists it, and archives the others."""
    import archive.pipeline as pipeline

    real_detect = pipeline.detect_language

    def crashing_detect(blocks, *args: object, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
        if any("segfault" in b.text for b in blocks):
            os._exit(139)  # as a crash in native code would end it
        return real_detect(blocks, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "detect_language", crashing_detect)  # the pool's workers are forked
    corpus = _corpus(tmp_path / "in")
    (corpus / "doc07.txt").write_text("Title\n\nThis text makes the reader segfault.", encoding="utf-8")
    report = run_ingest([str(corpus)], tmp_path / "out", workers=2)
    assert report.records == 32 and not report.fault
    failures = {Path(f["path"]).name: f["reason"] for f in report.failures}
    assert set(failures) == {"bad.bin", "doc07.txt"} and "worker process died" in failures["doc07.txt"]


def test_an_error_of_the_catalog_or_an_exporter_for_one_file_is_that_files_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive.batch import RunReport, run_exports
    from archive.catalog import Catalog
    from archive.exporters import tei

    real_entry, real_tei = Catalog.record_entry, tei.tei_bytes

    def record_entry(self: Catalog, path: str, *args: object) -> None:
        if path.endswith("doc05.html"):
            raise ValueError("a value the catalog cannot take")
        real_entry(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Catalog, "record_entry", record_entry)
    report = run_ingest([str(_corpus(tmp_path / "in"))], tmp_path / "out", workers=1)
    failures = {Path(f["path"]).name: f for f in report.failures}
    assert set(failures) == {"bad.bin", "doc05.html"} and report.records == 31 and report.fault is None
    assert failures["doc05.html"]["stage"] == "store" and "cannot take" in failures["doc05.html"]["reason"]
    index = json.loads((tmp_path / "out" / "bundle" / "data" / "index.json").read_text(encoding="utf-8"))
    assert "doc05.html" not in {e["source"] for e in index["records"]} and len(index["records"]) == 30

    broken = sorted(p.stem for p in (tmp_path / "out" / "bundle" / "data" / "records").glob("*.json"))[0]

    def tei_bytes(record):  # type: ignore[no-untyped-def]
        if record.id == broken:
            raise RuntimeError("a converter bug")
        return real_tei(record)

    monkeypatch.setattr(tei, "tei_bytes", tei_bytes)
    exported = RunReport(started="")
    run_exports(tmp_path / "out" / "bundle", tmp_path / "out", ["tei"], exported)
    assert exported.export_failures == [{"format": "tei", "record": broken, "reason": "RuntimeError: a converter bug"}]
    assert exported.exports == {"tei": 30 - 1 + 1}  # the other 29 records (30 ids), and corpus.xml
    assert not (tmp_path / "out" / "tei" / f"{broken}.xml").exists()
