import json
from pathlib import Path

from click.testing import CliRunner

import archive
from archive.cli import cli
from archive.fixity import verify_bundle

# The folder the tested package is imported from, for the `archive` command run as a child process
# (not the whole sys.path: another test module puts bench/, whose encodings.py would hide the codecs).
PACKAGE_ROOT = str(Path(archive.__file__).resolve().parents[1])


def make_corpus(root: Path) -> Path:
    corpus = root / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("A title\n\nFirst paragraph of the article, in English.", encoding="utf-8")
    (corpus / "sub" / "b.md").write_text("# عنوان\n\nکابل پایتخت افغانستان است و مردم آن دری سخن می‌گویند.",
                                         encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 20)
    return corpus


def test_help_on_every_command() -> None:
    runner = CliRunner()
    for command in ([], ["ingest"], ["build"], ["export"], ["show"], ["validate"], ["verify"], ["search"],
                    ["list"]):
        result = runner.invoke(cli, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output


def test_ingest_archives_the_good_files_and_fails_with_the_bad_one_named(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1
    assert "broken.pdf" in result.output
    report = json.loads((out / "report.json").read_text())
    assert (report["files"], report["records"], report["failed"]) == (3, 2, 1)
    assert report["failures"][0]["path"].endswith("broken.pdf") and report["failures"][0]["reason"]
    assert verify_bundle(out / "bundle") == []
    originals = sorted(p.read_bytes() for p in (out / "bundle" / "data" / "originals").rglob("*") if p.is_file())
    assert originals == sorted([(corpus / "a.txt").read_bytes(), (corpus / "sub" / "b.md").read_bytes()])


def test_rerun_processes_only_changed_files_and_reports_vanished(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    (corpus / "broken.pdf").unlink()
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), "--out", str(out), "-j", "1", "-q"]).exit_code == 0
    (corpus / "a.txt").write_text("A new title\n\nChanged text.", encoding="utf-8")
    (corpus / "sub" / "b.md").unlink()
    assert runner.invoke(cli, ["ingest", str(corpus), "--out", str(out), "-j", "1", "-q"]).exit_code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["files"] == 1 and report["outcomes"]["unchanged"] == 0
    assert [Path(p).name for p in report["vanished"]] == ["b.md"]
    index = json.loads((out / "bundle" / "data" / "index.json").read_text())["records"]
    assert "A new title" in [e["title"] for e in index]
    assert "A title" not in [e["title"] for e in index]
    originals = [p.read_bytes() for p in (out / "bundle" / "data" / "originals").iterdir()]
    assert (corpus / "a.txt").read_bytes() in originals
    assert not any(o.startswith(b"A title") for o in originals)  # the changed file's old bytes left the bag
    assert verify_bundle(out / "bundle") == []


def test_jsonl_log_has_one_line_per_file(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(tmp_path / "o"), "--log", "jsonl", "-j", "1"])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert sorted(line["ok"] for line in lines) == [False, True, True]


def test_show_prints_metadata_and_blocks(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    result = CliRunner().invoke(cli, ["show", str(corpus / "sub" / "b.md")])
    assert result.exit_code == 0
    assert "rtl" in result.output and "fa" in result.output


def test_search_finds_persian_regardless_of_letter_variants(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(out), "-j", "1", "-q"])
    # Arabic kaf and yeh in the query still find the Persian text written with keheh and Farsi yeh.
    result = CliRunner().invoke(cli, ["search", "كابل", "--archive", str(out)])
    assert result.exit_code == 0, result.output
    assert "عنوان" in result.output and "[fa]" in result.output
    missing = CliRunner().invoke(cli, ["search", "nonexistentword", "--archive", str(out)])
    assert missing.exit_code == 1


def test_export_selects_records_and_validate_reports_file_and_line(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    (corpus / "broken.pdf").unlink()
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), "--out", str(out), "-j", "1", "-q"]).exit_code == 0
    packs = tmp_path / "packs"
    result = runner.invoke(cli, ["export", "--format", "epub", "--from", str(out / "bundle"), "--out", str(packs),
                                 "--lang", "fa", "--one-per-record"])
    assert result.exit_code == 0, result.output
    assert len(list((packs / "epub").glob("*.epub"))) == 1
    none = runner.invoke(cli, ["export", "--format", "tei", "--from", str(out / "bundle"), "--out", str(packs),
                               "--grep", "no such words anywhere"])
    assert none.exit_code == 1
    tei = runner.invoke(cli, ["export", "--format", "tei", "--from", str(out / "bundle"), "--out", str(packs)])
    assert tei.exit_code == 0
    assert "2 records exported as tei" in tei.output
    assert runner.invoke(cli, ["validate", str(packs / "tei"), str(packs / "epub")]).exit_code == 0
    [one] = [p for p in (packs / "tei").glob("r*.xml")][:1]
    broken = one.read_text(encoding="utf-8").replace("<teiHeader>", "<teiHeader><bogus/>", 1)
    one.write_text(broken, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(one)])
    assert result.exit_code == 1
    assert f"{one}:" in result.output and "bogus" in result.output


# --- usage errors: exit status 2, found before anything is created --------------------------------

def test_an_unknown_executor_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out), "--executor", "bogus"])
    assert result.exit_code == 2, result.output
    assert "unknown executor 'bogus'" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_out_naming_an_existing_file_is_a_usage_error(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out.txt"
    out.write_text("not a folder")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"--out {out} is a file" in result.output
    assert out.read_text() == "not a folder"


def test_a_dask_executor_without_the_extra_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the extra were not installed
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(out), "--executor", "dask-local"])
    assert result.exit_code == 2, result.output
    assert "needs the dask extra" in result.output and not out.exists()


def test_archive_list_escapes_control_and_bidi_characters_of_titles_and_names(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "clear\x1b[2J\u202eevil.txt").write_bytes(b"\n\n")
    (corpus / "two\nlines.md").write_text("# Title\x1b[31m red \u202e\n\nSome body text here.", encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["ingest", str(corpus), "--out", str(out), "-j", "1", "-q"])
    listed = CliRunner().invoke(cli, ["list", "--archive", str(out)])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("\n") == 2
    assert "\x1b" not in listed.output and "\u202e" not in listed.output


def test_failure_lines_are_not_wrapped_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / ("a-rather-long-folder-name-" * 6)
    corpus.mkdir()
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 20)
    result = subprocess.run([sys.executable, "-m", "archive", "ingest", str(corpus), "--out", str(tmp_path / "o"),
                             "-j", "1"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                                               "PYTHONPATH": PACKAGE_ROOT})
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("failed")]
    assert str(corpus / "broken.pdf") in line and len(line) > 200
