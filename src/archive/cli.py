"""The `archive` command. Thin: it parses arguments, calls the library and reports; no logic lives here."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .atomic import FolderInUse, folder_lock
from .batch import Prepared, RunReport, failure_lines, run_exports, run_ingest, skipped_lines, write_report
from .errors import IngestError, display_path, fault_from, is_run_fault, name_bytes
from .exporters import EXPORTERS, ExportOptions, available_formats
from .pipeline import IngestOptions
from .record import Record

# Exit codes: 0 all archived; 1 some files or exports failed (the rest completed); 2 usage error (found
# before anything was created); 3 the run could not finish (a full disk, a read-only or busy output
# folder, an unreachable cluster): what was done is kept, and the same command resumes it.
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_FAULT = 3

# soft_wrap: a line is never cut at the console's width, so a long path in a message stays whole
# whether stderr is a terminal, a file or a pipe.
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _workers_default() -> int:
    return os.cpu_count() or 1


def input_options(f):  # type: ignore[no-untyped-def]
    """Options shared by `ingest` and `build`, grouped as Input / Processing / Output in --help."""
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str)),
        click.option("--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path),
                     help="[Output] Archive folder: the bundle goes to OUT/bundle, the report to OUT/report.json."),
        click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
                     help="[Processing] Worker processes (default: every core)."),
        click.option("--max-size", "max_bytes", type=click.IntRange(min=1), default=200 * 1024 * 1024,
                     show_default=True, help="[Processing] Largest file to read, in bytes; larger files fail cleanly."),
        click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=120.0, show_default=True,
                     help="[Processing] Seconds allowed per file (0: no limit); slower files fail cleanly."),
        click.option("--executor", default="local", show_default=True,
                     help="[Processing] local (process pool), dask-local (a Dask cluster on this machine) "
                          "or dask://HOST:PORT (an existing Dask cluster; needs the dask extra)."),
        click.option("--password", default=None, help="[Input] Password for encrypted PDFs."),
        click.option("--ocr", type=click.Choice(["auto", "never", "always"]), default="auto", show_default=True,
                     help="[Processing] OCR of scans and image-only PDF pages with Tesseract: auto (when it is "
                          "installed), never, or always (every PDF page, its text layer aside)."),
        click.option("--follow-symlinks", is_flag=True,
                     help="[Input] Follow links to folders and to files outside the input folders "
                          "(by default they are skipped and listed)."),
        click.option("--quiet", "-q", is_flag=True, help="[Output] No progress bar and no summary; errors only."),
        click.option("--log", "log_format", type=click.Choice(["text", "jsonl"]), default="text",
                     show_default=True, help="[Output] jsonl: one JSON line per file on stdout, for scripts."),
    ]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive")
def cli() -> None:
    """Turn folders of multilingual sources (txt, md, html, pdf, docx, epub, TEI) into a trustworthy archive.

    Each source becomes a record: its original bytes with a SHA-256, normalized text as typed blocks
    (headings, paragraphs, verse, quotations, lists, notes, references, boilerplate) tagged with
    language, script and direction, extracted metadata, and the provenance of every step.

    \b
    Typical use:
      archive build seeds --out exports        # bundle + TEI + EPUB
      archive search "Haqqani network" --archive exports
      archive show exports/bundle/data/records/<id>.json
      archive verify exports/bundle
    """


@cli.command()
@input_options
def ingest(paths: tuple[str, ...], out_dir: Path, workers: int | None, max_bytes: int, timeout_s: float,
           executor: str, password: str | None, ocr: str, follow_symlinks: bool, quiet: bool, log_format: str) -> None:
    """Archive PATHS (files or folders, recursively) as records in a BagIt JSON bundle.

    Writes OUT/bundle (records, originals, index.json, manifests) and OUT/report.json. Exits 0 only
    when every file was archived; 1, listing each failed file and its reason, when some failed; 2 for a
    usage error; 3 when the run could not finish (disk full, read-only or busy output folder).
    """
    _check_usage(out_dir, executor)
    options = IngestOptions(max_bytes=max_bytes, password=password, timeout_s=timeout_s, ocr=ocr)
    report = _ingest(paths, out_dir, workers, options, executor, quiet, log_format, follow_symlinks)
    _finish(report, quiet)


@cli.command()
@input_options
@click.option("--format", "formats", multiple=True, type=click.Choice(sorted(EXPORTERS)),
              help="[Output] Export formats (repeatable; default: every format available).")
@click.option("--title", default=None, help="[Output] Title of the EPUB reading pack.")
def build(paths: tuple[str, ...], out_dir: Path, workers: int | None, max_bytes: int, timeout_s: float,
          executor: str, password: str | None, ocr: str, follow_symlinks: bool, quiet: bool, log_format: str,
          formats: tuple[str, ...], title: str | None) -> None:
    """Archive PATHS and export every record: JSON bundle, TEI P5 (OUT/tei) and EPUB 3 (OUT/epub).
    Exit statuses as for `ingest`."""
    _check_usage(out_dir, executor)
    options = IngestOptions(max_bytes=max_bytes, password=password, timeout_s=timeout_s, ocr=ocr)
    with _holding(out_dir):  # one hold for both halves: no other run can slip in between them
        report = _ingest(paths, out_dir, workers, options, executor, quiet, log_format, follow_symlinks)
        if report.fault is None:
            chosen = list(formats) or available_formats()
            run_exports(out_dir / "bundle", out_dir, chosen, report, ExportOptions(title=title))
            try:
                write_report(out_dir, report)
            except OSError as error:
                report.fault = str(fault_from(error, "writing report.json"))
    _finish(report, quiet)


@cli.command(name="export")
@click.option("--format", "fmt", required=True, type=click.Choice(sorted(EXPORTERS)), help="Export format.")
@click.option("--from", "bundle", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A bundle made by `archive ingest` (OUT/bundle).")
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Output folder; files go to OUT/<format>/.")
@click.option("--title", default=None, help="EPUB: title of the reading pack.")
@click.option("--one-per-record", is_flag=True, help="EPUB: one file per record instead of one pack.")
@click.option("--include-boilerplate", is_flag=True, help="EPUB: add boilerplate blocks in an appendix.")
@click.option("--font", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="EPUB: embed this font file (TTF, OTF, WOFF) for Arabic-script text.")
@click.option("--lang", "langs", multiple=True, help="Only records whose languages include this tag (repeatable).")
@click.option("--since", default=None, help="Only records published on or after this ISO date.")
@click.option("--until", default=None, help="Only records published on or before this ISO date.")
@click.option("--grep", "term", default=None, help="Only records whose title or text contains this term.")
def export_command(fmt: str, bundle: Path, out_dir: Path, title: str | None, one_per_record: bool,
                   include_boilerplate: bool, font: Path | None, langs: tuple[str, ...], since: str | None,
                   until: str | None, term: str | None) -> None:
    """Export the records of a bundle as TEI P5 or EPUB 3, optionally a selection of them."""
    from .exporters.json_bundle import iter_records
    from .select import iter_selected

    # Records stream from the bundle through the selection into the writer, one at a time.
    chosen = iter_selected(iter_records(bundle), langs=list(langs) or None, since=since, until=until, term=term)
    first = next(chosen, None)
    if first is None:
        err.print("[red]No record matches the selection.[/red]")
        sys.exit(EXIT_PARTIAL)
    count = 0

    def counted() -> Iterator[Record]:
        nonlocal count
        for record in itertools.chain([first], chosen):
            count += 1
            yield record

    options = ExportOptions(title=title, one_per_record=one_per_record,
                            include_boilerplate=include_boilerplate, font=font)
    from .exporters import export
    from .fixity import write_export_manifest

    with _holding(out_dir):
        try:
            written = export(fmt, counted(), out_dir, options)
            write_export_manifest(out_dir)  # so `archive verify` covers these files too
        except OSError as error:
            if not is_run_fault(error):
                raise
            _fault(str(fault_from(error, f"exporting {fmt} into {out_dir}")))
    for path in written:
        click.echo(str(path))
    err.print(f"{count} records exported as {fmt}: {len(written)} files in {out_dir / fmt}")


@cli.command()
@click.argument("record")
@click.option("--bundle", type=click.Path(path_type=Path), default=Path("exports/bundle"), show_default=True,
              help="Bundle to look RECORD up in when it is a record id.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON instead of a readable view.")
def show(record: str, bundle: Path, as_json: bool) -> None:
    """Show one record: metadata, languages, and every block with its language and direction.

    RECORD is a record id (looked up in --bundle), a record JSON file, or any source file (archived on
    the fly, nothing written).
    """
    from .show import load_record, render_record

    try:
        loaded = load_record(record, bundle)
    except (IngestError, FileNotFoundError, ValueError) as error:
        err.print("[red]" + escape(display_path(str(error))) + "[/red]")
        sys.exit(EXIT_PARTIAL)
    if as_json:
        out.print_json(json.dumps(loaded.to_dict(), ensure_ascii=False))
    else:
        render_record(loaded, out)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate outputs with the real validators: TEI (RelaxNG tei_all + our Schematron), EPUB
    (EPUBCheck), record and index JSON (JSON Schema), bundles (BagIt). Prints each problem with its file
    and line; exits 1 if any."""
    from .validate import validate_paths

    _report_issues(validate_paths(paths), "problem(s) found.", "valid")


@cli.command()
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify(bundle: Path) -> None:
    """Check a bundle's fixity: every payload checksum (BagIt), each record's reference to the SHA-256
    of its original, and every record and the index against their JSON Schemas; then the TEI and EPUB
    exports beside it against exports-sha256.txt. BUNDLE may be the archive folder that holds it. Each
    changed, missing or extra file is named, with its size."""
    from .fixity import verify_bundle

    _report_issues(verify_bundle(bundle), "problem(s): the bundle does not verify.",
                   "bundle verified: checksums, originals and schemas all match")


@cli.command()
@click.argument("query")
@click.option("--archive", "archive_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("exports"), show_default=True, help="Archive folder (holding catalog.sqlite).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def search(query: str, archive_dir: Path, limit: int) -> None:
    """Full-text search over titles, authors and text, in every script.

    Harakat and tatweel are ignored, Arabic and Persian letter variants (yeh, kaf, alef forms) match
    each other, ZWNJ is treated consistently, and Latin case and accents are folded.
    """
    from .catalog import Catalog

    with Catalog(archive_dir / "catalog.sqlite") as catalog:
        hits = catalog.search(query, limit)
    for hit in hits:
        language = escape(f"[{hit.main_language or '?'}]")
        out.print(f"[bold]{hit.record_id}[/bold]  {language}  {escape(hit.title or '—')}")
        out.print("    " + escape(hit.snippet.replace("\n", " ")))
    if not hits:
        err.print("no match")
        sys.exit(EXIT_PARTIAL)


@cli.command(name="list")
@click.option("--archive", "archive_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("exports"), show_default=True, help="Archive folder (holding catalog.sqlite).")
@click.option("--lang", default=None, help="Only records with this language (BCP 47 tag, e.g. fa, ps).")
@click.option("--since", default=None, help="Only records published on or after this ISO date.")
@click.option("--until", default=None, help="Only records published on or before this ISO date.")
@click.option("--format", "media_type", default=None, help="Only sources of this media type (e.g. pdf, html).")
def list_command(archive_dir: Path, lang: str | None, since: str | None, until: str | None,
                 media_type: str | None) -> None:
    """List archived records: id, main language, date, format, title."""
    from .catalog import Catalog

    with Catalog(archive_dir / "catalog.sqlite") as catalog:
        for item in catalog.list_records(lang, since, until, media_type):
            # titles and names come from sources: escape what could rewrite the terminal or forge a line
            shown = display_path(item.title or item.source)
            out.print(f"{item.record_id}  {item.main_language or '?':6} {item.date or '':10}  "
                      f"{item.media_type:24} {escape(shown)}")


@contextmanager
def _holding(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for the whole command; a busy or unwritable folder ends it (status 3)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(out_dir))
        except FolderInUse as error:
            _fault(str(error))
        except OSError as error:
            _fault(str(fault_from(error, "preparing the output folder")))
        yield


def _fault(message: str) -> NoReturn:
    err.print("[red]error:[/red] " + escape(display_path(" ".join(message.splitlines()))))
    sys.exit(EXIT_FAULT)


def _check_usage(out_dir: Path, executor: str) -> None:
    """Refuse what cannot work before anything is created: an output that is a file, an unknown
    executor, a Dask executor without the dask extra. Exit status 2."""
    problem = None
    if out_dir.exists() and not out_dir.is_dir():
        problem = f"--out {display_path(str(out_dir))} is a file, not a folder"
    elif executor not in ("local", "dask-local") and not executor.startswith("dask://"):
        problem = f"unknown executor {display_path(executor)!r}: use local, dask-local or dask://HOST:PORT"
    elif executor != "local":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            problem = f"the {executor} executor needs the dask extra: pip install 'archive[dask]'"
    if problem:
        err.print("[red]error:[/red] " + escape(problem))
        sys.exit(EXIT_USAGE)


def _ingest(paths: Sequence[str], out_dir: Path, workers: int | None, options: IngestOptions, executor: str,
            quiet: bool, log_format: str, follow_symlinks: bool = False) -> RunReport:
    show_bar = not quiet and log_format == "text" and err.is_terminal
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, disable=not show_bar, transient=True)
    task = progress.add_task("archiving", total=None)

    def on_start(total: int) -> None:
        progress.update(task, total=total)

    def on_progress(outcome: Prepared) -> None:
        if outcome.unchanged_id is None:  # the bar counts the files to process
            progress.advance(task)
        if log_format == "jsonl":
            line = {"path": display_path(outcome.path), "path_bytes": name_bytes(outcome.path),
                    "ok": outcome.error is None, "status": outcome.status, "id": outcome.record_id,
                    "error": outcome.error.to_dict() if outcome.error else None,
                    "seconds": round(sum(outcome.timings.values()), 4)}
            click.echo(json.dumps(line, ensure_ascii=False))

    with progress:
        report = run_ingest(list(paths), out_dir, options, workers or _workers_default(), on_progress, on_start,
                            executor, follow_symlinks)
    if log_format == "jsonl":
        for skipped in report.skipped:
            click.echo(json.dumps({"path": skipped["path"], "ok": True, "status": "skipped", "id": None,
                                   "reason": skipped["reason"]}, ensure_ascii=False))
    return report


def _report_issues(issues: Sequence[object], failure: str, success: str) -> None:
    """One finding per line on stdout (for grep and editors), a verdict on stderr, exit 1 on any."""
    for issue in issues:
        click.echo(str(issue))
    if issues:
        err.print(f"[red]{len(issues)} {failure}[/red]")
        sys.exit(EXIT_PARTIAL)
    err.print(f"[green]{success}[/green]")


def _finish(report: RunReport, quiet: bool) -> None:
    if not quiet:
        for line in skipped_lines(report):
            err.print("[yellow]skipped[/yellow] " + escape(line))
    for line in failure_lines(report):
        err.print("[red]failed[/red] " + escape(line))
    if not quiet:
        exports = ", ".join(f"{k}: {v} files" for k, v in report.exports.items())
        err.print(f"{report.files + report.unchanged} files ({report.unchanged} unchanged), "
                  f"{report.records} records, {len(report.failures)} failures, "
                  + (f"{len(report.skipped)} skipped, " if report.skipped else "")
                  + f"{report.seconds:.2f} s" + (f"; exports: {exports}" if exports else ""))
    if report.fault is not None:
        _fault(report.fault)
    if not report.ok:
        sys.exit(EXIT_PARTIAL)


def main() -> None:
    cli(prog_name="archive")
