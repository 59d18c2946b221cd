"""OpenITI mARkdown: the archive's reader scored on real corpus files, and against oimdp, OpenITI's parser.

    python bench/openiti.py [FOLDER]      (default: ../shared/real/openiti beside the repository)

Scored as shared/real/README.md says, per file: the media type it is read as; title and author against
the `#META#` header (`-` where the header names none); mARkdown markers left in the record's text
(ideally 0); verse lines of the source (`%~%`, `%`-framed JK lines, Shamela ` ... ` couplets) against
the record's verse lines; `### |` headings against heading blocks; the main language against the URI's
language; and the share of the source's words (markup stripped) found in the record, as multisets.
The same verse and word counts are taken of oimdp's parse (`pip install oimdp`), with the time each
parser alone takes per file (ours: the reader, before normalization and detection; best of 5, one core).
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from archive.pipeline import ingest_file
from archive.readers.base import ReadOptions
from archive.readers.openiti import URI, read_openiti

ROOT = Path(__file__).resolve().parent.parent
LEAKS = {
    "magic": re.compile(r"######OpenITI#"), "meta": re.compile(r"#META#"), "page": re.compile(r"PageV\w+P\d"),
    "milestone": re.compile(r"(?<!\w)ms\d+|Milestone300"), "continuation": re.compile(r"~~"),
    "hemistich": re.compile(r"%~%|(?:^|\s)%(?:\s|$)"), "heading": re.compile(r"### \|"),
    "paragraph": re.compile(r"(?m)^# "), "image": re.compile(r"!\[[^\]]*\]\("),
}
MARKUP = re.compile(r"######OpenITI#|PageV\w+P\d+[AB]?|(?<!\w)ms[A-Z]?\d+|Milestone300|~~|%~%|%|### \|+|"
                    r"!\[[^\]]*\]\([^)]*\)|(?:^|\s)\.\.\.(?=\s)|^#+", re.MULTILINE)
WORD = re.compile(r"\w+")
FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
LANGS = {"ara": "ar", "per": "fa"}
TITLE_KEYS = ("booktitle", "title", "bk", "الكتاب")
AUTHOR_KEYS = ("authorname", "author", "auth")


def header_and_body(text: str) -> tuple[dict[str, str], list[str]]:
    lines = text.lstrip("\ufeff").split("\n")
    end = next((i for i, line in enumerate(lines) if line.strip() == "#META#Header#End#"), 0)
    fields: dict[str, str] = {}
    for line in lines[:end]:
        if line.startswith("#META#"):
            body = line[6:].strip()
            key, _, value = body.partition("::") if "::" in body else body.partition(":")
            key = re.sub(r"^\d{3}\.", "", key.strip()).lower()
            if value.strip() not in ("", "NODATA") and key not in fields:
                fields[key] = value.strip()
    return fields, lines[end + 1:] if end else lines[1:]


def source_verse_lines(body: list[str]) -> int:
    return sum(1 for line in body if "%~%" in line or line.startswith("# %") or " ... " in line)


def words(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFC", text).translate(FOLD)
    return Counter(WORD.findall(text))


def share(source: Counter[str], found: Counter[str]) -> float:
    total = sum(source.values())
    return sum(min(n, found[w]) for w, n in source.items()) / total if total else 1.0


def best_time(function: object, *args: object) -> float:
    times = []
    for _ in range(5):
        began = time.perf_counter()
        function(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return min(times)


def oimdp_counts(text: str) -> tuple[int, str, float] | None:
    try:
        import oimdp
        from oimdp import structures
    except ImportError:
        return None
    document = oimdp.parse(text)
    verses = sum(isinstance(c, structures.Verse) for c in document.content)
    pieces = [getattr(c, "text_only", None) or getattr(c, "value", "") for c in document.content]
    return verses, "\n".join(p for p in pieces if isinstance(p, str)), best_time(oimdp.parse, text)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "real" / "openiti"
    if not folder.is_dir():
        folder = ROOT.parent.parent / "shared" / "real" / "openiti"
    files = sorted(p for p in folder.iterdir() if URI.match(p.name))
    print(f"{'file':<52} {'type':<8} {'title':<5} {'author':<6} {'leaks':<5} {'verse':<9} {'heads':<7} "
          f"{'lang':<6} {'words':<7} {'ms':<6}| oimdp: {'verse':<6} {'words':<7} {'ms':<6}")
    totals: Counter[str] = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        fields, body = header_and_body(text)
        record = ingest_file(path)
        ours = "\n".join(b.text for b in record.blocks)
        title = next((fields[k] for k in TITLE_KEYS if k in fields), None)
        author = next((fields[k] for k in AUTHOR_KEYS if k in fields), None)
        title_ok = "-" if title is None else str(record.metadata.title == title)[0]
        author_ok = "-" if author is None else str(any(a.name == author for a in record.metadata.authors))[0]
        leaks = sum(len(p.findall(ours)) for p in LEAKS.values())
        verse_source = source_verse_lines(body)
        verse_ours = sum(len(b.lines) for b in record.blocks if b.type == "verse")
        heads_source = sum(1 for line in body if line.startswith("### |"))
        heads_ours = sum(1 for b in record.blocks if b.type == "heading")
        match = URI.match(path.name)
        lang_ok = str(match is not None and record.main_language == LANGS.get(match.group(5)))[0]
        source_words = words(MARKUP.sub(" ", "\n".join(body)))
        ours_share = share(source_words, words(ours))
        ours_ms = best_time(read_openiti, path.read_bytes(), ReadOptions(filename=path.name)) * 1000
        other = oimdp_counts(text)
        other_cols = (f"{other[0]:<6} {share(source_words, words(other[1])):<7.1%} {other[2] * 1000:<6.1f}"
                      if other else "not installed")
        print(f"{path.name:<52} {record.source.media_type.split('/')[-1][:8]:<8} {title_ok:<5} {author_ok:<6} "
              f"{leaks:<5} {f'{verse_ours}/{verse_source}':<9} {f'{heads_ours}/{heads_source}':<7} {lang_ok:<6} "
              f"{ours_share:<7.1%} {ours_ms:<6.1f}| {other_cols}")
        totals["verse_source"] += verse_source
        totals["verse_ours"] += verse_ours
        totals["leaks"] += leaks
        if other:
            totals["verse_oimdp"] += other[0]
    print(f"verse lines: ours {totals['verse_ours']}, oimdp {totals['verse_oimdp']}, source {totals['verse_source']}; "
          f"markers left in text: {totals['leaks']}")


if __name__ == "__main__":
    main()
