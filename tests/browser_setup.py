"""Make sure Debian's Chromium is there for the browser tests, before pytest starts.

Installs it with apt-get when it is missing and we are root; otherwise says exactly what to
install and exits non-zero, so `make test` never silently skips the browser tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Chromium is missing: installing Debian's chromium with apt-get ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        return 0 if os.path.exists(CHROMIUM) else 1
    print(
        "The browser tests need Debian's Chromium at /usr/bin/chromium.\n"
        "Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n"
        "(Do not use 'playwright install': the tests drive the system Chromium.)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
