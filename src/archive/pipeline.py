"""The pipeline: one source file in, one Record (or one IngestError) out.

Each stage is a plain function; this module only composes them and records what each did. It never
prints, so the same `ingest_file` runs in a process pool, on a Dask worker or from a notebook.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import stat
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .containers import ingest_parts
from .errors import IngestError, LimitExceeded, ReaderFailure, UnreadableFile, UnsupportedFormat
from .language import detect_language
from .metadata import extract_metadata
from .normalize import normalize_for_language
from .provenance import event
from .readers import Draft, FormatError, ReadOptions, reader_for
from .record import Block, Record, Source, record_id
from .segment import mark_verse, to_block
from .sniff import UnsupportedFormatError, sniff


@dataclass(frozen=True)
class IngestOptions:
    """Limits and choices for one file; picklable so worker processes get the same settings."""

    max_bytes: int = 200 * 1024 * 1024
    password: str | None = None
    timeout_s: float = 120.0
    # The charset a container declared for the bytes (a WARC's HTTP header); None for files.
    charset: str | None = None
    ocr: str = "auto"  # see readers.base.ReadOptions


@dataclass
class Outcome:
    """The result of one file in a batch: a record or an error, with the time each stage took."""

    path: str
    record: Record | None = None
    error: IngestError | None = None
    timings: dict[str, float] = field(default_factory=dict)
    original: bytes | None = None
    # (size, mtime_ns) of the file when it was read: what the catalog must remember, since a file
    # changed while it was being archived has to be read again by the next run.
    stat_key: tuple[int, int] | None = None
    # Records of the documents inside a container (the pages of a WARC), with their own bytes.
    parts: list[tuple[Record, bytes]] = field(default_factory=list)


def ingest_file(path: str | os.PathLike[str], options: IngestOptions | None = None) -> Record:
    """Archive one file; raises IngestError (naming the file, the stage and the reason) on failure."""
    outcome = ingest_path(str(path), options or IngestOptions())
    if outcome.error is not None:
        raise outcome.error
    assert outcome.record is not None
    return outcome.record


def ingest_path(path: str, options: IngestOptions, keep_original: bool = False) -> Outcome:
    """Never raises for a bad file: the error is part of the outcome, so a batch always completes."""
    outcome = Outcome(path=path)
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            # Opening a FIFO or a device would block or never end; only plain files are sources.
            raise UnreadableFile(path, f"not a regular file ({_file_kind(status.st_mode)})")
        size = status.st_size
        outcome.stat_key = (size, status.st_mtime_ns)
        if size > options.max_bytes:
            raise LimitExceeded(path, f"file is {size} bytes; the limit is {options.max_bytes}")
        with open(path, "rb") as handle:
            data = handle.read()
    except IngestError as error:
        outcome.error = error
        return outcome
    except OSError as error:
        outcome.error = UnreadableFile(path, error.strerror or str(error))
        return outcome
    try:
        with _time_limit(options.timeout_s, path):
            outcome.record = ingest_bytes(data, path, options, outcome.timings, outcome.parts)
    except IngestError as error:
        outcome.error = error
    except RecursionError:
        outcome.error = LimitExceeded(path, "structure nested too deeply")
    except MemoryError:
        outcome.error = LimitExceeded(path, "not enough memory to read this file")
    except Exception as error:  # a reader bug must not stop the batch; the report names it
        outcome.error = ReaderFailure(path, f"unexpected {type(error).__name__}: {error}")
    if keep_original and outcome.record is not None:
        outcome.original = data
    return outcome


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a plain file"


def ingest_bytes(
    data: bytes,
    path: str,
    options: IngestOptions | None = None,
    timings: dict[str, float] | None = None,
    parts: list[tuple[Record, bytes]] | None = None,
) -> Record:
    """One record of `data`; the documents a container holds are read into `parts` when it is given."""
    options = options or IngestOptions()
    timings = timings if timings is not None else {}
    clock = _Clock(timings)
    filename = os.path.basename(path)
    sha256 = hashlib.sha256(data).hexdigest()

    try:
        media_type = sniff(data, filename)
    except UnsupportedFormatError as error:
        raise UnsupportedFormat(path, f"unsupported format: {error.detected}") from None
    except FormatError as error:
        raise UnsupportedFormat(path, str(error)) from None
    clock.lap("sniff")
    try:
        reader_name, reader = reader_for(media_type)
        draft = reader(data, ReadOptions(filename=filename, path=path, password=options.password,
                                         max_bytes=options.max_bytes, charset=options.charset,
                                         ocr=options.ocr))
    except FormatError as error:
        raise ReaderFailure(path, str(error)) from None
    clock.lap("read")
    _drop_malformed_language_tags(draft)

    events = [event("read", {"media_type": media_type, "reader": reader_name,
                             "blocks": len(draft.blocks)}, reader=reader_name)]
    if draft.encoding is not None:
        events.append(event("decode", {**draft.encoding.to_dict(), "repairs": dict(draft.repairs)}))
    events.extend(draft.events)

    counts: Counter[str] = Counter(draft.repairs)
    blocks: list[Block] = []
    for draft_block in draft.blocks:
        block = to_block(draft_block, f"b{len(blocks) + 1}", counts)
        if block is not None:
            blocks.append(block)
    verses = mark_verse(blocks)
    clock.lap("segment")

    languages = detect_language(blocks, declared=draft.meta.get("lang"))
    for block in blocks:
        block.text = normalize_for_language(block.text, block.lang, counts)
        # One canonical order (text order, enclosing first), whichever stage found the span.
        block.spans.sort(key=lambda s: (s.start, -s.end, s.kind))
    clock.lap("detect")
    events.append(event("normalize", {"steps": {k: v for k, v in sorted(counts.items()) if v}}))
    events.append(event("detect", {**languages.detail, "verse_blocks": verses}))

    metadata = extract_metadata(blocks, draft.meta, languages.main_language)
    clock.lap("extract")
    events.append(event("extract", {"fields": sorted(k for k, v in metadata.to_dict().items() if v)}))

    source = Source(
        filename=filename,
        size=len(data),
        sha256=sha256,
        media_type=media_type,
        encoding=draft.encoding,
        info=draft.info,
    )
    warnings = list(draft.warnings)
    if not blocks and not draft.parts:
        warnings.append("no text found in this file")
    record = Record(
        id=record_id(sha256),
        source=source,
        metadata=metadata,
        languages=languages.languages,
        main_language=languages.main_language,
        scripts=languages.scripts,
        blocks=blocks,
        provenance=events,
        warnings=warnings,
    )
    if draft.parts and parts is not None:
        parts.extend(ingest_parts(draft.parts, record, partial(_ingest_part, options=options)))
    return record


def _ingest_part(data: bytes, name: str, charset: str | None, options: IngestOptions) -> Record:
    return ingest_bytes(data, name, replace(options, charset=charset))


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _drop_malformed_language_tags(draft: Draft) -> None:
    """A damaged source can declare `lang="#en\""`; such a tag is no evidence of anything and would break
    the record's contract, so it is treated as undeclared and detection decides."""
    lang = draft.meta.get("lang")
    if lang is not None and not (isinstance(lang, str) and _LANGUAGE_TAG.fullmatch(lang)):
        del draft.meta["lang"]
    for block in draft.blocks:
        if block.lang is not None and not _LANGUAGE_TAG.fullmatch(block.lang):
            block.lang = None
        for inline in block.inlines:
            if inline.lang is not None and not _LANGUAGE_TAG.fullmatch(inline.lang):
                inline.lang = None


@contextmanager
def _time_limit(seconds: float, path: str) -> Iterator[None]:
    """Turn a file that takes too long into a clear error. Signals only reach the main thread, so in
    a thread (a Dask worker's task) the limit is not enforced; processes, the default, are covered."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    reason = f"took longer than the {seconds:g} s limit per file"
    expired = False

    def expire(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise LimitExceeded(path, reason)

    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats: an exception raised where Python ignores it (a gc callback, a library's
    # broad `except`) would otherwise let the file run on without limit. And once the time is up the
    # outcome is the limit, whatever a reader made of the exception (another error, or nothing).
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    except BaseException as error:
        if expired and not isinstance(error, LimitExceeded):
            raise LimitExceeded(path, reason) from error
        raise
    finally:
        _stop_alarm(previous)
    if expired:
        raise LimitExceeded(path, reason)


def _stop_alarm(previous: Any) -> None:
    """Stop the timer and restore the handler, even if a last alarm lands while doing so: a timer left
    running would fail the next files of the batch at random."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            return
        except LimitExceeded:
            continue


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files under the given paths, recursively, in a stable order; hidden files are skipped.

    Symbolic links to folders are not followed, so a link loop cannot make the walk endless.
    """
    for root in paths:
        root = str(root)
        if os.path.isdir(root):
            for folder, dirs, files in os.walk(root, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(folder, name)
        else:
            yield root


def ingest_many(
    paths: Iterable[str],
    options: IngestOptions | None = None,
    workers: int = 1,
    keep_original: bool = True,
    on_progress: Callable[[Outcome], None] | None = None,
    executor: str = "local",
) -> Iterator[Outcome]:
    """Outcomes in input order. `executor` is "local" (a process pool of `workers` when workers > 1),
    "dask-local" (a Dask LocalCluster started for the run) or "dask://HOST:PORT" (an existing cluster)."""
    ingest = partial(ingest_path, options=options or IngestOptions(), keep_original=keep_original)
    for outcome in map_files(ingest, list(paths), workers, executor):
        if on_progress:
            on_progress(outcome)
        yield outcome


T = TypeVar("T")

# Files per task sent to a worker process: one task per file would cost more in messages and futures
# than some small files cost to archive.
_FILES_PER_TASK = 8


def map_files(function: Callable[[str], T], files: list[str], workers: int = 1, executor: str = "local") -> Iterator[T]:
    """`function` of every file, in input order, run by `executor` (see `ingest_many`). `function`
    must be picklable (a module-level function, or a `functools.partial` of one) and must not raise:
    `ingest_path` turns every failure into an outcome."""
    if executor == "local" and (workers <= 1 or len(files) <= 1):
        yield from map(function, files)
        return
    size = max(1, min(_FILES_PER_TASK, len(files) // (max(workers, 1) * 4)))
    tasks = [files[start:start + size] for start in range(0, len(files), size)]
    task = partial(_map_chunk, function)
    if executor == "local":
        results = _map_on_pool(task, tasks, workers)
    else:
        from .distributed import map_on_dask

        results = map_on_dask(task, tasks, executor, workers)
    for result in results:
        yield from result


def _map_on_pool(task: Callable[[list[str]], list[T]], tasks: list[list[str]], workers: int) -> Iterator[list[T]]:
    # A bounded window of submitted tasks keeps memory flat: finished results (with their original
    # bytes) cannot pile up when the consumer writes more slowly than the workers read.
    window = workers * 4
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[T]]] = deque()
        for files in tasks:
            pending.append(pool.submit(task, files))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _map_chunk(function: Callable[[str], T], files: list[str]) -> list[T]:
    return [function(path) for path in files]


def input_folders(roots: Iterable[str]) -> list[str]:
    """The roots that are folders, found once per run: a run given 20,000 files by name would otherwise
    ask the file system about every root for every file."""
    return [root for root in roots if os.path.isdir(root)]


def relative_name(path: str, folders: Iterable[str]) -> str:
    """A file's name relative to the input folder it was found in (see `input_folders`), for reports
    and bundle paths; a file named directly keeps only its base name."""
    for folder in folders:
        try:
            return str(Path(path).relative_to(folder))
        except ValueError:
            continue
    return os.path.basename(path)
