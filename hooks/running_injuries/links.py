"""How content connects: which conditions list each symptom, related links both ways, and the
conditions with similar symptoms.

Everything is computed from one index of symptom -> conditions, so the cost grows with the
content (each condition meets only the conditions that share a symptom with it, within its
topic), not with the square of the number of conditions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Condition, Site, SymptomUse

SIMILAR_LIMIT = 5


@dataclass(frozen=True)
class Listing:
    """A condition as it lists one symptom."""

    condition: Condition
    use: SymptomUse


@dataclass(frozen=True)
class Similar:
    condition: Condition
    shared: tuple[str, ...]  # symptom ids, in the order this condition lists them


@dataclass(frozen=True)
class Links:
    by_symptom: dict[str, list[Listing]]
    related: dict[str, list[Condition]]
    similar: dict[str, list[Similar]]

    def topic_symptoms(self, conditions: list[Condition]) -> list[str]:
        """The symptom ids any of ``conditions`` lists, in order of first appearance by condition."""
        seen: dict[str, None] = {}
        for condition in conditions:
            for use in condition.meta.symptoms:
                seen.setdefault(use.id, None)
        return list(seen)


def _sort_key(condition: Condition) -> tuple[str, str]:
    return (condition.title.casefold(), condition.id)


def build_links(site: Site) -> Links:
    """Index the content. Unknown ids (already reported by ``validate``) are skipped."""
    conditions = sorted(site.conditions.values(), key=_sort_key)

    by_symptom: dict[str, list[Listing]] = defaultdict(list)
    by_topic_symptom: dict[tuple[str, str], list[Condition]] = defaultdict(list)
    for condition in conditions:
        for use in condition.meta.symptoms:
            by_symptom[use.id].append(Listing(condition, use))
            by_topic_symptom[(condition.meta.topic, use.id)].append(condition)

    related_ids: dict[str, set[str]] = defaultdict(set)
    for condition in conditions:
        for other in condition.meta.related:
            if other in site.conditions and other != condition.id:
                related_ids[condition.id].add(other)
                related_ids[other].add(condition.id)
    related = {cid: sorted((site.conditions[o] for o in ids), key=_sort_key) for cid, ids in related_ids.items()}

    similar: dict[str, list[Similar]] = {}
    for condition in conditions:
        shared: Counter[str] = Counter()
        for use in condition.meta.symptoms:
            for other in by_topic_symptom[(condition.meta.topic, use.id)]:
                if other.id != condition.id:
                    shared[other.id] += 1
        best = sorted(shared, key=lambda oid: (-shared[oid], _sort_key(site.conditions[oid])))[:SIMILAR_LIMIT]
        similar[condition.id] = [
            Similar(site.conditions[oid], tuple(u.id for u in condition.meta.symptoms
                                                if any(v.id == u.id for v in site.conditions[oid].meta.symptoms)))
            for oid in best
        ]
    return Links(dict(by_symptom), related, similar)
