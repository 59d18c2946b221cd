"""What a BCP 47 tag alone tells: the language's English name and the direction its script runs.

One table serves readers (a declared `lang` implies a direction) and writers (langUsage names, EPUB
metadata), so they can never disagree about a language.
"""

from __future__ import annotations

LANGUAGE_NAMES = {
    "en": "English",
    "fa": "Persian",
    "fa-AF": "Dari",
    "prs": "Dari",
    "ps": "Pashto",
    "ur": "Urdu",
    "ar": "Arabic",
    "ckb": "Central Kurdish",
    "sd": "Sindhi",
    "ug": "Uyghur",
    "ks": "Kashmiri",
    "bal": "Balochi",
    "pnb": "Western Panjabi",
    "tg": "Tajik",
    "uz": "Uzbek",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "he": "Hebrew",
    "und": "Undetermined",
}

# Languages whose usual script runs right to left; a script subtag (-Latn, -Cyrl, -Arab) overrides.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ur", "sd", "ug", "ckb", "he", "yi", "dv", "ks", "bal", "pnb"})


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(tag.split("-")[0], tag)


def is_rtl_language(tag: str | None) -> bool:
    """True when the tag names a right-to-left language or an Arabic/Hebrew-script variant."""
    if not tag:
        return False
    subtags = tag.split("-")
    if any(s in ("Latn", "Cyrl") for s in subtags[1:]):
        return False
    return subtags[0].lower() in RTL_LANGUAGES or any(s in ("Arab", "Hebr") for s in subtags[1:])


def direction_of_tag(tag: str | None) -> str | None:
    """ltr or rtl as the tag implies it, None without a tag."""
    if not tag:
        return None
    return "rtl" if is_rtl_language(tag) else "ltr"
