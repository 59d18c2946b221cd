"""Whether a decoding reads as text: the evidence an encoding guess is checked against.

A code page guessed from byte statistics alone can be wrong in ways statistics do not see: Hebrew in
Windows-1255 read as MacArabic gives Arabic letters, but no Arabic, Persian or Urdu word. So every
candidate decoding is read the way a person would check it: are its words real words of some language
(the commonest words of each language a legacy code page serves), are the letters of each word of one
script, and do unrelated scripts (Arabic and Hebrew, Greek and Cyrillic) sit side by side. The result
is evidence that the guess keeps, and that a warning quotes when the guess is weak or contradicted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# The commonest words of the languages whose text legacy code pages carry: Arabic-script pages
# (Arabic, Persian, Urdu), Windows-1252 (Western European), 1250 (Central European), 1251 (Cyrillic),
# 1253 (Greek), 1255 (Hebrew). Function words: every running text has them, whatever its subject.
_WORDS = {
    "en": "the of and to in a is that for it was on with as be by at this are from his her he she they we you "
          "not or but have has had an which one were their been will would there all more can also its who",
    "fr": "le la les de des du et est un une en que qui dans pour pas sur au avec il elle ce se sont par plus ne "
          "nous vous mais ou été être cette son sa ses aux",
    "de": "der die das und ist in den von zu mit sich des auf für nicht ein eine dem als auch es an werden aus er "
          "hat dass sie nach bei um am sind noch wie einem einer über",
    "es": "el la de que y en los las del se por un una para con no es al lo como más pero sus le ya o fue este ha "
          "porque esta entre cuando muy sin sobre",
    "it": "il di che e la è per un una in non sono del della le da con si al lo gli dei più anche come ma ha nel "
          "alla questo",
    "pt": "o a de que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à "
          "seu sua ou",
    "nl": "de het een van en in is dat op te zijn voor met die niet aan er als ook maar om bij door of wordt naar dan",
    "pl": "i w na z że się nie do to jest o jak co po ale od tak za jego przez są dla czy być już tylko był było jej "
          "oraz który która",
    "cs": "a v se na je že s z do to i o jako ale po by k jsou jeho pro od tak byl bylo který která které také při jen",
    "hu": "a az és hogy nem is egy van de meg ez csak már még volt mint ki el azt vagy lesz után kell",
    "ro": "și în de la cu pe a o un care nu este să se din ca mai pentru ce sau fost sunt",
    "hr": "i je u na da se za su od ne s to kao iz koji što ali bi sa po in v so pa z ki tudi",
    "ru": "и в не на я что он с это как а по но из у к за то все она так его же от было были быть для мы вы они о "
          "бы ты во со при чтобы если уже или ещё когда только также этот эта эти который которая",
    "uk": "і в на не що з у та до як це він вона але за по від я для ми ви вони його",
    "bg": "и на в да се е не за от че с по са как но ще това той тя",
    "el": "και το η να του της σε με για που τα από ο την είναι δεν οι στο θα των τον στην ένα μια αλλά ή",
    "he": "של את על לא הוא היא זה גם עם כי אם או אני יש כל אל מה הם היה היו בין אשר עוד רק כך שלי שלו שלה "
          "אבל כמו לו לי זאת אותו אחד אחת היום כאן שם אנחנו הן כבר מאוד יותר אין אתה את עד אחרי לפני שנה יום",
    "ar": "في من على إلى أن عن التي الذي ما لا هذا هذه مع كان قد ثم هو هي بين أو كل و بعد عند حتى لم ذلك تلك لقد إن",
    "fa": "و در به از که این را با است آن برای یک هم تا بر شد می ما او بود شده نیز اما یا کرد دیگر هر خود",
    "ur": "کے کی ہے میں اور سے کو نے کا یہ پر ہیں تھا بھی ایک وہ کہ نہیں گیا تھی ہو کر جو لیے اس",
}

# Letters beyond ASCII that each Latin-script language above writes; a decoding whose common words say
# French but whose letters include "č" is reading Windows-1252 bytes as Windows-1250.
_ALPHABETS = {
    "en": "éèïëçñ",  # loanwords: café, naïve, Noël, façade, señor
    "fr": "àâæçéèêëîïôœùûüÿ",
    "de": "äöüß",
    "es": "áéíñóúü",
    "it": "àèéìíîòóù",
    "pt": "áâãàçéêíóôõú",
    "nl": "éèëïóöü",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "hu": "áéíóöőúüű",
    "ro": "ăâîșțşţ",
    "hr": "čćđšž",
}

# Arabic yeh and kaf as Persian and Urdu spell them: Windows-1256 writers often had only the Arabic ones.
_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"})
_WORD = re.compile(r"[^\W\d_]+")
# Punctuation around a word, and the marks that join parts of one (grand-mère, l'école, it’s, the
# Persian zero-width non-joiner of می‌خواهم, the gershayim of צה״ל).
_PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x80) if not chr(c).isalnum()) + "«»“”‘’„‚…–—•·¿¡،؛؟۔٪"
_PARTS = re.compile("[-'’\"\u2010\u2011\u00ad\u00b7\u200c\u200d\u05f3\u05f4]")
# ASCII symbols that prose never writes between two letters of a word; MacArabic decodes letters of
# other code pages as them ("Fu_ball", "pokry|").
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][_|\\^`~{}\[\]<>][^\W\d_]|[^\W\d_]_")
_STRAY_JOINER = re.compile("(?<![\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f])[\u200c\u200d]")
# Numbers, in any digits, with their separators: not words, and not broken ones either.
_NUMBER = re.compile(r"[\d.,:/%٫٬]+")


_ORDER = {lang: i for i, lang in enumerate(_WORDS)}
# Hebrew and Arabic write their commonest words as prefixes of the next ("and", "the", "in", "to"): a word
# is also known when what follows such a prefix is.
_PREFIXES = {
    "he": ("וה", "וב", "ול", "ומ", "ושה", "שה", "מה", "בה", "לה", "כש", "ו", "ה", "ב", "ל", "מ", "ש", "כ"),
    "ar": ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"),
}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    """word -> the languages it is a common word of."""
    found: dict[str, set[str]] = {}
    for lang, words in _WORDS.items():
        for word in words.split():
            found.setdefault(word.translate(_FOLD), set()).add(lang)
    return {word: frozenset(langs) for word, langs in found.items()}


_PREFIX_STARTS = frozenset(p[0] for prefixes in _PREFIXES.values() for p in prefixes)


def _prefixed(token: str, lexicon: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The language of a Hebrew or Arabic word made of a prefix and a common word (or an article and a
    word of three letters or more: "הספר", "والكتاب")."""
    for lang, prefixes in _PREFIXES.items():
        for prefix in prefixes:
            if token.startswith(prefix) and len(token) > len(prefix) + 1:
                rest = token[len(prefix):].translate(_FOLD)
                if lang in lexicon.get(rest, ()):
                    return frozenset((lang,))
    return None


@lru_cache(maxsize=65536)
def _token(token: str) -> tuple[tuple[tuple[str, int], ...], frozenset[str] | None]:
    """A word's letters counted by script, and the languages it is a common word of (None if none).
    Cached: words repeat within a text and between the candidate decodings of one."""
    scripts = tuple(Counter(_script(c) for c in token).items())
    lexicon = _lexicon()
    langs = lexicon.get(token.translate(_FOLD))
    if langs is None and token[0] in _PREFIX_STARTS:
        langs = _prefixed(token, lexicon)
    return scripts, langs


# Scripts that share text with any other (quotations, names, code) and those that hardly meet.
_SCRIPTS = (("LATIN", "Latn"), ("ARABIC", "Arab"), ("CYRILLIC", "Cyrl"), ("GREEK", "Grek"), ("HEBREW", "Hebr"))


# Scripts whose vowel marks belong on their own letters only (combining accents go on any letter).
_MARKED_SCRIPTS = frozenset(("Arab", "Hebr"))


@lru_cache(maxsize=8192)
def _script(c: str) -> str:
    name = unicodedata.name(c, "")
    for prefix, script in _SCRIPTS:
        if name.startswith(prefix):
            return script
    return name.split(" ", 1)[0] or "?"


@dataclass(frozen=True)
class Reading:
    """How a decoding reads: its word tokens, how many are common words and of which language, how many
    mix letters of two scripts, and the share of letters outside its main script that are not Latin."""

    words: int
    known: float
    language: str | None
    mixed: int
    stray: float
    script: str | None
    odd: int = 0

    @property
    def known_share(self) -> float:
        return self.known / self.words if self.words else 0.0

    @property
    def mixed_share(self) -> float:
        return self.mixed / self.words if self.words else 0.0

    @property
    def odd_share(self) -> float:
        return self.odd / self.words if self.words else 0.0

    def evidence(self) -> str:
        """What the reading says, as a person would quote it."""
        parts = [f"{self.known:g} of {self.words} words are common words"
                 + (f" of {self.language}" if self.language else " of any language")]
        if self.script:
            parts.append(f"main script {self.script}")
        if self.mixed:
            parts.append(f"{self.mixed} word(s) mix scripts")
        if self.stray >= 0.01:
            parts.append(f"{self.stray:.0%} of letters in an unrelated script")
        if self.odd:
            parts.append(f"{self.odd} letter(s) foreign to {self.language}")
        return ", ".join(parts)


def read_as_text(text: str) -> Reading:
    """Check a decoding: common words per language, one script per word, no unrelated scripts mixed."""
    marks = "".join(c for c in set(text) if unicodedata.category(c) == "Mn")
    orphans = 0
    if marks:
        # A vowel mark on no letter (after a space or a digit) or on a letter of another script (an
        # Arabic kasra on a Latin "g") is a byte read as the wrong character.
        for m in re.finditer(f"[{re.escape(marks)}]+", text):
            before = text[m.start() - 1] if m.start() else " "
            script = _script(m.group()[0])
            if not before.isalpha() or (script in _MARKED_SCRIPTS and _script(before) != script):
                orphans += 1
        text = text.translate(dict.fromkeys(map(ord, marks)))
    # Windows-1256 has the zero-width joiners for Persian spelling; one after anything but an Arabic-script
    # letter ("“final‌" from a cp1252 closing quote) is a byte read as the wrong character.
    if "\u200c" in text or "\u200d" in text:
        orphans += len(_STRAY_JOINER.findall(text))
    # Words are what white space parts, less the punctuation around them; one holding a character beyond
    # ASCII that is no letter ("świe┐╣", "zdigitalizowa٣a") is a byte read as the wrong character, and
    # no piece of it counts as a word.
    tokens: Counter[str] = Counter()
    broken = others = 0
    for chunk, count in Counter(text.lower().split()).items():  # each distinct chunk once
        for word in _PARTS.split(chunk.strip(_PUNCTUATION)):
            if not word:
                continue
            if word.isalpha():
                tokens[word] += count
            elif _NUMBER.fullmatch(word):
                continue
            elif not word.isascii() or _SYMBOL_IN_WORD.search(word):
                broken += count
            else:
                others += count  # "and/or", "H2O", "x=1": words, though none a code page could have broken
    words = sum(tokens.values()) + broken + others
    votes: dict[str, float] = {}
    known = 0.0
    mixed = orphans + broken
    lone: Counter[str] = Counter()  # one-letter words beyond ASCII, by script
    letters: Counter[str] = Counter()
    for token, n in tokens.items():
        scripts, langs = _token(token)
        if len(scripts) > 1:
            mixed += n
        elif len(token) == 1 and not token.isascii():
            lone[scripts[0][0]] += n
        for script, count in scripts:
            letters[script] += n * count
        if langs:
            # A one-letter word ("و", "a", "и") turns up by chance in a wrong decoding: it counts a quarter.
            weight = float(n) if len(token) > 1 else n / 4
            known += weight
            for lang in langs:
                votes[lang] = votes.get(lang, 0.0) + weight
    main = letters.most_common(1)[0][0] if letters else None
    # A letter standing alone in another script than the text's ("magna aliqua с") is a byte that the
    # code page read as the wrong letter: it counts as a word that does not hold together.
    mixed += sum(n for script, n in lone.items() if script != main)
    total = sum(letters.values())
    stray = sum(n for s, n in letters.items() if s not in (main, "Latn")) / total if total else 0.0
    # The most voted language; equal votes go to the first in _WORDS order, so the answer is stable.
    language = max(votes, key=lambda lang: (votes[lang], -_ORDER[lang])) if votes else None
    odd = 0
    # Letters foreign to the language count only where its common words are more than a coincidence.
    if language in _ALPHABETS and votes[language] >= 2 and votes[language] >= 0.15 * words and not text.isascii():
        alphabet = _ALPHABETS[language]
        odd = sum(n for token, n in tokens.items() if not token.isascii()
                  for c in token if c > "\x7f" and c not in alphabet and _script(c) == "Latn")
    return Reading(words, known, language, mixed, stray, main, odd)


__all__ = ["Reading", "read_as_text"]
