"""Text from page images with Tesseract: scanned PDFs and photographed or scanned pages (PNG, JPEG, TIFF).

Tesseract runs as the `tesseract` command (Debian's `tesseract-ocr` with its `-fas`, `-ara`, `-urd`,
`-pus` and `-eng` models), given the image on standard input, so nothing but the engine itself is
needed. The model follows the script the page shows and the document's language: a page is read first
with the model of the language the rest of the document is in (Persian where nothing says otherwise for
Arabic script, since its model knows the letters Arabic lacks), then, if the words it gives are
plainly Arabic, Urdu or Pashto, again with that language's model. English is added to every
Arabic-script model, since such pages quote English names and terms.

Each paragraph Tesseract finds becomes a block typed as OCR text with the mean confidence of its words.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache

# The models for the archive's languages, by BCP 47 tag, and the Debian package of each.
MODELS = {"fa": "fas", "ar": "ara", "ur": "urd", "ps": "pus", "en": "eng"}
PACKAGES = ["tesseract-ocr", "tesseract-ocr-fas", "tesseract-ocr-ara", "tesseract-ocr-urd",
            "tesseract-ocr-pus", "tesseract-ocr-eng"]
INSTALL_HINT = "apt-get install " + " ".join(PACKAGES)
OCR_MODES = ("auto", "never", "always")
_ARABIC_SCRIPT = {"fa", "ar", "ur", "ps"}
_TIMEOUT_S = 60.0
# Words below this confidence (0-100) are Tesseract's guesses at specks and rules, not text.
_MIN_WORD_CONFIDENCE = 10


@dataclass
class OcrBlock:
    """One paragraph as Tesseract found it: its lines, and the mean confidence of its words (0-1)."""

    text: str
    confidence: float


@dataclass
class OcrPage:
    blocks: list[OcrBlock] = field(default_factory=list)
    model: str = ""
    language: str | None = None


class OcrUnavailable(RuntimeError):
    """Tesseract, or the model a page needs, is not installed; the message names what to install."""


@cache
def engine_version() -> str | None:
    """`tesseract 5.3.0`, or None when the command is not installed."""
    if shutil.which("tesseract") is None:
        return None
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (done.stdout or done.stderr).strip().split("\n", 1)[0]
    return first or None


@cache
def installed_models() -> frozenset[str]:
    if engine_version() is None:
        return frozenset()
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.split("\n")[1:] if line.strip())


def available() -> bool:
    return engine_version() is not None


def model_for(language: str | None) -> str:
    """The Tesseract model for a page in `language` (a BCP 47 tag or None), English added to the
    Arabic-script ones; Persian for Arabic script of unknown language."""
    base = (language or "").split("-", 1)[0].lower()
    if base == "en":
        return "eng"
    return f"{MODELS.get(base, 'fas')}+eng"


def recognise(image: bytes, language: str | None, detect: object = None) -> OcrPage:
    """OCR one image (any format Leptonica reads). `language` is what the rest of the document is in;
    `detect` (text -> BCP 47 tag) names the language of a first reading, so a page the first model
    read as another Arabic-script language is read again with that language's model."""
    model = model_for(language)
    page = _run(image, model)
    if callable(detect) and page.blocks:
        found = str(detect("\n".join(b.text for b in page.blocks)) or "").split("-", 1)[0]
        base = (language or "").split("-", 1)[0]
        if found != base and (found in _ARABIC_SCRIPT or (found == "en" and not language)):
            again = _run(image, model_for(found))
            if _mean(again) >= _mean(page) - 0.05:
                page = again
        page.language = found or None
    return page


def _mean(page: OcrPage) -> float:
    weights = [len(b.text) for b in page.blocks]
    return sum(b.confidence * w for b, w in zip(page.blocks, weights, strict=True)) / max(sum(weights), 1)


def _run(image: bytes, model: str) -> OcrPage:
    missing = [m for m in model.split("+") if m not in installed_models()]
    if not available():
        raise OcrUnavailable(f"OCR needs Tesseract, which is not installed ({INSTALL_HINT})")
    if missing:
        packages = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise OcrUnavailable(f"OCR model {'+'.join(missing)} is not installed (apt-get install {packages})")
    try:
        # One thread: a batch already runs a worker per core, and Tesseract's OpenMP threads on top of
        # them make every page slower, not faster.
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", model, "--psm", "3", "tsv"], input=image,
                              capture_output=True, timeout=_TIMEOUT_S, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as error:
        raise ValueError(f"Tesseract took longer than {_TIMEOUT_S:g} s on this image") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().split("\n")[-1][:200]
        raise ValueError(f"Tesseract could not read this image: {message or 'no reason given'}")
    return OcrPage(blocks=parse_tsv(done.stdout.decode("utf-8", "replace")), model=model)


def parse_tsv(tsv: str) -> list[OcrBlock]:
    """Tesseract's TSV (one row per word, numbered by block, paragraph and line) as paragraphs: lines
    joined by newlines, words by spaces, in the order Tesseract reads them."""
    paragraphs: dict[tuple[int, int, int], dict[int, list[tuple[str, float]]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            level, confidence = int(row["level"]), float(row["conf"])
            key = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]))
            line = int(row["line_num"])
        except (KeyError, TypeError, ValueError):
            continue
        if level != 5 or not text or confidence < _MIN_WORD_CONFIDENCE:
            continue
        paragraphs.setdefault(key, {}).setdefault(line, []).append((text, confidence))
    blocks: list[OcrBlock] = []
    for key in sorted(paragraphs):
        lines = [paragraphs[key][n] for n in sorted(paragraphs[key])]
        words = [w for line in lines for w in line]
        text = "\n".join(" ".join(word for word, _ in line) for line in lines)
        blocks.append(OcrBlock(text, round(sum(c for _, c in words) / len(words) / 100, 3)))
    return blocks
