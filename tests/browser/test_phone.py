"""On a 360 × 740 phone, as a person uses it: touch targets of calls, breadcrumbs and navigation,
the plans register's filters without JavaScript, a superseded document's banner, the scorecard
as cards sorted worst first with visible arrows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from conftest import REPO
from playwright.sync_api import Browser, Page, expect

from browser.support import AGENCY, HOTLINES, PLANS, PROCEDURE, SCORECARD, SUPERSEDED, Site
from browser.test_pages import OVERFLOW, PHONE

pytestmark = pytest.mark.browser

TOUCH = 44  # px: the minimum for calls and navigation (WCAG 2.2 2.5.8 asks 24)

BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length)
  .map((el) => { const r = el.getBoundingClientRect();
                 return {text: el.textContent.trim(), width: r.width, height: r.height}; })"""

# Places where a line breaks between two letters of a word ("phườ|ng"), in the elements' text.
MID_WORD = """(elements) => {
  const out = [];
  const range = document.createRange();
  for (const el of elements) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let last = null, before = "";
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i += 1) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        const ch = node.data[i];
        // a new line: below the last letter, not beside it (glyphs of fallback fonts sit higher)
        if (last && box.top >= last.bottom - 2 && /\\p{L}/u.test(ch) && /\\p{L}/u.test(before)) {
          out.push(el.textContent.trim());
        }
        last = box;
        before = ch;
      }
    }
  }
  return out;
}"""


def _phone(browser: Browser, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  java_script_enabled=javascript, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _phone(browser, javascript=True)


@pytest.fixture
def bare_phone(browser: Browser) -> Iterator[Page]:
    """A phone with JavaScript off: what the server sends must do the whole job."""
    yield from _phone(browser, javascript=False)


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(BOXES, selector)
    return found


def no_sideways_scrolling(page: Page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= PHONE["width"] and found["out"] == [], found


# --- touch targets ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [HOTLINES, AGENCY, PROCEDURE, SUPERSEDED])
def test_calls_and_breadcrumbs_are_44_px_tall(phone: Page, site: Site, url: str) -> None:
    """The issue measured tel links 15–19 px and breadcrumb links 16 px tall."""
    phone.goto(site.url + url, wait_until="networkidle")
    crumbs = boxes(phone, ".ck-crumbs a")
    assert crumbs, "no breadcrumb"
    calls = boxes(phone, 'a[href^="tel:"]')
    if url in (HOTLINES, AGENCY):
        assert calls, "no call link"
    small = [b for b in crumbs + calls if b["height"] < TOUCH or b["width"] < TOUCH / 2]
    assert small == [], small


def test_navigation_targets_are_44_px_tall(phone: Page, site: Site) -> None:
    phone.goto(site.url + PLANS, wait_until="networkidle")
    header = boxes(phone, ".md-header__button:not(.md-logo)")
    assert header and all(b["height"] >= TOUCH and b["width"] >= TOUCH for b in header), header
    phone.locator('.md-header label.md-header__button[for="__drawer"]').click()  # the menu button
    expect(phone.locator(".md-nav--primary .md-nav__link").first).to_be_in_viewport()
    links = boxes(phone, ".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
    assert len(links) >= 5 and all(b["height"] >= TOUCH for b in links), links
    footer = boxes(phone, ".md-footer-meta a")
    assert footer and all(b["height"] >= TOUCH for b in footer), footer


# --- the plans register without JavaScript --------------------------------------------------------


def plans() -> list[dict[str, Any]]:
    files = sorted((REPO / "plans_and_policies").glob("*/*.yaml"))
    return [yaml.safe_load(p.read_text("utf-8")) for p in files]


def listed(page: Page) -> set[str]:
    return set(page.locator(".ck-register tbody th a").all_inner_texts())


def choose(page: Page, facet: str, option: str) -> None:
    """Tap an option of a filter of the register (unfolding "Lọc văn bản" first if need be)."""
    folder = page.locator("details.ck-filters")
    if folder.get_attribute("open") is None:
        folder.locator("summary").click()
    group = page.locator(".ck-facet", has=page.locator(".ck-facet-label", has_text=facet))
    group.get_by_role("link", name=re.compile(rf"^{re.escape(option)} \(\d+\)$")).click()
    page.wait_for_load_state("load")


def test_plans_register_filters_by_business_status_and_kind_without_javascript(bare_phone: Page,
                                                                                site: Site) -> None:
    """A business owner's path: only documents on production and business, then those in force,
    then the plannings among them; each a page of its own, as cards that fit the screen."""
    page, docs = bare_phone, plans()
    page.goto(site.url + PLANS)
    assert listed(page) == {d["title"] for d in docs}
    expect(page.locator(".ck-facets")).to_be_hidden()  # folded: the list comes first
    no_sideways_scrolling(page)
    choose(page, "Liên quan đến sản xuất, kinh doanh", "Có")
    business = [d for d in docs if d["business_related"]]
    assert 0 < len(business) < len(docs)
    assert listed(page) == {d["title"] for d in business}
    expect(page.locator("h1")).to_contain_text("Liên quan đến sản xuất, kinh doanh")
    choose(page, "Tình trạng hiệu lực", "Còn hiệu lực")
    in_force = [d for d in business if d["status"] == "in_force"]
    assert listed(page) == {d["title"] for d in in_force} and len(in_force) < len(business)
    choose(page, "Loại văn bản", "Quy hoạch")
    plannings = {d["title"] for d in in_force if d["kind"] == "planning"}
    assert listed(page) == plannings and plannings
    chosen = page.locator('.ck-facet a[aria-current="page"]').all_inner_texts()
    assert [re.sub(r" \(\d+\)$", "", c) for c in chosen] == ["Quy hoạch", "Còn hiệu lực", "Có"]
    no_sideways_scrolling(page)
    # each document is a card: its cells are stacked blocks, each named by its column
    cell = page.locator(".ck-register tbody td").first
    assert cell.evaluate("(el) => getComputedStyle(el).display") == "block"
    assert cell.evaluate("(el) => getComputedStyle(el, '::before').content") == '"Loại: "'
    choose(page, "Loại văn bản", "Tất cả")  # and back, one choice at a time
    assert listed(page) == {d["title"] for d in in_force}


def test_superseded_document_says_so_first_and_links_its_successor(bare_phone: Page, site: Site) -> None:
    page = bare_phone
    page.goto(site.url + SUPERSEDED)
    banner = page.get_by_role("note").filter(has_text="Văn bản đã bị thay thế")
    expect(banner).to_be_visible()
    box = banner.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"], box  # on the first screen
    old = next(d for d in plans() if d["id"] == "bang-gia-dat-2020-2024")
    new = next(d for d in plans() if d["id"] == old["superseded_by"])
    banner.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(new["title"])
    expect(page.get_by_role("note").filter(has_text="bị thay thế")).to_have_count(0)
    downloads = page.locator("#van-ban-dinh-kem + ul > li").all_inner_texts()
    assert downloads == [f"{d['title']} ({label})"
                         for d, label in zip(new["documents"], ["PDF, 1,2 MB", "XLSX, 8,1 MB"], strict=True)]
    page.get_by_role("link", name=re.compile(re.escape(old["title"]))).click()  # what it replaced
    expect(page.locator("h1")).to_have_text(old["title"])
    no_sideways_scrolling(page)


# --- the scorecard ----------------------------------------------------------------------------------


SHARE = "Tỷ lệ đáp ứng"


def share_values(page: Page) -> list[float]:
    """The rows' sort values of the share column, in their order ("—" sorts after every share)."""
    headers = page.locator(".ck-scorecard thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if text.startswith(SHARE)) + 1
    cells = page.locator(f".ck-scorecard tbody tr > :nth-child({column})")
    return [float(v) for v in cells.evaluate_all("(cells) => cells.map((c) => c.dataset.value)")]


def arrow(page: Page, label: str) -> str:
    button = page.locator(".ck-scorecard thead .ck-sort", has_text=label)
    content: str = button.evaluate("(el) => getComputedStyle(el, '::after').content")
    return content


def test_scorecard_is_cards_worst_first_sortable_with_arrows(phone: Page, site: Site) -> None:
    page = phone
    page.goto(site.url + SCORECARD, wait_until="networkidle")
    no_sideways_scrolling(page)
    names = page.locator(".ck-scorecard tbody th[scope=row]")
    assert names.count() > 20
    assert page.evaluate(MID_WORD, names.element_handles()) == []  # "phường", never "phườ ng"
    first = page.locator(".ck-scorecard tbody tr").first.locator("td").first
    assert first.evaluate("(el) => getComputedStyle(el).display") == "block"  # a card per agency
    # worst first, and the header says so; every column sortable, with an arrow in sight
    share = page.locator(".ck-scorecard thead th", has_text=SHARE)
    expect(share).to_have_attribute("aria-sort", "ascending")
    values = share_values(page)
    assert values == sorted(values) and values[0] < values[-1]
    buttons = page.locator(".ck-scorecard thead .ck-sort")
    assert buttons.count() == page.locator(".ck-scorecard thead th").count()
    for b in buttons.all():
        expect(b).to_be_visible()
        box = b.bounding_box()
        assert box and box["height"] >= TOUCH, box
    assert "▲" in arrow(page, SHARE) and "↕" in arrow(page, "Thủ tục thực hiện")
    assert page.locator(".ck-scorecard thead th[aria-sort]").count() == 1
    # sorting by another column moves the arrow and aria-sort there
    page.locator(".ck-scorecard thead .ck-sort", has_text="Thủ tục thực hiện").click()
    procedures = page.locator(".ck-scorecard thead th", has_text="Thủ tục thực hiện")
    expect(procedures).to_have_attribute("aria-sort", "ascending")
    expect(share).not_to_have_attribute("aria-sort", re.compile(".*"))
    assert "▲" in arrow(page, "Thủ tục thực hiện") and "↕" in arrow(page, SHARE)
    page.locator(".ck-scorecard thead .ck-sort", has_text="Thủ tục thực hiện").click()
    expect(procedures).to_have_attribute("aria-sort", "descending")
    assert "▼" in arrow(page, "Thủ tục thực hiện")
    no_sideways_scrolling(page)


def test_scorecard_names_never_break_inside_a_word_on_a_wide_screen(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(site.url + SCORECARD, wait_until="networkidle")
        names = page.locator(".ck-scorecard tbody th[scope=row]")
        assert page.evaluate(MID_WORD, names.element_handles()) == []
        share = page.locator(".ck-scorecard thead th", has_text=SHARE)
        expect(share).to_have_attribute("aria-sort", "ascending")
    finally:
        context.close()
