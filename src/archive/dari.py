"""Whether a Persian document is Dari (`fa-AF`): Afghan words, Afghan month names, Afghan places and
institutions, weighed against what only Iranian Persian writes, over the whole document.

Why the whole document: one paragraph of an Afghan news item rarely holds more than one Afghan word
(ولسوالی in the lead, a date in حوت at the foot, معارف in the second paragraph); together they are plain.
Why both sides: Iranian news about Afghanistan names Kabul, Herat and the Taliban too, and Iranian
Persian says ولایت in ولایت فقیه; its own words (استان, شهرداری, فروردین, دانش‌آموزان) keep it `fa`.
A wrong `fa-AF` is worse than a plain `fa`, so the Afghan side must be clearly ahead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_FOLD = (("\u064a", "\u06cc"), ("\u0643", "\u06a9"), ("\u0649", "\u06cc"))


def fold(text: str) -> str:
    """Arabic yeh, kaf and alef maksura as Persian writes them."""
    for source, target in _FOLD:
        text = text.replace(source, target)
    return text


def _folded(words: str) -> frozenset[str]:
    return frozenset(map(fold, words.split()))


def _weights(*groups: tuple[float, str]) -> dict[str, float]:
    return {fold(word): weight for weight, words in groups for word in words.split()}


# Words of Afghan administration, schooling and daily life that Iranian Persian says otherwise
# (Iran: شهرداری, دانشگاه, گزارش, خودرو, پلیس, بیمارستان, دکتر, واکسن, استان…). 2: Iran never
# writes it so; 1: Iran writes it, rarely or in another sense (مکتب a school of thought, صنف a guild).
AFGHAN_WORDS = _weights(
    (2, "ولسوالی ولسوالی‌ها ولسوالیها ولسوال شاروالی شاروال ښاروالی پوهنتون پوهنتونها پوهنتون‌ها پوهنځی"
        " پوهنحی پوهاند پوهنوال پوهنمل پوهیالی راپور راپورها تشناب موتر موترها موتروان قوماندان"
        " قوماندانی سارنوال سارنوالی څارنوال څارنوالی جرگه ولسی مشرانو ستره داکتر داکتران"
        " واکسین شفاخانه چهارراهی ولایتی امنیه پولیس"),
    (1, "مکتب مکاتب صنف صنوف معارف والی ولایت ولایات محصل محصلان محصلین شاگرد شاگردان"
        " قریه قریه‌جات کمیشنر افغانی"),
)
# Afghan provinces, cities and districts: Iranian news names them too, so they only add to other
# evidence (at most `_PLACE_CAP` points together).
AFGHAN_PLACES = _folded(
    "کابل هرات بلخ قندهار کندهار ننگرهار مزار بدخشان غزنی هلمند کندز کنر لغمان پکتیا خوست پروان"
    " بامیان لوگر فاریاب جوزجان تخار بغلان سمنگان بادغیس نیمروز فراه غور دایکندی ارزگان زابل پکتیکا"
    " کاپیسا پنجشیر وردک سرپل اندخوی جلال‌آباد شبرغان میمنه فیض‌آباد کامه"
)
_PLACE_CAP = 2
# What only Iranian Persian writes: its administration, schooling, police, money and months (2), and
# words Iran uses far more than Afghanistan does, which Afghan writers use too (half a point).
IRANIAN_WORDS = _weights(
    (2, "استان استان‌ها استانداری استاندار شهرداری دانش‌آموز دانش‌آموزان دانشجو دانشجویان پرورش"
        " پلیس خودرو خودروها تومان ریال فروردین اردیبهشت خرداد مرداد شهریور آبان بهمن اسفند"
        " ایرنا ایسنا ایلنا تسنیم انتظامی دانشکده"),
    (0.5, "تهران ایران دانشگاه مدرسه مدارس بیمارستان دکتر مجلس سپاه فرمانده آذر کلاس کلاس‌های"),
)
AFGHAN_MONTHS = _folded("حمل ثور جوزا سرطان اسد سنبله میزان عقرب قوس جدی دلو حوت")
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_MONTHS = "|".join(sorted(AFGHAN_MONTHS))
# An Afghan month in a date: a day before it or a four-digit year after it.
_AFGHAN_DATE = re.compile(
    rf"(?<![{_DIGITS}])[{_DIGITS}]{{1,2}}\s*(?:{_MONTHS})(?![\w\u200c])"
    rf"|(?<![\w\u200c])(?:{_MONTHS})(?:\s+ماه)?\s+[{_DIGITS}]{{4}}(?![{_DIGITS}])"
)
_WORD = re.compile(r"[\w\u200c]+")
_DATE_POINTS = 3
_WORDS_PER_POINT = 400
# Afghan phrasing: "به اساس" (Iran: بر اساس), and ه‌گان / ه‌گی where Iran drops the he (رانندگان).
_AFGHAN_SPELLING = re.compile(r"(?<![\w\u200c])به\s+اساس(?![\w\u200c])|[\w]ه\u200cگ(?:ان|ی)(?![\w\u200c])")
_GUARDIANSHIP = re.compile(r"ولایت\s+فقیه")


@dataclass
class DariEvidence:
    """Points for Afghan and for Iranian Persian, with the words that gave them."""

    afghan: float = 0
    iranian: float = 0
    afghan_words: list[str] = field(default_factory=list)
    iranian_words: list[str] = field(default_factory=list)
    places: int = 0
    dates: int = 0
    strong: int = 0  # words Iran never writes so, and Afghan spellings
    words: int = 0  # all the words looked at

    def add(self, text: str) -> None:
        """Count the evidence of one stretch of Persian text."""
        folded = fold(text)
        words = _WORD.findall(folded)
        self.words += len(words)
        for word in filter(AFGHAN_WORDS.__contains__, words):
            self.afghan += AFGHAN_WORDS[word]
            self.strong += AFGHAN_WORDS[word] >= 2
            self.afghan_words.append(word)
        for word in filter(IRANIAN_WORDS.__contains__, words):
            self.iranian += IRANIAN_WORDS[word]
            self.iranian_words.append(word)
        for word in filter(AFGHAN_PLACES.__contains__, words):
            if self.places < _PLACE_CAP:
                self.places += 1
                self.afghan += 1
            self.afghan_words.append(word)
        if "ولایت" in words:
            # ولایت فقیه is Iranian, not an Afghan province.
            for _m in _GUARDIANSHIP.finditer(folded):
                self.afghan -= AFGHAN_WORDS["ولایت"]
                self.iranian += 2
                self.iranian_words.append("ولایت فقیه")
        if not AFGHAN_MONTHS.isdisjoint(words):
            for m in _AFGHAN_DATE.finditer(folded):
                self.afghan += _DATE_POINTS
                self.dates += 1
                self.afghan_words.append(m.group())
        for m in _AFGHAN_SPELLING.finditer(folded):
            self.afghan += 2
            self.strong += 1
            self.afghan_words.append(m.group())

    def is_dari(self) -> bool:
        """A date in Afghan months (Iran dates by its own); or Afghan evidence of three points or more
        (one more for every `_WORDS_PER_POINT` words: a long classical text has مکتب, ولایت and بلخ in
        their old senses), more than twice the Iranian, with a word Iran never writes so or four
        different Afghan words (مکتب, شاگرد and ولایت alone may be an Iranian sermon)."""
        needed = max(3, self.words / _WORDS_PER_POINT)
        varied = self.strong > 0 or len(set(self.afghan_words)) >= 4
        return self.dates > 0 or (varied and self.afghan >= needed and self.afghan > 2 * self.iranian)

    def describe(self) -> dict[str, list[str]]:
        return {"afghan": sorted(set(self.afghan_words)), "iranian": sorted(set(self.iranian_words))}


def evidence(texts: Iterable[str]) -> DariEvidence:
    """The Dari evidence of a document's Persian texts taken together."""
    found = DariEvidence()
    for text in texts:
        found.add(text)
    return found


def combined(parts: Iterable[DariEvidence]) -> DariEvidence:
    """The evidence of several texts, each found once (`evidence([text])`, which a caller may keep)."""
    found = DariEvidence()
    for part in parts:
        found.afghan += part.afghan
        found.iranian += part.iranian
        found.dates += part.dates
        found.strong += part.strong
        found.words += part.words
        found.afghan_words += part.afghan_words
        found.iranian_words += part.iranian_words
        if part.places:
            # Places count `_PLACE_CAP` points for the whole document, not per text.
            taken = min(part.places, max(0, _PLACE_CAP - found.places))
            found.afghan += taken - part.places
            found.places += taken
    return found


def has_afghan_date(text: str) -> bool:
    """An Afghan month name in a date (a day before it or a year after it)."""
    folded = fold(text)
    return not AFGHAN_MONTHS.isdisjoint(_WORD.findall(folded)) and _AFGHAN_DATE.search(folded) is not None


__all__ = ["AFGHAN_MONTHS", "AFGHAN_PLACES", "AFGHAN_WORDS", "IRANIAN_WORDS", "DariEvidence", "combined", "evidence",
           "fold", "has_afghan_date"]
