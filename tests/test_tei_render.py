"""TEI as a digital humanist sees it: CETEIcean, the TEI community's browser renderer, turns our TEI into
HTML custom elements in headless Chromium, and the browser lays it out.

CETEIcean makes `@rendition` a class and each `<rendition scheme="css">` of `tagsDecl` a style rule, as
the TEI Consortium's stylesheets do; so the direction we declare is the direction a reader gets. A small
script writes each block's computed style and where its text sits into the page, and --dump-dom hands
it back. Needs Chromium and CETEIcean (`npm install` in the repository installs it into node_modules/,
or set CETEICEAN_JS); the tests skip without them.

`python tests/test_tei_render.py docs/tei-persian.png` draws the Persian document the README shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from archive.exporters.tei import tei_bytes
from archive.record import Record
from records import bayt_record, english_article

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def ceteicean() -> Path | None:
    given = os.environ.get("CETEICEAN_JS")
    path = Path(given) if given else REPO / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
    return path if path.exists() else None


pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(ceteicean() is None, reason="CETEIcean is not installed (npm install, or set CETEICEAN_JS)"),
]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--allow-file-access-from-files",
         "--hide-scrollbars"]

# What any CETEIcean site declares: which TEI elements are blocks. Direction is not here: it comes from
# the document's own renditions.
PAGE_CSS = """
body { width: 760px; margin: 20px; font: 17px/1.7 'Vazirmatn', 'Noto Naskh Arabic', 'DejaVu Sans', sans-serif; }
tei-teiheader { display: none; }
tei-div, tei-p, tei-head, tei-lg, tei-l, tei-list, tei-item, tei-listbibl, tei-bibl, tei-note, tei-quote,
tei-figure { display: block; }
tei-head { font-weight: bold; font-size: 1.3em; margin: 0.6em 0; }
tei-lg { margin: 0.8em 2em; }
tei-note { font-size: 0.85em; }
"""

# The probe runs once CETEIcean has built the page; no "<" or "&" in it, so it can sit in any page.
PROBE = """
function probe() {
  const out = {blocks: {}, hemistichs: [], boilerplate: []};
  for (const el of document.querySelectorAll('[id]')) {
    if (!el.localName.startsWith('tei-')) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    out.blocks[el.id] = {direction: style.direction, display: style.display, left: box.left, right: box.right,
                         textLeft: text.left, textRight: text.right, visible: el.checkVisibility()};
  }
  for (const l of document.querySelectorAll('tei-l')) {
    const halves = Array.from(l.querySelectorAll('tei-seg[type=hemistich]')).map(function (seg) {
      const box = seg.getBoundingClientRect();
      return {left: box.left, right: box.right, top: box.top, text: seg.textContent};
    });
    if (halves.length) out.hemistichs.push(halves);
  }
  for (const el of document.querySelectorAll('tei-foreign')) {
    out.blocks['foreign:' + el.getAttribute('lang')] = {direction: getComputedStyle(el).direction};
  }
  for (const div of document.querySelectorAll('tei-div[type=boilerplate]')) {
    out.boilerplate.push({visible: div.checkVisibility(), text: div.textContent.trim()});
  }
  document.getElementById('probe').textContent = JSON.stringify(out);
}
"""


def page(record: Record, folder: Path, probe: bool = True) -> Path:
    """An HTML page that loads CETEIcean and renders the record's TEI, as a TEI project's site would."""
    script = ceteicean()
    assert script is not None
    shutil.copy(script, folder / "CETEI.js")
    tei = tei_bytes(record).decode("utf-8")
    assert "</script" not in tei
    path = folder / f"{record.id}.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>TEI</title>'
        f'<style>{PAGE_CSS}</style><script src="CETEI.js"></script></head><body>'
        f'<script type="text/xml" id="tei">{tei}</script><pre id="probe"></pre>'
        f"<script>{PROBE if probe else ''}"
        "new CETEI().makeHTML5(document.getElementById('tei').textContent, function (dom) {"
        f"document.body.insertBefore(dom, document.getElementById('probe')); {'probe();' if probe else ''}"
        "});</script></body></html>",
        encoding="utf-8",
    )
    return path


def rendered(record: Record, folder: Path) -> dict[str, dict]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={folder / 'profile'}", "--dump-dom",
               page(record, folder).as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    found = html.fromstring(result.stdout.encode("utf-8")).xpath("//pre[@id='probe']")
    assert found and found[0].text, result.stderr[-2000:]
    return json.loads(found[0].text)


def right_aligned(box: dict) -> bool:
    """The text ends at the block's right edge and, if shorter than a line, leaves room on the left."""
    return abs(box["right"] - box["textRight"]) < 2 and box["textLeft"] >= box["left"] - 1


def left_aligned(box: dict) -> bool:
    return abs(box["textLeft"] - box["left"]) < 2


@pytest.mark.slow
def test_a_persian_document_renders_right_to_left_with_its_bayts_side_by_side(tmp_path: Path) -> None:
    record = bayt_record()
    out = rendered(record, tmp_path)
    blocks = out["blocks"]
    for block in record.content_blocks():
        box = blocks[f"{record.id}-{block.id}"]
        assert box["direction"] == "rtl" and box["display"] == "block", block.id
        assert right_aligned(box), (block.id, box)
    # The heading is shorter than the line: right-aligned means room on its left.
    heading = blocks[f"{record.id}-b1"]
    assert heading["textLeft"] - heading["left"] > 100
    assert blocks["foreign:en"]["direction"] == "ltr"
    # Two bayts, each with its first hemistich on the right and the second on the left, on one row.
    assert len(out["hemistichs"]) == 2
    for first, second in out["hemistichs"]:
        assert abs(first["top"] - second["top"]) < 2
        assert first["left"] > second["right"]
    # Boilerplate is in the file but not shown as part of the work.
    assert out["boilerplate"] == [{"visible": False, "text": record.boilerplate_blocks()[0].text}]


@pytest.mark.slow
def test_a_mixed_document_turns_direction_block_by_block_and_run_by_run(tmp_path: Path) -> None:
    record = english_article()
    out = rendered(record, tmp_path)
    blocks = out["blocks"]
    for block in record.content_blocks():
        box = blocks[f"{record.id}-{block.id}"]
        assert box["direction"] == block.dir, block.id
        if block.type in ("heading", "paragraph"):
            assert (right_aligned if block.dir == "rtl" else left_aligned)(box), (block.id, box)
    assert blocks["foreign:ar"]["direction"] == "rtl"
    assert [b["visible"] for b in out["boilerplate"]] == [False, False]


def screenshot(record: Record, target: Path, folder: Path) -> None:
    """A picture of the record's TEI as CETEIcean shows it (for the README)."""
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={folder / 'profile'}", f"--screenshot={target}",
               "--window-size=800,230", page(record, folder, probe=False).as_uri()]
    subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        screenshot(bayt_record(), Path(sys.argv[1]).resolve(), Path(scratch))
