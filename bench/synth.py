"""Synthetic content for the speed benchmark: N valid conditions, and the floor site to compare with.

Everything written here is a benchmark fixture: invented conditions, symptoms and references whose
text says so. It is written into a temporary folder that the benchmark names, never into
``content/``. The output depends only on N (a fixed random seed), so two runs build the same site.

- ``write_content(folder, n)``: a content tree in the editors' format (``conditions/``, ``topics/``,
  ``symptoms.yml``, ``references.json``): ``n`` conditions across ``max(1, n // 100)`` topics,
  30 symptoms that overlap within a topic, bodies of about 500 words with ``[@key]`` citations
  (groups and repeats included), related links, all valid.
- ``write_floor(folder, n, markdown_extensions)``: a stock Material site of the same number of plain
  Markdown pages of the same length, with a small nav: the floor our build is measured against.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20261126
SYMPTOM_COUNT = 30
REFERENCE_COUNT = 40
CONDITIONS_PER_TOPIC = 100
REVIEWED = "2026-11-01"
FIXTURE_NOTE = "This page is a benchmark fixture: it is invented for the speed benchmark and is not medical information."

# Short, plain words, so that the bodies read at a low grade like the real content.
_PARTS = ["knee", "heel", "calf", "shin", "hip", "foot", "ankle", "thigh", "back", "toe", "arch", "groin"]
_FEELINGS = ["sore", "stiff", "tight", "weak", "tender", "achy", "warm", "swollen"]
_RUNS = ["long", "short", "fast", "slow", "hill", "trail", "track", "steady"]
_TIMES = ["in the morning", "at night", "after a rest", "on the stairs", "at the start of a run",
          "near the end of a run", "the next day", "after a race"]
_PERIODS = ["a few days", "a week", "two weeks", "a month", "some weeks"]
_HELPERS = ["rest", "ice", "gentle walks", "easy cycling", "swimming", "stretches", "strength work",
            "a slower pace", "softer ground", "new shoes", "shorter runs", "a coach"]
_SENTENCES = [
    "Many runners notice a {feeling} {part} after a {run} run.",
    "The {part} may feel {feeling} {time}.",
    "Some people feel it most {time}.",
    "It often starts small and grows over {period}.",
    "A {run} run can make the {part} feel worse.",
    "Rest for {period} can help the {part} settle.",
    "Try {helper} while the {part} is {feeling}.",
    "Go back to running slowly, over {period}.",
    "Keep a short note of how the {part} feels each day.",
    "Stop the run if the pain gets worse as you go.",
    "Most runners find that {helper} helps.",
    "Do not run through sharp pain in the {part}.",
    "A {feeling} {part} is a sign to slow down.",
    "Plan a few {run} runs a week, not every day.",
    "Warm up with a walk before each run.",
    "Change only one thing in your training at a time.",
    "Your body needs time to adapt to more running.",
    "Sleep and food help the {part} heal.",
    "A clinician can check the {part} if you are not sure.",
    "It is fine to use {helper} for {period}.",
]
_SECTIONS = ["What it is", "Causes", "Treatment", "Recovery and return to running", "Prevention"]


@dataclass(frozen=True)
class SynthCondition:
    id: str
    title: str
    topic: str
    summary: str
    body: str  # Markdown with [@key] citations
    symptoms: tuple[tuple[str, str], ...]  # (symptom id, frequency)


def condition_id(index: int) -> str:
    return f"bench-condition-{index:04d}"


def topic_id(index: int) -> str:
    return f"bench-topic-{index:02d}"


def symptom_id(index: int) -> str:
    return f"bench-symptom-{index:02d}"


def reference_id(index: int) -> str:
    return f"bench-ref-{index:02d}"


def topic_count(n: int) -> int:
    return max(1, n // CONDITIONS_PER_TOPIC)


def reference_count(n: int) -> int:
    # Every source must be cited somewhere (an unused one is a warning): never more than conditions.
    return max(1, min(REFERENCE_COUNT, n))


def _sentence(rng: random.Random) -> str:
    return rng.choice(_SENTENCES).format(
        part=rng.choice(_PARTS), feeling=rng.choice(_FEELINGS), run=rng.choice(_RUNS),
        time=rng.choice(_TIMES), period=rng.choice(_PERIODS), helper=rng.choice(_HELPERS))


def _citation(rng: random.Random, keys: list[str], first: str) -> str:
    """``[@key]`` or a group ``[@a; @b]``; ``first`` is cited by every condition so each key is used."""
    if rng.random() < 0.25 and len(keys) > 1:
        pair = sorted({first, rng.choice(keys)})
        return "[" + "; ".join(f"@{k}" for k in pair) + "]"
    return f"[@{rng.choice([first, rng.choice(keys)])}]"


def _body(rng: random.Random, keys: list[str], first: str) -> str:
    """About 500 words in five sections, one list, some bold, five to seven citations."""
    out = [FIXTURE_NOTE, ""]
    for number, heading in enumerate(_SECTIONS):
        out += [f"## {heading}", ""]
        for paragraph in range(2):
            sentences = [_sentence(rng) for _ in range(rng.randint(4, 5))]
            if paragraph == 0 or rng.random() < 0.5:
                where = rng.randrange(len(sentences))
                sentences[where] = sentences[where][:-1] + f" {_citation(rng, keys, first)}."
            if number == 2 and paragraph == 0:
                sentences[0] = f"**{sentences[0]}**"
            out += [" ".join(sentences), ""]
        if number == 1:
            out += [f"- {rng.choice(_HELPERS).capitalize()} for {rng.choice(_PERIODS)}." for _ in range(3)]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def conditions(n: int) -> list[SynthCondition]:
    """The ``n`` synthetic conditions, deterministic for a given ``n``."""
    rng = random.Random(SEED)
    topics = topic_count(n)
    keys = [reference_id(i) for i in range(reference_count(n))]
    out = []
    for index in range(n):
        topic = index % topics
        # Each topic favours its own ten symptoms, so conditions of a topic share symptoms; the
        # first three cycle through all 30, so from ten conditions on every symptom is listed.
        pool = [(topic * 7 + j) % SYMPTOM_COUNT for j in range(10)]
        chosen = {(3 * index + j) % SYMPTOM_COUNT for j in range(3)} | set(rng.sample(pool, rng.randint(1, 3)))
        symptoms = tuple((symptom_id(s), rng.choice(["common", "common", "occasional"])) for s in sorted(chosen))
        out.append(SynthCondition(
            id=condition_id(index),
            title=f"Benchmark condition {index:04d}",
            topic=topic_id(topic),
            summary=f"An invented {rng.choice(_PARTS)} problem for the speed benchmark (benchmark fixture). "
                    "It is not medical information.",
            body=_body(rng, keys, keys[index % len(keys)]),
            symptoms=symptoms,
        ))
    return out


def _related(index: int, n: int, topics: int) -> list[str]:
    """One or two other conditions of the same topic (same index modulo ``topics``)."""
    others = [index + topics * step for step in (1, 7)]
    return [condition_id(o) for o in others if o < n][: 1 + index % 2]


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def condition_markdown(condition: SynthCondition, index: int, n: int) -> str:
    topics = topic_count(n)
    lines = ["---", f"title: {condition.title}", f"also_called: [Fixture {index:04d}]",
             f"topic: {condition.topic}", f"summary: {condition.summary}", "symptoms:"]
    for number, (sid, frequency) in enumerate(condition.symptoms):
        lines += [f"  - id: {sid}", f"    frequency: {frequency}"]
        if number == 0:
            lines.append("    note: An invented note for the benchmark.")
    lines += ["onset: " + ["sudden", "gradual", "varies"][index % 3],
              "risk_factors:", "  - Runners who add distance fast.", "  - Runners who train on hard ground.",
              "recovery: Most invented cases settle within a few weeks.",
              "see_a_clinician:", "  - The pain does not ease after a week of rest.",
              "  - You cannot put weight on the leg."]
    related = _related(index, n, topics)
    if related:
        lines.append(f"related: {_yaml_list(related)}")
    lines += [f"reviewed: {REVIEWED}", "reviewed_by: Benchmark fixture", "---", "", condition.body]
    return "\n".join(lines)


def _topic_markdown(index: int, keys: list[str]) -> str:
    rng = random.Random(SEED + index)
    body = [FIXTURE_NOTE, "", "## Advice for all these conditions", ""]
    body += [" ".join(_sentence(rng) for _ in range(5)) + f" [@{keys[index % len(keys)]}]", ""]
    return "\n".join([
        "---", f"title: Benchmark topic {index:02d}",
        "summary: An invented group of conditions for the speed benchmark (benchmark fixture).",
        f"reviewed: {REVIEWED}", "---", "", *body])


def _symptoms_yaml() -> str:
    lines = []
    for index in range(SYMPTOM_COUNT):
        lines += [f"{symptom_id(index)}:", f"  label: Fixture symptom {index:02d}, a {_FEELINGS[index % len(_FEELINGS)]} "
                  f"{_PARTS[index % len(_PARTS)]}",
                  "  description: An invented symptom for the speed benchmark (benchmark fixture)."]
        if index % 5 == 0:
            lines.append(f"  also_called: [Fixture sign {index:02d}]")
    return "\n".join(lines) + "\n"


def references(n: int) -> list[dict[str, Any]]:
    """Invented CSL-JSON sources; each title says it is a benchmark fixture."""
    return [{
        "id": reference_id(i),
        "type": "article-journal",
        "title": f"Invented study {i:02d} of running load (benchmark fixture)",
        "author": [{"family": "Fixture", "given": "B"}, {"family": "Example", "given": "C D"}],
        "container-title": "Journal of Benchmark Fixtures",
        "container-title-short": "J Bench Fixt",
        "volume": str(1 + i % 9), "issue": str(1 + i % 4), "page": f"{10 + i}-{20 + i}",
        "issued": {"date-parts": [[2000 + i % 20, 1 + i % 12]]},
        # An identifier link on every reference, as real ones have. 10.5555 is the DOI prefix
        # Crossref keeps for examples: this DOI names nothing.
        "DOI": f"10.5555/bench-fixture.{i:02d}",
    } for i in range(reference_count(n))]


def write_content(folder: Path, n: int) -> Path:
    """A valid content tree of ``n`` conditions in ``folder`` (created; must not be ``content/``)."""
    folder = Path(folder)
    if folder.resolve() == (Path(__file__).resolve().parent.parent / "content"):
        raise ValueError("the benchmark never writes into content/")
    (folder / "conditions").mkdir(parents=True, exist_ok=True)
    (folder / "topics").mkdir(parents=True, exist_ok=True)
    keys = [reference_id(i) for i in range(reference_count(n))]
    for index in range(topic_count(n)):
        (folder / "topics" / f"{topic_id(index)}.md").write_text(_topic_markdown(index, keys), encoding="utf-8")
    for index, condition in enumerate(conditions(n)):
        (folder / "conditions" / f"{condition.id}.md").write_text(condition_markdown(condition, index, n),
                                                                  encoding="utf-8")
    (folder / "symptoms.yml").write_text(_symptoms_yaml(), encoding="utf-8")
    (folder / "references.json").write_text(json.dumps(references(n), indent=1) + "\n", encoding="utf-8")
    return folder


# ------------------------------------------------------------------------------------------------
# The floor: a stock Material site with the same number of plain pages


_CITATION = re.compile(r" ?\[@[^\]]*\]")


def floor_markdown(condition: SynthCondition) -> str:
    """The same page as plain Markdown: title, summary, body without citations, a symptom list."""
    symptoms = "\n".join(f"- {sid} ({frequency})" for sid, frequency in condition.symptoms)
    return (f"# {condition.title}\n\n{condition.summary}\n\n{_CITATION.sub('', condition.body)}\n"
            f"## Symptoms\n\n{symptoms}\n\n## When to see a clinician\n\n"
            "- The pain does not ease after a week of rest.\n- You cannot put weight on the leg.\n")


def write_floor(folder: Path, n: int, markdown_extensions: list[Any]) -> Path:
    """A stock Material project in ``folder``: ``mkdocs.yml`` and ``docs/`` with ``n`` plain pages.

    Same theme settings that matter for speed (``font: false``), the same Markdown extensions,
    the search plugin, and a small nav (home and three pages), no hooks.
    """
    folder = Path(folder)
    docs = folder / "docs" / "conditions"
    docs.mkdir(parents=True, exist_ok=True)
    items = conditions(n)
    for condition in items:
        (docs / f"{condition.id}.md").write_text(floor_markdown(condition), encoding="utf-8")
    (folder / "docs" / "index.md").write_text("# Floor\n\nA stock Material site (benchmark fixture).\n",
                                              encoding="utf-8")
    config = {
        "site_name": "Benchmark floor",
        "site_url": "http://127.0.0.1:8000/",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "language": "en"},
        "markdown_extensions": markdown_extensions,
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}, *({c.title: f"conditions/{c.id}.md"} for c in items[:3])],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    # JSON is valid YAML, and needs no YAML writer.
    (folder / "mkdocs.yml").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return folder
