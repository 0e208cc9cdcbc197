"""links.py on a small fixture with known overlaps: symptom index, related links both ways,
similar conditions (order, shared symptoms, limit, within the topic only) and comparison tables.

The fixture is invented test content (not medical information); its titles say so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import fixture_condition, fixture_content, fixture_symptoms, write
from running_injuries.knowledge.links import SIMILAR_LIMIT
from running_injuries.pipeline import Prepared, prepare
from running_injuries.content.problems import Severity

TODAY = dt.date(2026, 11, 26)

SYMPTOMS = fixture_symptoms("ache", "sting", "throb", "buzz", "fizz", "unused")  # no condition lists "unused"

# id -> (title, symptoms, topic, related). Titles sort differently from ids on purpose, so that
# an ordering by id instead of by title would show.
CONDITIONS: dict[str, tuple[str, list[tuple[str, str]], str, list[str]]] = {
    "a": ("Kilo fixture", [("ache", "common"), ("sting", "occasional"), ("throb", "common"), ("buzz", "common")],
          "aches", ["h"]),
    "b": ("Zulu fixture", [("throb", "occasional"), ("ache", "common"), ("sting", "common")], "aches", []),
    "c": ("Alpha fixture", [("buzz", "common"), ("sting", "common"), ("throb", "occasional")], "aches", []),
    "d": ("Lima fixture", [("buzz", "occasional"), ("ache", "occasional")], "aches", []),
    "e": ("Mike fixture", [("throb", "common")], "aches", []),
    "f": ("Delta fixture", [("buzz", "common")], "aches", []),
    "g": ("Bravo fixture", [("ache", "occasional")], "aches", []),
    "h": ("Hotel fixture", [("fizz", "occasional")], "aches", []),
    # Same symptoms as "a", but in another topic: never "similar" to it, though it may be related.
    "x": ("Xray fixture", [("ache", "common"), ("sting", "common"), ("throb", "common"), ("buzz", "common")],
          "other", ["a"]),
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("links")
    texts = {cid: fixture_condition(title, symptoms, topic=topic, related=related or None)
             for cid, (title, symptoms, topic, related) in CONDITIONS.items()}
    texts["a"] = texts["a"].replace("    frequency: occasional\n",
                                    "    frequency: occasional\n    note: A fixture note.\n", 1)
    fixture_content(root / "content", texts)
    write(root / "content", {
        "symptoms.yml": SYMPTOMS,
        "topics/other.md": "---\ntitle: Other\nsummary: A second fixture topic.\nreviewed: 2026-11-01\n---\nOther.\n",
    })
    result = prepare(root / "content", root, today=TODAY)
    assert [str(p) for p in result.problems.errors] == []
    return result


def ids(conditions) -> list[str]:
    return [c.id for c in conditions]


# -- similar conditions -------------------------------------------------------------------------


def test_similar_exact_order_and_shared_symptoms(prepared: Prepared) -> None:
    similar = prepared.links.similar["a"]
    # b and c share 3 symptoms (Alpha before Zulu), d shares 2, then g, f and e share 1 each:
    # Bravo and Delta make the limit of five, Mike does not. x shares 4 but is in another topic.
    assert [(s.condition.id, s.shared) for s in similar] == [
        ("c", ("sting", "throb", "buzz")),
        ("b", ("ache", "sting", "throb")),
        ("d", ("ache", "buzz")),
        ("g", ("ache",)),
        ("f", ("buzz",)),
    ]
    assert len(similar) == SIMILAR_LIMIT == 5


def test_similar_is_within_the_topic_only(prepared: Prepared) -> None:
    site = prepared.site
    for cid, items in prepared.links.similar.items():
        assert all(s.condition.meta.topic == site.conditions[cid].meta.topic for s in items), cid
    assert prepared.links.similar["x"] == []  # alone in its topic
    assert prepared.links.similar["h"] == []  # shares no symptom


def test_similar_matches_a_pairwise_computation(prepared: Prepared) -> None:
    """Every list equals the obvious quadratic computation (shared count desc, then title)."""
    conditions = list(prepared.site.conditions.values())
    for condition in conditions:
        mine = [u.id for u in condition.meta.symptoms]
        candidates = []
        for other in conditions:
            if other.id == condition.id or other.meta.topic != condition.meta.topic:
                continue
            theirs = {u.id for u in other.meta.symptoms}
            shared = tuple(sid for sid in mine if sid in theirs)
            if shared:
                candidates.append(((-len(shared), other.title.casefold(), other.id), other.id, shared))
        expected = [(oid, shared) for _, oid, shared in sorted(candidates)][:SIMILAR_LIMIT]
        got = [(s.condition.id, s.shared) for s in prepared.links.similar[condition.id]]
        assert got == expected, condition.id


# -- related links ------------------------------------------------------------------------------


def test_related_links_both_ways_sorted_by_title(prepared: Prepared) -> None:
    related = prepared.links.related
    assert ids(related["a"]) == ["h", "x"]  # Hotel, Xray: a names h; x names a
    assert ids(related["h"]) == ["a"]
    assert ids(related["x"]) == ["a"]
    assert "b" not in related


def test_related_is_symmetric(prepared: Prepared) -> None:
    related = prepared.links.related
    pairs = {(cid, other.id) for cid, items in related.items() for other in items}
    assert pairs == {(b, a) for a, b in pairs}
    named = {(c.id, o) for c in prepared.site.conditions.values() for o in c.meta.related}
    assert pairs == named | {(b, a) for a, b in named}


# -- symptom index and comparison ---------------------------------------------------------------


def test_symptom_index_lists_conditions_by_title_with_their_use(prepared: Prepared) -> None:
    by_symptom = prepared.links.by_symptom
    assert [(item.condition.id, item.use.frequency) for item in by_symptom["ache"]] == [
        ("g", "occasional"), ("a", "common"), ("d", "occasional"), ("x", "common"), ("b", "common"),
    ]
    sting = {item.condition.id: item.use for item in by_symptom["sting"]}
    assert sting["a"].note == "A fixture note."
    assert "unused" not in by_symptom
    for sid, listings in by_symptom.items():
        expected = sorted((c for c in prepared.site.conditions.values() if sid in [u.id for u in c.meta.symptoms]),
                          key=lambda c: (c.title.casefold(), c.id))
        assert [item.condition.id for item in listings] == ids(expected), sid


def test_comparison_table_per_topic(prepared: Prepared) -> None:
    site, comparisons = prepared.site, prepared.links.comparisons
    assert sorted(comparisons) == ["aches", "other"]
    for topic_id, table in comparisons.items():
        members = sorted(site.conditions_of(topic_id), key=lambda c: (c.title.casefold(), c.id))
        assert [row.condition.id for row in table.rows] == ids(members)
        counts: dict[str, int] = {}
        for condition in members:
            for use in condition.meta.symptoms:
                counts[use.id] = counts.get(use.id, 0) + 1
        assert list(table.symptom_ids) == sorted(counts, key=lambda s: (-counts[s], site.symptoms[s].label, s))
        for row in table.rows:
            uses = {u.id: u for u in row.condition.meta.symptoms}
            assert row.cells == tuple(uses.get(sid) for sid in table.symptom_ids)
    # Known values: ache, buzz and throb are each listed by four "aches" conditions (so by label),
    # sting by three, fizz by one.
    assert comparisons["aches"].symptom_ids == ("ache", "buzz", "throb", "sting", "fizz")


# -- checks -------------------------------------------------------------------------------------


def test_unused_symptom_is_a_warning_and_all_occasional_is_fine(prepared: Prepared) -> None:
    problems = list(prepared.problems)
    assert [(p.path, p.field, p.message, p.severity) for p in problems if p.field == "unused"] == [
        ("content/symptoms.yml", "unused", "no condition lists this symptom", Severity.WARNING),
    ]
    unused = next(p for p in problems if p.field == "unused")
    lines = (Path(prepared.root) / "content/symptoms.yml").read_text(encoding="utf-8").splitlines()
    assert lines[unused.line - 1].startswith("unused:")
    # d, g and h list only occasional symptoms: no problem names them.
    assert all(cid not in p.path for p in problems for cid in ("/d.md", "/g.md", "/h.md"))
    assert [p for p in problems if p.field != "unused"] == []


def test_unknown_symptom_is_an_error_and_links_skip_it(tmp_path: Path) -> None:
    fixture_content(tmp_path / "content", {
        "ok": fixture_condition("Ok fixture", [("ache", "common"), ("sting", "common"), ("throb", "common")]),
        "bad": fixture_condition("Bad fixture", [("ache", "common"), ("stnig", "common")]),
    })
    result = prepare(tmp_path / "content", tmp_path, today=TODAY)
    assert any("unknown symptom 'stnig'" in str(p) for p in result.problems.errors)
    assert "stnig" not in result.links.by_symptom
    assert [(s.condition.id, s.shared) for s in result.links.similar["bad"]] == [("ok", ("ache",))]
    assert "stnig" not in result.links.comparisons["aches"].symptom_ids


@pytest.mark.parametrize("size", [1, 2, 7])
def test_similar_limit_holds_for_any_number_of_overlaps(tmp_path: Path, size: int) -> None:
    texts = {f"c{i}": fixture_condition(f"Fixture {i}", [("ache", "common")]) for i in range(size)}
    texts["sting-only"] = fixture_condition("Sting only", [("sting", "common"), ("throb", "common")])
    fixture_content(tmp_path / "content", texts)
    result = prepare(tmp_path / "content", tmp_path, today=TODAY)
    for cid in texts:
        similar = result.links.similar[cid]
        if cid == "sting-only":
            assert similar == []
        else:
            expected = sorted((f"c{i}" for i in range(size) if f"c{i}" != cid),
                              key=lambda oid: (result.site.conditions[oid].title.casefold(), oid))
            assert ids(s.condition for s in similar) == expected[:SIMILAR_LIMIT]
            assert all(s.shared == ("ache",) for s in similar)


def test_pairwise_overlaps_are_symmetric(prepared: Prepared) -> None:
    """If A shares k symptoms with B, B shares k with A (whenever both lists show the pair)."""
    counts = {(cid, s.condition.id): len(s.shared) for cid, items in prepared.links.similar.items() for s in items}
    for (a, b), k in counts.items():
        if (b, a) in counts:
            assert counts[(b, a)] == k
    assert counts[("a", "b")] == counts[("b", "a")] == 3
