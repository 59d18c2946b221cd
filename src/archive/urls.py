"""Where a web address written in running text ends, in any script.

An address ends at white space, at markup and quotation characters, and, since scripts such as Chinese,
Japanese and Thai put no space between words, at the first letter of those scripts and at their
punctuation: "https://example.jp/aboutをご覧ください。" is the address "https://example.jp/about". Letters
of Korean end it too (its particles attach to the word before: "…/about에서"). Letters of scripts
that separate words with spaces (Persian, Arabic, Cyrillic…) may belong to an address
("https://fa.wikipedia.org/wiki/ایران"), but sentence punctuation of any script ends it.
"""

from __future__ import annotations

# Characters that never belong to an address in running text: white space; ASCII delimiters of
# markup, quotation and brackets; guillemets; general punctuation (curly quotes, dashes, ellipsis,
# invisible marks); Arabic comma, semicolon, question mark and full stop; Thai, Lao, Myanmar and
# Khmer (no spaces between words); CJK punctuation, kana, ideographs and full-width forms.
NOT_IN_URL = (
    "\\s<>\"'\\]\\[(){}«»"
    "\u2000-\u206f"
    "\u060c\u061b\u061f\u06d4"
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
    "\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
# One or more characters of an address (after its scheme or "www.").
URL_BODY = f"[^{NOT_IN_URL}]+"
