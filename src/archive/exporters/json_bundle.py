"""The JSON bundle: a BagIt bag holding every record, the original bytes and an index.

The bag is the archive's primary store: TEI and EPUB exports are made from it, and `archive verify`
re-checks it. Records are written one at a time as they arrive (nothing holds the whole batch), and
the manifests are regenerated once at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from .. import __version__
from ..atomic import atomic_path, remove_stale_temporaries, sync, write_temporary, write_text
from ..digest import sha256_and_size
from ..errors import display_path
from ..provenance import now_iso
from ..record import Record

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
_BIDI_AND_FORMAT = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")


def dump_bytes(data: Any) -> bytes:
    """The one JSON style of the archive: UTF-8 text (not \\u escapes), stable key order, two-space
    indent, a final newline. orjson writes exactly what json.dumps(indent=2, ensure_ascii=False) would,
    an order of magnitude faster, and as the bytes a file gets, with no round trip through str."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def dumps(data: Any) -> str:
    """`dump_bytes` as text."""
    return dump_bytes(data).decode("utf-8")


# Most bytes of a stored original's own name: a file system allows 255, and the record id before it
# (18 bytes) and a temporary's suffix after it (see atomic.py) must still fit.
_NAME_BYTES = 160


def safe_filename(name: str, fallback: str = "original") -> str:
    """A file name safe on every file system, with bidi overrides removed so it cannot disguise itself,
    and short enough in UTF-8 bytes, whatever its script, to take the record id and a temporary suffix:
    a long name loses the end of its stem, never its extension or half a character."""
    name = unicodedata.normalize("NFC", name)
    name = _BIDI_AND_FORMAT.sub("", _UNSAFE_NAME.sub("_", name)).strip(" .")
    if len(name.encode("utf-8")) > _NAME_BYTES:
        stem, dot, extension = name.rpartition(".")
        if not dot or len(extension.encode("utf-8")) > 16:
            stem, dot, extension = name, "", ""
        room = _NAME_BYTES - len((dot + extension).encode("utf-8"))
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
        name = stem + dot + extension
    return name or fallback


def index_entry(record: Record, source_name: str | None = None) -> dict[str, Any]:
    published = record.metadata.date("published")
    return {
        "id": record.id,
        "title": record.metadata.title,
        "main_language": record.main_language,
        "languages": [lang.tag for lang in record.languages],
        "date": published.iso if published else None,
        # the index is read by people and tools alike: control and bidi characters are shown escaped
        "source": display_path(source_name or record.source.filename),
        "media_type": record.source.media_type,
        "sha256": record.source.sha256,
        "blocks": len(record.blocks),
    }


@dataclass(frozen=True)
class StoredRecord:
    """A record in the form the bundle stores it: its JSON, where its original goes, its index entry.

    Made where the record was made (a worker process, in a parallel batch), so the one process that
    writes the bundle only writes files; this is also far cheaper to send between processes than
    the record itself."""

    record_id: str
    original: str  # the original's path in data/
    document: bytes
    entry: dict[str, Any]


@dataclass(frozen=True)
class StagedRecord:
    """A record whose JSON and original bytes already wait in temporaries beside their places in a
    bundle: creating a file costs far more than renaming one, so parallel workers create them and
    the writing process only renames, in input order (which also decides, as in a serial run, which
    of two sources with identical bytes names their shared record)."""

    record_id: str
    entry: dict[str, Any]
    renames: tuple[tuple[str, str], ...]  # (temporary, target) pairs


def stage_record(data: Path, stored: StoredRecord, original: bytes) -> StagedRecord:
    """Write `stored` and `original` into temporaries beside their places under the bundle's `data`."""
    renames = []
    try:
        for target, content in ((data / stored.original, original),
                                (data / "records" / f"{stored.record_id}.json", stored.document)):
            renames.append((write_temporary(target, content), str(target)))
    except BaseException:
        for temporary, _ in renames:
            os.unlink(temporary)
        raise
    return StagedRecord(stored.record_id, stored.entry, tuple(renames))


def stored_form(record: Record, source_name: str | None = None) -> StoredRecord:
    """One folder holds every original, named by record id then the source's own name: no folder per
    record, which would cost an extra file-system creation for every file of a batch."""
    record.source.path = f"originals/{record.id}-{safe_filename(record.source.filename)}"
    return StoredRecord(record.id, record.source.path, dump_bytes(record.to_dict()),
                        index_entry(record, source_name))


class _IndexEntries:
    """The index's entries, kept in a private temporary SQLite database rather than in memory.

    A run over 20,000 files would otherwise hold 20,000 entries until the index is written; SQLite
    keeps a small page cache and spills the rest to a temporary file it deletes on close, and its
    ORDER BY gives the index order (source, then id) without loading every entry at once. SQLite
    compares TEXT as UTF-8 bytes, which orders strings exactly as Python does (by code point)."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": private, on disk when it outgrows the cache, deleted on close
        self.db.execute("CREATE TABLE entries (id TEXT PRIMARY KEY, source TEXT NOT NULL, entry BLOB NOT NULL)")

    def put(self, entry: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                        (entry["id"], entry["source"], orjson.dumps(entry)))

    def drop(self, record_id: str) -> None:
        self.db.execute("DELETE FROM entries WHERE id = ?", (record_id,))

    def __contains__(self, record_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM entries WHERE id = ?", (record_id,)).fetchone() is not None

    def in_order(self) -> Iterator[bytes]:
        for (entry,) in self.db.execute("SELECT entry FROM entries ORDER BY source, id"):
            yield entry

    def close(self) -> None:
        self.db.close()


class BundleWriter:
    """Adds records and originals to a bag at `path` (created when missing), then `close()` seals it."""

    def __init__(self, path: str | Path, source_names: Callable[[], dict[str, str]] | None = None) -> None:
        """`source_names` gives the source name of each record id (the catalog keeps them), so records
        a killed run wrote but never indexed are indexed under their own names, not their file names."""
        self.path = Path(path)
        self.source_names = source_names
        self.data = self.path / "data"
        remove_stale_temporaries(self.path)
        (self.data / "records").mkdir(parents=True, exist_ok=True)
        (self.data / "originals").mkdir(parents=True, exist_ok=True)
        self.index = _IndexEntries()
        for entry in iter_index(self.path):
            self.index.put(entry)
        self.changed = False

    def add(self, record: Record, original: bytes, source_name: str | None = None) -> Path:
        return self.add_stored(stored_form(record, source_name), original)

    def add_stored(self, stored: StoredRecord, original: bytes) -> Path:
        return self.add_staged(stage_record(self.data, stored, original))

    def add_staged(self, staged: StagedRecord) -> Path:
        """Rename a staged record's temporaries into place (original first, record last) and index it."""
        for temporary, target in staged.renames:
            os.replace(temporary, target)
        self.index.put(staged.entry)
        self.changed = True
        return self.data / "records" / f"{staged.record_id}.json"

    def sync(self) -> None:
        """Make the records and originals added so far durable (before the catalog says they exist)."""
        sync()

    def remove(self, record_id: str) -> None:
        """Drop a record whose source vanished or changed (its new version has a new id)."""
        self.index.drop(record_id)
        self.changed = True
        (self.data / "records" / f"{record_id}.json").unlink(missing_ok=True)
        for original in (self.data / "originals").glob(f"{record_id}-*"):
            original.unlink()
        folder = self.data / "originals" / record_id  # older bundles kept a folder per record
        if folder.is_dir():
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()

    def close(self) -> Path:
        """Write the index and seal the bag; a run that changed nothing leaves a sound bag untouched,
        so re-running over an unchanged corpus does not re-hash the whole payload."""
        try:
            self._adopt_unindexed_records()
            if not self.changed and _seal_is_current(self.path):
                return self.path
            with atomic_path(self.data / "index.json") as temporary, open(temporary, "wb") as out:
                _write_index(out, self.index.in_order())
        finally:
            self.index.close()
        _seal(self.path)
        return self.path

    def _adopt_unindexed_records(self) -> None:
        """Records written by a run that was killed before it could update the index join it now."""
        with os.scandir(self.data / "records") as entries:
            orphans = [e.path for e in entries if e.name.endswith(".json") and e.name[:-5] not in self.index]
        names = self.source_names() if orphans and self.source_names is not None else {}
        for record_file in sorted(orphans):
            record = Record.from_dict(json.loads(Path(record_file).read_text(encoding="utf-8")))
            self.index.put(index_entry(record, names.get(record.id)))
            self.changed = True


def _write_index(out: BinaryIO, entries: Iterator[bytes]) -> None:
    """index.json one entry at a time, byte for byte what dumps({"version": 1, "records": [...]})
    writes, without ever holding every entry."""
    first = next(entries, None)
    if first is None:
        out.write(dump_bytes({"version": 1, "records": []}))
        return
    out.write(b'{\n  "version": 1,\n  "records": [\n')
    for n, entry in enumerate(itertools.chain([first], entries)):
        if n:
            out.write(b",\n")
        text = orjson.dumps(orjson.loads(entry), option=orjson.OPT_INDENT_2)
        out.write(b"\n".join(b"    " + line for line in text.split(b"\n")))
    out.write(b"\n  ]\n}\n")


def _seal_is_current(path: Path) -> bool:
    """Cheap evidence that the last seal completed: the tag manifest matches the tag files, the
    manifest lists as many files as the payload holds, and its index.json checksum is the index's."""
    try:
        tags = dict(line.split()[::-1] for line in (path / "tagmanifest-sha256.txt").read_text().splitlines() if line)
        for name in ("manifest-sha256.txt", "bag-info.txt", "bagit.txt"):
            if tags.get(name) != sha256_and_size(path / name)[0]:
                return False
        manifest = dict(line.split(maxsplit=1)[::-1] for line in
                        (path / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines() if line)
    except (OSError, ValueError):
        return False
    payload = sum(len(files) for _, _, files in os.walk(path / "data"))
    if payload != len(manifest):
        return False
    return manifest.get("data/index.json") == sha256_and_size(path / "data" / "index.json")[0]


_BAGIT_TXT = "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
_TAG_FILES = ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")


def _seal(path: Path) -> None:
    """Write bagit.txt on first use, then the payload manifest, bag-info.txt and the tag manifest.

    The manifest is written line by line as the payload is hashed, in the order bagit-python uses
    (a sorted walk), so sealing 40,000 files holds one file name at a time rather than every entry
    twice over, as bagit-python's Bag.save() does; bagit-python still validates the result."""
    if not (path / "bagit.txt").exists():
        write_text(path / "bagit.txt", _BAGIT_TXT)
    files = octets = 0
    with atomic_path(path / "manifest-sha256.txt") as temporary, open(temporary, "w", encoding="utf-8",
                                                                      newline="\n") as manifest:
        for relative in _payload(path):
            digest, size = sha256_and_size(path / relative)
            manifest.write(f"{digest}  {relative.replace(chr(13), '%0D').replace(chr(10), '%0A')}\n")
            files += 1
            octets += size
    info = _read_bag_info(path / "bag-info.txt")
    info.update({
        "Bag-Software-Agent": [f"archive/{__version__}"],
        "Bagging-Date": [now_iso()[:10]],
        "External-Description": ["Archival records (JSON), original bytes and an index, made by archive."],
        "Payload-Oxum": [f"{octets}.{files}"],
    })
    write_text(path / "bag-info.txt",
               "".join(f"{key}: {value}\n" for key, values in sorted(info.items()) for value in values))
    tag_lines = [f"{sha256_and_size(path / name)[0]} {name}\n" for name in _TAG_FILES]
    write_text(path / "tagmanifest-sha256.txt", "".join(tag_lines))


def _payload(path: Path) -> Iterator[str]:
    """Payload files as bag-relative '/' paths: a sorted, top-down walk of data/."""
    for folder, dirs, names in os.walk(path / "data"):
        dirs.sort()
        base = Path(folder).relative_to(path).as_posix()
        for name in sorted(names):
            yield f"{base}/{name}"



def _read_bag_info(file: Path) -> dict[str, list[str]]:
    """bag-info.txt as lists of values by field (a field may repeat), folded lines joined, so the
    fields a curator added survive a re-seal."""
    info: dict[str, list[str]] = {}
    if not file.exists():
        return info
    values: list[str] | None = None
    for line in file.read_text(encoding="utf-8-sig").splitlines():
        if line[:1].isspace() and values:
            values[-1] += " " + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            values = info.setdefault(key.strip(), [])
            values.append(value.strip())
    return info


def write_bundle(records: Iterable[tuple[Record, bytes]], path: str | Path) -> Path:
    """Write records with their original bytes into a bag at `path`."""
    writer = BundleWriter(path)
    for record, original in records:
        writer.add(record, original)
    return writer.close()


def read_index(path: str | Path) -> list[dict[str, Any]]:
    return list(iter_index(path))


_INDEX_HEAD = b'{\n  "version": 1,\n  "records": [\n'


def iter_index(path: str | Path) -> Iterator[dict[str, Any]]:
    """A bundle's index entries one at a time, so adding to an archive of 20,000 records does not
    first hold all of them. The index is written in one layout (`_write_index`): each entry ends
    with a line that is four spaces and a closing brace, which no deeper value's line and no string
    (JSON strings hold no raw newline) can start with. An index in any other layout, edited by hand
    or made by another tool, is read whole."""
    index = Path(path) / "data" / "index.json"
    if not index.exists():
        return
    with open(index, "rb") as handle:
        if handle.read(len(_INDEX_HEAD)) != _INDEX_HEAD:
            handle.seek(0)
            yield from json.loads(handle.read().decode("utf-8"))["records"]
            return
        lines: list[bytes] = []
        for line in handle:
            if line.startswith(b"    }"):
                yield orjson.loads(b"".join(lines) + b"}")
                lines = []
            elif not line.startswith(b"  ]"):
                lines.append(line)


# An entry's "id" key and its string value. Inside a JSON string every quote is escaped, so this can
# only match a real key; the index's entries are flat objects and the only ones with an "id".
_ID_KEY = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")')


def index_ids(path: str | Path) -> list[str]:
    """The record ids of a bundle's index, in order, read line by line: only the ids are kept, not
    20,000 entries as Python objects."""
    index = Path(path) / "data" / "index.json"
    if not index.exists():
        return []
    with open(index, encoding="utf-8") as lines:
        return [json.loads(value) for line in lines for value in _ID_KEY.findall(line)]


def iter_records(path: str | Path) -> Iterator[Record]:
    """Records of a bundle in index order, read one at a time."""
    records = Path(path) / "data" / "records"
    for record_id in index_ids(path):
        yield Record.from_dict(json.loads((records / f"{record_id}.json").read_text(encoding="utf-8")))


def original_path(bundle: str | Path, record: Record) -> Path | None:
    return Path(bundle) / "data" / record.source.path if record.source.path else None
