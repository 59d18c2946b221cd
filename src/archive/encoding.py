"""Bytes to text, with the evidence for how the encoding was chosen.

The order is the order of trust: a byte-order mark cannot lie; a charset the document declares (HTML
meta, XML declaration) usually does not, so it is checked by decoding and only overridden by the bytes
themselves; strict UTF-8 almost never decodes text that is not UTF-8; only then does guessing start.

The guessing is ours rather than a library's alone because general detectors are weakest exactly where
this archive lives: Windows-1256 Persian read as Windows-1251 Russian, ISO-8859-6 and MacArabic
confused with Windows-1256. Every candidate code page decodes the sample and the decoding that reads
most like real text wins: letters of one script per word, sane letter case, Arabic vowel marks only
after Arabic letters, frequent Arabic/Persian letters, few stray symbols or control characters. chardet
only adds candidates when no Arabic-script or Latin code page reads plausibly (Cyrillic, Greek, CJK…).
`bench/encodings.py` measures this against chardet and charset-normalizer.
"""

from __future__ import annotations

import array
import codecs
import operator
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .provenance import stage, used
from .readers.base import FormatError
from .record import Encoding

# Bytes looked at when guessing; enough for stable statistics, small enough to stay fast on big files.
_SAMPLE = 32 * 1024

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# Code pages of the archive's languages, in the order that breaks ties between identical decodings, then
# the Windows code pages of neighbouring scripts so that their text is not forced into an Arabic one.
_FAMILY = ["cp1256", "cp1252", "iso8859-6", "mac-arabic", "cp720", "latin-1",
           "cp1250", "cp1251", "cp1253", "cp1255"]

# Charset labels seen in the wild that Python does not know by that name.
_ALIASES = {
    "x-mac-arabic": "mac-arabic",
    "macarabic": "mac-arabic",
    "dos-720": "cp720",
    "ibm720": "cp720",
    "asmo-708": "iso8859-6",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "x-cp1256": "cp1256",
    "x-cp1252": "cp1252",
    "unicode": "utf-16",
    "ucs-2": "utf-16",
}

# Names written into the record: the IANA/WHATWG spelling readers of the archive will recognise.
_PUBLIC_NAMES = {
    "utf-8": "utf-8",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "utf-32-le": "utf-32le",
    "utf-32-be": "utf-32be",
    "cp1256": "windows-1256",
    "cp1252": "windows-1252",
    "cp1251": "windows-1251",
    "cp1250": "windows-1250",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "iso8859-6": "iso-8859-6",
    "iso8859-1": "iso-8859-1",
    "latin-1": "iso-8859-1",
    "mac-arabic": "x-mac-arabic",
    "cp720": "ibm720",
    "ascii": "us-ascii",
}

# Codecs that turn escapes into arbitrary code points; a document cannot "declare" them meaningfully.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "utf-7", "idna", "punycode", "undefined"}

_SURROGATE = re.compile("[\ud800-\udfff]")
_MULTIBYTE_HINT = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


@dataclass
class Decoded:
    text: str
    encoding: Encoding
    warnings: list[str] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`; `declared` is the charset the document states about itself, if any.

    Raises FormatError when the bytes are not text at all (NUL bytes outside a UTF-16/32 pattern).
    """
    with stage("decode"):
        return _decode(data, declared)


def _decode(data: bytes, declared: str | None) -> Decoded:
    warnings: list[str] = []
    result = (
        _by_bom(data)
        or _by_declaration(data, declared, warnings)
        or _by_wide_pattern(data)
        or _by_utf8(data, warnings)
    )
    if result is None:
        if b"\x00" in data:
            raise FormatError("binary data, not text")
        result = _by_statistics(data, warnings)
    text, encoding = result
    # The UTF-8 codec never yields a surrogate, strict or not: only other codecs' text is searched.
    utf8 = encoding.name == "utf-8"
    if not utf8 and _SURROGATE.search(text):
        text, n = _SURROGATE.subn("\ufffd", text)
        warnings.append(f"{n} lone surrogate code point(s) replaced with U+FFFD")
    repairs: dict[str, int] = {}
    # Text decoded as UTF-8 holds a character of U+00C0–U+00FF, which Latin mojibake starts with, only
    # where the bytes hold their lead byte C3: one byte scan instead of a regex over the text.
    text, fixed = _repair_mojibake(text, latin=not utf8 or b"\xc3" in data)
    if fixed:
        repairs["mojibake"] = fixed
        warnings.append(f"mojibake repaired ({fixed} characters)")
    return Decoded(text, encoding, warnings, repairs)


def public_name(codec: str) -> str:
    """The charset name to record for a Python codec name."""
    try:
        key = codecs.lookup(codec).name
    except LookupError:
        return codec
    return _PUBLIC_NAMES.get(key, _PUBLIC_NAMES.get(codec, key))


def _by_bom(data: bytes) -> tuple[str, Encoding] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, errors="replace")
            return text, Encoding(public_name(codec), 1.0, "bom")
    return None


def _lookup(declared: str) -> str | None:
    label = declared.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _NOT_CHARSETS or not codecs.lookup(name)._is_text_encoding:
        return None
    return name


def _by_declaration(data: bytes, declared: str | None, warnings: list[str]) -> tuple[str, Encoding] | None:
    if not declared:
        return None
    codec = _lookup(declared)
    if codec is None:
        warnings.append(f"declared charset {declared!r} is unknown; ignored")
        return None
    if codec in ("utf-16", "utf-32") and not _by_bom(data):
        # Without a BOM Python assumes the machine's order; let the byte pattern decide instead.
        return None
    if codec in ("latin-1", "iso8859-1", "ascii") and any(0x80 <= b <= 0x9F for b in data):
        # As browsers do (WHATWG): these labels mean windows-1252, whose 0x80–0x9F are printable.
        codec = "cp1252"
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError, TypeError, ValueError):
        warnings.append(f"declared charset {declared!r} does not decode these bytes; detected instead")
        return None
    if codec != "utf-8" and _is_single_byte(codec) and _MULTIBYTE_HINT.search(data):
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"declared charset {declared!r} contradicted by valid UTF-8; decoded as UTF-8")
            return utf8, Encoding("utf-8", 0.99, "detected")
    return text, Encoding(public_name(codec), 1.0, "declared")


@lru_cache(maxsize=64)
def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(256)).decode(codec, errors="replace")) == 256
    except (LookupError, TypeError, ValueError):
        return False


def _by_wide_pattern(data: bytes) -> tuple[str, Encoding] | None:
    """UTF-16/32 without a BOM: NUL bytes in one byte position of each code unit and not the others.

    Arabic script in UTF-16 has no NULs in its letters (U+06xx), but spaces and punctuation give them
    away; the decoding must then also read as text with hardly any control characters.
    """
    if b"\x00" not in data:
        return None
    sample = data[:_SAMPLE]
    for width, codecs_ in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        n = len(sample) // width
        if n == 0 or len(data) % width:
            continue
        nul_at = [sample[i:n * width:width].count(0) for i in range(width)]
        for codec in codecs_:
            # Position of the byte that is NUL for ASCII characters, and positions that must not be.
            if width == 2:
                zero, other = (1, [0]) if codec.endswith("le") else (0, [1])
            else:
                zero, other = (3, [0]) if codec.endswith("le") else (0, [3])
            if nul_at[zero] < max(1, 0.05 * n) or any(nul_at[o] > 0.01 * n for o in other):
                continue
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            controls = sum(1 for c in text[:_SAMPLE] if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")
                           and c not in "\t\n\r\f")
            if controls <= 0.01 * len(text[:_SAMPLE]):
                return text, Encoding(public_name(codec), 0.95, "detected")
    return None


def _by_utf8(data: bytes, warnings: list[str]) -> tuple[str, Encoding] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, Encoding("utf-8", 1.0 if data.isascii() else 0.99, "detected")
    if b"\x00" in data:
        return None
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    # A legacy code page hardly ever forms valid multi-byte sequences; mostly-valid UTF-8 is UTF-8.
    if good >= 4 * bad:
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
        return text, Encoding("utf-8", 0.9, "detected")
    return None


# --- guessing -----------------------------------------------------------------------------------------

# Letters by how often they occur in Arabic, Persian and Urdu running text (coarse tiers are enough to
# tell a right decoding from a wrong one; exact frequencies would overfit one language).
_ARABIC_TIER = {
    **dict.fromkeys("اليومنهربتدکیکسعف", 1.0),
    **dict.fromkeys("كقحجشزخةگپأإآءئؤىطصچےہںھذثضغظژٹڈڑ", 0.6),
}
_ARABIC_PUNCT = set("،؛؟٪٫٬۔")
_COMMON_PUNCT = set("«»“”‘’‚„–—…•·€£$©°¿¡\u200c\u200d\u200e\u200f")
_MILD_SYMBOLS = set("§®±×÷")


@lru_cache(maxsize=4096)
def _script(c: str) -> str:
    if c < "\x80":
        return "Latn" if c.isalpha() else ""
    if not c.isalpha():
        if unicodedata.category(c) == "Mn":
            return "Arab" if "\u0600" <= c <= "\u06ff" else "mark"
        return ""
    name = unicodedata.name(c, "")
    for prefix, script in (("LATIN", "Latn"), ("ARABIC", "Arab"), ("CYRILLIC", "Cyrl"), ("GREEK", "Grek"),
                           ("HEBREW", "Hebr")):
        if name.startswith(prefix):
            return script
    return "Othr"


@lru_cache(maxsize=4096)
def _unigram(c: str) -> float:
    if c < "\x80":
        return 0.0 if c >= " " or c in "\t\n\r\f" else -6.0
    cat = unicodedata.category(c)
    if cat in ("Cc", "Cs", "Co", "Cn", "Cf") and c not in _COMMON_PUNCT:
        return -6.0
    if c in _COMMON_PUNCT:
        return 0.0
    if c == "\u00a0":
        # Legitimate but rare; MacArabic writes its spaces as A0, which other code pages read as NBSP.
        return -0.1
    if c in _ARABIC_TIER:
        return _ARABIC_TIER[c]
    if c in _ARABIC_PUNCT or "\u0660" <= c <= "\u0669" or "\u06f0" <= c <= "\u06f9":
        return 0.3
    script = _script(c)
    if script == "Arab":
        # Vowel marks are sparse in real text but dense when other scripts' letters land on them.
        return -0.5 if cat == "Mn" else -1.0
    if script == "Latn":
        return -0.2
    if script in ("Cyrl", "Grek", "Hebr"):
        return 0.3
    if script == "Othr":
        return 0.0
    if c in _MILD_SYMBOLS:
        return -0.5
    return -1.5


@lru_cache(maxsize=65536)
def _bigram(a: str, b: str) -> float:
    sa, sb = _script(a), _script(b)
    if not sa or not sb or (a < "\x80" and b < "\x80"):
        return 0.0
    if unicodedata.category(b) == "Mn":
        if unicodedata.category(a) == "Mn":
            return 0.0 if "\u0651" in (a, b) else -1.0
        return 0.0 if sa == sb or (sa == "Latn" and sb == "mark") else -3.0
    if sa != sb and "mark" not in (sa, sb):
        return -4.0
    score = 0.0
    if a.islower() and b.isupper():
        score -= 2.0
    if sa == "Latn" and a > "\x7f" and b > "\x7f":
        score -= 1.0
    return score


def _score_text(text: str) -> float:
    """Mean plausibility per character of a decoding."""
    if not text:
        return 0.0
    total = sum(_unigram(c) * n for c, n in Counter(text).items())
    total += sum(_bigram(a, b) * n for (a, b), n in Counter(zip(text, text[1:], strict=False)).items())
    return total / len(text)


@lru_cache(maxsize=64)
def _table(codec: str) -> tuple[str | None, ...]:
    out: list[str | None] = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(None)
    return tuple(out)


def _score_single_byte(codec: str, singles: Counter[int], pairs: Counter[int], n: int) -> float | None:
    """Score of a single-byte codec from byte statistics alone: no need to decode each candidate.

    `pairs` counts byte pairs by `_pair_code`."""
    if not _undefined_bytes(codec).isdisjoint(singles):
        return None
    byte_scores, pair_scores = _byte_scores(codec)
    # map() over per-codec score dictionaries keeps the loop in C; the byte sum adds the same terms in
    # the same order as a generator would. Pair scores are whole numbers (see _bigram), so their sum is
    # exact whatever order the pairs were counted in.
    total = sum(map(operator.mul, map(byte_scores.__getitem__, singles.keys()), singles.values()))
    total += sum(map(operator.mul, map(pair_scores.__getitem__, pairs.keys()), pairs.values()))
    return total / n


@lru_cache(maxsize=64)
def _undefined_bytes(codec: str) -> frozenset[int]:
    """Bytes the codec cannot decode: one set test per candidate instead of a lookup per distinct byte."""
    return frozenset(b for b, c in enumerate(_table(codec)) if c is None)


def _pair_counts(sample: bytes) -> Counter[int]:
    """How often each pair of neighbouring bytes occurs, a pair counted as the number `_pair_code` gives.

    The pairs at even and at odd offsets are read as two arrays of 16-bit numbers, so that counting runs
    in C without a tuple per pair: a tuple per pair was most of the cost of guessing a code page."""
    even = array.array("H", sample[: len(sample) // 2 * 2])
    odd = array.array("H", sample[1: 1 + (len(sample) - 1) // 2 * 2])
    if sys.byteorder == "little":  # the first byte of a pair must be the high one
        even.byteswap()
        odd.byteswap()
    counts = Counter(even)
    counts.update(odd)
    return counts


def _pair_code(first: int, second: int) -> int:
    """The number `_pair_counts` counts the byte pair (first, second) under."""
    return first << 8 | second


class _Scores(dict):  # type: ignore[type-arg]
    """Score of a byte (`pair=False`) or of a byte pair coded by `_pair_code` (`pair=True`) under one
    code page, computed the first time it is asked for."""

    def __init__(self, table: tuple[str | None, ...], pair: bool) -> None:
        super().__init__()
        self.table = table
        self.pair = pair

    def __missing__(self, key: int) -> float:
        table = self.table
        value = (_bigram(table[key >> 8] or "", table[key & 0xFF] or "") if self.pair
                 else _unigram(table[key] or ""))
        self[key] = value
        return value


@lru_cache(maxsize=64)
def _byte_scores(codec: str) -> tuple[_Scores, _Scores]:
    return _Scores(_table(codec), pair=False), _Scores(_table(codec), pair=True)


def _by_statistics(data: bytes, warnings: list[str]) -> tuple[str, Encoding]:
    sample = data[:_SAMPLE]
    singles = Counter(sample)
    pairs = _pair_counts(sample)
    scores: dict[str, float] = {}
    for codec in _FAMILY:
        score = _score_single_byte(codec, singles, pairs, len(sample))
        if score is not None:
            scores[codec] = score
    # Plausible Arabic-script or Latin text scores above zero; below it, ask chardet for other families.
    if max(scores.values(), default=-1.0) < -0.05:
        for codec in _chardet_candidates(sample):
            if codec in scores:
                continue
            if _is_single_byte(codec):
                score = _score_single_byte(codec, singles, pairs, len(sample))
            else:
                try:
                    score = _score_text(codecs.getincrementaldecoder(codec)().decode(sample, final=False))
                except (UnicodeDecodeError, LookupError):
                    score = None
            if score is not None:
                scores[codec] = score
    # Identical decodings tie; name the text after its script (café is windows-1252, not windows-1256).
    arabic = any(_script(_table("cp1256")[b] or "") == "Arab" for b in singles if b >= 0x80)
    order = _FAMILY if arabic else ["cp1252", *[c for c in _FAMILY if c != "cp1252"]]
    ranked = sorted(scores, key=lambda c: (-round(scores[c], 9), order.index(c) if c in order else len(order)))
    for i, codec in enumerate(ranked):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        runner_up = max((scores[c] for c in ranked if c != codec and _table_differs(c, codec, singles)),
                        default=None)
        margin = 1.0 if runner_up is None else scores[codec] - runner_up
        confidence = round(max(0.1, min(0.99, 0.5 + margin)), 2)
        if scores[codec] < -0.5:
            warnings.append("no encoding reads as plausible text; decoded as UTF-8 with replacements")
            return data.decode("utf-8", errors="replace"), Encoding("utf-8", 0.1, "fallback")
        if i:
            warnings.append(f"better-scoring encodings did not decode the whole file; used {public_name(codec)}")
        return text, Encoding(public_name(codec), confidence, "detected")
    warnings.append("no encoding decodes these bytes; decoded as UTF-8 with replacements")
    return data.decode("utf-8", errors="replace"), Encoding("utf-8", 0.1, "fallback")


def _table_differs(a: str, b: str, singles: Counter[int]) -> bool:
    """Whether two codecs decode the bytes present differently (identical decodings are not rivals)."""
    if not (_is_single_byte(a) and _is_single_byte(b)):
        return True
    ta, tb = _table(a), _table(b)
    return any(ta[x] != tb[x] for x in singles)


def _chardet_candidates(sample: bytes) -> list[str]:
    import chardet

    used("chardet")
    out: list[str] = []
    for guess in chardet.detect_all(sample, ignore_threshold=True)[:4]:
        name = guess.get("encoding")
        if name:
            codec = _lookup(name)
            if codec and codec not in out:
                out.append(codec)
    return out


# --- mojibake -----------------------------------------------------------------------------------------

# UTF-8 read as Windows-1256 (which ftfy does not know). Lead bytes D8–DB (Arabic block), C3 (Latin
# accents) and E2 (punctuation, ZWNJ) become ط ظ ع غ أ â; continuation bytes 80–BF become the
# characters below. A run of non-ASCII Windows-1256 characters holding such a pair is a suspect word.
_CP1256_HIGH = re.escape(bytes(range(0x80, 0x100)).decode("cp1256"))
_CP1256_CONT = re.escape(bytes(range(0x80, 0xC0)).decode("cp1256"))
_CP1256_LEAD = re.escape(bytes([0xD8, 0xD9, 0xDA, 0xDB, 0xC3, 0xE2]).decode("cp1256"))
_CP1256_PAIR = re.compile(f"[{_CP1256_LEAD}][{_CP1256_CONT}]")
_CP1256_HIGH_SET = frozenset(bytes(range(0x80, 0x100)).decode("cp1256"))
_LATIN_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                                  "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


def repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 that was decoded as Windows-1252/Latin-1 (also twice) or as Windows-1256.

    Returns the repaired text and how many characters the repair removed (for two-byte scripts such as
    Arabic, the number of letters recovered). Text without the tell-tale patterns is returned untouched.
    """
    return _repair_mojibake(text, latin=True)


def _repair_mojibake(text: str, latin: bool) -> tuple[str, int]:
    """`repair_mojibake`; `latin=False` when the text is known to hold no Latin mojibake's first letter."""
    if text.isascii():
        return text, 0
    out = text
    if latin and _LATIN_MOJIBAKE_HINT.search(out):
        import ftfy

        used("ftfy")
        out = ftfy.fix_text(out, _ftfy_config())
    out = _repair_cp1256(out)
    if out == text:
        return text, 0
    return out, max(1, len(text) - len(out))


@lru_cache(maxsize=1)
def _ftfy_config():  # type: ignore[no-untyped-def]
    from ftfy import TextFixerConfig

    # Encoding repair only: quotes, ligatures, widths, line breaks and entities are left as they are.
    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def _repair_cp1256(text: str) -> str:
    fixed: list[tuple[int, int, str]] = []
    tried_until = 0
    for m in _CP1256_PAIR.finditer(text):
        start, end = m.start(), m.end()
        if start < tried_until:
            continue
        while start > 0 and text[start - 1] in _CP1256_HIGH_SET:
            start -= 1
        while end < len(text) and text[end] in _CP1256_HIGH_SET:
            end += 1
        run = text[start:end]
        tried_until = end
        try:
            repaired = run.encode("cp1256").decode("utf-8")
        except UnicodeError:
            continue
        if not _plausible_cp1256_repair(run, repaired):
            continue
        fixed.append((start, end, repaired))
    # A real word seldom alternates lead and continuation bytes; demand a long run before trusting short ones.
    if not any(end - start >= 4 for start, end, _ in fixed):
        return text
    pieces: list[str] = []
    last = 0
    for start, end, repaired in fixed:
        pieces.append(text[last:start])
        pieces.append(repaired)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


# What UTF-8 mis-read as Windows-1256 can turn back into: Arabic-script text (lead bytes D8–DB), Latin
# letters with accents (C3, C5), and typographic punctuation (E2). Anything else (Canadian syllabics,
# Greek, CJK…) means the run was correct Arabic-script text whose bytes merely happen to form UTF-8.
_CP1256_RESULT = re.compile(
    "[\u00a0-\u017f\u0192\u02c6\u02dc\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f\u20ac\u2122"
    "\ufb50-\ufdff\ufe70-\ufeff]*"
)
# Arabic-script letters, marks, digits and punctuation, and the joiners and spaces written between them.
_ARABIC_SCRIPT_TEXT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
                                 "\u00a0\u200c\u200d\u00ab\u00bb]*")


def _plausible_cp1256_repair(run: str, repaired: str) -> bool:
    """Whether `repaired` (the run's bytes read as UTF-8) is what the run really said.

    Correct Urdu or Persian can hold a word whose Windows-1256 bytes are valid UTF-8 ("لکھا،" is
    E1 98 AA C7 A1, i.e. "ᘪǡ"); such a run is all Arabic-script letters, and its "repair" is either
    outside the scripts mojibake can come from or reads worse than the run. Real mojibake is full of
    symbols (§ ¨ ± „ …) and reads much worse than its repair.
    """
    if any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in repaired):
        return False
    if not _CP1256_RESULT.fullmatch(repaired):
        return False
    if _ARABIC_SCRIPT_TEXT.fullmatch(run):
        return _score_text(repaired) > _score_text(run)
    return True


__all__ = ["Decoded", "decode", "public_name", "repair_mojibake"]
