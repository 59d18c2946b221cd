"""Fixity and contract checks of a JSON bundle: BagIt checksums, originals against their records'
SHA-256, and every record and the index against the project's JSON Schemas.

Each problem names the file it concerns, so a flipped byte anywhere is reported where it happened.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import bagit
from jsonschema import Draft202012Validator, FormatChecker


@dataclass(frozen=True)
class Problem:
    """One finding of a validator: the file, the line when the validator knows it, and what is wrong."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator for one of the schemas shipped in archive/schemas (record, index)."""
    text = resources.files("archive").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text), format_checker=FormatChecker())


def schema_problems(data: Any, name: str, file: str) -> list[Problem]:
    """Every JSON Schema violation of `data` against schema `name`, with the JSON path of each."""
    problems = []
    for error in sorted(schema_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problems.append(Problem(file, f"{name} schema: at {where}: {error.message}"))
    return problems


def record_problems(record_file: Path) -> list[Problem]:
    try:
        data = json.loads(record_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [Problem(str(record_file), f"not a JSON record: {error}")]
    return schema_problems(data, "record", str(record_file))


def verify_bundle(bundle: str | Path) -> list[Problem]:
    """Everything wrong with a bundle; an empty list means it verifies."""
    bundle = Path(bundle)
    problems: list[Problem] = []
    try:
        bag = bagit.Bag(str(bundle))
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        details = getattr(error, "details", None) or []
        problems += [Problem(str(bundle / getattr(d, "path", "")), str(d)) for d in details]
        if not details:
            problems.append(Problem(str(bundle), f"BagIt: {error.message}"))
    except bagit.BagError as error:
        return [Problem(str(bundle), f"not a valid BagIt bag: {error}")]

    data = bundle / "data"
    index_file = data / "index.json"
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return problems + [Problem(str(index_file), f"index unreadable: {error}")]
    problems += schema_problems(index, "index", str(index_file))

    for entry in index.get("records", []):
        record_file = data / "records" / f"{entry.get('id')}.json"
        if not record_file.exists():
            problems.append(Problem(str(record_file), "record listed in the index is missing"))
            continue
        found = record_problems(record_file)
        problems += found
        if found:
            continue
        record = json.loads(record_file.read_text(encoding="utf-8"))
        problems += _original_problems(data, record_file, record)
    return problems


def _original_problems(data: Path, record_file: Path, record: dict[str, Any]) -> list[Problem]:
    source = record["source"]
    if "path" not in source:
        return [Problem(str(record_file), "record does not name its original in the bundle")]
    original = data / source["path"]
    if not original.is_file():
        return [Problem(str(original), "original named by the record is missing")]
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    if digest != source["sha256"]:
        return [Problem(str(original), f"SHA-256 {digest} does not match the record's {source['sha256']}")]
    return []
