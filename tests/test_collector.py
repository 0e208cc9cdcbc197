"""``collector.full_collections_held_back``: no full collection inside the block, young ones as
usual, and the collector's settings as they were afterwards, even when the block fails."""

from __future__ import annotations

import gc

import pytest

from running_injuries.collector import full_collections_held_back


def collections_while_making_objects() -> list[int]:
    """The generation of each collection while many objects that hold others are made."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()  # from a known start: what is alive now counts as long-lived
    gc.callbacks.append(note)
    try:
        kept = [[index] for index in range(400_000)]  # objects the collector tracks, all kept
    finally:
        gc.callbacks.remove(note)
    assert len(kept) == 400_000
    return seen


def test_no_full_collection_inside_the_block_and_young_ones_as_usual() -> None:
    assert gc.isenabled()
    before = gc.get_threshold()
    outside = collections_while_making_objects()
    assert 2 in outside, "the check itself: without the block, such a step starts full collections"
    with full_collections_held_back():
        inside = collections_while_making_objects()
    assert 2 not in inside and 0 in inside
    assert gc.get_threshold() == before


def test_the_settings_come_back_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), full_collections_held_back():
        assert gc.get_threshold()[2] > before[2]
        raise RuntimeError("the step failed")
    assert gc.get_threshold() == before
