"""One registry maps export format names to writers; the CLI and `archive build` ask it.

Every writer takes the records and an output folder and returns the paths it wrote. Records may come
as a generator (read one at a time from a bundle): a writer that can stream (TEI) holds one record at
a time, one that cannot (an EPUB pack) collects them itself. Writers are imported on first use, so a
format's library is loaded only when that format is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..record import Record


@dataclass(frozen=True)
class ExportOptions:
    title: str | None = None
    one_per_record: bool = False
    include_boilerplate: bool = False
    font: Path | None = None
    # Called with a record's id and the error when one record cannot be converted; without it the
    # error ends the export. A batch lists the record and goes on with the others.
    on_error: Callable[[str, BaseException], None] | None = None


Exporter = Callable[[Iterable[Record], Path, ExportOptions], list[Path]]


def _tei(records: Iterable[Record], out: Path, options: ExportOptions) -> list[Path]:
    write_tei = import_module(f"{__name__}.tei").write_tei
    return list(write_tei(records, out / "tei", on_error=options.on_error))


def _epub(records: Iterable[Record], out: Path, options: ExportOptions) -> list[Path]:
    write_epubs = import_module(f"{__name__}.epub").write_epubs
    return list(write_epubs(records, out / "epub", one_per_record=options.one_per_record,
                            title=options.title, include_boilerplate=options.include_boilerplate,
                            font=options.font))


EXPORTERS: dict[str, Exporter] = {"tei": _tei, "epub": _epub}


def available_formats() -> list[str]:
    """Formats whose writer module is installed in this version of the package."""
    formats = []
    for name in EXPORTERS:
        try:
            import_module(f"{__name__}.{name}")
        except ImportError:
            continue
        formats.append(name)
    return formats


def export(name: str, records: Iterable[Record], out: Path, options: ExportOptions | None = None) -> list[Path]:
    if name not in EXPORTERS:
        raise KeyError(f"unknown export format {name!r}; known: {', '.join(sorted(EXPORTERS))}")
    return EXPORTERS[name](records, out, options or ExportOptions())
