"""Descriptive metadata read from a document's own text: title, authors, dates, site, keywords, abstract,
citation and reference list.

Most sources in the archive are saved web pages and journal landing pages; their metadata is not in any
header but in the visible text, in a handful of conventional shapes (a byline "By X", an "Authors" list,
a "Published" label over a date, a signature "Name, January 11, 2025" at the end, a "How to Cite"
widget, a "References" list). Each shape has one small rule here, written for the shape, never for a
particular file. What the format declares (`Draft.meta`) outranks these heuristics where present.

Dates inside body sentences ("a report dated February 6") are about the world, not about the document,
so only dates that stand alone or under a label, byline or signature become the document's dates.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from .boilerplate import classify_boilerplate
from .dates import find_dates, parse_date
from .normalize import fold_digits
from .record import Block, Citation, DateValue, Metadata, Person, Reference

# A block at least this long is article prose; front matter comes before the first such block.
_PROSE = 200
# Bylines, names and labels are short.
_LINE = 160


def extract_metadata(blocks: list[Block], declared: dict[str, Any], main_language: str | None) -> Metadata:
    """Metadata of one document; re-types boilerplate and reference-list blocks in place."""
    classify_boilerplate(blocks)
    doc = _Document(blocks, main_language)
    meta = Metadata()

    meta.urls, meta.emails = _urls_and_emails(doc, declared)
    meta.title, meta.title_lang = _title(doc, declared)
    meta.subtitle = _text(declared.get("subtitle"))
    meta.keywords = _keywords(doc, declared)
    meta.abstract = _text(declared.get("abstract")) or _abstract(doc)
    meta.citation = _citation(doc, declared)
    meta.references = _references(doc)
    meta.authors, found_dates = _authors_and_dates(doc, meta.title)
    meta.authors = _declared_authors(declared, meta.authors) or meta.authors
    declared_dates = _declared_dates(declared)
    have_published = any(d.role == "published" for d in declared_dates + found_dates)
    meta.dates = _dedupe_dates(declared_dates + found_dates + _labelled_dates(doc, have_published))
    meta.site = _text(declared.get("site")) or _site(doc) or _site_name(doc)
    meta.publisher = (
        _text(declared.get("publisher"))
        or (meta.citation.journal if meta.citation else None)
        or _site_name(doc)
        or _copyright_holder(doc)
    )
    meta.license = _text(declared.get("license")) or _license(blocks)
    if meta.title_lang and not _LANGUAGE_TAG.match(meta.title_lang):
        meta.title_lang = None
    if not meta.authors and meta.citation and meta.citation.text:
        meta.authors = _citation_authors(meta.citation.text)
    return meta


class _Document:
    """The blocks with the few facts every rule needs: where the prose starts, what the language is."""

    def __init__(self, blocks: list[Block], main_language: str | None) -> None:
        self.blocks = blocks
        self.main = _base(main_language)
        self.content: list[Block] = []
        self._position: dict[int, int] = {}  # id(block) -> index in content
        # Every rule asks what label a block is, several times per block: asked once here, in the one
        # pass over the blocks that also finds the content and the prose.
        self._labels: dict[int, str] = {}  # id(block) -> `label_of(block)`, where that is not None
        self._label_positions: list[tuple[int, Block]] = []  # (index in blocks, block) of those labels
        self._labelled: dict[int, tuple[str, str]] = {}  # id(block) -> `_labelled(block)`, where not None
        # (content index, block) of every block that is or opens with a label, in order.
        self._marked: list[tuple[int, Block]] = []
        # Index in blocks of every block, however long, that folds to the citation label.
        self.citation_labels: list[int] = []
        self._urls: dict[int, list[str]] = {}  # id(block) -> `urls_in(block)`, once asked
        first_prose, last_prose = None, -1
        for i, block in enumerate(blocks):
            text = block.text
            kind = _label_kind(text)
            if kind == "citation":
                self.citation_labels.append(i)
            if kind is not None and len(text) > _LABEL_BLOCK:
                kind = None
            if kind is not None:
                self._labels[id(block)] = kind
                self._label_positions.append((i, block))
            if block.type == "boilerplate":
                continue
            at = len(self.content)
            self.content.append(block)
            self._position[id(block)] = at
            if block.type in ("paragraph", "quote") and len(text) >= _PROSE:
                first_prose = at if first_prose is None else first_prose
                last_prose = at
            opens = _labelled(block)
            if opens is not None:
                self._labelled[id(block)] = opens
            if kind is not None or opens is not None:
                self._marked.append((at, block))
        self.first_prose = len(self.content) if first_prose is None else first_prose
        self.last_prose = last_prose

    def label(self, block: Block) -> str | None:
        """`label_of(block)` for a block of this document."""
        return self._labels.get(id(block))

    def labels_in_order(self) -> list[tuple[int, Block]]:
        """(index in `blocks`, block) of every block that is a label, in order."""
        return self._label_positions

    def labelled(self, block: Block) -> tuple[str, str] | None:
        """`_labelled(block)` for a non-boilerplate block of this document."""
        return self._labelled.get(id(block))

    def marked(self, kind: str) -> list[tuple[int, Block]]:
        """(content index, block) of the blocks that are, or open with, a label of this kind: the only
        blocks a rule looking for that label needs to visit."""
        out = []
        for i, b in self._marked:
            opens = self._labelled.get(id(b))
            if self._labels.get(id(b)) == kind or (opens is not None and opens[0] == kind):
                out.append((i, b))
        return out

    def urls(self, block: Block) -> list[str]:
        """`urls_in(block)`: the document's addresses and its reference list both ask it of a block."""
        found = self._urls.get(id(block))
        if found is None:
            found = self._urls[id(block)] = urls_in(block)
        return found

    def front(self) -> list[Block]:
        """Blocks before the first prose paragraph: masthead, title, byline, date."""
        return self.content[: self.first_prose]

    def back(self) -> list[Block]:
        """Blocks after the last prose paragraph: signature, notes, widgets."""
        return self.content[self.last_prose + 1 :]

    def after(self, block: Block) -> Block | None:
        """The next non-boilerplate block."""
        i = self._position.get(id(block))
        return self.content[i + 1] if i is not None and i + 1 < len(self.content) else None


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _text(value: Any) -> str | None:
    """A declared value as clean text, or None: formats declare numbers, lists and blanks too."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
        return _text(value)
    text = _clean(str(value))
    return text or None


def _as_list(value: Any) -> list[Any]:
    """A declared value as a list: formats declare one author as a string as often as a list of one."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _base(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None


def _clean(text: str) -> str:
    """Whitespace runs as one space, none at the ends. A printable string has no whitespace but the plain
    space, so one without doubled or outer spaces is already clean and is not split."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


# --- labels ----------------------------------------------------------------------------------------

_LABELS: dict[str, tuple[str, ...]] = {
    "authors": ("authors", "author", "author(s)", "writers", "نویسندگان", "نویسنده", "المؤلفون", "المؤلف",
                "الكاتب", "مصنفین", "مصنف", "لیکوالان", "لیکوال"),
    "abstract": ("abstract", "summary", "چکیده", "خلاصه", "الملخص", "ملخص", "خلاصہ", "لنډیز"),
    "keywords": ("keywords", "key words", "key-words", "index terms", "کلیدواژه‌ها", "کلیدواژه ها",
                 "کلیدواژه", "کلید واژه‌ها", "کلید واژه ها", "واژگان کلیدی", "واژه‌های کلیدی",
                 "الكلمات المفتاحية", "كلمات مفتاحية", "الكلمات الدالة", "کلیدی الفاظ", "کلیدي ټکي"),
    "references": ("references", "reference", "bibliography", "works cited", "sources", "notes", "endnotes",
                   "منابع", "منابع و مآخذ", "مآخذ", "فهرست منابع", "المراجع", "المصادر", "مراجع",
                   "المصادر والمراجع", "حوالہ جات", "کتابیات", "سرچینې", "ماخذونه"),
    "published": ("published", "published on", "publication date", "date published", "posted", "posted on",
                  "date", "تاریخ انتشار", "تاریخ نشر", "تاریخ", "منتشر شده", "تاريخ النشر", "نشر في", "نشر",
                  "التاريخ", "تاریخ اشاعت", "شائع شدہ", "شائع ہوا", "اشاعت", "د خپرېدو نېټه", "خپور شوی",
                  "خپره شوې", "نېټه"),
    "updated": ("updated", "last updated", "modified", "last modified", "revised", "به‌روزرسانی",
                "آخرین به‌روزرسانی", "تم التحديث", "آخر تحديث"),
    "received": ("received", "submitted", "تاریخ دریافت", "تاريخ الاستلام"),
    "accepted": ("accepted", "تاریخ پذیرش", "تاريخ القبول"),
    "citation": ("how to cite", "cite this article", "to cite this article", "citation", "نحوه استناد",
                 "ارجاع به این مقاله", "كيفية الاستشهاد"),
}


def _label_letters(text: str) -> str:
    """Arabic yeh, kaf and alef maksura as the Persian letters, ZWNJ as a space: labels are written both
    ways. `str.replace` rather than `str.translate`, which is many times slower on Arabic script."""
    if text.isascii():
        return text
    return text.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی").replace("\u200c", " ")


# What label folding strips from the ends, besides whitespace.
_LABEL_STRIP = " :：.-–—*"


def _fold_label(text: str) -> str:
    return _clean(_label_letters(text).lower()).strip(_LABEL_STRIP)


_LABEL_INDEX = {_fold_label(v): k for k, vs in _LABELS.items() for v in vs}
_LABEL_PREFIX = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(v) for v in sorted(_LABEL_INDEX, key=len, reverse=True))
    + r")\s*[:：]\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)


_LONGEST_LABEL = max(map(len, _LABEL_INDEX))
# A block longer than this is not a label, even where it folds to one: that is padding around a label,
# which only the citation rule reads as one.
_LABEL_BLOCK = 60

# More letters (anything but whitespace, ZWNJ and the characters label folding strips) than the
# longest label has: such a text folds to something longer than every label, so it is none. The
# pattern stops at the first letters of the text, however long the text is.
_LONGER_THAN_ANY_LABEL = re.compile(
    r"(?:[\s:：.\-–—*\u200c]*[^\s:：.\-–—*\u200c]){" + str(_LONGEST_LABEL + 1) + "}"
)


def label_of(block: Block) -> str | None:
    """Which label a short block is ("Abstract", "چکیده:"), or None."""
    return _label_kind(block.text) if len(block.text) <= _LABEL_BLOCK else None


def _label_kind(text: str) -> str | None:
    """The kind of label `text` folds to, whatever its length, or None."""
    if _longer_than_any_label(text):
        return None
    return _LABEL_INDEX.get(_fold_label(text))


def _longer_than_any_label(text: str) -> bool:
    """Whether `text` surely folds to something longer than every label, decided without folding it
    (most blocks are no label, and folding is the costly part).

    A printable text holds no whitespace but the plain space, and no ZWNJ. Without a doubled space,
    folding it swaps letters one for one, lower-cases (which never shortens) and strips the ends, so
    its length with the ends stripped settles the question. Other text has its letters counted by a
    pattern, which is slower."""
    if len(text) <= _LONGEST_LABEL:
        return False
    if text.isprintable() and "  " not in text:
        return len(text.strip(_LABEL_STRIP)) > _LONGEST_LABEL
    return _LONGER_THAN_ANY_LABEL.match(text) is not None


def _labelled(block: Block) -> tuple[str, str] | None:
    """A block that opens with a label and a colon ("Keywords: a, b"): (label kind, rest)."""
    if ":" not in block.text and "：" not in block.text:  # folding makes no colon
        return None
    m = _LABEL_PREFIX.match(_fold_label_keep(block.text))
    if not m:
        return None
    kind = _LABEL_INDEX.get(_fold_label(m.group("label")))
    return (kind, block.text[m.start("rest"):].strip()) if kind else None


def _fold_label_keep(text: str) -> str:
    """Label folding that keeps offsets (1:1), so the rest of the block can be cut from the original."""
    text = _label_letters(text)
    lowered = text.lower()
    # `str.lower` is per character unless a character lower-cases to two ("İ") or a capital sigma takes
    # its word-final form; only then is the slow per-character path needed.
    if len(lowered) == len(text) and "\u03a3" not in text:
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# --- urls and emails -------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\[(){}«»]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Relative links ("/news", "#top") name nothing outside the page; mailto:, tel: and javascript: are not
# addresses of documents.
_ABSOLUTE = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_TRAILING = ".,;:!?’”'\""


def _may_hold_url(text: str) -> bool:
    """Whether `_URL` can match at all: "://" or a "w." (the end of "www.", any case) must be there.
    Substring tests run at memory speed, one-character ones fastest, so each pair is only looked for
    where its first character is; the regex scan is many times slower on the blocks (most) that hold
    no address."""
    return (":" in text and "://" in text) or (("w" in text or "W" in text) and ("w." in text or "W." in text))


def _strip_url(url: str) -> str:
    return url.rstrip(_TRAILING)


def urls_in(block: Block) -> list[str]:
    """Links and bare URLs of one block, in text order, deduplicated."""
    links = [(span.start, span.end, href) for span in block.spans if span.kind == "link" and (href := span.href)]
    bare = _may_hold_url(block.text)
    if not links and not bare:
        return []  # most blocks: emphasis at most, and no address in the text
    found: list[tuple[int, str]] = []
    linked: list[tuple[int, int]] = []
    for start, end, href in links:
        linked.append((start, end))
        if _is_absolute(href):
            found.append((start, href))
    for m in _URL.finditer(block.text) if bare else ():
        if any(start <= m.start() < end for start, end in linked):
            continue  # the link's own address stands for the text that shows it
        url = _strip_url(m.group())
        found.append((m.start(), url if "://" in url else "http://" + url))
    if len(found) > 1:
        found.sort(key=_offset)
    return _unique(u for _, u in found)


def _offset(found: tuple[int, str]) -> int:
    return found[0]


def _is_absolute(href: str) -> bool:
    """`_ABSOLUTE.match(href)`, the common answers found without the pattern: most links open with
    "https://" or "http://", and relative ones ("/news", "#top") with a character no scheme opens with."""
    if href.startswith(("https://", "http://")):
        return True
    if not href.startswith(("h", "H", "f", "F")):
        return False
    return _ABSOLUTE.match(href) is not None


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def _urls_and_emails(doc: _Document, declared: dict[str, Any]) -> tuple[list[str], list[str]]:
    urls: list[str] = [str(u) for u in _as_list(declared.get("urls"))]
    emails: list[str] = []
    for block in doc.blocks:
        text = block.text
        if block.spans:
            urls.extend(doc.urls(block))
            for span in block.spans:
                if span.kind == "link" and span.href and span.href.lower().startswith("mailto:"):
                    emails.append(span.href[7:].split("?")[0])
        elif _may_hold_url(text):
            urls.extend(doc.urls(block))
        if "@" in text:
            emails.extend(m.group() for m in _EMAIL.finditer(text))
    return _unique(urls), _unique(e.strip(".") for e in emails)


# --- title -----------------------------------------------------------------------------------------


# What follows a heading inside a page title that adds the site's name: "Heading | Site". A fixed
# pattern matched after the heading, not one compiled per heading (which also flushed the regex cache).
_TITLE_SITE_TAIL = re.compile(r"\s*[|:–—-]\s*\S")


def _title(doc: _Document, declared: dict[str, Any]) -> tuple[str | None, str | None]:
    given = _text(declared.get("title"))
    page_title_only = given is not None and given == _text(declared.get("page_title"))
    plausible = bool(given) and _plausible_title(given)
    # A page's <title> is weaker than a heading in the text; asked once, it is also the answer.
    from_text = _title_from_text(doc) if plausible and page_title_only else None
    if given and plausible and not (from_text and from_text[0]):
        title = _strip_site(given, declared.get("site"))
        first_word = title.split(" ", 1)[0]
        for block in doc.content:
            if block.type != "heading" and first_word not in block.text:
                continue  # whitespace folding keeps words: no block without the first word equals the title
            text = _clean(block.text)
            if text == title:
                return title, block.lang
            # A page title is often the heading plus the site's name ("Heading | Site"): the heading is
            # the document's own title.
            if (
                block.type == "heading"
                and len(text) > 3
                and title.startswith(text)
                and _TITLE_SITE_TAIL.match(title, len(text))
            ):
                return text, block.lang
        return title, _text(declared.get("lang"))
    return from_text or _title_from_text(doc)


_JUNK_TITLE = re.compile(
    r"^(?:untitled|no title|title|document\d*|doc\d*|microsoft word\s*-.*|.*\.(?:docx?|pdf|odt|rtf|txt|html?))$",
    re.IGNORECASE,
)


def _plausible_title(title: object) -> bool:
    """Whether a declared title is a title at all: PDF and Office files often declare "x", "untitled"
    or the name of the file they were made from, which the text's own heading beats."""
    if not isinstance(title, str):
        return False
    text = _clean(title)
    return _has_letters(text, 3) and not _JUNK_TITLE.match(text)


def _strip_site(title: str, site: object) -> str:
    """ "Heading | Site" -> "Heading" when Site is the site's declared name."""
    if isinstance(site, str) and site.strip():
        m = re.match(r"^(?P<head>.+?)\s*[|–—-]\s*" + re.escape(site.strip()) + r"\s*$", title)
        if m:
            return m.group("head")
    return title


def _title_from_text(doc: _Document) -> tuple[str | None, str | None]:
    """The first heading in the main language, highest level first; else a short line at the top.

    A page's <title> (what a format falls back to when it declares nothing better) is weaker than this:
    it is usually shortened and carries the site's name.
    """
    front = doc.front()
    headings = [
        b for b in front + doc.content[doc.first_prose :]
        if b.type == "heading" and doc.label(b) is None and _has_letters(b.text)
    ]
    # A heading that follows a paragraph of sentences heads a section: the title comes before the text.
    opening = next((i for i, b in enumerate(front) if _is_sentences(b)), len(front))
    front_ids = {id(b) for b in front[:opening]}
    in_front = [b for b in headings if id(b) in front_ids]
    pool = in_front or ([] if _top_line(doc) else headings)
    if doc.main:
        pool = [b for b in pool if _base(b.lang) == doc.main] or pool
    if pool:
        best = min(b.level or 1 for b in pool)
        chosen = next(b for b in pool if (b.level or 1) == best)
        return _clean(chosen.text), chosen.lang
    top = _top_line(doc)
    return (_clean(top.text), top.lang) if top else (None, None)


_SENTENCE_CLOSE = (".", "!", "?", "؟", "۔", "…")


def _is_sentences(block: Block) -> bool:
    """A paragraph of running text: eight words or more, ending as a sentence ends."""
    text = block.text.rstrip("»”\"' )")
    return block.type in ("paragraph", "quote") and text.endswith(_SENTENCE_CLOSE) and text.count(" ") >= 7


def _top_line(doc: _Document) -> Block | None:
    """The first short line-like paragraph at the top: the title of a page without headings."""
    for block in doc.content[:3]:
        text = block.text.strip()
        if (
            block.type in ("paragraph", "heading")
            and 0 < len(text) <= 250
            and "\n" not in text
            and _has_letters(text)
            and not text.endswith((".", ":", "؛", "،"))
            and doc.label(block) is None
            and not _BYLINE.match(text)
        ):
            return block
    return None


def _has_letters(text: str, count: int = 1) -> bool:
    """Whether `text` holds at least `count` letters; stops at the last one needed."""
    for c in text:
        if c.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0


# --- people ----------------------------------------------------------------------------------------

_BYLINE = re.compile(
    r"^\s*(?:(?:by|written by|به قلم|بقلم|كتبه|کتبه|بقلم الكاتب|تأليف|الكاتب|لیکنه|تحریر)(?:\s*[:：\-–—|]\s*|\s+)"
    # Words that are ordinary words too ("کتب" is also "books") count only with a colon or dash: the
    # nouns for author and writer, which open sentences ("نویسندگان جوان …", "Authors of the report
    # said …", "مصنف نے کہا …"), and the words for "report"/"reporter" that newspapers put before a
    # correspondent's name.
    r"|(?:author|authors|نویسنده|نویسندگان|لیکوال|مصنف|كتب|کتب|نوشته|رپورٹ|رپورٹر|گزارش|گزارشگر|خبرنگار|"
    r"مراسل|تقرير|reporter|report)\s*[:：\-–—]\s*)"
    r"(?P<names>\S.*)$",
    re.IGNORECASE,
)
_HONORIFICS = re.compile(
    r"^(?:(?:dr|prof|professor|doctor|mr|mrs|ms|miss|mx|engr|eng|sir|col|colonel|gen|general|maj|major|"
    r"lt|lieutenant|capt|captain|brig|brigadier|air marshal|air commodore|cdr|commander|hon|rev|sheikh|"
    r"shaikh|mufti|maulana|retd|rtd|\(r\)|\(retd\.?\))\.?\s+|"
    r"(?:دکتر|داکتر|ډاکټر|د\.|الدكتور|الدکتور|دكتور|استاد|الأستاذ|الاستاذ|أ\.د\.|مهندس|انجنیر|"
    r"پروفسور|پروفیسر|ڈاکٹر|سید|مولوی|شیخ|الشيخ|الشیخ)\s*)+",
    re.IGNORECASE,
)
_DEGREES = re.compile(
    r"(?:[\s,]+\(?(?:ph\.?\s?d|m\.?\s?phil|m\.?\s?sc|b\.?\s?sc|m\.?a|b\.?a|mba|m\.?d|ll\.?m|ll\.?b|m\.?s|"
    r"b\.?s|d\.?phil|ed\.?d)\.?\)?)+\s*$",
    re.IGNORECASE,
)
_AFFILIATION_WORDS = (
    r"assistant|associate|adjunct|visiting|senior|junior|professor|lecturer|reader|instructor|teacher|"
    r"department|dept\.?|faculty|school|college|university|institute|centre|center|academy|researcher|"
    r"research|ph\.?\s?d\.? scholar|m\.?\s?phil\.? scholar|scholar|student|fellow|director|head|chair|"
    r"chairman|dean|analyst|editor|journalist|correspondent|independent|former|consultant|expert|"
    r"استاد|دانشیار|استادیار|دانشجو|پژوهشگر|دانشگاه|دانشکده|پژوهشکده|موسسه|مؤسسه|عضو|"
    r"أستاذ|استاذ|باحث|جامعة|جامعه|كلية|معهد|محاضر|مدرس|"
    r"پوهنتون|پوهنځی|څېړونکی|ریسرچ"
)
_AFFILIATION_START = re.compile(rf"(?:{_AFFILIATION_WORDS})\b", re.IGNORECASE)
_AFFILIATION = re.compile(rf"(?:[,،]\s*|\s+)(?=(?:{_AFFILIATION_WORDS})\b)|[,،;]\s*", re.IGNORECASE)
# Between the names of a byline: commas, "and" in English, Persian and Arabic (و), Urdu (اور), Pashto (او).
_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and|&)\s+|\s+and\s+|\s*&\s*|\s+(?:و|اور|او)\s+|[،;]\s*|,\s*)\s*",
                         re.IGNORECASE)
_LATIN_NAME_WORD = re.compile(
    r"^(?:[A-Z][\w'’.-]*|[a-z]{1,3}-[A-Z][\w'’-]*|bin|ibn|ul|ud|al|el|de|van|von|der|da|di|la|le)$"
)
_ARABIC_NAME_WORD = re.compile(r"^[\u0600-\u06ff\u200c]+$")


# Capitalised phrases that open sentences and headings, never names.
_NOT_NAME_WORDS = (
    "the a an this that these those his her their our its in on at for from with by and but if when while "
    "according however moreover meanwhile"
)
_NOT_NAME_START = frozenset(_NOT_NAME_WORDS.split())


def looks_like_name(text: str) -> bool:
    """Two to six name-like words, no digits: a person, not a sentence or a heading."""
    text = text.strip()
    if not text or len(text) > 60 or any(map(str.isdigit, text)):
        return False
    words = text.split()
    if not 2 <= len(words) <= 6 or words[0].lower() in _NOT_NAME_START:
        return False
    if all(_LATIN_NAME_WORD.match(w) for w in words):
        return sum(1 for w in words if w[0].isupper()) >= 2
    return all(_ARABIC_NAME_WORD.match(w) for w in words) and len(words) <= 5


def parse_person(line: str) -> Person | None:
    """A person from a line such as "Dr. Jane Roe Assistant Professor, Dept. of X, Y University"."""
    line = line.strip().lstrip("•·*-–—▪◦ ").strip().strip("*_").strip()
    line = _HONORIFICS.sub("", line)
    if not line:
        return None
    m = _AFFILIATION.search(line)
    name, affiliation = (line[: m.start()], line[m.end():]) if m else (line, "")
    name = _HONORIFICS.sub("", _DEGREES.sub("", name)).strip(" ,.،")
    affiliation = _clean(affiliation).strip(" ,،;")
    if not name or not _has_letters(name) or len(name.split()) > 8:
        return None
    return Person(name=_clean(name), affiliation=affiliation or None)


def _names_in(text: str) -> list[Person]:
    """People of a byline: "X and Y", "X, Y & Z", "الف و ب"."""
    people = []
    for part in _NAME_SPLIT.split(text.strip()):
        person = parse_person(part)
        if person and (looks_like_name(person.name) or _looks_like_agency(person.name)):
            people.append(person)
    return people


def _looks_like_agency(text: str) -> bool:
    """One capitalised word or acronym ("By Reuters", "By AFP"): a byline that names an agency."""
    words = text.split()
    return len(words) == 1 and (words[0][:1].isupper() or bool(_ARABIC_NAME_WORD.match(words[0])))


def _declared_authors(declared: dict[str, Any], found: list[Person]) -> list[Person]:
    """Authors the format declares, as written (a "Roe, Jane" is one name, not a name and a place),
    with affiliations from the declaration or, failing that, from the text. Many sites copy the
    byline into `<meta name="author">`: "By Jane Roe and John Doe", "بقلم …" is read as a byline. A
    name the text also gives keeps the text's spelling, which normalization has made consistent (a
    Windows-1256 page declares Persian names with Arabic yeh)."""
    affiliations = _as_list(declared.get("affiliations"))
    in_text = {_label_letters(p.name): p for p in found}
    people = []
    for i, value in enumerate(_as_list(declared.get("authors"))):
        text = str(value)
        # Label folding is one character for one: the names start at the same offset in `text`.
        # As written, or with the letters folded as labels are ("الكاتب" as written, "نويسنده" folded).
        byline = (_BYLINE.match(text) or _BYLINE.match(_label_letters(text))) if len(text) <= _LINE else None
        names = [p.name for p in _names_in(text[byline.start("names"):])] if byline else [text]
        for written in names:
            name = _clean(_DEGREES.sub("", _HONORIFICS.sub("", written))).strip(" ,")
            if not name:
                continue
            same = in_text.get(_label_letters(name))
            name = same.name if same else name
            affiliation = (affiliations[i] if i < len(affiliations) and affiliations[i]
                           else same.affiliation if same else None)
            people.append(Person(name=name, affiliation=affiliation))
    return people


def _lines(block: Block) -> list[str]:
    if "\n" not in block.text:
        line = block.text.strip()
        return [line] if line else []
    return [line.strip() for line in block.text.split("\n") if line.strip()]


def _authors_and_dates(doc: _Document, title: str | None) -> tuple[list[Person], list[DateValue]]:
    """People and the document's own dates from the front (byline, author list, name over date) and the
    back (signature "Name, date", a closing description "Name, researcher at …")."""
    people: list[Person] = []
    dates: list[DateValue] = []
    front = doc.front()
    title_seen = False
    listed: set[int] = set()  # blocks already read as an author list
    bylined: set[int] = set()  # blocks read as a byline (and its dateline) at the front

    for i, block in enumerate(front):
        if title and _clean(block.text) == title:
            title_seen = True
            continue
        if id(block) in listed:
            continue
        lines = _lines(block)
        if doc.label(block) == "authors":
            for item in front[i + 1 :]:
                if item.type == "heading" or doc.label(item) is not None:
                    break
                listed.add(id(item))
                for line in _lines(item):
                    person = parse_person(line)
                    if person:
                        people.append(person)
            continue
        for j, line in enumerate(lines):
            dated = _DATED_BYLINE.match(line) if len(line) <= _LINE and _may_say_by(line) else None
            if dated and not _BYLINE.match(line):
                head = dated.group("date")
                label = _DATE_LABEL.match(_fold_label_keep(head))
                value = parse_date(head[label.start("rest"):] if label else head, lang=block.lang)
                if value:
                    people.extend(_names_in(dated.group("names")))
                    if not label:  # a labelled date is read, with its role, by _labelled_dates
                        dates.append(_with_role(value, "published"))
                    continue
            byline = _BYLINE.match(line) if len(line) <= _LINE else None
            if byline:
                bylined.add(id(block))
                names = byline.group("names")
                for value, start, _end in find_dates(names, lang=block.lang):
                    dates.append(_with_role(value, "published"))
                    names = names[:start]
                    break
                people.extend(_names_in(names.strip(" |,–—-")))
                dates.extend(_date_after(lines, j, doc, block))
            elif not people and (title_seen or i > 0) and looks_like_name(line):
                following = _date_after(lines, j, doc, block)
                if following:
                    person = parse_person(line)
                    if person:
                        people.append(person)
                    dates.extend(following)

    for block in doc.back()[-6:]:
        if id(block) in bylined:  # a short document's front is also its back: read it once
            continue
        for line in _lines(block):
            byline = _BYLINE.match(line) if len(line) <= _LINE else None
            if byline:  # an author credit at the end, as many Persian and Arabic sites place it
                for person in _names_in(byline.group("names")):
                    _merge(people, person)
                continue
            if not _NAME_SEPARATOR.search(line):
                continue  # a signature and a description both part the name from what follows it
            signature = _signature(line, block.lang)
            if signature:
                name, value = signature
                _merge(people, Person(name=name))
                dates.append(_with_role(value, "created"))
                continue
            described = _described(line, people, block)
            if described:
                _merge(people, described)
    return people, dates


def _date_after(lines: list[str], j: int, doc: _Document, block: Block) -> list[DateValue]:
    """The date on the line (or block) right under a byline or name: its publication date, also when
    a dateline names the place first ("Islamabad, 14 January 2025")."""
    if j + 1 < len(lines):
        value = _dateline(lines[j + 1], block.lang)
        return [_with_role(value, "published")] if value else []
    if j == len(lines) - 1:
        nxt = doc.after(block)
        if nxt is not None and len(nxt.text) <= 80:
            value = _dateline(nxt.text, nxt.lang)
            return [_with_role(value, "published")] if value else []
    return []


_DATELINE = re.compile(r"^(?P<place>[^,،\d]{2,40}?)\s*[,،]\s*(?P<date>\S.*)$")


def _dateline(line: str, lang: str | None) -> DateValue | None:
    value = parse_date(line, lang=lang)
    if value is None and (m := _DATELINE.match(line)):
        value = parse_date(m.group("date"), lang=lang)
    return value


# What parts a signature's or a description's name from the rest of the line: `_SIGNATURE` and
# `_DESCRIBED` cannot match a line without one, and most closing lines are sentences without.
_NAME_SEPARATOR = re.compile(r"[,،–—-]")
_SIGNATURE = re.compile(r"^[*_\s]*(?P<name>[^,،\d]{3,60}?)\s*[,،–—-]\s*(?P<date>.+?)[*_\s]*$")


def _signature(line: str, lang: str | None) -> tuple[str, DateValue] | None:
    """ "Jane Roe, January 11, 2025": the author signing off with the date of writing."""
    m = _SIGNATURE.match(line)
    if not m or not looks_like_name(m.group("name")):
        return None
    value = parse_date(m.group("date"), lang=lang)
    return (_clean(m.group("name")), value) if value else None


_DESCRIBED = re.compile(r"^[*_\s]*(?P<name>[^,،\d]{3,60}?)\s*[,،–—-]\s*(?P<about>[^\d].{3,200}?)[*_\s.]*$")


def _is_emphasized(block: Block) -> bool:
    text = block.text.strip(" *_")
    covered = sum(s.end - s.start for s in block.spans if s.kind in ("emphasis", "strong"))
    return bool(text) and covered >= len(text)


def _described(line: str, people: list[Person], block: Block) -> Person | None:
    """ "*Jane Roe, researcher-expert on the Middle East*": who the author is, said at the end.

    Only for a name already known as an author, or a line set apart in italics as author notes are;
    otherwise a closing sentence such as "Western capitals, meanwhile, …" would become a person.
    """
    m = _DESCRIBED.match(line)
    if not m:
        return None
    name = _clean(m.group("name"))
    about = _clean(m.group("about"))
    known = any(p.name == name for p in people)
    lowercase_start = about[:1].islower() or _AFFILIATION_START.match(about)
    if (known or _is_emphasized(block) and looks_like_name(name)) and lowercase_start:
        return Person(name=name, affiliation=about)
    return None


def _merge(people: list[Person], person: Person) -> None:
    for existing in people:
        if existing.name == person.name:
            if person.affiliation and not existing.affiliation:
                existing.affiliation = person.affiliation
            return
    people.append(person)


# --- dates -----------------------------------------------------------------------------------------


def _with_role(value: DateValue, role: str) -> DateValue:
    return DateValue(iso=value.iso, original=value.original, calendar=value.calendar, role=role)


def _declared_dates(declared: dict[str, Any]) -> list[DateValue]:
    out = []
    for item in _as_list(declared.get("dates")):
        text, role = (item[0], item[1]) if isinstance(item, (list, tuple)) else (item, "published")
        value = parse_date(str(text))
        if value is None:
            found = find_dates(str(text))
            value = found[0][0] if found else None
        if value is not None:
            # The declaration as a whole is the source text (time and zone included).
            out.append(DateValue(value.iso, str(text).strip(), value.calendar, role or "published"))
    return out


_DATE_ROLES = ("published", "updated", "received", "accepted")
_DATE_LABEL = re.compile(
    r"^\s*(?P<label>"
    + "|".join(
        re.escape(v) for v in sorted(_LABEL_INDEX, key=len, reverse=True) if _LABEL_INDEX[v] in _DATE_ROLES
    )
    + r")(?:\s+on)?\s*[:：]?\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# What a line must open with for `_DATE_LABEL` to match its folded form: the first four letters of a
# date label, each in any case or as any letter that label folding turns into it (Arabic yeh and kaf,
# ZWNJ for a space), after spaces or ZWNJs. Folding is one character for one, so nearly every line
# fails this one test, which spares folding it; a first letter alone lets through every Arabic line
# that opens with "ال".
_FOLDS_TO: dict[str, str] = {}
for _variant in "يكى\u200c":
    _FOLDS_TO[_label_letters(_variant)] = _FOLDS_TO.get(_label_letters(_variant), "") + _variant
_DATE_LABEL_GATE = re.compile(
    r"[\s\u200c]*(?:"
    + "|".join(
        "".join(f"[{re.escape(c + _FOLDS_TO.get(c, ''))}]" for c in head)
        for head in sorted({v[:4] for v in _LABEL_INDEX if _LABEL_INDEX[v] in _DATE_ROLES})
    )
    + ")",
    re.IGNORECASE,
)
# "Posted on March 3, 2024 by Jane Roe", "Updated 4 March 2024 by …": the date part, the names after "by".
_DATED_BYLINE = re.compile(r"^(?P<date>.+?)\s+(?:by|بقلم|به قلم)\s+(?P<names>\S.*)$", re.IGNORECASE)


def _may_say_by(line: str) -> bool:
    """Whether `_DATED_BYLINE` can match: "by" (only a "y" or "Y" stands for its y in any case) or "قلم".
    The pattern's lazy date part tries every space of the line; this spares the lines without."""
    return "y" in line or "Y" in line or "قلم" in line


def _labelled_dates(doc: _Document, have_published: bool) -> list[DateValue]:
    """A date under or after a label ("Published" / "2025-05-02", "تاریخ انتشار: ۲۳ حمل ۱۴۰۳",
    "Posted on March 3, 2024 by …"), or else a date standing alone in the front matter."""
    out: list[DateValue] = []
    for block in doc.content:
        kind = doc.label(block)
        if kind in _DATE_ROLES:
            nxt = doc.after(block)
            value = parse_date(nxt.text, lang=nxt.lang) if nxt is not None and len(nxt.text) <= 80 else None
            if value:
                out.append(_with_role(value, kind or "published"))
            continue
        text = block.text
        if len(text) > 2 * _LINE:
            continue
        # One line that does not open with a date label and has no separator to start a new part
        # (the common case) is answered without splitting.
        if (
            "\n" not in text
            and not _DATE_LABEL_GATE.match(text)
            and not (";" in text or "|" in text or "•" in text or "·" in text)
        ):
            continue
        for line in _lines(block):
            # Journals put the whole history on one line: "Received: …; Accepted: …; Published: …".
            for part in _history_parts(line):
                dated = _labelled_date(part, block.lang)
                if dated:
                    out.append(dated)
    if not out and not have_published:
        for block in doc.front():
            value = parse_date(block.text, lang=block.lang) if len(block.text) <= 60 else None
            if value and len(value.iso) >= 7:
                out.append(_with_role(value, "published"))
                break
    return out


_HISTORY_SPLIT = re.compile(r"\s*[;|•·]\s*")


def _history_parts(line: str) -> list[str]:
    # The split pattern opens with \s*, so the regex engine tries it at every position; a line without a
    # separator (nearly all) is answered by substring tests instead.
    if ";" in line or "|" in line or "•" in line or "·" in line:
        return _HISTORY_SPLIT.split(line)
    return [line]


def _labelled_date(line: str, lang: str | None) -> DateValue | None:
    if len(line) > _LINE or not _DATE_LABEL_GATE.match(line):
        return None
    m = _DATE_LABEL.match(_fold_label_keep(line))
    if not m:
        return None
    role = _LABEL_INDEX.get(_fold_label(m.group("label")), "published")
    rest = line[m.start("rest"):]
    byline = _DATED_BYLINE.match(rest)
    value = parse_date(rest, lang=lang) or (parse_date(byline.group("date"), lang=lang) if byline else None)
    return _with_role(value, role) if value else None


def _dedupe_dates(values: list[DateValue]) -> list[DateValue]:
    """One date per day and role: the first source (the declaration) gives its original text."""
    seen: set[tuple[str, str]] = set()
    out = []
    for value in values:
        key = (value.iso, value.role)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


# --- site and publisher ----------------------------------------------------------------------------

_DOMAIN = re.compile(r"^(?:https?://)?(?P<host>(?:[\w-]+\.)+[a-z]{2,})/?$", re.IGNORECASE)


def _site(doc: _Document) -> str | None:
    """The host of a link at the top whose text is itself a web address ("www.example.com")."""
    for block in doc.front():
        text = block.text.strip()
        if _DOMAIN.match(text):
            for span in block.spans:
                if span.kind == "link" and span.href:
                    host = urlsplit(span.href).hostname
                    if host:
                        return host
            m = _DOMAIN.match(text)
            return m.group("host").lower() if m else None
    return None


_DISCOVER_MORE = re.compile(r"^discover more from\s+(?P<name>.+?)\s*$", re.IGNORECASE)
_NAME_TAGLINE = re.compile(r"\s+[|–—-]\s+")


def _site_name(doc: _Document) -> str | None:
    """The site's own name as its subscribe footer gives it ("Discover more from Name | tagline")."""
    for block in doc.blocks:
        if block.type != "boilerplate":
            continue
        m = _DISCOVER_MORE.match(block.text.strip())
        if m:
            return _NAME_TAGLINE.split(m.group("name"))[0].strip() or None
    return None


_COPYRIGHT = re.compile(r"(?:©|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[^.|]{2,80}?)\s*"
                        r"(?:\.|\||all rights reserved|$)", re.IGNORECASE)  # fmt: skip


def _copyright_holder(doc: _Document) -> str | None:
    for block in doc.blocks[-8:]:
        if block.type == "boilerplate":
            m = _COPYRIGHT.search(block.text)
            if m and _has_letters(m.group("name")):
                return m.group("name").strip(" ,")
    return None


# --- license ---------------------------------------------------------------------------------------

_CC_URL = re.compile(r"creativecommons\.org/(?:licenses/(?P<code>[a-z-]+)/(?P<version>\d\.\d)|publicdomain/zero/"
                     r"(?P<zero>\d\.\d))", re.IGNORECASE)  # fmt: skip
_CC_TEXT = re.compile(
    r"Creative Commons (?P<parts>Attribution(?:[- ](?:NonCommercial|Non-Commercial|ShareAlike|Share-Alike|"
    r"NoDerivatives|NoDerivs|No-Derivatives))*)\s*(?P<version>\d\.\d)?",
    re.IGNORECASE,
)
_CC_PART = {"noncommercial": "NC", "non-commercial": "NC", "sharealike": "SA", "share-alike": "SA",
            "noderivatives": "ND", "noderivs": "ND", "no-derivatives": "ND"}  # fmt: skip


_CC_WORDS = re.compile(r"[- ]+(?=[A-Z])")


def _may_name_commons(text: str) -> bool:
    """Both licence patterns hold "commons" (any case): without it neither can match. Looking for a
    double m first spares lower-casing nearly every block."""
    return _double_m(text) and "ommon" in text.lower()


def _double_m(text: str) -> bool:
    """ "mm" in any case. One-letter scans first: most text (all of it in Arabic script) has no m."""
    return ("m" in text or "M" in text) and ("mm" in text or "MM" in text or "mM" in text or "Mm" in text)


def _license(blocks: Sequence[Block]) -> str | None:
    """A Creative Commons licence the page states, by its link or its name, as "CC BY-NC 4.0"."""
    for block in blocks:
        text = block.text
        if not block.spans and not _double_m(text):
            continue  # the first test of _may_name_commons: asked of every block
        mentions = _may_name_commons(block.text)
        for href in [s.href for s in block.spans if s.kind == "link" and s.href] + [block.text]:
            if not (mentions if href is block.text else _may_name_commons(href)):
                continue
            m = _CC_URL.search(href)
            if m:
                if m.group("zero"):
                    return f"CC0 {m.group('zero')}"
                return f"CC {m.group('code').upper()} {m.group('version')}"
        m = _CC_TEXT.search(block.text) if mentions else None
        if m:
            words = _CC_WORDS.split(m.group("parts"))[1:]
            parts = [_CC_PART.get(w.lower().strip("- "), "") for w in words]
            code = "-".join(["BY", *[p for p in parts if p]])
            return f"CC {code}" + (f" {m.group('version')}" if m.group("version") else "")
    return None


_CITATION_AUTHORS_SPLIT = re.compile(r"\s*,?\s*&\s*|\s*;\s*|\s*,\s*and\s+")


def _citation_authors(text: str) -> list[Person]:
    """Authors from a citation's head ("Jane Roe, & John Doe. (2025). …") when the page names them
    nowhere else; initials-style heads ("Roe, J., & Doe, J.") are left alone rather than mangled."""
    year = _YEAR_IN_PARENS.search(text)
    if not year:
        return []
    head = text[: year.start()].strip(" .")
    parts = [p for p in _CITATION_AUTHORS_SPLIT.split(head) if p.strip()]
    people = []
    for part in parts:
        if "," in part:
            return []
        person = parse_person(part)
        if person is None or not looks_like_name(person.name):
            return []
        people.append(Person(name=person.name))
    return people


# --- keywords, abstract ----------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"\s*[,;،؛]\s*|\s+[·•|]\s+")


def _keywords(doc: _Document, declared: dict[str, Any]) -> list[str]:
    if declared.get("keywords"):
        given = declared["keywords"]
        items = _LIST_SPLIT.split(given) if isinstance(given, str) else _as_list(given)
        return _unique(_clean(str(k)) for k in items if str(k).strip())
    for _i, block in doc.marked("keywords"):
        labelled = doc.labelled(block)
        rest = labelled[1] if labelled and labelled[0] == "keywords" else None
        if rest is None and doc.label(block) == "keywords":
            items = []
            nxt = doc.after(block)
            while nxt is not None and nxt.type == "list_item":
                items.append(nxt.text)
                nxt = doc.after(nxt)
            if items:
                return _unique(_clean(k).strip(" .") for k in items)
            rest = nxt.text if nxt is not None and len(nxt.text) <= 500 else None
        if rest:
            return _unique(k.strip(" .。") for k in _LIST_SPLIT.split(rest))
    return []


def _abstract(doc: _Document) -> str | None:
    for i, block in doc.marked("abstract"):
        labelled = doc.labelled(block)
        if labelled and labelled[0] == "abstract" and len(labelled[1]) > 40:
            return labelled[1]
        if doc.label(block) != "abstract":
            continue
        parts = []
        for nxt in doc.content[i + 1 :]:
            if nxt.type == "heading" or doc.label(nxt) is not None or doc.labelled(nxt) is not None:
                break
            if nxt.type in ("paragraph", "quote"):
                parts.append(nxt.text.strip())
        return "\n\n".join(parts) or None
    return None


# --- citation --------------------------------------------------------------------------------------

_VOLUME = re.compile(
    r",\s*(?:vol\.?\s*)?(?P<volume>\d+)\s*(?:\(\s*(?P<issue>[^)]+?)\s*\))?\s*,\s*(?:pp?\.\s*)?"
    r"(?P<pages>\d+\s*[-–—]\s*\d+|\d+|e\d+)"
)
_YEAR_IN_PARENS = re.compile(r"\((?P<year>[0-9]{4})[a-z]?\)\.?")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|nbsp);", re.IGNORECASE)
_RETRIEVED = re.compile(r"(?:retrieved from|available (?:at|from)|doi:)\s*(?P<url>\S+)", re.IGNORECASE)


def parse_citation(text: str) -> Citation | None:
    """An APA-like citation: "Authors. (Year). Title. Journal, Vol(Issue), pages. Retrieved from URL"."""
    text = _clean(text)
    # Same length as `text`, so offsets found in one hold in the other; numbers come out in ASCII digits.
    work = fold_digits(text).replace("،", ",")
    year = _YEAR_IN_PARENS.search(work)
    volume = _VOLUME.search(work, year.end() if year else 0)
    if not year and not volume:
        return None
    citation = Citation(text=text, year=year.group("year") if year else None)
    if volume:
        citation.volume = volume.group("volume")
        citation.issue = volume.group("issue")
        citation.pages = volume.group("pages").replace(" ", "")
        head = text[year.end() if year else 0 : volume.start()]
        segments = [s for s in _SENTENCE_END.split(head) if s.strip()]
        if segments:
            citation.journal = _unescape(segments[-1]).strip(" .")
    url = _RETRIEVED.search(text)
    if url:
        citation.url = _strip_url(url.group("url"))
    else:
        bare = _URL.search(text)
        citation.url = _strip_url(bare.group()) if bare else None
    return citation


def _unescape(text: str) -> str:
    # Some CMSs capitalise entity names ("&Amp;"), which no HTML parser accepts.
    text = _ENTITY.sub(lambda m: f"&{m.group(1).lower()};", text)
    return _clean(html.unescape(text))


def _citation(doc: _Document, declared: dict[str, Any]) -> Citation | None:
    found: Citation | None = None
    for i in doc.citation_labels:
        if i + 1 < len(doc.blocks):
            found = parse_citation(doc.blocks[i + 1].text)
            if found:
                break
    if isinstance(declared.get("citation"), dict) and declared["citation"]:
        given = declared["citation"]
        found = found or Citation()
        for key in ("journal", "volume", "issue", "pages", "year", "url", "text"):
            if given.get(key):
                setattr(found, key, str(given[key]))
    return found


# --- references ------------------------------------------------------------------------------------

_ENTRY = re.compile(r"^\s*(?:\[(?P<a>\d{1,3})\]|(?P<b>\d{1,3})\s*[.)\-–])\s*(?P<text>\S.*)$", re.DOTALL)


def _references(doc: _Document) -> list[Reference]:
    """Entries of the reference list under a "References" label; each becomes a `reference` block."""
    out: list[Reference] = []
    blocks = doc.blocks
    start = None
    for i, block in doc.labels_in_order():
        if block.type != "boilerplate" and doc.label(block) == "references":
            start = i
    if start is None:
        return out
    skipped = 0
    for block in blocks[start + 1 :]:
        # Footnotes printed after the list stay notes: numbered like entries, they are not references.
        if block.type in ("boilerplate", "note"):
            continue
        if block.type == "heading":
            break
        m = _ENTRY.match(fold_digits(block.text))
        label = (m.group("a") or m.group("b")) if m else block.label
        if m is None and block.type != "list_item" and block.type != "reference":
            skipped += 1
            if out or skipped > 2:  # the list has ended, or this label did not head one
                break
            continue
        body = block.text[m.start("text"):].strip() if m else block.text.strip()
        block.type = "reference"
        block.label = label
        # A date inside an address ("…/news/2022/11/28/…") is the page's, not necessarily the work's.
        unlinked = _URL.sub(lambda m: " " * len(m.group()), body)
        dates = find_dates(unlinked, bare_years=True, lang=block.lang)
        out.append(Reference(
            label=label, text=body, urls=doc.urls(block), date=dates[0][0].iso if dates else None,
            block_id=block.id,
        ))
    return out


__all__ = ["extract_metadata", "label_of", "looks_like_name", "parse_citation", "parse_person", "urls_in"]
