"""Metadata read from the visible text of articles, with hand-built blocks shaped like reader output."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive
from archive.metadata import extract_metadata, looks_like_name, parse_citation, parse_person
from archive.pipeline import ingest_bytes
from archive.record import BLOCK_TYPES, Block, Span

PROSE = (
    "This paper investigates the strategic and operational alliances between the two movements, focusing "
    "on how their cooperation encourages both groups' resilience and effectiveness along the border, and "
    "what follows for the region."
)
CITATION = (
    "Dr. Attaullah Jan, & Brigadier Doctor Muhammad Naeem Akbar Qazi. (2025). Ideological Connections and "
    "Strategic Alliances: Examining the Ties Between TTP and Afghan Taliban. Sociology &Amp; Cultural "
    "Research Review, 3(02), 152–157. Retrieved from https://www.scrrjournal.com/index.php/14/article/view/206"
)


class Doc:
    """A tiny builder so each test reads like the page it mirrors."""

    def __init__(self, lang: str = "en") -> None:
        self.blocks: list[Block] = []
        self.lang = lang

    def add(self, kind: str, text: str, level: int | None = None, lang: str | None = None,
            spans: list[Span] | None = None) -> Doc:  # fmt: skip
        lang = lang or self.lang
        direction = "rtl" if lang in ("fa", "ar", "ps", "ur") else "ltr"
        self.blocks.append(Block(f"b{len(self.blocks) + 1}", kind, text, lang=lang, dir=direction,
                                 level=level, spans=spans or []))  # fmt: skip
        return self


def journal_page() -> Doc:
    return (
        Doc()
        .add("heading", "Ideological Connections and Strategic Alliances: Examining the Ties Between TTP and "
             "Afghan Taliban", 1)  # fmt: skip
        .add("heading", "Authors", 2)
        .add("list_item", "Dr. Attaullah Jan Assistant Professor, Pakistan Studies, Qurtuba University of "
             "Science and Information Technology, Peshawar")  # fmt: skip
        .add("list_item", "Brigadier Doctor Muhammad Naeem Akbar Qazi PhD")
        .add("heading", "Abstract", 2)
        .add("paragraph", PROSE)
        .add("heading", "Keywords: Pakistan, Afghanistan, Afghan Taliban, TTP, Ideologies, Terrorism", 2)
        .add("heading", "Downloads", 2)
        .add("heading", "Published", 2)
        .add("paragraph", "2025-05-02")
        .add("heading", "How to Cite", 2)
        .add("paragraph", CITATION)
    )


def test_journal_landing_page() -> None:
    doc = journal_page()
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.title and meta.title.startswith("Ideological Connections") and meta.title_lang == "en"
    assert [(p.name, p.affiliation) for p in meta.authors] == [
        ("Attaullah Jan", "Assistant Professor, Pakistan Studies, Qurtuba University of Science and "
         "Information Technology, Peshawar"),  # fmt: skip
        ("Muhammad Naeem Akbar Qazi", None),
    ]
    assert [(d.iso, d.role, d.original) for d in meta.dates] == [("2025-05-02", "published", "2025-05-02")]
    assert meta.keywords == ["Pakistan", "Afghanistan", "Afghan Taliban", "TTP", "Ideologies", "Terrorism"]
    assert meta.abstract == PROSE
    assert meta.citation is not None
    assert (meta.citation.journal, meta.citation.volume, meta.citation.issue, meta.citation.pages,
            meta.citation.year, meta.citation.url) == (
        "Sociology & Cultural Research Review", "3", "02", "152–157", "2025",
        "https://www.scrrjournal.com/index.php/14/article/view/206",
    )  # fmt: skip
    assert meta.publisher == "Sociology & Cultural Research Review"
    assert meta.urls == ["https://www.scrrjournal.com/index.php/14/article/view/206"]
    types = {b.text: b.type for b in doc.blocks}
    assert types["Downloads"] == types["How to Cite"] == types[CITATION] == "boilerplate"
    assert types["Published"] == "heading"


def test_byline_and_numbered_reference_list() -> None:
    ref1 = ("[1] Al Jazeera, (November 2022). Pakistan Taliban ends ceasefire. Al Jazeera. Available at: "
            "https://www.aljazeera.com/news/2022/11/28/ceasefire")
    url1 = ref1[ref1.index("https"):]
    doc = (
        Doc()
        .add("paragraph", "The Geopolitical Implications of Clashes between Pakistan and the TTP")
        .add("paragraph", "By Abdul Majeed Bhatti")
        .add("paragraph", PROSE + " In 2024 alone, losses rose; a truce broke in November 2022. [1]")
        .add("paragraph", "Reference:")
        .add("paragraph", ref1, spans=[Span(len(ref1) - len(url1), len(ref1), "link", href=url1)])
        .add("paragraph", "[2] Alarabiya, (2024). What is Jaish al-Adl?. Alarabiya. Available at: "
             "https://english.alarabiya.net/News/2024/01/17/jaish")  # fmt: skip
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.title == "The Geopolitical Implications of Clashes between Pakistan and the TTP"
    assert [p.name for p in meta.authors] == ["Abdul Majeed Bhatti"]
    assert meta.dates == []  # years and months inside the body are not the document's dates
    assert [(r.label, r.date, r.urls, r.block_id) for r in meta.references] == [
        ("1", "2022-11", ["https://www.aljazeera.com/news/2022/11/28/ceasefire"], "b5"),
        ("2", "2024", ["https://english.alarabiya.net/News/2024/01/17/jaish"], "b6"),
    ]
    assert meta.references[0].text.startswith("Al Jazeera, (November 2022)")
    assert [(b.type, b.label) for b in doc.blocks[4:]] == [("reference", "1"), ("reference", "2")]
    assert doc.blocks[4].text.startswith("[1] ")  # the text itself is never rewritten


def test_masthead_site_name_date_and_signature() -> None:
    doc = (
        Doc()
        .add("heading", "افغانستان آزاد – آزاد افغانستان", 1, lang="fa")
        .add("verse", "چو کشور نباشد تن من مباد\nبدین بوم و بر زنده یک تن مباد", lang="fa")
        .add("paragraph", "www.afgazad.com", spans=[Span(0, 15, "link", href="http://www.afgazad.com")])
        .add("paragraph", "afgazad@gmail.com", spans=[Span(0, 17, "link", href="mailto:afgazad@gmail.com")])
        .add("paragraph", "European Languages")
        .add("paragraph", "Vanessa Sevidova\n12.01.2025")
        .add("heading", "Clashes between Afghanistan and Pakistan escalate", 2)
        .add("paragraph", PROSE + " In an interview on January 5, an expert explained the strategy.")
        .add("heading", "Who are the TTP?", 3)
        .add("paragraph", PROSE)
        .add("paragraph", "* Organisations banned in the Russian Federation")
        .add("paragraph", "Vanessa Sevidova, January 11, 2025")
        .add("paragraph", "Vanessa Sevidova, researcher-expert on the Middle East and Africa",
             spans=[Span(0, 64, "emphasis")])  # fmt: skip
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.title == "Clashes between Afghanistan and Pakistan escalate" and meta.title_lang == "en"
    assert [(p.name, p.affiliation) for p in meta.authors] == [
        ("Vanessa Sevidova", "researcher-expert on the Middle East and Africa")
    ]
    assert [(d.iso, d.role) for d in meta.dates] == [("2025-01-12", "published"), ("2025-01-11", "created")]
    assert meta.site == "www.afgazad.com"
    assert meta.emails == ["afgazad@gmail.com"]
    assert meta.urls == ["http://www.afgazad.com"]


def test_web_article_with_footer() -> None:
    doc = (
        Doc()
        .add("heading", "Kabul continues to support the Pakistani Taliban, a recent UN report states", 1)
        .add("paragraph", PROSE + " The report, dated February 6, was presented to the Security Council.")
        .add("heading", "See also\u00a0 Ukraine's mineral resources may now be a bargaining chip", 2)
        .add("paragraph", PROSE)
        .add("heading", "Discover more from Defence Talks | Defense News Military Pictures", 2)
        .add("paragraph", "Subscribe to get the latest posts sent to your email.")
        .add("heading", "Leave a Reply", 2)
        .add("paragraph", "Your email address will not be published. Required fields are marked *")
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.title == "Kabul continues to support the Pakistani Taliban, a recent UN report states"
    assert meta.dates == [] and meta.authors == []
    assert meta.site == "Defence Talks"
    assert [b.type for b in doc.blocks].count("boilerplate") == 5


def test_persian_article() -> None:
    sentence = (
        "در ماه‌های اخیر وضعیت امنیتی در ولایات شمالی دگرگون شده است و گزارش‌ها از افزایش درگیری‌ها خبر می‌دهند."
    )
    body = " ".join([sentence] * 3)
    doc = (
        Doc("fa")
        .add("heading", "تحلیل وضعیت امنیتی در ولایات شمال", 1)
        .add("paragraph", "نویسنده: احمد رحیمی")
        .add("paragraph", "۲۳ حمل ۱۴۰۳")
        .add("heading", "چکیده", 2)
        .add("paragraph", body)
        .add("paragraph", "کلیدواژه‌ها: امنیت، طالبان، افغانستان")
        .add("paragraph", body)
        .add("paragraph", "مطالب مرتبط")
        .add("heading", "منابع", 2)
        .add("paragraph", "۱. رحیمی، احمد (۱۴۰۲). امنیت در شمال. کابل.")
    )
    meta = extract_metadata(doc.blocks, {}, "fa")
    assert (meta.title, meta.title_lang) == ("تحلیل وضعیت امنیتی در ولایات شمال", "fa")
    assert [p.name for p in meta.authors] == ["احمد رحیمی"]
    assert [(d.iso, d.original, d.calendar, d.role) for d in meta.dates] == [
        ("2024-04-11", "۲۳ حمل ۱۴۰۳", "solar-hijri", "published")
    ]
    assert meta.keywords == ["امنیت", "طالبان", "افغانستان"]
    assert meta.abstract == body
    assert [(r.label, r.date) for r in meta.references] == [("1", "2023")]
    assert doc.blocks[7].type == "boilerplate"


def test_arabic_article() -> None:
    body = "شهدت المناطق الحدودية تصعيدا ملحوظا في الأسابيع الأخيرة، وسط تبادل للاتهامات بين الحكومتين. " * 3
    doc = (
        Doc("ar")
        .add("heading", "التوتر على الحدود الأفغانية الباكستانية", 1)
        .add("paragraph", "بقلم محمد عبد الله")
        .add("paragraph", "١٥ رمضان ١٤٤٥ هـ")
        .add("paragraph", body)
        .add("paragraph", "الكلمات المفتاحية: باكستان، أفغانستان، طالبان")
        .add("paragraph", "اترك تعليقاً")
    )
    meta = extract_metadata(doc.blocks, {}, "ar")
    assert [p.name for p in meta.authors] == ["محمد عبد الله"]  # kept as written
    assert [(d.iso, d.original, d.calendar) for d in meta.dates] == [
        ("2024-03-25", "١٥ رمضان ١٤٤٥ هـ", "lunar-hijri")
    ]
    assert meta.keywords == ["باكستان", "أفغانستان", "طالبان"]
    assert doc.blocks[-1].type == "boilerplate"


def test_declared_metadata_outranks_the_text() -> None:
    doc = Doc().add("heading", "A heading that is not the title", 1).add("paragraph", "By Someone Else")
    declared = {
        "title": "The Declared Title",
        "authors": ["Dr. Jane Roe"],
        "dates": [["2024-03-01", "published"], ["۲۳ حمل ۱۴۰۳", "updated"]],
        "keywords": ["a", "b"],
        "publisher": "Press",
        "citation": {"journal": "J", "volume": "1"},
    }
    meta = extract_metadata(doc.blocks, declared, "en")
    assert meta.title == "The Declared Title"
    assert [p.name for p in meta.authors] == ["Jane Roe"]
    assert [(d.iso, d.role) for d in meta.dates] == [("2024-03-01", "published"), ("2024-04-11", "updated")]
    assert meta.keywords == ["a", "b"] and meta.publisher == "Press"
    assert meta.citation is not None and (meta.citation.journal, meta.citation.volume) == ("J", "1")


def test_title_prefers_main_language_and_highest_level() -> None:
    doc = (
        Doc()
        .add("heading", "سرخط فارسی", 1, lang="fa")
        .add("heading", "Section", 3)
        .add("heading", "English Title", 2)
        .add("paragraph", PROSE)
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.title == "English Title"


def test_labelled_dates_and_byline_with_date() -> None:
    doc = (
        Doc()
        .add("heading", "Title", 1)
        .add("paragraph", "By Jane Roe and John Doe | March 3, 2024")
        .add("paragraph", "Updated: 4 March 2024")
        .add("paragraph", PROSE)
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert [p.name for p in meta.authors] == ["Jane Roe", "John Doe"]
    assert [(d.iso, d.role) for d in meta.dates] == [("2024-03-03", "published"), ("2024-03-04", "updated")]


def test_urls_and_emails_in_order_without_duplicates() -> None:
    doc = (
        Doc()
        .add("paragraph", "See https://a.example/x, and write to info@example.org.",
             spans=[Span(4, 23, "link", href="https://a.example/x")])  # fmt: skip
        .add("paragraph", "Again https://a.example/x then www.b.example.")
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.urls == ["https://a.example/x", "http://www.b.example"]
    assert meta.emails == ["info@example.org"]


def test_parse_person() -> None:
    person = parse_person("Prof. Dr. Sara Khan, Department of Politics, University of Peshawar")
    assert person is not None and (person.name, person.affiliation) == (
        "Sara Khan", "Department of Politics, University of Peshawar")  # fmt: skip
    person = parse_person("Engr. Ali Raza MPhil Lecturer at Institute of Management Sciences")
    assert person is not None and person.name == "Ali Raza"
    assert person.affiliation == "Lecturer at Institute of Management Sciences"
    person = parse_person("دکتر احمد رحیمی، استاد دانشگاه کابل")
    assert person is not None and (person.name, person.affiliation) == ("احمد رحیمی", "استاد دانشگاه کابل")


def test_looks_like_name() -> None:
    assert looks_like_name("Vanessa Sevidova")
    assert looks_like_name("Muhammad Naeem Akbar Qazi")
    assert not looks_like_name("European Languages of 2025")
    assert not looks_like_name("the report said")
    assert not looks_like_name("Kabul")


def test_parse_citation_keeps_pages_as_given() -> None:
    citation = parse_citation(CITATION)
    assert citation is not None
    assert citation.journal == "Sociology & Cultural Research Review"
    assert citation.pages == "152–157" and citation.year == "2025"
    assert citation.text == CITATION
    assert parse_citation("Nothing here looks like a citation.") is None


def test_declared_authors_are_names_as_written_with_declared_affiliations() -> None:
    doc = Doc().add("heading", "Title", 1).add("paragraph", PROSE)
    declared = {"authors": ["Roe, Jane", "Dr. John Doe"], "affiliations": ["University of Kabul", None]}
    meta = extract_metadata(doc.blocks, declared, "en")
    assert [(p.name, p.affiliation) for p in meta.authors] == [("Roe, Jane", "University of Kabul"),
                                                               ("John Doe", None)]  # fmt: skip


def test_same_date_from_declaration_and_text_is_kept_once() -> None:
    doc = Doc().add("heading", "Title", 1).add("paragraph", "Published: 12.01.2025").add("paragraph", PROSE)
    meta = extract_metadata(doc.blocks, {"dates": [["2025-01-12T08:00:00+03:30", "published"]]}, "en")
    assert [(d.iso, d.original) for d in meta.dates] == [("2025-01-12", "2025-01-12T08:00:00+03:30")]


def test_page_title_fallback_yields_to_the_heading_and_relative_links_are_skipped() -> None:
    doc = (
        Doc()
        .add("heading", "Border talks stall as crossings stay shut", 1)
        .add("paragraph", "Home News", spans=[Span(0, 4, "link", href="/"), Span(5, 9, "link", href="/news")])
        .add("paragraph", PROSE)
    )
    declared = {"title": "Border talks stall | Frontier", "page_title": "Border talks stall | Frontier"}
    meta = extract_metadata(doc.blocks, declared, "en")
    assert meta.title == "Border talks stall as crossings stay shut"
    assert meta.urls == []
    declared = {"title": "Border talks | Frontier", "site": "Frontier"}
    assert extract_metadata(doc.blocks, declared, "en").title == "Border talks"


def test_dated_bylines_and_unlabelled_colon() -> None:
    doc = (
        Doc()
        .add("heading", "Title", 1)
        .add("paragraph", "Posted on March 3, 2024 by Jane Roe")
        .add("paragraph", "Last updated 4 March 2024")
        .add("paragraph", PROSE)
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert [p.name for p in meta.authors] == ["Jane Roe"]
    assert [(d.iso, d.role) for d in meta.dates] == [("2024-03-03", "published"), ("2024-03-04", "updated")]


def test_persian_labelled_date_and_urdu_byline() -> None:
    sentence = "پاکستان اور افغانستان کے درمیان سرحدی کشیدگی میں حالیہ ہفتوں میں اضافہ ہوا ہے۔"
    body = " ".join([sentence] * 3)
    doc = (
        Doc("ur")
        .add("heading", "سرحدی کشیدگی میں اضافہ", 1)
        .add("paragraph", "تحریر: سارہ خان")
        .add("paragraph", "۱۵ جنوری ۲۰۲۴")
        .add("paragraph", body)
    )
    meta = extract_metadata(doc.blocks, {}, "ur")
    assert [p.name for p in meta.authors] == ["سارہ خان"]
    assert [(d.iso, d.calendar) for d in meta.dates] == [("2024-01-15", "gregorian")]
    fa = Doc("fa").add("heading", "عنوان", 1).add("paragraph", "تاریخ انتشار: ۱۴۰۳/۰۱/۲۳")
    fa.add("paragraph", body)
    meta = extract_metadata(fa.blocks, {}, "fa")
    expected = [("2024-04-11", "۱۴۰۳/۰۱/۲۳", "solar-hijri")]
    assert [(d.iso, d.original, d.calendar) for d in meta.dates] == expected


def test_closing_sentences_do_not_become_people() -> None:
    doc = (
        Doc()
        .add("heading", "Title", 1)
        .add("paragraph", PROSE)
        .add("paragraph", "The Taliban, however, denied the claims.")
        .add("paragraph", "Western Capitals, meanwhile, kept silent.")
    )
    assert extract_metadata(doc.blocks, {}, "en").authors == []


def test_reference_label_without_a_list_retypes_nothing() -> None:
    doc = Doc().add("heading", "Title", 1).add("paragraph", PROSE).add("heading", "Sources", 2)
    for _ in range(3):
        doc.add("paragraph", PROSE)
    doc.add("paragraph", "1. A numbered point far below the label.")
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.references == [] and "reference" not in [b.type for b in doc.blocks]


def test_junk_declared_titles_yield_to_the_text() -> None:
    doc = Doc().add("heading", "Border Trade and Regional Markets", 1).add("paragraph", PROSE)
    for junk in ("x", "Untitled", "Microsoft Word - draft3.docx", "report_final.pdf"):
        assert extract_metadata(doc.blocks, {"title": junk}, "en").title == "Border Trade and Regional Markets"


def test_byline_shaped_headings_are_not_authors() -> None:
    doc = Doc().add("heading", "Title", 1).add("heading", "By the numbers", 2).add("paragraph", PROSE)
    assert extract_metadata(doc.blocks, {}, "en").authors == []
    doc = Doc().add("heading", "Title", 1).add("paragraph", "By Reuters").add("paragraph", PROSE)
    assert [p.name for p in extract_metadata(doc.blocks, {}, "en").authors] == ["Reuters"]


def test_more_byline_and_list_shapes() -> None:
    body = " ".join(["شهدت المناطق الحدودية تصعيدا ملحوظا في الأسابيع الأخيرة، وسط تبادل للاتهامات."] * 4)
    doc = (
        Doc("ar")
        .add("heading", "عنوان الخبر", 1)
        .add("paragraph", "كتب - محمد علي")
        .add("paragraph", "١٥ رمضان ١٤٤٥ هـ الموافق ٢٥ مارس ٢٠٢٤ م")
        .add("paragraph", body)
        .add("paragraph", "کتب و مقالات")
        .add("heading", "المراجع", 2)
        .add("paragraph", "١- ابن خلدون، المقدمة (١٣٧٧).")
        .add("paragraph", "٢- الطبري، التاريخ.")
    )
    meta = extract_metadata(doc.blocks, {}, "ar")
    assert [p.name for p in meta.authors] == ["محمد علي"]
    assert [(d.iso, d.original) for d in meta.dates] == [("2024-03-25", "١٥ رمضان ١٤٤٥ هـ")]
    assert [r.label for r in meta.references] == ["1", "2"]


def test_author_credit_at_the_end_and_keyword_list() -> None:
    body = " ".join(["در ماه‌های اخیر وضعیت امنیتی در ولایات شمالی دگرگون شده است و درگیری‌ها بیشتر شده‌اند."] * 3)
    doc = (
        Doc("fa")
        .add("heading", "عنوان", 1)
        .add("heading", "کلیدواژه‌ها", 2)
        .add("list_item", "امنیت")
        .add("list_item", "مرز")
        .add("paragraph", body)
        .add("paragraph", "نویسنده: زهرا احمدی")
    )
    meta = extract_metadata(doc.blocks, {}, "fa")
    assert meta.keywords == ["امنیت", "مرز"]
    assert [p.name for p in meta.authors] == ["زهرا احمدی"]


def test_licence_and_authors_from_a_citation_when_the_page_names_none() -> None:
    doc = (
        Doc()
        .add("heading", "Ideological Connections", 1)
        .add("paragraph", PROSE)
        .add("paragraph", "This work is licensed under a Creative Commons Attribution-NonCommercial 4.0 "
             "International License.")  # fmt: skip
        .add("heading", "How to Cite", 2)
        .add("paragraph", CITATION)
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert meta.license == "CC BY-NC 4.0"
    assert [p.name for p in meta.authors] == ["Attaullah Jan", "Muhammad Naeem Akbar Qazi"]
    cc = Span(0, 8, "link", href="https://creativecommons.org/licenses/by-sa/4.0/")
    link = Doc().add("paragraph", "CC BY-SA", spans=[cc])
    assert extract_metadata(link.blocks, {}, "en").license == "CC BY-SA 4.0"


def test_persian_citation_numbers_come_out_in_ascii_digits() -> None:
    text = "رحیمی، احمد. (۱۴۰۲). امنیت در شمال. فصلنامه مطالعات افغانستان، ۳(۲)، ۱۵۲–۱۵۷."
    citation = parse_citation(text)
    assert citation is not None and citation.text == text
    fields = (citation.journal, citation.volume, citation.issue, citation.pages, citation.year)
    assert fields == ("فصلنامه مطالعات افغانستان", "3", "2", "152–157", "1402")


def test_declared_single_values_are_read_as_one_item() -> None:
    doc = Doc().add("heading", "Title", 1).add("paragraph", PROSE)
    declared = {"authors": "Jane Roe", "keywords": "borders, trade", "dates": "2024-01-02", "urls": "https://x.org/a"}
    meta = extract_metadata(doc.blocks, declared, "en")
    assert [p.name for p in meta.authors] == ["Jane Roe"]
    assert meta.keywords == ["borders", "trade"]
    assert [d.iso for d in meta.dates] == ["2024-01-02"]
    assert meta.urls == ["https://x.org/a"]


def test_journal_history_line() -> None:
    doc = (
        Doc()
        .add("heading", "Title", 1)
        .add("paragraph", "Received: 12 March 2024; Accepted: 1 May 2024; Published: 2 May 2024")
        .add("paragraph", PROSE)
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert [(d.iso, d.role) for d in meta.dates] == [
        ("2024-03-12", "received"), ("2024-05-01", "accepted"), ("2024-05-02", "published")
    ]


def test_link_text_showing_an_address_is_not_a_second_url() -> None:
    doc = Doc().add("paragraph", "www.example.org", spans=[Span(0, 15, "link", href="https://www.example.org/")])
    assert extract_metadata(doc.blocks, {}, "en").urls == ["https://www.example.org/"]


def test_reference_date_is_not_read_from_its_url() -> None:
    doc = (
        Doc()
        .add("heading", "References", 2)
        .add("paragraph", "1. https://www.aljazeera.com/news/2022/11/28/ceasefire Al Jazeera, 2023.")
        .add("paragraph", "2. https://example.org/2021/05/01/report")
    )
    meta = extract_metadata(doc.blocks, {}, "en")
    assert [r.date for r in meta.references] == ["2023", None]


def test_output_follows_the_record_schema_whatever_the_declaration() -> None:
    schema = json.loads((Path(archive.__file__).parent / "schemas" / "record.schema.json").read_text("utf-8"))
    metadata_schema = {**schema["$defs"]["metadata"], "$defs": schema["$defs"]}
    declared = {"title": ["Listed Title"], "lang": "en_US", "subtitle": 3, "publisher": ["P"], "site": "",
                "license": 4.0, "citation": "not a dict", "keywords": [1, "b"],
                "authors": [" ", "Jane Roe"]}  # fmt: skip
    for doc in (journal_page(), Doc().add("paragraph", "")):
        meta = extract_metadata(doc.blocks, declared, "en")
        jsonschema.validate(meta.to_dict(), metadata_schema)
    assert meta.title == "Listed Title" and meta.title_lang is None and meta.subtitle == "3"


_SCHEMA = json.loads((Path(archive.__file__).parent / "schemas" / "record.schema.json").read_text("utf-8"))
_METADATA_VALIDATOR = jsonschema.Draft202012Validator({**_SCHEMA["$defs"]["metadata"], "$defs": _SCHEMA["$defs"]})
_PIECES = ["By ", "Jane Roe", " and ", "January ", "11, ", "2024", "۱۴۰۳", "حمل ", "۲۳ ", "References",
           "Abstract", "Keywords: ", "[1] ", "1. ", "How to Cite", "Published", "\u200c", "هـ", "نویسنده: ",
           "https://x.org/a", "www.y.org", "a@b.org", ", ", ". ", "\n", "(2025). ", "3(02), 152–157"]  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["heading", "paragraph", "list_item", "verse", "quote", "boilerplate"]),
            st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
            st.sampled_from([None, "en", "fa", "ar"]),
        ),
        max_size=10,
    ),
    st.sampled_from([{}, {"title": "x"}, {"dates": [["bad", "published"]]}, {"authors": ["Jane Roe"]}]),
)
def test_any_blocks_give_schema_valid_metadata_and_keep_their_text(
    items: list[tuple[str, str, str | None]], declared: dict[str, object]
) -> None:
    blocks = [Block(f"b{i}", kind, text, lang=lang, level=1 if kind == "heading" else None)
              for i, (kind, text, lang) in enumerate(items)]  # fmt: skip
    texts = [b.text for b in blocks]
    meta = extract_metadata(blocks, declared, "en")
    _METADATA_VALIDATOR.validate(meta.to_dict())
    assert [b.text for b in blocks] == texts  # re-typed at most, never rewritten
    assert all(b.type in BLOCK_TYPES for b in blocks)


@given(st.text(alphabet=st.sampled_from(["A", "b", "İ", "Σ", "ς", "ß", " ", "ي", "ك", "ى", "\u200c", ":", "É"]),
               max_size=12))
def test_label_folding_keeps_every_offset(text: str) -> None:
    # The fast path must equal folding one character at a time, which is what keeps offsets 1:1.
    from archive.metadata import _fold_label_keep

    letters = text.translate(str.maketrans("يكى\u200c", "یکی "))
    per_char = "".join(c if len(c.lower()) != 1 else c.lower() for c in letters)
    assert _fold_label_keep(text) == per_char
    assert len(_fold_label_keep(text)) == len(text)


def test_bare_addresses_and_emails_in_any_case_are_found() -> None:
    blocks = [Block(id="b1", type="paragraph", text="See WWW.Example.org/a, Www.x.com and HTTPS://y.org/p.", lang="en"),
              Block(id="b2", type="paragraph", text="Write to roe@example.org.", lang="en")]
    meta = extract_metadata(blocks, {}, "en")
    assert meta.urls == ["http://WWW.Example.org/a", "http://Www.x.com", "HTTPS://y.org/p"]
    assert meta.emails == ["roe@example.org"]


def test_citation_label_padded_with_spaces_and_dashes_and_licence_in_capitals() -> None:
    padded = "—— " + "  " * 40 + "HOW   TO \u200c CITE" + " -" * 30
    blocks = [Block(id="b1", type="paragraph", text=padded, lang="en"),
              Block(id="b2", type="paragraph", text=CITATION, lang="en"),
              Block(id="b3", type="paragraph", text="Licensed under CREATIVE COMMONS ATTRIBUTION 4.0.", lang="en")]
    meta = extract_metadata(blocks, {}, "en")
    assert meta.citation is not None and meta.citation.year == "2025"
    assert meta.license == "CC BY 4.0"


def test_date_label_gate_admits_every_character_that_folds_to_a_label_letter() -> None:
    # The gate reads the line unfolded; it must let through whatever the folded label pattern could match:
    # any character in any of the first four places of a date label that folds to that place's letter.
    import re

    from archive.metadata import _DATE_LABEL_GATE, _DATE_ROLES, _LABEL_INDEX, _fold_label_keep

    heads = {k[:4] for k, v in _LABEL_INDEX.items() if v in _DATE_ROLES}
    letters = {c for head in heads for c in head}
    folded = [(chr(code), _fold_label_keep(chr(code))) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
    standing_for = {
        letter: [c for c, f in folded if re.fullmatch(re.escape(letter), f, re.IGNORECASE)] for letter in letters
    }
    for head in heads:
        for i, letter in enumerate(head):
            for c in standing_for[letter]:
                line = head[:i] + c + head[i + 1 :]
                assert _DATE_LABEL_GATE.match(line) and _DATE_LABEL_GATE.match(" \u200c\t" + line), (head, hex(ord(c)))


def test_licence_named_in_mixed_case_is_found() -> None:
    for name in ("creative COmMons", "Creative CoMmons", "CREATIVE COMMONS", "creative commons"):
        blocks = [Block(id="b1", type="paragraph", text=f"Shared under a {name} Attribution 4.0 licence.", lang="en")]
        assert extract_metadata(blocks, {}, "en").license == "CC BY 4.0", name


def test_urdu_reporter_line_and_dateline_give_author_and_publication_date() -> None:
    text = ("پاک افغان سرحد پر کشیدگی میں اضافہ\n\nرپورٹ: فاطمہ خان\nاسلام آباد، 14 جنوری 2025\n\n"
            "پاکستان اور افغانستان کے درمیان سرحدی علاقوں میں حالیہ جھڑپوں کے بعد کشیدگی میں اضافہ ہوا ہے۔")
    meta = ingest_bytes(text.encode(), "ur.txt").metadata
    assert [p.name for p in meta.authors] == ["فاطمہ خان"]
    assert [(d.iso, d.role) for d in meta.dates] == [("2025-01-14", "published")]



def test_urdu_and_pashto_publication_labels_give_the_publication_date() -> None:
    body = "پاکستان اور افغانستان کے درمیان سرحدی علاقوں میں حالیہ جھڑپوں کے بعد کشیدگی میں اضافہ ہوا ہے۔"
    urdu = f"کراچی میں جلد جاگنے والا شہر\n\nتحریر: بلال چوہدری\nشائع شدہ: ۲۳ مئی ۲۰۰۹\n\n{body}"
    meta = ingest_bytes(urdu.encode(), "ur.txt").metadata
    assert [p.name for p in meta.authors] == ["بلال چوہدری"]
    assert [(d.iso, d.original, d.role) for d in meta.dates] == [("2009-05-23", "۲۳ مئی ۲۰۰۹", "published")]
    pashto = ("د کابل څخه یادښتونه\n\nخپور شوی: ۱۴۰۲/۰۲/۱۰\n\n"
              "د افغانستان په ښوونځیو کې د نجونو زده کړې ته اړتیا ډېره زیاته ده او خلک یې غواړي.")
    meta = ingest_bytes(pashto.encode(), "ps.txt").metadata
    assert [(d.iso, d.role) for d in meta.dates] == [("2023-04-30", "published")]

# The cheap tests in front of the costly ones may only ever say "cannot match".
_DATE_LABEL_TEXT = st.builds(
    lambda lead, label, variant, rest: lead + (label.replace("ی", "ي") if variant else label).upper() + rest,
    st.sampled_from(["", " ", "\u200c", "\t "]),
    st.sampled_from(sorted(__import__("archive.metadata", fromlist=["_LABEL_INDEX"])._LABEL_INDEX)),
    st.booleans(),
    st.text(alphabet=" :12-ab\u200c", max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_DATE_LABEL_TEXT, st.text(max_size=12)))
def test_date_label_gate_never_hides_a_label(line: str) -> None:
    from archive.metadata import _DATE_LABEL, _DATE_LABEL_GATE, _fold_label_keep

    assert _DATE_LABEL_GATE.match(line) or not _DATE_LABEL.match(_fold_label_keep(line))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Bby قلمهYy,،–—-Jane Roe 2024", max_size=30))
def test_byline_and_signature_prefilters_never_hide_a_match(line: str) -> None:
    from archive.metadata import _DATED_BYLINE, _DESCRIBED, _NAME_SEPARATOR, _SIGNATURE, _may_say_by

    assert _may_say_by(line) or not _DATED_BYLINE.match(line)
    assert _NAME_SEPARATOR.search(line) or not (_SIGNATURE.match(line) or _DESCRIBED.match(line))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="wW.:/ahtps x\u0628", max_size=20))
def test_url_prefilter_never_hides_an_address(text: str) -> None:
    from archive.metadata import _URL, _may_hold_url

    assert _may_hold_url(text) or not _URL.search(text)


_PADDED_LABEL = st.builds(
    lambda lead, label, upper, trail: lead + (label.upper() if upper else label) + trail,
    st.text(alphabet=" :：.-–—*\u200c\t\u00a0\n", max_size=50),
    st.sampled_from(sorted(__import__("archive.metadata", fromlist=["_LABEL_INDEX"])._LABEL_INDEX)),
    st.booleans(),
    st.text(alphabet=" :：.-–—*\u200c\tİΣa\u0301ي", max_size=50),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_PADDED_LABEL, st.text(alphabet="aİΣ ي\u200c\t\u00a0:.-*", max_size=70)))
def test_label_length_shortcut_never_hides_a_label(text: str) -> None:
    from archive.metadata import _LABEL_INDEX, _LONGEST_LABEL, _fold_label, _label_kind, _longer_than_any_label

    folded = _fold_label(text)
    assert not _longer_than_any_label(text) or len(folded) > _LONGEST_LABEL
    assert _label_kind(text) == _LABEL_INDEX.get(folded)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "FtP://", "httpſ://", "h", "f", "t", "p",
                                 "s", ":", "/", "#", "mailto:", "x.org", "ſ", "K"]), max_size=5).map("".join))
def test_absolute_link_shortcut_agrees_with_the_pattern(href: str) -> None:
    from archive.metadata import _ABSOLUTE, _is_absolute

    assert _is_absolute(href) == bool(_ABSOLUTE.match(href))


@given(st.text(alphabet="ab1 .ي\u0301", max_size=8), st.integers(min_value=0, max_value=4))
def test_letter_count_stops_early_but_agrees_with_counting_all(text: str, count: int) -> None:
    from archive.metadata import _has_letters

    assert _has_letters(text, count) == (sum(c.isalpha() for c in text) >= count)


@pytest.mark.parametrize(("lang", "declared", "paragraph", "names"), [
    ("en", "By Jane Roe and John Doe", "Officials from both countries met in Islamabad on Monday to discuss the "
     "reopening of the crossing, which has been closed for three weeks.", ["Jane Roe", "John Doe"]),
    ("ar", "الكاتب: خالد منصور، هدى سليمان", "وصلت معظم المخطوطات في صناديق خشبية، وبعضها لم يفتح منذ عام "
     "1950 كما قال أمين المكتبة.", ["خالد منصور", "هدى سليمان"]),
])
def test_a_byline_declared_as_the_author_gives_the_names(lang: str, declared: str, paragraph: str,
                                                         names: list[str]) -> None:
    page = (f'<html lang="{lang}"><head><meta charset="utf-8"><title>Border talks</title>'
            f'<meta name="author" content="{declared}"></head><body><article>'
            f"<h1>Border talks</h1><p>{paragraph}</p></article></body></html>")
    meta = ingest_bytes(page.encode(), f"{lang}.html").metadata
    assert [p.name for p in meta.authors] == names


def test_a_declared_persian_author_takes_the_spelling_of_the_normalized_text() -> None:
    # A Windows-1256 page: the code page has no Persian yeh, so both the declaration and the text
    # write Arabic yeh; the text is normalized for Persian, the declaration is not text.
    body = "به گفته مقام‌های محلی، سال گذشته حدود ۵۹۶ خانواده به این ناحیه بازگشتند و خانه‌ها را ساختند."
    typed = body.replace("ی", "ي").replace("\u200c", " ").replace("۵۹۶", "596")
    page = ('<html lang="fa" dir="rtl"><head><meta charset="windows-1256"><title>شنوندگان شعر</title>'
            '<meta name="author" content="نويسنده: حسين نوري"></head><body><article>'
            '<h1>شنوندگان شعر</h1><p class="byline">نويسنده: حسين نوري</p>'
            f"<p>{typed}</p></article></body></html>")
    meta = ingest_bytes(page.encode("cp1256"), "poetry.html").metadata
    assert [p.name for p in meta.authors] == ["حسین نوری"]


def test_a_section_heading_after_the_opening_paragraph_is_not_the_title() -> None:
    # "Kabul: …" opens like a label, so the text reader keeps it a paragraph; the heading after the
    # first paragraph of sentences heads a section.
    text = ("Kabul: Life in the old quarter\n\nBy Nadia Haddad\nPublished 16 December 2020\n\n"
            "Residents say the water supply has improved, although the pressure still drops in the evening.\n\n"
            "A city that starts early\n\nThe morning traffic starts before six and the bakeries open even earlier.")
    meta = ingest_bytes(text.encode(), "kabul.txt").metadata
    assert meta.title == "Kabul: Life in the old quarter"
    # A heading before the text is still the title.
    text = "Border towns\n\nKabul: Life in the old quarter\n\n" + text.split("\n\n", 1)[1]
    assert ingest_bytes(text.encode(), "towns.txt").metadata.title == "Border towns"


def test_a_sentence_opening_with_the_word_for_writers_is_no_byline() -> None:
    text = ("میان دو زبان\n\nنویسنده: فرشته یوسفی\n۱۲ دی ۱۳۹۹\n\n"
            "کتابداران می‌گویند دشوارترین بخش کار اسکن کردن نیست، بلکه توصیف هر سند است که زمان می‌برد.\n\n"
            "نویسندگان جوان نخستین شعرهای خود را در اینترنت منتشر می‌کنند، پیش از آنکه ناشری آن‌ها را ببیند. "
            "منتقدان فیلم را برای آهنگ آرامش و شنیدن صدای مردم عادی ستودند.")
    meta = ingest_bytes(text.encode(), "fa.txt").metadata
    assert [p.name for p in meta.authors] == ["فرشته یوسفی"]
    english = ("Border talks\n\nAuthor: Jane Roe\n\n"
               "Authors of the report said the crossing, Jim Lee and others, would open.")
    assert [p.name for p in ingest_bytes(english.encode(), "en.txt").metadata.authors] == ["Jane Roe"]


def test_urdu_and_pashto_bylines_name_each_author() -> None:
    urdu = ("کراچی میں جلد جاگنے والا شہر\n\nرپورٹ: بلال چوہدری اور عائشہ خان\n۲۳ مئی ۲۰۰۹\n\n"
            "پاکستان اور افغانستان کے درمیان سرحدی علاقوں میں حالیہ جھڑپوں کے بعد کشیدگی میں اضافہ ہوا ہے۔")
    assert [p.name for p in ingest_bytes(urdu.encode(), "ur.txt").metadata.authors] == ["بلال چوہدری", "عائشہ خان"]
    pashto = ("د کابل څخه یادښتونه\n\nلیکنه: شبنم وردګ او احمد شاه ځدراڼ\n۱۴۰۲/۰۲/۱۰\n\n"
              "د افغانستان په ښوونځیو کې د نجونو زده کړې ته اړتیا ډېره زیاته ده او خلک یې غواړي.")
    meta = ingest_bytes(pashto.encode(), "ps.txt").metadata
    assert [p.name for p in meta.authors] == ["شبنم وردګ", "احمد شاه ځدراڼ"]


_WEB_PROSE = "The council met on Tuesday to discuss the new water supply plan for the northern districts. " * 3


@pytest.mark.parametrize(("head", "byline", "names"), [
    # A byline only in the text, in English and in German.
    ("", "<p>By Jane Roe</p>", ["Jane Roe"]),
    ("", "<p>Von Anna Schmidt und Peter Braun</p>", ["Anna Schmidt", "Peter Braun"]),
    # A rel="author" link inside a sentence of credit.
    ("", '<p>Story by <a rel="author" href="/authors/jroe">Jane Roe</a></p>', ["Jane Roe"]),
    # The site's own name, an organisation and a web agency's credit are never authors.
    ('<meta name="author" content="Example News"><meta property="og:site_name" content="Example News">',
     "<p>By Jane Roe</p>", ["Jane Roe"]),
    ('<meta name="author" content="Developed by WebCo Studio">', "", []),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Organization", '
     '"name": "Example News"}}</script>', "", []),
])
def test_web_page_authors(head: str, byline: str, names: list[str]) -> None:
    page = (f"<html><head><title>Water plan</title>{head}</head><body><article><h1>Water plan</h1>{byline}"
            f"<p>{_WEB_PROSE}</p></article></body></html>")
    meta = ingest_bytes(page.encode(), "page.html").metadata
    assert [p.name for p in meta.authors] == names


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("詳しくは https://example.jp/about/index.htmlをご覧ください。次の文です。", "https://example.jp/about/index.html"),
        ("链接：https://example.cn/page，然后继续。", "https://example.cn/page"),
        ("자세한 내용은 https://example.kr/guide에서 확인하세요.", "https://example.kr/guide"),
        ("ดูที่ https://example.co.th/newsแล้วกลับมา", "https://example.co.th/news"),
        ("برای نمونه https://fa.wikipedia.org/wiki/ایران، را ببینید.", "https://fa.wikipedia.org/wiki/ایران"),
        ("Read it at https://example.org/a/b?x=1&y=2. Then stop.", "https://example.org/a/b?x=1&y=2"),
        ("“see https://example.org/q”—and more", "https://example.org/q"),
    ],
)
def test_a_url_ends_where_a_url_ends_in_any_script(text: str, url: str) -> None:
    record = ingest_bytes(text.encode("utf-8"), "note.txt")
    assert record.metadata.urls == [url]
