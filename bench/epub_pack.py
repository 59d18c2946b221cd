"""Time and memory of building one EPUB reading pack of 200 records, against pandoc on the same texts.

    python bench/epub_pack.py [--records 200] [--keep DIR]
    python bench/epub_pack.py --screenshot docs/epub-chapter.png

The records are generated (seeded, so every run builds the same ones): English articles with Persian
and Arabic runs and a Persian verse, whole Persian, Arabic (with harakat) and Urdu articles, about 5 KB
of text each. Both builds run as child processes so that their peak resident memory is measured the
same way (os.wait4). Ours loads the records from JSON, as `archive export` does from a bundle;
pandoc reads the same documents as Markdown with the same language and direction attributes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive.exporters.epub import write_epub
from archive.record import (
    Block,
    DateValue,
    Event,
    LanguageShare,
    Metadata,
    Person,
    Record,
    Source,
    Span,
)

EN = [
    "Cross-border attacks have increased sharply since the collapse of the ceasefire in November.",
    "Officials in Islamabad accused the authorities in Kabul of sheltering militant commanders.",
    "The report, presented to the Security Council, describes logistical and financial support.",
    "Analysts note that the alliance between the two movements rests on shared ideology and kinship.",
    "Trade through the Torkham crossing fell by a third during the first quarter of the year.",
    "Refugees returning from Pakistan describe long queues and arbitrary fees at the border.",
    "The district administration reported 24 incidents in the month, most of them at night.",
]
FA = [
    "درگیری‌ها میان دو کشور در امتداد خط دیورند در ماه‌های اخیر شدت گرفته است.",
    "به گزارش رسانه‌های محلی، صدها خانواده از روستاهای مرزی به شهرها پناه برده‌اند.",
    "کارشناسان می‌گویند که راه حل نظامی به تنهایی نمی‌تواند امنیت پایدار بیاورد.",
    "بازرگانان از بسته شدن گذرگاه‌ها و زیان‌های سنگین اقتصادی شکایت دارند.",
    "نمایندگان دو طرف قرار است هفته آینده در کابل دیدار کنند.",
]
AR = [
    "قَالَ الْمُتَحَدِّثُ إِنَّ الْوَضْعَ عَلَى الْحُدُودِ مُسْتَقِرٌّ نِسْبِيًّا.",
    "وَأَشَارَ التَّقْرِيرُ إِلَى تَزَايُدِ الْهَجَمَاتِ خِلَالَ الْأَشْهُرِ الْأَخِيرَةِ.",
    "دعت الحكومة إلى الحوار وضبط النفس من جميع الأطراف المعنية.",
    "وتشير الأرقام إلى ارتفاع عدد الضحايا المدنيين بشكل ملحوظ.",
]
UR = [
    "سرحد پر کشیدگی میں اضافہ ہوا ہے اور دونوں ممالک نے فوجی دستے تعینات کیے ہیں۔",
    "مقامی تاجروں کا کہنا ہے کہ راستے بند ہونے سے کاروبار شدید متاثر ہوا ہے۔",
    "حکام کے مطابق مذاکرات کا اگلا دور آئندہ ہفتے اسلام آباد میں ہوگا۔",
]
VERSE = "\n".join(
    [
        "چو کشور نباشد تن من مباد",
        "بدین بوم و بر زنده یک تن مباد",
        "همه سر به سر تن به کشتن دهیم",
        "از آن به که کشور به دشمن دهیم",
    ]
)
TARGET_BYTES = 5000


def _para(rng: random.Random, pool: list[str], n: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(n))


def generate(count: int, seed: int = 7) -> list[Record]:
    """Seeded records of four kinds, each about 5 KB of text."""
    rng = random.Random(seed)
    kinds = ["en", "fa", "ar", "ur"]
    records = []
    for n in range(count):
        kind = "en" if n % 5 in (0, 1) else kinds[n % 5 - 1]
        pool, lang = {"en": (EN, "en"), "fa": (FA, "fa"), "ar": (AR, "ar"), "ur": (UR, "ur")}[kind]
        direction = "ltr" if kind == "en" else "rtl"
        script = "Latn" if kind == "en" else "Arab"
        blocks: list[Block] = []
        size = 0
        b = 0

        def add(block_type: str, text: str, blocks: list[Block] = blocks,
                defaults: tuple[str, str, str] = (lang, script, direction), **kw: object) -> None:
            nonlocal size, b
            b += 1
            attrs: dict = dict(zip(("lang", "script", "dir"), defaults, strict=True))
            attrs.update(kw)
            blocks.append(Block(f"b{b}", block_type, text, **attrs))  # type: ignore[arg-type]
            size += len(text.encode("utf-8"))

        title = f"{pool[n % len(pool)].split('.')[0].split('،')[0][:60]} ({n + 1})"
        add("heading", title, level=1)
        while size < TARGET_BYTES:
            roll = rng.random()
            if kind == "en" and roll < 0.25:
                fa = rng.choice(FA)
                text = f"{_para(rng, EN, 2)} A local paper wrote: {fa} The claim, made on 12 January, was denied."
                start = text.index(fa)
                add("paragraph", text, spans=[Span(start, start + len(fa), "foreign", "fa", "Arab", "rtl")])
            elif kind == "en" and roll < 0.35:
                ar = rng.choice(AR[:2])
                text = f"The spokesman's words, {ar}, were repeated on television (see https://example.org/{n})."
                start = text.index(ar)
                add("paragraph", text, spans=[Span(start, start + len(ar), "foreign", "ar", "Arab", "rtl")])
            elif roll < 0.42:
                add("verse", VERSE, lang="fa", script="Arab", dir="rtl")
            elif roll < 0.5:
                add("heading", _para(rng, pool, 1)[:50], level=2)
            elif roll < 0.55:
                add("quote", _para(rng, pool, 1))
            elif roll < 0.6:
                add("list_item", _para(rng, pool, 1), label="•")
            else:
                add("paragraph", _para(rng, pool, rng.randint(2, 5)))
        add("heading", "References", level=2, lang="en", script="Latn", dir="ltr")
        for r in range(1, 4):
            add("reference", f"[{r}] Report {r}, https://example.org/report/{n}/{r}, accessed 2025-01-1{r}.",
                label=f"[{r}]", lang="en", script="Latn", dir="ltr")
        add("boilerplate", "Share this article: Facebook | Twitter | WhatsApp", lang="en", script="Latn", dir="ltr")
        shares = [LanguageShare(lang, 0.9), LanguageShare("en" if kind != "en" else "fa", 0.1)]
        sha = f"{n:016x}" + "ab" * 24
        records.append(
            Record(
                id=f"r{sha[:16]}",
                source=Source(f"doc{n:03d}.txt", size, sha, "text/plain"),
                metadata=Metadata(
                    title=title,
                    title_lang=lang,
                    authors=[Person(f"Author {n % 17}", "Institute of Border Studies")],
                    dates=[DateValue(f"2025-01-{n % 28 + 1:02d}", f"{n % 28 + 1}.01.2025")],
                    urls=[f"https://example.org/articles/{n}"],
                ),
                languages=shares,
                main_language=lang,
                scripts=[script],
                blocks=blocks,
                provenance=[Event("read", "2025-02-01T10:00:00Z", "archive bench", {})],
            )
        )
    return records


def to_markdown(record: Record) -> str:
    """The same document for pandoc: fenced divs and bracketed spans carry language and direction."""
    out = [f"# {record.metadata.title}\n"]
    for block in record.content_blocks()[1:]:
        attrs = f"lang={block.lang} dir={block.dir}"
        text = block.text
        for span in sorted(block.spans, key=lambda s: -s.start):
            if span.kind == "foreign":
                run = f"[{text[span.start:span.end]}]{{lang={span.lang} dir={span.dir}}}"
                text = text[: span.start] + run + text[span.end :]
        if block.type == "heading":
            out.append(f"{'#' * min(6, (block.level or 1) + 1)} {text} {{{attrs}}}\n")
        elif block.type == "verse":
            out.append(f"::: {{{attrs}}}\n" + "\n".join(f"| {line}" for line in text.split("\n")) + "\n:::\n")
        elif block.type == "quote":
            out.append(f"::: {{{attrs}}}\n> {text}\n:::\n")
        elif block.type in ("list_item", "reference"):
            out.append(f"::: {{{attrs}}}\n- {text}\n:::\n")
        else:
            out.append(f"::: {{{attrs}}}\n{text}\n:::\n")
    return "\n".join(out)


def run_child(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def build_ours(records_json: Path, out: Path) -> None:
    """Child side: load the records and build the pack, timing each; memory is the parent's measure."""
    start = time.perf_counter()
    records = [Record.from_dict(d) for d in json.loads(records_json.read_text(encoding="utf-8"))]
    loaded = time.perf_counter()
    write_epub(records, out, title="Border reports")
    done = time.perf_counter()
    print(f"ours (in process): load {loaded - start:.2f} s, build and write {done - loaded:.2f} s", file=sys.stderr)


def screenshot(target: Path) -> None:
    """A rendered chapter (English with Persian and Arabic) as a PNG, for the README."""
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if chromium is None:
        raise SystemExit("chromium is not installed")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from records import english_article

    record = english_article()
    with tempfile.TemporaryDirectory() as tmp:
        pack = write_epub([record], Path(tmp) / "pack.epub")
        import zipfile

        with zipfile.ZipFile(pack) as archive:
            archive.extractall(tmp)
        page = Path(tmp) / "OEBPS" / f"{record.id}.xhtml"
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={tmp}/profile", "--window-size=900,1250",
             f"--screenshot={target.resolve()}", page.as_uri()],
            check=True, capture_output=True,
        )
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="keep the generated inputs and both packs here")
    parser.add_argument("--screenshot", type=Path, help="only render a chapter to this PNG")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_ours(*args.child)
        return
    if args.screenshot:
        screenshot(args.screenshot)
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="epub-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    records = generate(args.records)
    records_json = work / "records.json"
    records_json.write_text(json.dumps([r.to_dict() for r in records], ensure_ascii=False), encoding="utf-8")
    text_kb = sum(len(b.text.encode()) for r in records for b in r.blocks) / 1024
    print(f"{len(records)} records, {text_kb:.0f} KiB of text (UTF-8)")

    ours = work / "ours.epub"
    seconds, rss = run_child([sys.executable, __file__, "--child", str(records_json), str(ours)])
    print(f"ours:   {seconds:.2f} s wall (child process, incl. start-up), peak RSS {rss:.0f} MiB, "
          f"{ours.stat().st_size / 1024:.0f} KiB")

    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc: not installed, skipped (apt-get install -y pandoc)")
    else:
        docs = work / "md"
        docs.mkdir(exist_ok=True)
        inputs = []
        for n, record in enumerate(records):
            path = docs / f"doc{n:03d}.md"
            path.write_text(to_markdown(record), encoding="utf-8")
            inputs.append(str(path))
        theirs = work / "pandoc.epub"
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        seconds, rss = run_child([pandoc, "-t", "epub3", "-o", str(theirs), "--metadata", "title=Border reports",
                                  "--metadata", "lang=en", *inputs])
        print(f"pandoc: {seconds:.2f} s wall, peak RSS {rss:.0f} MiB, {theirs.stat().st_size / 1024:.0f} KiB "
              f"({version})")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
