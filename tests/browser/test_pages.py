"""Every kind of page in a real browser: no console error or failed request, no violation of
WCAG 2.2 level A or AA (axe-core) and no serious one of its best practices, and usable on a
360 px wide phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import REPO
from playwright.sync_api import Browser, Page, expect

from browser.support import (
    AGENCY,
    COUNTER,
    HOME,
    HOTLINES,
    PLANS,
    PLANS_FILTERED,
    PROCEDURE,
    SCORECARD,
    SEARCH,
    SELF_CONTAINED,
    SUPERSEDED,
    Site,
    watched,
)

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": HOME,
    "agency": AGENCY,
    "procedure": PROCEDURE,
    "self-contained procedure": SELF_CONTAINED,
    "plans register": PLANS,
    "plans register, filtered": PLANS_FILTERED,
    "superseded document": SUPERSEDED,
    "hotline directory": HOTLINES,
    "search results": SEARCH,
    "counter sheet": COUNTER,
    "scorecard": SCORECARD,
    "procedures by field": "thu-tuc/",
    "field": "linh-vuc/ho-tich/",
    "agencies": "co-quan/",
    "open data": "du-lieu-mo/",
    "legal registry": "can-cu-phap-ly/",
}
# axe-core's tags of the WCAG 2.2 level A and AA rules (2.5.8 target size is wcag22aa).
WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = ("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
           " resultTypes: ['violations']})).violations")
PHONE = {"width": 360, "height": 740}


def open_page(page: Page, site: Site, url: str) -> None:
    """Load a page and wait until it has settled (search results shown, network idle)."""
    page.goto(site.url + url, wait_until="networkidle")
    if url.startswith("tim-kiem/"):
        expect(page.locator("#ck-search-status")).to_have_text(re.compile(r"^Có \d+ kết quả"))
        page.wait_for_load_state("networkidle")


@dataclass
class Visit:
    problems: list[str]  # console errors, page errors, failed requests
    violations: list[dict[str, Any]]  # axe-core's


@pytest.fixture(scope="module", params=PAGES.values(), ids=PAGES.keys())
def visit(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Visit]:
    """Each page loaded once, watched from the first request, then checked by axe-core."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix tests/js` (make test does)"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    watch = watched(page)
    open_page(page, site, request.param)
    problems = list(watch.problems)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN, [*WCAG22_AA, "best-practice"])
    yield Visit(problems, violations)
    context.close()


def test_no_console_error_or_failed_request(visit: Visit) -> None:
    assert visit.problems == []


def _described(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in violations]


def test_no_wcag_22_aa_violation(visit: Visit) -> None:
    assert _described([v for v in visit.violations if set(v["tags"]) & set(WCAG22_AA)]) == []


def test_no_serious_violation_of_best_practice(visit: Visit) -> None:
    assert _described([v for v in visit.violations if v["impact"] in ("serious", "critical")]) == []


OVERFLOW = """() => {
  // Elements that stick out of the viewport, unless a scrolling or clipping box holds them.
  const width = document.documentElement.clientWidth;
  const held = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      const clips = ["auto", "scroll", "hidden", "clip"].includes(style.overflowX);
      if (clips && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if (box.right > width + 1 && box.left < width && !held(el)) out.push(`${el.tagName}.${el.className}`);
  }
  return {scroll: document.scrollingElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_scrolling_on_a_phone(phone: Page, site: Site, url: str) -> None:
    open_page(phone, site, url)
    found = phone.evaluate(OVERFLOW)
    assert found["scroll"] <= PHONE["width"], found
    assert found["out"] == [], found


def test_documents_table_is_readable_on_a_phone(phone: Page, site: Site) -> None:
    """The documents table reflows into one block per document (or scrolls inside itself)."""
    open_page(phone, site, PROCEDURE)
    table = phone.locator(".ck-documents table")
    box = table.bounding_box()
    assert box is not None
    overflow = phone.evaluate("() => getComputedStyle(document.querySelector('.ck-documents')).overflowX")
    wrapper_scrolls = overflow in ("auto", "scroll")
    assert box["width"] <= PHONE["width"] or wrapper_scrolls
    for cell in phone.locator(".ck-documents td, .ck-documents tbody th").all():
        cell_box = cell.bounding_box()
        assert cell_box is not None and cell_box["x"] + cell_box["width"] <= PHONE["width"] + 1
        size = float(cell.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
        assert size >= 12, size
    # reflowed: each document is a block with its labels ("Bản chính: 1")
    first = phone.locator(".ck-documents tbody td").first
    label = phone.evaluate("(el) => getComputedStyle(el, '::before').content", first.element_handle())
    assert label.startswith('"Bản chính')


@pytest.mark.parametrize("url", [HOME, PROCEDURE, COUNTER], ids=["home", "procedure", "counter sheet"])
def test_no_page_fetches_what_grows_with_the_site(page: Page, site: Site, url: str) -> None:
    """Every request a page makes while it loads and settles: none for the sitemap (Material's
    alternate-language script fetched it beside each feed link), the search index or the open data,
    which all grow with the number of pages."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, site, url)
    page.wait_for_timeout(300)  # anything scheduled after the load
    paths = [r.removeprefix(site.url) for r in requested if r.startswith(site.url)]
    assert paths and all(r.startswith(site.url) for r in requested if r.startswith("http")), requested
    growing = [p for p in paths if re.search(r"sitemap|pagefind|^api/|\.xml", p)]
    assert growing == [], growing
