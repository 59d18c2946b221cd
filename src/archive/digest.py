"""SHA-256 of files, read in 1 MiB blocks: one reading for the bundle writer, which records fixity,
and for `verify`, which checks it, so that both hash a file the same way."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_and_size(file: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and its size in bytes, from one pass over it."""
    digest = hashlib.sha256()
    size = 0
    with open(file, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
