"""Word frequency lists: how often each language uses a word, for text too short for letters to decide.

Why: a three-word heading has no function word and often no letter that only one language has
(«چیف الیکشن کمشنر» is Urdu, «كابل پوهنتون مجله» Pashto, "I have a" English), but a reader still knows it
from its words: الیکشن and کمشنر are everyday Urdu and rare Persian. A frequency list per language
gives each word a log frequency (Zipf: log10 of uses per billion words); the language whose list makes
the phrase likeliest wins, by how much tells whether the guess can be trusted.

The lists live in `data/words/` (see the README there: Persian, Urdu, Arabic and English from wordfreq's
data, Pashto written for this project). They are read once, on first use, into one dictionary that maps
a word to its frequency in each language: about 40,000 words, some 8 MB.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

LISTED = ("ar", "en", "fa", "ps", "ur")
# What a word missing from a language's list counts for it: a little below the lists' cut (Zipf 3.5
# for Persian and Urdu, 4.0 for Arabic and English; the Pashto list starts at 4.0).
FLOOR = 3.0


class Scores(NamedTuple):
    """Log likelihood per language (sum of Zipf values, FLOOR for a word a list lacks), and the words
    some list knows (the evidence)."""

    by_lang: dict[str, float]
    known: tuple[str, ...]

    def ranked(self) -> list[tuple[str, float]]:
        return sorted(self.by_lang.items(), key=lambda kv: (-kv[1], kv[0]))

    def margin(self) -> tuple[str, float]:
        """The best language and how far it is ahead of the next one (in Zipf units)."""
        ranked = self.ranked()
        if not ranked:
            return "", 0.0
        second = ranked[1][1] if len(ranked) > 1 else len(self.known) * FLOOR
        return ranked[0][0], ranked[0][1] - second


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[int, ...]]:
    """word → Zipf × 10 per language of LISTED (0: not listed)."""
    table: dict[str, list[int]] = {}
    folder = resources.files("archive") / "data" / "words"
    for index, lang in enumerate(LISTED):
        for line in (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            value, words = line.split("\t", 1)
            zipf = int(value)
            for word in words.split():
                row = table.get(word)
                if row is None:
                    row = table[word] = [0] * len(LISTED)
                row[index] = max(row[index], zipf)
    # Rows as tuples, equal rows shared: most words are in one list only.
    rows: dict[tuple[int, ...], tuple[int, ...]] = {}
    return {word: rows.setdefault(tuple(row), tuple(row)) for word, row in table.items()}


def frequency(word: str, lang: str) -> float:
    """Zipf frequency of `word` (folded, lower case for English) in `lang`'s list; 0 when absent."""
    row = _table().get(word)
    return row[LISTED.index(lang)] / 10 if row else 0.0


def score(words: Iterable[str], langs: Iterable[str]) -> Scores:
    """How likely each of `langs` (among LISTED) makes `words`; words no list knows are left out."""
    table = _table()
    indexes = [(lang, LISTED.index(lang)) for lang in langs if lang in LISTED]
    totals = dict.fromkeys((lang for lang, _i in indexes), 0.0)
    known = []
    for word in words:
        row = table.get(word)
        if row is None or not any(row[i] for _lang, i in indexes):
            continue
        known.append(word)
        for lang, i in indexes:
            totals[lang] += row[i] / 10 if row[i] else FLOOR
    return Scores(totals, tuple(known))


__all__ = ["FLOOR", "LISTED", "Scores", "frequency", "score"]
