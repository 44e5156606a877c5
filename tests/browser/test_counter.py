"""The printable counter sheet (niêm yết): one A4 page, in the font the site ships, with a QR
code that opens the procedure. The sheet fits itself to the page by measuring (niem-yet.js)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
import zxingcpp
from conftest import REPO, TODAY, VALID, run_cli, sheets_on
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from browser.support import COUNTER, PROCEDURE, SELF_COUNTER, Site, serve

pytestmark = pytest.mark.browser

A4_MM = (210, 297)
FONTS = {b"BeVietnamPro-Regular", b"BeVietnamPro-Bold"}  # the faces the site ships
SMALLEST_PT = 7  # the smallest printed text the sheet allows (footnotes; body text 8 pt)
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_BASE_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)")
# The sheet shown: a catalogue procedure's page holds one per place, the address names one.
SHEET = ".ck-sheet:visible"


def pdf_pages(pdf: bytes) -> int:
    return len(_PAGE_OBJECT.findall(pdf))


def pdf_size_mm(pdf: bytes) -> tuple[float, float]:
    match = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert match, "no MediaBox in the PDF"
    return float(match.group(1)) * 25.4 / 72, float(match.group(2)) * 25.4 / 72


def pdf_fonts(pdf: bytes) -> set[bytes]:
    """The fonts embedded in a PDF, without their subset prefix (ABCDEF+)."""
    return set(_BASE_FONT.findall(pdf))


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    found = zxingcpp.read_barcodes(image)
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def open_sheet(page: Page, url: str) -> str:
    """Open a counter sheet and wait until its script has fitted it; how it fitted ("full"…)."""
    page.goto(url)
    fitted = page.locator(".ck-counter[data-fit]")
    expect(fitted).to_have_count(1, timeout=20_000)  # the longest sheets take a moment
    return fitted.get_attribute("data-fit") or ""


def type_size_pt(page: Page) -> float:
    size = page.evaluate("() => getComputedStyle(document.querySelector('.ck-sheet:target')"
                         " || document.querySelector('.ck-sheet')).fontSize")
    return round(float(size.removesuffix("px")) * 72 / 96, 2)


def print_pdf(page: Page) -> bytes:
    """The sheet printed to PDF as the browser's Print command does, A4 from its @page rule."""
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    width, height = pdf_size_mm(pdf)
    assert (round(width), round(height)) == A4_MM
    return pdf


def test_procedure_page_links_to_its_counter_sheet(page: Page, site: Site) -> None:
    page.goto(site.url + PROCEDURE)
    page.get_by_role("link", name="In bản niêm yết của Ủy ban nhân dân phường Nha Trang").click()
    page.wait_for_url("**/" + COUNTER)
    expect(page.locator("h1:visible")).to_have_text("Đăng ký khai sinh")
    for label in ("Thành phần hồ sơ", "Các bước thực hiện", "Thời hạn giải quyết, phí và lệ phí",
                  "Nơi nộp hồ sơ và liên hệ"):
        expect(page.get_by_role("heading", name=label)).to_be_visible()
    text = page.locator(".ck-counter").inner_text()
    assert "Mã thủ tục: 1.001193" in text
    assert "Tờ khai đăng ký khai sinh" in text  # a document, with its counts in the table
    assert "Miễn phí" in text and "ngày làm việc" in text
    assert "0258 3822 111" in text  # the agency's hotline
    assert "Thông tin cập nhật ngày" in text


def _yaml(path: str | Path) -> Any:
    return yaml.safe_load((REPO / path).read_text("utf-8"))


@pytest.mark.parametrize(("sheet", "record", "agency"), [
    (COUNTER, "catalogue/1.001193.yaml", "phuong-nha-trang"),
    (SELF_COUNTER, "procedures/phuong-bac-nha-trang/1.012796.yaml", "phuong-bac-nha-trang"),
], ids=["catalogue place", "self-contained"])
def test_sheet_carries_document_notes_hours_and_conditions(page: Page, site: Site, sheet: str, record: str,
                                                           agency: str) -> None:
    """Each document's note under its name (so a document needed only sometimes says when), the
    hours of that counter, and the conditions; still one A4 page."""
    data, facts = _yaml(record), _yaml(f"hotlines/{agency}.yaml")
    assert open_sheet(page, site.url + sheet) == "full"
    rows = page.locator(f"{SHEET} .ck-counter-table").first.locator("tbody tr:not(.ck-more)")
    expect(rows).to_have_count(len(data["documents"]))
    for row, document in zip(rows.all(), data["documents"], strict=True):
        name = row.locator("th")
        expect(name).to_contain_text(document["name"])
        if document.get("note"):
            expect(name.locator(".ck-counter-note")).to_have_text(document["note"])
    hours = facts["one_stop"]["hours"] if "catalogue/" in record else facts["office_hours"]
    expect(page.locator(f"{SHEET} .ck-counter-where")).to_contain_text(f"Giờ tiếp nhận hồ sơ: {hours}")
    expect(page.get_by_role("heading", name="Yêu cầu, điều kiện")).to_be_visible()
    conditions = page.locator(f"{SHEET} .ck-counter-conditions p:not(.ck-more)")
    expect(conditions).to_have_text(" ".join(data["requirements"].split()))
    assert pdf_pages(print_pdf(page)) == 1


# The typical sheet, and the sample's longest.
LONGEST = ("thu-tuc/1.014076-cap-giay-chung-nhan-du-dieu-kien-kinh-doanh-duoc-thuoc-"
           "tham-quyen-cua-so-y-te/"
           "niem-yet/#so-y-te")


@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "phone"])
@pytest.mark.parametrize("sheet", [COUNTER, LONGEST], ids=["typical", "longest"])
def test_counter_sheet_prints_on_one_a4_page(page: Page, site: Site, sheet: str, width: int) -> None:
    """Whole, in the shipped font, at 8 to 10 pt; a phone's narrow preview fits it the same way."""
    page.set_viewport_size({"width": width, "height": 900})
    assert open_sheet(page, site.url + sheet) == "full"
    assert 8 <= type_size_pt(page) <= 10
    pdf = print_pdf(page)
    assert pdf_pages(pdf) == 1
    assert pdf_fonts(pdf) == FONTS


def test_sheets_page_lists_the_places_and_shows_the_one_chosen(page: Page, site: Site) -> None:
    """A catalogue procedure's sheets are one page, a sheet per place: without an address it
    lists the places; a place's link shows that sheet alone, fitted and printed on one page."""
    page.goto(site.url + COUNTER.split("#")[0])
    places = page.locator(".ck-sheet-places a")
    assert places.count() == page.locator(".ck-sheet").count() > 1
    expect(page.locator(SHEET)).to_have_count(0)
    for name, sheet_id in (("Ủy ban nhân dân phường Nha Trang", "phuong-nha-trang"),
                           ("Ủy ban nhân dân xã Cam Lâm", "xa-cam-lam")):
        if sheet_id != "phuong-nha-trang":
            page.go_back()  # the list again
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.locator(SHEET)).to_have_count(1)
        expect(page.locator(SHEET)).to_have_attribute("id", sheet_id)
        expect(page.locator(f"{SHEET} .ck-counter-agency")).to_have_text(name)
        expect(page.locator(".ck-sheet-places")).to_be_hidden()
        expect(page.locator(".ck-counter[data-fit]")).to_have_count(1)
        assert pdf_pages(print_pdf(page)) == 1


def test_typical_sheet_keeps_the_normal_type_size(page: Page, site: Site) -> None:
    open_sheet(page, site.url + COUNTER)
    assert type_size_pt(page) == 10
    expect(page.locator(f"{SHEET} .ck-counter-shortened")).to_be_hidden()


def test_sheet_fits_again_just_before_printing(page: Page, site: Site) -> None:
    """A sheet whose layout changed after it was fitted (here: its type made larger) is measured
    again when printing starts (the `beforeprint` event)."""
    open_sheet(page, site.url + LONGEST)
    page.evaluate("""() => { const sheet = document.querySelector(".ck-counter");
                             sheet.style.setProperty("--ck-size", "14pt"); sheet.dataset.fit = "stale"; }""")
    assert pdf_pages(print_pdf(page)) == 1
    assert page.locator(".ck-counter").get_attribute("data-fit") == "full"


def test_without_javascript_the_sheet_prints_whole_at_the_normal_size(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + COUNTER)
    warning = page.locator("noscript p")  # Playwright's text search skips <noscript>
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("tắt JavaScript")
    assert type_size_pt(page) == 10
    expect(page.locator(f"{SHEET} .ck-counter-shortened")).to_be_hidden()
    assert pdf_pages(print_pdf(page)) == 1
    context.close()


def test_counter_sheet_uses_the_fonts_the_site_ships(page: Page, site: Site) -> None:
    """Loaded from the site itself (no font request leaves it), only the subsets the text needs:
    Vietnamese letters come from the vietnamese file, not from latin-ext."""
    fonts: list[str] = []
    page.on("requestfinished", lambda request: fonts.append(request.url)
            if request.resource_type == "font" else None)
    open_sheet(page, site.url + COUNTER)
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate("""() => [...document.fonts].filter((f) => f.status === "loaded")
                                  .map((f) => `${f.family.replaceAll('"', "")} ${f.weight}`)""")
    assert sorted(set(loaded)) == ["Be Vietnam Pro 400", "Be Vietnam Pro 700"]
    for selector in ("h1", ".ck-counter-table td", ".ck-counter-foot"):
        family = page.locator(f"{SHEET} {selector}").first.evaluate("(el) => getComputedStyle(el).fontFamily")
        assert family.startswith('"Be Vietnam Pro"'), (selector, family)
    assert all(url.startswith(site.url + "assets/fonts/") for url in fonts), fonts
    assert sorted(url.rsplit("/", 1)[1] for url in fonts) == [
        f"be-vietnam-pro-{subset}-{weight}-normal.woff2"
        for subset in ("latin", "vietnamese") for weight in (400, 700)]
    assert (site.root / "assets" / "fonts" / "OFL.txt").is_file()  # the licence travels with them


def test_print_hides_the_site_chrome_and_keeps_the_qr(page: Page, site: Site) -> None:
    open_sheet(page, site.url + COUNTER)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".ck-crumbs", ".ck-noprint"):
        expect(page.locator(chrome).first).to_be_hidden()
    qr = page.locator(f"{SHEET} .ck-counter-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100  # 34 mm at 96 dpi is about 128 px


def test_qr_code_opens_the_place_on_the_procedure_page(page: Page, site: Site) -> None:
    open_sheet(page, site.url + COUNTER)
    page.emulate_media(media="print")
    expected = site.site_url.rstrip("/") + "/" + PROCEDURE
    qr = page.locator(f"{SHEET} .ck-counter-qr")
    assert decode_qr(qr.screenshot()) == [expected + "#noi-phuong-nha-trang"]
    page.goto(site.url + PROCEDURE + "#noi-phuong-nha-trang")
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == expected  # the same address the portal gives the page itself
    place = page.locator("#noi-phuong-nha-trang")
    expect(place).to_have_text("Ủy ban nhân dân phường Nha Trang")
    expect(place).to_be_in_viewport()  # the QR code opens the page at the commune's place


# --- sheets far longer than the sample's ---------------------------------------------------------

# Illustrative text for the synthetic records below (not a real procedure).
WORDS = ["giấy tờ minh họa cho thử nghiệm bản niêm yết,", "không phải thủ tục thật;", "bản sao có chứng thực",
         "hoặc bản chính để đối chiếu", "theo quy định của pháp luật", "về hộ tịch và đất đai"]


def illustrative(label: str, length: int) -> str:
    """`label`, then illustrative words up to `length` characters."""
    text, i = label, 0
    while len(text) < length:
        text += " " + WORDS[i % len(WORDS)]
        i += 1
    return text[:length].rstrip()


def long_record(code: str, documents: int, document_length: int, steps: int, step_length: int,
                name_length: int, location_length: int) -> dict[str, Any]:
    record = yaml.safe_load((VALID / "procedures" / "phuong-nha-trang" / "1.001193.yaml").read_text("utf-8"))
    record.update(
        code=code,
        name=illustrative(f"Thủ tục minh họa {code}", name_length),
        documents=[{"name": illustrative(f"Giấy tờ minh họa số {i}:", document_length),
                    "originals": 1, "copies": 0} for i in range(1, documents + 1)],
        steps=[illustrative(f"Bước minh họa số {i}:", step_length) for i in range(1, steps + 1)],
        location="\n\n".join(illustrative(f"Nơi tiếp nhận minh họa số {i}:", location_length // 3)
                              for i in range(1, 4)),
    )
    return record


# Long document names only: cut, every document kept. Names as long as the schema allows (1,000
# and 3,000 characters), many documents and steps: cut, and the documents and steps that do not
# fit left out. (36 documents: the build's check of the CSV export reads fields of at most 131,072
# characters, Python's csv limit.)
LONG_NAMES = long_record("1.900001", documents=12, document_length=1500, steps=4, step_length=150,
                         name_length=120, location_length=300)
LARGEST = long_record("1.900002", documents=36, document_length=3000, steps=60, step_length=1000,
                      name_length=1000, location_length=5000)
# 150 fees in one channel: fees are never shortened, so no single page can hold them.
MANY_FEES = long_record("1.900003", documents=3, document_length=100, steps=3, step_length=100,
                        name_length=100, location_length=300)
MANY_FEES["channels"][1]["fees"] = [{"name": f"Khoản phí minh họa số {i}", "amount": 1000 * i}
                                    for i in range(1, 151)]


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The small valid repository with the long records, built and served."""
    work = tmp_path_factory.mktemp("long-sheets")
    root = work / "repo"
    shutil.copytree(VALID, root)
    for record in (LONG_NAMES, LARGEST, MANY_FEES):
        (root / "procedures" / "phuong-nha-trang" / f"{record['code']}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    done = run_cli("build", "--root", root, "--out", work / "site", "--today", TODAY)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with serve(work / "site") as url:
        yield Site(work / "site", url, "")


def sheet_of(site: Site, code: str) -> str:
    [found] = site.root.glob(f"thu-tuc/*/{code}-*/niem-yet/index.html")
    return site.url + found.parent.relative_to(site.root).as_posix() + "/"


SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll(".ck-sheet *")]
  .filter((el) => el.getClientRects().length
          && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((el) => parseFloat(getComputedStyle(el).fontSize)))"""


def check_one_legible_page(page: Page) -> None:
    """One A4 page in the shipped fonts, no printed text under SMALLEST_PT, the QR code whole."""
    pdf = print_pdf(page)
    assert pdf_pages(pdf) == 1
    assert pdf_fonts(pdf) == FONTS
    page.emulate_media(media="print")
    assert page.evaluate(SMALLEST_TEXT) * 72 / 96 >= SMALLEST_PT - 0.01
    assert len(decode_qr(page.locator(f"{SHEET} .ck-counter-qr").screenshot())) == 1


def test_long_document_names_are_cut_to_fit(page: Page, long_site: Site) -> None:
    assert open_sheet(page, sheet_of(long_site, "1.900001")) == "cut"
    assert type_size_pt(page) == 8
    expect(page.locator(f"{SHEET} .ck-counter-shortened")).to_be_visible()
    names = page.locator(f"{SHEET} .ck-counter-table [data-ck-cut]")
    expect(names).to_have_count(12)
    for number, name in enumerate(names.all_inner_texts(), start=1):
        full = LONG_NAMES["documents"][number - 1]["name"]
        assert name.endswith("…") and full.startswith(name.removesuffix("…")), name
        assert len(name) >= 60  # never cut below MIN_CUT characters
    expect(page.locator(".ck-more").first).to_be_hidden()
    check_one_legible_page(page)


def test_largest_record_says_what_it_left_out(page: Page, long_site: Site) -> None:
    """36 documents of 3,000 characters, 60 steps, a 1,000-character name: one page all the same,
    which says it is shortened, and how many documents and steps are only on the portal."""
    assert open_sheet(page, sheet_of(long_site, "1.900002")) == "dropped"
    assert type_size_pt(page) == 8
    expect(page.locator(f"{SHEET} .ck-counter-shortened")).to_be_visible()
    rows = page.locator(f"{SHEET} .ck-counter-table:first-of-type tbody tr:not(.ck-more):visible")
    shown = rows.count()
    assert 1 <= shown < 36
    assert rows.first.inner_text().startswith("Giấy tờ minh họa số 1:")
    more = page.locator(f"{SHEET} tbody .ck-more")
    expect(more).to_be_visible()
    expect(more).to_have_text(f"… và {36 - shown} giấy tờ khác: xem trên trang thủ tục.")
    steps = page.locator(f"{SHEET} .ck-counter-steps li:not(.ck-more):visible").count()
    expect(page.locator(f"{SHEET} .ck-counter-steps .ck-more")).to_have_text(
        f"… và {60 - steps} bước khác: xem trên trang thủ tục.")
    expect(page.locator(f"{SHEET} .ck-counter-foot")).to_contain_text("Xem đầy đủ:")  # where the rest is
    check_one_legible_page(page)


def test_sheet_that_cannot_fit_prints_whole(page: Page, long_site: Site) -> None:
    """When what is never shortened fills more than a page, nothing is left out: every document
    and step at full length, 8 pt, on as many pages as it takes."""
    assert open_sheet(page, sheet_of(long_site, "1.900003")) == "overflow"
    assert type_size_pt(page) == 8
    expect(page.locator(f"{SHEET} .ck-counter-shortened")).to_be_hidden()
    expect(page.locator(".ck-more:visible")).to_have_count(0)
    assert page.locator(f"{SHEET} .ck-counter-table [data-ck-cut]").all_inner_texts() == [
        d["name"] for d in MANY_FEES["documents"]]
    pdf = print_pdf(page)
    assert pdf_pages(pdf) >= 2
    assert pdf_fonts(pdf) == FONTS


# --- the national portal's real records -------------------------------------------------------------

NATIONAL = Path(os.environ.get("CONGKHAI_REALDATA")
                or REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl")
SHEET_FIELDS = ("ten_thu_tuc", "thanh_phan_ho_so", "trinh_tu_thuc_hien", "cach_thuc_thuc_hien",
                "dia_chi_tiep_nhan", "yeu_cau_dieu_kien")
LONGEST_REAL = 12  # records taken, longest first; those that can be published are printed
PERFORMER = "co-quan-minh-hoa"
# Labelled illustrative values: what the national data lacks and a province adds (who performs
# the procedure, its counter) or what a clerk must still write (the announcement's date, …).
ILLUSTRATIVE = "Minh họa cho thử nghiệm: dữ liệu nguồn không có thông tin này"
PERFORMER_RECORD = f"""# Cơ quan MINH HỌA cho thử nghiệm bản niêm yết, không phải thông tin thật
id: {PERFORMER}
name: Cơ quan minh họa cho thử nghiệm
level: province
address: Địa chỉ minh họa, không phải địa chỉ thật
postal_address: Như trên
hotlines:
  - number: "0123 456 789"
    purpose: Số minh họa cho thử nghiệm, không gọi
email: thu-nghiem@example.invalid
website: https://example.invalid/
one_stop:
  head: {{name: Người minh họa, title: Trưởng bộ phận (minh họa), phone: "0123 456 780"}}
  address: Bộ phận Một cửa minh họa, không phải địa chỉ thật
  hours: "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu (minh họa)"
updated: {TODAY}
"""


def perform_with_gaps_filled(entry: dict[str, Any]) -> None:
    """The illustrative agency performs the entry; the gaps the national data always has are
    filled with labelled illustrative values. Substance (documents, steps, names) is kept as
    imported, so an entry whose own text breaks a bound stays invalid and is held back."""
    entry["implemented_by"] = {"agencies": [PERFORMER]}
    announcement = entry.setdefault("announcement", {})
    announcement.setdefault("decision", "1/QĐ-MH")
    announcement.setdefault("date", TODAY)
    entry.setdefault("dossier_sets", 1)
    entry.setdefault("requirements", ILLUSTRATIVE)
    for channel in entry.get("channels", []):
        time = channel.setdefault("processing_time", {"value": 1, "note": ILLUSTRATIVE})
        time.setdefault("unit", "working_days")
        fees = channel.setdefault("fees", "Không")
        for fee in fees if isinstance(fees, list) else []:
            fee.setdefault("amount", 0)
        if channel.get("method") == "online":
            channel.setdefault("online_level", "partial")


@pytest.mark.skipif(not NATIONAL.is_file(), reason=f"national portal data not found at {NATIONAL} "
                    "(CI has it at ../shared/data beside the repository; or set CONGKHAI_REALDATA)")
def test_longest_real_records_print_on_one_page(page: Page, tmp_path: Path) -> None:
    """The real records with the most text for a sheet, imported into the catalogue as a clerk
    would, performed by an illustrative agency: each publishable pair's sheet is one A4 page in
    the shipped fonts, and says when it was shortened. Entries the build holds back (their own
    text breaks the schema's bounds) have no sheet."""
    records = [json.loads(line) for line in NATIONAL.read_text("utf-8").splitlines() if line.strip()]
    records.sort(key=lambda r: -sum(len(str(r.get(f) or "")) for f in SHEET_FIELDS))
    subset = tmp_path / "longest.jsonl"
    subset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:LONGEST_REAL]),
                      encoding="utf-8")
    repo = tmp_path / "repo"
    imported = run_cli("import", "national-portal", subset, "--root", repo, "--updated", TODAY)
    assert imported.returncode == 0, imported.stderr[-3000:]
    entries = sorted((repo / "catalogue").glob("*.yaml"))
    assert len(entries) == LONGEST_REAL
    for path in entries:
        entry = yaml.safe_load(path.read_text("utf-8"))
        perform_with_gaps_filled(entry)
        path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=1_000_000),
                        encoding="utf-8")
    (repo / "hotlines").mkdir()
    (repo / "hotlines" / f"{PERFORMER}.yaml").write_text(PERFORMER_RECORD, encoding="utf-8")
    checked = run_cli("validate", "--root", repo, "--today", TODAY, "--format", "json")
    invalid = {p["file"] for p in json.loads(checked.stdout)["problems"] if p["severity"] == "error"}
    assert f"hotlines/{PERFORMER}.yaml" not in invalid
    publishable = [path.stem for path in entries if f"catalogue/{path.name}" not in invalid]
    assert len(publishable) >= LONGEST_REAL // 3, invalid  # most gaps are filled, not held back
    done = run_cli("build", "--root", repo, "--out", tmp_path / "site", "--today", TODAY)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    site = tmp_path / "site"
    sheets = sorted(p for p in site.glob("thu-tuc/*/niem-yet/index.html") if PERFORMER in sheets_on(p))
    assert sorted(s.parent.parent.name.split("-", 1)[0] for s in sheets) == publishable
    with serve(site) as url:
        for sheet in sheets:
            fit = open_sheet(page, url + sheet.parent.relative_to(site).as_posix() + "/#" + PERFORMER)
            pdf = print_pdf(page)
            assert (pdf_pages(pdf), pdf_fonts(pdf)) == (1, FONTS), (sheet, fit)
            assert page.locator(f"{SHEET} .ck-counter-shortened").is_visible() == (fit != "full"), sheet
