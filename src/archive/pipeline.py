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
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .containers import ingest_parts
from .errors import (
    IngestError,
    LimitExceeded,
    ReaderFailure,
    UnreadableFile,
    UnsupportedFormat,
    display_path,
    name_bytes,
)
from .language import detect_language
from .metadata import extract_metadata
from .normalize import normalize_for_language
from .provenance import collecting, event, stage
from .readers import PARSERS, Draft, FormatError, Part, ReadOptions, reader_for
from .record import Block, Record, Source, record_id
from .segment import link_notes, mark_hemistichs, mark_verse, to_block
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
    with collecting() as used:
        record, found = _ingest_bytes(data, path, options, timings if timings is not None else {}, used)
    if found and parts is not None:
        parts.extend(ingest_parts(found, record, partial(_ingest_part, options=options)))
    return record


def _ingest_bytes(
    data: bytes, path: str, options: IngestOptions, timings: dict[str, float], used: dict[str, set[str]]
) -> tuple[Record, list[Part]]:
    clock = _Clock(timings)
    raw_name = os.path.basename(path)
    filename = display_path(raw_name)  # what the record stores and shows; the exact bytes ride beside it
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
                             "blocks": len(draft.blocks)},
                    libraries=[*PARSERS.get(reader_name, ()), *used.get("read", ())])]
    if draft.encoding is not None:
        events.append(event("decode", {**draft.encoding.to_dict(), "repairs": dict(draft.repairs)},
                            libraries=used.get("decode", ())))
    events.extend(draft.events)

    counts: Counter[str] = Counter(draft.repairs)
    blocks: list[Block] = []
    with stage("normalize"):
        for draft_block in draft.blocks:
            block = to_block(draft_block, f"b{len(blocks) + 1}", counts)
            if block is not None:
                blocks.append(block)
        verses = mark_verse(blocks)
    clock.lap("segment")

    with stage("detect"):
        languages = detect_language(blocks, declared=draft.meta.get("lang"))
        _doubt_languages_of_a_weak_decoding(blocks, draft)
    with stage("normalize"):
        for block in blocks:
            block.text = normalize_for_language(block.text, block.lang, counts)
            # One canonical order (text order, enclosing first), whichever stage found the span.
            block.spans.sort(key=lambda s: (s.start, -s.end, s.kind))
        mark_hemistichs(blocks)
    clock.lap("detect")
    events.append(event("normalize", {"steps": {k: v for k, v in sorted(counts.items()) if v}},
                        libraries=used.get("normalize", ())))
    events.append(event("detect", {**languages.detail, "verse_blocks": verses}, libraries=used.get("detect", ())))

    with stage("extract"):
        metadata = extract_metadata(blocks, draft.meta, languages.main_language)
        link_notes(blocks)
    clock.lap("extract")
    events.append(event("extract", {"fields": sorted(k for k, v in metadata.to_dict().items() if v)},
                        libraries=used.get("extract", ())))

    source = Source(
        filename=filename,
        size=len(data),
        sha256=sha256,
        media_type=media_type,
        encoding=draft.encoding,
        info=draft.info,
        filename_bytes=name_bytes(raw_name),
    )
    warnings = list(draft.warnings)
    if not blocks and not draft.parts:
        _refuse_empty(data, draft.warnings, path)
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
    return record, draft.parts


def _ingest_part(data: bytes, name: str, charset: str | None, options: IngestOptions) -> Record:
    return ingest_bytes(data, name, replace(options, charset=charset))


# Below this confidence a guessed encoding may have given other letters than the writer's, and a
# language told from those letters is no surer than the guess.
_SURE_DECODING = 0.6


def _doubt_languages_of_a_weak_decoding(blocks: list[Block], draft: Draft) -> None:
    """Mark every detected block language "unsure" when the text's encoding was only weakly guessed: the
    language of a text decoded with low confidence is never stated with high confidence."""
    encoding = draft.encoding
    if encoding is None or encoding.method not in ("detected", "fallback") or encoding.confidence >= _SURE_DECODING:
        return
    for block in blocks:
        if block.lang and block.evidence != "declared":
            note = f"unsure:encoding {encoding.name} {encoding.confidence:g}"
            block.evidence = f"{block.evidence}+{note}" if block.evidence else note


def _refuse_empty(data: bytes, warnings: list[str], path: str) -> None:
    """A file that holds something but gave no text is a failure, not an empty success: a record
    without text would pass as archived while the reader missed everything. An image-only document
    says that it needs OCR; an empty (or blank) file still gives its honest empty record."""
    if not data.strip(b" \t\r\n\x00\x0b\x0c").removeprefix(b"\xef\xbb\xbf").strip():
        return
    ocr = next((w for w in warnings if "OCR" in w), None)
    if ocr is not None:
        raise ReaderFailure(path, f"no text: {ocr}")
    raise ReaderFailure(path, f"no text could be read from this file of {len(data)} bytes")


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
    """Turn a file that takes too long into a clear error. In the main thread (a process pool's worker)
    an alarm signal interrupts it; signals reach only the main thread, so in any other thread (a Dask
    worker's task) a timer raises the error inside the working thread instead."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        with _thread_time_limit(seconds, path):
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


class _Expired(BaseException):
    """Raised inside a thread whose file ran out of time (a BaseException, so a reader's broad
    `except Exception` cannot swallow it); turned into a LimitExceeded naming the file."""


@contextmanager
def _thread_time_limit(seconds: float, path: str) -> Iterator[None]:
    """The time limit for a thread: a timer thread raises `_Expired` in it, again every 0.1 s until
    the block ends (as the alarm repeats), and clears a last one still pending when it does."""
    import ctypes

    target = ctypes.c_ulong(threading.get_ident())
    done = threading.Event()
    guard = threading.Lock()
    fired = False

    def watch() -> None:
        nonlocal fired
        if done.wait(seconds):
            return
        while True:
            with guard:
                if done.is_set():
                    return
                fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_Expired))
            if done.wait(0.1):
                return

    timer = threading.Thread(target=watch, name="archive-time-limit", daemon=True)
    timer.start()
    reason = f"took longer than the {seconds:g} s limit per file"
    try:
        try:
            yield
        finally:
            with guard:
                done.set()
                if fired:  # an exception raised but not yet delivered must not hit the next file
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
    except _Expired:
        raise LimitExceeded(path, reason) from None
    except BaseException as error:
        if fired and not isinstance(error, LimitExceeded):
            raise LimitExceeded(path, reason) from error
        raise
    if fired:
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


@dataclass
class Walk:
    """What a walk of the inputs found: the files to archive, in a stable order, and every path it
    did not take with the reason (a link it did not follow, the output folder inside an input), and
    every folder it could not list."""

    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def walk_sources(roots: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = (),
                 follow_symlinks: bool = False) -> Walk:
    """Files under the given paths, recursively: in each folder its files by name, then its folders
    by name; hidden files and folders are skipped. A path named directly is taken as it is.

    Links are followed only inside the input tree: a link to a file outside every input folder, and
    any link to a folder, is skipped and listed unless `follow_symlinks` (and even then a folder
    already walked is not walked again, so a link loop cannot make the walk endless). A dangling link
    is kept, so the batch lists it as a failure. Folders in `exclude` (the output folder, when it
    sits inside an input) are skipped and listed."""
    walk = Walk()
    root_list = [str(r) for r in roots]
    inside = [os.path.realpath(r) for r in root_list if os.path.isdir(r)]
    excluded = {os.path.realpath(e) for e in exclude}
    seen: set[tuple[int, int]] = set()

    def within_inputs(target: str) -> bool:
        return any(target == r or target.startswith(os.path.join(r, "")) for r in inside)

    def visit(folder: str) -> None:
        try:
            status = os.stat(folder)
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError as error:
            walk.unreadable.append((folder, f"cannot list this folder: {error.strerror or error}"))
            return
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows a link: a link to a folder counts as a folder
                is_link = entry.is_symlink()
            except OSError:
                is_dir = is_link = False
            if is_dir:
                folders.append((entry, is_link))
            elif is_link and os.path.exists(entry.path) and not follow_symlinks \
                    and not within_inputs(os.path.realpath(entry.path)):
                walk.skipped.append((entry.path, "a link to a file outside the input folders; not followed "
                                                 "(use --follow-symlinks)"))
            else:
                walk.files.append(entry.path)
        for entry, is_link in folders:
            real = os.path.realpath(entry.path)
            if real in excluded:
                walk.skipped.append((entry.path, "the output folder is inside an input; not archived"))
            elif is_link and not follow_symlinks:
                walk.skipped.append((entry.path, "a link to a folder; not followed (use --follow-symlinks)"))
            else:
                try:
                    status = os.stat(entry.path)
                except OSError as error:
                    walk.unreadable.append((entry.path, f"cannot list this folder: {error.strerror or error}"))
                    continue
                if (status.st_dev, status.st_ino) in seen:
                    walk.skipped.append((entry.path, "a link to a folder already walked (a loop); not followed"))
                    continue
                visit(entry.path)

    for root in root_list:
        if os.path.isdir(root):
            if os.path.realpath(root) in excluded:
                walk.skipped.append((root, "the output folder is an input; not archived"))
                continue
            visit(root)
        else:
            walk.files.append(root)
    return walk


def iter_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """The files `walk_sources` finds under `paths` (links out of the tree not followed)."""
    yield from walk_sources(paths).files


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
    for outcome in map_files(ingest, list(paths), workers, executor, on_crash=_crashed):
        if on_progress:
            on_progress(outcome)
        yield outcome


T = TypeVar("T")

# Files per task sent to a worker process: one task per file would cost more in messages and futures
# than some small files cost to archive.
_FILES_PER_TASK = 8


def map_files(function: Callable[[str], T], files: list[str], workers: int = 1, executor: str = "local",
              on_crash: Callable[[str, str], T] | None = None) -> Iterator[T]:
    """`function` of every file, in input order, run by `executor` (see `ingest_many`). `function`
    must be picklable (a module-level function, or a `functools.partial` of one) and must not raise:
    `ingest_path` turns every failure into an outcome. `on_crash(path, reason)` gives the outcome of
    a file whose worker process died reading it (a crash in a C library, the kernel's OOM killer):
    the batch goes on without it."""
    if executor == "local" and (workers <= 1 or len(files) <= 1):
        yield from map(function, files)
        return
    size = max(1, min(_FILES_PER_TASK, len(files) // (max(workers, 1) * 4)))
    tasks = [files[start:start + size] for start in range(0, len(files), size)]
    task = partial(_map_chunk, function)
    if executor == "local":
        results = _map_on_pool(task, tasks, workers, on_crash)
    else:
        from .distributed import map_on_dask

        results = map_on_dask(task, tasks, executor, workers)
    for result in results:
        yield from result


def _map_on_pool(task: Callable[[list[str]], list[T]], tasks: list[list[str]], workers: int,
                 on_crash: Callable[[str, str], T] | None = None) -> Iterator[list[T]]:
    """Results of each task in order. A bounded window of submitted tasks keeps memory flat: finished
    results (with their original bytes) cannot pile up when the consumer writes more slowly than the
    workers read. When a worker dies the pool is broken and every task in flight with it: a new pool
    runs those again one at a time (a task that still kills its worker is split into single files),
    so the one file that kills a worker is found, and the batch goes on after it."""
    queue: deque[list[str]] = deque(tasks)
    suspects: deque[list[str]] = deque()
    window = workers * 4
    while queue or suspects:
        with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                                 initargs=(os.getpid(), threading.current_thread() is threading.main_thread())) as pool:
            pending: deque[tuple[list[str], Future[list[T]]]] = deque()
            try:
                while suspects:  # alone in the pool: if it dies now, this task is the cause
                    result = pool.submit(task, suspects[0]).result()
                    suspects.popleft()
                    yield result
                while queue or pending:
                    while queue and len(pending) < window:
                        pending.append((queue[0], pool.submit(task, queue[0])))
                        queue.popleft()
                    result = pending[0][1].result()
                    pending.popleft()
                    yield result
            except BrokenProcessPool:
                if on_crash is None:
                    raise
                if suspects:
                    files = suspects.popleft()
                    if len(files) == 1:
                        yield [on_crash(files[0], "the worker process died while reading this file")]
                    else:
                        suspects.extendleft(reversed([[f] for f in files]))
                else:
                    suspects = deque(files for files, _ in pending)


def _crashed(path: str, reason: str) -> Outcome:
    return Outcome(path=path, error=ReaderFailure(path, reason))


def _die_with_parent(parent: int, from_main_thread: bool) -> None:
    """In a pool worker: end when the process that started the pool is gone. A killed batch (SIGKILL
    runs no cleanup) must not leave workers behind, reading files for no one. Linux ends the worker
    at once (PR_SET_PDEATHSIG, which fires when the creating thread ends: used only when that is the
    main thread); otherwise a watcher thread notices within half a second."""
    if from_main_thread:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="archive-parent-watch", daemon=True).start()


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
