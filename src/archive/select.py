"""Choosing records for an export: by language, by publication date range, by a search term."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .record import Record


def select_records(
    records: Iterable[Record],
    langs: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    term: str | None = None,
) -> list[Record]:
    """Records matching every given criterion. Dates compare as ISO prefixes, so `--since 2025`
    and `--until 2025-01` work; a record with no date is left out only when a range is given."""
    return list(iter_selected(records, langs, since, until, term))


def iter_selected(
    records: Iterable[Record],
    langs: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    term: str | None = None,
) -> Iterator[Record]:
    """`select_records` one record at a time, for exports that stream a bundle."""
    wanted_langs = {tag.lower() for tag in langs} if langs else None
    needle = term.casefold() if term else None
    for record in records:
        if wanted_langs is not None:
            tags = {lang.tag.lower() for lang in record.languages}
            tags |= {tag.split("-")[0] for tag in tags}
            if not tags & wanted_langs:
                continue
        if since or until:
            date = record.metadata.date("published")
            if date is None:
                continue
            if since and date.iso[: len(since)] < since:
                continue
            if until and date.iso[: len(until)] > until:
                continue
        if needle is not None:
            haystack = " ".join([record.metadata.title or "", *(b.text for b in record.blocks)]).casefold()
            if needle not in haystack:
                continue
        yield record
