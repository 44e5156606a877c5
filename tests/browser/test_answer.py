"""The answer first, on a 360 × 740 phone: every procedure page of the sample (each catalogue
procedure's and each self-contained record's) opens on its answer box, whose time, fees, where to
go, call button and the start of what to bring lie in the first screen; then the details, whose
times and fees are cards as wide as the screen; the clerks' print link is further down."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import REPO
from playwright.sync_api import Browser, Page

from browser.support import Site
from browser.test_pages import PHONE

pytestmark = pytest.mark.browser

SCREEN = PHONE["height"]
TOUCH = 44
ONLINE_LINK = "Nộp hồ sơ trực tuyến"  # the words of a channel's (or a place's) online link
_PAGE = re.compile(r"^thu-tuc/(?:[a-z0-9-]+/)?\d\.\d{6}-[a-z0-9-]+/index\.html$")


def procedure_pages(site: Site) -> list[str]:
    """Every procedure page of the built sample: thu-tuc/<code>-<name>/ (catalogue) and
    thu-tuc/<agency>/<code>-<name>/ (self-contained)."""
    found = [p.relative_to(site.root).as_posix() for p in site.root.glob("thu-tuc/**/index.html")]
    return sorted(p.removesuffix("index.html") for p in found if _PAGE.match(p))


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


BOX = """(selector) => { const el = document.querySelector(selector);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right,
          width: r.width, height: r.height}; }"""


def box(page: Page, selector: str) -> dict[str, float] | None:
    found: dict[str, float] | None = page.evaluate(BOX, selector)
    return found


def test_every_procedure_page_answers_in_the_first_screen(phone: Page, site: Site) -> None:
    pages = procedure_pages(site)
    catalogue = [p for p in pages if p.count("/") == 2]
    assert len(catalogue) == len(list((REPO / "catalogue").glob("*.yaml")))
    assert len(pages) - len(catalogue) >= 2  # the self-contained records
    late: list[str] = []
    for url in pages:
        phone.goto(site.url + url)
        for part in (".ck-answer-times", ".ck-answer-fees", ".ck-answer-where", ".ck-answer-call",
                     ".ck-answer-docs dt"):
            found = box(phone, part)
            assert found is not None, (url, part)
            if found["bottom"] > SCREEN:
                late.append(f"{url} {part} {found['bottom']:.0f}")
        # what to bring: as many names as the documents table has rows, in its order
        names = phone.locator(".ck-answer-docs li").all_inner_texts()
        rows = phone.locator(".ck-documents tbody th").all()
        assert names == [row.evaluate("(th) => th.firstChild.textContent.trim()") for row in rows], url
        assert re.fullmatch(rf"{len(names)} giấy tờ", phone.locator(".ck-answer-docs dd").evaluate(
            "(dd) => dd.firstChild.textContent.trim()")), url
    assert late == [], "\n".join(late)


def test_call_button_is_a_large_tel_link(phone: Page, site: Site) -> None:
    for url in procedure_pages(site):
        phone.goto(site.url + url)
        call = phone.locator(".ck-answer-call")
        assert (call.get_attribute("href") or "").startswith("tel:"), url
        found = call.bounding_box()
        assert found is not None and found["height"] >= TOUCH and found["width"] >= TOUCH, url


def test_online_button_only_from_an_online_channel(phone: Page, site: Site) -> None:
    """Present exactly when the page gives an online submission address (a channel's, or the
    place's own), and then one of those: never a form's link."""
    with_button = 0
    for url in procedure_pages(site):
        phone.goto(site.url + url)
        links = phone.get_by_role("link", name=ONLINE_LINK, exact=True).all()
        online = {a.get_attribute("href") for a in links}
        forms = {a.get_attribute("href") for a in phone.locator(".ck-documents td a").all()} - online
        button = phone.locator(".ck-answer-online")
        if online:
            assert button.count() == 1, url
            href = button.get_attribute("href")
            assert href in online and href not in forms, url
            assert button.inner_text().strip() == "Nộp trực tuyến", url
            with_button += 1
        else:
            assert button.count() == 0, url
    assert with_button >= 1


def test_fees_and_times_are_cards_as_wide_as_the_screen(phone: Page, site: Site) -> None:
    for url in procedure_pages(site):
        phone.goto(site.url + url)
        assert phone.locator(".ck-channels thead").evaluate("(el) => el.getBoundingClientRect().height") <= 1
        for cell in phone.locator(".ck-channels tbody th, .ck-channels td").all():
            found = cell.bounding_box()
            assert found is not None
            assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"] + 1, url
            assert found["width"] >= PHONE["width"] * 0.7, (url, found)  # no ≈ 70 px fee column
        fees = phone.locator(".ck-channels td[data-label='Phí, lệ phí']").first.element_handle()
        label = phone.evaluate("(el) => getComputedStyle(el, '::before').content", fees)
        assert label == '"Phí, lệ phí: "', url


def test_print_link_is_not_on_the_first_screen(phone: Page, site: Site) -> None:
    seen = 0
    for url in procedure_pages(site):
        phone.goto(site.url + url)
        for link in phone.locator(".ck-counter-link a").all():
            found = link.bounding_box()
            assert found is not None and found["y"] >= SCREEN, url
            seen += 1
    assert seen >= 50
