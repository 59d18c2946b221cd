"""Atomic file writes: a temporary file in the same folder, flushed to disk, then renamed over the target.

An interrupted run therefore leaves either the previous file or the new one, never half of one.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_serial = itertools.count()
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _temporary_beside(target: Path) -> tuple[int, str]:
    """An open, new temporary file in the target's folder (created when missing), readable by its
    owner only, as tempfile makes them. Its name is this process's id and a counter, not tempfile's
    random letters: exclusive creation already makes it safe, and a batch makes two per document.
    The folder is made only when the first attempt fails, so writing many files into an existing
    folder costs one file creation each and no extra call."""
    folder, name = os.path.split(target)
    # The temporary's name must fit in 255 bytes too: a long target name gives up its end to the suffix.
    name = os.fsencode(name)[:200].decode("utf-8", "ignore") if len(os.fsencode(name)) > 200 else name
    while True:
        temporary = os.path.join(folder, f".{name}.{os.getpid()}-{next(_serial)}.part")
        try:
            return os.open(temporary, _CREATE_NEW, 0o600), temporary
        except FileExistsError:  # left by a killed process that had the same id: take the next name
            continue
        except FileNotFoundError:
            os.makedirs(folder or ".", exist_ok=True)
            return os.open(temporary, _CREATE_NEW, 0o600), temporary


@contextmanager
def _replacing(target: Path) -> Iterator[tuple[int, str]]:
    """An open temporary beside `target` (descriptor, path): renamed over `target` when the block
    ends, removed if it fails."""
    fd, temporary = _temporary_beside(target)
    try:
        yield fd, temporary
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


@contextmanager
def atomic_path(target: str | os.PathLike[str], durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on error it is removed.

    `durable=False` skips the fsync: the rename still makes the write atomic for a killed process,
    and a caller writing many files (the bundle) makes them durable together with one `sync()`."""
    with _replacing(Path(target)) as (fd, temporary):
        os.close(fd)
        yield Path(temporary)
        if durable:
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())


def write_bytes(target: str | os.PathLike[str], data: bytes, durable: bool = True) -> Path:
    """`data` into `target` atomically, through the temporary file's own descriptor (no second open)."""
    temporary = write_temporary(target, data, durable)
    try:
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return Path(target)


def write_temporary(target: str | os.PathLike[str], data: bytes, durable: bool = False) -> str:
    """`data` in a new temporary beside `target`, not yet renamed: the first half of an atomic write.
    A batch's worker processes do this half while the one process that owns the folder renames, in
    order. A temporary that is never renamed is swept by the next writer (`remove_stale_temporaries`)."""
    fd, temporary = _temporary_beside(Path(target))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def write_text(target: str | os.PathLike[str], text: str, durable: bool = True) -> Path:
    return write_bytes(target, text.encode("utf-8"), durable)


def sync() -> None:
    """Flush every written file to disk at once (cheaper than one fsync per file)."""
    if hasattr(os, "sync"):
        os.sync()


TEMPORARY_PATTERNS = (".*.part", ".*.tmp")


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> int:
    """Delete temporaries a killed run left between creating and renaming them (SIGKILL skips every
    cleanup); a writer calls this before it starts, so they never pile up or enter a manifest."""
    removed = 0
    root = Path(folder)
    if not root.is_dir():
        return 0
    for pattern in TEMPORARY_PATTERNS:
        for path in root.rglob(pattern):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


LOCK_NAME = ".archive.lock"
_held: dict[str, int] = {}


class FolderInUse(Exception):
    """Another run holds the output folder."""


@contextmanager
def folder_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the output folder for this run: a second run on the same folder refuses at once ("in use
    by pid N") instead of sweeping the first one's temporaries or racing it for the catalog.

    The lock is an advisory `flock` on a file in the folder, so the kernel releases it when its holder
    dies: a lock left by a killed run is simply taken over. Nested use in one process (build =
    ingest + export) holds it once. The lock file is removed on release."""
    key = os.path.realpath(folder)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        import fcntl
    except ImportError:  # no flock on this system: run unlocked, as before
        yield
        return
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, LOCK_NAME)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise FolderInUse(f"{folder} is in use by pid {holder} (another archive run); "
                              "wait for it to finish") from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:  # not a file its last holder removed between our open and our lock
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        try:
            os.unlink(path)
        except OSError:
            pass
        finally:
            os.close(fd)
