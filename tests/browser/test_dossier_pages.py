"""The dossier results pages in Chromium: no accessibility violation at all (axe-core), and on a
360 × 740 phone with JavaScript off the chart is drawn, named and legible, and the tables reflow
without scrolling the page sideways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from conftest import REPO
from playwright.sync_api import Browser, Page, expect

from browser.support import Site, watched
from browser.test_pages import AXE, AXE_RUN, OVERFLOW, PHONE, WCAG22_AA

pytestmark = pytest.mark.browser

RESULTS = "co-quan/so-xay-dung/ket-qua-ho-so/"
RANKING = "ket-qua-giai-quyet-ho-so/"
PAGES = {"agency results": RESULTS, "province ranking": RANKING}


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_no_accessibility_violation_and_no_error(browser: Browser, site: Site, url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    watch = watched(page)
    page.goto(site.url + url, wait_until="networkidle")
    assert watch.problems == []
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, [*WCAG22_AA, "best-practice"])
    context.close()
    assert [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in violations] == []


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone without JavaScript: the pages are complete as the server sends them."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  java_script_enabled=False, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_readable_on_a_phone_without_javascript(phone: Page, site: Site, url: str) -> None:
    phone.goto(site.url + url, wait_until="load")
    found = phone.evaluate(OVERFLOW)
    assert found["scroll"] <= PHONE["width"], found
    assert found["out"] == [], found
    # the first table reflows: one block per row, each value with its column's name
    cell = phone.locator("table tbody td").first
    assert phone.evaluate("(el) => getComputedStyle(el).display", cell.element_handle()) == "block"
    label = phone.evaluate("(el) => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label.startswith('"') and label.endswith(': "') and len(label) > 4


def july_rate(folder: str) -> str:
    """The on-time rate of July in the committed figures, written as the chart's text says it:
    on time ÷ (on time + late + pending overdue), one decimal, comma, no ",0"."""
    data = yaml.safe_load((REPO / folder / "so-xay-dung/2026-07.yaml").read_text(encoding="utf-8"))
    late = data["resolved_late"] + data["pending_overdue"]
    rate = f"{100 * data['resolved_on_time'] / (data['resolved_on_time'] + late):.1f}".replace(".", ",")
    return rate.removesuffix(",0") + "%"


def test_chart_is_drawn_named_and_legible_without_javascript(phone: Page, site: Site) -> None:
    phone.goto(site.url + RESULTS, wait_until="load")
    chart = phone.get_by_role("img", name="Tỷ lệ giải quyết đúng hạn theo tháng")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] > 120
    description = chart.evaluate("(svg) => svg.querySelector('desc').textContent")
    assert f"07/2026: {july_rate('dossier_stats')}" in description
    assert f"07/2026: {july_rate('dossier_reports')}" in description
    # both lines and every point are painted inside the chart
    for line in chart.locator("polyline").all():
        drawn = line.bounding_box()
        assert drawn is not None and drawn["width"] > box["width"] / 2
        assert line.evaluate("(el) => getComputedStyle(el).stroke") != "none"
    assert chart.locator("circle, rect").count() == 6
    # axis labels stay legible at a phone's width: at least 11 CSS pixels tall
    for label in chart.locator("text").all():
        size = label.bounding_box()
        assert size is not None and size["height"] >= 11, label.text_content()
        assert box["x"] <= size["x"] and size["x"] + size["width"] <= box["x"] + box["width"] + 1
    # the legend tells the lines apart in words
    legend = phone.locator(".ck-legend li")
    expect(legend).to_have_text(["Tính lại từ hồ sơ", "Cơ quan báo cáo"])
