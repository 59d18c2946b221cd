"""Errors that name the file, the stage that failed and why, so a batch report can list them."""

from __future__ import annotations

import re

_UNSAFE_FOR_DISPLAY = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\ud800-\udfff]")


def display_path(path: str) -> str:
    """A path as it is safe to print: control, bidi-override and surrogate characters become escapes,
    so a file name cannot rewrite the terminal or disguise its extension in a report."""
    return _UNSAFE_FOR_DISPLAY.sub(lambda m: f"\\u{ord(m.group()):04x}", path)


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
        return {"path": display_path(self.path), "stage": self.stage, "reason": self.reason,
                "kind": type(self).__name__}


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
