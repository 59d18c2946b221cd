"""OpenITI mARkdown: the format of the Open Islamicate Texts Initiative's corpus of Arabic and Persian works.

A file opens with `######OpenITI#`, then a `#META#` header (Shamela-style `key: value` lines or the
numbered `NNN.Field :: value` form), then the text: `# ` starts a paragraph, `~~` continues the line
before it, `### |`, `### ||`… are headings by depth, `%~%` parts the hemistichs of a verse line.
Page marks (`PageV01P037`) and milestones (`ms0012`, `Milestone300`) say where the printed edition
turned a page and where each block of words ends; they are points in the text, never words. Other
inline tags (`@YB123`, `@T12`, `#$#PROV`…) annotate the words around them and are kept as markup.

The reader is ours rather than `oimdp`'s (OpenITI's own parser): on the development files oimdp finds no
verse in the two older hemistich conventions the corpus still holds (`%` of the JK files, ` ... ` of
Shamela exports), and it returns a tree of its own to walk again; see bench/openiti.py for the figures.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..encoding import decode
from .base import Draft, DraftBlock, Inline, ReadOptions

MAGIC = "######OpenITI#"
# `0792Hafiz.SaqiNamah.PDL00075-per1`: death year (AH), author, work, version and language.
URI = re.compile(r"^(\d{4})([A-Za-z][\w]*)\.([A-Za-z][\w]*)\.([\w]+)-([a-z]{3})(\d+)"
                 r"(?:\.(?:mARkdown|completed|inProgress|md))?$")

_HEADER_END = "#META#Header#End#"
_NUMBERED_FIELD = re.compile(r"^(?:\d{3}\.)?(\S.*?)\s*::\s*(.*)$")
_EMPTY_VALUES = {"", "NODATA", "NOTGIVEN", "NOCODE", "NONE", "9999"}
_HEADING = re.compile(r"^### (\|+)(?:[A-Z]+\|)?\s*(.*)$")
# `### $` opens a biography, `### @` an event, `### $DIC_TOP$` a dictionary entry…: the words follow.
_ENTRY = re.compile(r"^###\s+(?:\$[A-Z_]+\$|\$+|@(?: RAW)?)\s*")
_PAGE = r"PageV[^P\s]+P\d+[AB]?"
_MILESTONE = r"Milestone300|ms[A-Z]?\d+"
_TAG = (r"@[A-Z]{3}@[A-Z]{3,}@[A-Za-z]+@(?:-@[0tf][ftalmr]@)?|@[^@\s]+?@[^_@\s]+?_[^_@\s]+?(?:_[^_@\s]+?)?@"
        r"|@Y[ABDY]\d{1,4}|@(?:TOP|PER|SOC|SRC|T|P|S)\d{1,2}|#\$#(?:PROV|TYPE|REG|STTL|FROM|TOWA|DIST)"
        r"|@MATN@|@HUKM@|\$RWY\$")
_MARKER = re.compile(rf"(?<!\w)({_PAGE}|{_MILESTONE})(?!\w)|({_TAG})")
_HEMISTICH = "%~%"
# Shamela exports part a verse's hemistichs with " ... "; the JK files put `%` around each one.
_SHAMELA_HEMISTICH = re.compile(r"\s\.\.\.\s")
_JK_VERSE = re.compile(r"^%\s")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(([^)\n]*)\)")
_MAX_HEMISTICH_WORDS = 12
_SIDECAR_LIMIT = 1024 * 1024
# Characters XML cannot carry: header fields go into the record's source info, which TEI writes out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# What a metadata field says, by the names the header forms use for it (lower case).
_TITLE_KEYS = ("booktitle", "title", "bk", "الكتاب", "book")
_AUTHOR_KEYS = ("authorname", "author", "auth", "المؤلف")
_FIELDS = {"booktitlesub": "subtitle", "edpublisher": "publisher", "الناشر": "publisher"}
_URL_KEYS = ("liburl", "liburlfile", "url", "libreadonline")
_KEYWORD_KEYS = ("booksubj", "cat")
# ISO 639-3 codes of OpenITI URIs to the BCP 47 tags of the record.
_LANGUAGES = {"ara": "ar", "per": "fa", "fas": "fa", "urd": "ur", "pus": "ps", "eng": "en", "tur": "tr",
              "heb": "he", "syc": "syc", "ota": "ota", "lat": "la"}
# Placeholders of OpenITI's YAML templates, which a file keeps until someone fills them in.
_TEMPLATE = re.compile(r"Fulān|permalink|Althurayya|YEAR-MON-DA|src@|free running comment|name of the annotator"
                       r"|formalized issues|from OpenITI|@id\b|^\s*$|^NO(?:DATA|NE|CODE)$")


def is_openiti(text: str, filename: str = "") -> bool:
    """The magic first line (after a BOM) or a file named by an OpenITI URI, without extension."""
    return text.lstrip("\ufeff").startswith(MAGIC) or URI.match(filename) is not None


def read_openiti(data: bytes, options: ReadOptions) -> Draft:
    decoded = decode(data)
    text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header, body = _split_header(text.split("\n"))
    uri = URI.match(options.filename)
    builder = _Builder()
    for line in body:
        builder.line(line)
    meta, info = _metadata(header, uri, _sidecars(options, uri))
    info["reader"] = "openiti"
    if builder.images:
        info["images"] = builder.images
    return Draft(blocks=builder.finish(), encoding=decoded.encoding, meta=meta, info=info,
                 warnings=list(decoded.warnings), repairs=dict(decoded.repairs))


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The `#META#` lines and the text's lines. A file whose header has no end line keeps every line
    that is not a `#META#` line as text."""
    if lines and lines[0].strip() == MAGIC:
        lines = lines[1:]
    for index, line in enumerate(lines):
        if line.strip() == _HEADER_END:
            return [x for x in lines[:index] if x.startswith("#META#")], lines[index + 1:]
    return [x for x in lines if x.startswith("#META#")], [x for x in lines if not x.startswith("#META#")]


class _Builder:
    """Turns the text's lines into draft blocks: a paragraph stays open across `~~` continuations, verse
    lines gather into one verse block, page marks on a line of their own join the block before them."""

    def __init__(self) -> None:
        self.blocks: list[DraftBlock] = []
        self.open: DraftBlock | None = None
        self.images: list[str] = []
        self.pending: list[Inline] = []  # points met before any text, given to the next block

    def line(self, raw: str) -> None:
        line = raw.strip()
        if not line:
            return
        line = self._images(line)
        if not line:
            return
        heading = _HEADING.match(line)
        if heading:
            self._close()
            self._start("heading", heading.group(2), level=len(heading.group(1)))
            self._close()
        elif _ENTRY.match(line):
            self._close()
            self._paragraph(_ENTRY.sub("", line))
        elif line.startswith("~~"):
            self._continue(line[2:])
        elif line.startswith("#") and not line.startswith(("#$#", "#~:")):
            self._close()
            self._paragraph(line.lstrip("#").strip())
        elif line.startswith("#~:"):
            return  # a morphological pattern: an annotation of the corpus, not the work's words
        elif self.open is None and not self.blocks and not _MARKER.sub("", line).strip():
            self.pending.extend(_inlines(line))
        elif self.open is None and self.blocks and not _MARKER.sub("", line).strip():
            self.blocks[-1].inlines.extend(_inlines(line))  # a page mark on a line of its own
        else:
            self._continue(line)

    def _images(self, line: str) -> str:
        for match in _IMAGE.finditer(line):
            self.images.append(_NOT_XML.sub("", match.group(1)))
        return _IMAGE.sub("", line).strip()

    def _paragraph(self, content: str) -> None:
        hemistichs = _hemistichs(content)
        if hemistichs is None:
            self._start("paragraph", content)
            return
        if self.blocks and self.blocks[-1].type == "verse" and self.open is None:
            self.open = self.blocks.pop()  # the next line of the same poem
            self.open.inlines.append(Inline("\n"))
        elif self.open is None:
            self.open = DraftBlock("verse", list(self.pending))
            self.pending = []
        self.open.inlines.extend(_verse_inlines(hemistichs))
        self._close()

    def _continue(self, content: str) -> None:
        if self.open is None and self.blocks and self.blocks[-1].type in ("paragraph", "verse"):
            self.open = self.blocks.pop()
        if self.open is None:
            self._start("paragraph", content)
            return
        hemistichs = _hemistichs(content) if self.open.type == "verse" else None
        if hemistichs is not None:
            self.open.inlines.append(Inline("\n"))
            self.open.inlines.extend(_verse_inlines(hemistichs))
            self._close()
            return
        self.open.inlines.append(Inline(" "))
        self.open.inlines.extend(_inlines(content))
        if self.open.type == "verse":
            self._close()

    def _start(self, kind: str, content: str, level: int | None = None) -> None:
        self.open = DraftBlock(kind, [*self.pending, *_inlines(content)], level=level)
        self.pending = []

    def _close(self) -> None:
        if self.open is not None:
            self.blocks.append(self.open)
            self.open = None

    def finish(self) -> list[DraftBlock]:
        self._close()
        if self.pending and self.blocks:
            self.blocks[-1].inlines.extend(self.pending)
        return self.blocks


def _hemistichs(content: str) -> list[str] | None:
    """The hemistichs of a verse line, or None for prose. A Shamela ` ... ` is an ellipsis in prose, so it
    parts a verse only once, between two short halves."""
    if _HEMISTICH in content:
        return [h for h in (x.strip() for x in content.split(_HEMISTICH)) if h]
    if _JK_VERSE.match(content):
        parts = [h.strip() for h in content.split("%")]
        return [h for h in parts if h] or None
    halves = _SHAMELA_HEMISTICH.split(content)
    if len(halves) == 2 and all(0 < len(_MARKER.sub("", h).split()) <= _MAX_HEMISTICH_WORDS for h in halves):
        return [h.strip() for h in halves]
    return None


def _verse_inlines(hemistichs: list[str]) -> list[Inline]:
    """One verse line: its hemistichs parted by a tab, the caesura that segment.mark_hemistichs turns
    into hemistich spans (a verse number that ends the line is not a hemistich: a space parts it)."""
    inlines: list[Inline] = []
    for index, hemistich in enumerate(hemistichs):
        if index:
            inlines.append(Inline(" " if hemistich.isdigit() else "\t"))
        inlines.extend(_inlines(hemistich))
    return inlines


def _inlines(content: str) -> list[Inline]:
    """Text runs with one space where the source had any, and a point run for each page mark, milestone
    and inline tag, so none of them is left in the words. A point stands right after the word before it."""
    inlines: list[Inline] = []
    space = False  # white space seen since the last word, written only if another word follows
    position = 0
    for match in [*_MARKER.finditer(content), None]:
        piece = content[position:match.start() if match else len(content)]
        core = " ".join(piece.split())
        if core:
            lead = " " if (space or piece[:1].isspace()) and any(i.text for i in inlines) else ""
            inlines.append(Inline(lead + core))
            space = piece[-1:].isspace()
        else:
            space = space or bool(piece)
        if match is None:
            break
        inlines.append(Inline("", point=_point(match)))
        position = match.end()
    return inlines


def _point(match: re.Match[str]) -> tuple[str, str | None]:
    token = match.group(0)
    if match.group(1) is None:
        return "tag", token
    if token.startswith("Page"):
        return "page", token[len("Page"):]
    return "milestone", token.removeprefix("Milestone").removeprefix("ms")


def _header_fields(header: list[str]) -> dict[str, str]:
    """Field name -> value, in both header forms; the first non-empty value of a field wins."""
    fields: dict[str, str] = {}
    for line in header:
        content = _NOT_XML.sub("", line[len("#META#"):]).strip()
        numbered = _NUMBERED_FIELD.match(content)
        if numbered:
            key, value = numbered.group(1), numbered.group(2)
        elif ":" in content:
            key, _, value = content.partition(":")
        else:
            continue
        value = value.replace("¶", " ").strip()
        key = key.strip()
        if key and value not in _EMPTY_VALUES and key not in fields:
            fields[key] = value
    return fields


def _sidecars(options: ReadOptions, uri: re.Match[str] | None) -> dict[str, str]:
    """Fields of the YAML files OpenITI keeps beside a text: the version's (`<URI>.yml`), the work's and
    the author's, where present and filled in."""
    if not options.path or uri is None:
        return {}
    folder = os.path.dirname(options.path)
    author = uri.group(1) + uri.group(2)
    names = [f"{options.filename}.yml", f"{author}.{uri.group(3)}.yml", f"{author}.yml"]
    fields: dict[str, str] = {}
    for name in names:
        path = os.path.join(folder, name)
        try:
            if os.path.getsize(path) > _SIDECAR_LIMIT:
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                fields.update(_yaml_fields(handle.read()))
        except OSError:
            continue
    return fields


def _yaml_fields(text: str) -> dict[str, str]:
    """OpenITI's YAML is flat: `KEY: value` with indented continuation lines; no library needed."""
    fields: dict[str, str] = {}
    key = ""
    for line in _NOT_XML.sub("", text).split("\n"):
        if line[:1].isspace() and key:
            fields[key] = f"{fields[key]} {line.strip()}".strip()
            continue
        name, sep, value = line.partition(":")
        if sep and "#" in name:
            key = name.strip()
            fields[key] = value.strip()
    return {k: v for k, v in fields.items() if not _TEMPLATE.search(v)}


def _metadata(header: list[str], uri: re.Match[str] | None,
              sidecar: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = _header_fields(header)
    lowered = {k.lower(): v for k, v in fields.items()}
    meta: dict[str, Any] = {}
    title = _first(lowered, _TITLE_KEYS) or _sidecar(sidecar, "#BOOK#TITLEA")
    author = _first(lowered, _AUTHOR_KEYS) or _sidecar(sidecar, "#AUTH#SHUHRA")
    if uri is not None:
        title = title or _words_of(uri.group(3))
        author = author or _words_of(uri.group(2))
        lang = _LANGUAGES.get(uri.group(5))
        if lang:
            meta["lang"] = lang
    if title:
        meta["title"] = title
    if author:
        meta["authors"] = [author]
    for key, target in _FIELDS.items():
        if lowered.get(key):
            meta[target] = lowered[key]
    urls = [lowered[k] for k in _URL_KEYS if lowered.get(k, "").startswith(("http://", "https://"))]
    based = _sidecar(sidecar, "#VERS#BASED")
    if based and based.startswith(("http://", "https://")):
        urls.append(based)
    if urls:
        meta["urls"] = list(dict.fromkeys(urls))
    keywords = [k.strip() for key in _KEYWORD_KEYS for k in lowered.get(key, "").split("::") if k.strip()]
    if keywords:
        meta["keywords"] = keywords
    info: dict[str, Any] = {"format": "OpenITI mARkdown"}
    if uri is not None:
        info["uri"] = uri.group(0)
        info["author_died_ah"] = int(uri.group(1))
    if fields:
        info["header"] = fields
    return meta, info


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((fields[k] for k in keys if fields.get(k)), None)


def _sidecar(fields: dict[str, str], key: str) -> str | None:
    """The first filled-in field whose name holds `key` (`10#BOOK#TITLEA#AR`, `10#AUTH#SHUHRA#EN`…)."""
    return next((v for k, v in fields.items() if key in k and v), None)


def _words_of(name: str) -> str:
    """`IbnSina` -> `Ibn Sina`: URIs write names in camel case."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
