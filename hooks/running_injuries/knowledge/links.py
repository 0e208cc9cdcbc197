"""How content connects: which conditions list each symptom, related links both ways, the
conditions with similar symptoms, and the symptom-comparison table of each topic.

Everything is computed from one index of (topic, symptom) -> conditions, so the cost grows with
the content (each condition meets only the conditions that share a symptom with it, within its
topic), not with the square of the number of conditions.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..content.model import Condition, Site, SymptomUse

SIMILAR_LIMIT = 5


@dataclass(frozen=True)
class Listing:
    """A condition as it lists one symptom."""

    condition: Condition
    use: SymptomUse


@dataclass(frozen=True)
class Similar:
    """Another condition of the same topic, and the symptoms both list."""

    condition: Condition
    shared: tuple[str, ...]  # symptom ids, in the order this condition lists them


@dataclass(frozen=True)
class ComparisonRow:
    condition: Condition
    cells: tuple[SymptomUse | None, ...]  # one per column; None where the condition does not list it


@dataclass(frozen=True)
class Comparison:
    """One topic's table: a row per condition (by title), a column per symptom any of them lists
    (most often listed first, then by label)."""

    topic_id: str
    symptom_ids: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class Links:
    by_symptom: dict[str, list[Listing]]  # symptom id -> listings, conditions by title
    by_topic: dict[str, list[Condition]]  # topic id -> its conditions, by title
    related: dict[str, list[Condition]]   # condition id -> related conditions (both ways), by title
    similar: dict[str, list[Similar]]     # condition id -> at most SIMILAR_LIMIT similar conditions
    comparisons: dict[str, Comparison]    # topic id -> its table (topics with conditions only)


def _sort_key(condition: Condition) -> tuple[str, str]:
    return (condition.title.casefold(), condition.id)


def _comparison(site: Site, topic_id: str, conditions: list[Condition],
                listed: dict[tuple[str, str], list[Condition]]) -> Comparison:
    counts = {use.id: len(listed[(topic_id, use.id)])
              for condition in conditions for use in condition.meta.symptoms if use.id in site.symptoms}
    symptom_ids = tuple(sorted(counts, key=lambda sid: (-counts[sid], site.symptoms[sid].label.casefold(), sid)))
    rows = []
    for condition in conditions:
        uses = {use.id: use for use in condition.meta.symptoms}
        rows.append(ComparisonRow(condition, tuple(uses.get(sid) for sid in symptom_ids)))
    return Comparison(topic_id, symptom_ids, tuple(rows))


def build_links(site: Site) -> Links:
    """Index the content. Unknown symptom ids (already reported by ``validate``) are skipped."""
    conditions = sorted(site.conditions.values(), key=_sort_key)

    by_symptom: dict[str, list[Listing]] = defaultdict(list)
    by_topic: dict[str, list[Condition]] = defaultdict(list)
    listed: dict[tuple[str, str], list[Condition]] = defaultdict(list)
    for condition in conditions:
        by_topic[condition.meta.topic].append(condition)
        for use in condition.meta.symptoms:
            if use.id in site.symptoms:
                by_symptom[use.id].append(Listing(condition, use))
                listed[(condition.meta.topic, use.id)].append(condition)

    related_ids: dict[str, set[str]] = defaultdict(set)
    for condition in conditions:
        for other in condition.meta.related:
            if other in site.conditions and other != condition.id:
                related_ids[condition.id].add(other)
                related_ids[other].add(condition.id)
    related = {cid: sorted((site.conditions[o] for o in ids), key=_sort_key)
               for cid, ids in sorted(related_ids.items())}

    # Conditions by their place in title order, which also breaks ties between equally similar ones.
    rank = {condition.id: index for index, condition in enumerate(conditions)}
    listed_ranks = {key: [rank[other.id] for other in others] for key, others in listed.items()}
    similar: dict[str, list[Similar]] = {}
    for index, condition in enumerate(conditions):
        topic = condition.meta.topic
        shared = Counter(itertools.chain.from_iterable(
            listed_ranks.get((topic, use.id), ()) for use in condition.meta.symptoms))
        shared.pop(index, None)
        best = heapq.nsmallest(SIMILAR_LIMIT, [(-count, other) for other, count in shared.items()])
        similar[condition.id] = []
        for _, other in best:
            theirs = {use.id for use in conditions[other].meta.symptoms}
            both = tuple(use.id for use in condition.meta.symptoms if use.id in theirs and use.id in site.symptoms)
            similar[condition.id].append(Similar(conditions[other], both))

    comparisons = {topic_id: _comparison(site, topic_id, by_topic[topic_id], listed)
                   for topic_id in site.topics if by_topic.get(topic_id)}
    return Links(dict(by_symptom), dict(by_topic), related, similar, comparisons)
