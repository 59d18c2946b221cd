"""Hostile input: entities, ZIP bombs and escaping members, deep nesting, control and bidi characters in
text and in file names, and input folders holding pipes, broken links and link loops.

The small hostile files live in tests/data/hostile with their expected outcome in EXPECTED.json;
large ones (bombs, 100 000-deep markup) are generated here. Every outcome must be a record or a clear
error, within a time limit, and a batch that meets them must archive every good file beside them.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from archive.errors import IngestError, display_path
from archive.pipeline import IngestOptions, ingest_bytes, ingest_path
from archive.record import Record

HOSTILE = Path(__file__).parent / "data" / "hostile"
EXPECTED: dict[str, dict] = {k: v for k, v in json.loads((HOSTILE / "EXPECTED.json").read_text()).items()
                             if not k.startswith("_")}
sys.path.insert(0, str(HOSTILE))
import make_corpus  # noqa: E402  (the generator of the committed corpus, beside it)

UNSAFE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ud800-\udfff]")
SECONDS = 30.0  # a guard against hangs: the slowest deep file takes about 2.5 s of CPU
# A file that blocks (waits without computing) is caught by the wall clock, one that computes too long by
# its CPU time: a busy machine stretches the wall clock of honest work, not its CPU time.
WALL_SECONDS = 6 * SECONDS


def outcome_of(data: bytes, name: str) -> Record | IngestError:
    began, cpu = time.perf_counter(), time.process_time()
    try:
        result: Record | IngestError = ingest_bytes(data, name, IngestOptions())
    except IngestError as error:
        result = error
    assert time.process_time() - cpu < SECONDS, f"{name} took too long"
    assert time.perf_counter() - began < WALL_SECONDS, f"{name} blocked"
    return result


def record_json(record: Record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def block_text(record: Record) -> str:
    return "\n".join(b.text for b in record.blocks)


def test_corpus_is_what_its_generator_writes_and_every_file_has_an_expectation() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name not in ("make_corpus.py", "EXPECTED.json", "__pycache__")}
    assert on_disk == set(EXPECTED)
    for name, data in make_corpus.corpus().items():
        assert (HOSTILE / name).read_bytes() == data, f"{name} differs from make_corpus.py's output"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_gives_its_expected_outcome(name: str) -> None:
    expected = EXPECTED[name]
    outcome = ingest_path(str(HOSTILE / name), IngestOptions(timeout_s=SECONDS))
    if expected["outcome"] == "error":
        assert outcome.record is None and outcome.error is not None, f"{name} should be refused"
        assert outcome.error.stage == expected["stage"]
        assert expected["reason"] in outcome.error.reason
        return
    assert outcome.error is None, f"{name}: {outcome.error}"
    record = outcome.record
    assert record is not None
    text, dumped = block_text(record), record_json(record)
    for phrase in expected.get("present", []):
        assert phrase in text, f"{name}: {phrase!r} lost"
    for phrase in expected.get("absent", []):
        assert phrase not in dumped
    if "absent_file" in expected and os.path.exists(expected["absent_file"]):
        lines = [ln for ln in Path(expected["absent_file"]).read_text().splitlines() if len(ln) > 8]
        assert not any(line in dumped for line in lines), "an external entity was read"
    if "max_text" in expected:
        assert len(text) <= expected["max_text"], "an entity was expanded"
    if expected.get("no_controls"):
        assert not UNSAFE_IN_TEXT.search(text)


# --- external entities pointing at a local file: its content must never reach the record ----------

SECRET = "TOPSECRET-3f9c1e-do-not-archive"


def _xxe_documents(secret_path: Path) -> dict[str, bytes]:
    entity = f'<!ENTITY xxe SYSTEM "file://{secret_path}">'
    chapter = make_corpus.xhtml(entity, "visible &xxe; words")
    return {
        "page.xhtml": chapter,
        "page.html": f"<!DOCTYPE html [{entity}]><html><body><p>visible &xxe; words</p></body></html>".encode(),
        "doc.tei.xml": make_corpus.tei(entity, "visible &xxe; words"),
        "doc.xml": make_corpus.tei(f'<!ENTITY % p SYSTEM "file://{secret_path}"> %p;', "visible words"),
        "book.epub": make_corpus.epub("c.xhtml", chapter),
        "report.docx": make_corpus.docx(make_corpus.docx_body("visible &xxe; words",
                                                              f"<!DOCTYPE w:document [{entity}]>")),
    }


@pytest.mark.parametrize("name", ["page.xhtml", "page.html", "doc.tei.xml", "doc.xml", "book.epub", "report.docx"])
def test_external_entity_to_a_local_file_is_never_read(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    result = outcome_of(_xxe_documents(secret)[name], name)
    shown = str(result) if isinstance(result, IngestError) else record_json(result)
    assert SECRET not in shown
    if isinstance(result, Record):
        assert "visible" in block_text(result)


# --- ZIP bombs and members that escape the container ----------------------------------------------

def _ratio_bomb(kind: str) -> bytes:
    zeros = bytes(20 * 1024 * 1024)  # 20 MiB of zeros deflate to ~20 KiB: a ratio of ~1000
    if kind == "epub":
        return make_corpus.epub("c.xhtml", make_corpus.xhtml("", "x" + " " * 10) + zeros)
    return make_corpus.docx(make_corpus.docx_body("x") + zeros)


def _declared_size_bomb(kind: str) -> bytes:
    """A small member whose headers declare 3 GiB: refused before anything is inflated."""
    data = bytearray(_ratio_bomb(kind) if kind == "none" else
                     (make_corpus.epub("c.xhtml", make_corpus.xhtml("", "x")) if kind == "epub"
                      else make_corpus.docx(make_corpus.docx_body("x"))))
    target = b"c.xhtml" if kind == "epub" else b"word/document.xml"
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:  # central directory entries
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_len]) == target:
            struct.pack_into("<I", data, at + 24, 3 * 1024 ** 3)
        at += 4
    return bytes(data)


@pytest.mark.parametrize("kind", ["epub", "docx"])
def test_zip_bombs_are_refused_without_inflating(kind: str) -> None:
    for bomb, phrase in ((_ratio_bomb(kind), "compression ratio"), (_declared_size_bomb(kind), "inflate to more")):
        assert len(bomb) < 200_000
        result = outcome_of(bomb, f"bomb.{kind}")
        assert isinstance(result, IngestError) and result.stage == "reader"
        assert phrase in result.reason and "zip bomb" in result.reason


@pytest.mark.parametrize("member", ["../evil.xhtml", "/abs/evil.xhtml", "a/../../evil.xhtml", "C:/evil.xhtml",
                                    "..\\evil.xhtml"])
@pytest.mark.parametrize("kind", ["epub", "docx"])
def test_members_escaping_the_container_are_refused(kind: str, member: str) -> None:
    if kind == "epub":
        data = make_corpus.epub("c.xhtml", make_corpus.xhtml("", "fine"))
    else:
        data = make_corpus.docx(make_corpus.docx_body("fine"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        info = zipfile.ZipInfo("x")
        info.filename = member  # ZipInfo would clean the name; an attacker's archive does not
        target.writestr(info, b"<x/>")
    result = outcome_of(out.getvalue(), f"hostile.{kind}")
    assert isinstance(result, IngestError) and "escapes the container" in result.reason


# --- markup nested 100 000 deep ------------------------------------------------------------------

DEPTH = 100_000
DEEP = {
    "deep.html": ("<html><body>" + "<div>" * DEPTH + "<p>deep words here</p>" + "</div>" * DEPTH
                  + "<p>after the depths</p></body></html>").encode(),
    "deep.xhtml": ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' + "<div>" * DEPTH
                   + "deep words here" + "</div>" * DEPTH + "</body></html>").encode(),
    "deep.tei.xml": ('<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0">' + make_corpus.TEI_HEAD
                     + "<text><body>" + "<div>" * DEPTH + "<p>deep words here</p>" + "</div>" * DEPTH
                     + "</body></text></TEI>").encode(),
    "quotes.md": (">" * DEPTH + " deep words here\n\nafter the depths\n").encode(),
    "lists.md": ("- " * DEPTH + "deep words here\n\nafter the depths\n").encode(),
    "emphasis.md": ("*" * DEPTH + "deep words here" + "*" * DEPTH + "\n\nafter the depths\n").encode(),
    "brackets.md": ("[" * DEPTH + "deep words here" + "]" * DEPTH + "\n\nafter the depths\n").encode(),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_neither_overflows_nor_hangs(name: str) -> None:
    result = outcome_of(DEEP[name], name)
    if isinstance(result, IngestError):
        assert result.stage in ("reader", "limits") and result.reason
    else:
        assert "deep words here" in block_text(result)


# --- a batch over a folder of good files, hostile files, hostile names and special files ----------

RLO_NAME = "invoice\u202efdp.txt"  # shows as "invoicetxt.pdf" where overrides are honoured
ESC_NAME = "clear\x1b[2Jscreen.md"
NEWLINE_NAME = "two\nlines.txt"
GOOD = {
    "good.md": b"# Border notes\n\nThe border was closed in October and trade fell by half.\n",
    "persian.txt": "کابل پایتخت افغانستان است و مردم آن به زبان‌های دری و پشتو سخن می‌گویند.\n".encode(),
    RLO_NAME: b"An invoice that pretends to be a PDF file by its name, written in plain text.\n",
    ESC_NAME: b"# Escapes\n\nA file name that would clear the terminal if printed raw.\n",
    NEWLINE_NAME: b"A file whose name would forge a second line in a report.\n",
    "folder.txt/inside.txt": b"A real file inside a folder whose name looks like a file.\n",
}
BAD = {"xxe.docx": "declares DTD entities", "traversal.epub": "escapes the container",
       "png_named.txt": "PNG image", "pipe.txt": "named pipe", "dangling.txt": "No such file",
       "loop.txt": "symbolic links"}
RAW = ("\u202e", "\x1b", "two\nlines")


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archive", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("hostile-batch")
    source = root / "in"
    for name, data in GOOD.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    for name in ("xxe.docx", "traversal.epub", "png_named.txt"):
        (source / name).write_bytes((HOSTILE / name).read_bytes())
    os.mkfifo(source / "pipe.txt")
    (source / "dangling.txt").symlink_to(source / "missing.txt")
    (source / "loop.txt").symlink_to(source / "loop.txt")
    (source / "sub").mkdir()
    (source / "sub" / "up").symlink_to(source, target_is_directory=True)  # a folder loop
    out = root / "out"
    result = _run("build", str(source), "--out", str(out), "-j", "2", "--timeout", "20", "--format", "tei",
                  "--format", "epub")
    return out, result


@pytest.mark.slow
def test_batch_archives_good_files_and_lists_each_bad_one(batch) -> None:
    out, result = batch
    assert result.returncode == 1, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["records"] == len(GOOD) and report["failed"] == len(BAD)
    failures = {Path(f["path"]).name: f["reason"] for f in report["failures"]}
    for name, phrase in BAD.items():
        assert phrase in failures[name], (name, failures.get(name))
        assert name in result.stderr
    assert report["exports"] == {"tei": len(GOOD) + 1, "epub": 1}


@pytest.mark.slow
def test_hostile_file_names_are_shown_neutralized_everywhere(batch) -> None:
    out, result = batch
    report_text = (out / "report.json").read_text(encoding="utf-8")
    index_text = (out / "bundle" / "data" / "index.json").read_text(encoding="utf-8")
    index = json.loads(index_text)
    sources = {e["source"] for e in index["records"]}
    assert "invoice\\u202efdp.txt" in sources and "clear\\u001b[2Jscreen.md" in sources
    views = {"stderr": result.stderr, "report.json": json.dumps(json.loads(report_text), ensure_ascii=False),
             "index.json sources": "".join(sources)}
    for path in sorted((out / "tei").glob("*.xml")):
        views[path.name] = path.read_text(encoding="utf-8")
    for path in sorted((out / "epub").glob("*.epub")):
        with zipfile.ZipFile(path) as book:
            views[path.name] = "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    for entry in index["records"]:
        shown = _run("show", entry["id"], "--bundle", str(out / "bundle"))
        assert shown.returncode == 0, shown.stderr
        views[f"show {entry['source']}"] = shown.stdout
    for where, text in views.items():
        for raw in RAW:
            assert raw not in text, f"raw {raw!r} in {where}"


@pytest.mark.slow
def test_bundle_of_the_hostile_batch_verifies(batch) -> None:
    out, _ = batch
    result = _run("verify", str(out / "bundle"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="runs as root, where chmod 000 does not stop reads; pipes and links cover this")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret words")
    locked.chmod(0)
    outcome = ingest_path(str(locked), IngestOptions())
    assert outcome.error is not None and outcome.error.stage == "read"
    assert "ermission" in outcome.error.reason


def test_tei_output_is_parseable_for_text_with_controls(tmp_path: Path) -> None:
    """Characters illegal in XML never reach the TEI: the record's text is already clean."""
    from archive.exporters.tei import tei_bytes

    record = ingest_path(str(HOSTILE / "controls_and_bidi.txt"), IngestOptions()).record
    assert record is not None
    etree.fromstring(tei_bytes(record))


# --- the whole hostile corpus, with hostile names made at test time, through `archive build` twice ---

NON_UTF8 = b"old-zip-\xff\xfe.txt"  # bytes no file system in git can be trusted to hold
LONG_PERSIAN = "\u06a9\u0627\u0628\u0644-" * 27 + "\u06a9\u0627.txt"  # 251 bytes: legal on ext4 (255 at most)
NFC, NFD = "caf\u00e9.txt", "cafe\u0301.txt"
NEW_GOOD = {
    NON_UTF8: b"A name that old zip tools write, in bytes that are not UTF-8.\n",
    LONG_PERSIAN.encode(): "نامی بسیار طولانی به فارسی که از ۲۵۵ بایت کمتر است.\n".encode(),
    NFC.encode(): b"The composed twin of a name.\n",
    NFD.encode(): b"The decomposed twin of a name, with other text.\n",
}
NON_UTF8_BAD = b"elf-\xff.bin"
NEW_BAD = {"scripts-only.html": "no text could be read", "missing-input": "no such file or folder",
           "elf-\\xff.bin": "ELF"}


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) != skip]
        for name in files + dirs:
            path = os.path.join(folder, name)
            status = os.lstat(path)
            found[path] = (status.st_size, status.st_mtime_ns)
    return found


def test_the_hostile_corpus_through_build_twice_archives_every_good_file_and_lists_every_bad_one(
        tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name in EXPECTED:
        (source / name).write_bytes((HOSTILE / name).read_bytes())
    for name, data in GOOD.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    for raw, data in NEW_GOOD.items():
        with open(os.path.join(os.fsencode(source), raw), "wb") as handle:
            handle.write(data)
    (source / "scripts-only.html").write_bytes(b"<html><body><script>var x = 1;</script></body></html>")
    with open(os.path.join(os.fsencode(source), NON_UTF8_BAD), "wb") as handle:
        handle.write(b"\x7fELF" + b"\x00" * 64)
    os.mkfifo(source / "pipe.txt")
    (source / "dangling.txt").symlink_to(source / "missing.txt")
    (source / "loop.txt").symlink_to(source / "loop.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text("Text outside the input folder, reached only by a link.")
    (source / "outside-link.txt").symlink_to(outside)
    (source / "sub").mkdir()
    (source / "sub" / "up").symlink_to(source, target_is_directory=True)
    out = tmp_path / "out"
    good = ({n for n, e in EXPECTED.items() if e["outcome"] == "record"} | {Path(n).name for n in GOOD}
            | {os.fsdecode(n) for n in NEW_GOOD})
    bad = ({n: e["reason"] for n, e in EXPECTED.items() if e["outcome"] == "error"}
           | {n: r for n, r in BAD.items() if n in ("pipe.txt", "dangling.txt", "loop.txt")} | NEW_BAD)
    before = _snapshot(tmp_path, out)

    for run in (1, 2):
        result = _run("build", str(source), str(tmp_path / "missing-input"), "--out", str(out), "-j", "2",
                      "--timeout", "60")
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        failures = {Path(f["path"]).name: f["reason"] for f in report["failures"]}
        assert set(failures) == set(bad), (sorted(failures), sorted(bad))
        for name, phrase in bad.items():
            assert phrase in failures[name], (name, failures[name])
            assert f"{name}: " in result.stderr
        [elf] = [f for f in report["failures"] if "path_bytes" in f]
        assert base64.b64decode(elf["path_bytes"]) == os.path.join(os.fsencode(source), NON_UTF8_BAD)
        assert report["records"] + report["outcomes"]["unchanged"] == len(good)
        assert report["outcomes"]["unchanged"] == (0 if run == 1 else len(good))
        assert [Path(s["path"]).name for s in report["skipped"]] == ["outside-link.txt", "up"]
        assert not report["fault"] and report["exports"]["epub"] == 1
        for raw in RAW:
            assert raw not in result.stderr

    index = json.loads((out / "bundle" / "data" / "index.json").read_text(encoding="utf-8"))["records"]
    assert {Path(e["source"]).name for e in index} == {display_path(name) for name in good}
    records = [json.loads(p.read_text(encoding="utf-8"))
               for p in (out / "bundle" / "data" / "records").glob("*.json")]
    exact = {base64.b64decode(r["source"]["filename_bytes"]) if "filename_bytes" in r["source"]
             else r["source"]["filename"].encode() for r in records}
    assert set(NEW_GOOD) <= exact  # every name's exact bytes, whatever they are
    assert _run("verify", str(out)).returncode == 0
    assert _snapshot(tmp_path, out) == before, "something was written outside the output folder"
