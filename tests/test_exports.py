"""exports/ holds the output of the README's main command for seeds/: rebuild it and compare, so it
never goes stale. SOURCE_DATE_EPOCH fixes every timestamp, so the rebuild is byte-identical."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1767225600"  # the SOURCE_DATE_EPOCH exports/ was made with (README, "Quick start")
RUN_SPECIFIC = {"report.json", "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm"}


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in RUN_SPECIFIC}


@pytest.mark.slow
def test_committed_exports_equal_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--out", str(tmp_path), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    fresh, committed = files_under(tmp_path), files_under(ROOT / "exports")
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"exports/ is stale; rebuild it with SOURCE_DATE_EPOCH={EPOCH}: {stale}"
