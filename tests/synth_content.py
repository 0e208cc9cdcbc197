"""The benchmark's synthetic content (bench/synth.py), for tests that need a topic of many
conditions: invented, valid, and the same on every run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _synth():
    name = "bench_synth_content"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "synth.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


def write_synthetic_content(folder: Path, n: int) -> Path:
    """A content tree of ``n`` invented conditions (one topic up to 100) in ``folder``."""
    return _synth().write_content(folder, n)
