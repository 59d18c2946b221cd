"""Who did what, when: timestamps that honour SOURCE_DATE_EPOCH, and agents that name the libraries
whose code actually ran for a stage of a record.

A curator reads an event's agent as evidence of which software made the record, so a library is named
only where its code ran: the place that calls a library says so with `used(library)` while the pipeline
collects (`collecting()`), and the library is counted for the stage running then (`stage(name)`), so
ftfy repairing mojibake while a file is decoded belongs to `decode`, and the same repair of one block's
text to `normalize`. A reader's own parser (lxml for HTML, markdown-it-py for Markdown) is declared beside
it in the readers registry.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from functools import cache, lru_cache, wraps
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ParamSpec, TypeVar

from . import __version__
from .record import Event


class _Collection:
    """The stage running now, and for each stage the distribution names of the libraries that ran."""

    def __init__(self) -> None:
        self.stage = "read"
        self.libraries: dict[str, set[str]] = {}


_USED: ContextVar[_Collection | None] = ContextVar("libraries_used", default=None)


def used(library: str) -> None:
    """Say that `library` (its distribution name, as pip knows it) ran for the file at hand."""
    collection = _USED.get()
    if collection is not None:
        collection.libraries.setdefault(collection.stage, set()).add(library)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the libraries used inside this block for stage `name`, then go back to the stage before."""
    collection = _USED.get()
    if collection is None:
        yield
        return
    before, collection.stage = collection.stage, name
    try:
        yield
    finally:
        collection.stage = before


@contextmanager
def collecting() -> Iterator[dict[str, set[str]]]:
    """Collect, for one file, which libraries each stage used; each file gets its own collection because
    a context variable is reset on exit."""
    collection = _Collection()
    token = _USED.set(collection)
    try:
        yield collection.libraries
    finally:
        _USED.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def memo_naming_libraries(maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`lru_cache` for a function that may call a library: a cached answer still names the libraries
    that computed it, so a record's provenance does not depend on which files came before it."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @lru_cache(maxsize=maxsize)
        def computed(*args: Any) -> tuple[Any, tuple[str, ...]]:
            collection = _Collection()
            token = _USED.set(collection)
            try:
                result = function(*args)  # type: ignore[call-arg]
            finally:
                _USED.reset(token)
            return result, tuple(sorted(set().union(*collection.libraries.values())))

        @wraps(function)
        def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
            result, libraries = computed(*args)
            for library in libraries:
                used(library)
            return result  # type: ignore[no-any-return]

        remembered.cache_clear = computed.cache_clear  # type: ignore[attr-defined]
        return remembered

    return decorate


def now_iso() -> str:
    """Current UTC time to the second, or SOURCE_DATE_EPOCH when set, so rebuilds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return _iso_second(int(epoch) if epoch and epoch.isdigit() else int(time.time()))


@lru_cache(maxsize=2)
def _iso_second(second: int) -> str:
    """Every event of a file, and the files of a batch, fall in a few seconds: each second's string is
    made once instead of a datetime built and formatted for every event."""
    return datetime.fromtimestamp(second, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@cache
def library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


@cache
def _agent(libraries: tuple[str, ...]) -> str:
    """Cached: the same few strings are made for every event of every file of a batch."""
    return " ".join([f"archive/{__version__}"] + [f"{lib}/{library_version(lib)}" for lib in libraries])


def agent(libraries: Iterable[str] = ()) -> str:
    """`archive/<version>` and `<library>/<version>` for each library, in name order."""
    return _agent(tuple(sorted(set(libraries))))


def event(stage: str, detail: dict[str, Any], libraries: Iterable[str] = (), at: str | None = None) -> Event:
    return Event(event=stage, at=at or now_iso(), agent=agent(libraries), detail=detail)
