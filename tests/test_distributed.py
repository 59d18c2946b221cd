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
