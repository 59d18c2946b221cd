"""Realistic records built by hand, for any test that needs a Record without running the pipeline.

They mimic what the pipeline makes of real sources: an English article with Persian header lines, a
Persian verse, an Arabic quotation with harakat, a numbered reference list, boilerplate; a whole
Persian record; an Arabic record. Offsets are computed from the text, never typed in by hand.
"""

from __future__ import annotations

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
)

AGENT = "archive 0.1.0"


def span_over(text: str, needle: str, kind: str, occurrence: int = 0, **attrs: str | None) -> Span:
    """A span over the `occurrence`-th appearance of `needle` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), kind, **attrs)  # type: ignore[arg-type]


def _source(name: str, sha: str, media_type: str = "text/plain") -> Source:
    return Source(
        filename=name,
        size=4096,
        sha256=sha,
        media_type=media_type,
        encoding=Encoding("utf-8", 1.0, "detected"),
    )


def _provenance(steps: dict[str, int]) -> list[Event]:
    return [
        Event("read", "2025-02-01T10:00:00Z", AGENT, {"reader": "text"}),
        Event("normalize", "2025-02-01T10:00:01Z", AGENT, {"steps": steps}),
        Event("detect", "2025-02-01T10:00:02Z", AGENT + " langdetect 1.0.9", {}),
    ]


FA = {"lang": "fa", "script": "Arab", "dir": "rtl"}
AR = {"lang": "ar", "script": "Arab", "dir": "rtl"}
EN = {"lang": "en", "script": "Latn", "dir": "ltr"}

QUOTE_AR = "إِنَّمَا الْأَعْمَالُ بِالنِّيَّاتِ"
TITLE = "Clashes between Afghanistan and Pakistan escalate"
SECTION = "Afghan-Pakistani relations"


def english_article() -> Record:
    """An English journal article with Persian masthead lines, verse, foreign quotation and references."""
    p_intro = (
        "The Taliban* has reportedly taken control of a town 24km from the border, "
        "as the Hindustan Times reported. Write to afgazad@gmail.com for details."
    )
    p_quote = f"The saying {QUOTE_AR} was cited by both sides, see www.example.org/quote for more."
    p_contact = "Contact the editors by e-mail."
    ref1 = (
        "[1] Pakistan Institute for Peace Studies, Security Report 2024, "
        "https://www.pakpips.com/report, accessed 2025-01-10."
    )
    ref2 = "[2] UN Monitoring Team, 35th report, https://undocs.org/S/2025/71 (2025-02-06)."
    blocks = [
        Block("b1", "heading", "افغانستان آزاد – آزاد افغانستان", level=1, evidence="letters:پ", **FA),
        Block("b2", "paragraph", "زبانهای اروپایی", **FA),
        Block(
            "b3",
            "verse",
            "چو کشور نباشد تن من مباد بدین بوم و بر زنده یک تن مباد\n"
            "همه سر به سر تن به کشتن دهیم از آن به که کشور به دشمن دهیم",
            **FA,
        ),
        Block("b4", "heading", TITLE, level=2, spans=[Span(0, len(TITLE), "emphasis")], **EN),
        Block("b5", "paragraph", p_intro, spans=[
            span_over(p_intro, "Hindustan Times", "emphasis"),
            span_over(p_intro, "afgazad@gmail.com", "link", href="mailto:afgazad@gmail.com"),
        ], **EN),
        Block("b6", "boilerplate", "Share this article: Facebook | Twitter", **EN),
        Block("b7", "paragraph", p_quote, spans=[
            span_over(p_quote, QUOTE_AR, "foreign", lang="ar", script="Arab", dir="rtl", evidence="harakat"),
            span_over(p_quote, "The saying", "strong"),
            # Overlaps the end of the quotation: XML must cut it into two linked pieces.
            Span(p_quote.index(QUOTE_AR) + len(QUOTE_AR) - 3, p_quote.index(" was") + 4, "emphasis"),
        ], **EN),
        Block("b8", "heading", SECTION, level=3, spans=[Span(0, len(SECTION), "strong")], **EN),
        Block("b9", "quote", "Pakistan's dream is to reach the Amu Darya.", **EN),
        Block("b10", "list_item", "cross-border sanctuaries", label="1.", **EN),
        Block("b11", "list_item", "resource sharing", label="2.", **EN),
        Block("b12", "note", "* The Taliban is a banned organisation.", label="*", **EN),
        Block("b13", "paragraph", p_contact, spans=[
            span_over(p_contact, "e-mail", "link", href="info@example.org"),
        ], **EN),
        Block("b14", "heading", "References", level=2, **EN),
        Block("b15", "reference", ref1, label="[1]", spans=[
            span_over(ref1, "Security Report 2024", "emphasis"),
        ], **EN),
        Block("b16", "reference", ref2, label="[2]", **EN),
        Block("b17", "caption", "Figure 1: Attacks by province", **EN),
        Block("b18", "boilerplate", "Subscribe to our newsletter", **EN),
        Block("b19", "boilerplate", "© 2025 Example Review", **EN),
    ]
    meta = Metadata(
        title=TITLE,
        title_lang="en",
        subtitle="A review of the border conflict",
        authors=[
            Person("Dr. Attaullah Jan", "Qurtuba University of Science and Information Technology, Peshawar"),
            Person("Muhammad Naeem Akbar Qazi"),
        ],
        dates=[
            DateValue("2025-01-12", "12.01.2025", "gregorian", "published"),
            DateValue("2025-01-12", "۲۳ جدی ۱۴۰۳", "solar-hijri", "published"),
        ],
        publisher="Sociology & Cultural Research Review",
        site="www.afgazad.com",
        urls=["http://www.afgazad.com", "https://www.scrrjournal.com/index.php/14/article/view/206"],
        emails=["afgazad@gmail.com"],
        keywords=["Pakistan", "Afghanistan", "TTP"],
        abstract="This paper investigates the alliances between the TTP and the Afghan Taliban.",
        citation=Citation(
            text="Jan, A., & Qazi, M. N. A. (2025). Clashes. "
            "Sociology & Cultural Research Review, 3(02), 152–157.",
            journal="Sociology & Cultural Research Review",
            volume="3",
            issue="02",
            pages="152–157",
            year="2025",
            url="https://www.scrrjournal.com/index.php/14/article/view/206",
        ),
        license="CC BY 4.0",
        references=[
            Reference("[1]", ref1, ["https://www.pakpips.com/report"], "2025-01-10", "b15"),
            Reference("[2]", ref2, ["https://undocs.org/S/2025/71"], "2025-02-06", "b16"),
        ],
    )
    return Record(
        id="r00112233445566aa",
        source=_source("article.md", "00112233445566aa" + "0" * 48, "text/markdown"),
        metadata=meta,
        languages=[LanguageShare("en", 0.8), LanguageShare("fa", 0.17), LanguageShare("ar", 0.03)],
        main_language="en",
        scripts=["Latn", "Arab"],
        blocks=blocks,
        provenance=_provenance({"nfc": 3, "bidi_controls": 0, "presentation_forms": 2}),
        warnings=[],
    )


VERSE = "همه سر به سر تن به کشتن دهیم\nاز آن به که کشور به دشمن دهیم"


def persian_record() -> Record:
    """A whole Persian (Dari) article: right-to-left, Arabic letters already mapped to Persian ones."""
    text1 = "درگیری‌ها میان افغانستان و پاکستان در امتداد خط دیورند شدت گرفته است."
    text2 = "به گزارش رسانه‌ها، طالبان (Taliban) کنترل یک شهر را به دست گرفته‌اند."
    blocks = [
        Block("b1", "heading", "درگیری‌های مرزی", level=1, **FA),
        Block("b2", "paragraph", text1, **FA),
        Block("b3", "paragraph", text2, spans=[
            span_over(text2, "Taliban", "foreign", lang="en", script="Latn", dir="ltr"),
        ], **FA),
        Block("b4", "verse", VERSE, spans=[
            # Runs over the line break, so each line holds one piece of it.
            Span(VERSE.index("دهیم"), VERSE.index("از آن") + 5, "emphasis"),
        ], **FA),
        Block("b5", "boilerplate", "نظر خود را بنویسید", **FA),
    ]
    meta = Metadata(
        title="درگیری‌های مرزی",
        title_lang="fa",
        authors=[Person("احمد کریمی", "دانشگاه کابل")],
        dates=[DateValue("2025-01-12", "۲۳ جدی ۱۴۰۳", "solar-hijri", "published")],
        site="afgazad.com",
        keywords=["افغانستان", "پاکستان"],
    )
    return Record(
        id="r99887766554433bb",
        source=_source("dari.txt", "99887766554433bb" + "1" * 48),
        metadata=meta,
        languages=[LanguageShare("fa", 0.97), LanguageShare("en", 0.03)],
        main_language="fa",
        scripts=["Arab", "Latn"],
        blocks=blocks,
        provenance=_provenance({"nfc": 1, "arabic_yeh_to_farsi_yeh": 12, "arabic_kaf_to_keheh": 4}),
    )


def arabic_record() -> Record:
    """An Arabic text with harakat kept, a lunar Hijri date and no authors."""
    blocks = [
        Block("b1", "heading", "بيان صحفي", level=1, **AR),
        Block("b2", "paragraph", "قال المتحدث: " + QUOTE_AR, spans=[
            Span(13, 13 + len(QUOTE_AR), "emphasis"),
        ], **AR),
    ]
    meta = Metadata(
        title="بيان صحفي",
        title_lang="ar",
        dates=[DateValue("2025-02-06", "٧ شعبان ١٤٤٦", "lunar-hijri", "published")],
    )
    return Record(
        id="r5566778899aabbcc",
        source=_source("bayan.html", "5566778899aabbcc" + "2" * 48, "text/html"),
        metadata=meta,
        languages=[LanguageShare("ar", 1.0)],
        main_language="ar",
        scripts=["Arab"],
        blocks=blocks,
        provenance=_provenance({}),
    )


BAYTS = ("چو کشور نباشد تن من مباد / بدین بوم و بر زنده یک تن مباد\n"
         "همه سر به سر تن به کشتن دهیم / از آن به که کشور به دشمن دهیم")


def bayt_record() -> Record:
    """The Persian record whose verse is two bayts, each hemistich marked as the pipeline marks it."""
    record = persian_record()
    verse = Block("b4", "verse", BAYTS, **FA)
    half = BAYTS.split("\n")
    offset = 0
    for line in half:
        first, second = line.split(" / ")
        verse.spans.append(Span(offset, offset + len(first), "hemistich"))
        verse.spans.append(Span(offset + len(first) + 3, offset + len(line), "hemistich"))
        offset += len(line) + 1
    record.blocks[3] = verse
    return record


def all_records() -> list[Record]:
    return [english_article(), persian_record(), arabic_record()]
