"""The printable counter sheet (niêm yết): one A4 page with a QR code that opens the procedure."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from browser.support import COUNTER, PROCEDURE, Site

pytestmark = pytest.mark.browser

A4_MM = (210, 297)
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(pdf: bytes) -> int:
    return len(_PAGE_OBJECT.findall(pdf))


def pdf_size_mm(pdf: bytes) -> tuple[float, float]:
    match = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert match, "no MediaBox in the PDF"
    return float(match.group(1)) * 25.4 / 72, float(match.group(2)) * 25.4 / 72


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    found = zxingcpp.read_barcodes(image)
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_procedure_page_links_to_its_counter_sheet(page: Page, site: Site) -> None:
    page.goto(site.url + PROCEDURE)
    page.get_by_role("link", name="In để niêm yết").click()
    page.wait_for_url("**/" + COUNTER)
    expect(page.locator("h1")).to_have_text("Đăng ký khai sinh")
    for label in ("Thành phần hồ sơ", "Các bước thực hiện", "Thời hạn giải quyết, phí và lệ phí",
                  "Nơi nộp hồ sơ và liên hệ"):
        expect(page.get_by_role("heading", name=label)).to_be_visible()
    text = page.locator(".ck-counter").inner_text()
    assert "Mã thủ tục: 1.001193" in text
    assert "Tờ khai đăng ký khai sinh" in text  # a document, with its counts in the table
    assert "Miễn phí" in text and "ngày làm việc" in text
    assert "0258 3822 111" in text  # the agency's hotline
    assert "Thông tin cập nhật ngày" in text


# The typical sheet, and the sample's longest (printed smaller: render/counter.py, DENSE_FROM).
LONGEST = ("thu-tuc/so-y-te/1.014076-cap-giay-chung-nhan-du-dieu-kien-kinh-doanh-duoc-thuoc-"
           "tham-quyen-cua-so-y-te/"
           "niem-yet/")


@pytest.mark.parametrize("sheet", [COUNTER, LONGEST], ids=["typical", "longest"])
def test_counter_sheet_prints_on_one_a4_page(page: Page, site: Site, sheet: str) -> None:
    page.goto(site.url + sheet, wait_until="networkidle")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 1
    width, height = pdf_size_mm(pdf)
    assert (round(width), round(height)) == A4_MM


def test_print_hides_the_site_chrome_and_keeps_the_qr(page: Page, site: Site) -> None:
    page.goto(site.url + COUNTER, wait_until="networkidle")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".ck-crumbs", ".ck-noprint"):
        expect(page.locator(chrome).first).to_be_hidden()
    qr = page.locator(".ck-counter-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100  # 34 mm at 96 dpi is about 128 px


def test_qr_code_opens_the_procedure_page(page: Page, site: Site) -> None:
    page.goto(site.url + COUNTER, wait_until="networkidle")
    page.emulate_media(media="print")
    expected = site.site_url.rstrip("/") + "/" + PROCEDURE
    assert decode_qr(page.locator(".ck-counter-qr").screenshot()) == [expected]
    page.goto(site.url + PROCEDURE)
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == expected  # the same address the portal gives the page itself
