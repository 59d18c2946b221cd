"""A chapter as a browser engine lays it out: Persian and Arabic blocks really run right to left.

Markup can carry every attribute and still render wrongly (a stylesheet that overrides direction, an
inline run that is not isolated), so a real engine computes the styles. Headless Chromium opens the
chapter from an unpacked pack, a small script writes each element's computed direction into the DOM,
and --dump-dom hands the DOM back.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from archive.exporters.epub import write_epub
from archive.record import Block, Record
from records import english_article

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install -y chromium)"
)

XHTML = "http://www.w3.org/1999/xhtml"

# No "<" or "&" in the script: it sits inside an XHTML document.
PROBE = """
for (const el of document.querySelectorAll('[id], span.foreign, bdi')) {
  const style = getComputedStyle(el);
  el.setAttribute('data-direction', style.direction);
  el.setAttribute('data-bidi', style.unicodeBidi);
  el.setAttribute('data-font', style.fontFamily);
  el.setAttribute('data-align', style.textAlign);
}
document.documentElement.setAttribute('data-probed', 'yes');
"""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-file-access-from-files",
]


def mixed_record() -> Record:
    """The English article with a whole Arabic paragraph added beside its Persian blocks."""
    record = english_article()
    arabic = "قال المتحدث إن الوضع على الحدود مستقر نسبياً منذ ١٢ يناير."
    record.blocks.insert(3, Block("ar1", "paragraph", arabic, lang="ar", script="Arab", dir="rtl"))
    return record


def unpack_chapter(tmp_path: Path, record: Record) -> Path:
    pack = write_epub([record], tmp_path / "pack.epub")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(folder)
    return folder / "OEBPS" / f"{record.id}.xhtml"


def with_probe(chapter: Path) -> Path:
    tree = etree.parse(str(chapter))
    body = tree.getroot().find(f"{{{XHTML}}}body")
    assert body is not None
    script = etree.SubElement(body, f"{{{XHTML}}}script")
    script.text = PROBE
    probed = chapter.with_name("probed.xhtml")
    tree.write(str(probed), encoding="utf-8", xml_declaration=True)
    return probed


def dump_dom(page: Path, profile: Path) -> html.HtmlElement:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert "data-probed" in result.stdout, result.stderr[-2000:]
    return html.fromstring(result.stdout.encode("utf-8"))


@pytest.mark.slow
def test_persian_and_arabic_blocks_render_right_to_left(tmp_path: Path) -> None:
    record = mixed_record()
    dom = dump_dom(with_probe(unpack_chapter(tmp_path, record)), tmp_path / "profile")

    def computed(xpath: str) -> dict[str, str]:
        found = dom.xpath(xpath)
        assert found, xpath
        return {k[5:]: v for k, v in found[0].attrib.items() if k.startswith("data-")}

    root = computed("//*[@id='record']")
    assert root["direction"] == "ltr"
    for block_id in ("b1", "b2", "b3", "ar1"):
        assert computed(f"//*[@id='{block_id}']")["direction"] == "rtl", block_id
    # Each line of the Persian verse inherits the block's direction.
    assert {e.get("data-direction") for e in dom.xpath("//*[@id='b3']//p")} in ({"rtl"}, {None})
    english = computed("//*[@id='b5']")
    assert english["direction"] == "ltr"
    # The Arabic run inside an English sentence is isolated and runs right to left.
    foreign = computed("//*[@id='b7']//span[@class='foreign']")
    assert foreign["direction"] == "rtl" and foreign["bidi"] == "isolate"
    # Language selectors choose the Arabic-script font stacks.
    assert computed("//*[@id='b2']")["font"].startswith("Vazirmatn")
    assert computed("//*[@id='ar1']")["font"].startswith("Amiri")
    assert computed("//*[@id='b5']")["font"].startswith('"Noto Serif"')
    # The Persian date in the English metadata list keeps its own direction.
    assert computed("//bdi")["direction"] == "rtl"
