"""A per-file function whose language stage hangs on files that ask for it, for tests that run it in
other processes (a Dask worker imports this module by name, so a monkeypatch would not reach it)."""

from __future__ import annotations

import time
from typing import Any

import archive.pipeline as pipeline

_real_detect = pipeline.detect_language


def _detect(blocks: Any, *args: Any, **kwargs: Any) -> Any:
    if any("hang" in block.text for block in blocks):
        while True:  # a stage stuck in a loop
            time.sleep(0.01)
    return _real_detect(blocks, *args, **kwargs)


def ingest_with_a_hanging_stage(path: str, options: pipeline.IngestOptions) -> pipeline.Outcome:
    pipeline.detect_language = _detect  # type: ignore[assignment]
    return pipeline.ingest_path(path, options)
