"""Right-to-left words of real PDFs against pdftotext's, as shared/real/README.md scores them.

    python bench/pdf_real.py [--dir ../shared/real/pdf] [--limit SECONDS]

Each PDF of the folder is ingested on its own (the whole pipeline, so language and direction are the
record's). The Arabic-script and Hebrew words of the record's blocks and of `pdftotext/<name>.txt` are
taken after NFKC, with harakat, tatweel, joiners and direction marks removed, words of two letters or
more. Printed per file: how many of the record's words are pdftotext words (as multisets), how many
are only the reverse of one, how many are neither; how many pdftotext words the record has; the
presentation-form characters left in the record (should be 0); the language and direction of every
block holding right-to-left letters; which reader read each page; the record's warnings.
pdftotext is a rough reference (it is wrong itself in places, see the README), so "neither" words are
listed for a person to judge.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from types import FrameType

from archive.pipeline import ingest_bytes
from archive.record import Record

ROOT = Path(__file__).resolve().parent.parent
# shared/ lies beside the checkout (../shared), or beside the folder of worktrees.
DEFAULT_DIR = next((p / "shared" / "real" / "pdf" for p in ROOT.parents if (p / "shared" / "real" / "pdf").is_dir()),
                   ROOT.parent / "shared" / "real" / "pdf")

# Harakat and Quranic marks, superscript alef, tatweel, joiners, direction marks and controls.
_STRIP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0591-\u05c7\u0640"
                    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_RTL_LETTER = "\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
_WORD = re.compile(f"[{_RTL_LETTER}]+")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


def rtl_words(text: str) -> list[str]:
    """Arabic-script and Hebrew words of two letters or more, compared the README's way."""
    plain = _STRIP.sub("", unicodedata.normalize("NFKC", text))
    words = []
    for word in _WORD.findall(plain):
        letters = [ch for ch in word if unicodedata.category(ch).startswith("L")]
        if len(letters) >= 2:
            words.append("".join(letters))
    return words


def has_rtl(text: str) -> bool:
    return _WORD.search(text) is not None


def score(record_text: str, reference_text: str) -> dict[str, object]:
    ours = Counter(rtl_words(record_text))
    theirs = Counter(rtl_words(reference_text))
    matched = ours & theirs
    reversed_only = Counter({w: n for w, n in (ours - matched).items() if w[::-1] in theirs and w[::-1] != w})
    rest = ours - matched - reversed_only
    return {
        "words": sum(ours.values()),
        "pdftotext_words": sum(theirs.values()),
        "matched": sum(matched.values()),
        "reversed_only": sum(reversed_only.values()),
        "neither": sorted(rest.elements()),
        "presentation_forms": len(_PRESENTATION.findall(record_text)),
    }


class _Expired(Exception):
    pass


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Expired


def ingest(path: Path, limit: float) -> tuple[Record | None, str, float]:
    signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        return ingest_bytes(path.read_bytes(), str(path)), "", time.perf_counter() - started
    except _Expired:
        return None, f"over the {limit:g} s limit", time.perf_counter() - started
    except Exception as error:  # the benchmark reports every failure the same way
        return None, f"{type(error).__name__}: {error}", time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=float, default=300.0)
    args = parser.parse_args()
    if not args.dir.is_dir():
        sys.exit(f"no folder {args.dir}")
    totals: Counter[str] = Counter()
    failures = 0
    paths = sorted(args.dir.glob("*.pdf"))
    for path in paths:
        record, error, seconds = ingest(path, args.limit)
        print(f"== {path.name}  ({seconds:.2f} s)")
        if record is None:
            failures += 1
            print(f"   FAILED: {error}")
            continue
        reference = (args.dir / "pdftotext" / f"{path.stem}.txt").read_text(encoding="utf-8")
        text = "\n".join(b.text for b in record.blocks)
        figures = score(text, reference)
        neither = figures.pop("neither")
        assert isinstance(neither, list)
        for key in ("words", "pdftotext_words", "matched", "reversed_only", "presentation_forms"):
            value = figures[key]
            assert isinstance(value, int)
            totals[key] += value
        totals["neither"] += len(neither)
        print("   record words {words}, of them pdftotext words {matched}, only reversed {reversed_only}, "
              "neither {n}; pdftotext words {pdftotext_words}; presentation forms left {presentation_forms}"
              .format(n=len(neither), **figures))
        if neither:
            print("   neither: " + " ".join(neither[:40]) + (" …" if len(neither) > 40 else ""))
        rtl_blocks = Counter((b.lang, b.dir) for b in record.blocks if has_rtl(b.text))
        print("   right-to-left blocks (lang, dir): "
              + (", ".join(f"{lang}/{d} ×{n}" for (lang, d), n in sorted(rtl_blocks.items(), key=str)) or "none"))
        print(f"   main language {record.main_language}; languages "
              + ", ".join(f"{lang.tag} {lang.share:.2f}" for lang in record.languages))
        readers = record.source.info.get("page_readers")
        if readers:
            print(f"   pages read by: {readers}")
        for warning in record.warnings:
            print(f"   warning: {warning}")
    print()
    print(f"files {len(paths)}, failed {failures}")
    words = totals["words"]
    if words:
        print(f"record words {words}: pdftotext words {totals['matched']} ({totals['matched'] / words:.1%}), "
              f"only reversed {totals['reversed_only']} ({totals['reversed_only'] / words:.1%}), "
              f"neither {totals['neither']} ({totals['neither'] / words:.1%})")
    if totals["pdftotext_words"]:
        print(f"pdftotext words found in the record: {totals['matched']} of {totals['pdftotext_words']} "
              f"({totals['matched'] / totals['pdftotext_words']:.1%})")
    print(f"presentation forms left: {totals['presentation_forms']}")


if __name__ == "__main__":
    main()
