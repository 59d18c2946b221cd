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


# --- declared codes to BCP 47 --------------------------------------------------------------------------

# Deprecated ISO 639-1 codes that old documents still declare.
_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


def _load_639_2() -> dict[str, str]:
    from importlib.resources import files

    table: dict[str, str] = {}
    for line in files("archive").joinpath("data/iso639-2to1.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            three, two = line.split("\t")
            table[three] = two
    return table


_ISO639_2 = _load_639_2()


def bcp47(tag: str) -> str:
    """A declared language code as BCP 47 spells it: ISO 639-2 codes that have a two-letter form take it
    (BCP 47 wants the shortest code: eng -> en, per/fas -> fa, ger/deu -> de), `_` becomes `-`, and the
    subtags take their conventional case (zh-hant-tw -> zh-Hant-TW). Anything else is returned as is."""
    parts = tag.strip().replace("_", "-").split("-")
    if not parts[0].isalpha():
        return tag
    primary = parts[0].lower()
    primary = _DEPRECATED.get(primary) or _ISO639_2.get(primary, primary)
    out = [primary]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
