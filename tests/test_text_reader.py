from archive.readers.text import looks_like_heading, text_to_blocks


def test_paragraphs_split_on_blank_lines_and_long_lines_are_joined() -> None:
    text = "Title line\n\n" + "word " * 30 + "\nmore words here. " * 3 + "\n\nSecond paragraph ends here."
    blocks = text_to_blocks(text)
    assert [b.type for b in blocks] == ["heading", "paragraph", "paragraph"]
    assert "\n" not in blocks[1].text
    assert blocks[0].level == 1


def test_bullets_become_list_items_without_the_bullet() -> None:
    blocks = text_to_blocks("Authors\n\n  • Dr. A B Professor\n  • C D\n")
    assert [(b.type, b.text) for b in blocks] == [("heading", "Authors"), ("list_item", "Dr. A B Professor"),
                                                 ("list_item", "C D")]


def test_short_lines_in_one_paragraph_keep_their_breaks() -> None:
    blocks = text_to_blocks("intro paragraph that is long enough to be prose, really.\n\nName Surname\n12.01.2025")
    assert blocks[1].text == "Name Surname\n12.01.2025"


def test_heading_shape() -> None:
    assert looks_like_heading("Abstract")
    assert looks_like_heading("چکیده مقاله")
    assert not looks_like_heading("2025-05-02")
    assert not looks_like_heading("Keywords:")
    assert not looks_like_heading("This sentence ends with a period.")
    assert not looks_like_heading("https://example.com/a")
    assert not looks_like_heading("By John Smith and Maria Garcia")


def test_windows_line_endings() -> None:
    assert [b.text for b in text_to_blocks("One line here.\r\n\r\nTwo line here.")] == ["One line here.",
                                                                                        "Two line here."]


def test_label_value_lines_are_not_headings() -> None:
    assert not looks_like_heading("Keywords: Pakistan, Afghanistan, Afghan Taliban, TTP")
    assert not looks_like_heading("نویسنده: احمد رحیمی")
    assert looks_like_heading("Ideological Connections and Strategic Alliances: Examining the Ties")


def test_numbered_items_keep_their_number_in_the_text_and_as_label() -> None:
    blocks = text_to_blocks("References\n\n1. Saadi, Gulistan. Tehran, 1990.\n2. Smith, J. (2024). Verse.\n  • plain")
    assert [(b.type, b.label, b.text) for b in blocks[1:]] == [
        ("list_item", "1", "1. Saadi, Gulistan. Tehran, 1990."),
        ("list_item", "2", "2. Smith, J. (2024). Verse."),
        ("list_item", None, "plain"),
    ]


def test_a_paragraph_wholly_in_quotation_marks_is_a_quotation() -> None:
    text = ("Officials met on Monday.\n\n«تمسح كل صفحة مرتين، مرة بالألوان ومرة بتباين عال لقراءة النص.»\n\n"
            "“We will not leave,” she said.\n\n«one» and «two»\n\n“All of it, every page,\nkept as it came.”")
    blocks = text_to_blocks(text)
    assert [b.type for b in blocks] == ["paragraph", "quote", "paragraph", "heading", "quote"]
    assert blocks[1].text.startswith("«")  # the marks are the author's punctuation and stay


def test_email_quoting_becomes_a_quotation_without_its_markers() -> None:
    blocks = text_to_blocks("He wrote:\n\n> The road is open again.\n> Trucks are crossing.")
    assert [(b.type, b.text) for b in blocks] == [
        ("paragraph", "He wrote:"), ("quote", "The road is open again.\nTrucks are crossing.")]
