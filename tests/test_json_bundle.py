import hashlib
import json
from pathlib import Path
from typing import Any

import bagit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.exporters.json_bundle import BundleWriter, iter_records, read_index, safe_filename
from archive.fixity import schema_problems, verify_bundle
from test_record import make_record

ORIGINAL = b"original bytes \x00\xff"
SHA = hashlib.sha256(ORIGINAL).hexdigest()


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    writer = BundleWriter(tmp_path / "bundle")
    writer.add(make_record(SHA), ORIGINAL, "folder/a.txt")
    writer.close()
    return tmp_path / "bundle"


def test_bundle_is_a_valid_bag_with_records_originals_and_index(bundle: Path) -> None:
    bag = bagit.Bag(str(bundle))
    assert bag.is_valid()
    record = make_record(SHA)
    assert (bundle / "data" / "records" / f"{record.id}.json").exists()
    assert (bundle / "data" / "originals" / f"{record.id}-a.txt").read_bytes() == b"original bytes \x00\xff"
    index = json.loads((bundle / "data" / "index.json").read_text())
    assert schema_problems(index, "index", "index.json") == []
    assert index["records"][0]["source"] == "folder/a.txt"
    assert "archive/" in (bundle / "bag-info.txt").read_text()


def test_records_read_back_equal_and_verify(bundle: Path) -> None:
    [back] = list(iter_records(bundle))
    expected = make_record(SHA)
    expected.source.path = f"originals/{expected.id}-a.txt"
    assert back == expected
    assert verify_bundle(bundle) == []


@pytest.mark.parametrize("target", ["original", "record"])
def test_one_flipped_byte_is_reported_with_the_file(bundle: Path, target: str) -> None:
    record = make_record(SHA)
    if target == "original":
        path = bundle / "data" / "originals" / f"{record.id}-a.txt"
    else:
        path = bundle / "data" / "records" / f"{record.id}.json"
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    problems = verify_bundle(bundle)
    assert problems
    assert any(path.name in str(p) for p in problems)


def test_reopening_a_bundle_keeps_earlier_records(bundle: Path) -> None:
    writer = BundleWriter(bundle)
    other = make_record(hashlib.sha256(b"second").hexdigest())
    writer.add(other, b"second", "b.txt")
    writer.close()
    assert {e["id"] for e in read_index(bundle)} == {make_record(SHA).id, other.id}
    assert verify_bundle(bundle) == []


def test_safe_filename_neutralizes_paths_and_bidi_overrides() -> None:
    assert safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert "\u202e" not in safe_filename("invoice\u202etxt.exe")
    assert safe_filename("") == "original"


def test_closing_without_changes_leaves_a_sound_bag_untouched(bundle: Path) -> None:
    manifest = bundle / "manifest-sha256.txt"
    before = manifest.stat().st_mtime_ns
    BundleWriter(bundle).close()
    assert manifest.stat().st_mtime_ns == before


def test_a_seal_cut_short_is_redone_even_without_changes(bundle: Path) -> None:
    (bundle / "tagmanifest-sha256.txt").unlink()
    (bundle / "manifest-sha256.txt").write_text("")
    BundleWriter(bundle).close()
    assert verify_bundle(bundle) == []


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_index_is_byte_identical_to_the_archive_json_style(count: int) -> None:
    import io

    import orjson

    from archive.exporters.json_bundle import _write_index, dumps

    entries = [{"id": f"r{i}", "title": "کابل" if i else None, "languages": ["fa", "en"][:i], "date": None,
                "source": f"dir/{i}.txt", "blocks": i} for i in range(count)]
    out = io.BytesIO()
    _write_index(out, (orjson.dumps(e) for e in entries))
    assert out.getvalue().decode("utf-8") == dumps({"version": 1, "records": entries})


def test_removing_a_record_removes_its_original_in_either_layout(bundle: Path) -> None:
    record = make_record(SHA)
    older_layout = bundle / "data" / "originals" / record.id
    older_layout.mkdir()
    (older_layout / "a.txt").write_bytes(ORIGINAL)
    writer = BundleWriter(bundle)
    writer.remove(record.id)
    writer.close()
    assert list((bundle / "data" / "originals").iterdir()) == []
    assert not (bundle / "data" / "records" / f"{record.id}.json").exists()
    assert verify_bundle(bundle) == []


def test_fields_a_curator_added_to_bag_info_survive_a_reseal(bundle: Path) -> None:
    info = bundle / "bag-info.txt"
    info.write_text(info.read_text(encoding="utf-8") + "Contact-Name: A. Curator\nContact-Name: B. Keeper\n"
                    "Internal-Sender-Description: a long note\n  folded onto a second line\n", encoding="utf-8")
    writer = BundleWriter(bundle)
    writer.add(make_record(hashlib.sha256(b"other").hexdigest()), b"other", "b.txt")
    writer.close()
    bag = bagit.Bag(str(bundle))
    assert bag.is_valid()
    assert bag.info["Contact-Name"] == ["A. Curator", "B. Keeper"]
    assert bag.info["Internal-Sender-Description"] == "a long note folded onto a second line"
    assert bag.info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in (bundle / 'data').rglob('*') if p.is_file())}.5"


_TRICKY = st.lists(st.sampled_from([*'"\\:{},\n idکابل', '"id": "x"', '\\"id\\": \\"', '\n    }', '  ]']),
                   max_size=12).map("".join)


@given(st.lists(st.fixed_dictionaries({"id": _TRICKY, "title": _TRICKY, "source": _TRICKY,
                                        "languages": st.lists(_TRICKY, max_size=3),
                                        "date": st.none() | _TRICKY, "blocks": st.integers(0, 10**6)}), max_size=5),
       st.booleans())
@settings(max_examples=200, deadline=None)
def test_index_ids_and_entries_read_line_by_line_are_exactly_the_index(
        tmp_path_factory: pytest.TempPathFactory, entries: list[dict[str, Any]], compact: bool) -> None:
    import io

    import orjson

    from archive.exporters.json_bundle import _write_index, index_ids, iter_index

    bundle = tmp_path_factory.mktemp("bundle")
    (bundle / "data").mkdir()
    if compact:
        text = json.dumps({"version": 1, "records": entries}, ensure_ascii=False)
    else:
        out = io.BytesIO()
        _write_index(out, (orjson.dumps(e) for e in entries))
        text = out.getvalue().decode("utf-8")
    (bundle / "data" / "index.json").write_text(text, encoding="utf-8")
    assert index_ids(bundle) == [e["id"] for e in entries]
    assert list(iter_index(bundle)) == entries


@pytest.mark.parametrize("name", ["\u06a9\u0627\u0628\u0644" * 40 + ".txt", "a" * 400 + ".html", "\u0645" * 300,
                                  "\U0001f600" * 80 + ".md"])
def test_safe_filename_cuts_long_names_by_bytes_keeping_the_extension_and_whole_characters(name: str) -> None:
    safe = safe_filename(name)
    assert len(safe.encode("utf-8")) <= 160
    assert safe.endswith(name[name.rfind("."):]) if "." in name else safe
    assert name.startswith(safe.rsplit(".", 1)[0] if "." in name else safe)  # the stem's start, no half character


def test_a_record_from_a_source_with_a_251_byte_persian_name_is_stored(tmp_path: Path) -> None:
    from archive.atomic import write_bytes

    long_name = "\u06a9\u0627\u0628\u0644-" * 27 + "\u06a9\u0627.txt"
    assert len(long_name.encode("utf-8")) == 251  # legal on ext4, where 255 bytes is the limit
    write_bytes(tmp_path / long_name, b"x")  # its temporary must fit in 255 bytes too
    record = make_record(hashlib.sha256(b"original bytes").hexdigest())
    record.source.filename = long_name
    writer = BundleWriter(tmp_path / "bundle")
    writer.add(record, b"original bytes", long_name)
    writer.close()
    assert verify_bundle(tmp_path / "bundle") == [] and read_index(tmp_path / "bundle")[0]["source"] == long_name
