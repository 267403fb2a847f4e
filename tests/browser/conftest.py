"""Fixtures for the real-browser tests: one JupyterLab server and one Chromium per test session.

Without Chromium the tests skip and say how to install it; under CI (CI=true) that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_harness import (
    ARTIFACTS,
    INSTALL_HINT,
    ROOT,
    LabPage,
    LabServer,
    chromium_path,
    copy_course,
    launch_chromium,
)
from quiz_targets import catalogue

VIEWPORT = {"width": 1280, "height": 900}


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} The browser tests must run in CI. {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{reason} {INSTALL_HINT}")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        _missing("Chromium was not found, so the browser tests cannot run.")
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _missing("The Python package playwright is missing (pip install -r requirements-dev.txt).")
    # A click's feedback comes back in well under a second, but a loaded CI box can stall a
    # kernel for seconds; the default 5 s would make the suite flaky, not stricter.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(browser: Any) -> Iterator[Any]:
    """One browser profile for the session: pages share its cache, so JupyterLab loads faster."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[LabServer]:
    """JupyterLab serving a fresh copy of the course, once per test session (or xdist worker)."""
    workdir = tmp_path_factory.mktemp("jupyterlab")
    course = copy_course(workdir / "course")
    with LabServer(workdir, course) as server:
        yield server


@pytest.fixture(scope="session")
def items() -> dict[str, Any]:
    """Every quiz item of the course, by id, read from the banks."""
    return catalogue(ROOT)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class AppPage:
    """The browser page that runs JupyterLab for this session, replaced after any trouble.

    Tests open their notebook in a new tab of the running application (booting JupyterLab takes
    seconds per page); after a failed test, or if the page is not left clean, the next test
    gets a brand-new page.
    """

    def __init__(self, context: Any):
        self.context = context
        self.page: Any = None
        self.console: list[str] = []

    def get(self) -> Any:
        if self.page is None:
            self.page = self.context.new_page()
            self.console = []
            self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        return self.page

    def discard(self) -> None:
        if self.page is not None:
            self.page.close()
            self.page = None


@pytest.fixture(scope="session")
def app_page(browser_context: Any) -> Iterator[AppPage]:
    app = AppPage(browser_context)
    yield app
    app.discard()


@pytest.fixture
def lab_page(request: pytest.FixtureRequest, app_page: AppPage, lab: LabServer) -> Iterator[LabPage]:
    """JupyterLab in the browser with nothing open, an empty answer log and no kernel running.

    A failing test leaves a screenshot and the end of the server log in artifacts/browser/.
    """
    lab.shutdown_sessions()
    lab.forget_answers()
    lab_page = LabPage(app_page.get(), lab)
    yield lab_page
    page = lab_page.page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / f"failed-{request.node.name.replace('/', '_')}"
        try:
            page.screenshot(path=f"{stem}.png")
        except Exception as problem:  # the page may be gone; the log still helps
            app_page.console.append(f"(no screenshot: {problem})")
        Path(f"{stem}.log").write_text(
            "browser console errors:\n" + "\n".join(app_page.console) + "\n\nserver log:\n" + lab.log_tail(80),
            encoding="utf-8",
        )
        app_page.discard()
    else:
        try:
            clean = not lab_page.booted() or lab_page.close_notebooks()
        except Exception:
            clean = False
        if not clean:
            app_page.discard()
    lab.shutdown_sessions()
