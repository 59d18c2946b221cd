"""Markdown reader: a real CommonMark parser turns syntax and escapes into structure.

Nothing of the Markdown syntax (`**`, `#`, `\\*`, link brackets) may reach the record's text; emphasis,
links and code become inline marks, headings and lists become blocks.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..encoding import decode
from .base import Draft, DraftBlock, Inline, ReadOptions
from .text import looks_like_heading, text_to_blocks

# Past maxNesting markdown-it silently skips the rest of the document; CommonMark's 20 levels are
# reached by a list indented ten deep. 100 stays far below Python's recursion limit.
_PARSER = MarkdownIt("commonmark", {"maxNesting": 100})
# Where one of the parser's inline rules can start: a line break, an escape, a code span, emphasis, a
# link or image, an autolink or inline HTML, an entity. Other characters only ever extend the text.
_INLINE_SYNTAX = re.compile(r"[\n\\`*_\[!<&]")
# The text rule runs on to the next character an inline rule may start at, or to a "]", which a link's
# label is looked for by stepping through the text. markdown-it's default list also stops at characters
# kept for extensions ("-", ":", "#", "+"…); at each, every rule is tried in vain and the character
# joins the text anyway, one Python round per character.
_PARSER.inline.terminator_re = re.compile(r"[\n\\`*_\[\]!<&]")
# markdown-it looks for a link's label by stepping over every nested "[" again at each level, so text
# nested thousands deep costs seconds to minutes. No real link label nests this deep.
_MAX_LABEL_NESTING = 100
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")
_WORD_CHAR = re.compile(r"[^\W_]")

_CONTAINER_TYPES = {"blockquote_open": "quote", "list_item_open": "list_item"}
_MARK_OF = {"em_open": "emphasis", "strong_open": "strong", "s_open": "emphasis"}


def _parse_inlines(state: StateCore) -> None:
    """markdown-it's inline stage, except that a run with no inline syntax at all becomes its one text
    token directly, as the parser would make it: most runs of a file are such plain text, and each
    would otherwise cost a parser state and a turn of every inline rule at every stop."""
    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if not content:
            continue
        if _INLINE_SYNTAX.search(content) is None:
            token.children.append(Token("text", "", 0, content=content))
        elif content.count("[") > _MAX_LABEL_NESTING and _bracket_depth(content) > _MAX_LABEL_NESTING:
            token.children.append(Token("text", "", 0, content=content))
            state.env["too_deep"] = True
        else:
            md.inline.parse(content, md, state.env, token.children)


_PARSER.core.ruler.at("inline", _parse_inlines)

# The rest of a thematic-break line after its first marker: more of the same marker, spaces and tabs.
_BREAK_REST = {marker: re.compile(rf"[ \t{re.escape(marker)}]*") for marker in "*-_"}


def _thematic_break(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's `hr` rule with the line scanned by a regex instead of a Python loop per character:
    the rule is tried again at each level of a nested list, so a line of 100,000 list markers
    ("- - - … words") cost seconds."""
    if state.is_code_block(start_line):
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    if pos >= maximum or state.src[pos] not in _BREAK_REST:
        return False
    marker = state.src[pos]
    if not _BREAK_REST[marker].fullmatch(state.src, pos + 1, maximum):
        return False
    count = state.src.count(marker, pos, maximum)
    if count < 3:
        return False
    if silent:
        return True
    state.line = start_line + 1
    token = state.push("hr", "hr", 0)
    token.map = [start_line, state.line]
    token.markup = marker * (count + 1)
    return True


_PARSER.block.ruler.at("hr", _thematic_break, {"alt": ["paragraph", "reference", "blockquote", "list"]})


def _bracket_depth(text: str) -> int:
    """The deepest nesting of square brackets in a run of text."""
    depth = deepest = 0
    for char in text:
        if char == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "]" and depth:
            depth -= 1
    return deepest


def read_markdown(data: bytes, options: ReadOptions) -> Draft:
    decoded = decode(data)
    warnings = list(decoded.warnings)
    text = _escape_footnote_definitions(decoded.text)
    env: dict[str, bool] = {}
    tokens = _PARSER.parse(text, env)
    if env.get("too_deep"):
        warnings.append("square brackets nested deeper than any link label; that text was read as plain text")
    if _skipped_lines(text, tokens):
        blocks = text_to_blocks(decoded.text)
        warnings.append("Markdown nested deeper than the parser follows; read as plain text so no text is lost")
    else:
        blocks = footnotes(promote_title(_blocks(tokens)))
    return Draft(blocks=blocks, encoding=decoded.encoding, warnings=warnings,
                 repairs=dict(decoded.repairs), info={"reader": "markdown-it-py"})


def _skipped_lines(text: str, tokens: list[Token]) -> bool:
    """Whether a line with words in it belongs to no leaf token: the parser gave up on it."""
    lines = text.splitlines()
    uncovered = set(range(len(lines)))
    for token in tokens:
        if token.map and token.type in ("inline", "fence", "code_block", "html_block"):
            uncovered.difference_update(range(token.map[0], token.map[1]))
    # Only the lines no leaf token holds (blank ones, mostly) are looked at.
    return any(
        _WORD_CHAR.search(lines[i]) and not _LINK_DEFINITION.match(lines[i]) for i in sorted(uncovered)
    )


def markdown_to_blocks(text: str) -> list[DraftBlock]:
    return footnotes(_blocks(_PARSER.parse(_escape_footnote_definitions(text))))


# Footnotes as pandoc, GitHub and markdown-it's plugin write them: "text[^1]" calls the note
# "[^1]: words", which may stand anywhere and run on over following lines.
_FOOTNOTE_DEFINITION = re.compile(r"^( {0,3})\[\^([^\]\s]+)\]:", re.MULTILINE)
_FOOTNOTE_OPENING = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
_FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")


def _escape_footnote_definitions(text: str) -> str:
    """CommonMark reads "[^1]: Ibid." as a link definition and drops it: escaped, and parted from the
    line before by a blank line, each definition is a paragraph of its own, which `footnotes` then
    turns into a note."""
    if "[^" not in text:
        return text
    return _FOOTNOTE_DEFINITION.sub(lambda m: f"\n{m.group(1)}\\[^{m.group(2)}]:", text)


def footnotes(blocks: list[DraftBlock]) -> list[DraftBlock]:
    """A paragraph opening with "[^label]:" is the note with that label (the marker leaves its text);
    each "[^label]" elsewhere is a note call showing its label."""
    if not any("[^" in i.text for b in blocks for i in b.inlines):
        return blocks
    for block in blocks:
        first = block.inlines[0] if block.inlines else None
        opening = _FOOTNOTE_OPENING.match(first.text) if first is not None and block.type == "paragraph" else None
        if first is not None and opening is not None:
            block.type, block.label = "note", opening.group(1)
            block.inlines[0] = Inline(first.text[opening.end():], first.marks, first.href, first.lang)
        block.inlines = [piece for inline in block.inlines for piece in _calls(inline)]
    return blocks


def _calls(inline: Inline) -> list[Inline]:
    if "code" in inline.marks or "[^" not in inline.text:
        return [inline]
    out: list[Inline] = []
    position = 0
    for match in _FOOTNOTE_CALL.finditer(inline.text):
        if match.start() > position:
            out.append(Inline(inline.text[position:match.start()], inline.marks, inline.href, inline.lang))
        out.append(Inline(match.group(1), (*inline.marks, "noteref"), inline.href, inline.lang))
        position = match.end()
    if position < len(inline.text):
        out.append(Inline(inline.text[position:], inline.marks, inline.href, inline.lang))
    return out


def _blocks(tokens: list[Token]) -> list[DraftBlock]:
    """Walk the token stream; a paragraph inside a list item or block quote takes that container's type."""
    blocks: list[DraftBlock] = []
    containers: list[str] = []
    pending_heading: int | None = None
    for token in tokens:
        kind = token.type
        if kind == "inline":
            inlines = _inlines(token.children or [])
            if not "".join(i.text for i in inlines).strip():
                pending_heading = None
                continue
            if pending_heading is not None:
                blocks.append(DraftBlock("heading", inlines, level=pending_heading))
                pending_heading = None
            else:
                block_type = containers[-1] if containers else "paragraph"
                blocks.append(DraftBlock(block_type, inlines))
        elif kind in _CONTAINER_TYPES:
            containers.append(_CONTAINER_TYPES[kind])
        elif kind in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif kind == "heading_open":
            pending_heading = int(token.tag[1])
        elif kind in ("fence", "code_block") and token.content.strip():
            blocks.append(DraftBlock("paragraph", [Inline(token.content.rstrip("\n"), ("code",))]))
        elif kind == "html_block" and token.content.strip():
            blocks.append(DraftBlock("paragraph", [Inline(token.content.strip())]))
    return blocks


def promote_title(blocks: list[DraftBlock]) -> list[DraftBlock]:
    """Many Markdown files carry their title as a bare first line; without a level-1 heading of its
    own, a first paragraph shaped like a heading is taken as one."""
    if not blocks or any(b.type == "heading" and b.level == 1 for b in blocks):
        return blocks
    first = blocks[0]
    if first.type == "paragraph" and "\n" not in first.text and looks_like_heading(first.text.strip()):
        first.type, first.level = "heading", 1
    return blocks


def _inlines(children: list[Token]) -> list[Inline]:
    out: list[Inline] = []
    stack: list[str] = []
    # Open marks are counted, not listed: thousands of nested `*` would make every run's marks
    # thousands long, and reading the file quadratic.
    counts: Counter[str] = Counter()
    hrefs: list[str] = []
    marks: tuple[str, ...] = ()  # the marks open now, in the order their kinds first opened
    for child in children:
        kind = child.type
        if kind in ("text", "html_inline"):  # most runs: nothing opens or closes
            out.append(Inline(child.content, marks, hrefs[-1] if hrefs else None))
            continue
        if kind in _MARK_OF:
            stack.append(_MARK_OF[kind])
            counts[stack[-1]] += 1
        elif kind in ("em_close", "strong_close", "s_close"):
            if stack:
                counts[stack.pop()] -= 1
        elif kind == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
            stack.append("link")
            counts["link"] += 1
        elif kind == "link_close":
            if hrefs:
                hrefs.pop()
            if counts["link"] > 0:
                # links do not nest, so the open link is near the top of the stack
                del stack[len(stack) - 1 - stack[::-1].index("link")]
                counts["link"] -= 1
        elif kind == "code_inline":
            out.append(Inline(child.content, (*marks, "code"), hrefs[-1] if hrefs else None))
            continue
        elif kind == "softbreak":
            out.append(Inline(" ", marks, hrefs[-1] if hrefs else None))
            continue
        elif kind == "hardbreak":
            out.append(Inline("\n", marks, hrefs[-1] if hrefs else None))
            continue
        elif kind == "image":
            out.append(Inline(child.content or "", marks))
            continue
        marks = tuple(mark for mark, n in counts.items() if n > 0)
    return out
