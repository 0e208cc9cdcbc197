"""Shared fixtures: real builds of the real site into temporary folders, and small content trees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# The engine that builds the site in every test: MkDocs 1.6 (the default) or ProperDocs, its
# maintained fork, chosen like make's: `make test ENGINE=properdocs` (make exports ENGINE).
ENGINE = os.environ.get("ENGINE") or "mkdocs"
if ENGINE not in ("mkdocs", "properdocs"):
    raise pytest.UsageError(f"ENGINE={ENGINE}: use ENGINE=mkdocs (the default) or ENGINE=properdocs")
ENGINE_COMMAND = [sys.executable, "-m", ENGINE]
if ENGINE == "properdocs":
    # The tests that load the configuration or build in this process (`from mkdocs... import`) get
    # ProperDocs' modules too: the `properdocs` command installs this import alias (every
    # `mkdocs.*` module is ProperDocs' own) before anything else, and so must we.
    if any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules):
        raise pytest.UsageError("ENGINE=properdocs: MkDocs was imported before tests/conftest.py")
    import properdocs.replacement  # noqa: F401 - imported for its effect
# A fixed build date, so review-date results do not depend on the day the tests run.
FIXED_EPOCH = "1795651200"  # 2026-11-26 00:00 UTC


def run_build(site_dir: Path, *, content_dir: Path | None = None, epoch: str = FIXED_EPOCH,
              strict: bool = True, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` (or ``properdocs build``, see ``ENGINE``) of the real project into
    ``site_dir`` (optionally on other content)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": str(ROOT / "hooks")}
    env.pop("RUNNING_INJURIES_CONTENT", None)
    if content_dir is not None:
        env["RUNNING_INJURIES_CONTENT"] = str(content_dir)
    env.update(extra_env or {})
    command = [*ENGINE_COMMAND, "build", "--site-dir", str(site_dir), "--config-file", str(ROOT / "mkdocs.yml")]
    command.append("--strict" if strict else "--no-strict")  # mkdocs.yml itself says strict: true
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def build_or_fail(site_dir: Path, **kwargs) -> Path:
    result = run_build(site_dir, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with ``--strict``."""
    return build_or_fail(tmp_path_factory.mktemp("site") / "site")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of a directory URL such as ``conditions/herniated-disc/``."""
    return soup(site / url / "index.html")


def copy_content(dest: Path) -> Path:
    """A copy of the real content tree to break on purpose."""
    shutil.copytree(ROOT / "content", dest)
    return dest


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


# Test-fixture content: invented conditions and symptoms (not medical information) with an
# invented reference whose title says so. It never reaches content/.
FIXTURE_REFERENCES = """
[
  {"id": "fixture-a", "type": "article-journal", "title": "Example study A (test fixture)",
   "author": [{"family": "Example", "given": "A"}], "container-title": "Test Journal", "container-title-short": "Test J",
   "issued": {"date-parts": [[2020, 1]]}, "volume": "1", "issue": "1", "page": "1-2"}
]
"""

def fixture_symptoms(*ids: str, also_called: dict[str, list[str]] | None = None) -> str:
    """A ``symptoms.yml`` of invented fixture symptoms, labelled after their ids."""
    entries = []
    for sid in ids:
        entry = f"{sid}:\n  label: {sid.replace('-', ' ').capitalize()}\n  description: A fixture symptom.\n"
        if also_called and sid in also_called:
            entry += f"  also_called: [{', '.join(also_called[sid])}]\n"
        entries.append(entry)
    return "".join(entries)


FIXTURE_SYMPTOMS = fixture_symptoms("ache", "sting", "throb", also_called={"sting": ["Zing"]})


def fixture_condition(title: str, symptoms: list[tuple[str, str]], *, topic: str = "aches",
                      related: list[str] | None = None, extra: str = "", body: str = "") -> str:
    lines = ["---", f"title: {title}", f"topic: {topic}", f"summary: {title} is a test fixture.", "symptoms:"]
    for sid, frequency in symptoms:
        lines += [f"  - id: {sid}", f"    frequency: {frequency}"]
    lines += ["see_a_clinician:", "  - When a test says so."]
    if related:
        lines.append(f"related: [{', '.join(related)}]")
    lines.append("reviewed: 2026-11-01")
    if extra:
        lines.append(extra.strip("\n"))
    lines += ["---", body or f"## What it is\n\n{title} is invented for tests.\n"]
    return "\n".join(lines) + "\n"


def fixture_content(root: Path, conditions: dict[str, str] | None = None) -> Path:
    """A small valid content tree (topic ``aches``) plus the given condition files."""
    files = {
        "symptoms.yml": FIXTURE_SYMPTOMS,
        "references.json": FIXTURE_REFERENCES,
        "topics/aches.md": "---\ntitle: Aches\nsummary: A fixture topic.\nreviewed: 2026-11-01\n---\nAbout aches [@fixture-a].\n",
    }
    for cid, text in (conditions or {}).items():
        files[f"conditions/{cid}.md"] = text
    return write(root, files)


# -- browser tests --------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


class StaticServer:
    """A static file server for a built site on a free loopback port, in a thread."""

    def __init__(self, directory: Path) -> None:
        import functools
        import http.server
        import threading

        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_base():
    import http.server

    return http.server.SimpleHTTPRequestHandler


class _QuietHandler(_handler_base()):  # type: ignore[misc]
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """The real built site, served on a loopback port."""
    server = StaticServer(built_site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test`, which installs it, or apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def textstat_grade(text: str) -> float:
    """textstat's own ``flesch_kincaid_grade``, under the language readability.py counts in: what the
    tests compare our reading grade with."""
    from running_injuries.knowledge.readability import SYLLABLE_LANGUAGE
    from textstat.textstat import textstatistics

    scorer = textstatistics()  # our own instance: textstat's module-level one is shared state
    scorer.set_lang(SYLLABLE_LANGUAGE)
    return float(scorer.flesch_kincaid_grade(text))
