"""The comparison filter in real Chromium: what a reader sees after ticking symptoms, by mouse and
by keyboard, the sort buttons, and the full table with JavaScript turned off.

Expected orders and counts are computed from the loaded content, never written down here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, ROOT, StaticServer, build_or_fail, fixture_condition, fixture_content, fixture_symptoms, write
from running_injuries.content.model import Condition
from running_injuries.pipeline import Prepared, prepare

pytestmark = pytest.mark.browser

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), tz=dt.timezone.utc).date()

# Invented test content (not medical information) whose overlaps give different match counts.
FIXTURE_SYMPTOMS = fixture_symptoms("ache", "sting", "throb", "buzz")
FIXTURE_CONDITIONS = {
    "p": fixture_condition("Papa fixture", [("ache", "common"), ("sting", "occasional"), ("throb", "common")]),
    "q": fixture_condition("Quebec fixture", [("sting", "common")]),
    "r": fixture_condition("Romeo fixture", [("throb", "occasional")]),
    "s": fixture_condition("Bravo fixture", [("ache", "occasional"), ("buzz", "common")]),
    "t": fixture_condition("Echo fixture", [("buzz", "common")]),
}


def by_title(conditions) -> list[Condition]:
    return sorted(conditions, key=lambda c: (c.title.casefold(), c.id))


@pytest.fixture(scope="module")
def real(site_server) -> tuple[StaticServer, Prepared]:
    return site_server, prepare(ROOT / "content", ROOT, today=TODAY)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("compare-browser")
    content = fixture_content(root / "content", FIXTURE_CONDITIONS)
    write(content, {"symptoms.yml": FIXTURE_SYMPTOMS})
    server = StaticServer(build_or_fail(root / "site", content_dir=content))
    yield server, prepare(content, content.parent, today=TODAY)
    server.close()


@pytest.fixture(params=["real", "fixture"])
def site(request: pytest.FixtureRequest) -> tuple[StaticServer, Prepared]:
    return request.getfixturevalue(request.param)


@pytest.fixture
def tab(browser):
    """A fresh page that records script errors and every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


# -- helpers ------------------------------------------------------------------------------------


def first_table(prepared: Prepared) -> tuple[str, list[Condition]]:
    content = prepared.site
    topic = next(t for t in content.topics.values() if content.conditions_of(t.id))
    return topic.id, by_title(content.conditions_of(topic.id))


def listed(condition: Condition) -> set[str]:
    return {use.id for use in condition.meta.symptoms}


def pick_two(members: list[Condition]) -> tuple[str, str]:
    """The two symptoms whose filter shows the most: most different counts, then most matches."""
    symptoms = list(dict.fromkeys(u.id for c in members for u in c.meta.symptoms))

    def spread(pair: tuple[str, str]) -> tuple[int, int]:
        counts = [len(listed(c) & set(pair)) for c in members]
        return len(set(counts)), sum(1 for n in counts if n)

    return max(itertools.combinations(symptoms, 2), key=spread)


def expected_after_ticking(members: list[Condition], ticked: set[str]) -> tuple[list[str], list[str], dict[str, int]]:
    counts = {c.id: len(listed(c) & ticked) for c in members}
    first = sorted((c for c in members if counts[c.id]), key=lambda c: (-counts[c.id], c.title.casefold(), c.id))
    rest = [c for c in members if not counts[c.id]]  # members are by title already
    return [c.id for c in first], [c.id for c in rest], counts


def rows(page, topic: str) -> list[dict]:
    return page.locator(f'[data-ri-compare="{topic}"] tbody tr').evaluate_all("""rows => rows.map(row => ({
        id: row.getAttribute("data-condition"),
        divider: row.classList.contains("ri-compare-divider"),
        muted: row.classList.contains("ri-nomatch"),
        match: (row.querySelector("td.ri-compare-match") || {}).innerText || null,
        visible: row.getBoundingClientRect().height > 0 && getComputedStyle(row).visibility !== "hidden",
    }))""")


def checkbox(page, topic: str, prepared: Prepared, symptom_id: str):
    label = prepared.site.symptoms[symptom_id].label
    return page.locator(f'[data-ri-compare="{topic}"]').get_by_role("checkbox", name=label, exact=True)


def focus_ring(page) -> dict:
    return page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    }""")


def status(page, topic: str) -> str:
    return page.locator(f'[data-ri-compare="{topic}"] [role="status"]').inner_text()


def sentence(count: int) -> str:
    return f"{count} condition lists" if count == 1 else f"{count} conditions list"


def open_and_tick(tab, server, topic: str, prepared: Prepared, symptom_ids) -> None:
    """Open the compare page and tick the given symptoms in ``topic``'s filter."""
    tab.goto(server.url("compare/"))
    for symptom_id in symptom_ids:
        checkbox(tab, topic, prepared, symptom_id).check()


# -- tests --------------------------------------------------------------------------------------


def test_ticking_two_symptoms_orders_and_counts(site, tab) -> None:
    server, prepared = site
    topic, members = first_table(prepared)
    pair = pick_two(members)
    open_and_tick(tab, server, topic, prepared, pair)

    first, rest, counts = expected_after_ticking(members, set(pair))
    seen = rows(tab, topic)
    shown = [row for row in seen if not row["divider"]]
    assert [row["id"] for row in shown] == first + rest  # the rest stay in the table, below
    assert all(row["visible"] for row in seen)
    assert [row["match"] for row in shown] == [f"{counts[cid]} of 2" for cid in first + rest]
    assert [row["muted"] for row in shown] == [False] * len(first) + [True] * len(rest)
    dividers = [i for i, row in enumerate(seen) if row["divider"]]
    assert dividers == ([len(first)] if first and rest else [])
    assert status(tab, topic).startswith(f"{sentence(len(first))} at least one ticked symptom")
    header = tab.locator(f'[data-ri-compare="{topic}"] thead th.ri-compare-match')
    assert header.inner_text().strip() == "Ticked symptoms listed"
    assert header.get_attribute("aria-sort") == "descending"
    assert tab.errors == []
    assert all(url.startswith(server.origin + "/") for url in tab.requests), tab.requests


def test_fixture_filter_really_separates_counts(fixture, tab) -> None:
    """Guard: the fixture's chosen pair gives two, one and zero matches, so the order is tested."""
    _, prepared = fixture
    _, members = first_table(prepared)
    first, rest, counts = expected_after_ticking(members, set(pick_two(members)))
    assert {counts[c] for c in first} == {1, 2} and rest


def test_keyboard_tab_to_first_checkbox_and_toggle_with_space(real, tab) -> None:
    server, prepared = real
    topic, members = first_table(prepared)
    tab.goto(server.url("compare/"))
    first_box = f'[data-ri-compare="{topic}"] .ri-filter input[type="checkbox"]'
    for _ in range(150):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", first_box):
            break
    assert tab.evaluate("s => document.activeElement === document.querySelector(s)", first_box), \
        "Tab never reached the first checkbox"
    ring = focus_ring(tab)
    assert ring["style"] != "none" and ring["width"] > 0

    tab.keyboard.press("Space")
    box = tab.locator(first_box).first
    assert box.is_checked()
    symptom_id = box.get_attribute("value")
    first, rest, counts = expected_after_ticking(members, {symptom_id})
    shown = [row for row in rows(tab, topic) if not row["divider"]]
    assert [row["id"] for row in shown] == first + rest
    assert [row["match"] for row in shown] == [f"{counts[cid]} of 1" for cid in first + rest]
    assert status(tab, topic).startswith(f"{sentence(len(first))} at least one ticked symptom")

    tab.keyboard.press("Space")
    assert not box.is_checked()
    assert [row["id"] for row in rows(tab, topic)] == [c.id for c in members]
    assert all(row["match"] is None or row["match"] == "0 of 0" for row in rows(tab, topic))
    assert tab.locator(f'[data-ri-compare="{topic}"] th.ri-compare-match').is_hidden()


def test_sort_by_name_toggles_order(real, tab) -> None:
    server, prepared = real
    topic, members = first_table(prepared)
    tab.goto(server.url("compare/"))
    heading = tab.locator(f'[data-ri-compare="{topic}"] thead th').first
    button = heading.get_by_role("button", name="Condition")
    names = [c.id for c in members]
    assert heading.get_attribute("aria-sort") == "ascending"

    button.focus()  # keyboard first: Enter on a real button
    ring = focus_ring(tab)
    assert ring["style"] != "none" and ring["width"] > 0
    tab.keyboard.press("Enter")
    assert heading.get_attribute("aria-sort") == "descending"
    assert [row["id"] for row in rows(tab, topic)] == names[::-1]
    assert "Z to A" in status(tab, topic)

    button.click()
    assert heading.get_attribute("aria-sort") == "ascending"
    assert [row["id"] for row in rows(tab, topic)] == names


def test_sort_by_match_count_and_clear(fixture, tab) -> None:
    server, prepared = fixture
    topic, members = first_table(prepared)
    pair = pick_two(members)
    open_and_tick(tab, server, topic, prepared, pair)
    match_head = tab.locator(f'[data-ri-compare="{topic}"] thead th.ri-compare-match')
    name_head = tab.locator(f'[data-ri-compare="{topic}"] thead th').first
    assert (match_head.get_attribute("aria-sort"), name_head.get_attribute("aria-sort")) == ("descending", "none")

    match_head.get_by_role("button").click()  # fewest first; listing conditions still come first
    assert match_head.get_attribute("aria-sort") == "ascending"
    first, rest, counts = expected_after_ticking(members, set(pair))
    fewest_first = sorted(first, key=lambda cid: (counts[cid], prepared.site.conditions[cid].title.casefold(), cid))
    assert [row["id"] for row in rows(tab, topic) if not row["divider"]] == fewest_first + rest

    name_head.get_by_role("button").click()  # by name, within each group
    assert (match_head.get_attribute("aria-sort"), name_head.get_attribute("aria-sort")) == ("none", "ascending")
    by_name = [c.id for c in members if c.id in first]
    assert [row["id"] for row in rows(tab, topic) if not row["divider"]] == by_name + rest

    tab.locator(f'[data-ri-compare="{topic}"]').get_by_role("button", name="Clear").click()
    assert not any(checkbox(tab, topic, prepared, s).is_checked() for s in pair)
    assert [row["id"] for row in rows(tab, topic)] == [c.id for c in members]
    assert match_head.is_hidden()
    assert status(tab, topic).startswith("No symptoms ticked")
    assert tab.errors == []


def test_without_javascript_the_full_table_reads_correctly(browser, real) -> None:
    server, prepared = real
    content = prepared.site
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("compare/"))
        assert page.locator(".ri-filter, .ri-sort, .ri-compare-match, [role='status']").count() == 0
        for topic in (t for t in content.topics.values() if content.conditions_of(t.id)):
            members = by_title(content.conditions_of(topic.id))
            table = page.locator(f'[data-ri-compare="{topic.id}"] table')
            assert table.locator("caption").is_visible()
            seen = rows(page, topic.id)
            assert [row["id"] for row in seen] == [c.id for c in members]
            assert all(row["visible"] and not row["muted"] for row in seen)
            heads = table.locator("thead th[data-symptom]")
            symptom_ids = heads.evaluate_all("hs => hs.map(h => h.getAttribute('data-symptom'))")
            assert heads.all_inner_texts() == [content.symptoms[s].label for s in symptom_ids]
            for condition in members:
                cells = table.locator(f'tr[data-condition="{condition.id}"] td[data-symptom]')
                uses = {u.id: u.frequency.capitalize() for u in condition.meta.symptoms}
                # What the eye sees: the frequency word, or a blank where the content lists nothing.
                seen_text = cells.evaluate_all("""cs => cs.map(c => {
                    const copy = c.cloneNode(true);
                    copy.querySelectorAll('.ri-sr-only').forEach(n => n.remove());
                    return copy.textContent.trim();
                })""")
                assert seen_text == [uses.get(s, "") for s in symptom_ids], condition.id
            # ...and what a screen reader reads in a blank cell.
            blank = table.locator("td.ri-blank").first
            if blank.count():
                assert "Not listed" in blank.aria_snapshot()
                box = blank.locator(".ri-sr-only").bounding_box()
                assert box is not None and box["width"] <= 1 and box["height"] <= 1
    finally:
        context.close()
