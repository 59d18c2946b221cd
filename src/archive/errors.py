"""Errors that name the file, the stage that failed and why, so a batch report can list them."""

from __future__ import annotations

import base64
import errno
import os
import re
import sqlite3

_UNSAFE_FOR_DISPLAY = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    # A byte that is not UTF-8 reaches Python as a lone surrogate (surrogateescape): show the byte.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def display_path(path: str) -> str:
    """A path as it is safe to print: control, bidi-override and surrogate characters become escapes
    (`\\u202e`; a byte that is not UTF-8 becomes `\\xff`), so a file name cannot rewrite the terminal
    or disguise its extension in a report, and every name prints as valid UTF-8. Not reversible on
    its own: `name_bytes` keeps the exact bytes where the escaped form differs from them."""
    return _UNSAFE_FOR_DISPLAY.sub(_escape, path)


def name_bytes(name: str) -> str | None:
    """The exact bytes of a file name (as the file system holds them), base64-encoded, when its
    display form does not say them exactly; None when the display form is the name itself."""
    if display_path(name) == name:
        return None
    return base64.b64encode(os.fsencode(name)).decode("ascii")


def storable_path(path: str) -> str:
    """A path as a text key that any UTF-8 store (SQLite, JSON) accepts, one to one with the path:
    the path itself when it is valid Unicode, otherwise `bytes:` and its bytes in hex (an absolute
    path starts with `/`, so the two forms never meet)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "bytes:" + os.fsencode(path).hex()
    return path


def path_from_storable(key: str) -> str:
    """The path a `storable_path` key stands for."""
    return os.fsdecode(bytes.fromhex(key[6:])) if key.startswith("bytes:") else key


class IngestError(Exception):
    """A source could not be archived. The batch records it and goes on with the next file."""

    stage = "ingest"

    def __init__(self, path: str, reason: str, stage: str | None = None) -> None:
        self.path = path
        self.reason = reason
        if stage is not None:
            self.stage = stage
        super().__init__(f"{display_path(path)}: {self.stage}: {reason}")

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str, str]]:
        # Errors travel back from worker processes; pickle must rebuild them from their own fields.
        return (type(self), (self.path, self.reason, self.stage))

    def to_dict(self) -> dict[str, str]:
        # a reason may quote a name or a library's message: shown as safely as a path, and always UTF-8;
        # a path shown escaped comes with its exact bytes, so a script can still find the file
        shown = {"path": display_path(self.path), "stage": self.stage, "reason": display_path(self.reason),
                 "kind": type(self).__name__}
        exact = name_bytes(self.path)
        if exact is not None:
            shown["path_bytes"] = exact
        return shown


class UnsupportedFormat(IngestError):
    stage = "sniff"


class UnreadableFile(IngestError):
    stage = "read"


class DecodeFailure(IngestError):
    stage = "decode"


class ReaderFailure(IngestError):
    """The format was recognized but its content is damaged, encrypted or hostile."""

    stage = "reader"


class LimitExceeded(IngestError):
    """The file is larger, slower or more deeply nested than the configured limits allow."""

    stage = "limits"


class ExportError(Exception):
    """An export could not be written; names the output and the reason."""


class RunFault(Exception):
    """The run itself could not go on (a full disk, a read-only or busy output folder, an unreachable
    cluster): one line naming the path and the cause. Not a file's failure: the command exits with
    its own status so a script can tell "some files failed" from "the run did not finish"."""


class UsageError(Exception):
    """The command was asked something it cannot do (an unknown executor, an output that is a file);
    found before anything is created."""


_FAULT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO}


def is_run_fault(error: BaseException) -> bool:
    """Whether an error writing the archive means the output folder cannot take more (the run must
    stop) rather than a problem of one file."""
    if isinstance(error, OSError):
        return error.errno in _FAULT_ERRNOS
    if isinstance(error, sqlite3.OperationalError):
        text = str(error)
        return any(p in text for p in ("disk is full", "readonly database", "disk I/O error", "unable to open"))
    return False


def fault_from(error: BaseException, doing: str) -> RunFault:
    """A RunFault that names what was being written and why it failed, in one line."""
    if isinstance(error, OSError):
        where = f" {display_path(os.fsdecode(error.filename))}" if error.filename is not None else ""
        cause = error.strerror or str(error)
        return RunFault(f"could not finish: {doing}{where}: {cause}")
    return RunFault(f"could not finish: {doing}: {display_path(str(error))}")
