"""Provenance names exactly the libraries whose code made each step of a record.

Each document is ingested once normally; then again in a fresh interpreter where every declared
dependency that its provenance does not name is made unimportable: the record must come out the same
(nothing unnamed was needed). And each library a record names is made unimportable on its own: the
ingest must then fail or give another record (the named library was really used).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest

from archive.pipeline import ingest_bytes
from archive.provenance import agent, collecting, memo_naming_libraries, stage, used
from samples import samples

EPOCH = "1767225600"

EXTRA = {
    # ftfy repairs UTF-8 read as Windows-1252 while the file is decoded
    "mojibake.txt": "The cafÃ© served rÃ©sumÃ© writers every morning in the old quarter.\n".encode(),
    # a code page of another family: chardet is asked for candidates
    "tokyo.txt": "東京は日本の首都であり、世界最大の都市圏の一つです。多くの人々が住んでいます。\n".encode("shift_jis"),
    # a Solar Hijri and a lunar Hijri date are converted to ISO by their libraries
    "solar.txt": ("گزارش\n\nتاریخ انتشار: ۲۵ اسفند ۱۴۰۲\n\n"
                  "کابل پایتخت افغانستان است و مردم آن به زبان‌های دری و پشتو سخن می‌گویند.\n\n"
                  "The border was closed in October and trade fell by half, officials in Kabul said.\n").encode(),
    "lunar.txt": ("تقرير\n\nتاريخ النشر: ١٥ رمضان ١٤٤٥ هـ\n\n"
                  "إِنَّ مَعَ الْعُسْرِ يُسْرًا وقال الراوي إن المدينة كانت جميلة.\n").encode(),
}

RUNNER = r"""
import importlib.abc, json, sys
blocked = set(json.loads(sys.argv[2]))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"blocked: {name}", name=name)
        return None
sys.meta_path.insert(0, Block())
from archive.pipeline import ingest_bytes
data = open(sys.argv[1], "rb").read()
print(json.dumps(ingest_bytes(data, sys.argv[3]).to_dict(), ensure_ascii=False, sort_keys=True))
"""


def _distribution(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()


@cache
def _modules_of() -> dict[str, set[str]]:
    """Each base dependency of the package -> the top-level modules it installs."""
    base = {_distribution(r) for r in requires("archive") or () if "extra ==" not in r}
    modules: dict[str, set[str]] = {name: set() for name in base}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            if distribution.lower() in modules:
                modules[distribution.lower()].add(module)
    return modules


def _named(record: dict) -> set[str]:
    return {part.split("/")[0].lower() for e in record["provenance"] for part in e["agent"].split()[1:]}


def _run_blocked(tmp_path: Path, name: str, data: bytes, blocked: set[str]) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "source"
    source.write_bytes(data)
    modules = sorted(m for distribution in blocked for m in _modules_of()[distribution])
    return subprocess.run([sys.executable, "-c", RUNNER, str(source), json.dumps(modules), name],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


@cache
def _documents() -> dict[str, bytes]:
    return {**samples(), **EXTRA}


@cache
def _record(name: str) -> dict:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return ingest_bytes(_documents()[name], name).to_dict()
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@pytest.mark.parametrize("name", sorted(_documents()))
def test_a_record_needs_no_library_its_provenance_does_not_name(name: str, tmp_path: Path) -> None:
    record = _record(name)
    unnamed = set(_modules_of()) - _named(record)
    result = _run_blocked(tmp_path, name, _documents()[name], unnamed)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == json.loads(json.dumps(record, ensure_ascii=False, sort_keys=True))


def _first_document_naming() -> dict[str, str]:
    first: dict[str, str] = {}
    for name in sorted(_documents()):
        for library in sorted(_named(_record(name))):
            first.setdefault(library, name)
    return first


def test_the_documents_cover_every_library_ingest_can_use() -> None:
    assert {"chardet", "ftfy", "hijridate", "jdatetime", "lxml", "markdown-it-py", "pycld2", "pypdf",
            "pypdfium2"} <= set(_first_document_naming())


@pytest.mark.parametrize("library", ["chardet", "ftfy", "hijridate", "jdatetime", "lxml", "markdown-it-py",
                                     "pycld2", "pypdf", "pypdfium2"])
def test_each_library_a_record_names_was_needed_to_make_it(library: str, tmp_path: Path) -> None:
    name = _first_document_naming()[library]
    result = _run_blocked(tmp_path, name, _documents()[name], {library})
    if result.returncode == 0:
        assert json.loads(result.stdout) != json.loads(json.dumps(_record(name), ensure_ascii=False,
                                                                  sort_keys=True))
    else:
        assert "blocked" in result.stderr


def test_every_event_names_libraries_of_its_own_stage_only() -> None:
    record = _record("solar.txt")
    by_stage = {e["event"]: _named({"provenance": [e]}) for e in record["provenance"]}
    assert by_stage == {"read": set(), "decode": set(), "normalize": set(), "detect": {"pycld2"},
                        "extract": {"jdatetime"}}


def test_a_cached_answer_still_names_the_library_that_computed_it() -> None:
    calls: list[str] = []

    @memo_naming_libraries(maxsize=8)
    def double(x: int) -> int:
        calls.append("ran")
        used("somelib")
        return 2 * x

    for _ in range(2):
        with collecting() as libraries, stage("detect"):
            assert double(21) == 42
        assert libraries == {"detect": {"somelib"}}
    assert calls == ["ran"]


def test_agents_list_libraries_once_in_name_order() -> None:
    assert [part.split("/")[0] for part in agent(["pycld2", "ftfy", "pycld2"]).split()] == [
        "archive", "ftfy", "pycld2"]


def _imported_distributions(folder: Path) -> set[str]:
    """The distributions whose modules the code under `folder` imports (the standard library aside)."""
    import ast

    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = packages_distributions()
    return {owner.lower() for m in modules - set(sys.stdlib_module_names) for owner in owners.get(m, [m])}


def test_the_package_declares_exactly_the_libraries_its_code_imports() -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "archive"
    declared = {_distribution(r) for r in requires("archive") or () if "extra ==" not in r}
    optional = {_distribution(r) for r in requires("archive") or ()
                if 'extra == "dask"' in r or 'extra == "validate"' in r}
    imported = _imported_distributions(src) - {"archive"}
    assert imported - optional == declared
