"""Batch throughput, memory and the cost of each stage, on a synthetic corpus (bench/corpus.py).

    python bench/batch.py                         # 2,000 documents generated into a temporary folder
    python bench/batch.py --n 500 --formats tei   # quicker; export TEI only
    python bench/batch.py --corpus DIR            # an existing folder (e.g. made by bench/corpus.py)
    python bench/batch.py --memory-scaling --scale-n 500    # only peak RSS at 500 and 5,000 documents
    python bench/batch.py --profile               # per-stage cProfile hotspots of a 1-worker ingest

Sections: the floor (read + sha256 + decode, nothing else), ingest at 1 worker and at every worker,
the time per pipeline stage, an incremental re-run of the unchanged corpus, each export, peak memory,
and pandoc's conversion of the same Markdown documents beside `archive build` where pandoc is
installed. Targets (issue 8): ingest of txt/md/html ≥ 500 documents per second per core; the whole
build on 2,000 mixed documents faster than pandoc's EPUB conversion alone; a re-run < 5 % of the first
run; peak memory at 10×N within 1.5× of N.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import multiprocessing
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from archive.batch import RunReport, run_exports, run_ingest  # noqa: E402
from archive.encoding import decode  # noqa: E402
from archive.exporters import available_formats, export  # noqa: E402
from archive.exporters.json_bundle import iter_records  # noqa: E402
from archive.pipeline import IngestOptions, ingest_path, iter_sources  # noqa: E402
from corpus import write_corpus  # noqa: E402

TEXT_FORMATS = ("txt", "md", "html")
STAGES = ("sniff", "read", "segment", "detect", "extract")


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def rate(label: str, docs: int, nbytes: int, seconds: float, extra: str = "") -> None:
    seconds = max(seconds, 1e-9)
    print(f"  {label:<40} {docs:6d} docs {seconds:8.2f} s {docs / seconds:9.1f} docs/s "
          f"{nbytes / 1e6 / seconds:7.2f} MB/s{extra}", flush=True)


def corpus_files(root: Path, formats: tuple[str, ...] | None = None) -> list[str]:
    files = list(iter_sources([root]))
    if formats is None:
        return files
    return [f for f in files if Path(f).suffix.lstrip(".") in formats]


def total_bytes(files: list[str]) -> int:
    return sum(os.path.getsize(f) for f in files)


def floor(files: list[str]) -> float:
    """What any ingest must do at least: read each file, hash it, and turn text files into str."""
    began = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        hashlib.sha256(data).hexdigest()
        if not path.endswith(".pdf"):
            decode(data)
    return time.perf_counter() - began


def pipeline_only(files: list[str]) -> float:
    """The per-file pipeline alone (sniff, read, segment, detect, extract), without the bundle or the
    catalog: what the code costs apart from storing its records."""
    options = IngestOptions()
    began = time.perf_counter()
    for path in files:
        ingest_path(path, options)
    return time.perf_counter() - began


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a new interpreter. The pipeline memoizes work on block texts (`lru_cache`),
    and a second run over the same files in one process would find most of it done: every timing that
    is compared with a target starts cold, as an archive's first run of a new folder does."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def timed_ingest(paths: list[str], out: Path, workers: int) -> tuple[RunReport, float]:
    report, wall, _ = timed_ingest_cpu(paths, out, workers)
    return report, wall


def timed_ingest_cpu(paths: list[str], out: Path, workers: int) -> tuple[RunReport, float, float]:
    """An ingest's report, wall seconds, and the CPU seconds of this (the writing) process: with
    workers, that process stores every record, so its share per document caps the speed-up."""
    shutil.rmtree(out, ignore_errors=True)
    began, cpu = time.perf_counter(), time.process_time()
    report = run_ingest(paths, out, workers=workers)
    return report, time.perf_counter() - began, time.process_time() - cpu


def print_failures(report: RunReport, limit: int = 5) -> None:
    if report.failures:
        print(f"  !! {len(report.failures)} failures, e.g.:")
        for failure in report.failures[:limit]:
            print(f"     {Path(failure['path']).name}: {failure['stage']}: {failure['reason'][:150]}")


def print_stages(report: RunReport, wall: float) -> None:
    stages = report.stage_seconds
    inside = sum(v for k, v in stages.items() if not k.startswith("export_"))
    for name in [*STAGES, *sorted(set(stages) - set(STAGES))]:
        if name in stages and not name.startswith("export_"):
            seconds = stages[name]
            print(f"  {name:<10} {seconds:8.2f} s  {100 * seconds / wall:5.1f} %  "
                  f"{1000 * seconds / max(report.files, 1):7.2f} ms/doc")
    other = wall - inside
    print(f"  {'other':<10} {other:8.2f} s  {100 * other / wall:5.1f} %  "
          f"(walk, catalog, bundle writes, report)")


def peak_rss() -> tuple[float, float]:
    """High-water RSS in MB of this process and of its largest finished child (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def load_records(bundle: Path) -> list[Any]:
    """The bundle's records through the library; if that fails on a record it wrote itself, the failure
    is printed (it is a bug to report) and the records are loaded with the missing keys filled in."""
    try:
        return list(iter_records(bundle))
    except (TypeError, KeyError) as error:
        print(f"  !! iter_records failed: {type(error).__name__}: {error}; loading with a tolerant reader")
    from archive.exporters.json_bundle import read_index
    from archive.record import Record

    records = []
    for entry in read_index(bundle):
        data = json.loads((bundle / "data" / "records" / f"{entry['id']}.json").read_text(encoding="utf-8"))
        for reference in data.get("metadata", {}).get("references", []):
            reference.setdefault("label", None)
        records.append(Record.from_dict(data))
    return records


def file_creation_ms(folder: Path, count: int = 500) -> float:
    """What creating, writing and renaming one small file costs on the file system of `folder`: every
    archived document makes two (its record and its original), so this bounds the store step."""
    scratch = folder / "fs-probe"
    scratch.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for n in range(count):
        part = scratch / f".{n}.part"
        part.write_bytes(b"x" * 4096)
        os.replace(part, scratch / f"{n}.json")
    seconds = time.perf_counter() - began
    shutil.rmtree(scratch)
    return 1000 * seconds / count


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- pandoc ----------------------------------------------------------------------------------------

def utf8_copies(files: list[str], into: Path) -> list[str]:
    """pandoc reads UTF-8 only; other encodings are transcoded beforehand, outside the timing."""
    into.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in files:
        target = into / Path(path).name
        target.write_text(decode(Path(path).read_bytes()).text, encoding="utf-8")
        copies.append(str(target))
    return copies


def run_pandoc(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(["pandoc", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def pandoc_section(root: Path, work: Path, workers: int, formats: list[str], build_seconds: float,
                   build_docs: int) -> None:
    heading("pandoc")
    if shutil.which("pandoc") is None:
        print("  pandoc is not installed; skipped (apt-get install -y pandoc)")
        return
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"  {version}")
    md = corpus_files(root, ("md",))
    html = corpus_files(root, ("html",))
    txt = corpus_files(root, ("txt",))
    md8, html8, txt8 = (utf8_copies(files, work / "pandoc-in" / name)
                        for name, files in (("md", md), ("html", html), ("txt", txt)))
    out = work / "pandoc-out"
    out.mkdir(exist_ok=True)
    md_epub = run_pandoc(["-f", "markdown", "-t", "epub3", "-o", str(out / "md.epub"), *md8])
    rate("pandoc md -> one epub3", len(md), total_bytes(md), md_epub)
    began = time.perf_counter()
    for path in md8:
        subprocess.run(["pandoc", "-s", "-f", "markdown", "-t", "tei", "-o", str(out / (Path(path).stem + ".xml")),
                        path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    md_tei = time.perf_counter() - began
    rate("pandoc md -> TEI, one call per file", len(md), total_bytes(md), md_tei)
    html_epub = run_pandoc(["-f", "html", "-t", "epub3", "-o", str(out / "html.epub"), *html8])
    rate("pandoc html -> one epub3", len(html), total_bytes(html), html_epub)
    txt_epub = run_pandoc(["-f", "markdown", "-t", "epub3", "-o", str(out / "txt.epub"), *txt8])
    rate("pandoc txt (as markdown) -> one epub3", len(txt), total_bytes(txt), txt_epub)
    all_epub = md_epub + html_epub + txt_epub
    text_docs = len(md) + len(html) + len(txt)
    rate("pandoc all txt/md/html -> epub3", text_docs, total_bytes(md + html + txt), all_epub)

    md_build = build(md, work / "build-md", workers, formats)
    rate(f"archive build md ({'+'.join(formats)})", len(md), total_bytes(md), md_build)
    print(f"  ratio archive build / pandoc epub, Markdown only: {md_build / md_epub:.2f}")
    print(f"  ratio archive build of all {build_docs} docs (pdf included) / pandoc epub of the "
          f"{text_docs} txt/md/html docs: {build_seconds / all_epub:.2f}  (target < 1)")


def build(paths: list[str], out: Path, workers: int, formats: list[str]) -> float:
    """`archive build`: ingest at `workers`, then every export streamed from the bundle, timed end to end."""
    shutil.rmtree(out, ignore_errors=True)
    began = time.perf_counter()
    report = run_ingest(paths, out, workers=workers)
    run_exports(out / "bundle", out, formats, report)
    return time.perf_counter() - began


# --- memory scaling --------------------------------------------------------------------------------

_CHILD = """
import json, resource, sys
sys.path.insert(0, {src!r})
from pathlib import Path
from archive.batch import run_exports, run_ingest
report = run_ingest([{corpus!r}], Path({out!r}), workers={workers})
ingest_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
run_exports(Path({out!r}) / "bundle", Path({out!r}), {formats!r}, report)
print(json.dumps({{"records": report.records, "failed": len(report.failures), "seconds": report.seconds,
    "self": ingest_peak, "build": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def memory_scaling(n: int, seed: int, workers: int, work: Path, formats: list[str]) -> None:
    """Peak RSS of a fresh process that ingests N documents then exports them (streamed from the
    bundle, as `archive build` does), against 10 N; the ingest peak is read before the exports."""
    heading(f"memory scaling ({n} vs {10 * n} documents, {workers} worker(s), fresh process each)")
    results = {}
    for count in (n, 10 * n):
        corpus = work / f"scale-{count}"
        write_corpus(corpus, count, seed)
        code = _CHILD.format(src=str(Path(__file__).resolve().parents[1] / "src"), corpus=str(corpus),
                             out=str(work / f"scale-out-{count}"), workers=workers, formats=formats)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results[count] = result
        print(f"  {count:6d} docs: {result['records']} records, {result['failed']} failed, "
              f"{result['seconds']:.1f} s, peak RSS main {result['self']:.0f} MB after ingest, "
              f"{result['build']:.0f} MB after the exports ({'+'.join(formats)}); "
              f"largest worker {result['children']:.0f} MB", flush=True)
        shutil.rmtree(work / f"scale-out-{count}", ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
    small, large = results[n], results[10 * n]
    for key, label in (("self", "main process, ingest"), ("build", "main process, ingest + exports"),
                       ("children", "largest worker")):
        if small[key] > 0:
            print(f"  {label}: {large[key] / small[key]:.2f}x  (target <= 1.5x)")


# --- per-stage profile -----------------------------------------------------------------------------

@contextmanager
def stage_profiles() -> Iterator[dict[str, cProfile.Profile]]:
    """One profiler per stage, switched on only while that stage's function runs in the pipeline."""
    from archive import pipeline

    profiles = {name: cProfile.Profile() for name in STAGES if name != "read"}

    def wrap(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            profiles.setdefault(stage, cProfile.Profile()).enable()
            try:
                return fn(*args, **kwargs)
            finally:
                profiles[stage].disable()
        return inner

    original_reader_for = pipeline.reader_for

    def reader_for(media_type: str) -> tuple[str, Callable[..., Any]]:
        name, reader = original_reader_for(media_type)
        return name, wrap(f"read {name}", reader)

    patched = {"sniff": wrap("sniff", pipeline.sniff), "reader_for": reader_for,
               "to_block": wrap("segment", pipeline.to_block), "mark_verse": wrap("segment", pipeline.mark_verse),
               "detect_language": wrap("detect", pipeline.detect_language),
               "normalize_for_language": wrap("detect", pipeline.normalize_for_language),
               "extract_metadata": wrap("extract", pipeline.extract_metadata)}
    saved = {name: getattr(pipeline, name) for name in patched}
    for name, fn in patched.items():
        setattr(pipeline, name, fn)
    try:
        yield profiles
    finally:
        for name, fn in saved.items():
            setattr(pipeline, name, fn)


def profile(files: list[str], work: Path, top: int) -> None:
    heading(f"profile: ingest of {len(files)} documents at 1 worker, hotspots per stage (tottime)")
    with stage_profiles() as profiles:
        report, wall = timed_ingest(files, work / "profile-out", 1)
    print(f"  {report.records} records in {wall:.2f} s (profiling overhead included)")
    order = [s for stage in STAGES for s in sorted(profiles) if s.split()[0] == stage]
    for stage in order:
        stats = pstats.Stats(profiles[stage])
        total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
        print(f"\n  -- {stage}: {total:.2f} s own time in profiled functions")
        rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
        for (filename, line, func), (_cc, calls, tottime, cumtime, _callers) in rows[:top]:
            where = _short(filename)
            print(f"    {tottime:7.2f} s own {cumtime:7.2f} s cum {calls:9d} calls  {where}:{line} {func}")


def profile_outside_stages(files: list[str], work: Path, top: int) -> None:
    """The batch's own cost (walk, catalog, bundle, report): a whole-run profile, pipeline stages left out."""
    heading("profile: the batch around the pipeline (cumulative)")
    profiler = cProfile.Profile()
    profiler.enable()
    timed_ingest(files, work / "profile-out-2", 1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    wanted = ("batch.py", "catalog.py", "json_bundle.py", "atomic.py", "fixity.py", "provenance.py",
              "record.py", "sqlite3", "json/", "bagit", "hashlib", "os.py", "shutil.py")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)  # type: ignore[attr-defined]
    shown = 0
    for (filename, line, func), (_cc, calls, tottime, cumtime, _callers) in rows:
        where = _short(filename)
        if func.startswith("<") and "method" not in func or not any(w in filename or w in func for w in wanted):
            continue
        print(f"    {tottime:7.2f} s own {cumtime:7.2f} s cum {calls:9d} calls  {where}:{line} {func}")
        shown += 1
        if shown >= 2 * top:
            break


def _short(filename: str) -> str:
    for marker in ("/src/archive/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- main ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="documents to generate (default 2000)")
    parser.add_argument("--corpus", type=Path, help="use this folder instead of generating a corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="the 'all workers' count")
    parser.add_argument("--formats", default=",".join(available_formats()),
                        help="export formats, comma-separated (default: every available one); the JSON "
                             "bundle is what ingest writes, so it is always measured")
    parser.add_argument("--no-pandoc", action="store_true", help="skip the pandoc comparison")
    parser.add_argument("--memory-scaling", action="store_true", help="only: peak RSS at --scale-n and 10x")
    parser.add_argument("--scale-n", type=int, default=2000, help="smaller size for --memory-scaling")
    parser.add_argument("--profile", action="store_true", help="only profile a 1-worker ingest per stage")
    parser.add_argument("--top", type=int, default=8, help="functions per stage in --profile")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the archives the runs write (default: the system's temporary "
                             "folder); e.g. /dev/shm to see the cost without the disk's")
    args = parser.parse_args(argv)
    # "json" names the bundle, which every ingest run writes and times; it is no separate export.
    formats = [f for f in args.formats.split(",") if f and f != "json"]
    unknown = sorted(set(formats) - set(available_formats()))
    if unknown:
        parser.error(f"unknown export format {', '.join(unknown)}; known: json, {', '.join(available_formats())}")

    with tempfile.TemporaryDirectory(prefix="archive-bench-", dir=args.work) as tmp:
        work = Path(tmp)
        root = args.corpus
        if root is None:
            root = work / "corpus"
            began = time.perf_counter()
            write_corpus(root, args.n, args.seed)
            generated = f" (generated, seed {args.seed}, in {time.perf_counter() - began:.1f} s)"
        else:
            generated = ""
        files = corpus_files(root)
        nbytes = total_bytes(files)
        heading("corpus")
        counts = {fmt: len(corpus_files(root, (fmt,))) for fmt in ("txt", "md", "html", "pdf")}
        print(f"  {root}{generated}: {len(files)} files, {nbytes / 1e6:.2f} MB; "
              + ", ".join(f"{k} {v}" for k, v in counts.items()))
        print(f"  python {sys.version.split()[0]}, {os.cpu_count()} CPUs; workers for 'all': {args.workers}")
        print(f"  archives written under {work}: creating one small file there costs "
              f"{file_creation_ms(work):.3f} ms (two per document)")

        if args.memory_scaling:
            memory_scaling(args.scale_n, args.seed, args.workers, work, formats)
            return 0
        if args.profile:
            profile(files, work, args.top)
            profile_outside_stages(files, work, args.top)
            return 0

        heading("floor (read + sha256 + decode, 1 process)")
        floor_seconds = floor(files)
        rate("floor", len(files), nbytes, floor_seconds)

        heading("ingest")
        first, first_wall = in_fresh_process(timed_ingest, [str(root)], work / "out-1", 1)
        rate("ingest, 1 worker", first.records, nbytes, first_wall, f"  ({len(first.failures)} failed)")
        print_failures(first)
        text_dirs = [str(root / fmt) for fmt in TEXT_FORMATS if (root / fmt).is_dir()]
        text_files = corpus_files(root, TEXT_FORMATS)
        if counts["pdf"] and text_dirs:
            text_report, text_wall = in_fresh_process(timed_ingest, text_dirs, work / "out-text", 1)
            rate("ingest txt/md/html only, 1 worker", text_report.records, total_bytes(text_files), text_wall,
                 "  (target >= 500 docs/s)")
            rate("  the same, pipeline alone (no store)", len(text_files), total_bytes(text_files),
                 in_fresh_process(pipeline_only, text_files))
            shutil.rmtree(work / "out-text", ignore_errors=True)
        # Its workers are new processes; this one only writes, so its caches do not matter.
        all_report, all_wall, writer_cpu = timed_ingest_cpu([str(root)], work / "out-all", args.workers)
        rate(f"ingest, {args.workers} workers", all_report.records, nbytes, all_wall,
             f"  speed-up {first_wall / all_wall:.2f}x")
        per_doc = writer_cpu / max(all_report.files, 1)
        print(f"  the writing process: {1000 * per_doc:.2f} ms CPU per document, so no number of workers "
              f"can pass {1 / max(per_doc, 1e-9):.0f} docs/s here")
        print(f"  ratio ingest (1 worker) / floor: {first_wall / floor_seconds:.1f}x")

        heading("stages (1-worker run, report.json stage_seconds)")
        print_stages(first, first_wall)

        heading("incremental re-run (unchanged corpus, 1 worker)")
        began = time.perf_counter()
        again = run_ingest([str(root)], work / "out-1", workers=1)
        rerun = time.perf_counter() - began
        print(f"  {rerun:.2f} s, {again.unchanged} unchanged, {again.records} re-archived: "
              f"{100 * rerun / first_wall:.1f} % of the first run (target < 5 %)")

        heading("exports (records of the bundle, loaded once)")
        began = time.perf_counter()
        records = load_records(work / "out-all" / "bundle")
        load = time.perf_counter() - began
        rate("load records from bundle", len(records), nbytes, load)
        export_seconds = 0.0
        for name in formats:
            began = time.perf_counter()
            written = export(name, records, work / "exports")
            seconds = time.perf_counter() - began
            export_seconds += seconds
            rate(f"export {name}", len(records), nbytes, seconds,
                 f"  ({len(written)} files, {dir_bytes(work / 'exports' / name) / 1e6:.1f} MB)")
        build_seconds = all_wall + load + export_seconds
        rate(f"build = ingest ({args.workers} workers) + exports", len(records), nbytes, build_seconds)
        del records

        heading("peak memory (RSS high-water mark)")
        own, children = peak_rss()
        print(f"  this process: {own:.0f} MB; largest worker process: {children:.0f} MB")

        if not args.no_pandoc:
            pandoc_section(root, work, args.workers, formats, build_seconds, len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
