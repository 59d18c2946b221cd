"""The SQLite catalog beside an archive: what was ingested, from where, by which pipeline version.

It makes re-runs incremental (a file whose path, size and modification time are unchanged since a
successful run of the same pipeline version is not read again), reports sources that vanished, and
serves script-aware full-text search with FTS5. The database runs in WAL mode and every file's
outcome is committed in its own transaction, so a run killed at any moment leaves it consistent.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import display_path, path_from_storable, storable_path
from .normalize import fold_for_search
from .record import Record

# Bump when a change to the pipeline should re-process archived files even though they are unchanged.
PIPELINE_REVISION = "2"  # 2: exact file names (filename_bytes); a file giving no text fails
PIPELINE_VERSION = f"{__version__}+p{PIPELINE_REVISION}"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT,
    record_id TEXT,
    pipeline_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('archived', 'failed', 'vanished')),
    error TEXT
);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    title TEXT,
    main_language TEXT,
    languages TEXT NOT NULL,
    date TEXT,
    media_type TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    record_id UNINDEXED, title, authors, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class CatalogEntry:
    """What the catalog keeps of a record: its listing and its folded search text. Made where the
    record was made (a worker process, in a parallel batch): folding is most of the cost of
    cataloguing a record, and it then runs on every core instead of in the one writing process."""

    record_id: str
    sha256: str
    title: str | None
    main_language: str | None
    languages: str  # JSON list of tags
    date: str | None
    media_type: str
    source: str
    folded_title: str
    folded_authors: str
    folded_body: str


def catalog_entry(record: Record, source_name: str) -> CatalogEntry:
    published = record.metadata.date("published")
    # folded block by block (the same as folding the joined text): English blocks take the fast path
    return CatalogEntry(
        record_id=record.id, sha256=record.source.sha256, title=record.metadata.title,
        main_language=record.main_language, languages=json.dumps([x.tag for x in record.languages]),
        date=published.iso if published else None, media_type=record.source.media_type,
        source=display_path(source_name),
        folded_title=fold_for_search(record.metadata.title or ""),
        folded_authors=fold_for_search("; ".join(p.name for p in record.metadata.authors)),
        folded_body="\n".join(fold_for_search(b.text) for b in record.blocks),
    )


@dataclass(frozen=True)
class SearchHit:
    record_id: str
    title: str | None
    main_language: str | None
    snippet: str


@dataclass(frozen=True)
class ListedRecord:
    record_id: str
    title: str | None
    main_language: str | None
    languages: list[str]
    date: str | None
    media_type: str
    source: str


class Catalog:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pending(self, files: Iterable[str]) -> tuple[list[str], list[str]]:
        """Split files into those to process and those unchanged since a successful run."""
        todo, unchanged = [], []
        for path in files:
            try:
                stat = os.stat(path)
            except OSError:
                todo.append(path)  # the pipeline reports why it cannot be read
                continue
            row = self.db.execute(
                "SELECT size, mtime_ns, pipeline_version, status FROM sources WHERE path = ?", (storable_path(path),)
            ).fetchone()
            if row == (stat.st_size, stat.st_mtime_ns, PIPELINE_VERSION, "archived"):
                unchanged.append(path)
            else:
                todo.append(path)
        return todo, unchanged

    def previous_record(self, path: str) -> str | None:
        row = self.db.execute("SELECT record_id FROM sources WHERE path = ?", (storable_path(path),)).fetchone()
        return row[0] if row else None

    def source_names(self) -> dict[str, str]:
        """Each catalogued record's source name (as the bundle index shows it), by record id: what a
        bundle needs to index records that a killed run wrote but never indexed."""
        return dict(self.db.execute("SELECT id, source FROM records"))

    def record_success(self, path: str, record: Record, source_name: str) -> None:
        self.record_entry(path, catalog_entry(record, source_name))

    def record_entry(self, path: str, entry: CatalogEntry, stat_key: tuple[int, int] | None = None) -> None:
        """Note an archived file; it becomes permanent at the next `commit()` (batched for speed —
        a run killed before it simply re-processes those files). `stat_key` is the file's (size,
        mtime_ns) when it was read; without it the file is asked now, which misses a change made
        while it was being archived."""
        if stat_key is None:
            stat = os.stat(path)
            stat_key = (stat.st_size, stat.st_mtime_ns)
        self.db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, 'archived', NULL)",
            (storable_path(path), *stat_key, entry.sha256, entry.record_id, PIPELINE_VERSION),
        )
        self._index_record(entry)

    def record_failure(self, path: str, reason: str) -> None:
        try:
            stat = os.stat(path)
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        self.db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, NULL, NULL, ?, 'failed', ?)",
            (storable_path(path), size, mtime, PIPELINE_VERSION, display_path(reason)),
        )

    def commit(self) -> None:
        self.db.commit()

    def mark_vanished(self, roots: Iterable[str], seen: set[str]) -> list[str]:
        """Sources under `roots` that earlier runs archived and that are no longer there.

        Each root costs two lookups on the primary key (the root itself, and the key range of the paths
        under it), so a run given thousands of files one by one stays linear."""
        vanished: set[str] = set()
        for root in roots:
            below = os.path.join(root, "")
            rows: list[tuple[str]] = []
            if storable_path(root) == root:
                rows = self.db.execute(
                    "SELECT path FROM sources WHERE status != 'vanished' AND (path = ? OR (path >= ? AND path < ?))",
                    (root, below, below[:-1] + chr(ord(below[-1]) + 1)),
                ).fetchall()
            # names that are not valid Unicode are kept as `bytes:` keys, outside the range above
            exact, prefix = os.fsencode(root), os.fsencode(below)
            for (key,) in self.db.execute(
                    "SELECT path FROM sources WHERE status != 'vanished' AND path >= 'bytes:' AND path < 'bytes;'"):
                raw = os.fsencode(path_from_storable(key))
                if raw == exact or raw.startswith(prefix):
                    rows.append((key,))
            for (key,) in rows:
                path = path_from_storable(key)
                if path not in seen and not os.path.exists(path):
                    vanished.add(path)
        with self.db:
            self.db.executemany("UPDATE sources SET status = 'vanished' WHERE path = ?",
                                [(storable_path(p),) for p in vanished])
        return sorted(vanished, key=os.fsencode)

    def is_referenced(self, record_id: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM sources WHERE record_id = ? AND status = 'archived' LIMIT 1", (record_id,)
        ).fetchone()
        return row is not None

    def forget_record(self, record_id: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM records WHERE id = ?", (record_id,))
            self.db.execute("DELETE FROM search WHERE record_id = ?", (record_id,))

    def index_record(self, entry: CatalogEntry) -> None:
        """Make a record searchable that no source file of its own stands for (a page inside a WARC)."""
        self._index_record(entry)

    def _index_record(self, entry: CatalogEntry) -> None:
        known = self.db.execute("SELECT 1 FROM records WHERE id = ?", (entry.record_id,)).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.record_id, entry.title, entry.main_language, entry.languages, entry.date, entry.media_type,
             entry.source),
        )
        if known:  # an FTS5 delete by an unindexed column scans the table: only when needed
            self.db.execute("DELETE FROM search WHERE record_id = ?", (entry.record_id,))
        self.db.execute("INSERT INTO search VALUES (?, ?, ?, ?)",
                        (entry.record_id, entry.folded_title, entry.folded_authors, entry.folded_body))

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Records matching every word of `query`, folded the same way as the index, best first."""
        words = [w for w in fold_for_search(query).split() if w.strip('"')]
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute(
            "SELECT s.record_id, r.title, r.main_language, snippet(search, 3, '[', ']', ' … ', 12) "
            "FROM search s JOIN records r ON r.id = s.record_id WHERE search MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        return [SearchHit(*row) for row in rows]

    def list_records(
        self, lang: str | None = None, since: str | None = None, until: str | None = None,
        media_type: str | None = None,
    ) -> Iterator[ListedRecord]:
        rows = self.db.execute("SELECT id, title, main_language, languages, date, media_type, source "
                               "FROM records ORDER BY source, id")
        for rid, title, main, languages, date, media, source in rows:
            tags = json.loads(languages)
            if lang and not any(t == lang or t.split("-")[0] == lang for t in tags):
                continue
            if since and (date is None or date[: len(since)] < since):
                continue
            if until and (date is None or date[: len(until)] > until):
                continue
            if media_type and media_type not in media:
                continue
            yield ListedRecord(rid, title, main, tags, date, media, source)
