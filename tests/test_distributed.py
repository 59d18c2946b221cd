"""The same per-file function on a Dask LocalCluster gives the same records as a serial run."""

from pathlib import Path

import pytest

from archive.pipeline import ingest_many

pytest.importorskip("dask.distributed")


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"doc{i}.txt").write_text(f"Heading {i}\n\nBody of document {i}, in plain English.")
    (tmp_path / "bad.bin").write_bytes(b"\x7fELF" + b"\x00" * 64)
    files = sorted(str(p) for p in tmp_path.iterdir())
    serial = list(ingest_many(files, workers=1))
    on_dask = list(ingest_many(files, workers=2, executor="dask-local"))
    assert [o.path for o in on_dask] == files

    def comparable(outcome):  # type: ignore[no-untyped-def]
        if outcome.record is None:
            return ("error", type(outcome.error).__name__)
        data = outcome.record.to_dict()
        for event in data["provenance"]:
            event["at"] = ""
        return data

    assert [comparable(o) for o in on_dask] == [comparable(o) for o in serial]


def test_the_time_limit_holds_on_a_dask_worker_and_the_worker_goes_on(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys
    from functools import partial

    from archive.errors import LimitExceeded
    from archive.pipeline import IngestOptions, map_files

    here = str(Path(__file__).parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([here, *sys.path]))  # the workers import hanging_stage
    monkeypatch.syspath_prepend(here)
    from hanging_stage import ingest_with_a_hanging_stage

    (tmp_path / "a.txt").write_text("A title\n\nThis one will hang forever.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A title\n\nThis one is quick.", encoding="utf-8")
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    task = partial(ingest_with_a_hanging_stage, options=IngestOptions(timeout_s=1))
    hung, fine = map_files(task, files, workers=1, executor="dask-local")
    assert isinstance(hung.error, LimitExceeded) and "1 s limit" in hung.error.reason
    assert fine.record is not None
