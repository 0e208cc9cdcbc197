"""A clinic's page on another origin embeds two conditions through ``embed.js``, in real Chromium."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import StaticServer

pytestmark = pytest.mark.browser

CARD, FULL = "herniated-disc", "back-muscle-strain"
TOLERANCE = 3  # pixels


@pytest.fixture()
def clinic(tmp_path: Path, site_server: StaticServer):
    """A clinic's page, served from a different origin (another port) than the site."""
    (tmp_path / "index.html").write_text(f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Example clinic (test fixture)</title></head>
<body>
<h1>Example clinic</h1>
<p>Our advice on back pain.</p>
<div data-running-injuries="{CARD}" data-variant="card"></div>
<p>Between the embeds.</p>
<div data-running-injuries="{FULL}"></div>
<p>After the embeds.</p>
<script async src="{site_server.url('embed.js')}"></script>
</body>
</html>
""", encoding="utf-8")
    server = StaticServer(tmp_path)
    assert server.origin != site_server.origin
    yield server
    server.close()


def _measure(page, condition_id: str) -> dict:
    """The iframe's height on the clinic's page and the height of what is inside it."""
    element = page.locator(f'[data-running-injuries="{condition_id}"] iframe')
    element.scroll_into_view_if_needed()
    frame = element.element_handle().content_frame()
    assert frame is not None
    inside = frame.evaluate("""() => {
        const footer = document.querySelector('.ri-embed__footer');
        const html = document.documentElement;
        return {scrollHeight: html.scrollHeight, clientHeight: html.clientHeight,
                contentBottom: footer ? footer.getBoundingClientRect().bottom + window.scrollY : -1,
                width: html.clientWidth, scrollWidth: html.scrollWidth};
    }""")
    return {"iframe": element.evaluate("e => e.getBoundingClientRect().height"), **inside}


def _fits(m: dict) -> bool:
    return (m["contentBottom"] > 0
            and abs(m["iframe"] - m["scrollHeight"]) <= TOLERANCE
            and abs(m["iframe"] - m["contentBottom"]) <= TOLERANCE
            and m["scrollHeight"] <= m["clientHeight"] + 1
            and m["scrollWidth"] <= m["width"] + 1)


def _wait_until_fitted(page, condition_id: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        measured = _measure(page, condition_id)
        if _fits(measured):
            return measured
        if time.monotonic() > deadline:
            pytest.fail(f"the iframe of {condition_id} does not end at its content: {measured}")
        page.wait_for_timeout(100)


def test_clinic_page_embeds_two_conditions(browser, site_server: StaticServer, clinic: StaticServer) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(clinic.url("index.html"))
        page.wait_for_function("document.querySelectorAll('[data-running-injuries] iframe').length === 2")

        iframes = page.locator("[data-running-injuries] iframe")
        srcs = [iframes.nth(i).get_attribute("src") for i in range(2)]
        assert srcs == [site_server.url(f"embed/{CARD}/card/"), site_server.url(f"embed/{FULL}/")]
        for i in range(2):
            assert iframes.nth(i).get_attribute("title")

        card = _wait_until_fitted(page, CARD)
        full = _wait_until_fitted(page, FULL)
        assert full["iframe"] > card["iframe"], "the full page is longer than the card"
        assert card["iframe"] != 320 and full["iframe"] != 400, "sized from the messages, not the defaults"

        # A phone: the text wraps, the frames grow to fit again.
        page.set_viewport_size({"width": 320, "height": 640})
        narrow_card = _wait_until_fitted(page, CARD)
        narrow_full = _wait_until_fitted(page, FULL)
        assert narrow_card["iframe"] > card["iframe"] and narrow_full["iframe"] > full["iframe"]
        assert narrow_full["width"] <= 320

        # A message forged by the host page (its own origin, not the site's) resizes nothing.
        before = [iframes.nth(i).evaluate("e => e.getBoundingClientRect().height") for i in range(2)]
        page.evaluate(f"""() => new Promise(resolve => {{
            for (const [id, variant] of [["{CARD}", "card"], ["{FULL}", "full"]]) {{
                window.postMessage({{type: "running-injuries:embed-height", id, variant, height: 5}}, "*");
            }}
            // Messages arrive in order: once this one is here, the forged ones were handled.
            window.addEventListener("message", e => {{ if (e.data === "done") resolve(); }});
            window.postMessage("done", "*");
        }})""")
        page.wait_for_timeout(300)
        after = [iframes.nth(i).evaluate("e => e.getBoundingClientRect().height") for i in range(2)]
        assert after == before and min(after) > 5
        _wait_until_fitted(page, CARD)
        _wait_until_fitted(page, FULL)

        # Nothing from any origin but the site's and the clinic's own.
        allowed = {urlsplit(site_server.origin).netloc, urlsplit(clinic.origin).netloc}
        assert [url for url in requests if urlsplit(url).netloc not in allowed] == []
        site_paths = {urlsplit(url).path for url in requests if url.startswith(site_server.origin)}
        assert {"/embed.js", f"/embed/{CARD}/card/", f"/embed/{FULL}/", "/assets/embed.css",
                "/assets/embed-frame.js"} <= site_paths
        assert errors == []
    finally:
        context.close()
