"""Character accuracy of OCR on scanned pages made from text we know: Persian, Arabic, Urdu, Pashto, English.

    python bench/ocr.py [--dpi 300] [--write DIR]

Each language's text (three sentences of our own) is set in a Debian font (Noto Naskh Arabic for
Persian, Arabic and Pashto, Noto Nastaliq Urdu and Noto Naskh for Urdu, Liberation Serif for English;
Pillow with libraqm shapes the Arabic script), rasterised at the given resolution, turned by 0.4°,
blurred a little and given Gaussian noise, then archived as a PNG, and as an image-only PDF of the
same page, by `ingest_bytes` with OCR on (Tesseract, the model chosen by the pipeline itself).
Character accuracy is 1 - (edit distance / length of the known text), after NFKC, with harakat and
tatweel removed, Arabic and Persian yeh/kaf folded and white space collapsed. `--write DIR` also
saves each page (PNG, PDF) and its text there. Needs Pillow with raqm, numpy, and the fonts-noto-core
and fonts-liberation packages.
"""

from __future__ import annotations

import argparse
import io
import re
import time
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from archive.pipeline import IngestOptions, ingest_bytes

TEXTS = {
    "fa": "کتابخانه ملی افغانستان در کابل مجموعه‌ای از نسخه‌های خطی فارسی و پشتو را نگهداری می‌کند. "
          "بسیاری از این نسخه‌ها در سال‌های جنگ آسیب دیدند و اکنون با دقت مرمت می‌شوند. "
          "پژوهشگران از سراسر جهان برای مطالعه این آثار به این کتابخانه می‌آیند.",
    "ar": "تحتفظ المكتبة الوطنية بمجموعة كبيرة من المخطوطات العربية والفارسية القديمة. "
          "وقد تضررت كثير من هذه المخطوطات خلال سنوات الحرب، وهي الآن ترمم بعناية. "
          "ويأتي الباحثون من جميع أنحاء العالم لدراسة هذه الآثار النادرة.",
    "ur": "قومی کتب خانے میں فارسی اور اردو کے بہت سے پرانے قلمی نسخے محفوظ ہیں۔ "
          "جنگ کے برسوں میں ان میں سے کئی نسخوں کو نقصان پہنچا اور اب ان کی مرمت کی جا رہی ہے۔ "
          "دنیا بھر سے محققین ان نادر کتابوں کا مطالعہ کرنے یہاں آتے ہیں۔",
    "ps": "د افغانستان ملي کتابتون په کابل کې د پښتو او فارسي ډېرې زړې لاسي نسخې ساتي. "
          "د جګړې په کلونو کې ډېرو نسخو ته زیان ورسېد او اوس په ډېر احتیاط سره رغول کېږي. "
          "د نړۍ له ګوټ ګوټ څخه څېړونکي د دغو اثارو د مطالعې لپاره دلته راځي.",
    "en": "The national library in Kabul keeps a collection of old Persian and Pashto manuscripts. "
          "Many of these manuscripts were damaged during the years of war and are now carefully restored. "
          "Researchers come from around the world to study these rare works.",
}
FONTS = {
    "naskh": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "nastaliq": "/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf",
    "serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
}
PAGES = [("fa", "naskh"), ("ar", "naskh"), ("ur", "nastaliq"), ("ur", "naskh"), ("ps", "naskh"), ("en", "serif")]
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def render(text: str, lang: str, font_name: str, dpi: int = 300, seed: int = 1) -> Image.Image:
    """The text set on a page 5.5 inches wide at 13 pt, then scanned: turned, blurred, noisy."""
    scale = dpi / 72
    font = ImageFont.truetype(FONTS[font_name], int(13 * scale), layout_engine=ImageFont.Layout.RAQM)
    rtl = lang != "en"
    direction = "rtl" if rtl else "ltr"
    width, margin = int(5.5 * dpi), int(0.5 * dpi)
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(trial, direction=direction, language=lang) <= width - 2 * margin:
            lines[-1] = trial
        else:
            lines.append(word)
    pitch = int(font.size * (2.1 if font_name == "nastaliq" else 1.7))
    page = Image.new("L", (width, 2 * margin + pitch * len(lines)), 255)
    draw = ImageDraw.Draw(page)
    for n, line in enumerate(lines):
        x = width - margin if rtl else margin
        draw.text((x, margin + n * pitch), line, font=font, fill=0, anchor="ra" if rtl else "la",
                  direction=direction, language=lang)
    page = page.rotate(0.4, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=True)
    page = page.filter(ImageFilter.GaussianBlur(0.6 * dpi / 300))
    pixels = np.asarray(page, dtype=np.float32)
    pixels += np.random.default_rng(seed).normal(0, 14, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def encoded(page: Image.Image, kind: str, dpi: int) -> bytes:
    out = io.BytesIO()
    page.save(out, format=kind, resolution=dpi) if kind == "PDF" else page.save(out, format=kind, dpi=(dpi, dpi))
    return out.getvalue()


def normalized(text: str) -> str:
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLD)
    return " ".join(text.split())


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def accuracy(found: str, truth: str) -> float:
    found, truth = normalized(found), normalized(truth)
    return max(0.0, 1 - distance(found, truth) / max(len(truth), 1))


def write_fixtures(folder: Path) -> None:
    """The test suite's scans: the first sentence in Persian (JPEG, and an image-only PDF of it) and
    in English (PNG), at 200 dpi, small enough to keep in the repository."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang, font, kind in (("fa", "naskh", "JPEG"), ("en", "serif", "PNG")):
        sentence = TEXTS[lang].split(". ")[0].rstrip(".") + "."
        page = render(sentence, lang, font, dpi=200)
        extension = {"JPEG": "jpg", "PNG": "png"}[kind]
        # The PNG is thresholded to black and white, as fax-like scans are: it keeps the specks, not the grain.
        binary = page.point(lambda v: 0 if v < 140 else 255).convert("1")
        (folder / f"scan-{lang}.{extension}").write_bytes(encoded(binary, kind, 200) if kind == "PNG" else
                                                          _jpeg(page, 200))
        (folder / f"scan-{lang}.txt").write_text(sentence + "\n", encoding="utf-8")
        if lang == "fa":
            out = io.BytesIO()
            Image.open(io.BytesIO(_jpeg(page, 200))).save(out, format="PDF", resolution=200)
            (folder / f"scan-{lang}.pdf").write_bytes(out.getvalue())


def _jpeg(page: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=60, dpi=(dpi, dpi))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--fixtures", type=Path, help="write the small scans tests/data/ocr holds, and stop")
    args = parser.parse_args()
    if args.fixtures:
        write_fixtures(args.fixtures)
        return
    print(f"{'language':<9} {'font':<9} {'format':<6} {'accuracy':>8} {'confidence':>10} {'seconds':>7}  models")
    for lang, font in PAGES:
        page = render(TEXTS[lang], lang, font, args.dpi)
        for kind in ("PNG", "PDF"):
            data = encoded(page, kind, args.dpi)
            began = time.perf_counter()
            record = ingest_bytes(data, f"{lang}-{font}.{kind.lower()}", IngestOptions(ocr="auto"))
            seconds = time.perf_counter() - began
            blocks = [b for b in record.blocks if b.origin == "ocr"]
            text = " ".join(b.text for b in blocks)
            confidence = sum((b.confidence or 0) * len(b.text) for b in blocks) / max(len(text), 1)
            models = next((e.detail.get("models") for e in record.provenance if e.event == "ocr"), None)
            print(f"{lang:<9} {font:<9} {kind:<6} {accuracy(text, TEXTS[lang]):>8.1%} {confidence:>10.2f} "
                  f"{seconds:>7.2f}  {models or record.warnings}")
            if args.write:
                args.write.mkdir(parents=True, exist_ok=True)
                (args.write / f"{lang}-{font}.{kind.lower()}").write_bytes(data)
        if args.write:
            (args.write / f"{lang}-{font}.txt").write_text(TEXTS[lang] + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
