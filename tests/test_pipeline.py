"""``pipeline.prepare`` grades reading in a second process: the same grades as in one process, and
never the grade of a body that changed on disk in between."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from running_injuries import pipeline
from running_injuries.readability import reading

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)


def grades(monkeypatch: pytest.MonkeyPatch, *, one_process: bool) -> dict[str, object]:
    with monkeypatch.context() as patch:
        if one_process:
            patch.setenv("RUNNING_INJURIES_PROCESSES", "1")
        else:
            patch.delenv("RUNNING_INJURIES_PROCESSES", raising=False)
        prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    return dict(prepared.reading)


def test_same_grades_in_one_process_or_two(monkeypatch: pytest.MonkeyPatch) -> None:
    forked, single = grades(monkeypatch, one_process=False), grades(monkeypatch, one_process=True)
    assert forked == single and len(forked) == 5  # the topic and the four conditions


def test_a_body_read_twice_differently_is_graded_as_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    real_bodies = pipeline.bodies

    def stale(content_dir: Path, root: Path) -> dict[str, tuple[str, int]]:
        # As if each file had been edited between the two reads.
        return {path: ("Old words.", line) for path, (body, line) in real_bodies(content_dir, root).items()}

    monkeypatch.setattr(pipeline, "bodies", stale)
    prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    for page in [*prepared.site.topics.values(), *prepared.site.conditions.values()]:
        assert prepared.reading[page.path] == reading(page.body, page.body_line)
        assert prepared.reading[page.path].words > 100
