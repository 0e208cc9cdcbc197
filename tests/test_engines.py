"""Two engines: the tests build with the engine that ENGINE names (MkDocs by default, ProperDocs
with `make test ENGINE=properdocs`), make runs that engine, the engines' comparison fails on any
difference, and the lock file pins everything pyproject.toml asks for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import ENGINE, ENGINE_COMMAND, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import compare_engines  # noqa: E402 - tools/ is not a package


def test_builds_run_the_chosen_engine() -> None:
    result = subprocess.run([*ENGINE_COMMAND, "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # "python -m mkdocs, version 1.6.1 from .../mkdocs (Python 3.11)", or the same of properdocs.
    assert re.search(rf"\b{ENGINE}, version \d+\.\d+", result.stdout), result.stdout
    assert f"{ENGINE} (Python" in result.stdout, result.stdout


def test_in_process_mkdocs_imports_get_the_chosen_engine() -> None:
    import mkdocs.config

    assert mkdocs.__name__ == ENGINE
    assert Path(mkdocs.config.__file__).parent.parent.name == ENGINE


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_make_runs_the_chosen_engine(engine: str) -> None:
    commands = {}
    for target in ("build", "serve"):
        dry = subprocess.run(["make", "-n", target, f"ENGINE={engine}"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        commands[target] = dry.stdout
    assert f".venv/bin/{engine} build --strict --config-file mkdocs.yml " in commands["build"]
    assert f".venv/bin/{engine} serve --config-file mkdocs.yml " in commands["serve"]
    other = {"mkdocs": "properdocs", "properdocs": "mkdocs"}[engine]
    assert f"bin/{other} " not in commands["build"] + commands["serve"]


def test_make_refuses_an_unknown_engine() -> None:
    dry = subprocess.run(["make", "-n", "build", "ENGINE=zensical"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert dry.returncode != 0 and "ENGINE=zensical" in dry.stderr


def test_compare_finds_every_kind_of_difference(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for site in (first, second):
        (site / "same").mkdir(parents=True)
        (site / "same" / "index.html").write_text("<p>same</p>\n", encoding="utf-8")
    assert not compare_engines.compare(first, second)

    (first / "only-a.html").write_text("a", encoding="utf-8")
    (second / "api").mkdir()
    (second / "api" / "only-b.json").write_text("{}", encoding="utf-8")
    (second / "same" / "index.html").write_text("<p>other</p>\n", encoding="utf-8")
    differences = compare_engines.compare(first, second)
    assert differences.only_first == ["only-a.html"]
    assert differences.only_second == ["api/", "api/only-b.json"]
    assert differences.differing == ["same/index.html"]
    text = compare_engines.report(differences, first, second, ("mkdocs", "properdocs"))
    assert "only in the mkdocs site:\n  only-a.html" in text
    assert "-<p>same</p>" in text and "+<p>other</p>" in text


def test_the_lock_pins_every_dependency_within_pyproject_ranges() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for extra in ("test", "properdocs") for r in project["optional-dependencies"][extra]]
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, list[str]] = {}
    for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", lock, re.MULTILINE):
        pins.setdefault(re.sub(r"[-_.]+", "-", name).lower(), []).append(version)
    for requirement in wanted:
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        for version in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {name}=={version}, outside pyproject.toml's {requirement}: run `make lock`")
    # Every pin carries hashes, so pip installs it in hash-checking mode.
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
    assert entries and all("--hash=sha256:" in entry for entry in entries if "==" in entry)
