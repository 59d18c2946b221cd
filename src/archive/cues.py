"""Words of the surrounding sentence that name the language of an inline run.

Why: an English text that quotes a short Persian-looking phrase usually says what it is: "the Urdu
daily «…»", "in Pashto, «…»", "as the Quran says, «…»", "«…» in Dari". Where the run's own letters
do not decide, a reader goes by these words, and so do we. Only the clause before the run (back to
the last sentence end, at most `_BEFORE` characters) and a short "in X" right after it are read.
"""

from __future__ import annotations

import re

_BEFORE = 60
_AFTER = 20

# Cue word (lower case) → language tag. Names of languages and peoples, and of Arabic scripture.
CUES: dict[str, str] = {
    "urdu": "ur",
    "pashto": "ps", "pushto": "ps", "pakhto": "ps", "pukhto": "ps",
    # A phrase said to be Dari is Persian; whether the document is Dari is `dari`'s to say.
    "dari": "fa",
    "persian": "fa", "farsi": "fa", "iranian": "fa",
    "arabic": "ar", "quran": "ar", "qur'an": "ar", "qur’an": "ar", "koran": "ar", "hadith": "ar",
    "surah": "ar", "sura": "ar", "quranic": "ar",
    "kurdish": "ckb", "sorani": "ckb",
    "sindhi": "sd",
    "uyghur": "ug", "uighur": "ug",
    "balochi": "bal", "baluchi": "bal",
    "kashmiri": "ks",
    "punjabi": "pnb", "shahmukhi": "pnb",
    # Arabic-script words for "in English" and the like, before a Latin run.
    "انگلیسی": "en", "انګلیسي": "en", "انگریزی": "en", "بالإنجليزية": "en", "الإنجليزية": "en",
}
_CUE = re.compile(r"(?<![\w’'])(" + "|".join(sorted(map(re.escape, CUES), key=len, reverse=True)) + r")(?![\w’'])",
                  re.IGNORECASE)
_KEYS = tuple(CUES)
# Where a sentence ends: the cue must be in the run's own sentence.
_SENTENCE_END = re.compile(r"[.!?؟。]\s|\n")
_AFTER_CUE = re.compile(r"[\W_]{0,3}\s*(?:in|\()\s*(" + "|".join(sorted(map(re.escape, CUES), key=len, reverse=True))
                        + r")(?![\w’'])", re.IGNORECASE)


def cue_language(text: str, start: int, end: int) -> tuple[str, str] | None:
    """(language, cue word) for the run text[start:end], from the nearest cue before it in its
    sentence, else from "in X" right after it; None without a cue."""
    window = text[max(0, start - _BEFORE):min(len(text), end + _AFTER)].lower()
    if not any(map(window.__contains__, _KEYS)):
        # No cue word anywhere near: substring tests in C, cheaper than the regex.
        return None
    before = text[max(0, start - _BEFORE):start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end():]
    words = _CUE.findall(before)
    if words:
        word = words[-1]
    else:
        after = _AFTER_CUE.match(text, end, end + _AFTER)
        if after is None:
            return None
        word = after.group(1)
    return CUES[word.lower()], word


__all__ = ["CUES", "cue_language"]
