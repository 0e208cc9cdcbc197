"""``make new-condition`` / ``new-topic`` / ``new-symptom``: the output passes ``make check`` as
written (with its placeholders reported as warnings), names every field, and bad ids are refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT, copy_content, page, run_build
from running_injuries.content.model import ConditionMeta, TopicMeta
from running_injuries.editors.schema import SCHEMA_COMMENT

SECTIONS = ["What it is", "Causes", "Treatment", "Recovery and return to running", "Prevention"]
PLACEHOLDER = "placeholder text from the scaffold: replace the TODO before this is published"


def env(content: Path | None = None) -> dict[str, str]:
    values = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    values.pop("RUNNING_INJURIES_CONTENT", None)
    if content is not None:
        values["RUNNING_INJURIES_CONTENT"] = str(content)
    return values


def scaffold(content: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "running_injuries.editors.scaffold", "--content", str(content), *args],
                          env=env(), capture_output=True, text=True, timeout=60)


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "running_injuries.editors.check", "--content", "content", *args],
                          cwd=cwd, env=env(), capture_output=True, text=True, timeout=60)


def make(target: str, content: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", target, *(f"{k}={v}" for k, v in variables.items())],
                          cwd=ROOT, env=env(content), capture_output=True, text=True, timeout=300)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "content")


def warnings_of(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": warning: " in line]


def test_new_condition_passes_the_check_as_written(content: Path) -> None:
    made = make("new-condition", content, ID="runners-knee", TOPIC="back-pain")
    assert made.returncode == 0, made.stdout + made.stderr
    path = content / "conditions" / "runners-knee.md"
    assert f"Wrote {path}" in made.stdout
    result = check(content.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = warnings_of(result)
    assert warnings, "the placeholders are reported"
    assert all(line.startswith("content/conditions/runners-knee.md:") and line.endswith(PLACEHOLDER)
               for line in warnings), warnings
    assert result.stdout.splitlines() == warnings, "nothing but warnings"
    # Each placeholder warning points at a line that says TODO (or at the field whose folded text,
    # on the next line, does).
    lines = path.read_text(encoding="utf-8").split("\n")
    for line in warnings:
        number = int(line.split(":")[1])
        assert "TODO" in lines[number - 1] or lines[number - 1].startswith("summary: >-") and "TODO" in lines[number], line
    # A draft cannot be published: the strict check on main refuses it.
    assert check(content.parent, "--strict").returncode == 1


def test_new_condition_names_every_field_and_section(content: Path) -> None:
    assert scaffold(content, "condition", "runners-knee", "back-pain").returncode == 0
    text = (content / "conditions" / "runners-knee.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "---" and lines[1] == SCHEMA_COMMENT["condition"]
    front = text.split("\n---\n", 1)[0]
    for name in ConditionMeta.model_fields:
        assert re.search(rf"^(# )?{name}:", front, re.MULTILINE), f"{name} is not in the scaffold"
        line = next(line for line in front.split("\n") if re.match(rf"(# )?{name}:", line))
        assert "  # " in line, f"{name} has no comment saying what it is for"
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == SECTIONS
    assert "title: Runners knee" in front and "topic: back-pain" in front
    assert "reviewed: 2026-11-26" in front, "a draft is dated the day it is written (SOURCE_DATE_EPOCH here)"


def test_new_condition_previews_in_a_build(tmp_path: Path, content: Path) -> None:
    assert scaffold(content, "condition", "runners-knee", "back-pain").returncode == 0
    site = tmp_path / "site"
    result = run_build(site, content_dir=content, strict=False)  # placeholders are warnings
    assert result.returncode == 0, result.stdout + result.stderr
    assert PLACEHOLDER in result.stdout + result.stderr
    html = page(site, "conditions/runners-knee/")
    headings = [h.get_text(strip=True).rstrip("¶") for h in html.select("article h2")]
    assert headings[: len(SECTIONS)] == SECTIONS
    assert html.select_one("article h1").get_text(strip=True) == "Runners knee"


def test_new_topic_and_symptom_pass_the_check(content: Path) -> None:
    before = (content / "symptoms.yml").read_bytes()
    made = make("new-topic", content, ID="knee-pain")
    assert made.returncode == 0, made.stderr
    made = make("new-symptom", content, ID="knee-swelling")
    assert made.returncode == 0, made.stderr
    topic = (content / "topics" / "knee-pain.md").read_text(encoding="utf-8")
    assert topic.split("\n")[1] == SCHEMA_COMMENT["topic"]
    for name in TopicMeta.model_fields:
        assert re.search(rf"^(# )?{name}:", topic, re.MULTILINE), name
    after = (content / "symptoms.yml").read_bytes()
    assert after.startswith(before), "the rest of symptoms.yml is left as it was"
    assert b"\nknee-swelling:\n  label: Knee swelling" in after
    result = check(content.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = warnings_of(result)
    assert any(line.startswith("content/topics/knee-pain.md:") for line in warnings)
    assert any("knee-swelling.description: " + PLACEHOLDER in line for line in warnings)
    assert any("knee-swelling: no condition lists this symptom" in line for line in warnings)
    # The new condition of the new topic can list the new symptom once it is written.
    assert scaffold(content, "condition", "runners-knee", "knee-pain").returncode == 0
    assert check(content.parent).returncode == 0


def test_new_symptom_on_a_file_without_final_newline(content: Path) -> None:
    path = content / "symptoms.yml"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert scaffold(content, "symptom", "knee-swelling").returncode == 0
    result = check(content.parent)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("condition", "herniated-disc", "back-pain"), "conditions/herniated-disc.md already exists"),
    (("condition", "Runners_Knee", "back-pain"), "'Runners_Knee' is not a valid id: use lowercase letters, digits and single hyphens"),
    (("condition", "runners--knee", "back-pain"), "'runners--knee' is not a valid id"),
    (("condition", "runners-knee", "back-pian"), "unknown topic 'back-pian' (did you mean 'back-pain'?)"),
    (("condition", "runners-knee"), "give the topic the condition belongs to, for example TOPIC=back-pain"),
    (("condition",), "give the new condition's id"),
    (("topic", "back-pain"), "topics/back-pain.md already exists"),
    (("topic", "compare"), "'compare' is already a page of the site (/compare/)"),
    (("topic", "Knee pain"), "'Knee pain' is not a valid id"),
    (("symptom", "muscle-spasm"), "already has the symptom 'muscle-spasm'"),
    (("symptom", "spasm-"), "'spasm-' is not a valid id"),
])
def test_refuses_existing_or_invalid_ids(content: Path, args: tuple[str, ...], message: str) -> None:
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    result = scaffold(content, *args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Cannot create the {args[0]}: ")
    assert message in result.stderr
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before, "nothing written"


def test_make_refuses_with_a_clear_message(content: Path) -> None:
    result = make("new-condition", content, ID="herniated-disc", TOPIC="back-pain")
    assert result.returncode != 0
    assert "Cannot create the condition: " in result.stderr and "already exists" in result.stderr
    assert "Traceback" not in result.stderr
