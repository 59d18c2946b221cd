"""Random and mutated bytes never crash or hang ingestion: every input gives a Record or an IngestError.

Inputs are mutations of a real document of every format (flipped, deleted, inserted and duplicated
bytes, truncation), mutations of the XML members inside the ZIP formats (so the XML parsers see the
damage rather than the ZIP checksum), and plain random bytes under every extension. A record that
does come out must satisfy the record schema and export to TEI, since the batch exports it next.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.errors import IngestError
from archive.exporters.tei import tei_bytes
from archive.fixity import schema_problems
from archive.pipeline import IngestOptions, ingest_bytes, ingest_path
from archive.record import Record
from samples import samples

# A pathological input must finish well inside this on a slow CI machine; the real files take < 0.5 s.
SECONDS_PER_INPUT = 10.0
NAMES = sorted(samples())
ZIPPED = [n for n in NAMES if n.endswith((".docx", ".epub"))]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def ingest_or_error(data: bytes, name: str) -> Record | IngestError:
    """What the pipeline makes of `data`; any exception other than IngestError fails the test."""
    began = time.perf_counter()
    try:
        result: Record | IngestError = ingest_bytes(data, name, IngestOptions())
    except IngestError as error:
        result = error
    elapsed = time.perf_counter() - began
    assert elapsed < SECONDS_PER_INPUT, f"{name}: {elapsed:.1f} s for {len(data)} bytes"
    if isinstance(result, IngestError):
        assert result.reason.strip(), "an error must say why"
        assert result.stage in {"sniff", "read", "decode", "reader", "limits", "ingest"}
    else:
        assert schema_problems(result.to_dict(), "record", name) == []
        tei_bytes(result)
    return result


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not buf:
            break
        at = draw(st.integers(0, len(buf) - 1))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate", "special"]))
        if kind == "flip":
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del buf[at:at + draw(st.integers(1, 64))]
        elif kind == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "duplicate":
            buf[at:at] = buf[at:at + draw(st.integers(1, 256))] * draw(st.integers(2, 20))
        elif kind == "truncate":
            del buf[at:]
        else:
            # bytes that mean something to some parser: markup, entities, NULs, PDF and ZIP keywords
            buf[at:at] = draw(st.sampled_from([b"<", b"&", b"<!ENTITY a 'b'>", b"\x00", b"\xff\xfe",
                                               b"obj", b"endobj", b"stream", b"PK\x03\x04", b"\xd8\x00",
                                               b"<div>" * 50, b"]]>", b"%PDF-1.7"]))
    return bytes(buf)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.data())
def test_mutated_documents_give_a_record_or_a_clear_error(name: str, data: st.DataObject) -> None:
    ingest_or_error(data.draw(mutated(samples()[name])), name)


def _rezip(original: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(original))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize("name", ZIPPED)
@FUZZ
@given(data=st.data())
def test_mutated_members_of_zip_formats_give_a_record_or_a_clear_error(name: str, data: st.DataObject) -> None:
    original = samples()[name]
    members = sorted(n for n in zipfile.ZipFile(io.BytesIO(original)).namelist() if n.endswith(("ml", "rels")))
    member = data.draw(st.sampled_from(members))
    content = zipfile.ZipFile(io.BytesIO(original)).read(member)
    ingest_or_error(_rezip(original, member, data.draw(mutated(content))), name)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES + ["noext", "x.bin"]))
def test_random_bytes_under_any_name_give_a_record_or_a_clear_error(data: bytes, name: str) -> None:
    ingest_or_error(data, name)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-be", "cp1256"]),
       name=st.sampled_from(["a.txt", "a.md", "a.html", "a.xml"]))
def test_random_text_in_any_encoding_gives_a_record_or_a_clear_error(text: str, encoding: str, name: str) -> None:
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    ingest_or_error(data, name)


# The alarm may land in a gc callback (hypothesis registers one), where Python prints and ignores the
# exception; the limit still holds (the alarm repeats, and an expired limit decides the outcome).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_timeout_turns_a_slow_file_into_a_clear_error(tmp_path) -> None:
    """A file that takes longer than the per-file limit fails with a reason naming the limit."""
    slow = tmp_path / "slow.md"
    paragraph = "کابل پایتخت افغانستان است و *مردم* آن به زبان‌های دری و پشتو سخن می‌گویند. Kabul is the capital.\n\n"
    slow.write_text(paragraph * 20_000, encoding="utf-8")
    began = time.perf_counter()
    outcome = ingest_path(str(slow), IngestOptions(timeout_s=0.3))
    assert time.perf_counter() - began < 5.0
    assert outcome.record is None and outcome.error is not None
    assert outcome.error.stage == "limits" and "0.3 s limit" in outcome.error.reason
    # the same file within a generous limit is fine: the limit, not the file, caused the error
    small = tmp_path / "small.md"
    small.write_text(paragraph * 3, encoding="utf-8")
    assert ingest_path(str(small), IngestOptions(timeout_s=30)).record is not None


def test_size_limit_turns_a_large_file_into_a_clear_error(tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    outcome = ingest_path(str(big), IngestOptions(max_bytes=1000))
    assert outcome.error is not None and outcome.error.stage == "limits"
    assert "5000 bytes" in outcome.error.reason and "1000" in outcome.error.reason
