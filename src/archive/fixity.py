"""Fixity and contract checks of a JSON bundle: BagIt checksums, originals against their records'
SHA-256, and every record and the index against the project's JSON Schemas.

Each problem names the file it concerns, so a flipped byte anywhere is reported where it happened.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import bagit
from jsonschema import Draft202012Validator, FormatChecker

from .validate import ValidationIssue


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator for one of the schemas shipped in archive/schemas (record, index)."""
    text = resources.files("archive").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text), format_checker=FormatChecker())


def schema_problems(data: Any, name: str, file: str) -> list[ValidationIssue]:
    """Every JSON Schema violation of `data` against schema `name`, with the JSON path of each."""
    problems = []
    for error in sorted(schema_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problems.append(ValidationIssue(file, None, f"{name} schema: at {where}: {error.message}"))
    return problems


def record_problems(record_file: Path) -> list[ValidationIssue]:
    try:
        data = json.loads(record_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [ValidationIssue(str(record_file), None, f"not a JSON record: {error}")]
    return schema_problems(data, "record", str(record_file))


def verify_bundle(bundle: str | Path) -> list[ValidationIssue]:
    """Everything wrong with a bundle; an empty list means it verifies."""
    bundle = Path(bundle)
    problems: list[ValidationIssue] = []
    try:
        bag = bagit.Bag(str(bundle))
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        details = getattr(error, "details", None) or []
        problems += [ValidationIssue(str(bundle / getattr(d, "path", "")), None, str(d)) for d in details]
        if not details:
            problems.append(ValidationIssue(str(bundle), None, f"BagIt: {error.message}"))
    except bagit.BagError as error:
        return [ValidationIssue(str(bundle), None, f"not a valid BagIt bag: {error}")]

    data = bundle / "data"
    index_file = data / "index.json"
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return problems + [ValidationIssue(str(index_file), None, f"index unreadable: {error}")]
    problems += schema_problems(index, "index", str(index_file))

    for entry in index.get("records", []):
        record_file = data / "records" / f"{entry.get('id')}.json"
        if not record_file.exists():
            problems.append(ValidationIssue(str(record_file), None, "record listed in the index is missing"))
            continue
        found = record_problems(record_file)
        problems += found
        if found:
            continue
        record = json.loads(record_file.read_text(encoding="utf-8"))
        problems += _original_problems(data, record_file, record)
    return problems


def _original_problems(data: Path, record_file: Path, record: dict[str, Any]) -> list[ValidationIssue]:
    source = record["source"]
    if "path" not in source:
        return [ValidationIssue(str(record_file), None, "record does not name its original in the bundle")]
    original = data / source["path"]
    if not original.is_file():
        return [ValidationIssue(str(original), None, "original named by the record is missing")]
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    if digest != source["sha256"]:
        message = f"SHA-256 {digest} does not match the record's {source['sha256']}"
        return [ValidationIssue(str(original), None, message)]
    return []
