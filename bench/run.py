"""The speed and memory benchmark behind ``make bench`` (``make bench QUICK=1`` for a short run).

For each N it writes synthetic content (``synth.py``: benchmark fixtures, in a temporary folder,
never in ``content/``) and builds, each in a fresh process whose wall time and peak memory
(``ru_maxrss`` from ``os.wait4``) are measured:

(a) our full site: ``mkdocs build`` of the real ``mkdocs.yml`` on that content;
(b) the floor: a stock Material site of as many plain pages of the same length, small nav;
(c) the engine alone: our ``mkdocs.yml`` (theme, overrides, extensions, search) without our hooks,
    on the Markdown our build generates from the same content, written out as files: what MkDocs
    and Material cost on our pages before any work of ours, and so what the targets leave for it.

It also times the content check alone, weighs a condition page, an embed card and ``embed.js``
(gzip -9, with every stylesheet and script the page loads; the search index is reported apart),
times the stages of one more build to show where our own time goes (CPU timers around the
stages' functions, see ``mkdocs_child.py``; ``--cprofile`` adds our hottest functions), and times a
``mkdocs serve`` rebuild after an edit to one content file. Targets from the issue are printed with PASS or FAIL. Nothing here is a
test: the tests check results, never times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html.parser
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlparse

import synth
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "mkdocs_child.py"
FIXED_EPOCH = "1795651200"  # 2026-11-26, the tests' build date: the fixtures' reviews are current

FULL_SIZES = (100, 1000, 3000)
QUICK_SIZES = (50, 200)

# Targets of the issues (issue 17 replaced issue 8's 1.25 x).
MAX_RATIO_TO_FLOOR = 1.5  # wall time at N = 1000
MAX_CPU_RATIO_TO_FLOOR = 1.7  # user + system, with any child process, at N = 1000
MAX_GROWTH_3000_1000 = 3.3
MAX_PEAK_MB_3000 = 400
MAX_SERVE_REBUILD_S_100 = 1.5
MAX_CHECK_S_3000 = 3.0
MAX_CONDITION_PAGE_KB = 90
MAX_CARD_KB = 15
MAX_EMBED_JS_KB = 3


# ------------------------------------------------------------------------------------------------
# Running a child and measuring it


@dataclass
class Run:
    wall: float  # seconds
    peak_mb: float  # peak resident memory of the child
    returncode: int
    log: Path
    cpu: float = 0.0  # user + system seconds of the child: less disturbed by other load than wall time

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def child_env(content: Path | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "SOURCE_DATE_EPOCH": FIXED_EPOCH,
           "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("RUNNING_INJURIES_CONTENT", None)
    env.pop("BENCH_PROFILE", None)
    env.pop("RUNNING_INJURIES_WORKERS", None)
    if content is not None:
        env["RUNNING_INJURIES_CONTENT"] = str(content)
    env.update(extra)
    return env


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``; just ``pid`` elsewhere)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except OSError:
            pass
    return tree


def _pss_kib(pid: int) -> int:
    """The proportional set size of ``pid``: its own pages, plus its share of those it shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _TreeMemory(threading.Thread):
    """While a process has children, samples the summed PSS of them all every 200 ms: the memory
    a build with a forked helper process really uses (each one's peak RSS would count shared pages
    twice, and ``wait4`` gives only the largest process's). Alone, its own peak RSS is exact, and
    reading PSS costs the kernel a walk of every page, which would slow the build it measures."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            tree = _descendants(self.pid)
            if len(tree) > 1:
                self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in tree))


def measure(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> Run:
    """Run ``command`` in a fresh process; its wall time, CPU time (with the processes it forks) and
    peak memory: the larger of its own peak RSS (``wait4``) and the sampled PSS of its process tree."""
    # The previous run's writes reach the disk first (a build writes tens of MB): otherwise the
    # system writes them back during this run, which is then slower for what another run did.
    if hasattr(os, "sync"):
        os.sync()
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        sampler = _TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = max(usage.ru_maxrss, sampler.peak_kib) / 1024  # ru_maxrss is in KiB on Linux
    return Run(wall, peak_mb, process.returncode, log, usage.ru_utime + usage.ru_stime)


def median_of(repeat: int, run: Callable[[], Run]) -> Run:
    """The median of ``repeat`` runs (``median``)."""
    return median([run() for _ in range(max(1, repeat))])


def median(runs: list[Run]) -> Run:
    """The first run that failed; else a run with the median wall time, its CPU time the median CPU
    time of the runs (each median taken alone), its peak memory the largest."""
    failed = [r for r in runs if not r.ok]
    if failed:
        return failed[0]
    middle = sorted(runs, key=lambda r: r.wall)[(len(runs) - 1) // 2]
    cpu = sorted(r.cpu for r in runs)[(len(runs) - 1) // 2]
    return Run(middle.wall, max(r.peak_mb for r in runs), middle.returncode, middle.log, cpu)


def mkdocs_build(config: Path, site_dir: Path, env: dict[str, str], log: Path) -> Run:
    return measure([sys.executable, str(CHILD), "build", "--config-file", str(config),
                    "--site-dir", str(site_dir)], env, log)


def time_check(content: Path, log: Path) -> tuple[Run, str]:
    """``make check``'s command on ``content``."""
    command = "python -m running_injuries.editors.check"
    return measure([sys.executable, "-m", "running_injuries.editors.check", "--content", str(content)],
                   child_env(), log), command


# ------------------------------------------------------------------------------------------------
# Page weight


class _Assets(html.parser.HTMLParser):
    """The stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split() and values.get("href"):
            self.urls.append(values["href"] or "")
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"] or "")


def gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def page_weight(site: Path, page_url: str) -> tuple[int, int] | None:
    """gzip -9 bytes of a page plus every stylesheet and script it loads, and how many files.

    ``None`` when the page does not exist. Assets from other origins would be a bug elsewhere
    (pages load nothing from other origins); they cannot be weighed, so they fail loudly here.
    """
    page = site / page_url / "index.html"
    if not page.is_file():
        return None
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    total, files = gz_size(page), 1
    base = f"http://site.invalid/{page_url}"
    for url in dict.fromkeys(parser.urls):
        absolute = urlparse(urljoin(base, url))
        if absolute.netloc != "site.invalid":
            raise SystemExit(f"{page_url} loads {url} from another origin")
        asset = site / absolute.path.lstrip("/")
        total, files = total + gz_size(asset), files + 1
    return total, files


def file_gz(path: Path) -> tuple[int, int] | None:
    return (path.stat().st_size, gz_size(path)) if path.is_file() else None


# ------------------------------------------------------------------------------------------------
# Where the time goes


def our_hot_spots(stats_file: Path, count: int = 15) -> list[tuple[float, str]]:
    """From a cProfile of a build: the functions of our own code with the most time in them."""
    stats = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
    hooks = str(ROOT / "hooks")
    rows = [(tt, f"{Path(file).relative_to(hooks)}:{line}({name})")
            for (file, line, name), (_, _, tt, _, _) in stats.items() if file.startswith(hooks)]
    return sorted(rows, reverse=True)[:count]


# ------------------------------------------------------------------------------------------------
# Serve: rebuild after an edit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_rebuild(content: Path, edits: int = 2) -> list[tuple[float, float | None]] | str:
    """Start ``mkdocs serve``, edit one condition file ``edits`` times; for each edit, the seconds
    from the edit until the server reloads browsers, and MkDocs' own build time of that rebuild.
    After each reload the served page must show the edit (never stale content)."""
    port = free_port()
    command = [sys.executable, str(CHILD), "serve", "--config-file", str(ROOT / "mkdocs.yml"),
               "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    process = subprocess.Popen(command, env=child_env(content), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []
    ready = threading.Condition()

    def reader() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with ready:
                lines.append((time.perf_counter(), line.rstrip()))
                ready.notify_all()

    def wait_for(pattern: str, after: int, timeout: float = 600) -> tuple[int, float, str]:
        deadline = time.perf_counter() + timeout
        with ready:
            while True:
                for index in range(after, len(lines)):
                    if re.search(pattern, lines[index][1]):
                        return index, *lines[index]
                if process.poll() is not None or time.perf_counter() > deadline:
                    raise RuntimeError("mkdocs serve: " + "\n".join(text for _, text in lines[-15:]))
                ready.wait(1)

    def idle(seconds: float) -> None:
        """Wait until the server has served (or reloaded) and logged nothing since, for ``seconds``."""
        while True:
            with ready:
                when, text = lines[-1] if lines else (0.0, "")
            if re.search(r"Reloading browsers|Serving on", text) and time.perf_counter() - when >= seconds:
                return
            time.sleep(0.2)

    threading.Thread(target=reader, daemon=True).start()
    results = []
    try:
        wait_for(r"Serving on", 0)
        files = sorted((content / "conditions").glob("*.md"))
        target = files[len(files) // 2]
        url = f"http://127.0.0.1:{port}/conditions/{target.stem}/"
        for edit in range(edits):
            idle(2.0)  # one edit can fire several file events: let earlier rebuilds finish first
            marker = f"Benchmark edit number {edit} reached the page."
            with ready:
                index = len(lines)
            start = time.perf_counter()
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            detected, _, _ = wait_for(r"Detected file changes", index)
            reload_line, reloaded, _ = wait_for(r"Reloading browsers", detected)
            # MkDocs drops a log message it has printed before (utils.DuplicateFilter), so a rebuild
            # exactly as long as an earlier one prints no "built in" line: its time is then unknown.
            with ready:
                built = [match for _, line in lines[detected:reload_line]
                         if (match := re.search(r"Documentation built in ([\d.]+)", line))]
            mkdocs_seconds = float(built[-1].group(1)) if built else None
            with urllib.request.urlopen(url, timeout=30) as response:
                if marker not in response.read().decode("utf-8"):
                    log = "\n".join(text for _, text in lines[index:])
                    return f"stale: the served page does not show edit {edit}; the server logged:\n{log}"
            results.append((reloaded - start, mkdocs_seconds))
    except RuntimeError as err:
        return str(err)
    finally:
        # Ctrl-C, not SIGTERM: MkDocs then removes the temporary site it served (about 100 MB at
        # 1,000 conditions), and the hooks their temporary folder; SIGTERM left both behind.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return results


# ------------------------------------------------------------------------------------------------
# The benchmark


@dataclass
class Result:
    n: int
    ours: Run
    floor: Run
    engine: Run  # (c): MkDocs and Material alone on our generated pages
    check: Run
    check_how: str
    condition_page: tuple[int, int] | None = None
    card: tuple[int, int] | None = None
    embed_page: tuple[int, int] | None = None
    embed_js: tuple[int, int] | None = None
    search_index: tuple[int, int] | None = None
    pages: int = 0
    serve: list[tuple[float, float | None]] | str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    turns: list[tuple[float, float]] = field(default_factory=list)  # (ours, floor) wall seconds, turn by turn


def markdown_extensions_block() -> str:
    """The ``markdown_extensions:`` block of our ``mkdocs.yml``, as written (YAML text)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^markdown_extensions:\n(?:[ \t]+.*\n|[ \t]*\n)*", text, flags=re.M)
    if not match:
        raise SystemExit("mkdocs.yml has no markdown_extensions block")
    return match.group(0)


def write_floor(folder: Path, n: int) -> Path:
    synth.write_floor(folder, n, [])
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # The JSON config without its empty extensions list, then our block verbatim, in YAML.
    data = json.loads(text)
    data.pop("markdown_extensions")
    config.write_text(yaml.safe_dump(data, sort_keys=False) + markdown_extensions_block(), encoding="utf-8")
    return folder


def write_engine_alone(folder: Path, content: Path) -> Path:
    """(c): a project in ``folder`` that inherits our ``mkdocs.yml`` without its hooks, its docs our
    ``docs/`` and every page our build generates from ``content``, as MkDocs gets it in our build
    (the templates' HTML blocks are placeholders there: the stash puts them back after Markdown)."""
    if str(ROOT / "hooks") not in sys.path:
        sys.path.insert(0, str(ROOT / "hooks"))
    from running_injuries.pages.render import Renderer
    from running_injuries.pipeline import prepare

    today = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()
    prepared = prepare(content, content.parent, today=today)
    if prepared.problems.errors:
        raise SystemExit(f"the benchmark's content has errors:\n{prepared.problems.errors[0]}")
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for page in Renderer(prepared).pages():
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    topics = [{t.title: f"{t.id}.md"} for t in prepared.site.topics.values()]
    parent = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "theme": {"custom_dir": str(ROOT / "overrides")},
        "hooks": [],
        "watch": [],
        "strict": False,
        # as our on_config sets it
        "nav": [{"Home": "index.md"}, *topics, *parent["extra"]["nav_after_topics"]],
        # the anchors of the templates' blocks are placeholders here: not worth a warning each
        "validation": {"links": {"anchors": "ignore"}},
    }
    (folder / "mkdocs.yml").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return folder


class _AnyTagLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` without MkDocs: a tagged value (``!ENV [...]``) as plain YAML."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def content_folder(work: Path, n: int) -> Path:
    return work / f"n{n}" / "content"


def bench_one(n: int, work: Path, *, repeat: int = 1) -> Result:
    folder = work / f"n{n}"
    content = synth.write_content(content_folder(work, n), n)
    floor = write_floor(folder / "floor", n)
    engine = write_engine_alone(folder / "engine", content)
    logs = folder / "logs"
    logs.mkdir()
    print(f"N={n}: content written to {folder}; checking and building ...", flush=True)
    how = time_check(content, logs / "check.log")[1]
    check = median_of(repeat, lambda: time_check(content, logs / "check.log")[0])
    # Each build into a fresh folder: rewriting a cleaned folder is slower on some file systems.
    # Ours and the floor take turns, so that a slow spell of a shared machine hits both alike.
    ours_runs, floor_runs, engine_runs = [], [], []
    for turn in range(max(1, repeat)):
        ours_runs.append(mkdocs_build(ROOT / "mkdocs.yml", folder / f"site-{turn}", child_env(content),
                                      logs / "ours.log"))
        floor_runs.append(mkdocs_build(floor / "mkdocs.yml", folder / f"floor-site-{turn}", child_env(),
                                       logs / "floor.log"))
        engine_runs.append(mkdocs_build(engine / "mkdocs.yml", folder / f"engine-site-{turn}", child_env(),
                                        logs / "engine.log"))
    ours, floor_run, engine_run = median(ours_runs), median(floor_runs), median(engine_runs)
    for name, run in (("our build", ours), ("floor build", floor_run), ("engine-alone build", engine_run),
                      ("check", check)):
        if not run.ok:
            print(f"  {name} failed (exit {run.returncode}):\n{run.tail()}", flush=True)
    site = folder / "site-0"
    one = synth.condition_id(n // 2)
    result = Result(n, ours, floor_run, engine_run, check, how,
                    turns=[(o.wall, f.wall) for o, f in zip(ours_runs, floor_runs)],
                    condition_page=page_weight(site, f"conditions/{one}/"),
                    card=page_weight(site, f"embed/{one}/card/"),
                    embed_page=page_weight(site, f"embed/{one}/"),
                    embed_js=file_gz(site / "embed.js"),
                    search_index=file_gz(site / "search" / "search_index.json"),
                    pages=sum(1 for _ in site.rglob("index.html")))
    return result


@dataclass
class Stages:
    n: int
    stages: list[tuple[str, float | None]]
    missing: list[str]
    floor: dict[str, float | None] = field(default_factory=dict)  # the floor's, by stage label
    hot_spots: list[tuple[float, str]] | None = None


def time_stages(n: int, work: Path, *, cprofile: bool) -> Stages:
    """One more build at ``n``, with a CPU timer around each stage (``mkdocs_child.STAGES``), and
    optionally one under cProfile for our own hottest functions."""
    folder = work / f"stages-n{n}"
    content = synth.write_content(folder / "content", n)
    out = folder / "stages.json"
    print(f"N={n}: timing the stages of one build ...", flush=True)
    # In one process: the timers of the grades and the publish step would otherwise tick in the
    # build's process pool.
    run = mkdocs_build(ROOT / "mkdocs.yml", folder / "site",
                       child_env(content, BENCH_STAGES=str(out), RUNNING_INJURIES_WORKERS="0"),
                       folder / "stages.log")
    if not run.ok or not out.is_file():
        raise SystemExit(f"stage-timed build failed:\n{run.tail()}")
    data = json.loads(out.read_text(encoding="utf-8"))
    result = Stages(n, [(label, seconds) for label, seconds in data["stages"]], data["missing"])
    # The floor's stages, timed the same way in the same run: MkDocs' own share of the work.
    floor, floor_out = write_floor(folder / "floor", n), folder / "floor-stages.json"
    run = mkdocs_build(floor / "mkdocs.yml", folder / "floor-site", child_env(BENCH_STAGES=str(floor_out)),
                       folder / "floor-stages.log")
    if run.ok and floor_out.is_file():
        result.floor = dict(json.loads(floor_out.read_text(encoding="utf-8"))["stages"])
    if cprofile:
        print(f"N={n}: one build under cProfile ...", flush=True)
        stats = folder / "build.prof"
        mkdocs_build(ROOT / "mkdocs.yml", folder / "site",
                     child_env(content, BENCH_PROFILE=str(stats), RUNNING_INJURIES_WORKERS="0"),
                     folder / "profile.log")
        result.hot_spots = our_hot_spots(stats) if stats.is_file() else None
    return result


# ------------------------------------------------------------------------------------------------
# Report


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def kb(value: tuple[int, int] | None, index: int = 0) -> str:
    return "n/a" if value is None else f"{value[index] / 1024:.1f} KB"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()}"


def report(results: list[Result], stages: Stages | None) -> bool:
    print()
    print(f"Machine: {machine()}")
    print()
    print("| N | our build | CPU | peak | ms/condition | floor build | CPU | peak | ms/page | ours/floor (CPU) | check |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.n} | {r.ours.wall:.1f} s | {r.ours.cpu:.1f} s | {r.ours.peak_mb:.0f} MB | {1000 * r.ours.wall / r.n:.1f} | "
              f"{r.floor.wall:.1f} s | {r.floor.cpu:.1f} s | {r.floor.peak_mb:.0f} MB | {1000 * r.floor.wall / r.n:.1f} | "
              f"{r.ours.wall / r.floor.wall:.2f} ({r.ours.cpu / r.floor.cpu:.2f}) | {r.check.wall:.2f} s |")
    print()
    print(f"check timed with: {results[0].check_how}; pages built at the largest N: {results[-1].pages}")
    # Every build, not only the fastest: how much this machine's speed moved during the run.
    for r in results:
        if len(r.turns) > 1:
            turns = ", ".join(f"{o:.1f}/{f:.1f} s ({o / f:.2f})" for o, f in r.turns)
            print(f"N={r.n}, ours/floor turn by turn: {turns}")
    by_n = {r.n: r for r in results}
    print()
    print("The engine alone (MkDocs and Material on our generated pages, no hooks), and what the targets "
          "leave for our own work (our build's time less the engine's):")
    print()
    print("| N | engine alone | CPU | / floor (CPU) | our own work | CPU | left at 1.5x wall | at 1.7x CPU |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.n} | {r.engine.wall:.1f} s | {r.engine.cpu:.1f} s | {r.engine.wall / r.floor.wall:.2f} "
              f"({r.engine.cpu / r.floor.cpu:.2f}) | {r.ours.wall - r.engine.wall:.1f} s | "
              f"{r.ours.cpu - r.engine.cpu:.1f} s | {MAX_RATIO_TO_FLOOR * r.floor.wall - r.engine.wall:.1f} s | "
              f"{MAX_CPU_RATIO_TO_FLOOR * r.floor.cpu - r.engine.cpu:.1f} s |")
    all_ok = all(r.ours.ok and r.floor.ok and r.engine.ok and r.check.ok for r in results)
    targets: list[tuple[str, str, bool | None]] = []
    if 1000 in by_n:
        ratio = by_n[1000].ours.wall / by_n[1000].floor.wall
        targets.append((f"full build at 1000 <= {MAX_RATIO_TO_FLOOR}x floor (median wall)", f"{ratio:.2f}x",
                        ratio <= MAX_RATIO_TO_FLOOR))
        cpu_ratio = by_n[1000].ours.cpu / by_n[1000].floor.cpu
        targets.append((f"CPU at 1000 <= {MAX_CPU_RATIO_TO_FLOOR}x floor (median user + system)",
                        f"{cpu_ratio:.2f}x", cpu_ratio <= MAX_CPU_RATIO_TO_FLOOR))
    if 1000 in by_n and 3000 in by_n:
        growth = by_n[3000].ours.wall / by_n[1000].ours.wall
        floor_growth = by_n[3000].floor.wall / by_n[1000].floor.wall
        targets.append((f"build time 3000/1000 <= {MAX_GROWTH_3000_1000}", f"{growth:.2f} (floor {floor_growth:.2f})",
                        growth <= MAX_GROWTH_3000_1000))
    if 3000 in by_n:
        targets.append((f"peak memory at 3000 < {MAX_PEAK_MB_3000} MB", f"{by_n[3000].ours.peak_mb:.0f} MB",
                        by_n[3000].ours.peak_mb < MAX_PEAK_MB_3000))
        targets.append((f"check at 3000 < {MAX_CHECK_S_3000:.0f} s", f"{by_n[3000].check.wall:.2f} s",
                        by_n[3000].check.wall < MAX_CHECK_S_3000))
    if 100 in by_n and isinstance(by_n[100].serve, list) and by_n[100].serve:
        slowest = max(reload for reload, _ in by_n[100].serve)
        targets.append((f"mkdocs serve rebuild at 100 <= {MAX_SERVE_REBUILD_S_100} s (slowest of "
                        f"{len(by_n[100].serve)})", f"{slowest:.2f} s", slowest <= MAX_SERVE_REBUILD_S_100))
    last = results[-1]
    for label, value, limit in (("condition page + CSS + JS", last.condition_page, MAX_CONDITION_PAGE_KB),
                                ("embed card + CSS + JS", last.card, MAX_CARD_KB),
                                ("embed.js", last.embed_js if last.embed_js is None else (last.embed_js[1], 1),
                                 MAX_EMBED_JS_KB)):
        targets.append((f"{label} < {limit} KB gzip", kb(value), None if value is None else value[0] < limit * 1024))
    print()
    print("| target | measured | |")
    print("|---|---:|---|")
    for label, value, ok in targets:
        print(f"| {label} | {value} | {verdict(ok)} |")
    print()
    for r in results:
        files = "" if r.condition_page is None else f" ({r.condition_page[1]} files)"
        print(f"N={r.n}: condition page {kb(r.condition_page)} gz{files}; embed page {kb(r.embed_page)}; "
              f"card {kb(r.card)}; embed.js {kb(r.embed_js, 1)} gz; "
              f"search index {kb(r.search_index)} ({kb(r.search_index, 1)} gz)")
    for r in results:
        if r.serve is None:
            continue
        if isinstance(r.serve, str):
            print(f"N={r.n}: mkdocs serve rebuild: failed: {r.serve}")
            all_ok = False
            continue
        runs = "; ".join(f"{reload:.1f} s from edit to reload (MkDocs build "
                         f"{'time not printed: MkDocs drops a line it printed before' if built is None else f'{built:.1f} s'})"
                         for reload, built in r.serve)
        print(f"N={r.n}: mkdocs serve, one content file edited: {runs}; served page showed each edit")
    if stages is not None:
        print()
        print(f"Where the time goes: one build at N={stages.n}, CPU seconds in each stage (↳: part of "
              "the stage above)")
        print()
        print("| stage | CPU s | floor |")
        print("|---|---:|---:|")
        for label, seconds in stages.stages:
            shown = "n/a" if seconds is None else f"{seconds:.2f}"
            floor = stages.floor.get(label)
            print(f"| {'↳ ' + label.strip() if label.startswith('  ') else label} | {shown} | "
                  f"{'' if floor is None else f'{floor:.2f}'} |")
        if stages.missing:
            print(f"(not found, so not timed: {', '.join(s.strip() for s in stages.missing)})")
        if stages.hot_spots:
            print()
            print("Our own hottest functions under cProfile (self time, inflated by the profiler):")
            for seconds, where in stages.hot_spots:
                print(f"  {seconds:6.2f} s  {where}")
    failed = [label for label, _, ok in targets if ok is False]
    print()
    print("All builds succeeded." if all_ok else "Some builds FAILED (see above).")
    print(f"Targets failed: {', '.join(failed)}" if failed else "No target failed.")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"N = {', '.join(map(str, QUICK_SIZES))}")
    parser.add_argument("--sizes", help="comma-separated N, instead of the default sizes")
    parser.add_argument("--profile-n", type=int, help="N of the stage-timed build (default 1000, quick 200)")
    parser.add_argument("--no-profile", action="store_true", help="skip the stage-timed build")
    parser.add_argument("--cprofile", action="store_true", help="also list our hottest functions (cProfile)")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve rebuild timing")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--repeat", type=int, default=3,
                        help="build each site this many times, ours and the floor in turn, and take the median "
                             "of each (default 3: this machine's speed changes from minute to minute)")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (QUICK_SIZES if args.quick else FULL_SIZES)
    profile_n = args.profile_n or (200 if args.quick else 1000)
    serve_sizes = set(sizes) & {100, 1000} or {min(sizes)}
    work = Path(tempfile.mkdtemp(prefix="running-injuries-bench-"))
    try:
        results = [bench_one(n, work, repeat=args.repeat) for n in sizes]
        stages = None if args.no_profile else time_stages(profile_n, work, cprofile=args.cprofile)
        # Serving last: MkDocs empties its site folder before each rebuild, and on ext4 without a
        # journal (this machine) a file made in the minutes after thousands were deleted is slow to
        # make (the inode allocator steps over each recently deleted inode), which would slow the
        # builds timed after it.
        for result in results:
            if not args.no_serve and result.n in serve_sizes:
                print(f"N={result.n}: timing mkdocs serve rebuilds ...", flush=True)
                result.serve = serve_rebuild(content_folder(work, result.n))
        ok = report(results, stages)
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
