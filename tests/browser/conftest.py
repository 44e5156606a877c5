"""Fixtures of the browser tests: the sample site built once through the command line (shared with
the other tests), served over HTTP on 127.0.0.1, and Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it launches CONGKHAI_CHROMIUM (make test sets it;
default /usr/bin/chromium). A missing Chromium fails the tests with the command to install it,
never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import REPO, Built
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from browser.support import Site, serve

CHROMIUM = Path(os.environ.get("CONGKHAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests need it. Install it with "
                    "`apt-get install -y chromium` (.ci/run does), or set CONGKHAI_CHROMIUM.", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def site(sample_site: Built) -> Iterator[Site]:
    """The repository's sample records, built by `congkhai build` (conftest.sample_site) and served
    on 127.0.0.1."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    with serve(sample_site.root) as url:
        yield Site(sample_site.root, url, config["site_url"])


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium: Path) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()
