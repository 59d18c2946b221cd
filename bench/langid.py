"""Accuracy and speed of language detection on the labeled set in bench/data/langid.tsv.

    python bench/langid.py            # table for archive.language, then for langdetect alone

Kinds: `sentence` and `verse` (target ≥ 99 %), `phrase` of 2–5 words (target ≥ 95 %), `embedded`
(an English, Persian or Arabic sentence with a phrase in another language: the block language must be
right and the phrase must come back as one foreign span with the right offsets and language, ≥ 95 %).
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "langid.tsv"
TARGETS = {"sentence": 0.99, "verse": 0.99, "phrase": 0.95, "embedded": 0.95}
MAIN_LANGS = ("en", "fa", "ps", "ur", "ar")


@dataclass(frozen=True)
class Item:
    lang: str
    kind: str
    note: str
    text: str
    span_lang: str
    span_text: str


def load(path: Path = DATA) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.replace("\\n", "\n") for c in line.split("\t")]
        cols += [""] * (6 - len(cols))
        items.append(Item(*cols[:6]))
    return items


Table = dict[tuple[str, str], list[bool]]


def evaluate(
    items: list[Item],
    classify: Callable[[str], str],
    spans: Callable[[str], tuple[str, list[tuple[int, int, str]]]],
) -> Table:
    """Right or wrong per item, grouped by (language, kind)."""
    table: Table = defaultdict(list)
    for item in items:
        if item.kind == "embedded":
            block_lang, found = spans(item.text)
            start = item.text.index(item.span_text)
            want = (start, start + len(item.span_text), item.span_lang)
            table[(item.span_lang, "embedded")].append(block_lang == item.lang and want in found)
        else:
            table[(item.lang, item.kind)].append(classify(item.text) == item.lang)
    return table


def archive_detector() -> tuple[Callable[[str], str], Callable[[str], tuple[str, list]]]:
    from archive.language import detect_language, detect_text
    from archive.record import Block

    def classify(text: str) -> str:
        return detect_text(text)[0]

    def spans(text: str) -> tuple[str, list[tuple[int, int, str]]]:
        block = Block(id="b1", type="paragraph", text=text)
        detect_language([block])
        found = [(s.start, s.end, s.lang or "") for s in block.spans if s.kind == "foreign"]
        return block.lang or "", found

    return classify, spans


def langdetect_detector() -> tuple[Callable[[str], str], Callable[[str], tuple[str, list]]]:
    """langdetect alone (seeded), with our script runs to find phrases in another script."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    from archive.scripts import main_script, script_groups, trim

    DetectorFactory.seed = 0

    def classify(text: str) -> str:
        try:
            return str(detect(text))
        except LangDetectException:
            return "und"

    def spans(text: str) -> tuple[str, list[tuple[int, int, str]]]:
        main = main_script(text)
        own = " ".join(text[s:e] for s, e, sc in script_groups(text) if sc == main)
        found = []
        for s, e, sc in script_groups(text):
            if sc != main:
                s, e = trim(text, s, e)
                found.append((s, e, classify(text[s:e])))
        return classify(own), found

    return classify, spans


def summary(table: Table) -> str:
    rows = [f"{'lang':<6} {'kind':<9} {'acc':>7} {'n':>4}  target"]
    total = right = 0
    for (lang, kind), results in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        acc = sum(results) / len(results)
        total += len(results)
        right += sum(results)
        target = TARGETS.get(kind) if lang in MAIN_LANGS else None
        mark = "" if target is None else (f"≥{target:.0%} ok" if acc >= target else f"≥{target:.0%} MISS")
        rows.append(f"{lang:<6} {kind:<9} {acc:>7.1%} {len(results):>4}  {mark}")
    rows.append(f"{'all':<6} {'':<9} {right / total:>7.1%} {total:>4}")
    return "\n".join(rows)


def misses(items: list[Item], classify: Callable[[str], str]) -> list[str]:
    return [
        f"  {item.lang}/{item.kind}: got {classify(item.text)!r} for {item.text!r}"
        for item in items
        if item.kind != "embedded" and classify(item.text) != item.lang
    ]


def _cold(*modules: object) -> None:
    """Empty every memo cache of the detector, so timings are for text it has not seen."""
    for module in modules:
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def timing(items: list[Item], rounds: int = 20) -> float:
    """Mean µs per segment with a cold cache each round (detect_text on every item). CPU time of this
    process, so a busy machine does not inflate the figure."""
    from archive import language, scripts

    texts = [i.text for i in items]
    best = float("inf")
    for _ in range(rounds):
        _cold(language, scripts)
        start = time.process_time()
        for text in texts:
            language.detect_text(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def timing_blocks(items: list[Item], rounds: int = 10) -> float:
    """Mean µs per block for `detect_language` on all items as one document (the pipeline's path:
    two passes, foreign spans, shares), cold caches."""
    from archive import language, scripts
    from archive.record import Block

    best = float("inf")
    for _ in range(rounds):
        blocks = [Block(id=f"b{n}", type="paragraph", text=i.text) for n, i in enumerate(items)]
        _cold(language, scripts)
        start = time.process_time()
        language.detect_language(blocks)
        best = min(best, time.process_time() - start)
    return best / len(items) * 1e6


def main(argv: list[str]) -> int:
    items = load()
    classify, spans = archive_detector()
    table = evaluate(items, classify, spans)
    us = timing(items)
    us_blocks = timing_blocks(items)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"archive.language on {DATA.name} ({len(items)} segments)")
    print(summary(table))
    print(f"{us:.1f} µs per segment with detect_text, {us_blocks:.1f} µs per block with detect_language "
          f"(CPU time, cold caches, best of several rounds), peak RSS {rss_mb:.1f} MB")
    if "-v" in argv:
        print("\n".join(misses(items, classify)))
    print()
    ld_classify, ld_spans = langdetect_detector()
    start = time.process_time()
    ld_table = evaluate(items, ld_classify, ld_spans)
    ld_us = (time.process_time() - start) / len(items) * 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("langdetect alone (DetectorFactory.seed = 0; script runs for embedded phrases)")
    print(summary(ld_table))
    print(f"{ld_us:.1f} µs per segment, peak RSS after loading langdetect {rss_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
