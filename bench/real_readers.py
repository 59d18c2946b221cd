"""TEI, EPUB and DOCX readers on the real development files of ../shared/real (see its README).

    python bench/real_readers.py

TEI (`real/tei`): each file is ingested whole; the words of the reading text of `<body>` (or of `<text>`
when there is no body), without deletions, sic, original spellings, abbreviations, variant readings,
forme work, figure descriptions, interpretations, certainty, gaps and notes, block elements kept apart,
are looked up in the
record's blocks as a multiset: the share found is the coverage. Words of the record found nowhere in
`<text>` are counted too. EPUB and DOCX (`real/epub`): a refusal is wrong; of a file that is read, the
words of its XHTML bodies (or of the DOCX's `w:t` runs) missing from the record are counted.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lxml import etree  # noqa: E402

from archive.errors import IngestError  # noqa: E402
from archive.pipeline import ingest_file  # noqa: E402
from archive.readers.safe_xml import xml_parser  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
NOT_READING = {f"{TEI}{n}" for n in ("del", "sic", "orig", "abbr", "rdg", "fw", "figDesc", "interp", "interpGrp",
                                     "certainty", "gap", "note", "teiHeader", "timeline")}
# Elements that are blocks of their own: a space after each, as the record's blocks are apart (the source
# often writes `<byline>…</byline><p>…` with nothing between, which would join two words).
BLOCKS = {f"{TEI}{n}" for n in ("p", "ab", "head", "l", "lg", "div", "item", "label", "list", "quote", "cit", "u",
                                "sp", "speaker", "stage", "byline", "dateline", "entry", "entryFree", "sense",
                                "floatingText", "body", "text", "group", "figure", "cell", "row", "closer")}
WORD = re.compile(r"\w+")


def real_folder(name: str) -> Path | None:
    root = Path(__file__).resolve().parents[1]
    for shared in (root.parent / "shared", root.parent.parent / "shared"):
        if (shared / "real" / name).is_dir():
            return shared / "real" / name
    return None


def _reading(el: etree._Element, out: list[str]) -> None:
    if isinstance(el.tag, str) and el.tag not in NOT_READING:
        out.append(el.text or "")
        for child in el:
            _reading(child, out)
            if child.tag in BLOCKS:
                out.append(" ")
    out.append(el.tail or "")


def tei_words(root: etree._Element) -> Counter[str]:
    bodies = [b for b in root.iter(f"{TEI}body") if not any(a.tag == f"{TEI}body" for a in b.iterancestors())]
    parts = bodies or [t for t in root.iter(f"{TEI}text") if t.getparent().tag != f"{TEI}text"]
    out: list[str] = []
    for part in parts:
        out.append(part.text or "")
        for child in part:
            _reading(child, out)
            out.append(" ")
    return Counter(WORD.findall("".join(out)))


def tei() -> None:
    folder = real_folder("tei")
    print("TEI (shared/real/tei): body words found in the record\n")
    if folder is None:
        print("shared/real/tei is not beside this checkout; skipped")
        return
    total = found_all = refused = 0
    for path in sorted(folder.glob("*.xml")):
        root = etree.fromstring(path.read_bytes(), xml_parser(recover=True))
        source = tei_words(root)
        anywhere = Counter(WORD.findall(" ".join(" ".join(t.itertext()) for t in root.iter(f"{TEI}text"))))
        total += sum(source.values())
        try:
            record = ingest_file(path)
        except IngestError as error:
            refused += 1
            print(f"{path.name:34} refused: {error}")
            continue
        got = Counter(WORD.findall("\n".join(b.text for b in record.blocks)))
        found = sum((source & got).values())
        found_all += found
        extra = sum((got - anywhere).values())
        print(f"{path.name:34} {found:6}/{sum(source.values()):<6} {found / max(1, sum(source.values())):7.2%}"
              f"   words not in <text>: {extra:3}   language {record.main_language}   warnings {len(record.warnings)}")
    print(f"\nall: {found_all}/{total} = {found_all / max(1, total):.2%}; refused {refused}")


def epub_and_docx() -> None:
    folder = real_folder("epub")
    print("\nEPUB and DOCX (shared/real/epub): refusals and source words missing from the record\n")
    if folder is None:
        print("shared/real/epub is not beside this checkout; skipped")
        return
    for path in sorted(folder.iterdir()):
        source: Counter[str] = Counter()
        with zipfile.ZipFile(path) as package:
            if path.suffix == ".epub":
                for name in package.namelist():
                    if name.endswith((".xhtml", ".html")):
                        body = etree.fromstring(package.read(name)).find(".//{*}body")
                        if body is not None:
                            source.update(WORD.findall(" ".join(body.itertext())))
            else:
                root = etree.fromstring(package.read("word/document.xml"))
                source.update(WORD.findall(" ".join(t.text or "" for t in root.iter("{*}t"))))
        try:
            record = ingest_file(path)
        except IngestError as error:
            print(f"{path.name:32} refused: {error}")
            continue
        text = "\n".join(b.text for b in record.blocks)
        # A word the source runs into a neighbour (a line number in a span) is found inside a token.
        missing = [w for w in source if w not in text]
        print(f"{path.name:32} read: {len(record.blocks)} blocks, {sum(source.values())} source words, "
              f"{len(missing)} missing {missing[:5]}")


if __name__ == "__main__":
    tei()
    epub_and_docx()
