"""Regenerate the PDF fixtures: write each source as HTML, print it with headless Chromium (and one
with LibreOffice), and write the text a reader would type next to it (`<name>.txt`).

The PDFs are committed so the test suite needs neither Chromium nor LibreOffice. Run this only to
change or add a fixture:

    apt-get install -y chromium fonts-noto-core fonts-noto-extra libreoffice-writer-nogui
    python tests/data/pdf/make_fixtures.py

Each source is a list of (tag, text) blocks; the `.txt` holds the block texts joined by newlines, which
is what the reader's similarity is measured against. Blocks tagged `running` are page furniture
(repeated on every page by `position: fixed`) and are left out of the `.txt`.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

ARABIC_FONTS = '"Noto Naskh Arabic", "Noto Sans Arabic", serif'

PERSIAN = [
    ("h1", "زبان فارسی و پیشینهٔ آن"),
    ("p", "زبان فارسی یکی از زبان‌های هندواروپایی است که در ایران، افغانستان و تاجیکستان به آن سخن "
          "می‌گویند. این زبان پیشینه‌ای بیش از هزار سال دارد و شاعرانی مانند فردوسی، سعدی و حافظ "
          "بزرگ‌ترین آثار خود را به آن سروده‌اند."),
    ("p", "در سال ۱۴۰۳ خورشیدی نزدیک به ۲۵ درصد از جمعیت ۸۵ میلیونی کشور کمتر از ۱۵ سال داشتند و "
          "شمار دانشجویان به ۳٫۲ میلیون نفر رسید."),
    ("h2", "کتاب‌ها و کتابخانه‌ها"),
    ("p", "کتابخانهٔ ملی در تهران بیش از ۱۲۰۰۰۰ نسخهٔ خطی نگه می‌دارد. پژوهشگران هر روز از ساعت ۸ تا "
          "۱۶ می‌توانند از تالار مطالعه استفاده کنند و نسخه‌های دیجیتال را ببینند."),
    ("p", "چو کشور نباشد تن من مباد، بدین بوم و بر زنده یک تن مباد. همه سر به سر تن به کشتن دهیم، "
          "از آن به که کشور به دشمن دهیم."),
]

ARABIC = [
    ("h1", "فِي فَضْلِ الْعِلْمِ"),
    ("p", "اَلْعِلْمُ نُورٌ وَالْجَهْلُ ظَلَامٌ، وَمَنْ طَلَبَ الْعِلْمَ صَغِيرًا سَهُلَ عَلَيْهِ كَبِيرًا."),
    ("p", "ذَهَبَ الطَّالِبُ إِلَى الْمَدْرَسَةِ فِي الصَّبَاحِ الْبَاكِرِ، وَقَرَأَ كِتَابًا جَدِيدًا عَنْ "
          "تَارِيخِ الْأَنْدَلُسِ."),
    ("p", "وُلِدَ الشَّاعِرُ سَنَةَ ١٩٢٠ وَتُوُفِّيَ سَنَةَ ١٩٨٥، وَتَرَكَ أَكْثَرَ مِنْ ٣٠ دِيوَانًا."),
    ("h2", "أقوال مأثورة"),
    ("p", "قال الحكيم: إن الكتاب خير جليس، وإن القراءة تفتح أبواب المعرفة لكل من يسعى إليها في "
          "عام ٢٠٢٤ وما بعده."),
]

URDU = [
    ("h1", "اردو زبان کا تعارف"),
    ("p", "اردو برصغیر پاک و ہند کی ایک اہم زبان ہے جو نستعلیق رسم الخط میں لکھی جاتی ہے۔ پاکستان کی "
          "قومی زبان اردو ہے اور اسے کروڑوں لوگ بولتے اور سمجھتے ہیں۔"),
    ("p", "سنہ ۱۹۴۷ میں پاکستان کے قیام کے بعد اردو کو سرکاری حیثیت ملی، اور آج ۲۳ کروڑ سے زیادہ لوگ "
          "اسے سمجھتے ہیں۔"),
    ("p", "غالب اور اقبال اردو کے بڑے شاعر ہیں جن کی شاعری آج بھی پڑھی جاتی ہے۔"),
]

PASHTO = [
    ("h1", "پښتو ژبه"),
    ("p", "پښتو د افغانستان او پاکستان یوه مهمه ژبه ده. په کابل کې ډېر خلک په پښتو او دري دواړو "
          "ژبو خبرې کوي."),
    ("p", "دا ژبه ځانګړي توري لري لکه ټ، ډ، ړ، ښ، ږ، ځ، څ، ګ او ڼ، چې په نورو ژبو کې نه لیدل کېږي."),
    ("p", "په ۱۳۹۹ کال کې د ښوونځیو شمېر ۱۸۰۰۰ ته ورسېد او زرګونه زده کوونکي یې ولري."),
]

MIXED = [
    ("h1", "Persian words in English prose"),
    ("p", "The Persian word آزادی means freedom, and the phrase دل‌های ما یکی است was painted on the "
          "wall in 1998."),
    ("p", "Her first book, کتاب دوستی, appeared in Kabul; the second, سفر به شمال, followed two years "
          "later."),
    ("p", "The date ۱۴۰۳/۰۲/۱۵ corresponds to 4 May 2024 in the Gregorian calendar."),
    ("p", "Plain English closes the page with no other script at all."),
]

LATIN_BODY = [
    ("h1", "Border Trade and Regional Markets"),
    ("p", "Trade across the mountain passes has shaped the economies of the region for centuries. "
          "Caravans carried salt, wool and dried fruit between valleys long before modern roads were "
          "built, and many of the old routes are still used today."),
    ("h2", "Seasonal patterns"),
    ("p", "Most crossings happen between April and October, when the passes are free of snow. In "
          "2023 the main crossing recorded 412,000 vehicles, about 7% more than in the previous year."),
    ("p", "Prices in the border markets follow the seasons closely: flour costs rise in winter, while "
          "fruit prices fall sharply after the harvest in late summer."),
    ("h2", "Institutions"),
    ("p", "Local chambers of commerce publish weekly price lists, and several universities maintain "
          "archives of customs records going back to the 1950s."),
]


def _latin_long() -> list[tuple[str, str]]:
    """Three pages, so the running header and footer repeat and can be recognised as furniture."""
    blocks = [("running-header", "Regional Markets Review"), ("running-footer", "Working paper, not for citation")]
    blocks += LATIN_BODY
    towns = ["Torkham", "Chaman", "Ghulam Khan", "Angoor Adda", "Arandu", "Nawa Pass", "Kharlachi",
             "Shaheedan", "Badini", "Gursal", "Spin Boldak", "Dand-e-Patan"]
    for n, town in enumerate(towns, 1):
        if n in (1, 5, 9):
            blocks.append(("pagebreak", ""))
        blocks.append(("p", f"Paragraph {n} of the appendix describes one market town, {town}, in "
                            "detail: its population, the goods it trades, the roads that reach it and "
                            f"the way its weekly market is organised; {town} is otherwise known only "
                            f"from scattered reports, {n * 3} of them in all."))
    return blocks


SOURCES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    # name: (lang, dir, blocks)
    "persian": ("fa", "rtl", PERSIAN),
    "arabic": ("ar", "rtl", ARABIC),
    "urdu": ("ur", "rtl", URDU),
    "pashto": ("ps", "rtl", PASHTO),
    "mixed": ("en", "ltr", MIXED),
    "latin": ("en", "ltr", _latin_long()),
}

# Printed with LibreOffice instead of Chromium.
LIBREOFFICE = {"persian_lo": ("fa", "rtl", PERSIAN), "arabic_lo": ("ar", "rtl", ARABIC),
               "mixed_lo": ("en", "ltr", MIXED), "latin_lo": ("en", "ltr", LATIN_BODY)}


def to_html(lang: str, direction: str, blocks: list[tuple[str, str]]) -> str:
    font = ARABIC_FONTS if direction == "rtl" else '"Noto Serif", serif'
    urdu = '"Noto Nastaliq Urdu", ' if lang == "ur" else ""
    running = {tag: text for tag, text in blocks if tag.startswith("running-")}
    pages: list[list[str]] = [[]]
    for tag, text in blocks:
        if tag == "pagebreak":
            pages.append([])
        elif not tag.startswith("running-"):
            pages[-1].append(f"<{tag}>{html.escape(text)}</{tag}>")
    if running:
        # One fixed-height box per printed page, header at its top and footer at its bottom, as
        # running heads sit in a typeset document.
        body = []
        for page in pages:
            body += ['<div class="page"><div class="running">' + html.escape(running["running-header"])
                     + "</div>", *page, '<div class="running foot">'
                     + html.escape(running["running-footer"]) + "</div></div>"]
    else:
        body = pages[0]
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head><meta charset="utf-8">'
            f"<title>{html.escape(next(t for tag, t in blocks if tag == 'h1'))}"
            f"</title>\n<style>body {{ font-family: {urdu}{font}; font-size: 12pt; margin: 0; }} "
            "p { line-height: 1.6; } .running { font-size: 9pt; color: #444; } .foot { margin-top: auto; } "
            ".page { height: 23cm; display: flex; flex-direction: column; overflow: hidden; "
            "break-after: page; } @page { size: A4; margin: 2cm; }</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def expected_text(blocks: list[tuple[str, str]]) -> str:
    return "\n".join(text for tag, text in blocks if not tag.startswith("running") and tag != "pagebreak") + "\n"


def print_chromium(html_path: Path, pdf_path: Path) -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        sys.exit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer", html_path.as_uri()],
            check=True, capture_output=True, timeout=120)


def print_libreoffice(html_path: Path, pdf_path: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("libreoffice is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp,
             str(html_path)], check=True, capture_output=True, timeout=180)
        shutil.move(Path(tmp) / (html_path.stem + ".pdf"), pdf_path)


def main(out: Path = HERE) -> None:
    for table, printer in ((SOURCES, print_chromium), (LIBREOFFICE, print_libreoffice)):
        for name, (lang, direction, blocks) in table.items():
            html_path = out / f"{name}.html"
            html_path.write_text(to_html(lang, direction, blocks), encoding="utf-8")
            (out / f"{name}.txt").write_text(expected_text(blocks), encoding="utf-8")
            printer(html_path, out / f"{name}.pdf")
            print(f"{name}.pdf", (out / f"{name}.pdf").stat().st_size, "bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
