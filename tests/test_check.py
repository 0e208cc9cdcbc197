"""``make check`` / ``python -m running_injuries.editors.check``, run as editors run it: a subprocess.

The fixture tree holds one problem of each kind, each in its own file (or its own field) so that
none hides another; one run must report every one of them, with its line, and exit 1.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, FIXTURE_SYMPTOMS, ROOT, copy_content, fixture_condition, fixture_content, write
from running_injuries.content.problems import Problem, Severity

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()


def run_check(*args: str, cwd: Path = ROOT, epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "SOURCE_DATE_EPOCH": epoch}
    env.pop("RUNNING_INJURIES_CONTENT", None)
    return subprocess.run([sys.executable, "-m", "running_injuries.editors.check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_real_content_is_clean_with_make_check() -> None:
    result = subprocess.run(["make", "--no-print-directory", "check", "STRICT=1"], cwd=ROOT,
                            env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content is fine: 0 warnings" in result.stderr
    assert ": warning: " not in result.stdout and "::error" not in result.stdout


# -- one problem of each kind ----------------------------------------------------------------------

# A test fixture written to read badly: long sentences of long words, over 100 words in all.
HARD_BODY = """\
## What it is

This deliberately convoluted paragraph, written exclusively as a test fixture, demonstrates how extraordinarily complicated administrative terminology, accumulated unnecessarily across interminable subordinate clauses, considerably increases the computed readability grade.
Short one.
Another considerably overcomplicated sentence, intentionally constructed for automated verification, illustrates multisyllabic vocabulary.
Comprehensive institutional documentation frequently incorporates unnecessarily elaborate phraseology, particularly whenever organisational considerations predominate over communicative effectiveness.
Correspondingly, administrative recommendations occasionally necessitate supplementary clarification, notwithstanding considerable editorial deliberation beforehand.
Individuals encountering such impenetrable formulations understandably experience substantial comprehension difficulties, especially regarding unfamiliar specialised terminology.
Consequently, conscientious communicators systematically reconsider unnecessarily complicated explanations, substituting straightforward alternatives wherever practicable.
Nevertheless, institutional conventions perpetuate ceremonial verbosity, generating documentation that discourages understanding amongst ordinary readers.
"""

OVERDUE_REVIEWED = dt.date(2020, 1, 1)  # next review due 2023-01-01, long before the fixed build date

BROKEN = {
    # YAML syntax error: a flow list that is never closed.
    "conditions/bad-yaml.md": "---\ntitle: Bad yaml\ntopic: aches\nalso_called: [One, Two\nsummary: Fixture.\n---\nBody.\n",
    # A required field missing (summary).
    "conditions/missing-summary.md": fixture_condition("Missing summary", [("ache", "common")]).replace(
        "summary: Missing summary is a test fixture.\n", ""),
    # A wrong type: a list where text belongs.
    "conditions/wrong-type.md": fixture_condition("Wrong type", [("ache", "common")], extra="recovery: [a, b]"),
    # A wrong value: frequency outside common | occasional.
    "conditions/wrong-value.md": fixture_condition("Wrong value", [("ache", "sometimes")]),
    # A picture's highlight outside the list, and a region that does not fit its highlight.
    "conditions/bad-picture.md": fixture_condition("Bad picture", [("ache", "common")],
                                                   extra="illustration:\n  highlight: disc-bluge\n  region: L4-L5"),
    "conditions/bad-picture-place.md": fixture_condition("Bad picture place", [("ache", "common")],
                                                         extra="illustration:\n  highlight: stress-fracture\n  region: L4-L5"),
    # An unknown key (a typo).
    "conditions/unknown-key.md": fixture_condition("Unknown key", [("ache", "common")], extra="reviewd_by: Someone"),
    # An unknown symptom, topic and related id, each with a suggestion.
    "conditions/unknown-symptom.md": fixture_condition("Unknown symptom", [("ache", "common"), ("stng", "occasional")]),
    "conditions/unknown-topic.md": fixture_condition("Unknown topic", [("ache", "common")], topic="achs"),
    "conditions/unknown-related.md": fixture_condition("Unknown related", [("ache", "common")], related=["overdu"]),
    # A file name that is not a valid id.
    "conditions/Bad_Name.md": fixture_condition("Bad name", [("ache", "common")]),
    # A malformed date, and review_due before reviewed.
    "conditions/bad-date.md": fixture_condition("Bad date", [("ache", "common")]).replace(
        "reviewed: 2026-11-01", "reviewed: 26/11/2026"),
    "conditions/due-before.md": fixture_condition("Due before", [("ache", "common")], extra="review_due: 2026-10-01"),
    # A field given twice.
    "conditions/twice.md": fixture_condition("Twice", [("ache", "common")], extra="title: Twice again"),
    # Empty, no front-matter, front-matter never closed.
    "conditions/empty.md": "",
    "conditions/no-front-matter.md": "# Just a heading\n\nNo front-matter here.\n",
    "conditions/unclosed.md": "---\ntitle: Unclosed\n",
    # A citation of a key that references.json does not have.
    "conditions/unknown-citation.md": fixture_condition(
        "Unknown citation", [("ache", "common")], body="## What it is\n\nA fixture sentence [@fixture-a].\nAnother [@fixture-z].\n"),
    # Warnings: an overdue review, a body above grade 9, placeholder text.
    "conditions/overdue.md": fixture_condition("Overdue", [("throb", "common")]).replace(
        "reviewed: 2026-11-01", f"reviewed: {OVERDUE_REVIEWED.isoformat()}"),
    "conditions/hard-to-read.md": fixture_condition("Hard to read", [("ache", "common")], body=HARD_BODY),
    "conditions/draft.md": fixture_condition("Draft", [("ache", "common")], body="## What it is\n\nTODO: write this.\n"),
}


def broken_content(root: Path) -> Path:
    content = fixture_content(root / "content")
    # An unused symptom ("unused", a warning) and an invalid symptom id ("Bad Key", an error).
    write(content, {"symptoms.yml": FIXTURE_SYMPTOMS + "unused:\n  label: Unused\n  description: A fixture symptom.\n"
                                     "Bad Key:\n  label: Bad\n  description: A fixture symptom.\n"})
    write(content, {name: text for name, text in BROKEN.items() if name != "conditions/empty.md"})
    (content / "conditions/empty.md").write_text("", encoding="utf-8")
    (content / "conditions/not-utf8.md").write_bytes(
        fixture_condition("Not UTF-8", [("ache", "common")]).encode("utf-8") + b"Caf\xe9 au lait.\n")
    return content


def expected_problems() -> list[str]:
    """Every problem of the fixture, as make check prints it (lines counted in the files above)."""
    overdue_days = (TODAY - OVERDUE_REVIEWED.replace(year=OVERDUE_REVIEWED.year + 3)).days
    c = "content/conditions"
    return [
        f"{c}/Bad_Name.md:1: the file name 'Bad_Name.md' is not a valid id: use lowercase letters, digits and "
        "single hyphens, for example 'herniated-disc.md'",
        f"{c}/bad-date.md:10: reviewed: must be a date written YYYY-MM-DD (got '26/11/2026')",
        f"{c}/bad-picture.md:12: illustration.highlight: must be one of 'muscle-strain', 'disc-bulge', 'disc-wear' "
        "or 'stress-fracture' (got 'disc-bluge')",
        f"{c}/bad-picture-place.md:13: illustration.region: a stress fracture is in one bone: write one, such as "
        "'L4' (got 'L4-L5')",
        f"{c}/bad-yaml.md:5: YAML syntax error: did not find expected ',' or ']'",
        f"{c}/draft.md:14: warning: body: placeholder text from the scaffold: replace the TODO before this is published",
        f"{c}/due-before.md:11: review_due: must not be before reviewed (2026-11-01)",
        f"{c}/empty.md:1: the file is empty",
        f"{c}/hard-to-read.md:12: warning: body: reading grade 33.5 is above 9 (Flesch-Kincaid); shorten sentences "
        "and prefer short words. Longest sentences: line 14 (28 words) \"This deliberately convoluted paragraph, "
        "written exclusively as a test fixture, demonstrat…\"; line 17 (16 words) \"Comprehensive institutional "
        "documentation frequently incorporates unnecessarily elaborate…\"; line 19 (15 words) \"Individuals "
        "encountering such impenetrable formulations understandably experience substan…\"",
        f"{c}/missing-summary.md:1: summary: this required field is missing",
        f"{c}/no-front-matter.md:1: no front-matter: the file must start with a line '---', then the fields, then '---'",
        f"{c}/not-utf8.md:16: the file is not UTF-8 (byte 0xe9); save it as UTF-8",
        f"{c}/overdue.md:10: warning: reviewed: review overdue by {overdue_days} days (was due 2023-01-01)",
        f"{c}/twice.md:11: title: this field is given twice; keep one",
        f"{c}/unclosed.md:1: the front-matter is not closed: add a line '---' after the fields",
        f"{c}/unknown-citation.md:15: citation: unknown reference '@fixture-z' (did you mean '@fixture-a'?)",
        f"{c}/unknown-key.md:11: reviewd_by: unknown field (did you mean 'reviewed_by'?); allowed: reviewed, "
        "review_due, reviewed_by, title, also_called, topic, summary, symptoms, onset, risk_factors, recovery, "
        "see_a_clinician, related, illustration",
        f"{c}/unknown-related.md:10: related[0]: unknown condition 'overdu' (did you mean 'overdue'?)",
        f"{c}/unknown-symptom.md:8: symptoms[1].id: unknown symptom 'stng' (did you mean 'sting'?)",
        f"{c}/unknown-topic.md:3: topic: unknown topic 'achs' (did you mean 'aches'?)",
        f"{c}/wrong-type.md:11: recovery: must be text (got list ['a', 'b']); put it in quotes",
        f"{c}/wrong-value.md:7: symptoms[0].frequency: must be one of 'common' or 'occasional' (got 'sometimes')",
        # No condition lists "sting" (unknown-symptom.md misspells it): a warning, not an error.
        "content/symptoms.yml:4: warning: sting: no condition lists this symptom",
        "content/symptoms.yml:11: warning: unused: no condition lists this symptom",
        "content/symptoms.yml:14: Bad Key: is not a valid symptom id: use lowercase letters, digits and single hyphens",
    ]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("check")
    broken_content(root)
    return root


def test_every_problem_reported_in_one_run(broken: Path) -> None:
    result = run_check("--content", "content", cwd=broken)
    assert result.returncode == 1
    printed = result.stdout.splitlines()
    assert sorted(printed) == sorted(expected_problems())
    assert len(printed) == len(set(printed)), "each problem once"
    assert result.stderr.startswith("Content check failed: 20 errors, 5 warnings."), result.stderr
    assert "Traceback" not in result.stderr


def test_github_annotations(broken: Path) -> None:
    result = run_check("--content", "content", "--github", cwd=broken)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(expected_problems())
    assert ("::error file=content/conditions/unknown-topic.md,line=3::topic: unknown topic 'achs' "
            "(did you mean 'aches'?)") in annotations
    assert "::warning file=content/symptoms.yml,line=11::unused: no condition lists this symptom" in annotations
    # Each annotation follows the problem it annotates.
    for index, line in enumerate(lines):
        if line.startswith("::"):
            assert not lines[index - 1].startswith("::")


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    overdue = fixture_condition("Overdue", [("ache", "common"), ("sting", "common"), ("throb", "common")]).replace(
        "reviewed: 2026-11-01", "reviewed: 2020-01-01")
    fixture_content(tmp_path / "content", {"overdue": overdue})
    lenient = run_check("--content", "content", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    days = (TODAY - dt.date(2023, 1, 1)).days
    assert lenient.stdout == (f"content/conditions/overdue.md:14: warning: reviewed: review overdue by {days} days "
                              "(was due 2023-01-01)\n")
    assert lenient.stderr.startswith("Content is fine: 1 warning.")
    strict = run_check("--content", "content", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout == lenient.stdout
    assert "--strict: warnings count as failures" in strict.stderr
    # Before the review falls due, the same content passes even a strict check.
    early = run_check("--content", "content", "--strict", cwd=tmp_path, epoch="1672444800")  # 2022-12-31
    assert early.returncode == 0, early.stdout
    assert early.stdout == ""


def test_the_build_reports_the_same_problems(tmp_path: Path, broken: Path) -> None:
    """One implementation: the build aborts on the same errors, naming the same lines."""
    from conftest import run_build

    result = run_build(tmp_path / "site", content_dir=broken / "content", strict=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for problem in expected_problems():
        if ": warning: " not in problem:
            assert problem in output, problem


def test_paths_outside_the_working_folder_are_relative_to_the_content_parent(broken: Path) -> None:
    result = run_check("--content", str(broken / "content"), cwd=ROOT)
    assert result.returncode == 1
    assert "content/conditions/unknown-topic.md:3: topic: unknown topic 'achs' (did you mean 'aches'?)" in result.stdout


def test_real_content_copy_breaks_when_a_symptom_is_misspelt(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    path = content / "conditions" / "herniated-disc.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: "))
    symptom = lines[index].split("- id: ")[1]
    lines[index] = lines[index].replace(symptom, symptom[:-1] + "x")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_check("--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"content/conditions/herniated-disc.md:{index + 1}: symptoms[0].id: "
                                    f"unknown symptom '{symptom[:-1]}x' (did you mean '{symptom}'?)")


def test_github_annotation_escapes_what_would_end_the_command() -> None:
    problem = Problem("content/conditions/a,b:c%.md", 4, "summary", "50% too long\r\nsecond line")
    assert problem.github_annotation() == (
        "::error file=content/conditions/a%2Cb%3Ac%25.md,line=4::summary: 50%25 too long%0D%0Asecond line")
    whole_file = Problem("content/symptoms.yml", 0, "", "not UTF-8", Severity.WARNING)
    assert whole_file.github_annotation() == "::warning file=content/symptoms.yml,line=1::not UTF-8"
