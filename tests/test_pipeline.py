"""``pipeline.prepare`` grades reading in a second process: the same grades as in one process, and
never the grade of a body that changed on disk in between."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from running_injuries import background, pipeline
from running_injuries.readability import reading

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)


@contextmanager
def forking(monkeypatch: pytest.MonkeyPatch, *, fork: bool) -> Iterator[list[bool]]:
    """``background.start`` forks (or not) as asked, even if other tests left threads running;
    yields whether each step it started forked."""
    real_start = background.start
    forked: list[bool] = []

    def start(step, *, fork=None):  # noqa: ANN001, ANN202 - records whether the step forked
        job = real_start(step, fork=fork_wanted)
        forked.append(job.forked)
        return job

    fork_wanted = fork
    with monkeypatch.context() as patch:
        patch.setattr(background, "start", start)
        yield forked


def grades(monkeypatch: pytest.MonkeyPatch, *, fork: bool) -> dict[str, object]:
    with forking(monkeypatch, fork=fork) as forked:
        prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    assert forked == [fork]
    return dict(prepared.reading)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_same_grades_in_one_process_or_two(monkeypatch: pytest.MonkeyPatch) -> None:
    forked, single = grades(monkeypatch, fork=True), grades(monkeypatch, fork=False)
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


def rendered_pages(monkeypatch: pytest.MonkeyPatch, *, fork: bool) -> list[tuple[object, ...]]:
    from running_injuries.render import Renderer

    prepared = pipeline.prepare(ROOT / "content", ROOT, today=TODAY)
    with forking(monkeypatch, fork=fork) as forked:
        pages = Renderer(prepared).pages()
    assert forked == [fork]
    return [(p.src_uri, p.url, p.markdown, p.kind, p.id, p.source_path, p.stash) for p in pages]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_same_generated_pages_in_the_same_order_in_one_process_or_two(monkeypatch: pytest.MonkeyPatch) -> None:
    forked, single = rendered_pages(monkeypatch, fork=True), rendered_pages(monkeypatch, fork=False)
    assert forked == single
    uris = [uri for uri, *_ in single]
    conditions = [uri for uri in uris if uri.startswith("conditions/")]
    assert len(conditions) == 4 and conditions == sorted(conditions)  # every one, in the content's order
    assert uris[0] == "back-pain.md" and uris[1:5] == conditions


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_pages_the_second_process_took_but_did_not_send_are_rendered_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from running_injuries.render import Renderer

    expected = rendered_pages(monkeypatch, fork=False)
    parent, real_condition = os.getpid(), Renderer.condition

    def condition(self, condition):  # noqa: ANN001, ANN202 - fails in the second process, at its first condition
        if os.getpid() != parent:
            raise RuntimeError("the second process fails")
        return real_condition(self, condition)

    monkeypatch.setattr(Renderer, "condition", condition)
    assert rendered_pages(monkeypatch, fork=True) == expected
