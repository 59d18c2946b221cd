"""TEI validation reports each problem with its file and line, from tei_all and from our Schematron."""

from __future__ import annotations

from pathlib import Path

from archive import validate
from archive.exporters.tei import write_tei
from archive.validate import ValidationIssue, validate_tei_file
from records import arabic_record


def exported(tmp_path: Path) -> Path:
    return write_tei([arabic_record()], tmp_path)[0]


def test_a_clean_export_has_no_issues(tmp_path: Path, tei_schema) -> None:
    assert validate_tei_file(exported(tmp_path)) == []


def test_schema_violation_is_reported_with_its_line(tmp_path: Path, tei_schema) -> None:
    path = exported(tmp_path)
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "<body>" in line)
    lines[at] = lines[at].replace("<body>", "<body><bogus/>")
    path.write_text("\n".join(lines), encoding="utf-8")
    issues = validate_tei_file(path)
    assert issues and all(isinstance(i, ValidationIssue) for i in issues)
    assert issues[0].file == str(path) and issues[0].line == at + 1
    assert str(issues[0]).startswith(f"{path}:{at + 1}:")


def test_schematron_rules_catch_undeclared_language_bad_usage_and_bare_foreign(tmp_path: Path,
                                                                             tei_schema) -> None:
    path = exported(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('usage="100"', 'usage="90"')
    text = text.replace("بيان صحفي</head>", '<foreign>بيان</foreign> <hi xml:lang="ps">صحفي</hi></head>', 1)
    path.write_text(text, encoding="utf-8")
    messages = [i.message for i in validate.validate_tei_rules(path)]
    assert any("sum to 90" in m for m in messages)
    assert any('xml:lang="ps"' in m for m in messages)
    assert any("foreign must carry xml:lang" in m for m in messages)
    assert all(i.line for i in validate.validate_tei_rules(path))


def test_malformed_xml_is_one_issue_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<TEI>\n<teiHeader>\n</TEI>\n", encoding="utf-8")
    issues = validate_tei_file(path)
    assert len(issues) == 1 and issues[0].line == 3 and "well-formed" in issues[0].message


def test_schema_location_can_be_overridden(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(validate.TEI_SCHEMA_ENV, str(tmp_path / "custom.rng"))
    assert validate.tei_schema_path() == tmp_path / "custom.rng"


def test_schematron_rules_catch_empty_elements_repeated_references_and_dangling_pointers(
        tmp_path: Path, tei_schema) -> None:
    from records import english_article

    path = write_tei([english_article()], tmp_path)[0]
    text = path.read_text(encoding="utf-8")
    first = text.index("<bibl xml:id=")
    bibl = text[first:text.index("</bibl>", first) + len("</bibl>")]
    twice = bibl.replace('xml:id="r00112233445566aa-b15" ', "")
    text = text.replace(bibl, bibl + twice, 1)
    link = '<ref type="url" target="https://www.pakpips.com/report">'
    text = text.replace(link, '<ptr target="https://www.pakpips.com/report"/>' + link, 1)
    text = text.replace("<title type=\"sub\">A review of the border conflict</title>", '<title type="sub"/>')
    text = text.replace("<body>", '<body><p><ref type="noteref" target="#nowhere">1</ref> <date when="2025"/></p>', 1)
    path.write_text(text, encoding="utf-8")
    messages = [i.message for i in validate.validate_tei_rules(path)]
    assert any(m.startswith("title is empty") for m in messages)
    assert any(m.startswith("date is empty") for m in messages)
    assert sum("is listed more than once" in m for m in messages) == 2
    assert any("is given twice" in m for m in messages)
    assert any('points at "#nowhere"' in m for m in messages)
