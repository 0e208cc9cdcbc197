"""``make serve``: the real ``serve`` command rebuilds after an edit to a content file, and the page,
its embed and its API document all show the edit (the publish step runs in the serve process's own
process pool, kept between rebuilds); stopping the server leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import ENGINE_COMMAND, FIXED_EPOCH, ROOT, copy_content


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float = 120) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        body = _get(url)
        if body is not None and text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def _children(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    new = {int(child) for child in children.read().split()}
                    found |= new
                    todo += list(new)
        except OSError:
            pass
    return found


def test_serve_rebuilds_page_embed_and_api_after_an_edit(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    condition = content / "conditions" / "herniated-disc.md"
    port = _free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT / "hooks"),
           "RUNNING_INJURIES_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*ENGINE_COMMAND, "serve", "--config-file", str(ROOT / "mkdocs.yml"),
                               "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "conditions/herniated-disc/", "A herniated disc is")
        workers = _children(server.pid)
        assert workers or (os.cpu_count() or 1) < 2, "serve works out the grades in a process of its own"
        edited = "Edited for the serve test."
        lines = condition.read_text(encoding="utf-8").split("\n")
        first = lines.index("summary: >-") + 1  # the summary's first line, indented
        lines[first] = lines[first].replace(lines[first].strip(), f"{edited} {lines[first].strip()}")
        condition.write_text("\n".join(lines), encoding="utf-8")
        _wait_for(base + "conditions/herniated-disc/", edited)
        _wait_for(base + "embed/herniated-disc/", edited)
        document = json.loads(_wait_for(base + "api/v1/conditions/herniated-disc.json", edited))
        assert document["summary"].startswith(f"{edited} A herniated disc is")
        # The rebuild used the processes the first build started: none was added or replaced.
        assert _children(server.pid) == workers
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group
        try:
            server.wait(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
            log.close()
    output = (tmp_path / "serve.log").read_text()
    assert server.returncode == 0 and "Traceback" not in output, output
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    left = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in workers if _alive(pid)]
    assert not left, f"processes outlived the server: {left}"


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie that nobody reaped does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_compiled_templates_are_kept_until_their_template_changes(tmp_path: Path) -> None:
    """Each serve rebuild makes a new theme environment, which takes its compiled templates from
    ``THEME_TEMPLATES``; an edited template is compiled again, never served from the cache."""
    import jinja2

    from running_injuries.pages.render import CompiledTemplates

    compiled = []

    class Counting(CompiledTemplates):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # called after each compilation
            compiled.append(bucket.key)
            super().dump_bytecode(bucket)

    cache = Counting()
    page = tmp_path / "page.html"

    def render() -> str:  # a new environment each time, as each rebuild has
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)
        return env.get_template("page.html").render(name="runner")

    page.write_text("Hello {{ name }}", encoding="utf-8")
    assert [render(), render()] == ["Hello runner", "Hello runner"]
    assert len(compiled) == 1
    page.write_text("Goodbye {{ name }}", encoding="utf-8")
    assert render() == "Goodbye runner"
    assert len(compiled) == 2
