"""Which blocks are page furniture (comment forms, subscribe footers, share buttons, "see also" links,
download and citation widgets) rather than the text itself.

Saved web pages carry this furniture into the archive. It is kept, never deleted (the archive must be
able to show what the source held), but re-typed `boilerplate` so readers, exports and search can set it
aside. The rules are deliberately conservative: a phrase must be the block's whole point (short blocks
only), and the weak phrases ("Downloads", "PDF", "Subscribe") count only outside the article body,
i.e. before its first or after its last full paragraph. An article sentence that happens to say
"subscribe" stays text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .record import Block

# Blocks longer than this are prose, whatever phrase they contain.
_SHORT = 220
# A weak phrase must be nearly the whole block.
_TINY = 60
# A paragraph at least this long is article body; furniture lives outside the body.
_BODY = 200

_CANDIDATE_TYPES = frozenset({"paragraph", "heading", "list_item", "note", "caption"})


# Letter variants merged (and ZWNJ read as a space); tatweel and harakat (U+064B–U+065F, U+0670) dropped.
# `str.replace` and one regex pass run in C at memory speed; `str.translate` with a dict looks every
# character up in Python objects and was most of this module's time.
_FOLD_PAIRS = (("ي", "ی"), ("ى", "ی"), ("ك", "ک"), ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"),
               ("\u200c", " "), ("ہ", "ه"), ("ۀ", "ه"), ("ې", "ی"), ("ۍ", "ی"), ("ګ", "گ"))  # fmt: skip
_FOLD_DROP = re.compile("[\u0640\u064b-\u065f\u0670]")


def _fold(text: str) -> str:
    """Lower-case, Arabic-script variants merged, harakat and tatweel and ZWNJ dropped, spaces squeezed."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        for variant, letter in _FOLD_PAIRS:
            text = text.replace(variant, letter)
        text = _FOLD_DROP.sub("", text)
    return _squeeze(text)


def _squeeze(text: str) -> str:
    """`" ".join(text.split())`, without splitting text that is already squeezed: a printable string has
    no whitespace but the plain space, so only doubled or outer spaces would change."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _folded_phrases(pattern: str) -> re.Pattern[str]:
    """A pattern of lower-case phrases, to be matched against `_fold`ed text.

    Folded text is lower-case, so the pattern needs no IGNORECASE, under which sre tries every
    alternative in full instead of rejecting it on its first character. Of all the characters folding
    can leave, IGNORECASE would let one more stand for an ASCII letter: the dotless ı, for i. Each i is
    written as [iı] so that the pattern still matches exactly what it matched with IGNORECASE; the
    phrases use no i as pattern syntax."""
    return re.compile(pattern.replace("i", "[iı]"))


# Phrases that are furniture wherever a short block consists of them (matched at the block's start).
# Social networks as the share widgets of Persian, Arabic, Urdu and Pashto pages name them, folded.
_NETWORKS = (r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|instagram|فیسبوک|فیس ?بوک|فیس ?بک|تویتر|توییتر|"
             r"ٹویٹر|ټویټر|ایکس|واتساپ|واتساب|واتس ?اپ|واٹس ?ایپ|تلگرام|تلیگرام|تیلیجرام|ٹیلیگرام|لینکدین|"
             r"لنکڈان|اینستاگرام|انستغرام|انستاگرام)")
_STRONG_START = [
    # comment forms
    r"please enter your (?:comment|name|email)", r"leave a (?:reply|comment)", r"post a comment",
    r"add (?:a )?comment", r"your email address will not be published", r"required fields are marked",
    r"save my name,? email", r"(?:\d+ )?comments?:?$", r"cancel reply", r"you must be logged in to post",
    r"notify me of (?:new|follow-up)",
    # subscribe footers
    r"subscribe to (?:get|our|the)", r"discover more from\b", r"sign up for (?:our|the) newsletter",
    r"type your email", r"enter your email address to subscribe", r"join \d[\d,]* other subscribers",
    # related / see also links
    r"see also\b", r"related(?: posts| articles| stories)?\s*:", r"related (?:posts|articles|stories)$",
    r"read more\b", r"read also\b", r"also read\b", r"continue reading\b", r"you may also like",
    r"recommended for you",
    r"previous (?:post|article)\b", r"next (?:post|article)\b",
    # share widgets
    r"share this(?: article| post| story)?\s*:", r"share (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin)",
    r"like this:?$", r"click to share", r"tweet this",
    # download / cite widgets
    r"download (?:citation|pdf|this article|full text)", r"how to cite\b", r"cite this (?:article|paper)",
    r"to cite this article", r"export citation", r"citation tools",
    # photo credits, gallery controls, skip links (German too: "Mehr zum Thema", "Foto:")
    r"(?:image|photo|picture|foto|bild)s? ?(?:copyright|credit|quelle)s?\b", r"\((?:image|photo) credit",
    r"(?:photo|image|credit|foto|bild|fotos)\s*:", r"(?:image|photo|slide) \d+ (?:of|/) \d+$",
    r"(?:caption|close|back to gallery|view gallery|advertisement|anzeige|werbung)$",
    r"skip to (?:main )?content", r"jump (?:directly )?to (?:the )?content", r"mehr zum thema\b",
    r"lesen sie (?:auch|mehr)\b", r"das konnte sie auch interessieren",
    # site footers
    r"(?:copyright )?©", r"copyright \d{4}", r"all rights reserved", r"this site uses cookies",
    r"we use cookies", r"privacy policy\b", r"terms of (?:use|service)\b", r"tags?:",
    # Persian / Dari
    r"بیشتر بخوانید", r"همچنین بخوانید", r"مطالب مرتبط", r"اخبار مرتبط", r"ادامه مطلب", r"ارسال نظر",
    r"نظر(?: خود)?(?: را)? بنویسید", r"دیدگاه(?: خود)?(?: را)? بنویسید", r"نشانی ایمیل شما منتشر نخواهد شد",
    r"اشتراک گذاری", r"به اشتراک بگذارید", r"هم ?رسانی (?:در|با) " + _NETWORKS,
    r"(?:کلیه|تمامی|همه|تمام) (?:ی )?حقوق[^.]{0,80}(?:محفوظ|متعلق)",
    r"برچسب ها\s*:", r"عضویت در خبرنامه",
    r"دانلود(?: فایل)? pdf", r"نحوه استناد", r"ارجاع به این مقاله",
    # Arabic
    r"اقرا ایضا", r"اقرا المزید", r"مواضیع ذات صله", r"مقالات ذات صله", r"اخبار ذات صله",
    r"شارک(?: هذا| المقال)?\s*:", r"شارک(?:ها| المقال)? (?:علی|عبر|فی) " + _NETWORKS,
    r"اترک تعلیقا", r"اترک ردا", r"اضف تعلیق", r"لن یتم نشر عنوان بریدک الالکترونی", r"جمیع الحقوق محفوظه",
    r"اشترک فی (?:النشره|القائمه)", r"تحمیل pdf", r"کیفیه الاستشهاد",
    # Urdu
    r"مزید پڑھیں", r"یه بھی پڑھیں", r"تبصره کریں", r"اپنی رائے دیں", r"جمله حقوق محفوظ", r"شیئر کریں",
    _NETWORKS + r" پر شیئر کریں", r"(?:همارے )?نیوز ?لیٹر (?:کے لیے|کیلئے|کے لئے)? ?سائن اپ",
    # Pashto
    r"نور ولولئ", r"دا هم ولولئ", r"شریک یی کړئ", r"خپل نظر ولیکئ", r"ټول حقوق خوندی دی",
    r"په " + _NETWORKS + r" کی(?: یی)? شریک", r"(?:زموږ )?خبرپاڼی ته گډون",
]
_STRONG = _folded_phrases("^(?:" + "|".join(_STRONG_START) + ")")

# Phrases that are furniture only as the whole block and outside the article body.
_WEAK_WHOLE = [
    r"downloads?", r"pdf", r"download", r"subscribe(?: now)?", r"share", r"print", r"email", r"comments",
    r"references? ?manager", r"metrics", r"article metrics", r"views", r"menu", r"search", r"home",
    r"advertisement", r"sponsored", r"back to top", r"dimensions", r"more from\b.{0,50}",
    r"دانلود", r"اشتراک", r"چاپ", r"تبلیغات", r"تحمیل", r"اشترک", r"طباعه", r"اعلان",
]
_WEAK = _folded_phrases(r"^(?:" + "|".join(_WEAK_WHOLE) + r")\s*[:.!]?$")

_SOCIAL_WORDS = (
    "facebook twitter x whatsapp telegram linkedin pinterest reddit tumblr email e-mail print share tweet "
    "messenger viber copy link skype pocket vk mix flipboard threads bluesky fb"
    " فیسبوک فیس بوک تویتر توییتر واتساپ تلگرام"
)
_SOCIAL = frozenset(_SOCIAL_WORDS.split())

# Labels under which the next block is a widget's content (a ready-made citation of this very page).
_CITE_PHRASES = ("how to cite", "cite this article", "cite this paper", "to cite this article", "citation",
                 "نحوه استناد", "ارجاع به این مقاله", "کیفیه الاستشهاد")  # fmt: skip
_CITE_LABEL = _folded_phrases(r"^(?:" + "|".join(map(re.escape, _CITE_PHRASES)) + r")\s*:?$")
# Folded text holds no whitespace but single spaces, so a label and its colon are at most this long;
# nearly every block is longer, and is answered without the pattern.
_LONGEST_CITE_LABEL = max(map(len, _CITE_PHRASES)) + len(" :")


_SHARE_SEPARATORS = re.compile(r"[\s|,·•/]+")
# A share bar's first word is a network's name: a cheap test that spares most blocks the full split.
_SHARE_START = re.compile(
    r"[\s|,·•/]*:*(?:" + "|".join(re.escape(w) for w in sorted(_SOCIAL, key=len, reverse=True))
    + r"):*(?:[\s|,·•/]|$)"
)


def _is_share_bar(folded: str) -> bool:
    if not _SHARE_START.match(folded):
        return False
    words = [w for w in _SHARE_SEPARATORS.split(folded) if w]
    return len(words) >= 2 and all(w.strip(":") in _SOCIAL for w in words)


def _body_bounds(blocks: Sequence[Block]) -> tuple[int, int]:
    """Index of the first and last full paragraph: the article body lies between them."""
    long = [
        i for i, b in enumerate(blocks) if b.type in ("paragraph", "quote", "verse") and len(b.text) >= _BODY
    ]
    if not long:
        return len(blocks), -1
    return long[0], long[-1]


# Letters that each leave at least one letter in the folded text whatever surrounds them (NFKC keeps
# them or composes a following mark into them; no two of them compose; folding maps them to letters).
# A block with more of them than the longest citation label ("to cite this article :", 22) is no label,
# and the pattern stops at the first few letters of a long block instead of folding all of it.
_LONGER_THAN_CITE_LABEL = re.compile(r"(?:[^A-Za-z0-9\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9"
                                     r"\u06af\u06cc]*[A-Za-z0-9\u0621-\u063a\u0641-\u064a\u067e\u0686"
                                     r"\u0698\u06a9\u06af\u06cc]){23}")  # fmt: skip


def _is_cite_label(text: str) -> bool:
    return not _LONGER_THAN_CITE_LABEL.match(text) and _is_folded_cite_label(_fold(text.strip()))


def _is_folded_cite_label(folded: str) -> bool:
    return len(folded) <= _LONGEST_CITE_LABEL and _CITE_LABEL.match(folded) is not None


def _short(text: str) -> str | None:
    """The stripped text of a block short enough to be furniture, else None."""
    stripped = text.strip()
    return stripped if 0 < len(stripped) <= _SHORT else None


def _anywhere_reason(folded: str) -> str | None:
    """What makes a short candidate furniture wherever it stands."""
    if _STRONG.match(folded):
        return "lexicon"
    if _is_share_bar(folded):
        return "share buttons"
    return None


def _outside_reason(block: Block, stripped: str, folded: str) -> str | None:
    """What makes a short candidate furniture only outside the article body."""
    if len(stripped) <= _TINY and _WEAK.match(folded):
        return "lexicon outside body"
    if _is_link_bar(block):
        return "navigation links"
    return None


def boilerplate_reason(block: Block, outside_body: bool) -> str | None:
    """Why `block` is furniture, or None when it is text."""
    stripped = _short(block.text) if block.type in _CANDIDATE_TYPES else None
    if stripped is None:
        return None
    folded = _fold(stripped)
    reason = _anywhere_reason(folded)
    if reason is None and outside_body:
        reason = _outside_reason(block, stripped, folded)
    return reason


def _is_link_bar(block: Block) -> bool:
    """Three or more links making up nearly all of a block's letters: a menu or a tag cloud."""
    links = [s for s in block.spans if s.kind == "link"]
    if len(links) < 3:
        return False
    covered: set[int] = set()
    for span in links:
        covered.update(range(span.start, span.end))
    letters = [i for i, c in enumerate(block.text) if c.isalnum()]
    return bool(letters) and sum(1 for i in letters if i in covered) >= 0.8 * len(letters)


def classify_boilerplate(blocks: list[Block]) -> int:
    """Re-type furniture blocks as `boilerplate` (in place) and return how many were re-typed.

    Two passes: the unambiguous phrases first, so that a long widget (a ready-made citation) does not
    count as article body when the second pass decides where the body ends. The second pass only asks
    the outside-the-body questions, and only of blocks outside the body: everything else it would ask
    was already answered "no" by the first. Each short candidate is folded once, in the first pass.
    """
    count = 0
    short: dict[int, tuple[str, str]] = {}  # id(block) -> (stripped, folded) for short candidates
    previous: Block | None = None  # the block before, unless that was furniture already
    previous_folded: str | None = None  # its folded text, when it was a short candidate
    for block in blocks:
        kind = block.type
        if kind == "boilerplate":
            previous = None
            continue
        reason = None
        folded = None
        candidate = kind in _CANDIDATE_TYPES
        if candidate:
            stripped = block.text.strip()
            if 0 < len(stripped) <= _SHORT:  # _short, inline: asked of every block
                folded = _fold(stripped)
                short[id(block)] = (stripped, folded)
                reason = _anywhere_reason(folded)
        if (
            reason is None
            and previous is not None
            and candidate
            and len(block.text) <= 1000
            and (
                _is_folded_cite_label(previous_folded)
                if previous_folded is not None
                else _is_cite_label(previous.text)
            )
        ):
            reason = "citation widget"
        previous, previous_folded = block, folded
        if reason is not None:
            _retype(block, reason)
            count += 1
    content = [b for b in blocks if b.type != "boilerplate"]
    first, last = _body_bounds(content)
    for i, block in enumerate(content):
        if first <= i <= last:
            continue
        known = short.get(id(block))
        if known is None:
            continue
        reason = _outside_reason(block, *known)
        if reason is not None:
            _retype(block, reason)
            count += 1
    return count


def _retype(block: Block, reason: str) -> None:
    note = f"boilerplate: {reason}"
    block.type = "boilerplate"
    block.evidence = f"{block.evidence}; {note}" if block.evidence else note


__all__ = ["boilerplate_reason", "classify_boilerplate"]
