"""A readable view of one record for the terminal: metadata, languages, and every block."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import display_path
from .record import Record

_PREVIEW = 160


def load_record(reference: str, bundle: Path) -> Record:
    """A record from a record id in `bundle`, from a record JSON file, or by archiving a source file."""
    path = Path(reference)
    candidate = bundle / "data" / "records" / f"{reference}.json"
    if candidate.exists():
        path = candidate
    if not path.exists():
        raise FileNotFoundError(f"{reference}: no such record id in {bundle} and no such file")
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if isinstance(data, dict) and "blocks" in data and "source" in data:
            return Record.from_dict(data)
    from .pipeline import ingest_file

    return ingest_file(path)


def render_record(record: Record, console: Console) -> None:
    meta = record.metadata
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    rows: list[tuple[str, str]] = [
        ("id", record.id),
        ("source", f"{display_path(record.source.filename)} ({record.source.media_type}, "
                   f"{record.source.size} bytes)"),
        ("sha256", record.source.sha256),
    ]
    if record.source.encoding:
        enc = record.source.encoding
        rows.append(("encoding", f"{enc.name} ({enc.method}, confidence {enc.confidence:.2f})"))
    rows.append(("title", f"{meta.title or '—'}" + (f"  [{meta.title_lang}]" if meta.title_lang else "")))
    for person in meta.authors:
        rows.append((person.role, person.name + (f" — {person.affiliation}" if person.affiliation else "")))
    for date in meta.dates:
        rows.append((f"date ({date.role})", f"{date.iso}  «{date.original}» {date.calendar}"))
    for label, value in (("publisher", meta.publisher), ("site", meta.site), ("abstract", meta.abstract)):
        if value:
            rows.append((label, value if len(value) < 300 else value[:300] + "…"))
    if meta.keywords:
        rows.append(("keywords", "; ".join(meta.keywords)))
    if meta.citation and meta.citation.journal:
        c = meta.citation
        rows.append(("citation", f"{c.journal} {c.volume or ''}({c.issue or ''}) {c.pages or ''} {c.url or ''}"))
    rows += [("url", url) for url in meta.urls[:10]]
    rows += [("email", email) for email in meta.emails]
    rows.append(("languages", ", ".join(f"{x.tag} {x.share:.1%}" for x in record.languages)
                 + f"  (main: {record.main_language}; scripts: {', '.join(record.scripts)})"))
    for warning in record.warnings:
        rows.append(("warning", warning))
    for label, value in rows:
        head.add_row(label, escape(value))
    console.print(head)
    table = Table(show_header=True, header_style="bold", expand=True)
    for column in ("id", "type", "lang", "dir", "text"):
        table.add_column(column, overflow="fold", ratio=6 if column == "text" else None)
    for block in record.blocks:
        kind = block.type + (f" {block.level}" if block.level else "") + (f" [{block.label}]" if block.label else "")
        text = block.text if len(block.text) <= _PREVIEW else block.text[:_PREVIEW] + "…"
        foreign = [f"{s.lang}:{block.text[s.start:s.end][:30]}" for s in block.spans if s.kind == "foreign"]
        if foreign:
            text += "\n  foreign: " + " | ".join(foreign)
        table.add_row(block.id, kind, block.lang or "", block.dir or "", escape(text))
    console.print(table)
