from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.scripts import (
    COMMON,
    _groups_slow,
    alpha_count,
    direction_of_script,
    letter_counts,
    letter_total,
    main_script,
    script_groups,
    script_runs,
    trim,
)


def pieces(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], script) for s, e, script in script_runs(text)]


def test_runs_split_at_script_boundaries_and_cover_the_text() -> None:
    text = "He said سلام دوست and left. Привет!"
    runs = script_runs(text)
    assert [script for *_, script in runs] == ["Latn", "Arab", "Latn", "Cyrl"]
    assert runs[0][0] == 0 and runs[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:], strict=False))


def test_neutrals_between_same_script_join_one_run() -> None:
    text = "يَسِّرْ الْمُنَافِقِينَ * الَّذِينَ، ۱۴۰۳ (قال)"
    assert pieces(text) == [(text, "Arab")]


def test_neutrals_between_scripts_go_with_the_run_before() -> None:
    assert pieces("says: سلام, then") == [("says: ", "Latn"), ("سلام, ", "Arab"), ("then", "Latn")]


def test_leading_neutrals_go_with_the_first_run() -> None:
    assert pieces("  12. کتاب") == [("  12. کتاب", "Arab")]


def test_text_without_letters_is_one_common_run() -> None:
    assert script_runs("12.01.2025 — *") == [(0, 14, COMMON)]
    assert script_runs("") == []


def test_persian_zwnj_and_digits_stay_inside_the_word_run() -> None:
    assert script_groups("کتاب‌های ۱۴۰۳") == [(0, 13, "Arab")]


def test_many_scripts_are_recognised() -> None:
    text = "Ελληνικά עברית हिन्दी 中文 日本語のかな 한국어 ქართული ދިވެހި ܣܘܪܝܝܐ"
    assert [script for *_, script in script_groups(text)] == [
        "Grek", "Hebr", "Deva", "Hani", "Hira", "Hang", "Geor", "Thaa", "Syrc",
    ]


def test_supplementary_han_characters() -> None:
    assert script_groups("𠀀𠀁 abc") == [(0, 2, "Hani"), (3, 6, "Latn")]


def test_combining_marks_do_not_count_as_letters() -> None:
    vocalized = "بِسْمِ اللَّهِ"
    assert letter_counts(vocalized)["Arab"] == 7
    assert main_script("In the name of God: " + vocalized) == "Latn"


@pytest.mark.parametrize(
    ("script", "direction"),
    [("Arab", "rtl"), ("Hebr", "rtl"), ("Syrc", "rtl"), ("Thaa", "rtl"), ("Latn", "ltr"), ("Cyrl", "ltr"),
     (COMMON, "ltr"), (None, "ltr")],
)
def test_direction_of_script(script: str | None, direction: str) -> None:
    assert direction_of_script(script) == direction


def test_trim_drops_spaces_and_punctuation_at_the_edges() -> None:
    text = " «سلام»، "
    assert text[slice(*trim(text, 0, len(text)))] == "سلام"


@given(st.text())
def test_runs_always_tile_the_text(text: str) -> None:
    runs = script_runs(text)
    if not text:
        assert runs == []
        return
    assert runs[0][0] == 0 and runs[-1][1] == len(text)
    assert all(a[1] == b[0] and a[2] != b[2] for a, b in zip(runs, runs[1:], strict=False))


@given(st.text() | st.text(alphabet=st.sampled_from(list("اب پ،۱ ٍ\u200c a1.😀\U00020000"))))
def test_alpha_count_counts_the_letters(text: str) -> None:
    assert alpha_count(text) == sum(map(str.isalpha, text))


# Letters of three scripts, neutrals between them (spaces, digits, punctuation, a harakah, ZWNJ, a control
# character) and characters beyond the BMP: every path `script_groups` takes, one script or two or more.
_MIXED = "abZé سلامپ،۱\u064b\u200c Жж.1-\x01\U00020000😀"


@given(st.text(alphabet=st.sampled_from(list(_MIXED))) | st.text())
def test_groups_and_letters_equal_those_of_the_script_ranges(text: str) -> None:
    """The fast paths (one script, two scripts, translated codes) find the groups the plain alternation
    of every script's ranges finds, and count the letters `str.isalpha` counts."""
    groups = script_groups(text)
    assert groups == list(_groups_slow(text))
    assert letter_total(text) == sum(map(str.isalpha, text))
    per_script: dict[str, int] = {}
    for start, end, script in groups:
        per_script[script] = per_script.get(script, 0) + sum(map(str.isalpha, text[start:end]))
    assert letter_counts(text) == per_script


def test_letters_by_script_counts_letters_of_each_script() -> None:
    from archive.scripts import letters_by_script

    assert letters_by_script("Kabul کابل 2024") == {"Latn": 5, "Arab": 4}
    assert letters_by_script("12, 13") == {}
