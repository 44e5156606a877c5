"""Attack payloads in a real browser: no dialog opens, no injected script runs, no link executes.

The site holds tests/payload_site.py's records (every payload in every field, validation
bypassed), built once with publish.build_site (conftest.payload_site_direct) and served on 127.0.0.1.
Each payload's procedure, counter sheet, plan and agency pages are visited, with the search page
searching for the payload itself; then the home page and the lists, which show every payload.
On every page the test also hovers and focuses every element (an `onmouseover` that survived
would run) and asks the browser which scheme each link, source and form target resolves to.
The pages of one payload load side by side, in tabs of one browser context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from payload_site import PAYLOADS, Planted, page_rel
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from browser.support import Site, Watch, serve, watched

pytestmark = pytest.mark.browser

SAFE_SCHEMES = {"http:", "https:", "mailto:", "tel:"}
SEARCH_DONE = re.compile(r"^(Có \d+ kết quả|Không tìm thấy)")
LISTS = ["", "co-quan/", "thu-tuc/", "van-ban/", "duong-day-nong/"]
TABS = 5
# Every element gets the events an inline handler could hang on; then every URL-bearing
# attribute is resolved by the browser itself, which knows every spelling of javascript:.
PROBE = """() => {
  for (const element of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "focus"]) element.dispatchEvent(new Event(type, {bubbles: true}));
  }
  const schemes = [];
  for (const attribute of ["href", "src", "action", "formaction", "xlink:href", "poster", "data"]) {
    for (const element of document.querySelectorAll(`[${attribute.replace(":", "\\\\:")}]`)) {
      schemes.push(new URL(element.getAttribute(attribute), location.href).protocol);
    }
  }
  return schemes;
}"""

# What one page did: dialogs opened, console errors and failed requests, unsafe URL schemes.
Findings = tuple[list[str], list[str], list[str]]
CLEAN: Findings = ([], [], [])


@dataclass
class Tab:
    """A browser page that records every dialog (dismissing it), console error and failed request."""

    page: Page
    watch: Watch
    dialogs: list[str] = field(default_factory=list)

    def dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} ({self.page.url})")
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.dialogs.clear()
        self.watch.problems.clear()
        self.page.goto(url, wait_until="commit")

    def findings(self) -> Findings:
        """Once the page has loaded: probe it and report."""
        self.page.wait_for_load_state("load")
        if "/tim-kiem/" in self.page.url:
            expect(self.page.locator("#ck-search-status")).to_have_text(SEARCH_DONE)
        schemes = self.page.evaluate(PROBE)
        # Requests still running after `load` (Material's sitemap.xml, the icon) are aborted
        # when the next page opens; a page without an icon link gets /favicon.ico's 404.
        # A payload's own request (<img src=x>) ends before `load`, with an HTTP error.
        problems = [p for p in self.watch.problems
                    if not p.endswith("(net::ERR_ABORTED)") and "/favicon.ico" not in p]
        return list(self.dialogs), problems, sorted(set(schemes) - SAFE_SCHEMES)


class Visitor:
    """Tabs of one browser context, loading a few pages side by side."""

    def __init__(self, context: BrowserContext, tabs: int = TABS) -> None:
        self.tabs: list[Tab] = []
        for _ in range(tabs):
            page = context.new_page()
            page.set_default_timeout(10_000)
            tab = Tab(page, watched(page))
            page.on("dialog", tab.dialog)
            self.tabs.append(tab)

    def visit(self, urls: list[str]) -> dict[str, Findings]:
        assert len(urls) <= len(self.tabs)
        for tab, url in zip(self.tabs, urls, strict=False):
            tab.open(url)
        return {url: tab.findings() for tab, url in zip(self.tabs, urls, strict=False)}


def new_context(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")


@pytest.fixture(scope="module")
def payload_site(payload_site_direct: tuple[Path, list[Planted]]) -> Iterator[tuple[Site, list[Planted]]]:
    out, planted = payload_site_direct
    with serve(out) as url:
        yield Site(out, url, ""), planted


@pytest.fixture(scope="module")
def visitor(browser: Browser) -> Iterator[Visitor]:
    context = new_context(browser)
    yield Visitor(context)
    context.close()


def unclean(found: dict[str, Findings]) -> dict[str, Findings]:
    return {url: seen for url, seen in found.items() if seen != CLEAN}


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[repr(p)[1:21] for p in PAYLOADS])
def test_payload_pages_run_nothing(payload_site: tuple[Site, list[Planted]], visitor: Visitor,
                                   index: int) -> None:
    site, planted = payload_site
    plant = planted[index]  # real identifiers; the others are on the lists and the search page
    assert plant.payload == PAYLOADS[index] and not plant.identifiers
    procedure = page_rel(site.root, plant.procedure)
    rels = [procedure, procedure + "niem-yet/", page_rel(site.root, plant.plan),
            page_rel(site.root, plant.agency), "tim-kiem/?q=" + quote(plant.payload.strip())]
    assert unclean(visitor.visit([site.url + rel for rel in rels])) == {}


def test_lists_and_search_results_run_nothing(payload_site: tuple[Site, list[Planted]],
                                              visitor: Visitor) -> None:
    """Pages that show every payload at once; "alert" finds the payload records, whose titles
    the search script writes into the page."""
    site, _ = payload_site
    assert unclean(visitor.visit([site.url + rel for rel in LISTS])) == {}
    assert unclean(visitor.visit([site.url + "tim-kiem/?q=alert"])) == {}
    titles = visitor.tabs[0].page.locator("#ck-search-results .ck-result-title").all_inner_texts()
    assert "<script>alert(1)</script>" in titles


def test_the_probe_would_notice(visitor: Visitor, tmp_path: Path) -> None:
    """The same checks on a page that does run a payload: they fail."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><p onmouseover="alert(1)">x</p><a href=" JaVa\tScRiPt:void(0)">y</a>'
        '<img src="missing.png" alt="">', "utf-8")
    with serve(tmp_path) as url:
        dialogs, problems, unsafe = visitor.visit([url + "index.html"])[url + "index.html"]
    assert dialogs == [f"alert: 1 ({url}index.html)"]
    assert any("missing.png" in p for p in problems) and unsafe == ["javascript:"]
