"""Atomic and resumable: an interrupted write leaves the previous output intact, and a run killed at
any moment and started again ends with a bundle that verifies and no half-written file anywhere."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from archive import atomic
from archive.exporters.epub import write_epubs
from archive.exporters.tei import write_tei
from records import all_records

TEMP_NAMES = ("*.part", "*.tmp")


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[Path]:
    return [p for pattern in TEMP_NAMES for p in folder.rglob(pattern)]


def _half_then_fail(self: Path, data: bytes) -> int:
    with open(self, "wb") as handle:
        handle.write(data[: len(data) // 2])
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("writer", ["tei", "epub", "bytes"])
def test_a_write_failing_half_way_leaves_the_previous_output_intact(tmp_path: Path, writer: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    records = all_records()
    if writer == "tei":
        write_tei(records, tmp_path)
    elif writer == "epub":
        write_epubs(records, tmp_path)
    else:
        atomic.write_bytes(tmp_path / "report.json", b'{"old": true}')
    before = snapshot(tmp_path)
    monkeypatch.setattr(Path, "write_bytes", _half_then_fail)
    import archive.exporters.tei as tei_module

    real_open = os.fdopen
    monkeypatch.setattr(tei_module.os, "fdopen", lambda fd, mode: _Failing(real_open(fd, mode)), raising=False)
    # an EPUB pack streams into its ZIP: fail half-way through a chapter, as a full disk would
    import archive.exporters.epub as epub_module

    real_add = epub_module.PackZip.add

    def add_then_fail(self: epub_module.PackZip, name: str, parts: Iterable[bytes]) -> None:
        if name.endswith(".xhtml"):
            data = b"".join(parts)
            real_add(self, name, [data[: len(data) // 2]])
            raise OSError(28, "No space left on device")
        real_add(self, name, parts)

    monkeypatch.setattr(epub_module.PackZip, "add", add_then_fail)
    with pytest.raises(OSError):
        if writer == "tei":
            write_tei(records[:1], tmp_path)
        elif writer == "epub":
            write_epubs(records[:1], tmp_path)
        else:
            atomic.write_bytes(tmp_path / "report.json", b'{"new": true, "longer": "content"}')
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


class _Failing:
    """A file object that writes half of what it is given, then fails as a full disk would."""

    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        self.handle = handle

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")


def make_corpus(folder: Path, count: int = 120) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        body = "\n\n".join(f"Paragraph {j} of document {i}: the border at Torkham was closed again, "
                           f"کابل پایتخت افغانستان است {i * j}." for j in range(30))
        suffix = ".md" if i % 3 == 0 else ".txt"
        (folder / f"doc{i:03}{suffix}").write_text(f"# Document {i}\n\n{body}\n", encoding="utf-8")


def _archive(*args: str) -> list[str]:
    return [sys.executable, "-m", "archive", *args]


@pytest.mark.slow
def test_a_build_killed_at_any_moment_resumes_to_a_bundle_that_verifies(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    make_corpus(source)
    build = _archive("build", str(source), "--out", str(out), "-j", "2", "-q")
    for delay in (0.8, 1.5, 2.2, 3.0):
        process = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    finished = subprocess.run(build, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stderr
    verified = subprocess.run(_archive("verify", str(out / "bundle")), capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert leftovers(out) == []
    records = list((out / "bundle" / "data" / "records").glob("*.json"))
    assert len(records) == 120
    assert len(list((out / "tei").glob("r*.xml"))) == 120 and list((out / "epub").glob("*.epub"))


@pytest.mark.slow
def test_temporaries_left_by_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    """SIGKILL between creating a temporary and renaming it leaves the temporary; the next run's
    writers remove it, so it neither lingers nor enters the bundle's manifest."""
    source, out = tmp_path / "in", tmp_path / "out"
    make_corpus(source, count=3)
    build = _archive("build", str(source), "--out", str(out), "-j", "1", "-q")
    assert subprocess.run(build, capture_output=True, timeout=120).returncode == 0
    stale = [out / "bundle" / "data" / "records" / ".r0.json.abc123.part", out / "bundle" / ".index.json.x.part",
             out / "tei" / ".corpus.xml.k2j3.tmp", out / "epub" / ".archive.epub.9f.part"]
    for path in stale:
        path.write_bytes(b'{"half": ')
    (source / "doc999.txt").write_text("A new file, so the next run has work to do.\n", encoding="utf-8")
    assert subprocess.run(build, capture_output=True, timeout=120).returncode == 0
    assert leftovers(out) == []
    manifest = (out / "bundle" / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert ".part" not in manifest
    assert subprocess.run(_archive("verify", str(out / "bundle")), capture_output=True, timeout=120).returncode == 0


def test_a_write_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c.json"
    atomic.write_bytes(target, b"{}", durable=False)
    assert target.read_bytes() == b"{}"
    assert leftovers(tmp_path) == []


def test_a_temporary_left_by_an_earlier_process_with_the_same_id_is_neither_reused_nor_clobbered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools

    monkeypatch.setattr(atomic, "_serial", itertools.count(7))
    stale = tmp_path / f".r1.json.{os.getpid()}-7.part"
    stale.write_bytes(b"half of an old record")
    atomic.write_bytes(tmp_path / "r1.json", b"{}\n", durable=False)
    assert (tmp_path / "r1.json").read_bytes() == b"{}\n"
    assert stale.read_bytes() == b"half of an old record"  # removed by the next writer's stale sweep, not here
    atomic.write_bytes(tmp_path / "new" / "deeper" / "r2.json", b"[]\n")  # missing folders are made
    assert (tmp_path / "new" / "deeper" / "r2.json").read_bytes() == b"[]\n"
    assert not list((tmp_path / "new").rglob("*.part"))
