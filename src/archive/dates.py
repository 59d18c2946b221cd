"""Dates as sources write them, in the Gregorian, Solar Hijri and lunar Hijri calendars.

Sources in our languages mix three calendars and four digit sets: an Afghan article dates itself
"۲۳ حمل ۱۴۰۳", an Iranian one "۲۳ فروردین ۱۴۰۳", an Arabic one "١٥ رمضان ١٤٤٥ هـ", an English one
"January 11, 2025" or "12.01.2025". Every date is stored as Gregorian ISO 8601, only as precise as the
source (a month without a day stays "YYYY-MM"), beside the exact text it came from and its calendar, so
nothing is lost and every record can still be sorted on one time line.

Matching works on a folded copy of the text (digits to ASCII, Arabic/Persian letter variants merged,
harakat and tatweel dropped) with a map back to the original offsets, so one pattern serves every
spelling. Calendar conversion is left to maintained libraries (jdatetime, hijridate).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from .provenance import used
from .record import DateValue

GREGORIAN = "gregorian"
SOLAR_HIJRI = "solar-hijri"
LUNAR_HIJRI = "lunar-hijri"

# --- folding ---------------------------------------------------------------------------------------

_FOLD = {
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended Arabic-Indic (Persian, Urdu) digits
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    "\u064a": "\u06cc",  # Arabic yeh
    "\u0649": "\u06cc",  # alef maksura
    "\u06d0": "\u06cc",  # Pashto yeh (ې)
    "\u06cd": "\u06cc",  # Pashto yeh with tail (ۍ)
    "\u0643": "\u06a9",  # Arabic kaf
    "\u06ab": "\u06af",  # Pashto gaf with ring (ګ)
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0622": "\u0627",
    "\u0671": "\u0627",
    "\u0629": "\u0647",  # teh marbuta
    "\u06c0": "\u0647",
    "\u06c1": "\u0647",  # Urdu heh goal
    "\u200c": " ",  # ZWNJ separates compound month names as a space would
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u066b": ".",  # Arabic decimal separator
    "\u060c": ",",  # Arabic comma
}
_TRAILING_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640", "\u200d", "\u200e", "\u200f"}


_FOLD_TABLE = str.maketrans({**_FOLD, **{ch: None for ch in _DROP}})
_FOLD_HINT = re.compile("[" + "".join(sorted(set(_FOLD) | _DROP)) + "]")


def fold(text: str) -> tuple[str, Sequence[int]]:
    """The matching form of `text` and, for each of its characters, the offset it came from."""
    # Most text has nothing to fold, or nothing to drop: then the offsets are the identity, and one C-level
    # pass does the work; the per-character walk is kept for text that loses characters.
    if text.isascii() or not _FOLD_HINT.search(text):
        return text, range(len(text))
    folded = text.translate(_FOLD_TABLE)
    if len(folded) == len(text):
        return folded, range(len(text))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        out.append(_FOLD.get(ch, ch))
        index.append(i)
    return "".join(out), index


def _key(word: str) -> str:
    return " ".join(fold(word)[0].split())


# --- month names (written naturally; folded when the tables are built) -----------------------------

_ENGLISH_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

# Gregorian months as Persian, Dari, Urdu and Arabic (Egyptian and Levantine) write them.
_ARABIC_SCRIPT_GREGORIAN = {
    1: ["ژانویه", "جنوری", "يناير", "كانون الثاني"],
    2: ["فوریه", "فبروری", "فروری", "فبراير", "شباط"],
    3: ["مارس", "مارچ", "آذار"],
    4: ["آوریل", "اپریل", "أبريل", "إبريل", "نيسان"],
    5: ["مه", "می", "مئی", "مايو", "أيار"],
    6: ["ژوئن", "جون", "يونيو", "يونيه", "حزيران"],
    7: ["ژوئیه", "جولای", "جولائی", "يوليو", "يوليه", "تموز"],
    8: ["اوت", "اگوست", "اگست", "أغسطس", "آب"],
    9: ["سپتامبر", "سپتمبر", "ستمبر", "سبتمبر", "أيلول"],
    10: ["اکتبر", "اکتوبر", "أكتوبر", "تشرين الأول"],
    11: ["نوامبر", "نومبر", "نوفمبر", "تشرين الثاني"],
    12: ["دسامبر", "دسمبر", "ديسمبر", "كانون الأول"],
}

# Solar Hijri: Iranian names, Afghan (Dari) zodiac names, Pashto names.
_SOLAR_MONTHS = {
    1: ["فروردین", "حمل", "وری"],
    2: ["اردیبهشت", "اردی بهشت", "ثور", "غویی", "غوایی"],
    3: ["خرداد", "جوزا", "جوزاء", "غبرگولی"],
    4: ["تیر", "سرطان", "چنگاښ"],
    5: ["مرداد", "امرداد", "اسد", "زمری"],
    6: ["شهریور", "سنبله", "وږی"],
    7: ["مهر", "میزان", "تله"],
    8: ["آبان", "عقرب", "لړم"],
    9: ["آذر", "قوس", "لیندۍ", "لیندی"],
    10: ["دی", "جدی", "مرغومی", "مرغومې"],
    11: ["بهمن", "دلو", "سلواغه"],
    12: ["اسفند", "حوت", "کب"],
}

_LUNAR_MONTHS = {
    1: ["محرم", "محرم الحرام"],
    2: ["صفر", "صفر المظفر"],
    3: ["ربيع الأول", "ربيع الاول", "ربيع الأولى", "ربيع أول"],
    4: ["ربيع الثاني", "ربيع الآخر", "ربيع الثانی", "ربيع ثاني"],
    5: ["جمادى الأولى", "جمادى الأول", "جمادى الاولى", "جمادى أولى"],
    6: ["جمادى الآخرة", "جمادى الثانية", "جمادى الثاني", "جمادى الآخر", "جمادى ثاني"],
    7: ["رجب", "رجب المرجب"],
    8: ["شعبان", "شعبان المعظم"],
    9: ["رمضان", "رمضان المبارك"],
    10: ["شوال", "شوال المكرم"],
    11: ["ذو القعدة", "ذي القعدة", "ذوالقعدة", "ذيقعده", "ذی قعده"],
    12: ["ذو الحجة", "ذي الحجة", "ذوالحجة", "ذيحجه", "ذی حجه"],
}

_NAMED: dict[str, tuple[str, int]] = {}
for _cal, _table in ((GREGORIAN, _ARABIC_SCRIPT_GREGORIAN), (SOLAR_HIJRI, _SOLAR_MONTHS),
                     (LUNAR_HIJRI, _LUNAR_MONTHS)):  # fmt: skip
    for _num, _names in _table.items():
        for _name in _names:
            _NAMED[_key(_name)] = (_cal, _num)


def _alternation(keys: list[str]) -> str:
    # Longest first so "ربیع الاول" wins over a shorter prefix; a space may be absent or doubled.
    return "|".join(re.escape(k).replace(r"\ ", r"\s*") for k in sorted(keys, key=len, reverse=True))


_NAMED_COMPACT = {k.replace(" ", ""): v for k, v in _NAMED.items()}
_AR_MONTH = _alternation(list(_NAMED))
_EN_MONTH = _alternation(list(_ENGLISH_MONTHS))

_SOLAR_ERA = r"ه\s*\.?\s*ش\.?|هجری\s+(?:شمسی|خورشیدی)|خورشیدی|شمسی|ش\.?|S\.?H\.?|A\.?P\.?"
_LUNAR_ERA = r"ه\s*\.?\s*ق\.?|هجری\s+قمری|قمری|ق\.?|هجریه|A\.?H\.?"
_AMBIGUOUS_HIJRI_ERA = r"هجری|ه\.?"
_GREGORIAN_ERA = r"میلادی|م\.?|A\.?D\.?|C\.?E\.?"
_ERA = (
    rf"(?:\s*(?:(?P<solar>{_SOLAR_ERA})|(?P<lunar>{_LUNAR_ERA})|(?P<hijri>{_AMBIGUOUS_HIJRI_ERA})"
    rf"|(?P<ce>{_GREGORIAN_ERA}))(?!\w))?"
)

# A month name's first letter, looked ahead for before the month alternation is tried: the engine then
# rejects most positions with one character test instead of trying every name (case-insensitive names
# get no quick first-letter rejection of their own). The same flags apply, so nothing else changes.
_EN_START = "(?=[" + "".join(sorted({k[0] for k in _ENGLISH_MONTHS})) + "])"
_ANY_START = "(?=[" + "".join(sorted({k[0] for k in _ENGLISH_MONTHS} | {k[0] for k in _NAMED})) + "])"
_DAY = r"(?P<d>[0-3]?\d)"
_YEAR = r"(?P<y>\d{4})(?!\d)"
_B = r"(?<![\w])"  # no letter or digit right before
_E = r"(?![\w])"

# (kind, what the folded text must hold for the pattern to be worth running, pattern); see find_dates.
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    # 11 January 2025 / 11th of January, 2025 / 23 حمل ۱۴۰۳ / ١٥ رمضان ١٤٤٥ هـ
    ("named_dmy", "letters", re.compile(
        rf"{_B}{_DAY}(?:st|nd|rd|th|ام)?\s*(?:of\s+)?(?P<m>{_EN_MONTH}|{_AR_MONTH})\.?(?:\s+ماه)?"
        rf"\s*,?\s*(?:سال\s+)?{_YEAR}{_ERA}", re.IGNORECASE)),
    # Pashto and Persian year first: "د ۱۴۰۳ کال د وري ۲۳مه", "سال ۱۴۰۳، ۲۳ حمل" is rare; this is the
    # common Pashto order.
    ("named_ymd", "year word", re.compile(
        rf"{_B}(?:د\s+)?{_YEAR}\s*(?:کال|سال)\s*[,،]?\s*(?:د\s+)?(?P<m>{_AR_MONTH})\s*(?:د\s+)?"
        rf"{_DAY}(?:مه|ام|م)?(?!\w){_ERA}")),
    # January 11, 2025 / Jan. 11 2025
    ("named_mdy", "latin", re.compile(
        rf"{_B}{_EN_START}(?P<m>{_EN_MONTH})\.?\s+{_DAY}(?:st|nd|rd|th)?{_E},?\s+{_YEAR}{_ERA}", re.IGNORECASE)),
    # November 2022 / December, 2024 / حمل ۱۴۰۳
    ("named_my", "letters", re.compile(
        rf"{_B}{_ANY_START}(?P<m>{_EN_MONTH}|{_AR_MONTH})\.?(?:\s+ماه)?\s*,?\s*(?:سال\s+)?{_YEAR}{_ERA}",
        re.IGNORECASE)),
    # January 5 (no year: only used when the caller knows the year)
    ("named_md", "known year", re.compile(
        rf"{_B}{_EN_START}(?P<m>{_EN_MONTH})\.?\s+{_DAY}(?:st|nd|rd|th)?{_E}", re.IGNORECASE)),
    ("named_dm", "known year", re.compile(
        rf"{_B}{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_EN_MONTH}){_E}", re.IGNORECASE)),
    # 2025-05-02 / 1403/01/23
    ("ymd", "separator", re.compile(
        rf"(?<![\w./-]){_YEAR}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep){_DAY}(?![./-]?\d){_ERA}")),
    # 12.01.2025 / 12/01/2025 / ١٥/٩/١٤٤٥هـ
    ("dmy", "separator", re.compile(
        rf"(?<![\w./-]){_DAY}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep){_YEAR}(?![./-]?\d){_ERA}")),
    # ۱۴۰۳ هـ.ش / 1445 AH: a year alone is a date only when an era says so
    ("year_era", "hijri era", re.compile(rf"{_B}{_YEAR}{_ERA}")),
    ("year", "bare years", re.compile(r"(?<![\w.,/-])(?P<y>1[3-9]\d\d|20\d\d|21\d\d)(?![\w]|[.,/-]\d)")),
]

_LETTER = re.compile(r"[^\W\d_]")
# Every English month name holds a letter other than i, k and s, the only ASCII letters that
# case-insensitive matching lets non-ASCII characters stand for ("ı", "K", "ſ").
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_FOUR_DIGITS = re.compile(r"\d{4}")
_ANY_DIGIT = re.compile(r"\d")

_HIJRI_YEARS = range(1200, 1500)
# A Solar Hijri year above this is still in the future for decades, so a bare Hijri year above it is lunar.
_LAST_PLAUSIBLE_SOLAR_YEAR = 1420


def _may_name_hijri_era(folded: str) -> bool:
    """Whether `folded` holds a letter a Solar, lunar or unmarked Hijri era opens with (`_SOLAR_ERA`,
    `_LUNAR_ERA`, `_AMBIGUOUS_HIJRI_ERA`). A year-and-era match is a date only with one of those eras,
    so in text without these letters the pattern is not run."""
    return "ه" in folded or "ش" in folded or "ق" in folded or "خ" in folded or "S" in folded or "A" in folded


def find_dates(
    text: str,
    *,
    role: str = "published",
    bare_years: bool = False,
    year: int | None = None,
    lang: str | None = None,
) -> list[tuple[DateValue, int, int]]:
    """Every date written in `text`, in order, with its [start, end) offsets into `text`.

    `bare_years` accepts a year standing alone ("(2024)"), which is only a date in contexts such as a
    reference entry. `year` completes a month and day written without one ("January 5"); without it
    such dates are skipped rather than given an invented year. `lang` breaks the tie for numeric Hijri
    dates without an era marker (Arabic sources count in lunar years, Persian ones in solar years).
    """
    # Folding turns digits of every set into ASCII ones and makes no digit of anything else: text
    # without a digit (most blocks asked) has no date, and need not be folded to show it.
    if _ANY_DIGIT.search(text) is None:
        return []
    folded, index = fold(text)
    # Every pattern holds a four-digit year, except month-and-day ones (tried only with a known year).
    if not (_FOUR_DIGITS if year is None else _ANY_DIGIT).search(folded):
        return []
    # Patterns that cannot match (or can find no date) are not run: a month name needs letters (an
    # English one, ASCII letters), a year-first one the word for year, a numeric date a separator, a
    # year alone a Hijri era unless bare years are asked for. Each run costs thousands of instructions.
    letters = _LETTER.search(folded) is not None
    latin = letters and _ASCII_LETTER.search(folded) is not None
    holds = {
        "letters": letters,
        "latin": latin,
        "year word": "کال" in folded or "سال" in folded,
        "known year": latin and year is not None,
        "separator": "-" in folded or "/" in folded or "." in folded,
        "hijri era": _may_name_hijri_era(folded),
        "bare years": bare_years,
    }
    matches: list[tuple[str, re.Match[str], int, int]] = []
    for kind, needs, pattern in _PATTERNS:
        if not holds[needs]:
            continue
        for m in pattern.finditer(folded):
            start, end = index[m.start()], index[m.end() - 1] + 1
            while end < len(text) and text[end] in _TRAILING_MARKS:
                end += 1  # keep the tatweel of "هـ" and any harakat in the original
            matches.append((kind, m, start, end))
    # Longest match wins where patterns overlap ("11 January 2025" over "January 2025"); a match that is no
    # real date steps aside for the next longest. A match is converted (calendar arithmetic, the costly
    # part) only once nothing longer has taken its place.
    if len(matches) > 1:
        matches.sort(key=_longest_first)
    taken: list[tuple[DateValue, int, int]] = []
    for kind, m, start, end in matches:
        if any(start < t_end and t_start < end for _, t_start, t_end in taken):
            continue
        value = _value(kind, m, year, lang)
        if value is not None:
            taken.append((DateValue(value[0], text[start:end], value[1], role), start, end))
    if len(taken) > 1:
        taken.sort(key=_start)
    return taken


def _longest_first(match: tuple[str, re.Match[str], int, int]) -> tuple[int, int]:
    return -(match[3] - match[2]), match[2]


def _start(found: tuple[DateValue, int, int]) -> int:
    return found[1]


def _value(kind: str, m: re.Match[str], known_year: int | None, lang: str | None) -> tuple[str, str] | None:
    """(iso, calendar) for one match, or None where the match is not a real date."""
    groups = m.groupdict()
    if kind == "year_era" and not (groups.get("solar") or groups.get("lunar") or groups.get("hijri")):
        return None
    y = int(groups["y"]) if groups.get("y") else known_year
    if y is None:
        return None
    day = int(groups["d"]) if groups.get("d") else None
    calendar: str | None
    if kind in ("ymd", "dmy"):
        month: int | None = int(groups["m"])
        if kind == "dmy" and day is not None and month is not None:
            day, month = _day_first(day, month)
        calendar = _numeric_calendar(y, groups, lang)
    elif kind in ("year", "year_era"):
        month = None
        calendar = _numeric_calendar(y, groups, lang) if kind == "year_era" else _bare_year_calendar(y, lang)
        if calendar is None or calendar == GREGORIAN and kind == "year_era":
            return None
    else:
        name = m.group("m")
        english = _ENGLISH_MONTHS.get(name.lower().rstrip("."))
        if english is not None:
            if not name[0].isupper():  # "may", "march" as ordinary words
                return None
            calendar, month = GREGORIAN, english
        else:
            calendar, month = _NAMED_COMPACT["".join(name.split())]
        if groups.get("solar") and calendar == LUNAR_HIJRI or groups.get("lunar") and calendar == SOLAR_HIJRI:
            return None  # a month name and an era that contradict each other: not a date we trust
    if calendar != GREGORIAN and y not in _HIJRI_YEARS:
        return None
    if calendar == GREGORIAN and not 1000 <= y <= 2199:
        return None
    iso = to_iso(calendar, y, month, day)
    return (iso, calendar) if iso else None


def _day_first(a: int, b: int) -> tuple[int, int]:
    """Day first, as most of the world writes it, unless only month first is possible (12/31/2024)."""
    if a <= 12 < b:
        return b, a
    return a, b


def _bare_year_calendar(y: int, lang: str | None) -> str | None:
    """A year alone is Gregorian, unless it is in the Hijri range and the text is in a language that
    counts years that way ("(۱۴۰۲)" in a Persian reference list)."""
    if y not in _HIJRI_YEARS:
        return GREGORIAN if y >= 1500 else None
    base = (lang or "").split("-")[0]
    if base in ("fa", "prs", "ps", "ur"):
        return _numeric_calendar(y, {}, lang)
    if base == "ar":
        return LUNAR_HIJRI
    return None


def _numeric_calendar(y: int, groups: dict[str, str | None], lang: str | None) -> str:
    if groups.get("ce"):
        return GREGORIAN
    if groups.get("solar"):
        return SOLAR_HIJRI
    if groups.get("lunar"):
        return LUNAR_HIJRI
    if y not in _HIJRI_YEARS:
        return GREGORIAN
    if (lang or "").split("-")[0] == "ar" or y > _LAST_PLAUSIBLE_SOLAR_YEAR:
        return LUNAR_HIJRI
    return SOLAR_HIJRI


def to_iso(calendar: str, year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Gregorian ISO 8601 for a date in `calendar`, as precise as what is known; None if impossible.

    A Hijri month or year without a day straddles two Gregorian months or years; the one holding its
    middle day stands for it, since that is where most of its days fall.
    """
    try:
        if day is not None and month is not None:
            return _gregorian(calendar, year, month, day).isoformat()
        if month is not None:
            if not 1 <= month <= 12:
                return None
            if calendar == GREGORIAN:
                return f"{year:04d}-{month:02d}"
            return _gregorian(calendar, year, month, 15).isoformat()[:7]
        if calendar == GREGORIAN:
            return f"{year:04d}"
        return _gregorian(calendar, year, 7, 1).isoformat()[:4]
    except (ValueError, OverflowError):
        return None


def _gregorian(calendar: str, year: int, month: int, day: int) -> _dt.date:
    # The converters are imported where they run, so that a record names them only when they did.
    if calendar == SOLAR_HIJRI:
        import jdatetime

        used("jdatetime")
        converted = jdatetime.date(year, month, day).togregorian()
        return _dt.date(converted.year, converted.month, converted.day)
    if calendar == LUNAR_HIJRI:
        from hijridate import Hijri

        used("hijridate")
        g = Hijri(year, month, day).to_gregorian()
        return _dt.date(g.year, g.month, g.day)
    return _dt.date(year, month, day)


_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    "|شنبه|یکشنبه|یک شنبه|دوشنبه|سه شنبه|چهارشنبه|پنجشنبه|پنج شنبه|جمعه|اتوار|پیر|منگل|بدھ|جمعرات"
    "|السبت|الاحد|الاثنین|الثلاثا|الثلاثاء|الاربعا|الاربعاء|الخمیس|الجمعه|یوم"
    "|الموافق|موافق|برابر با|برابر|مطابق|مطابق با|corresponding to"
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
_ISO_TIME = r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_NOISE = re.compile(
    rf"(?<!\w)(?:{_WEEKDAYS}|on|at|{_TIME})(?!\w)|(?<!\w){_ISO_TIME}(?!\w)|[^\w]", re.IGNORECASE
)


def parse_date(text: str, *, role: str = "published", lang: str | None = None) -> DateValue | None:
    """The date `text` consists of, or None if it is not just a date.

    A weekday, a time of day and punctuation around the date are allowed ("Sunday, 12.01.2025 10:00");
    anything else means the text is a sentence that merely mentions a date.
    """
    stripped = text.strip()
    found = find_dates(stripped, role=role, bare_years=True, lang=lang)
    if not found:
        return None
    # The same day in two calendars ("١٥ رمضان ١٤٤٥ هـ الموافق ٢٥ مارس ٢٠٢٤ م") is still one date; the
    # first as written is kept.
    if len(found) > 1 and len({value.iso for value, _s, _e in found}) > 1:
        return None
    pieces, position = [], 0
    for _value, start, end in found:
        pieces.append(stripped[position:start])
        position = end
    pieces.append(stripped[position:])
    return found[0][0] if _only_noise(fold(" ".join(pieces))[0]) else None


def _only_noise(rest: str) -> bool:
    """Whether `_NOISE` removes all of `rest`, what a text holds besides its date.

    Most texts give one of two answers without the substitution, which tries a long case-insensitive
    alternation at every character: whitespace alone (a text that is just the date) is all noise, and
    where no noise starts at the first character, the substitution keeps that character."""
    if not rest or rest.isspace():
        return True
    if _NOISE.match(rest) is None:
        return False
    return not _NOISE.sub("", rest)


__all__ = [
    "GREGORIAN", "LUNAR_HIJRI", "SOLAR_HIJRI", "find_dates", "fold", "parse_date", "to_iso",
]
