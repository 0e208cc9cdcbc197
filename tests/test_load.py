"""The content loader on good and bad fixtures: every problem names its file, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import fixture_condition, fixture_content, write
from running_injuries.pipeline import prepare

TODAY = dt.date(2026, 11, 26)


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in prepare(root / "content", root, today=TODAY).problems]


def content_with(tmp_path: Path, cid: str, text: str) -> Path:
    fixture_content(tmp_path / "content", {
        "ok": fixture_condition("Ok", [("ache", "common"), ("sting", "occasional"), ("throb", "common")]),
        cid: text,
    })
    return tmp_path


def test_good_fixture_has_no_problems(tmp_path: Path) -> None:
    fixture_content(tmp_path / "content", {
        "ok": fixture_condition("Ok", [("ache", "common"), ("sting", "occasional"), ("throb", "common")]),
    })
    assert problems_of(tmp_path) == []


def test_real_content_has_no_errors() -> None:
    root = Path(__file__).resolve().parent.parent
    prepared = prepare(root / "content", root, today=TODAY)
    assert [str(p) for p in prepared.problems.errors] == []
    assert len(prepared.site.conditions) == 4
    assert "back-pain" in prepared.site.topics


def test_unknown_symptom_with_suggestion(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common"), ("stnig", "common")]))
    assert "content/conditions/bad.md:8: symptoms[1].id: unknown symptom 'stnig' (did you mean 'sting'?)" in problems_of(tmp_path)


def test_yaml_syntax_error_with_line(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", "---\ntitle: Bad\ntopic: [aches\nsummary: x\n---\nbody\n")
    found = problems_of(tmp_path)
    assert any(p.startswith("content/conditions/bad.md:4: YAML syntax error") for p in found), found


def test_missing_required_field(tmp_path: Path) -> None:
    text = fixture_condition("Bad", [("ache", "common")]).replace("see_a_clinician:\n  - When a test says so.\n", "")
    content_with(tmp_path, "bad", text)
    assert "content/conditions/bad.md:1: see_a_clinician: this required field is missing" in problems_of(tmp_path)


def test_wrong_value(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "often")]))
    assert ("content/conditions/bad.md:7: symptoms[0].frequency: must be one of 'common' or 'occasional' "
            "(got 'often')") in problems_of(tmp_path)


def test_picture_values_are_checked_with_their_line(tmp_path: Path) -> None:
    picture = "illustration:\n  highlight: muscle-strain\n  region: L4\n  colour: red"
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], extra=picture))
    found = problems_of(tmp_path)
    assert ("content/conditions/bad.md:13: illustration.region: a muscle strain is drawn along the whole lower "
            "back: leave region out (got 'L4')") in found
    assert ("content/conditions/bad.md:14: illustration.colour: unknown field; allowed: highlight, region") in found
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")],
                                                    extra="illustration:\n  highlight: disc-wear\n  region: L4"))
    assert ("content/conditions/bad.md:13: illustration.region: a disc lies between two bones: write both, such "
            "as 'L4-L5' (got 'L4')") in problems_of(tmp_path)


def test_wrong_type(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], extra="risk_factors: 12"))
    assert ("content/conditions/bad.md:11: risk_factors: must be a list (got int); write [a, b] or one "
            "'- item' a line") in problems_of(tmp_path)


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], extra="see_a_clinican: [x]"))
    found = problems_of(tmp_path)
    assert any(p.startswith("content/conditions/bad.md:11: see_a_clinican: unknown field (did you mean "
                            "'see_a_clinician'?)") for p in found), found


def test_unknown_topic_and_related(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], topic="ahces", related=["okk"]))
    found = problems_of(tmp_path)
    assert "content/conditions/bad.md:3: topic: unknown topic 'ahces' (did you mean 'aches'?)" in found
    assert "content/conditions/bad.md:10: related[0]: unknown condition 'okk' (did you mean 'ok'?)" in found


def test_invalid_file_name(tmp_path: Path) -> None:
    content_with(tmp_path, "Bad_Name", fixture_condition("Bad", [("ache", "common")]))
    assert ("content/conditions/Bad_Name.md:1: the file name 'Bad_Name.md' is not a valid id: use lowercase "
            "letters, digits and single hyphens, for example 'herniated-disc.md'") in problems_of(tmp_path)


def test_malformed_date(tmp_path: Path) -> None:
    text = fixture_condition("Bad", [("ache", "common")]).replace("reviewed: 2026-11-01", "reviewed: 2026-13-01")
    content_with(tmp_path, "bad", text)
    assert "content/conditions/bad.md:10: reviewed: must be a date written YYYY-MM-DD (got '2026-13-01')" in problems_of(tmp_path)


def test_impossible_date_is_reported_not_raised(tmp_path: Path) -> None:
    text = fixture_condition("Bad", [("ache", "common")]).replace("reviewed: 2026-11-01", "reviewed: 2026-02-30")
    content_with(tmp_path, "bad", text)
    assert "content/conditions/bad.md:10: reviewed: must be a date written YYYY-MM-DD (got '2026-02-30')" in problems_of(tmp_path)


def test_review_due_before_reviewed(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], extra="review_due: 2025-01-01"))
    assert ("content/conditions/bad.md:11: review_due: must not be before reviewed (2026-11-01)"
            in problems_of(tmp_path))


def test_not_utf8(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", "")
    (tmp_path / "content/conditions/bad.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    assert "content/conditions/bad.md:2: the file is not UTF-8 (byte 0xe9); save it as UTF-8" in problems_of(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", "\n\n")
    assert "content/conditions/bad.md:1: the file is empty" in problems_of(tmp_path)


def test_no_front_matter(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", "# Just a heading\n\nSome text.\n")
    assert ("content/conditions/bad.md:1: no front-matter: the file must start with a line '---', then the "
            "fields, then '---'") in problems_of(tmp_path)


def test_duplicate_key(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], extra="title: Again"))
    assert "content/conditions/bad.md:11: title: this field is given twice; keep one" in problems_of(tmp_path)


def test_summary_too_long(tmp_path: Path) -> None:
    text = fixture_condition("Bad", [("ache", "common")]).replace("summary: Bad is a test fixture.", "summary: " + "x" * 301)
    content_with(tmp_path, "bad", text)
    assert "content/conditions/bad.md:4: summary: is 301 characters long; at most 300 allowed" in problems_of(tmp_path)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    content_with(tmp_path, "bad", fixture_condition("Bad", [("stnig", "often")], topic="ahces"))
    write(tmp_path / "content", {"conditions/empty.md": "\n"})
    found = problems_of(tmp_path)
    assert any("bad.md:7: symptoms[0].frequency" in p for p in found)
    assert any("empty.md:1: the file is empty" in p for p in found)


def test_unused_symptom_is_a_warning(tmp_path: Path) -> None:
    fixture_content(tmp_path / "content", {"ok": fixture_condition("Ok", [("ache", "common"), ("sting", "common")])})
    prepared = prepare(tmp_path / "content", tmp_path, today=TODAY)
    assert [str(p) for p in prepared.problems.errors] == []
    assert "content/symptoms.yml:8: warning: throb: no condition lists this symptom" in [str(p) for p in prepared.problems]


@pytest.mark.parametrize("epoch_day, overdue", [(dt.date(2029, 10, 31), False), (dt.date(2029, 11, 2), True)])
def test_review_overdue_warning(tmp_path: Path, epoch_day: dt.date, overdue: bool) -> None:
    fixture_content(tmp_path / "content", {"ok": fixture_condition("Ok", [("ache", "common"), ("sting", "common"), ("throb", "common")])})
    found = [str(p) for p in prepare(tmp_path / "content", tmp_path, today=epoch_day).problems.warnings]
    expected = "content/conditions/ok.md:14: warning: reviewed: review overdue by 1 days (was due 2029-11-01)"
    assert (expected in found) is overdue, found


@pytest.mark.parametrize("image", [
    "![A spine](https://example.com/spine.png)",
    "![A spine]( //example.com/spine.png )",
    '<img alt="A spine" src="http://example.com/spine.png">',
    "<img src=//example.com/spine.png>",
])
def test_image_from_another_site_is_an_error(tmp_path: Path, image: str) -> None:
    body = f"## What it is\n\nText.\n\n{image}\n"
    content_with(tmp_path, "bad", fixture_condition("Bad", [("ache", "common")], body=body))
    expected = ("content/conditions/bad.md:16: body: an image from another website: put the image file in "
                "docs/ and link it from there, so that no other site learns who reads this page")
    assert expected in problems_of(tmp_path)


def test_links_to_other_sites_and_local_images_are_fine(tmp_path: Path) -> None:
    body = "## What it is\n\nSee [PubMed](https://pubmed.ncbi.nlm.nih.gov/).\n\n![A spine](../img/spine.png)\n"
    content_with(tmp_path, "fine", fixture_condition("Fine", [("ache", "common")], body=body))
    assert [p for p in problems_of(tmp_path) if "fine.md" in p] == []


YAML_DOCUMENTS = [
    "a: 1\nb: [1, 2.5, true, null, 2026-02-30, 2026-01-02, '7']\nc: {x: y, 'z': [w]}\n",
    "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",  # a merge key: built by PyYAML's own constructor
    "a: &q [1, {k: v}]\nb: *q\n",
    "1: x\n'2': y\n",
    "a: !!str 5\nb: !!int '5'\nc: !!set {x, y}\n",
    "s: |\n  multi\n  line\nt: >-\n  folded\n  text\n",
    "key: value # a comment\nlist:\n  - one\n  -\n  - three\n",
]


@pytest.mark.parametrize("text", YAML_DOCUMENTS)
def test_yaml_data_is_what_pyyaml_loads(text: str) -> None:
    """The loader builds plain nodes itself (for speed): the data must equal PyYAML's own."""
    import yaml

    from running_injuries.content.problems import Problems
    from running_injuries.content.sources import _Loader, parse_yaml

    problems = Problems()
    parsed = parse_yaml(text, "f.yml", problems)
    assert parsed is not None and list(problems) == []
    assert parsed.data == yaml.load(text, _Loader)


def test_yaml_lines_of_nested_fields() -> None:
    from running_injuries.content.problems import Problems
    from running_injuries.content.sources import parse_yaml

    parsed = parse_yaml("a: 1\nb:\n  - x\n  - k: v\n    m: n\n", "f.yml", Problems(), first_line=2)
    assert parsed is not None
    assert parsed.lines[("a",)] == 2 and parsed.lines[("b",)] == 3
    assert parsed.lines[("b", 0)] == 4 and parsed.lines[("b", 1, "m")] == 6


def test_yaml_alias_that_contains_itself_is_a_problem_not_a_crash() -> None:
    from running_injuries.content.problems import Problems
    from running_injuries.content.sources import parse_yaml

    problems = Problems()
    parse_yaml("a: &x [1, *x]\n", "f.yml", problems)
    assert [str(p) for p in problems] == ["f.yml:1: a[1]: a YAML alias that contains itself; write the value out"]


@pytest.mark.parametrize("text", [
    "a: &x\n  1: *x\n",  # a key that is not text: PyYAML builds this mapping
    "a: &x\n  <<: {c: 1}\n  b: *x\n",  # a merge key: likewise
    "a: &x !!omap\n  - b: *x\n",
])
def test_yaml_alias_inside_itself_anywhere_is_a_problem(text: str) -> None:
    from running_injuries.content.problems import Problems
    from running_injuries.content.sources import parse_yaml

    problems = Problems()
    assert parse_yaml(text, "f.yml", problems) is None or list(problems)
    assert [p.line for p in problems] and all("contains itself" in p.message for p in problems)
