"""Real web pages: main text and publication dates, ours beside the common extractors in one run.

    python bench/webpages.py                       # both sets, every tool that is installed
    python bench/webpages.py --set articles --limit 40 --tools archive,trafilatura --worst 10
    python bench/webpages.py --set dates --tools archive,htmldate

Sets (read in place from `../shared/real/html/`, scored as `../shared/real/README.md` says):
- `articles`: 181 pages of the article-extraction benchmark with their annotated article body. Both
  texts are cut into `\\w+` tokens and 4-token shingles (a multiset); precision and recall are computed
  per page on the normalized counts and averaged over the pages (precision over pages that extracted
  something, recall over pages whose gold has text); F1 is the harmonic mean of the two averages;
  accuracy is the share of pages whose token sequence equals the gold's. Our extraction is the record's
  main text: the text of every block not typed `boilerplate`, joined by newlines. "found" is the recall
  of the whole record (boilerplate included): text kept but typed as chrome still counts there.
- `dates`: 200 news pages with the day they were first published. One date per page: the first
  `published` date of the record's metadata, cut to 10 characters ("any role" falls back to the first
  date of any role). Exact match is a true positive, another date a false positive, no date a miss.

Each page goes through `archive`'s normal ingest of its bytes (`ingest_bytes`, file name `<id>.html`),
exactly as a saved page would be archived: the record knows the page's address only from what the page
itself declares (canonical link, og:url). The gold URL is never given to our reader; htmldate is run
both without it (as we are) and with it (as its own evaluation does).

Time per page is CPU time of this one process: for us the whole ingest (sniff, decode, read, segment,
language, metadata) and the HTML reader alone; for the others their one call.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import IngestError
from archive.pipeline import ingest_bytes
from archive.readers.base import ReadOptions
from archive.readers.html import read_html
from archive.record import Record

ROOT = Path(__file__).resolve().parent.parent

def _real() -> Path:
    """`../shared/real/html` beside the checkout (a worktree may sit one folder deeper), or $ARCHIVE_SHARED."""
    named = os.environ.get("ARCHIVE_SHARED")
    places = [Path(named)] if named else [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    for place in places:
        if (place / "real" / "html").is_dir():
            return place / "real" / "html"
    return places[0] / "real" / "html"


REAL = _real()
ARTICLE_TOOLS = ("archive", "trafilatura", "readability", "justext")
DATE_TOOLS = ("archive", "trafilatura", "htmldate", "htmldate+url")
_TOKEN = re.compile(r"\w+")


# ---------------------------------------------------------------- scoring


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Overlapping n-token shingles of the text, counted; a shorter text is one shorter shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match_counts(gold: str, got: str) -> tuple[float, float, float]:
    """True positives, false positives and false negatives of the shingles, normalized to sum to 1."""
    want, have = shingles(gold), shingles(got)
    tp = fp = fn = 0
    for key in want.keys() | have.keys():
        a, b = want.get(key, 0), have.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_of(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall_of(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def summary(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Averaged precision and recall over the pages, and F1 of the two averages."""
    precisions = [precision_of(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_of(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ---------------------------------------------------------------- tools


def main_text(record: Record) -> str:
    return "\n".join(b.text for b in record.blocks if b.type != "boilerplate")


def all_text(record: Record) -> str:
    return "\n".join(b.text for b in record.blocks)


def archive_date(record: Record, any_role: bool = False) -> str | None:
    dates = record.metadata.dates
    for d in dates:
        if d.role == "published" and d.iso:
            return d.iso[:10]
    if any_role:
        for d in dates:
            if d.iso:
                return d.iso[:10]
    return None


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def readability_text(html: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary_html = Document(html).summary(html_partial=True)
    return "\n".join(t.strip() for t in lxml_html.fromstring(summary_html).itertext() if t.strip())


def justext_text(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_date(html: str) -> str | None:
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    return (meta.date or None) if meta is not None else None


def htmldate_date(html: str, url: str | None = None) -> str | None:
    from htmldate import find_date

    return find_date(html, url=url, extensive_search=True, original_date=True) or None


def installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


_MODULE = {"trafilatura": "trafilatura", "readability": "readability", "justext": "justext",
           "htmldate": "htmldate", "htmldate+url": "htmldate"}


# ---------------------------------------------------------------- runs


@dataclass
class Tally:
    seconds: float = 0.0
    counts: list[tuple[float, float, float]] = field(default_factory=list)
    exact: int = 0
    pages: dict[str, tuple[float, float]] = field(default_factory=dict)  # page -> (precision, recall)


def ingest_or_none(data: bytes, name: str) -> Record | None:
    """The page's record, or None where the archive refuses it (a page with no text is a failure of
    that file): such a page scores as an empty extraction, as another tool's failure does."""
    try:
        return ingest_bytes(data, name)
    except IngestError:
        return None


def timed(function: Callable[..., object], *args: object) -> tuple[object, float]:
    start = time.process_time()
    value = function(*args)
    return value, time.process_time() - start


def load(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def run_articles(tools: list[str], limit: int | None, worst: int) -> None:
    folder = REAL / "articles"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    tallies = {tool: Tally() for tool in tools}
    found = Tally()
    reader = Tally()
    for page in ids:
        data = load(folder / "html" / f"{page}.html.gz")
        html = data.decode("utf-8", errors="replace")
        want = gold[page].get("articleBody", "")
        for tool in tools:
            if tool == "archive":
                record, seconds = timed(ingest_or_none, data, f"{page}.html")
                assert record is None or isinstance(record, Record)
                got = main_text(record) if record else ""
                found.counts.append(match_counts(want, all_text(record) if record else ""))
                _, reader_seconds = timed(read_html, data, ReadOptions(filename=f"{page}.html"))
                reader.seconds += reader_seconds
            else:
                function = {"trafilatura": trafilatura_text, "readability": readability_text,
                            "justext": justext_text}[tool]
                try:
                    value, seconds = timed(function, html)
                except Exception:  # another tool's failure on a page is an empty extraction
                    value, seconds = "", 0.0
                got = str(value)
            tally = tallies[tool]
            tally.seconds += seconds
            counts = match_counts(want, got)
            tally.counts.append(counts)
            tally.exact += _TOKEN.findall(want) == _TOKEN.findall(got)
            tally.pages[page] = (precision_of(*counts), recall_of(*counts))
    n = len(ids)
    print(f"\narticles: {n} pages (../shared/real/html/articles)")
    print(f"{'tool':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>9} {'ms/page':>8}")
    for tool in tools:
        tally = tallies[tool]
        p, r, f1 = summary(tally.counts)
        print(f"{tool:<14} {p:9.3f} {r:7.3f} {f1:6.3f} {tally.exact / n:9.3f} {1000 * tally.seconds / n:8.1f}")
    if "archive" in tools:
        _, r_all, _ = summary(found.counts)
        print(f"archive: gold text found anywhere in the record (recall of all blocks): {r_all:.3f}")
        print(f"archive: HTML reader alone {1000 * reader.seconds / n:.1f} ms/page")
        ours = tallies["archive"].pages
        if "trafilatura" in tools:
            theirs = tallies["trafilatura"].pages
            lost = [p for p in ids if ours[p][1] < 0.5 and theirs[p][1] > 0.9]
            print(f"pages with our recall < 0.5 where trafilatura's > 0.9: {len(lost)}")
            for page in lost:
                print(f"  {page[:16]}  ours P={ours[page][0]:.2f} R={ours[page][1]:.2f}  "
                      f"trafilatura R={theirs[page][1]:.2f}  {gold[page]['url'][:70]}")
        if worst:
            print(f"worst {worst} pages by our F1:")
            scored = sorted(ids, key=lambda p: _f1(*ours[p]))
            for page in scored[:worst]:
                other = ""
                if "trafilatura" in tools:
                    tp, tr = tallies["trafilatura"].pages[page]
                    other = f"  trafilatura P={tp:.2f} R={tr:.2f}"
                print(f"  {page[:16]}  ours P={ours[page][0]:.2f} R={ours[page][1]:.2f}{other}  "
                      f"{gold[page]['url'][:70]}")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def run_dates(tools: list[str], limit: int | None, worst: int) -> None:
    folder = REAL / "dates"
    gold = json.loads((folder / "dates.json").read_text(encoding="utf-8"))
    names = sorted(gold)[:limit] if limit else sorted(gold)
    columns = [*tools, *(["archive (any role)"] if "archive" in tools else [])]
    got: dict[str, dict[str, str | None]] = {tool: {} for tool in columns}
    seconds: Counter[str] = Counter()
    for name in names:
        data = load(folder / "pages" / f"{name}.gz")
        html = data.decode("utf-8", errors="replace")
        for tool in tools:
            if tool == "archive":
                record, spent = timed(ingest_or_none, data, name)
                assert record is None or isinstance(record, Record)
                got[tool][name] = archive_date(record) if record else None
                got["archive (any role)"][name] = archive_date(record, any_role=True) if record else None
            else:
                url = gold[name]["url"] if tool == "htmldate+url" else None
                finder: Callable[..., str | None] = trafilatura_date if tool == "trafilatura" else htmldate_date
                args = (html,) if tool == "trafilatura" else (html, url)
                try:
                    value, spent = timed(finder, *args)
                except Exception:  # another tool's failure on a page is a miss
                    value, spent = None, 0.0
                got[tool][name] = str(value)[:10] if value else None
            seconds[tool] += spent
    n = len(names)
    print(f"\ndates: {n} pages (../shared/real/html/dates)")
    print(f"{'tool':<20} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>9} {'ms/page':>8}")
    for tool in columns:
        tp = sum(1 for name in names if got[tool][name] and got[tool][name] == gold[name]["date"])
        fp = sum(1 for name in names if got[tool][name] and got[tool][name] != gold[name]["date"])
        fn = sum(1 for name in names if not got[tool][name])
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        ms = 1000 * seconds[tool] / n if tool in seconds else float("nan")
        print(f"{tool:<20} {p:9.3f} {r:7.3f} {f1:6.3f} {tp / n:9.3f} {ms:8.1f}")
    if "archive" in tools and worst:
        wrong = [name for name in names if got["archive"][name] != gold[name]["date"]]
        print(f"archive wrong or missing: {len(wrong)}")
        for name in wrong[:worst]:
            other = f"  htmldate={got['htmldate'][name]}" if "htmldate" in tools else ""
            print(f"  {name:<22} gold={gold[name]['date']} ours={got['archive'][name]}{other}  "
                  f"{gold[name]['url'][:60]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("articles", "dates", "both"), default="both")
    parser.add_argument("--tools", default="", help="comma-separated; default: archive and every installed tool")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    parser.add_argument("--worst", type=int, default=15, help="list this many of our worst pages")
    args = parser.parse_args(argv)
    if not REAL.exists():
        print(f"no development pages at {REAL}", file=sys.stderr)
        return 2
    wanted = [t for t in args.tools.split(",") if t] if args.tools else None

    def pick(available: tuple[str, ...]) -> list[str]:
        chosen = [t for t in available if wanted is None or t in wanted]
        return [t for t in chosen if t == "archive" or installed(_MODULE[t])]

    if args.set in ("articles", "both"):
        run_articles(pick(ARTICLE_TOOLS), args.limit, args.worst)
    if args.set in ("dates", "both"):
        run_dates(pick(DATE_TOOLS), args.limit, args.worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
