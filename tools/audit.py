"""`make audit`: Lighthouse on a locally built site served with gzip, as hosts serve it, and
screenshots of each kind of page for a reviewer to look at.

1. Builds the real site into a temporary folder and serves it with tools/gzip_server.py.
2. Runs Lighthouse (mobile preset) on the home page, a topic's page, a condition page and the
   comparison page, three times each (`--runs`, `make audit RUNS=5`), keeping the run of median
   performance, and once on an embed and an embed's card; prints the four category scores and the
   cumulative layout shift of each, every audit that did not pass, and whether each of the first
   four pages meets the targets: performance at least 98, accessibility, best practices and SEO
   100, layout shift under 0.02 (in every run). The JSON reports go to .audit/lighthouse/.
3. Writes screenshots of the home page, a topic's page, a condition page, the comparison page, a
   symptom page and an embed at 390 and 1,366 px wide, light and dark, into .audit/screenshots/
   (`<page>-<width>-<scheme>.png`, the first screen, and `...-full.png`, the whole page), and
   names any layout shift that Chromium records after load on a phone, with the element that moved.

Exits with 1 when a page misses a target. Not part of `make test` (it needs Lighthouse from npm,
fetched once by npx into npm's cache); the same properties are tested without it by
tests/test_a11y.py, test_privacy.py, test_seo.py and test_browser_first_screen.py. Uses Debian's
Chromium (CHROME_PATH=/usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gzip_server import server as gzip_server  # noqa: E402 - tools/ is not a package

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".audit"
LIGHTHOUSE = "lighthouse@12.2.3"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The pages the targets hold for (issue 18), and the least score of each category there.
TARGETED = ("home", "topic", "condition", "compare")
MIN_SCORE = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_CLS = 0.02
WIDTHS = {390: 844, 1366: 768}  # a phone and a laptop, with their first screen's height
SCREENSHOT_KINDS = ("home", "topic", "condition", "compare", "symptom", "embed")
# SEO audits that fail on embeds by design: they are noindex (the canonical page gets the credit),
# and Lighthouse fetches robots.txt from inside the page, which the embed's policy (no connect-src)
# blocks; crawlers fetch robots.txt themselves.
_EMBED = {"is-crawlable": "embeds are noindex",
          "robots-txt": "the embed's CSP blocks Lighthouse's in-page fetch; robots.txt is served"}
EXPECTED_FAILURES = {"embed": _EMBED, "card": _EMBED}
# Layout shifts after load, with the element that moved (Lighthouse 12.2's own "layout-shifts"
# audit fails on Debian's newer Chromium: "Cannot read properties of undefined (reading
# 'frame_sequence')").
_SHIFTS = """
window.__riShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__riShifts.push({value: entry.value, time: Math.round(entry.startTime),
      moved: (entry.sources || []).map((s) => s.node ? (s.node.nodeName.toLowerCase()
        + (s.node.id ? "#" + s.node.id : "") + (s.node.className && s.node.className.baseVal === undefined
        ? "." + String(s.node.className).trim().split(/\\s+/).join(".") : "")) : "(removed)")});
  }
}).observe({type: "layout-shift", buffered: true});
"""


def build(site_dir: Path, origin: str) -> None:
    """The real site, with its canonical URLs on the origin it is served from."""
    env = {**os.environ, "SITE_URL": f"{origin}/", "PYTHONPATH": str(ROOT / "hooks"),
           "NO_MKDOCS_2_WARNING": "1"}
    engine = os.environ.get("ENGINE") or "mkdocs"  # or properdocs: `make audit ENGINE=properdocs`
    subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--config-file", "mkdocs.yml",
                    "--site-dir", str(site_dir)], cwd=ROOT, env=env, check=True)


def first_folder(folder: Path) -> str:
    return sorted(p.name for p in folder.iterdir() if p.is_dir())[0]


def pages(site_dir: Path) -> dict[str, str]:
    """``{kind: path}``: one page of each kind, the first condition's topic for the topic's page."""
    condition = first_folder(site_dir / "conditions")
    document = json.loads((site_dir / "api/v1/conditions" / f"{condition}.json").read_text(encoding="utf-8"))
    chosen = {"home": "", "topic": f"{document['topic']}/", "condition": f"conditions/{condition}/",
              "compare": "compare/", "symptom": f"symptoms/{first_folder(site_dir / 'symptoms')}/"}
    if (site_dir / "embed" / condition).is_dir():
        chosen["embed"] = f"embed/{condition}/"
        chosen["card"] = f"embed/{condition}/card/"
    return chosen


def median_run(url: str, reports: Path, kind: str, runs: int) -> tuple[dict, list[dict]]:
    """Lighthouse ``runs`` times on ``url``: the run of median performance, and every run.

    A run's performance score moves with how busy the machine is (its blocking time is the page's
    own script time, four times slower); Lighthouse's documentation advises the median of several
    runs. The median run's report is kept as ``<kind>.json``, the others as ``<kind>-<n>.json``."""
    results = [lighthouse(url, reports / f"{kind}-{n}.json") for n in range(1, runs + 1)]
    order = sorted(range(runs), key=lambda n: (results[n]["categories"]["performance"]["score"] or 0))
    middle = order[(runs - 1) // 2]
    (reports / f"{kind}-{middle + 1}.json").replace(reports / f"{kind}.json")
    return results[middle], results


def lighthouse(url: str, report: Path) -> dict:
    command = [
        shutil.which("npx") or "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={report}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})
    return json.loads(report.read_text(encoding="utf-8"))


def failing(result: dict, kind: str) -> list[str]:
    """Scored audits below 1 in the categories other than performance."""
    out = []
    for category in CATEGORIES[1:]:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                reason = EXPECTED_FAILURES.get(kind, {}).get(ref["id"])
                expected = f" (expected: {reason})" if reason else ""
                why = audit.get("explanation") or audit.get("errorMessage") or ""
                out.append(f"    {category}: {ref['id']}: {audit['title']}{expected}" + (f": {why}" if why else ""))
    return out


def missed(kind: str, scores: dict[str, int], cls: float) -> list[str]:
    """The targets a page misses (only the targeted pages have any)."""
    if kind not in TARGETED:
        return []
    out = [f"{c} {scores[c]} < {least}" for c, least in MIN_SCORE.items() if scores[c] < least]
    if cls >= MAX_CLS:
        out.append(f"layout shift {cls:.3f} >= {MAX_CLS}")
    return out


def screenshots(origin: str, chosen: dict[str, str], folder: Path) -> list[str]:
    """Each kind's first screen and whole page at each width, light and dark; the layout shifts
    seen on a phone (light), as lines to print."""
    from playwright.sync_api import sync_playwright

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shifts: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"])
        try:
            for width, height in WIDTHS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                                  reduced_motion="reduce")
                    context.add_init_script(_SHIFTS)
                    tab = context.new_page()
                    for kind in SCREENSHOT_KINDS:
                        if kind not in chosen:
                            continue
                        tab.goto(f"{origin}/{chosen[kind]}", wait_until="load")
                        tab.wait_for_timeout(500)  # late work after load: fonts, scripts, the search index
                        name = f"{kind}-{width}-{scheme}"
                        tab.screenshot(path=str(folder / f"{name}.png"))
                        tab.screenshot(path=str(folder / f"{name}-full.png"), full_page=True)
                        if width == 390 and scheme == "light":
                            for shift in tab.evaluate("window.__riShifts"):
                                shifts.append(f"  {kind}: {shift['value']:.4f} at {shift['time']} ms, moved: "
                                              + (", ".join(shift["moved"]) or "?"))
                    context.close()
        finally:
            browser.close()
    return shifts


def main() -> int:
    if not shutil.which("npx"):
        print("make audit needs Node.js and npx (apt-get install nodejs npm).", file=sys.stderr)
        return 2
    if not Path(CHROME).exists():
        print(f"make audit needs Chromium at {CHROME} (apt-get install chromium).", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs on each of the first four pages")
    runs = max(1, parser.parse_args().runs)
    reports = OUT / "lighthouse"
    if reports.exists():
        shutil.rmtree(reports)
    reports.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="running-injuries-audit-") as tmp:
        site_dir = Path(tmp) / "site"
        httpd = gzip_server(site_dir)  # bound first, so that the build knows its origin
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        build(site_dir, origin)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            chosen = pages(site_dir)
            rows = []
            for kind, path in chosen.items():
                if kind == "symptom":
                    continue  # screenshots only
                result, every = median_run(f"{origin}/{path}", reports, kind, runs if kind in TARGETED else 1)
                scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
                cls = max(r["audits"]["cumulative-layout-shift"]["numericValue"] for r in every)
                spread = [(round(100 * (r["categories"]["performance"]["score"] or 0)),
                           round(r["audits"]["total-blocking-time"]["numericValue"])) for r in every]
                rows.append((kind, path, scores, cls, spread, failing(result, kind), missed(kind, scores, cls)))
            shifts = screenshots(origin, chosen, OUT / "screenshots")
        finally:
            httpd.shutdown()
            httpd.server_close()
    print(f"\nLighthouse {LIGHTHOUSE.split('@')[1]}, {CHROME}, mobile preset, served with gzip from {origin};")
    print(f"the run of median performance of {runs} for the first four pages (CLS: the largest of them)\n")
    print(f"{'page':<11}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'CLS':>8}  {'targets':<8} {'url':<34} every run: perf (TBT ms)")
    for kind, path, scores, cls, spread, _, misses in rows:
        verdict = ("FAIL" if misses else "PASS") if kind in TARGETED else "-"
        print(f"{kind:<11}" + "".join(f"{scores[c]:>6}" for c in CATEGORIES) + f"{cls:>8.3f}  {verdict:<8} "
              + f"{'/' + path:<34} " + ", ".join(f"{perf} ({tbt})" for perf, tbt in spread))
    for kind, _, _, _, _, lines, misses in rows:
        if misses:
            print(f"\n  {kind} misses: " + "; ".join(misses))
        if lines:
            print(f"\n  {kind}: audits that did not pass")
            print("\n".join(lines))
    print("\nLayout shifts after load on a phone (390 px): " + ("none" if not shifts else ""))
    print("\n".join(shifts))
    print(f"\nReports: {(reports).relative_to(ROOT)}/, screenshots: {(OUT / 'screenshots').relative_to(ROOT)}/")
    return 1 if any(misses for *_, misses in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
