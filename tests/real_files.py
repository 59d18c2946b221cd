"""Where the shared development sets of real documents are, for tests that measure on them.

They sit in `shared/real/` beside the checkout (`../shared`), or one level higher when the checkout is a
worktree inside a folder of worktrees. Tests that use them skip when neither is there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[1]


def real_dir(name: str) -> Path:
    """`shared/real/<name>`, or skip the test when the development sets are not beside the checkout."""
    for shared in (_REPO.parent / "shared", _REPO.parent.parent / "shared"):
        folder = shared / "real" / name
        if folder.is_dir():
            return folder
    pytest.skip(f"shared/real/{name} is not beside this checkout")
