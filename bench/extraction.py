"""Extraction accuracy on the synthetic corpus: the records scored against the outlines they were written from.

    python bench/extraction.py                      # 1,000 documents of seed 1, generated in a temporary folder
    python bench/extraction.py --corpus /tmp/corpus --seed 1 --misses 5

Every document of `bench/corpus.py` is written from an outline that depends only on (seed, index): its
title, the author's name, the date as written (calendar, year, month, day), its typed blocks with their
language, the phrases in another language inside English paragraphs, the source address, the
references and the boilerplate lines. This script ingests each document and checks the record against
its outline, so that a change to a reader, to detection or to extraction shows at once what it gained
or lost on thousands of documents in five languages, four formats and three encodings.

Checks, each a share of the cases it applies to:
- title, authors (the people of the byline, by name, in order), date (a published date in the
  outline's calendar, and its ISO day: solar-hijri days converted with jdatetime, lunar-hijri ones with
  hijridate), address (the article's own URL, in plain text,
  the one format that writes it out rather than only in links), references (each source URL among the
  references);
- abstract and keywords, where the article opens like a paper;
- block type and block language (the full tag: fa-AF in a Dari article), for each outlined block found
  in the record (heading, paragraph, quote, verse, list item), and blocks found at all;
- phrases: a foreign span over the phrase, in the outline's language;
- boilerplate: each boilerplate line is a block typed boilerplate.

PDFs are scored on title, author, date and address only: they carry Latin text alone, cut into lines.
Texts are compared after the search folding of the catalog (case, marks, yeh and kaf variants, digits),
which is lossy the same way for both sides: Windows-1256 cannot hold Persian yeh or hamza above.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from pathlib import Path

import jdatetime
from hijridate import Hijri

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from archive.normalize import fold_for_search  # noqa: E402
from archive.pipeline import IngestOptions, ingest_path  # noqa: E402
from archive.record import Block, Record  # noqa: E402
from corpus import Article, make_article, make_document, read_manifest, write_corpus  # noqa: E402

CHECKS = ("title", "authors", "date", "abstract", "keywords", "address", "references", "blocks found", "block type",
          "block language", "phrases", "boilerplate")
_BLOCK_TYPE = {"heading": "heading", "paragraph": "paragraph", "quote": "quote", "verse": "verse",
               "item": "list_item"}
_SPACES = re.compile(r"\s+")
_INDEX = re.compile(r"doc(\d+)\.")


def key(text: str) -> str:
    """What two texts must share to count as the same: folded, quotation marks and spaces aside."""
    return _SPACES.sub(" ", fold_for_search(text).replace("«", "").replace("»", "")).strip()


def expected_iso(article: Article) -> str:
    calendar, year, month, day = article.published
    if calendar == "solar-hijri":
        return jdatetime.date(year, month, day).togregorian().isoformat()
    if calendar == "lunar-hijri":
        return Hijri(year, month, day).to_gregorian().isoformat()
    return f"{year:04d}-{month:02d}-{day:02d}"


class Score:
    """Passes and cases per check and per (kind, format), and a few misses of each check to show."""

    def __init__(self, keep_misses: int) -> None:
        self.cases: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.passes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.misses: dict[str, list[str]] = defaultdict(list)
        self.keep_misses = keep_misses

    def check(self, group: tuple[str, str], name: str, ok: bool, miss: str) -> None:
        self.cases[group][name] += 1
        if ok:
            self.passes[group][name] += 1
        elif len(self.misses[name]) < self.keep_misses:
            self.misses[name].append(miss)

    def share(self, name: str, groups: Iterable[tuple[str, str]]) -> tuple[int, int]:
        groups = list(groups)
        return sum(self.passes[g][name] for g in groups), sum(self.cases[g][name] for g in groups)


def score_record(record: Record, article: Article, fmt: str, name: str, score: Score) -> None:
    group = (article.kind, fmt)
    meta = record.metadata
    check = score.check
    check(group, "title", key(meta.title or "") == key(article.title), f"{name}: {meta.title!r}")
    people = [key(p.name) for p in meta.authors]
    check(group, "authors", people == [key(n) for n in article.authors],
          f"{name}: {[p.name for p in meta.authors]!r}, wanted {article.authors!r}")
    published = [d for d in meta.dates if d.role == "published"]
    want = (article.published[0], expected_iso(article))
    check(group, "date", [(d.calendar, d.iso) for d in published[:1]] == [want],
          f"{name}: {[(d.calendar, d.iso, d.original) for d in meta.dates]!r}, wanted {want}")
    if article.abstract:
        check(group, "abstract", key(meta.abstract or "") == key(article.abstract),
              f"{name}: {(meta.abstract or '')[:60]!r}")
    if article.keywords:
        check(group, "keywords", [key(k) for k in meta.keywords] == [key(k) for k in article.keywords],
              f"{name}: {meta.keywords!r}, wanted {article.keywords!r}")
    if fmt == "txt":  # the one format the address is written out in, not only in links
        check(group, "address", article.url in meta.urls, f"{name}: {article.url} not in {meta.urls!r}")
    if fmt == "pdf":
        return
    cited = {url for ref in meta.references for url in ref.urls}
    for url in article.sources:
        check(group, "references", url in cited, f"{name}: {url} not among the references")
    # Blocks by text, in the record's order: a sentence can recur (a one-sentence paragraph and a
    # list item drawn from the same pool), and each outlined block takes the next one unused.
    by_text: dict[str, deque[Block]] = defaultdict(deque)
    for block in record.blocks:
        by_text[key(block.text)].append(block)
    for index, (kind, lang, text) in enumerate(article.blocks):
        same = by_text.get(key(text))
        block = same.popleft() if same else None
        check(group, "blocks found", block is not None, f"{name}: no block {text[:60]!r}")
        if block is None:
            continue
        check(group, "block type", block.type == _BLOCK_TYPE[kind],
              f"{name}: {kind} read as {block.type}: {text[:50]!r}")
        want = article.tag if lang == article.kind else lang  # fa-AF where the article is Dari
        check(group, "block language", block.lang == want,
              f"{name}: {want} {kind} tagged {block.lang} ({block.evidence}): {text[:50]!r}")
        for phrase_block, phrase, phrase_lang in article.phrases:
            if phrase_block != index:
                continue
            spans = [s for s in block.spans if s.kind == "foreign" and key(block.text[s.start:s.end]) == key(phrase)]
            check(group, "phrases", any((s.lang or "").split("-")[0] == phrase_lang for s in spans),
                  f"{name}: {phrase_lang} {phrase!r} as {[(s.lang, s.evidence) for s in spans]!r}")
    for line in article.boilerplate:
        same = by_text.get(key(line))
        block = same.popleft() if same else None
        check(group, "boilerplate", block is not None and block.type == "boilerplate",
              f"{name}: {line!r} read as {block.type if block else 'nothing'}")


def run(root: Path, seed: int, limit: int | None, keep_misses: int) -> tuple[Score, int, list[str], float]:
    rows = read_manifest(root)[:limit]
    first = rows[0]
    index = int(_INDEX.search(first["name"]).group(1))  # type: ignore[union-attr]
    if len(make_document(index, seed).data) != int(first["bytes"]):
        raise SystemExit(f"{root} was not written by this bench/corpus.py with seed {seed}: pass the seed it was "
                         "given, or write the corpus again")
    score = Score(keep_misses)
    failures: list[str] = []
    options = IngestOptions()
    began = time.process_time()
    for row in rows:
        outcome = ingest_path(str(root / row["name"]), options)
        if outcome.record is None:
            failures.append(f"{row['name']}: {outcome.error}")
            continue
        index = int(_INDEX.search(row["name"]).group(1))  # type: ignore[union-attr]
        score_record(outcome.record, make_article(index, seed), row["format"], row["name"], score)
    return score, len(rows), failures, time.process_time() - began


def report(score: Score, documents: int, failures: list[str], seconds: float) -> None:
    groups = sorted(score.cases)
    kinds = sorted({kind for kind, _fmt in groups})
    formats = sorted({fmt for _kind, fmt in groups})
    print(f"{documents} documents, {len(failures)} failed, {seconds:.1f} s of CPU")
    header = f"{'check':16s}" + "".join(f"{k:>9s}" for k in kinds) + "".join(f"{f:>9s}" for f in formats)
    print(header + f"{'all':>9s}  cases")
    for name in CHECKS:
        cells = []
        for column in [*((k, None) for k in kinds), *((None, f) for f in formats), (None, None)]:
            chosen = [g for g in groups if column[0] in (None, g[0]) and column[1] in (None, g[1])]
            ok, n = score.share(name, chosen)
            cells.append(f"{100 * ok / n:8.1f}%" if n else f"{'-':>9s}")
        print(f"{name:16s}" + "".join(cells) + f"  {score.share(name, groups)[1]}")
    for line in failures[:10]:
        print(f"failed: {line}")
    for name in CHECKS:
        for miss in score.misses.get(name, []):
            print(f"miss {name}: {miss}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a corpus bench/corpus.py wrote (default: write one)")
    parser.add_argument("--seed", type=int, default=1, help="the seed the corpus was (or is to be) written with")
    parser.add_argument("--n", type=int, default=1000, help="documents to write when no --corpus is given")
    parser.add_argument("--limit", type=int, help="score only the first LIMIT documents of the manifest")
    parser.add_argument("--misses", type=int, default=3, help="misses to show per check (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-extraction-") as tmp:
        root = args.corpus
        if root is None:
            root = Path(tmp) / "corpus"
            write_corpus(root, args.n, args.seed)
        score, documents, failures, seconds = run(root, args.seed, args.limit, args.misses)
    report(score, documents, failures, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
