"""Pages read again by pypdf, then pdfminer.six, where PDFium cannot read them or reads them wrong.

PDFium is fast and places every glyph, but it refuses some damaged files that the pure-Python
parsers repair, and it applies /ActualText spans in ways that shift letters between glyphs. pypdf
reads each text-showing operator with its matrix; pdfminer.six reads every glyph with its box. Both
give lines in the same shape as PDFium's layout (`Line`), so the block builder does not care which
library read a page.

Their warnings (Python warnings and log records) are gathered, never printed: the record carries
them, with the file's name.
"""

from __future__ import annotations

import io
import logging
import re
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..provenance import used
from .pdf_bidi import fold_presentation_forms, is_rtl_text, shared_glyph_letters, visual_line_to_logical
from .pdf_layout import Line, PageText, usable_text
from .pdf_quality import is_garbage

LIBRARY_LOGGERS = ("pypdf", "pdfminer")
_CID = re.compile(r"\(cid:\d+\)")


class _Collect(logging.Handler):
    def __init__(self, seen: Counter[str]) -> None:
        super().__init__(logging.WARNING)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[f"{record.name.split('.')[0]}: {record.getMessage()}"] += 1


@contextmanager
def captured(seen: Counter[str]) -> Iterator[None]:
    """Warnings and log records of pypdf and pdfminer.six counted into `seen` instead of stderr."""
    handler = _Collect(seen)
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        if lg.level == logging.NOTSET or lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for item in caught:
            if issubclass(item.category, (DeprecationWarning, PendingDeprecationWarning, ResourceWarning)):
                continue  # about the libraries' own code, not about the file
            module = item.filename.rsplit("/site-packages/", 1)[-1].split("/", 1)[0]
            seen[f"{module}: {item.message}" if module in LIBRARY_LOGGERS else str(item.message)] += 1
    finally:
        for lg, (propagate, level) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)


def warning_lines(seen: Counter[str], filename: str) -> list[str]:
    """One line per distinct message, with the file's name and how often it came; a message that
    quotes the file's damaged bytes loses their control characters."""
    where = f" in {filename}" if filename else ""
    return [" ".join(usable_text(message)[0].split()) + where + (f" (×{count})" if count > 1 else "")
            for message, count in seen.items()]


@dataclass
class Chunk:
    text: str
    x: float
    y: float
    size: float


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def lines_from_chunks(chunks: list[Chunk]) -> list[Line]:
    """Lines from runs of text placed on the page, each run already in typed order.

    Runs on one baseline are one line: left to right, or right to left where most of the line's
    letters are right-to-left. A space goes between two runs unless either brings its own or both
    are East Asian characters, which are written without spaces."""
    lines: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda c: -c.y):
        if lines and abs(lines[-1][0].y - chunk.y) <= 0.5 * max(chunk.size, 1.0):
            lines[-1].append(chunk)
        else:
            lines.append([chunk])
    out: list[Line] = []
    for group in lines:
        letters = "".join(c.text for c in group)
        rtl_letters = sum(1 for ch in letters if is_rtl_text(ch))
        rtl = rtl_letters > 0 and rtl_letters >= sum(1 for ch in letters if unicodedata.bidirectional(ch) == "L")
        # Runs left to right as on the page, then in reading order by the bidi algorithm, each run
        # kept whole: a Latin name inside an Arabic line keeps its words' order.
        group.sort(key=lambda c: c.x)
        units: list[str] = []
        for chunk in group:
            if units and not units[-1][-1].isspace() and not chunk.text[0].isspace() and not (
                    _wide(units[-1][-1]) and _wide(chunk.text[0])):
                units.append(" ")
            units.append(chunk.text)
        logical, level = visual_line_to_logical(units, default=1 if rtl else 0, mirrored=False)
        text = "".join(logical)
        rtl = level % 2 == 1
        size = sorted(c.size for c in group)[len(group) // 2]
        xs = [c.x for c in group]
        out.append(Line(" ".join(text.split()), group[0].y, size, min(xs), max(xs) + size, rtl))
    return out


def _page_text(lines: list[Line]) -> PageText:
    page = PageText()
    letters = shared_glyph_letters("".join(line.text for line in lines))
    for line in lines:
        # U+FFFD stays until the reading is judged (it marks a glyph without a mapping).
        text, dropped = usable_text(line.text, keep="\ufffd")
        page.dropped += dropped
        line.text, folded = fold_presentation_forms(" ".join(text.split()), letters)
        page.folded += folded
        line.text = unicodedata.normalize("NFC", line.text)
        page.chars += len(line.text)
        if line.text:
            page.lines.append(line)
    return page


def _drop_broken(page: PageText) -> None:
    for line in page.lines:
        if "\ufffd" in line.text:
            page.dropped += line.text.count("\ufffd")
            line.text = " ".join(line.text.replace("\ufffd", "").split())
    page.lines = [line for line in page.lines if line.text]


def open_pypdf(data: bytes, password: str | None) -> Any:
    """A pypdf reader of `data`, decrypted; raises whatever pypdf raises on a file it cannot read."""
    import pypdf

    used("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise ValueError("the password does not open it")
    return reader


def pypdf_page(reader: Any, index: int) -> PageText:
    """Page `index` (from 0) as pypdf reads it: each text-showing run at its place on the page."""
    chunks: list[Chunk] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        # The run's origin in page space: the text matrix times the graphics state's matrix.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[2] * cm[1] + tm[3] * cm[3]) or abs(tm[3]) or 1.0
        for part in text.splitlines():
            if part.strip():
                chunks.append(Chunk(part, x, y, float(size or 1.0) * scale))

    reader.pages[index].extract_text(visitor_text=visit)
    return _page_text(lines_from_chunks(chunks))


class Pdfminer:
    """pdfminer.six's reading of single pages: the document is parsed once, each page laid out when
    it is asked for."""

    def __init__(self, data: bytes, password: str | None) -> None:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        used("pdfminer.six")
        document = PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
        self.pages = list(PDFPage.create_pages(document))
        resources = PDFResourceManager()
        self.device = PDFPageAggregator(resources, laparams=LAParams())
        self.interpreter = PDFPageInterpreter(resources, self.device)

    def page(self, index: int) -> PageText:
        from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

        self.interpreter.process_page(self.pages[index])
        layout = self.device.get_result()

        def walk(item: Any) -> Iterator[Any]:
            if isinstance(item, LTTextLine):
                yield item
            elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
                for child in item:
                    yield from walk(child)

        lines: list[Line] = []
        for text_line in walk(layout):
            # pdfminer.six writes a glyph without a Unicode mapping as "(cid:N)": a broken character.
            pieces = [_CID.sub("\ufffd", c.get_text()) for c in text_line]
            if not "".join(pieces).strip():
                continue
            sizes = [c.size for c in text_line if isinstance(c, LTChar)] or [1.0]
            size = sorted(sizes)[len(sizes) // 2]
            rtl = any(is_rtl_text(p) for p in pieces)
            if rtl:
                pieces, level = visual_line_to_logical([p.replace("\n", " ") for p in pieces], mirrored=False)
                rtl = level % 2 == 1
            text = " ".join("".join(pieces).split())
            lines.append(Line(text, text_line.y0, size, text_line.x0, text_line.x1, rtl))
        lines.sort(key=lambda line: -line.y)
        return _page_text(lines)


class Fallback:
    """pypdf, then pdfminer.six, opened only when a page needs them, and each at most once.

    Second opinions on pages PDFium did read (empty, unmapped, garbage or suspect lines) stop after
    SECOND_OPINION_SECONDS of CPU per file: on a damaged file the parsers can be slow, and PDFium's
    reading is there. Pages PDFium could not read at all are always tried."""

    SECOND_OPINION_SECONDS = 4.0

    def __init__(self, data: bytes, password: str | None) -> None:
        self.data = data
        self.password = password
        self._pypdf: Any = None
        self._pypdf_failed = False
        self._miner: Pdfminer | None = None
        self._miner_failed = False
        self._readings: dict[tuple[str, int], PageText | None] = {}
        self.spent = 0.0

    def pypdf_reader(self) -> Any:
        """pypdf's reader of the file, decrypted; None if pypdf cannot open it."""
        if self._pypdf is None and not self._pypdf_failed:
            try:
                self._pypdf = open_pypdf(self.data, self.password)
            except Exception:  # pypdf raises many kinds on damaged files; then pdfminer.six is tried
                self._pypdf_failed = True
        return self._pypdf

    def _pdfminer(self) -> Pdfminer | None:
        if self._miner is None and not self._miner_failed:
            try:
                self._miner = Pdfminer(self.data, self.password)
            except Exception:  # pdfminer.six raises many kinds on damaged files
                self._miner_failed = True
        return self._miner

    def page_count(self) -> int:
        reader = self.pypdf_reader()
        if reader is not None:
            try:
                return len(reader.pages)
            except Exception:  # a page tree pypdf cannot walk
                self._pypdf_failed, self._pypdf = True, None
        miner = self._pdfminer()
        return len(miner.pages) if miner is not None else 0

    def declared(self) -> dict[str, str]:
        """The info dictionary as pypdf reads it, for a file PDFium could not open."""
        reader = self.pypdf_reader()
        try:
            info = reader.metadata if reader is not None else None
            items = [(str(k).lstrip("/"), usable_text(str(v))[0].strip()) for k, v in (info or {}).items()]
        except Exception:  # a damaged info dictionary is no reason to lose the text
            return {}
        return {k: v for k, v in items if v}

    def _read(self, name: str, index: int) -> PageText | None:
        key = (name, index)
        if key not in self._readings:
            reading: PageText | None = None
            try:
                if name == "pypdf":
                    reader = self.pypdf_reader()
                    reading = pypdf_page(reader, index) if reader is not None else None
                else:
                    miner = self._pdfminer()
                    reading = miner.page(index) if miner is not None else None
            except Exception:  # one bad page must not cost the others
                reading = None
            self._readings[key] = reading
        return self._readings[key]

    def page(self, index: int) -> tuple[PageText | None, str]:
        """The first reading of page `index` that has text and is not glyph garbage; if none,
        the first one with text."""
        first: tuple[PageText | None, str] = (None, "none")
        for name in ("pypdf", "pdfminer"):
            page = self._read(name, index)
            if page is None or not page.lines:
                continue
            if not is_garbage("\n".join(line.text for line in page.lines)):
                _drop_broken(page)
                return page, name
            if first[0] is None:
                first = (page, name)
        if first[0] is not None:
            _drop_broken(first[0])
        return first

    def second_opinion(self, index: int) -> tuple[PageText | None, str]:
        """`page`, within the time allowed for pages PDFium did read."""
        if self.spent >= self.SECOND_OPINION_SECONDS:
            return None, "none"
        started = time.process_time()
        try:
            return self.page(index)
        finally:
            self.spent += time.process_time() - started

    def mend(self, index: int, page: PageText) -> str:
        """Lines PDFium marked as suspect, replaced by another reader's text for the same baseline."""
        if self.spent >= self.SECOND_OPINION_SECONDS:
            return "pdfium"
        started = time.process_time()
        try:
            for name in ("pypdf", "pdfminer"):
                other = self._read(name, index)
                if other is None or not other.lines:
                    continue
                mended = 0
                for line in page.lines:
                    if not line.suspect:
                        continue
                    tolerance = 0.5 * max(line.size, 1.0)
                    same = [o for o in other.lines if abs(o.y - line.y) <= tolerance]
                    text = " ".join(o.text for o in same)
                    if same and not is_garbage(text) and "\ufffd" not in text:
                        line.text, line.rtl = text, same[0].rtl
                        mended += 1
                if mended:
                    return f"pdfium+{name}"
            return "pdfium"
        finally:
            self.spent += time.process_time() - started
