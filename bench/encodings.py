"""Encoding detection: exact-decode accuracy and speed of archive.encoding.decode beside chardet and
charset-normalizer, on Persian, Arabic, Urdu and English text written in each encoding.

    python bench/encodings.py            # all encodings; tiny (~40 B), short (~100 B), long (>= 1 KB)
    python bench/encodings.py --dev      # without the held-out short files (while changing the detector)

Then short legacy files (1-3 lines) of every encoding, from sentences written for this benchmark
(bench/encodings_short.py): the development part, the real files of ../shared/real/encoding through the
whole ingest (as that folder's README scores them), and last the held-out part.

A file counts as right only when the decoded text equals the original text exactly. Text that an
encoding cannot hold is adapted first the way writers of that encoding did (Persian yeh as Arabic yeh in
Windows-1256, no ZWNJ in ISO-8859-6…), then anything still unencodable is dropped.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from archive.encoding import decode  # noqa: E402
from encodings_short import DEVELOPMENT, HELD_OUT, SHORT_ENCODINGS  # noqa: E402

SENTENCES = {
    "fa": [
        "این بایگانی برای نگهداری اسناد تاریخی و نوشته‌های پژوهشگران ساخته شده است.",
        "کتابخانه‌های بزرگ شهر هر سال هزاران جلد کتاب تازه به مجموعه‌های خود می‌افزایند.",
        "دانشجویان در روزهای پایانی هفته برای خواندن روزنامه‌های قدیمی به تالار اسناد می‌آیند.",
        "زبان فارسی در ایران، افغانستان و تاجیکستان با گویش‌های گوناگون گفته و نوشته می‌شود.",
        "پژوهشگر باید پیش از نتیجه‌گیری، منابع را با دقت بسنجد و تاریخ هر سند را یادداشت کند.",
        "باران پاییزی کوچه‌های شهر را شست و بوی خاک نم‌خورده در هوا پیچید.",
        "او گفت که نامه‌ها را در صندوقی چوبی زیر پله‌های خانه پیدا کرده است.",
        "گزارش تازه نشان می‌دهد که شمار خوانندگان کتاب‌های دیجیتال در سال گذشته دو برابر شده است.",
        "آیا کسی می‌داند که این دست‌نوشته‌ها از کدام شهر به اینجا رسیده‌اند؟",
        "ژاله بر برگ‌های چنار نشسته بود و کودکان با شادی در باغ می‌دویدند.",
    ],
    "ar": [
        "تهدف هذه المكتبة إلى حفظ الوثائق التاريخية وإتاحتها للباحثين والطلاب في كل مكان.",
        "قال المدير إن المشروع الجديد سيبدأ في بداية العام المقبل بعد اكتمال الدراسات اللازمة.",
        "تعد اللغة العربية من أكثر اللغات انتشاراً في العالم، ويتحدث بها ملايين الناس.",
        "وفي المساء اجتمع أهل القرية حول النار يتبادلون الحكايات القديمة عن الأجداد.",
        "أظهرت الدراسة أن القراءة اليومية تحسن الذاكرة وتزيد القدرة على التركيز لدى الأطفال.",
        "كانت الرسائل محفوظة في صندوق خشبي صغير تحت درج البيت منذ سنوات طويلة.",
        "يجب على الباحث أن يتحقق من مصادره بعناية قبل أن يكتب استنتاجاته النهائية.",
        "هطلت الأمطار بغزارة على المدينة صباح اليوم، مما أدى إلى إغلاق بعض الطرق الرئيسية.",
        "هل تعرف من أين جاءت هذه المخطوطات القديمة؟",
        "ظل الشيخ جالساً في ظلّ الشجرة يقرأ كتاباً عن تاريخ الأندلس.",
    ],
    "ur": [
        "یہ کتب خانہ تاریخی دستاویزات کو محفوظ رکھنے اور محققین تک پہنچانے کے لیے بنایا گیا ہے۔",
        "شہر کی بڑی لائبریریاں ہر سال ہزاروں نئی کتابیں اپنے ذخیرے میں شامل کرتی ہیں۔",
        "طالب علم ہفتے کے آخری دنوں میں پرانے اخبارات پڑھنے کے لیے یہاں آتے ہیں۔",
        "اردو زبان پاکستان اور ہندوستان میں کروڑوں لوگ بولتے اور لکھتے ہیں۔",
        "محقق کو چاہیے کہ نتیجہ نکالنے سے پہلے تمام ذرائع کو غور سے پرکھے۔",
        "بارش کے بعد گلیوں میں مٹی کی خوشبو پھیل گئی اور بچے باہر کھیلنے لگے۔",
        "اس نے بتایا کہ خطوط لکڑی کے ایک پرانے صندوق میں سیڑھیوں کے نیچے رکھے ہوئے تھے۔",
        "نئی رپورٹ کے مطابق ڈیجیٹل کتابیں پڑھنے والوں کی تعداد گزشتہ سال دگنی ہو گئی۔",
    ],
    "en": [
        "The archive keeps historical documents and the notes of researchers in one place.",
        "Every year the city’s libraries add thousands of new volumes to their collections.",
        "Students come to the reading room at the end of the week to read old newspapers.",
        "A researcher should weigh the sources carefully before drawing “final” conclusions.",
        "After the rain the streets smelled of wet earth, and the children ran outside — happily.",
        "She said the letters were found in a wooden box under the stairs of the old house.",
        "The café near the museum served crème brûlée and a rather naïve façade of elegance.",
        "According to the new report, readers of digital books doubled last year; prices fell 5%.",
    ],
}

# What each language's text can be stored in, and how writers adapted it.
ENCODINGS: dict[str, list[str]] = {
    "utf-8": ["fa", "ar", "ur", "en"],
    "utf-8-sig": ["fa", "ar", "ur", "en"],
    "utf-16": ["fa", "ar", "ur", "en"],
    "utf-16-le": ["fa", "ar", "ur", "en"],
    "utf-16-be": ["fa", "ar", "ur", "en"],
    "cp1256": ["fa", "ar", "ur", "en"],
    "iso8859-6": ["ar"],
    "cp720": ["ar"],
    "mac-arabic": ["fa", "ar", "ur"],
    "cp1252": ["en"],
    "latin-1": ["en"],
}

_ADAPT = str.maketrans({"ی": "ي", "ک": "ك", "\u200c": " ", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "۔": ".",
                        "’": "'", "“": '"', "”": '"', "—": "-"})


def adapt(text: str, encoding: str) -> str:
    """Make `text` storable in `encoding` the way its writers did."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
        except UnicodeEncodeError:
            alt = ch.translate(_ADAPT)
            try:
                alt.encode(encoding)
                out.append(alt)
            except UnicodeEncodeError:
                pass
    return "".join(out)


def make_text(lang: str, size: int, seed: int, encoding: str) -> str:
    rng = random.Random(seed)
    sentences = SENTENCES[lang]
    parts: list[str] = []
    text = ""
    while len(text.encode(encoding)) < size:
        parts.append(sentences[rng.randrange(len(sentences))])
        if rng.random() < 0.3:
            parts.append("\n\n")
        text = adapt(" ".join(parts).replace(" \n\n ", "\n\n"), encoding)
    if size < 200:  # a short file: cut at a word boundary near the size
        while len(text.encode(encoding)) > size and " " in text:
            text = text.rsplit(" ", 1)[0]
    return text


def cases() -> list[tuple[str, str, str, bytes]]:
    out = []
    for encoding, langs in ENCODINGS.items():
        for lang in langs:
            for size in (40, 100, 1024, 8192):
                for seed in range(5):
                    text = make_text(lang, size, seed * 31 + size, encoding)
                    out.append((encoding, lang, f"{size}", text.encode(encoding)))
    return out


def original(data: bytes, encoding: str) -> str:
    return data.decode(encoding)


def ours(data: bytes) -> str | None:
    return decode(data).text


def with_chardet(data: bytes) -> str | None:
    import chardet

    name = chardet.detect(data)["encoding"]
    try:
        return data.decode(name) if name else None
    except (UnicodeDecodeError, LookupError):
        return None


def with_charset_normalizer(data: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else None


def short_cases(sentences: dict[str, list[str]], seeds: int = 4) -> list[tuple[str, str, str, bytes]]:
    """1, 2 and 3 lines of one language in each encoding that can hold it (adapted as its writers did)."""
    out = []
    for encoding, langs in SHORT_ENCODINGS.items():
        for lang in langs:
            for lines in (1, 2, 3):
                for seed in range(seeds):
                    rng = random.Random(f"{encoding}-{lang}-{lines}-{seed}")
                    text = "\n".join(rng.sample(sentences[lang], lines)) + "\n"
                    out.append((encoding, lang, f"{lines} line{'s' if lines > 1 else ''}",
                                adapt(text, encoding).encode(encoding)))
    return out


def measure(title: str, all_cases: list[tuple[str, str, str, bytes]],
            detectors: dict[str, Callable[[bytes], str | None]], by_size: bool) -> float:
    """Print one table of exact decodings per encoding (and size), the totals and archive's misses;
    return archive's share right."""
    print(f"\n{title}\n")
    print(f"{'encoding':<12}{'size':>8}{'n':>4}" + "".join(f"{d:>20}" for d in detectors))
    totals = {d: [0, 0, 0.0, 0] for d in detectors}  # right, n, seconds, bytes
    groups: dict[tuple[str, str], list[tuple[str, bytes]]] = {}
    for encoding, lang, size, data in all_cases:
        label = {"40": "tiny", "100": "short"}.get(size, "long") if by_size else "1-3 ln"
        groups.setdefault((encoding, label), []).append((lang, data))
    failures: list[str] = []
    for (encoding, size), items in groups.items():
        row = f"{encoding:<12}{size:>8}{len(items):>4}"
        for name, fn in detectors.items():
            right = 0
            for lang, data in items:
                want = original(data, encoding)
                start = time.perf_counter()
                try:
                    got = fn(data)
                except Exception:  # noqa: BLE001 - a detector failing counts as wrong
                    got = None
                totals[name][2] += time.perf_counter() - start
                totals[name][3] += len(data)
                if got == want:
                    right += 1
                elif name == "archive":
                    failures.append(f"{encoding} {size} {lang}: got {decode(data).encoding} {data[:60]!r}")
            totals[name][0] += right
            totals[name][1] += len(items)
            row += f"{right:>14}/{len(items):<5}"
        print(row)
    print()
    for name, (right, n, seconds, nbytes) in totals.items():
        print(f"{name:<20} exact {right}/{n} = {right / n:.1%}   {nbytes / seconds / 1e6:.2f} MB/s")
    if failures:
        print("\narchive failures:")
        print("\n".join(failures))
    return totals["archive"][0] / totals["archive"][1]


def real_set() -> None:
    """The labelled real files of ../shared/real/encoding through the whole ingest, as its README scores
    them: the record's encoding must give exactly the labelled text, and its blocks those of the same
    text given as UTF-8."""
    root = Path(__file__).resolve().parents[1]
    folder = next((d / "real" / "encoding" for d in (root.parent / "shared", root.parent.parent / "shared")
                   if (d / "real" / "encoding" / "labels.tsv").exists()), None)
    print("\nReal files (shared/real/encoding) through the whole ingest\n")
    if folder is None:
        print("shared/real/encoding is not beside this checkout; skipped")
        return
    from archive.pipeline import ingest_bytes

    rows = [line.split("\t") for line in (folder / "labels.tsv").read_text().splitlines()[1:]]
    named = blocks = refused = 0
    misses: list[str] = []
    for name, label, _lang in rows:
        data = (folder / name).read_bytes()
        want = data.decode(label).lstrip("\ufeff")
        try:
            record = ingest_bytes(data, name)
        except Exception as error:  # noqa: BLE001 - a refusal counts as wrong and is listed
            refused += 1
            misses.append(f"{name}: refused ({error})")
            continue
        codec = {"x-mac-arabic": "mac-arabic", "ibm720": "cp720"}.get(record.source.encoding.name,
                                                                      record.source.encoding.name)
        try:
            right = data.decode(codec).lstrip("\ufeff") == want
        except (UnicodeDecodeError, LookupError):
            right = False
        same = [b.text for b in record.blocks] == [b.text for b in ingest_bytes(want.encode(), name).blocks]
        named += right
        blocks += same
        if not (right and same):
            misses.append(f"{name}: named {record.source.encoding.name}, blocks {'equal' if same else 'differ'}")
    n = len(rows)
    print(f"encoding named right {named}/{n} = {named / n:.1%}; blocks equal to UTF-8's {blocks}/{n}; "
          f"refused {refused}")
    if misses:
        print("\n".join(misses))


def main() -> None:
    detectors: dict[str, Callable[[bytes], str | None]] = {
        "archive": ours, "chardet": with_chardet, "charset-normalizer": with_charset_normalizer}
    all_cases = cases()
    measure(f"{len(all_cases)} files; sizes ~40 B (tiny), ~100 B (short), 1 KB and 8 KB (long); fa ar ur en",
            all_cases, detectors, by_size=True)
    dev = short_cases(DEVELOPMENT)
    measure(f"Short legacy files, development part: {len(dev)} files of 1-3 lines", dev, detectors, by_size=False)
    real_set()
    if "--dev" not in sys.argv:
        held = short_cases(HELD_OUT)
        measure(f"Short legacy files, held-out part (measured last): {len(held)} files of 1-3 lines",
                held, detectors, by_size=False)


if __name__ == "__main__":
    main()
