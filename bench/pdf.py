"""Character similarity and speed of the PDF reader against plain extraction by pypdf and PDFium.

    python bench/pdf.py [--fixtures DIR] [--seconds S]

Fixtures are the PDFs in tests/data/pdf (printed by Chromium and LibreOffice from the HTML beside
them); each `<name>.txt` is the text that was printed. Similarity is difflib's ratio on
whitespace-normalized NFC text: for our reader, the non-boilerplate blocks; for the plain extractors,
everything they return (they cannot tell a running header from body text, which costs them a little
on `latin`). Speed is pages per CPU-second of one process, i.e. per core.
"""

from __future__ import annotations

import argparse
import difflib
import io
import shutil
import subprocess
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

from archive.readers.base import ReadOptions
from archive.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {"persian": "Arabic script", "arabic": "Arabic script", "urdu": "Arabic script",
           "pashto": "Arabic script", "persian_lo": "Arabic script", "arabic_lo": "Arabic script",
           "mixed": "mixed", "mixed_lo": "mixed",
           "latin": "Latin", "latin_lo": "Latin"}


def ours(data: bytes) -> tuple[str, int]:
    draft = read_pdf(data, ReadOptions())
    return "\n".join(b.text for b in draft.blocks if b.type != "boilerplate"), draft.info["pages"]


def plain_pypdf(data: bytes) -> tuple[str, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def plain_pdfium(data: bytes) -> tuple[str, int]:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document))), len(document)
    finally:
        document.close()


def plain_pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def similarity(expected: str, got: str) -> float:
    def norm(text: str) -> str:
        return unicodedata.normalize("NFC", " ".join(text.split()))

    return difflib.SequenceMatcher(None, norm(expected), norm(got), autojunk=False).ratio()


def pages_per_second(extract: Callable[[bytes], tuple[str, int]], corpus: list[bytes], seconds: float) -> float:
    pages = 0
    # CPU time of this process: pages per second per core, whatever else the machine is doing.
    started = time.process_time()
    while True:
        for data in corpus:
            pages += extract(data)[1]
        elapsed = time.process_time() - started
        if elapsed >= seconds:
            return pages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "data" / "pdf")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    names = [n for n in SCRIPTS if (args.fixtures / f"{n}.pdf").exists()]
    extractors: dict[str, Callable[[bytes], tuple[str, int]]] = {
        "ours": ours, "pypdf": plain_pypdf, "pdfium": plain_pdfium}
    has_pdftotext = shutil.which("pdftotext") is not None
    header = f"{'fixture':<12}{'script':<15}" + "".join(f"{k:>10}" for k in extractors)
    print(header + (f"{'pdftotext':>11}" if has_pdftotext else ""))
    totals: dict[str, dict[str, list[float]]] = {}
    for name in names:
        path = args.fixtures / f"{name}.pdf"
        data = path.read_bytes()
        expected = (args.fixtures / f"{name}.txt").read_text(encoding="utf-8")
        scores = {k: similarity(expected, f(data)[0]) for k, f in extractors.items()}
        if has_pdftotext:
            scores["pdftotext"] = similarity(expected, plain_pdftotext(path))
        for k, v in scores.items():
            totals.setdefault(SCRIPTS[name], {}).setdefault(k, []).append(v)
        print(f"{name:<12}{SCRIPTS[name]:<15}" + "".join(f"{v:>10.4f}" for v in scores.values()))
    print()
    print("mean similarity per script")
    for script, by_tool in totals.items():
        print(f"{'':<12}{script:<15}" + "".join(f"{sum(v) / len(v):>10.4f}" for v in by_tool.values()))
    print()
    corpus = [(args.fixtures / f"{n}.pdf").read_bytes() for n in names]
    print(f"pages per second per core (one process, {args.seconds:.0f} s each)")
    for k, f in extractors.items():
        print(f"{'':<12}{k:<15}{pages_per_second(f, corpus, args.seconds):>10.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
