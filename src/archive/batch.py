"""A batch run: ingest many files into a bundle, then export; every run leaves a report.

Records stream from the workers straight into the bundle, so memory does not grow with the batch.
A file that fails becomes one line of the report; the rest of the batch goes on.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import FolderInUse, folder_lock, write_text
from .catalog import Catalog, CatalogEntry, catalog_entry
from .errors import IngestError, ReaderFailure, RunFault, display_path, fault_from, is_run_fault
from .exporters import ExportOptions, export
from .exporters.json_bundle import (
    BundleWriter,
    StagedRecord,
    StoredRecord,
    dumps,
    iter_records,
    stage_record,
    stored_form,
)
from .fixity import write_export_manifest
from .pipeline import IngestOptions, ingest_path, input_folders, map_files, relative_name, walk_sources
from .provenance import now_iso
from .record import Record

# Files between two durable checkpoints of the bundle and the catalog (ARCHIVE_CHECKPOINT_FILES sets
# another number: fewer lose less work to a kill, more cost fewer syncs).
_CHECKPOINT = 200


def _checkpoint_every() -> int:
    try:
        return max(1, int(os.environ.get("ARCHIVE_CHECKPOINT_FILES", _CHECKPOINT)))
    except ValueError:
        return _CHECKPOINT


@dataclass
class Prepared:
    """One file's outcome in the form the archive stores it: the record's JSON, index entry and
    catalog rows rather than the record. It is made in the worker that read the file, so the one
    process that writes the archive only writes, and sending it between processes costs a fraction
    of sending the record (a tree of thousands of small objects). A local worker also writes the
    record's files as temporaries (`staged`), so the writing process only renames them."""

    path: str
    timings: dict[str, float]
    error: IngestError | None = None
    original: bytes | None = None
    stored: StoredRecord | None = None
    staged: StagedRecord | None = None
    listing: CatalogEntry | None = None
    stat_key: tuple[int, int] | None = None
    unchanged_id: str | None = None  # set for a file skipped as unchanged since an earlier run
    # The records of the documents inside a container (the pages of a WARC), prepared the same way.
    parts: list[Prepared] = field(default_factory=list)

    @property
    def record_id(self) -> str | None:
        done = self.staged or self.stored
        return done.record_id if done else self.unchanged_id

    @property
    def status(self) -> str:
        if self.unchanged_id is not None:
            return "unchanged"
        return "failed" if self.error is not None else "archived"


def ingest_and_prepare(path: str, options: IngestOptions, folders: Sequence[str],
                       stage_in: Path | None = None) -> Prepared:
    """`ingest_path`, then the stored forms of its record (a picklable per-file function for any
    executor). With `stage_in` (the bundle's data folder, on a file system this worker shares with
    the writer) the record's files are written there as temporaries; if that fails, they travel in
    the result and the writer writes them, so a full disk is reported where it always was. Never
    raises: whatever goes wrong with one file is that file's error."""
    try:
        return _prepare(path, options, folders, stage_in)
    except Exception as error:
        return Prepared(path, {}, ReaderFailure(path, f"unexpected {type(error).__name__}: {error}",
                                                stage="prepare"))


def _prepare(path: str, options: IngestOptions, folders: Sequence[str], stage_in: Path | None) -> Prepared:
    outcome = ingest_path(path, options, keep_original=True)
    prepared = Prepared(path, outcome.timings, outcome.error, outcome.original, stat_key=outcome.stat_key)
    if outcome.record is not None:
        name = relative_name(path, folders)
        prepared.stored = stored_form(outcome.record, name)
        prepared.listing = catalog_entry(outcome.record, name)
        prepared.parts = [_prepare_part(path, record, data, stage_in) for record, data in outcome.parts]
        if stage_in is not None and outcome.original is not None:
            try:
                prepared.staged = stage_record(stage_in, prepared.stored, outcome.original)
            except OSError:
                return prepared
            prepared.stored = prepared.original = None
    return prepared


# ---------------------------------------------------------------- documents inside a container


def _prepare_part(path: str, record: Record, data: bytes, stage_in: Path | None) -> Prepared:
    """A container's document in stored form, under its own name (the page's, from its URL)."""
    part = Prepared(path, {}, original=data, stored=stored_form(record, record.source.filename),
                    listing=catalog_entry(record, record.source.filename))
    if stage_in is not None:
        try:
            part.staged = stage_record(stage_in, part.stored, data)  # type: ignore[arg-type]
            part.stored = part.original = None
        except OSError:
            pass
    return part


def _store_parts(outcome: Prepared, writer: BundleWriter, catalog: Catalog, report: RunReport) -> None:
    """Each document of a container into the bundle and the search index. The catalog's sources stay
    files: the container's entry is what a re-run compares, and its record lists the parts' ids."""
    for part in outcome.parts:
        if part.staged is not None:
            writer.add_staged(part.staged)
        else:
            assert part.stored is not None and part.original is not None
            writer.add_stored(part.stored, part.original)
        assert part.listing is not None
        catalog.index_record(part.listing)
        report.records += 1
        report.by_format[part.listing.media_type] += 1
        report.by_language[part.listing.main_language or "und"] += 1


@dataclass
class RunReport:
    """What a run did: counts, timings per stage, and every failure with its reason."""

    started: str
    files: int = 0
    records: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    by_format: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    unchanged: int = 0
    vanished: list[str] = field(default_factory=list)
    exports: dict[str, int] = field(default_factory=dict)
    export_failures: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    # Why the run could not finish (a full disk, a read-only folder, an unreachable cluster), if so.
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and not self.export_failures and self.fault is None

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append({"path": display_path(path), "reason": reason})

    def add(self, outcome: Prepared) -> None:
        self.files += 1
        for stage, seconds in outcome.timings.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        if outcome.listing is not None:
            self.records += 1
            self.by_format[outcome.listing.media_type] += 1
            self.by_language[outcome.listing.main_language or "und"] += 1
        elif outcome.error is not None:
            self.failures.append(outcome.error.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "software": f"archive/{__version__}",
            "started": self.started,
            "seconds": round(self.seconds, 3),
            "files": self.files,
            "records": self.records,
            "failed": len(self.failures),
            "outcomes": {"archived": self.records, "failed": len(self.failures), "unchanged": self.unchanged,
                         "vanished": len(self.vanished), "skipped": len(self.skipped)},
            "by_format": dict(sorted(self.by_format.items())),
            "by_language": dict(sorted(self.by_language.items())),
            "stage_seconds": {k: round(v, 4) for k, v in sorted(self.stage_seconds.items())},
            "exports": self.exports,
            "failures": self.failures,
            "vanished": [display_path(p) for p in self.vanished],
            "export_failures": self.export_failures,
            "skipped": self.skipped,
            "fault": self.fault,
        }


def run_ingest(
    paths: Sequence[str],
    out: Path,
    options: IngestOptions | None = None,
    workers: int = 1,
    on_progress: Callable[[Prepared], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    executor: str = "local",
    follow_symlinks: bool = False,
) -> RunReport:
    """Ingest every new or changed file under `paths` into `out/bundle`, write `out/report.json`.

    The catalog (`out/catalog.sqlite`) remembers what earlier runs archived, so unchanged files are
    skipped; a changed file's earlier record leaves the bundle once no source refers to it any more.
    A file that fails, for any reason, is listed and the batch goes on. A run that cannot go on (the
    disk is full, the folder is read-only or held by another run, the cluster is unreachable) stops
    with `report.fault` set, the report written where the disk allows, and the bundle as a re-run
    completes it.
    """
    began = time.perf_counter()
    report = RunReport(started=now_iso())
    try:
        with folder_lock(out):
            try:
                _ingest_into(paths, out, options or IngestOptions(), workers, on_progress, on_start, executor,
                             follow_symlinks, report)
            except RunFault as error:
                report.fault = str(error)
            finally:
                report.seconds = time.perf_counter() - began
                _try_write_report(out, report)
    except FolderInUse as error:
        report.fault = str(error)
    except OSError as error:  # the folder itself cannot be made or locked (read-only, not a folder)
        report.fault = str(fault_from(error, "preparing the output folder"))
    return report


def _try_write_report(out: Path, report: RunReport) -> None:
    try:
        write_report(out, report)
    except OSError as error:
        fault = fault_from(error, "writing report.json")
        report.fault = f"{report.fault}; {fault}" if report.fault else str(fault)


def _ingest_into(paths: Sequence[str], out: Path, options: IngestOptions, workers: int,
                 on_progress: Callable[[Prepared], None] | None, on_start: Callable[[int], None] | None,
                 executor: str, follow_symlinks: bool, report: RunReport) -> None:
    roots = [os.path.abspath(p) for p in paths]
    for path in (p for p in roots if not os.path.lexists(p)):
        report.failures.append(IngestError(path, "no such file or folder", stage="read").to_dict())
    walk = walk_sources([p for p in roots if os.path.lexists(p)], exclude=[str(out)],
                        follow_symlinks=follow_symlinks)
    for path, reason in walk.skipped:
        report.skip(path, reason)
    for path, reason in walk.unreadable:
        report.failures.append(IngestError(path, reason, stage="read").to_dict())
    files = walk.files
    folders = input_folders(roots)
    try:
        catalog = Catalog(out / "catalog.sqlite")
    except (OSError, sqlite3.Error) as error:
        raise fault_from(error, f"opening the catalog {out / 'catalog.sqlite'}") from None
    writer: BundleWriter | None = None
    try:
        writer = BundleWriter(out / "bundle", source_names=catalog.source_names)
        todo, unchanged = catalog.pending(files)
        report.unchanged = len(unchanged)
        if on_start:
            on_start(len(todo))
        if on_progress:
            for path in unchanged:
                on_progress(Prepared(path, {}, unchanged_id=catalog.previous_record(path) or ""))
        # Workers on this machine stage the record's files; a Dask cluster's may not share its disk.
        local = executor == "local" and workers > 1
        prepare = partial(ingest_and_prepare, options=options, folders=folders,
                          stage_in=writer.data if local else None)
        every = _checkpoint_every()
        for done, outcome in enumerate(_outcomes(prepare, todo, workers, executor, options), start=1):
            _keep(outcome, writer, catalog)
            report.add(outcome)
            if outcome.error is None:
                _store_parts(outcome, writer, catalog, report)
            if done % every == 0:
                _checkpoint(writer, catalog)
            if on_progress:
                on_progress(outcome)
        _checkpoint(writer, catalog)
        report.vanished = catalog.mark_vanished(roots, set(files))
        writer.close()
    except Exception as error:
        if isinstance(error, RunFault):
            fault = error
        elif is_run_fault(error):
            fault = fault_from(error, f"writing the archive in {out}")
        else:
            _close_quietly(catalog)
            raise
        if writer is not None:
            _seal_quietly(writer, catalog)
        _close_quietly(catalog)
        raise fault from None
    try:
        catalog.close()
    except (OSError, sqlite3.Error) as error:
        if not is_run_fault(error):
            raise
        raise fault_from(error, f"writing the catalog {out / 'catalog.sqlite'}") from None


def _seal_quietly(writer: BundleWriter, catalog: Catalog) -> None:
    """After a fault, try to leave a bag that verifies with what was archived so far (a full disk may
    have room for an index and manifests once the failed file's temporaries are gone); if even that
    fails, the bag stays as it is and the same command completes it."""
    with contextlib.suppress(Exception):
        _checkpoint(writer, catalog)
        writer.close()


def _outcomes(prepare: Callable[[str], Prepared], todo: list[str], workers: int, executor: str,
              options: IngestOptions) -> Iterator[Prepared]:
    """Each file's outcome; a cluster that cannot be reached is the run's fault, not a file's."""
    try:
        yield from map_files(prepare, todo, workers, executor, on_crash=_crashed)
    except (OSError, TimeoutError) as error:
        if executor.startswith("dask"):
            raise RunFault(f"could not finish: the Dask cluster {executor} is unreachable or failed: "
                           f"{type(error).__name__}: {error}") from None
        raise RunFault(f"could not finish: running {workers} worker processes: "
                       f"{type(error).__name__}: {error}") from None


def _crashed(path: str, reason: str) -> Prepared:
    return Prepared(path, {}, ReaderFailure(path, reason))


def _close_quietly(catalog: Catalog) -> None:
    """Commit what the catalog can on the way out of a failed run; a full disk may refuse even that,
    and the re-run then re-processes those files."""
    with contextlib.suppress(OSError, sqlite3.Error):
        catalog.close()


def _keep(outcome: Prepared, writer: BundleWriter, catalog: Catalog) -> None:
    """Store one outcome. What goes wrong storing one file (a name the catalog cannot take, a bug) is
    that file's error; a full or read-only disk is the run's fault and stops it."""
    try:
        if outcome.error is not None:
            catalog.record_failure(outcome.path, outcome.error.reason)
        else:
            _store(outcome, writer, catalog)
    except Exception as error:
        if is_run_fault(error):
            raise fault_from(error, f"archiving {display_path(outcome.path)} into {writer.path}") from None
        record_id = outcome.record_id
        if record_id is not None and not catalog.is_referenced(record_id):
            writer.remove(record_id)  # the bundle keeps no record the report calls failed
        outcome.listing = outcome.stored = outcome.staged = None
        outcome.error = IngestError(outcome.path, f"unexpected {type(error).__name__}: {error}", stage="store")


def _checkpoint(writer: BundleWriter, catalog: Catalog) -> None:
    """Records on disk first, catalog second: a crash between them re-processes files, never loses one."""
    writer.sync()
    catalog.commit()


def _store(outcome: Prepared, writer: BundleWriter, catalog: Catalog) -> None:
    """Record first, catalog second: a run killed in between re-processes the file, never loses it."""
    assert outcome.listing is not None
    previous = catalog.previous_record(outcome.path)
    if outcome.staged is not None:
        writer.add_staged(outcome.staged)
    else:
        assert outcome.stored is not None and outcome.original is not None
        writer.add_stored(outcome.stored, outcome.original)
    catalog.record_entry(outcome.path, outcome.listing, outcome.stat_key)
    if previous and previous != outcome.listing.record_id and not catalog.is_referenced(previous):
        writer.remove(previous)
        catalog.forget_record(previous)


def run_exports(
    bundle: Path, out: Path, formats: Sequence[str], report: RunReport, options: ExportOptions | None = None
) -> None:
    """Export the bundle's records in each format; a failing format is reported, the others still run.
    Each format reads the records afresh from the bundle, one at a time, so none holds the batch
    unless it must (an EPUB pack). A record one writer cannot convert is listed and the others are
    written; files a changed source left behind (a superseded TEI file) are removed; then a checksum
    manifest covers every exported file, so `archive verify` notices one edited or deleted. A full
    disk or a read-only folder ends the exports as the run's fault."""
    try:
        with folder_lock(out):
            _export_all(bundle, out, formats, report, options or ExportOptions())
    except FolderInUse as error:
        report.fault = str(error)
    except RunFault as error:
        report.fault = str(error)


def _export_all(bundle: Path, out: Path, formats: Sequence[str], report: RunReport, options: ExportOptions) -> None:
    for name in formats:
        began = time.perf_counter()

        def failed(record_id: str, error: BaseException, name: str = name) -> None:
            if is_run_fault(error):
                raise fault_from(error, f"exporting {name}") from error
            report.export_failures.append({"format": name, "record": record_id,
                                           "reason": display_path(f"{type(error).__name__}: {error}")})

        try:
            written = export(name, iter_records(bundle), out, replace(options, on_error=failed))
            remove_superseded(out / name, written)
        except RunFault:
            raise
        except Exception as error:  # one broken writer must not cost the other formats
            if is_run_fault(error):
                raise fault_from(error, f"exporting {name}") from None
            report.export_failures.append({"format": name,
                                           "reason": display_path(f"{type(error).__name__}: {error}")})
            continue
        report.exports[name] = len(written)
        report.stage_seconds[f"export_{name}"] = time.perf_counter() - began
    try:
        write_export_manifest(out)
    except OSError as error:
        raise fault_from(error, "writing the exports' checksum manifest") from None


_RECORD_FILE = re.compile(r"r[0-9a-f]{16}\.(xml|epub|xhtml)")


def remove_superseded(folder: Path, written: Sequence[Path]) -> list[Path]:
    """Per-record files of an export folder that this export did not write: their records left the
    bundle (a changed source has a new id). Other files (a curator's notes) are left alone."""
    keep = {Path(p).name for p in written}
    removed = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if _RECORD_FILE.fullmatch(path.name) and path.name not in keep:
                path.unlink()
                removed.append(path)
    return removed


def write_report(out: Path, report: RunReport) -> Path:
    return write_text(out / "report.json", dumps(report.to_dict()))


def failure_lines(report: RunReport) -> list[str]:
    lines = [f"{f['path']}: {f['stage']}: {f['reason']}" for f in report.failures]
    lines += [f"export {f['format']}" + (f" {f['record']}" if "record" in f else "") + f": {f['reason']}"
              for f in report.export_failures]
    return [display_path(" ".join(line.splitlines())) for line in lines]


def skipped_lines(report: RunReport) -> list[str]:
    return [display_path(f"{s['path']}: {s['reason']}") for s in report.skipped]
