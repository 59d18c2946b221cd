"""One small, honest document of every format the archive reads, for tests that must cover them all.

The fuzz, round-trip and nothing-lost tests mutate or convert these; building them here (from the
same helpers the reader tests use) keeps the corpus in one place and every format represented.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from archive.exporters.tei import tei_bytes
from records import all_records
from test_docx_reader import make_docx
from test_epub_reader import make_epub
from test_html_reader import JSON_LD, NEWS
from warcs import make_warc

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

TEXT_FA = (
    "گزارش مرز\n\n"
    "کابل پایتخت افغانستان است و مردم آن به زبان‌های دری و پشتو سخن می‌گویند.\n\n"
    "The border was closed in October; trade fell by half.\n"
).encode()

MARKDOWN = (
    "# Border notes\n\n"
    "The *border* was **closed** in October, see [the report](https://example.org/r).\n\n"
    "> من می‌خواهم کتاب‌ها را بخوانم\n\n"
    "- first point\n- second point with `code`\n\n"
    "## قال الراوي\n\n"
    "إِنَّ مَعَ الْعُسْرِ يُسْرًا\n"
).encode()

XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>Notes</title></head>\n'
    '<body><h1>Notes</h1><p>The border <em>closed</em>.</p>'
    '<p lang="fa" dir="rtl">من می‌خواهم کتاب‌ها را بخوانم</p></body></html>\n'
).encode()

TEI_OTHER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Travels</title>'
    "</titleStmt><publicationStmt><p>none</p></publicationStmt><sourceDesc><p>none</p></sourceDesc>"
    '</fileDesc></teiHeader><text><body><div><head>Chapter one</head>'
    '<p>We met a <hi>dervish</hi> who said <foreign xml:lang="fa">درود بر تو</foreign>.</p>'
    '<lg><l>یک</l><l>دو</l></lg><note>A wandering mystic.</note></div></body></text></TEI>\n'
).encode()

# OpenITI mARkdown: a header in both forms, nested headings, a paragraph continued over a page mark and
# a milestone, verse with hemistichs, an inline tag.
OPENITI = (
    "\ufeff######OpenITI#\n\n"
    "#META# 020.BookTITLE\t:: ساقی‌نامه\n"
    "#META# 020.BookTITLESUB\t:: NODATA\n"
    "#META# auth: حافظ شیرازی\n\n"
    "#META#Header#End#\n\n"
    "### | دیباچه\n"
    "# این کتاب در شیراز نوشته شد و @YB726 شاعر آن را\n"
    "~~ در جوانی سرود. PageV01P002\n"
    "### || ساقی‌نامه\n"
    "# بیا ساقی آن می که حال آورد %~% کرامت فزاید کمال آورد\n"
    "# به من ده که بس بی‌دل افتاده‌ام %~% وز این هر دو بی‌حاصل ms1 افتاده‌ام\n"
).encode()


@cache
def samples() -> dict[str, bytes]:
    """File name -> bytes: at least one document of every readable format (txt, md, html, xhtml,
    pdf, docx, epub, TEI from elsewhere and the archive's own TEI)."""
    found: dict[str, bytes] = {
        "notes.txt": TEXT_FA,
        "notes.md": MARKDOWN,
        "news.html": (NEWS % json.dumps(JSON_LD)).encode("utf-8"),
        "notes.xhtml": XHTML,
        "report.docx": make_docx(),
        "book.epub": make_epub(),
        "travels.xml": TEI_OTHER,
        "own.tei.xml": tei_bytes(all_records()[0]),
        "0792Hafiz.SaqiNamah.Sample-per1": OPENITI,
        "crawl.warc.gz": make_warc(),
        "crawl.warc": make_warc(gzip=False),
    }
    for name in ("latin.pdf", "persian.pdf", "arabic_lo.pdf"):
        found[name] = (DATA / "pdf" / name).read_bytes()
    return found


def seed_paths() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.is_file() and not p.name.startswith("."))
