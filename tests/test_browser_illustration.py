"""The pictures of where it hurts, in real Chromium: on a 390 px phone and a 1,366 px laptop each
condition page and the topic hub show their picture whole, inside the page's width, at a readable
size and not oversized, named and described for screen readers (Chromium's own accessibility
tree); the dark scheme recolours it on screen only; and in every variant the model allows, the
highlight is drawn at the place its region names, each label points at what it names, and no
label is cut off at the picture's edge."""

from __future__ import annotations

import pytest

from running_injuries.pages.render import template
from site_pages import prepared_content
from test_illustration import variants

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
MIN_LABEL_PX = 12  # the smallest label as drawn on screen
MAX_PICTURE_PX = 520  # a picture wider than this is a poster, not a figure in a column of text
BONE_LIGHT = "rgb(242, 236, 223)"  # the drawing's own bone colour (its fill attribute)


def picture_urls() -> list[str]:
    content = prepared_content().site
    return [*(f"conditions/{cid}/" for cid in content.conditions), *(f"{tid}/" for tid in content.topics)]


def accessible_image(tab, svg) -> dict[str, str]:
    """Chromium's computed role, name and description of ``svg``, from its accessibility tree."""
    cdp = tab.context.new_cdp_session(tab)
    try:
        svg.evaluate("e => e.setAttribute('data-probe', '1')")
        document = cdp.send("DOM.getDocument", {"depth": -1})
        node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "[data-probe]"})
        (ax, *_) = cdp.send("Accessibility.getPartialAXTree",
                            {"nodeId": node["nodeId"], "fetchRelatives": False})["nodes"]
        svg.evaluate("e => e.removeAttribute('data-probe')")
        return {"role": ax["role"]["value"], "name": ax.get("name", {}).get("value", ""),
                "description": ax.get("description", {}).get("value", "")}
    finally:
        cdp.detach()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_picture_is_whole_readable_and_named(site_server, browser, viewport) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    tab = context.new_page()
    try:
        for url in picture_urls():
            tab.goto(site_server.url(url), wait_until="load")
            figure = tab.locator("figure.ri-figure")
            assert figure.count() == 1, url
            figure.scroll_into_view_if_needed()
            assert figure.is_visible(), url
            svg = figure.locator("svg")
            box, width = svg.bounding_box(), tab.evaluate("window.innerWidth")
            assert box["height"] > 150, (url, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{url}: {box} on a {width} px screen"
            assert box["width"] <= MAX_PICTURE_PX, f"{url}: {box['width']} px wide"
            page_width = tab.evaluate("document.documentElement.scrollWidth")
            assert page_width <= width, f"{url} scrolls sideways: {page_width} px"
            # The smallest label as drawn: its font size times the drawing's scale.
            smallest = svg.evaluate("""s => Math.min(...[...s.querySelectorAll('text')].map(t =>
                parseFloat(getComputedStyle(t).fontSize) * s.getBoundingClientRect().width / s.viewBox.baseVal.width))""")
            assert smallest >= MIN_LABEL_PX, f"{url}: a label is {smallest:.1f} px"
            title = svg.evaluate("s => s.querySelector('title').textContent")
            desc = svg.evaluate("s => s.querySelector('desc').textContent")
            ax = accessible_image(tab, svg.element_handle())
            assert ax["role"] == "image", (url, ax)
            assert ax["name"] == title and ax["name"].strip(), (url, ax)
            assert ax["description"] == desc and desc.strip(), (url, ax)
            assert ("Highlighted" in desc) == url.startswith("conditions/"), (url, desc)
            caption = figure.locator("figcaption")
            assert caption.is_visible() and caption.inner_text().strip(), url
            # The cards' small pictures sit inside their cards and say nothing to screen readers.
            for card in tab.locator("li.ri-card:has(svg.ri-card__picture)").all():
                small, outer = card.locator("svg").bounding_box(), card.bounding_box()
                assert outer["x"] <= small["x"] and small["x"] + small["width"] <= outer["x"] + outer["width"] + 0.5
                assert card.locator("svg").get_attribute("aria-hidden") == "true"
    finally:
        context.close()


def test_dark_scheme_recolours_on_screen_and_prints_light(site_server, browser) -> None:
    context = browser.new_context(viewport=VIEWPORTS["laptop"], color_scheme="dark")
    tab = context.new_page()
    try:
        tab.goto(site_server.url(picture_urls()[0]), wait_until="load")
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        bone = tab.locator("figure.ri-figure .ri-fig__bone")
        fill = lambda: bone.evaluate("g => getComputedStyle(g).fill")  # noqa: E731
        halo = lambda: tab.locator(".ri-fig__halo").first.evaluate("p => getComputedStyle(p).stroke")  # noqa: E731
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert fill() != BONE_LIGHT
        assert halo() == background, "the labels' lines are haloed in the page's own background"
        tab.emulate_media(media="print")
        assert fill() == BONE_LIGHT, "on paper the picture keeps its light colours"
        assert halo() == "rgb(255, 255, 255)"
    finally:
        context.close()


def _variants_page() -> str:
    module = template("illustration.html.j2").module
    figures = "".join(str(module.figure(v, f"v{n}", "Fixture")) for n, v in enumerate(variants()))
    # Material's own font stack, as the site's pages use it; the column width of a phone.
    return ("<!doctype html><html><body style='font-family:-apple-system,BlinkMacSystemFont,Helvetica,"
            "Arial,sans-serif;width:358px'>" + figures.replace("<svg ", "<svg style='width:100%;height:auto;display:block' ")
            + "</body></html>")


def test_every_variant_draws_its_place_and_points_at_it(browser) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    tab = context.new_page()
    try:
        tab.set_content(_variants_page())
        found = tab.evaluate("""() => [...document.querySelectorAll('figure')].map(f => {
            const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] };
            const labels = Object.fromEntries([...f.querySelectorAll('.ri-fig__level text')].map(t => [t.textContent, box(t)]));
            return {
              cls: f.className,
              svg: box(f.querySelector('svg')),
              texts: [...f.querySelectorAll('text')].map(t => [t.textContent, box(t)]),
              labels,
              hl: Object.entries({disc: '.ri-fig__disc .ri-fig__hl', bone: '.ri-fig__bone .ri-fig__hl',
                                  nerve: '.ri-fig__nerve .ri-fig__hl', muscle: '.ri-fig__muscle.ri-fig__hl',
                                  ligament: '.ri-fig__ligament.ri-fig__hl line'})
                    .flatMap(([kind, sel]) => [...f.querySelectorAll(sel)].map(e => [kind, box(e)])),
              dots: [...f.querySelectorAll('.ri-fig__callout--hl circle')].map(c => box(c)),
            } })""")
        assert len(found) == len(variants())
        for variant, drawn in zip(variants(), found):
            name = f"{variant.highlight} at {variant.region}"
            left, top, right, bottom = drawn["svg"]
            for text, (l, t, r, b) in drawn["texts"]:
                assert left - 0.5 <= l and r <= right + 0.5 and top - 0.5 <= t and b <= bottom + 0.5, \
                    f"{name}: {text!r} is cut off at the picture's edge"
            centre = {label: ((l + r) / 2, (t + b) / 2) for label, (l, t, r, b) in drawn["labels"].items()}
            if variant.region and "-" in variant.region:  # a disc: between its two bones
                upper, lower = variant.region.split("-")
                (disc,) = [b for kind, b in drawn["hl"] if kind == "disc"]
                assert centre[upper][1] < (disc[1] + disc[3]) / 2 < centre[lower][1], name
            elif variant.region:  # a bone: around its own label
                (bone,) = [b for kind, b in drawn["hl"] if kind == "bone"]
                x, y = centre[variant.region]
                assert bone[0] < x < bone[2] and bone[1] < y < bone[3], name
            # Each highlighted label's line ends on a highlighted part.
            assert drawn["dots"], name
            for dot in drawn["dots"]:
                x, y = (dot[0] + dot[2]) / 2, (dot[1] + dot[3]) / 2
                assert any(b[0] - 4 <= x <= b[2] + 4 and b[1] - 4 <= y <= b[3] + 4 for _, b in drawn["hl"]), \
                    f"{name}: a label points at nothing highlighted"
    finally:
        context.close()
