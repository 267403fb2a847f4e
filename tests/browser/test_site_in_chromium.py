"""The course website in Chromium: search, a quiz disclosure by keyboard, the language switch,
images with alt text, and axe-core on the landing page, a lesson and the glossary.

The site is built once per session from the committed notebooks (as `teachkit site` does in CI)
and served from 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from lab_harness import ROOT
from playwright.sync_api import expect
from test_accessibility import describe, run_axe

from teachkit.site import SiteOptions, build_site

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out, root=ROOT, options=SiteOptions())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))

    class Quiet(handler.func):  # type: ignore[misc, name-defined]
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    yield page
    page.close()


def test_search_finds_a_german_term_and_lands_on_its_lesson(site: str, page: Any) -> None:
    page.goto(f"{site}/en/search.html?q=Parakrise")
    first = page.locator("#search-results a").first
    expect(first).to_be_visible()
    hrefs = page.locator("#search-results a").evaluate_all("(links) => links.map((a) => a.href)")
    assert any("06-shitstorms-and-fake-news" in h for h in hrefs), hrefs
    page.locator("#search-results a[href*='06-shitstorms-and-fake-news']").first.click()
    expect(page).to_have_url(re.compile(r".*06-shitstorms-and-fake-news\.html.*"))
    assert "Shitstorm" in page.locator("h1").first.inner_text()


def test_search_finds_fachkraeftemangel(site: str, page: Any) -> None:
    page.goto(f"{site}/en/search.html?q=Fachkräftemangel")
    expect(page.locator("#search-results a").first).to_be_visible()
    hrefs = page.locator("#search-results a").evaluate_all("(links) => links.map((a) => a.href)")
    assert any("03-recruiting-and-the-skills-shortage" in h for h in hrefs), hrefs


@pytest.mark.parametrize("lang", ["en", "de"])
def test_quiz_disclosure_opens_with_enter(site: str, page: Any, lang: str) -> None:
    page.goto(f"{site}/{lang}/notebooks/06-shitstorms-and-fake-news.html")
    item = page.locator(".teachkit-static-item").first
    details = item.locator("details")
    expect(details).not_to_have_attribute("open", "")
    summary = details.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(details.locator("p").nth(1)).to_be_visible()
    assert ("Why" if lang == "en" else "Warum") in details.inner_text()


def test_language_switch_keeps_the_page(site: str, page: Any) -> None:
    page.goto(f"{site}/en/notebooks/08-disruption-and-diffusion.html")
    page.locator("a.teachkit-lang").first.click()
    expect(page).to_have_url(f"{site}/de/notebooks/08-disruption-and-diffusion.html")
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("a.teachkit-lang").first.click()
    expect(page).to_have_url(f"{site}/en/notebooks/08-disruption-and-diffusion.html")


@pytest.mark.parametrize(
    "path", ["en/index.html", "en/notebooks/06-shitstorms-and-fake-news.html", "en/glossary.html", "de/glossary.html"]
)
def test_no_serious_accessibility_violation(site: str, page: Any, path: str) -> None:
    page.goto(f"{site}/{path}")
    result = run_axe(page, None)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(describe(blocking))
    missing_alt = page.locator("img:not([alt]), img[alt='']").count()
    assert missing_alt == 0
