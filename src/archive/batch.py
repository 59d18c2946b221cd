"""A batch run: ingest many files into a bundle, then export; every run leaves a report.

Records stream from the workers straight into the bundle, so memory does not grow with the batch.
A file that fails becomes one line of the report; the rest of the batch goes on.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_text
from .catalog import Catalog, CatalogEntry, catalog_entry
from .errors import IngestError, display_path
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
from .pipeline import IngestOptions, ingest_path, input_folders, iter_sources, map_files, relative_name
from .provenance import now_iso
from .record import Record

# Files between two durable checkpoints of the bundle and the catalog.
_CHECKPOINT = 200


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
    # The records of the documents inside a container (the pages of a WARC), prepared the same way.
    parts: list[Prepared] = field(default_factory=list)

    @property
    def record_id(self) -> str | None:
        done = self.staged or self.stored
        return done.record_id if done else None


def ingest_and_prepare(path: str, options: IngestOptions, folders: Sequence[str],
                       stage_in: Path | None = None) -> Prepared:
    """`ingest_path`, then the stored forms of its record (a picklable per-file function for any
    executor). With `stage_in` (the bundle's data folder, on a file system this worker shares with
    the writer) the record's files are written there as temporaries; if that fails, they travel in
    the result and the writer writes them, so a full disk is reported where it always was."""
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
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.export_failures

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
                         "vanished": len(self.vanished)},
            "by_format": dict(sorted(self.by_format.items())),
            "by_language": dict(sorted(self.by_language.items())),
            "stage_seconds": {k: round(v, 4) for k, v in sorted(self.stage_seconds.items())},
            "exports": self.exports,
            "failures": self.failures,
            "vanished": [display_path(p) for p in self.vanished],
            "export_failures": self.export_failures,
        }


def run_ingest(
    paths: Sequence[str],
    out: Path,
    options: IngestOptions | None = None,
    workers: int = 1,
    on_progress: Callable[[Prepared], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    executor: str = "local",
) -> RunReport:
    """Ingest every new or changed file under `paths` into `out/bundle`, write `out/report.json`.

    The catalog (`out/catalog.sqlite`) remembers what earlier runs archived, so unchanged files are
    skipped; a changed file's earlier record leaves the bundle once no source refers to it any more.
    """
    began = time.perf_counter()
    report = RunReport(started=now_iso())
    roots = [os.path.abspath(p) for p in paths]
    for path in (p for p in roots if not os.path.lexists(p)):
        report.failures.append(IngestError(path, "no such file or folder", stage="read").to_dict())
    files = list(iter_sources(p for p in roots if os.path.lexists(p)))
    folders = input_folders(roots)
    writer = BundleWriter(out / "bundle")
    with Catalog(out / "catalog.sqlite") as catalog:
        todo, unchanged = catalog.pending(files)
        report.unchanged = len(unchanged)
        if on_start:
            on_start(len(todo))
        # Workers on this machine stage the record's files; a Dask cluster's may not share its disk.
        local = executor == "local" and workers > 1
        prepare = partial(ingest_and_prepare, options=options or IngestOptions(), folders=folders,
                          stage_in=writer.data if local else None)
        for done, outcome in enumerate(map_files(prepare, todo, workers, executor), start=1):
            report.add(outcome)
            if outcome.error is not None:
                catalog.record_failure(outcome.path, outcome.error.reason)
            else:
                _store(outcome, writer, catalog)
                _store_parts(outcome, writer, catalog, report)
            if done % _CHECKPOINT == 0:
                _checkpoint(writer, catalog)
            if on_progress:
                on_progress(outcome)
        _checkpoint(writer, catalog)
        report.vanished = catalog.mark_vanished(roots, set(files))
    writer.close()
    report.seconds = time.perf_counter() - began
    write_report(out, report)
    return report


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
    unless it must (an EPUB pack)."""
    for name in formats:
        began = time.perf_counter()
        try:
            written = export(name, iter_records(bundle), out, options)
        except Exception as error:  # one broken writer must not cost the other formats
            report.export_failures.append({"format": name, "reason": f"{type(error).__name__}: {error}"})
            continue
        report.exports[name] = len(written)
        report.stage_seconds[f"export_{name}"] = time.perf_counter() - began


def write_report(out: Path, report: RunReport) -> Path:
    return write_text(out / "report.json", dumps(report.to_dict()))


def failure_lines(report: RunReport) -> list[str]:
    lines = [f"{f['path']}: {f['stage']}: {f['reason']}" for f in report.failures]
    lines += [f"export {f['format']}: {f['reason']}" for f in report.export_failures]
    return [display_path(line) for line in lines]
