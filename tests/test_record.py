from archive.record import (
    Block,
    Citation,
    DateValue,
    Encoding,
    Event,
    LanguageShare,
    Metadata,
    Person,
    Record,
    Reference,
    Source,
    Span,
    record_id,
)


def make_record(sha256: str = "ab" * 32) -> Record:
    return Record(
        id=record_id(sha256),
        source=Source("a.txt", 10, sha256, "text/plain", Encoding("utf-8", 1.0, "detected"), info={"k": 1}),
        metadata=Metadata(
            title="T", title_lang="en", authors=[Person("A B", "Uni")],
            dates=[DateValue("2025-01-01", "1.1.2025"),
                   DateValue("2024-03-20", "۱ حمل ۱۴۰۳", "solar-hijri", "created")],
            citation=Citation(journal="J", volume="3"),
            references=[Reference("1", "ref", ["http://x"], "2022-11", "b2")],
            keywords=["k"],
        ),
        languages=[LanguageShare("en", 0.9), LanguageShare("fa", 0.1)],
        main_language="en",
        scripts=["Latn", "Arab"],
        blocks=[
            Block("b1", "heading", "Title", "en", "Latn", "ltr", level=1),
            Block("b2", "paragraph", "see کتاب here", "en", "Latn", "ltr",
                  spans=[Span(4, 8, "foreign", "fa", "Arab", "rtl", evidence="letters")]),
        ],
        provenance=[Event("read", "2025-01-01T00:00:00Z", "archive/0.1.0", {"x": 1})],
        warnings=["w"],
    )


def test_round_trip_through_dict_is_identity() -> None:
    record = make_record()
    assert Record.from_dict(record.to_dict()) == record


def test_to_dict_leaves_out_absent_optional_fields() -> None:
    data = make_record().to_dict()
    assert "level" not in data["blocks"][1]
    assert data["blocks"][0]["level"] == 1
    assert "subtitle" not in data["metadata"]


def test_record_id_is_stable_and_an_ncname() -> None:
    digest = "0123456789abcdef" * 4
    assert record_id(digest) == record_id(digest) == "r0123456789abcdef"


def test_date_lookup_by_role_falls_back_to_first() -> None:
    meta = make_record().metadata
    assert meta.date("created").calendar == "solar-hijri"  # type: ignore[union-attr]
    assert meta.date("updated").iso == "2025-01-01"  # type: ignore[union-attr]
    assert Metadata().date() is None


def test_content_and_boilerplate_are_split() -> None:
    record = make_record()
    record.blocks.append(Block("b3", "boilerplate", "Leave a reply"))
    assert [b.id for b in record.content_blocks()] == ["b1", "b2"]
    assert [b.id for b in record.boilerplate_blocks()] == ["b3"]


def test_reference_without_label_round_trips() -> None:
    reference = Reference(None, "An unnumbered entry", ["http://x"])
    assert "label" not in reference.to_dict()
    assert Reference.from_dict(reference.to_dict()) == reference
