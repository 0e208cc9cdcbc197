"""The pull-request workflow files: they parse, run commands that exist, and say what the issue
asks (annotations, tests, strict build, preview artifact; on main a strict check and the official
Pages actions); and the governance documents editors rely on."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ENGINE, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
MAKE_COMMAND_RE = re.compile(r"(?:^|[;&|]\s*|\s)make\s+((?:[A-Za-z0-9_.-]+(?:=\S*)?\s*)+)")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def make_commands(workflow: dict[str, Any]) -> list[str]:
    """Every `make ...` command line in the workflow's run steps."""
    found = []
    for step in steps(workflow):
        for line in str(step.get("run", "")).splitlines():
            line = re.sub(r"\$\{\{.*?\}\}", "1", line)  # an expression stands for a value
            for match in MAKE_COMMAND_RE.finditer(line):
                found.append(match.group(1).strip())
    return found


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.MULTILINE)}


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_workflow_parses_and_names_existing_make_targets(name: str) -> None:
    workflow = load(name)
    assert workflow["name"] and workflow["jobs"]
    commands = make_commands(workflow)
    assert commands
    targets = makefile_targets()
    for command in commands:
        words = [w for w in command.split() if "=" not in w]
        assert words and all(w in targets for w in words), f"`make {command}` names a target that does not exist"
        # make itself agrees that the command line works (-n: print the recipe, run nothing).
        dry = subprocess.run(["make", "-n", *command.split()], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_every_action_is_pinned_to_a_major_version(name: str) -> None:
    for action in uses(load(name)):
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


def test_pull_requests_check_test_build_and_upload_a_preview() -> None:
    workflow = load("ci.yml")
    assert "pull_request" in triggers(workflow)
    commands = make_commands(workflow)
    assert "check GITHUB=1" in commands, "problems as annotations on the changed lines"
    assert "build" in commands, "the strict build (make build is strict)"
    assert any(c.startswith("test") for c in commands)
    actions = uses(workflow)
    assert "actions/checkout@v4" in actions and "actions/setup-python@v5" in actions
    python = [s["with"]["python-version"] for s in steps(workflow) if s.get("uses") == "actions/setup-python@v5"]
    assert python and set(python) == {"3.11"}
    (upload,) = [s for s in steps(workflow) if s.get("uses") == "actions/upload-artifact@v4"]
    assert upload["with"]["path"].rstrip("/") == "site"
    # The tests need Debian's Chromium at /usr/bin/chromium, installed with apt-get.
    test_job = next(job for job in workflow["jobs"].values()
                    if any("make test" in str(s.get("run", "")) for s in job["steps"]))
    assert any("apt-get install" in str(s.get("run", "")) and "chromium" in str(s.get("run", ""))
               for s in test_job["steps"])
    assert workflow["permissions"] == {"contents": "read"}


def test_main_is_checked_strictly_and_deployed_with_the_pages_actions() -> None:
    workflow = load("deploy.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] and all(len(entry["cron"].split()) == 5 for entry in on["schedule"])
    assert "check STRICT=1 GITHUB=1" in make_commands(workflow)
    actions = uses(workflow)
    for action in ("actions/configure-pages@v5", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"):
        assert action in actions
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    build = workflow["jobs"]["build"]
    (build_step,) = [s for s in build["steps"] if "make build" in str(s.get("run", ""))]
    assert build_step["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert "github.repository" in build_step["env"]["REPOSITORY_URL"]
    (configure,) = [s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages")]
    assert configure["id"] == "pages"
    (upload,) = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"].rstrip("/") == "site"
    assert build["needs"] == "check"


def test_build_allows_warnings_only_when_asked() -> None:
    strict = subprocess.run(["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lenient = subprocess.run(["make", "-n", "build", "ALLOW_WARNINGS=1"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    # make runs the engine that ENGINE names (MkDocs unless told); tests/test_engines.py checks both.
    assert f"{ENGINE} build --strict " in strict.stdout and "--no-strict" not in strict.stdout
    assert f"{ENGINE} build --no-strict " in lenient.stdout


def test_ci_runner_script_runs_make_test_then_compares_the_engines() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script and "make compare-engines" in script
    assert script.index("make test") < script.index("make compare-engines")


def test_pull_requests_compare_the_engines_and_cache_by_the_lock_file() -> None:
    workflow = load("ci.yml")
    assert "compare-engines" in make_commands(workflow)
    for name in ("ci.yml", "deploy.yml"):
        for step in steps(load(name)):
            if step.get("uses") == "actions/setup-python@v5":
                assert step["with"]["cache-dependency-path"] == "requirements.lock"


# -- governance documents -----------------------------------------------------------------------------

def test_codeowners_require_a_clinical_reviewer_for_content() -> None:
    lines = [line.split() for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    owners = {parts[0]: parts[1:] for parts in lines}
    assert owners["/content/"] == ["@running-injuries/clinical-reviewers"]
    assert "placeholder" in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").lower()


def test_pull_request_template_has_the_content_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    for phrase in ("Sources cited", "Reviewed date updated", "Reading level", "When to see a clinician"):
        assert any(phrase in box for box in boxes), phrase


def test_contributing_explains_every_command_and_message(tmp_path: Path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in ("make serve", "make check", "make new-condition ID=", "make new-topic ID=",
                    "make new-symptom ID=", "make report", "CSL JSON", "api.ncbi.nlm.nih.gov/lit/ctxp"):
        assert command in text, command
    # Every message of the check's one-of-each-kind fixture is explained in a table row.
    from running_injuries.pipeline import prepare
    from test_check import TODAY, broken_content

    broken_content(tmp_path)
    problems = list(prepare(tmp_path / "content", tmp_path, today=TODAY).problems)
    assert len(problems) > 20
    explained = re.findall(r"^\| `([^`]+)`", text, re.MULTILINE)
    stems = [re.split(r"'…'|…|\(got|N days|G is", e)[0].strip() for e in explained]
    for problem in problems:
        assert any(stem and stem in problem.message for stem in stems), \
            f"CONTRIBUTING.md does not explain: {problem.message}"
