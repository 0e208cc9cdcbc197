"""`make audit`: Lighthouse on a locally served build: a condition page, the compare page and an
embed; prints the four category scores and every audit that did not pass.

Not part of `make test` (it needs Lighthouse from npm, fetched once by npx into npm's cache); the
same properties are tested without it by tests/test_a11y.py, test_privacy.py and test_seo.py.
Uses Debian's Chromium (CHROME_PATH=/usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# SEO audits that fail on embeds by design: they are noindex (the canonical page gets the credit),
# and Lighthouse fetches robots.txt from inside the page, which the embed's policy (no connect-src)
# blocks; crawlers fetch robots.txt themselves.
_EMBED = {"is-crawlable": "embeds are noindex",
          "robots-txt": "the embed's CSP blocks Lighthouse's in-page fetch; robots.txt is served"}
EXPECTED_FAILURES = {"embed": _EMBED, "card": _EMBED}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(site_dir: Path, origin: str) -> None:
    """The real site, with its canonical URLs on the origin it is served from."""
    env = {**os.environ, "SITE_URL": f"{origin}/", "PYTHONPATH": str(ROOT / "hooks"),
           "NO_MKDOCS_2_WARNING": "1"}
    engine = os.environ.get("ENGINE") or "mkdocs"  # or properdocs: `make audit ENGINE=properdocs`
    subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--config-file", "mkdocs.yml",
                    "--site-dir", str(site_dir)], cwd=ROOT, env=env, check=True)


def pages(site_dir: Path) -> dict[str, str]:
    conditions = sorted(p.name for p in (site_dir / "conditions").iterdir() if p.is_dir())
    chosen = {"condition": f"conditions/{conditions[0]}/", "compare": "compare/"}
    if (site_dir / "embed" / conditions[0]).is_dir():
        chosen["embed"] = f"embed/{conditions[0]}/"
        chosen["card"] = f"embed/{conditions[0]}/card/"
    return chosen


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


def main() -> int:
    if not shutil.which("npx"):
        print("make audit needs Node.js and npx (apt-get install nodejs npm).", file=sys.stderr)
        return 2
    if not Path(CHROME).exists():
        print(f"make audit needs Chromium at {CHROME} (apt-get install chromium).", file=sys.stderr)
        return 2
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="running-injuries-audit-") as tmp:
        site_dir = Path(tmp) / "site"
        build(site_dir, origin)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                 functools.partial(_Quiet, directory=str(site_dir)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            rows = []
            for kind, path in pages(site_dir).items():
                result = lighthouse(f"{origin}/{path}", Path(tmp) / f"{kind}.json")
                scores = [round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES]
                rows.append((kind, path, scores, failing(result, kind)))
        finally:
            server.shutdown()
    print(f"\nLighthouse {LIGHTHOUSE.split('@')[1]}, {CHROME}, mobile emulation, served from {origin}\n")
    print(f"{'page':<11}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}  url")
    for kind, path, scores, _ in rows:
        print(f"{kind:<11}" + "".join(f"{s:>6}" for s in scores) + f"  /{path}")
    problems = [(kind, lines) for kind, _, _, lines in rows if lines]
    for kind, lines in problems:
        print(f"\n  {kind}: audits that did not pass")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
