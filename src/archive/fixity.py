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

from jsonschema import Draft202012Validator, FormatChecker

from .digest import sha256_and_size
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
    """Everything wrong with a bundle and with the exports beside it; an empty list means it verifies.

    `bundle` may also be the archive folder that holds it (OUT rather than OUT/bundle). Every payload
    file the manifest lists is checked, and each one changed, missing or added is named with its
    size: a size change is not left to a bare "Payload-Oxum validation failed"."""
    bundle = Path(bundle)
    if not (bundle / "bagit.txt").exists() and (bundle / "bundle").is_dir():
        bundle = bundle / "bundle"
    problems = _bag_problems(bundle)
    if problems and not (bundle / "bagit.txt").exists():
        return problems

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
    return problems + export_manifest_problems(bundle.parent)


def _read_manifest(file: Path) -> dict[str, str]:
    """A BagIt manifest as {relative path: checksum}, with its %0D/%0A/%25 escapes undone."""
    entries = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, name = line.partition(" ")
            name = name.lstrip(" *").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
            entries[name] = digest.lower()
    return entries


def _files_under(root: Path, folder: Path, hidden: bool = False) -> dict[str, Path]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (hidden or not path.name.startswith(".")):
            found[path.relative_to(root).as_posix()] = path
    return found


def _compare(root: Path, listed: dict[str, str], present: dict[str, Path], what: str) -> list[ValidationIssue]:
    """Every file changed, missing or added since `listed` was written, each named with its size."""
    problems = []
    for name in sorted(listed.keys() - present.keys()):
        problems.append(ValidationIssue(str(root / name), None, f"missing: listed in the {what} but not there"))
    for name in sorted(present.keys() - listed.keys()):
        size = present[name].stat().st_size
        problems.append(ValidationIssue(str(root / name), None, f"extra: {size} bytes not listed in the {what}"))
    for name in sorted(listed.keys() & present.keys()):
        digest, size = sha256_and_size(present[name])
        if digest != listed[name]:
            problems.append(ValidationIssue(str(root / name), None,
                                            f"changed: now {size} bytes with SHA-256 {digest}; the {what} "
                                            f"says {listed[name]}"))
    return problems


def _bag_problems(bundle: Path) -> list[ValidationIssue]:
    """The bag's own fixity: bagit.txt, the tag manifest over the tag files, the payload manifest
    over every file of data/, and the Payload-Oxum."""
    if not (bundle / "bagit.txt").exists():
        return [ValidationIssue(str(bundle), None, "not a sealed BagIt bag (no bagit.txt): an interrupted run "
                                                   "left it; run the same command again to finish it")]
    problems: list[ValidationIssue] = []
    try:
        tags = _read_manifest(bundle / "tagmanifest-sha256.txt")
        present_tags = {name: bundle / name for name in tags if (bundle / name).is_file()}
        problems += _compare(bundle, tags, present_tags, "tag manifest")
    except OSError as error:
        problems.append(ValidationIssue(str(bundle / "tagmanifest-sha256.txt"), None, f"unreadable: {error}"))
    try:
        listed = _read_manifest(bundle / "manifest-sha256.txt")
    except OSError as error:
        return problems + [ValidationIssue(str(bundle / "manifest-sha256.txt"), None, f"unreadable: {error}")]
    present = _files_under(bundle, bundle / "data", hidden=True)
    problems += _compare(bundle, listed, present, "manifest")
    oxum = _bag_info(bundle).get("Payload-Oxum")
    actual = f"{sum(p.stat().st_size for p in present.values())}.{len(present)}"
    if oxum is not None and oxum != actual:
        problems.append(ValidationIssue(str(bundle / "bag-info.txt"), None,
                                        f"Payload-Oxum says {oxum} (bytes.files); the payload is {actual}"))
    return problems


def _bag_info(bundle: Path) -> dict[str, str]:
    try:
        lines = (bundle / "bag-info.txt").read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return {}
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines) if v}



EXPORT_MANIFEST = "exports-sha256.txt"
EXPORT_FOLDERS = ("tei", "epub")


def write_export_manifest(out: Path) -> Path | None:
    """`OUT/exports-sha256.txt`: the SHA-256 of every file in the export folders (tei/, epub/), in the
    BagIt manifest format, so `archive verify` finds an exported file edited, deleted or added."""
    from .atomic import write_text

    files: dict[str, Path] = {}
    for folder in EXPORT_FOLDERS:
        if (out / folder).is_dir():
            files.update(_files_under(out, out / folder))
    if not files and not (out / EXPORT_MANIFEST).exists():
        return None
    lines = [f"{sha256_and_size(path)[0]}  {name}\n" for name, path in sorted(files.items())]
    return write_text(out / EXPORT_MANIFEST, "".join(lines))


def export_manifest_problems(out: Path) -> list[ValidationIssue]:
    """Exported files that differ from `OUT/exports-sha256.txt` (none when there is no manifest)."""
    manifest = out / EXPORT_MANIFEST
    if not manifest.exists():
        return []
    listed = _read_manifest(manifest)
    present: dict[str, Path] = {}
    for folder in EXPORT_FOLDERS:
        if (out / folder).is_dir():
            present.update(_files_under(out, out / folder))
    return _compare(out, listed, present, EXPORT_MANIFEST)


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
