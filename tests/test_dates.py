"""Dates in every calendar and digit set our sources use, converted to Gregorian ISO 8601."""

from __future__ import annotations

import datetime

import jdatetime
import pytest
from hijridate import Gregorian
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.dates import _ANY_DIGIT, find_dates, fold, parse_date, to_iso
from archive.normalize import fold_digits


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025-05-02", "2025-05-02"),
        ("2025/5/2", "2025-05-02"),
        ("12.01.2025", "2025-01-12"),  # day first
        ("12/01/2025", "2025-01-12"),
        ("12/31/2025", "2025-12-31"),  # day first impossible: month first
        ("January 11, 2025", "2025-01-11"),
        ("Jan. 11, 2025", "2025-01-11"),
        ("11 January 2025", "2025-01-11"),
        ("11th of January, 2025", "2025-01-11"),
        ("Sunday, 12 January 2025", "2025-01-12"),
        ("November 2022", "2022-11"),
        ("(November 2022)", "2022-11"),
        ("December, 2024", "2024-12"),
        ("2024", "2024"),
        ("2025-05-02T10:00:00Z", "2025-05-02"),
    ],
)
def test_gregorian_forms(text: str, iso: str) -> None:
    value = parse_date(text)
    assert value is not None and value.iso == iso and value.calendar == "gregorian"


@pytest.mark.parametrize(
    ("text", "iso", "calendar"),
    [
        ("۲۳ حمل ۱۴۰۳", "2024-04-11", "solar-hijri"),  # Afghan month name, Persian digits
        ("۲۳ فروردین ۱۴۰۳ هـ.ش", "2024-04-11", "solar-hijri"),  # Iranian month name, era marker
        ("23 وری 1403", "2024-04-11", "solar-hijri"),  # Pashto month name, Latin digits
        ("۵ دلو ۱۴۰۲", "2024-01-25", "solar-hijri"),
        ("۱ جدی ۱۴۰۳ ش", "2024-12-21", "solar-hijri"),
        ("۱۴۰۳/۰۱/۲۳", "2024-04-11", "solar-hijri"),
        ("حمل ۱۴۰۳", "2024-04", "solar-hijri"),  # the Gregorian month holding most of its days
        ("۱۴۰۳ هجری شمسی", "2024", "solar-hijri"),
        ("١٥ رمضان ١٤٤٥ هـ", "2024-03-25", "lunar-hijri"),  # Arabic-Indic digits
        ("15 ربیع‌الاول 1446", "2024-09-18", "lunar-hijri"),  # Persian spelling, ZWNJ
        ("١٢ جمادى الآخرة ١٤٤٥", "2023-12-25", "lunar-hijri"),
        ("١٥/٩/١٤٤٥هـ", "2024-03-25", "lunar-hijri"),
        ("1445 AH", "2024", "lunar-hijri"),
        ("٢٠ يناير ٢٠٢٤م", "2024-01-20", "gregorian"),  # Arabic Gregorian month name
    ],
)
def test_hijri_and_arabic_script_forms(text: str, iso: str, calendar: str) -> None:
    value = parse_date(text)
    assert value is not None
    assert (value.iso, value.calendar) == (iso, calendar)


def test_original_is_the_exact_source_text_including_tatweel() -> None:
    value = parse_date("١٥ رمضان ١٤٤٥ هـ")
    assert value is not None and value.original == "١٥ رمضان ١٤٤٥ هـ"


def test_find_dates_gives_offsets_into_the_original_text() -> None:
    text = "Vanessa Sevidova, January 11, 2025"
    [(value, start, end)] = find_dates(text)
    assert text[start:end] == "January 11, 2025" == value.original
    persian = "منتشر شده در ۲۳ حمل ۱۴۰۳ در کابل"
    [(value, start, end)] = find_dates(persian)
    assert persian[start:end] == "۲۳ حمل ۱۴۰۳" and value.iso == "2024-04-11"


def test_month_and_day_without_year_is_not_given_an_invented_year() -> None:
    assert find_dates("a report dated February 6, which") == []
    assert parse_date("Jan. 11") is None
    [(value, _s, _e)] = find_dates("On January 5 the talks", year=2025)
    assert value.iso == "2025-01-05"


def test_bare_years_only_when_asked() -> None:
    assert find_dates("In 2024 alone, 685 personnel") == []
    assert [v.iso for v, _s, _e in find_dates("Alarabiya, (2024).", bare_years=True)] == ["2024"]
    # A Hijri-range year in a Persian reference list is a Solar Hijri year.
    [(value, _s, _e)] = find_dates("رحیمی (۱۴۰۲). امنیت", bare_years=True, lang="fa")
    assert (value.iso, value.calendar) == ("2023", "solar-hijri")


def test_ordinary_words_and_numbers_are_not_dates() -> None:
    assert find_dates("we may 2020 units") == []  # lower-case "may" is a verb
    assert find_dates("3(02), 152–157 and 1.73m people, version 1.2.2025.3") == []
    assert find_dates("میزان ۱۰۰۰ دلار") == []  # "میزان" (amount) with a number out of range
    assert parse_date("Tuesday report 2025") is None


def test_impossible_dates_are_rejected() -> None:
    assert parse_date("31/02/2025") is None
    assert parse_date("۳۰ اسفند ۱۴۰۲") is None  # 1402 is not a Solar Hijri leap year
    assert parse_date("۳۰ اسفند ۱۴۰۳") is not None  # 1403 is


def test_sentence_mentioning_a_date_is_not_a_date() -> None:
    assert parse_date("The report was presented on 12.01.2025 to the council") is None


def test_fold_maps_back_to_original_offsets() -> None:
    folded, index = fold("١٥ رمضانُ")
    assert folded == "15 رمضان"
    assert len(index) == len(folded) and index[-1] == 7


def test_to_iso_precision_follows_the_source() -> None:
    assert to_iso("gregorian", 2025) == "2025"
    assert to_iso("gregorian", 2025, 1) == "2025-01"
    assert to_iso("solar-hijri", 1403, 1, 1) == "2024-03-20"
    assert to_iso("gregorian", 2025, 13) is None


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_AFGHAN_MONTHS = ["حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت"]
_LUNAR_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الثاني", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                 "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2070, 12, 31)))
def test_written_forms_round_trip_to_the_same_day(day: datetime.date) -> None:
    iso = day.isoformat()
    english = day.strftime("%B ") + f"{day.day}, {day.year}"
    assert parse_date(english) is not None and parse_date(english).iso == iso  # type: ignore[union-attr]
    numeric = f"{day.day:02d}.{day.month:02d}.{day.year}"
    assert parse_date(numeric).iso == iso  # type: ignore[union-attr]

    solar = jdatetime.date.fromgregorian(date=day)
    afghan = f"{solar.day} {_AFGHAN_MONTHS[solar.month - 1]} {solar.year}".translate(_PERSIAN_DIGITS)
    value = parse_date(afghan)
    assert value is not None and (value.iso, value.calendar) == (iso, "solar-hijri")


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2070, 12, 31)))
def test_lunar_dates_round_trip(day: datetime.date) -> None:
    lunar = Gregorian(day.year, day.month, day.day).to_hijri()
    text = f"{lunar.day} {_LUNAR_MONTHS[lunar.month - 1]} {lunar.year} هـ".translate(_ARABIC_DIGITS)
    value = parse_date(text)
    assert value is not None and (value.iso, value.calendar) == (day.isoformat(), "lunar-hijri")


def test_pashto_year_first_and_double_dates() -> None:
    value = parse_date("د ۱۴۰۳ کال د وري ۲۳مه")
    assert value is not None and (value.iso, value.calendar) == ("2024-04-11", "solar-hijri")
    # The same day in two calendars is one date; two different days are not "a date".
    value = parse_date("١٥ رمضان ١٤٤٥ هـ الموافق ٢٥ مارس ٢٠٢٤ م")
    assert value is not None and value.original == "١٥ رمضان ١٤٤٥ هـ"
    assert parse_date("۲۳ حمل ۱۴۰۳ برابر با ۱۲ اپریل ۲۰۲۴") is None
    value = parse_date("پنجشنبه ۲۳ حمل ۱۴۰۳ - ۱۴:۳۰")
    assert value is not None and value.iso == "2024-04-11"


_FOLD_ALPHABET = list("ab 1-۱۴٠٣يكىأإآٱةۀہېۍګ،٫ـًٰ") + ["\u064b", "\u065f", "\u200c", "\u200d", "\u200e", "\u00a0"]


@given(st.text(alphabet=st.sampled_from(_FOLD_ALPHABET), max_size=16))
def test_fold_maps_back_to_every_kept_character(text: str) -> None:
    # Whatever path `fold` takes, it must equal the character-by-character definition.
    from archive.dates import _DROP, _FOLD

    kept = [(i, ch) for i, ch in enumerate(text) if ch not in _DROP]
    folded, index = fold(text)
    assert folded == "".join(_FOLD.get(ch, ch) for _, ch in kept)
    assert list(index) == [i for i, _ in kept]
    assert fold_digits(text) == "".join(_FOLD[c] if c in _FOLD and _FOLD[c].isdigit() else c for c in text)


def test_an_impossible_day_gives_way_to_the_month_it_names() -> None:
    # The longest match ("31 February 2025") is no date, so the shorter one inside it stands.
    found = find_dates("Issued 31 February 2025, revised 2 March 2025.")
    assert [(v.iso, v.original) for v, _s, _e in found] == [
        ("2025-02", "February 2025"),
        ("2025-03-02", "2 March 2025"),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
       | st.text(alphabet="۱۴۰۳١٤٤٥2025 \u064b\u0640\u200c\u066b/.-حمل رمضان January", max_size=40))
def test_text_without_a_digit_folds_to_text_without_one(text: str) -> None:
    """find_dates answers [] for text with no digit before folding it: folding must make no digit."""
    if _ANY_DIGIT.search(text) is None:
        assert _ANY_DIGIT.search(fold(text)[0]) is None
        assert find_dates(text, year=2024, bare_years=True) == []


_ERA_TEXT = st.lists(st.sampled_from(["1403", "۱۴۰۳", "1445", "2024", " ", "،", ".", "ه", "هـ", "ش", "ق", "ه.ش", "هجری",
                                      "قمری", "شمسی", "خورشیدی", "هجریه", "S.H.", "A.H.", "AH", "s.h.", "a.p.", "A.D.",
                                      "م", "میلادی", "CE", "کال", "سال", "د ", "حمل", "۲۳", "مه", "x"]),
                     max_size=10).map("".join)


@settings(max_examples=400, deadline=None)
@given(_ERA_TEXT)
def test_patterns_left_out_could_have_found_no_date(text: str) -> None:
    # find_dates skips a pattern on a cheap test of the text; the pattern must then find nothing it
    # could turn into a date.
    from archive.dates import _PATTERNS, _may_name_hijri_era

    folded = fold(text)[0]
    patterns = {kind: pattern for kind, _needs, pattern in _PATTERNS}
    if "کال" not in folded and "سال" not in folded:
        assert patterns["named_ymd"].search(folded) is None
    if not _may_name_hijri_era(folded):
        for m in patterns["year_era"].finditer(folded):
            assert not (m.group("solar") or m.group("lunar") or m.group("hijri"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\t", ",", "on", "At", "Monday", "Mon", "10:30", "pm", "T10:30Z",
                                 "جمعه", "الموافق", "Published", "x", "1", "ـ"]), max_size=6).map("".join))
def test_noise_shortcuts_agree_with_removing_the_noise(rest: str) -> None:
    from archive.dates import _NOISE, _only_noise

    assert _only_noise(rest) == (not _NOISE.sub("", rest))
