"""Coverage-guided fuzzing of ingestion with atheris, for runs longer than the test suite affords.

    pip install atheris
    python fuzz/fuzz_ingest.py -atheris_runs=5000          # or -max_total_time=600
    python fuzz/fuzz_ingest.py corpus_dir/ -atheris_runs=0  # seeds from a folder of real files

The first input byte picks the file name (so every reader is reached), the rest is the file. Any
exception other than IngestError is a bug and stops the run with the crashing input saved.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from archive.errors import IngestError
    from archive.exporters.tei import tei_bytes
    from archive.pipeline import IngestOptions, ingest_bytes

NAMES = ["a.txt", "a.md", "a.html", "a.xhtml", "a.pdf", "a.docx", "a.epub", "a.xml", "a.tei.xml", "noext"]
OPTIONS = IngestOptions(max_bytes=1024 * 1024, timeout_s=0)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    try:
        record = ingest_bytes(data[1:], name, OPTIONS)
    except IngestError:
        return
    tei_bytes(record)  # a record that comes out must also export


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
