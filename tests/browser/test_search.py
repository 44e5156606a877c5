"""Search in a real browser: queries typed into the real search box of the built sample site."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import REPO
from playwright.sync_api import Browser, Page, expect

from browser.support import HOME, SEARCH, Site, serve, watched
from generator.prepare.search import IndexEntry, index_data, title_pairs
from generator.publish.pagefind import index_site
from generator.render import environment
from generator.textnorm import fold, search_fold

pytestmark = pytest.mark.browser

BIRTH = "Đăng ký khai sinh"
LAND_CERTIFICATE = "giấy chứng nhận quyền sử dụng đất"
BOX_LABEL = "Tìm thủ tục, văn bản hoặc cơ quan (gõ có dấu hoặc không dấu)"
DEATH = "Đăng ký khai tử"
MARRIAGE = "Đăng ký kết hôn"
PHONE = {"width": 360, "height": 740}
# The statuses of records no longer in force (labels.yaml): listed after all the others.
OLD = {"Bị thay thế", "Hết hiệu lực", "Đã bãi bỏ"}


@dataclass(frozen=True)
class Result:
    title: str
    href: str
    meta: str
    status: str  # "Đang thực hiện", "Còn hiệu lực", "Bị thay thế"…; "" for an agency

    @property
    def kind(self) -> str:
        return self.meta.split(" · ", 1)[0]


def results(page: Page) -> list[Result]:
    items = page.locator("#ck-search-results > li")
    return [
        Result(item.locator("a").inner_text(), item.locator("a").get_attribute("href") or "",
               item.locator(".ck-result-meta").inner_text(),
               " ".join(item.locator(".ck-result-status").all_inner_texts()))
        for item in items.all()
    ]


def wait_for_status(page: Page) -> str:
    """The final status line ("Có N kết quả…" or "Không tìm thấy…") after a search."""
    status = page.locator("#ck-search-status")
    expect(status).to_have_text(re.compile(r"^(Có \d+ kết quả|Không tìm thấy)"))
    return status.inner_text()


def count(status: str) -> int:
    match = re.match(r"Có (\d+) kết quả", status)
    return int(match.group(1)) if match else 0


def type_query(page: Page, query: str) -> list[Result]:
    """On the search page: clear the form, type `query` into the box like a person, press Enter."""
    page.evaluate("for (const s of document.querySelectorAll('select[data-filter]')) s.value = ''")
    box = page.get_by_label(BOX_LABEL)
    box.fill("")
    box.press_sequentially(query, delay=2)
    page.evaluate("document.getElementById('ck-search-status').textContent = ''")
    box.press("Enter")
    status = wait_for_status(page)
    assert f"“{query.strip()}”" in status, status
    return results(page)


def open_filters(page: Page) -> None:
    """Unfold "Lọc kết quả" (folded on arrival, so that the results come first) as a person would."""
    folder = page.locator("#ck-search-filters")
    expect(folder).to_be_visible()
    if folder.get_attribute("open") is None:
        folder.get_by_text("Lọc kết quả").click()
    expect(page.locator("select[name=kind]")).to_be_visible()


def titles(found: list[Result]) -> list[str]:
    return [r.title for r in found]


def every_result(page: Page) -> list[Result]:
    """Every result of the query on the page: "more" pressed until none is left."""
    items, more = page.locator("#ck-search-results > li"), page.locator("#ck-search-more")
    while more.is_visible():
        shown = items.count()
        more.click()
        expect(items).not_to_have_count(shown)
    return results(page)


def places_of(code: str) -> int:
    """How many agencies of the sample perform a catalogue procedure, counted from the YAML."""
    levels = {p.stem: yaml.safe_load(p.read_text("utf-8"))["level"]
              for p in (REPO / "hotlines").glob("*.yaml")}
    who = yaml.safe_load((REPO / "catalogue" / f"{code}.yaml").read_text("utf-8"))["implemented_by"]
    chosen = {a for a, level in levels.items() if level == who.get("level")} | set(who.get("agencies", []))
    return len(chosen - set(who.get("except", [])))


@pytest.fixture(scope="module")
def searcher(browser: Browser, site: Site) -> Iterator[Page]:
    """One search page for the query tests, which type their queries one after the other."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    opened.goto(site.url + "tim-kiem/")
    yield opened
    context.close()


# --- the queries of the issue ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "đăng ky khai sinh",
                                   "ĐĂNG KÝ KHAI SINH"])
def test_birth_registration_with_and_without_diacritics(searcher: Page, query: str) -> None:
    type_query(searcher, query)
    found = every_result(searcher)
    births = [r for r in found if r.title == BIRTH]
    assert found[:1] == births, titles(found)  # one result, first, for every commune that registers births
    assert births[0].meta.startswith("Thủ tục hành chính · Mã 1.001193")
    assert births[0].status == "Đang thực hiện"
    assert f"{places_of('1.001193')} nơi thực hiện" in births[0].meta and places_of("1.001193") >= 12


def test_commune_procedure_is_one_result_and_a_commune_filter_keeps_it(page: Page, site: Site) -> None:
    """A commune-level procedure performed by every commune: one result; choosing one commune in
    the agency filter keeps it (its result carries every performing agency)."""
    page.goto(site.url + "tim-kiem/")
    type_query(page, "dang ky khai sinh")
    births = [r for r in every_result(page) if r.title == BIRTH]
    assert len(births) == 1 and site.path_of(births[0].href).startswith("thu-tuc/1.001193-")
    open_filters(page)
    page.evaluate("document.getElementById('ck-search-status').textContent = ''")
    page.locator("select[name=agency]").select_option("Ủy ban nhân dân phường Nha Trang")
    wait_for_status(page)
    kept = [r for r in every_result(page) if r.title == BIRTH]
    assert [site.path_of(r.href) for r in kept] == [site.path_of(births[0].href)]
    assert all("/so-" not in site.path_of(r.href) for r in results(page))


def test_an_officer_finds_the_agency_not_every_procedure_it_performs(searcher: Page) -> None:
    """The places on a catalogue page are not indexed (the agency filter finds a procedure by
    place): a name or street of one commune finds that commune, not the procedures it performs."""
    found = type_query(searcher, "Tran Thi Binh")  # a civil-status officer of phường Nha Trang
    kinds = [(r.kind, r.title) for r in found]
    assert found and {r.kind for r in found} == {"Cơ quan và đường dây nóng"}, kinds


@pytest.mark.parametrize(("query", "title", "code"), [
    ("dang ki khai tu", DEATH, "1.000656"),  # the issue: khai tử was 8th (ki/ky not folded)
    ("đăng kí khai tử", DEATH, "1.000656"),
    ("khai tu", DEATH, "1.000656"),  # the issue: 6th, behind building permits ("tu": tư, từ, tự…)
    ("dang ki ket hon", MARRIAGE, "1.000894"),
    ("đăng kí khai sinh", BIRTH, "1.001193"),
])
def test_i_y_variants_and_title_phrases_find_the_procedure_first(searcher: Page, query: str, title: str,
                                                                 code: str) -> None:
    type_query(searcher, query)
    found = every_result(searcher)
    assert titles(found)[:1] == [title], titles(found)[:4]  # one result per procedure, first


def test_records_no_longer_in_force_come_after_those_in_force(searcher: Page) -> None:
    """Pagefind alone ranks the superseded 2020–2024 land price table above the one in force."""
    type_query(searcher, "bang gia dat")
    found = every_result(searcher)
    statuses = [r.status for r in found]
    assert all(r.status for r in found if r.kind != "Cơ quan và đường dây nóng"), statuses
    old = [i for i, status in enumerate(statuses) if status in OLD]
    assert old and old == list(range(old[0], len(found))), statuses  # a stable partition: old ones last
    superseded = next(r for r in found if r.title.startswith("Bảng giá các loại đất định kỳ 5 năm"))
    assert superseded.status == "Bị thay thế"
    in_force = next(i for i, r in enumerate(found) if r.title.startswith("Nghị quyết quy định bảng giá đất"))
    assert found[in_force].status == "Còn hiệu lực" and in_force < found.index(superseded)


def test_decomposed_query_works_like_composed(searcher: Page) -> None:
    composed = "Đăng ký khai sinh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    type_query(searcher, composed)
    by_composed = every_result(searcher)
    type_query(searcher, decomposed)
    by_decomposed = every_result(searcher)
    # The same results; equally ranked ones in any order.
    assert titles(by_decomposed) == titles(by_composed)
    assert sorted(r.href for r in by_decomposed) == sorted(r.href for r in by_composed)


@pytest.mark.parametrize("query", ["so tu phap", "Sở Tư pháp"])
def test_agency_by_name(searcher: Page, query: str) -> None:
    found = type_query(searcher, query)
    assert found[0].title == "Sở Tư pháp tỉnh Khánh Hòa"
    assert found[0].kind == "Cơ quan và đường dây nóng"


def test_d_words_are_found_without_the_stroke(searcher: Page) -> None:
    """"dat dai" has no đ: only the folded copy in the index can match "đất đai"."""
    with_stroke = type_query(searcher, "hòa giải tranh chấp đất đai")
    without = type_query(searcher, "hoa giai tranh chap dat dai")
    assert with_stroke[0].title == without[0].title == "Hòa giải tranh chấp đất đai"


def test_procedure_code_finds_the_procedure_first(searcher: Page) -> None:
    found = type_query(searcher, "1.001193")
    assert found, "no result"
    assert found[0].title == BIRTH and "Mã 1.001193" in found[0].meta


def test_procedures_rank_above_other_kinds_for_the_same_words(searcher: Page) -> None:
    type_query(searcher, "khai sinh")
    found = every_result(searcher)
    kinds = [r.kind for r in found]
    # The sample has a regulation titled "… đăng ký khai sinh …": it comes after the procedures.
    assert "Quy định" in kinds, titles(found)
    procedure = "Thủ tục hành chính"
    last_birth = max(i for i, r in enumerate(found) if r.kind == procedure and "khai sinh" in r.title.lower())
    first_other = min(i for i, kind in enumerate(kinds) if kind != procedure)
    assert last_birth < first_other, [(r.kind, r.title) for r in found]


def test_building_permit_procedures_before_the_regulation(searcher: Page) -> None:
    type_query(searcher, "cap giay phep xay dung")
    found = every_result(searcher)
    assert found[0].kind == "Thủ tục hành chính"
    regulation = next(i for i, r in enumerate(found) if r.kind == "Quy định")
    assert all(r.kind == "Thủ tục hành chính" for r in found[:regulation])
    # Each procedure once: those whose title says what was asked all come before the regulation.
    permits = [i for i, r in enumerate(found) if r.kind == "Thủ tục hành chính"
               and "cap giay phep xay dung" in fold(r.title)]
    assert len(permits) >= 2 and max(permits) < regulation, titles(found)


# --- synonyms: citizens' words ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["sổ đỏ", "so do", "làm sổ đỏ"])
def test_so_do_finds_land_use_right_certificates(searcher: Page, query: str) -> None:
    found = type_query(searcher, query)
    assert found, "no result"
    assert all(LAND_CERTIFICATE in r.title.lower() for r in found), titles(found)


def test_business_licence_finds_business_registration(searcher: Page) -> None:
    found = type_query(searcher, "giấy phép kinh doanh")
    top = [fold(t) for t in titles(found)[:6]]
    assert any("ho kinh doanh" in t for t in top), top
    assert all("ho kinh doanh" in t or "dang ky thanh lap" in t or "doanh nghiep" in t for t in top), top


@pytest.mark.parametrize("query", ["làm giấy khai sinh", "lam giay khai sinh"])
def test_birth_certificate_in_plain_words(searcher: Page, query: str) -> None:
    found = type_query(searcher, query)
    assert titles(found)[:1] == [BIRTH]  # one result for the procedure, wherever it is performed


def test_nothing_found_says_so(page: Page, site: Site) -> None:
    page.goto(site.url + "tim-kiem/?q=" + quote("zzqxwv"))
    assert wait_for_status(page).startswith("Không tìm thấy kết quả")
    assert results(page) == []


# --- filters ---------------------------------------------------------------------------------


class _IndexFilters(HTMLParser):
    """The data-pagefind-filter values of one built page (a catalogue procedure has one `agency`
    value per place)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, set[str]] = {}
        self._key: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._key = dict(attrs).get("data-pagefind-filter")

    def handle_data(self, data: str) -> None:
        if self._key:
            self.values.setdefault(self._key, set()).add(data)
            self._key = None


@functools.cache
def indexed_filters(root: Path) -> dict[str, dict[str, set[str]]]:
    """Site-relative URL -> filter values, read from the built HTML (the oracle of the filter tests)."""
    out = {}
    for file in root.rglob("index.html"):
        text = file.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            parser = _IndexFilters()
            parser.feed(text)
            out[file.parent.relative_to(root).as_posix() + "/"] = parser.values
    return out


FILTER_CASES = [
    ("kind", "Quy hoạch"),
    ("kind", "Cơ quan và đường dây nóng"),
    ("agency", "Sở Tư pháp tỉnh Khánh Hòa"),
    ("field", "Hộ tịch"),
    ("level", "Cấp tỉnh"),
]


@pytest.mark.parametrize(("key", "value"), FILTER_CASES)
def test_each_filter_alone(page: Page, site: Site, key: str, value: str) -> None:
    expected = {url for url, values in indexed_filters(site.root).items() if value in values.get(key, ())}
    assert expected, f"the sample has no page with {key} = {value}"
    page.goto(site.url + "tim-kiem/")
    open_filters(page)
    page.locator(f"select[name={key}]").select_option(value)
    status = wait_for_status(page)
    assert count(status) == len(expected), status
    expect(page.locator("#ck-search-chosen")).to_have_text("(1 đang chọn)")  # seen while folded
    shown = {site.path_of(r.href) for r in results(page)}
    assert shown and shown <= expected
    assert f"{key}={quote(value)}" in page.url.replace("+", "%20")


def test_filter_narrows_a_query_and_survives_reload(page: Page, site: Site) -> None:
    page.goto(site.url + "tim-kiem/")
    type_query(page, "dang ky")
    everything = count(page.locator("#ck-search-status").inner_text())
    page.evaluate("document.getElementById('ck-search-status').textContent = ''")
    open_filters(page)
    page.locator("select[name=field]").select_option("Hộ tịch")
    narrowed = count(wait_for_status(page))
    assert 0 < narrowed < everything
    in_field = {url for url, v in indexed_filters(site.root).items() if "Hộ tịch" in v.get("field", ())}
    assert {site.path_of(r.href) for r in results(page)} <= in_field
    page.reload()
    expect(page.locator("select[name=field]")).to_be_visible()  # unfolded: a filter is chosen
    expect(page.locator("select[name=field]")).to_have_value("Hộ tịch")
    expect(page.get_by_label(BOX_LABEL)).to_have_value("dang ky")
    assert count(wait_for_status(page)) == narrowed


def test_filter_menus_list_every_indexed_value(page: Page, site: Site) -> None:
    page.goto(site.url + "tim-kiem/")
    open_filters(page)
    indexed = indexed_filters(site.root).values()
    for key in ("kind", "agency", "field", "level"):
        options = page.locator(f"select[name={key}] option").all_inner_texts()
        assert options[0] == "Tất cả"
        assert Counter(options[1:]) == Counter(set().union(*(v.get(key, set()) for v in indexed))), key


# --- keyboard only ---------------------------------------------------------------------------


def test_keyboard_only_search_from_the_header(page: Page, site: Site) -> None:
    watch = watched(page)
    page.goto(site.url + HOME)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "ck-header-q":
            break
    else:
        pytest.fail("the header search box cannot be reached with Tab")
    page.keyboard.type("dang ky khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=dang\+ky\+khai\+sinh$"))
    wait_for_status(page)
    expect(page.locator("#ck-search-nojs")).to_be_hidden()
    for _ in range(30):  # header, navigation, then the search form and its four filters
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ck-result-title')"):
            break
    else:
        pytest.fail("no search result can be reached with Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    expect(page.locator("h1").first).to_have_text(BIRTH)
    assert watch.problems == []


def test_keyboard_filter_and_more_results(page: Page, site: Site) -> None:
    page.goto(site.url + "tim-kiem/")
    expect(page.get_by_label(BOX_LABEL)).to_be_focused()  # the box has the focus on arrival
    page.keyboard.type("dang ky")
    page.keyboard.press("Enter")
    total = count(wait_for_status(page))
    assert total > 10
    page.locator("#ck-search-more").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ck-search-results > li")).to_have_count(min(total, 20))
    # focus moves to the first new result, so a keyboard user reads on from there
    links = "[...document.querySelectorAll('#ck-search-results a')]"
    assert page.evaluate(f"{links}.indexOf(document.activeElement)") == 10
    summary = page.locator("#ck-search-filters > summary")
    summary.focus()
    page.keyboard.press("Enter")  # the disclosure opens from the keyboard
    expect(page.locator("select[name=kind]")).to_be_visible()
    page.locator("select[name=kind]").focus()
    page.evaluate("document.getElementById('ck-search-status').textContent = ''")
    page.keyboard.press("ArrowDown")  # first real option: "Thủ tục hành chính"
    expect(page.locator("select[name=kind]")).to_have_value("Thủ tục hành chính")
    wait_for_status(page)
    assert {r.kind for r in results(page)} == {"Thủ tục hành chính"}


# --- without JavaScript ----------------------------------------------------------------------


def test_without_javascript_the_forms_lead_to_browsing(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site.url + HOME)
        page.locator("#ck-header-q").fill("khai sinh")
        page.locator("#ck-header-q").press("Enter")
        page.wait_for_url(re.compile(r"/tim-kiem/\?q=khai\+sinh$"))
        notice = page.locator("#ck-search-nojs")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("tắt JavaScript")
        form = page.locator("#ck-search-form").bounding_box()
        told = notice.bounding_box()
        assert form and told and told["y"] + told["height"] <= form["y"]  # said above the form
        # no filter that would filter nothing
        expect(page.locator("#ck-search-filters")).to_be_hidden()
        assert page.locator("select:visible, details:visible").count() == 0
        page.get_by_role("link", name="thủ tục hành chính theo lĩnh vực và cấp").click()
        page.get_by_role("link", name="Hộ tịch").first.click()
        page.locator(".ck-list > li", has_text=BIRTH).get_by_role("link").first.click()
        expect(page.locator("h1").first).to_have_text(BIRTH)
    finally:
        context.close()


# --- the folding in the browser is the generator's --------------------------------------------


def test_query_folding_matches_textnorm(page: Page, site: Site) -> None:
    samples = ["Đăng ký khai sinh", unicodedata.normalize("NFD", "Đăng ký khai sinh"), "  Sở   Tư PHÁP ",
               "ĐẤT ĐAI", "Hòa giải", "Hoà giải", "1.001193", "giấy phép kinh doanh", "Ủy ban nhân dân",
               "đăng kí khai tử", "Lý lịch tư pháp", "CÔNG TY", "Mỹ", "hy sinh", "bác sỹ", "Quy định",
               "Thủy lợi", "máy tay", "y tế", "quyết định", "chi tiết", "Tường Vy"]
    page.goto(site.url + SEARCH)
    folded = page.evaluate(
        "async (samples) => { const m = await import('../assets/javascripts/search.js');"
        " return samples.map((s) => [m.foldQuery(s), m.wordPairs(m.foldQuery(s)).join(' ')]); }", samples)
    assert folded == [[search_fold(s), " ".join(title_pairs(s))] for s in samples]


def test_first_result_within_the_first_screen_of_a_phone(browser: Browser, site: Site) -> None:
    """At 360 × 740 the filters are folded under "Lọc kết quả": after Enter the first result shows
    whole without scrolling (the issue: it started at y = 722)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(site.url + "tim-kiem/")
        expect(page.locator("#ck-search-filters")).to_be_visible()
        expect(page.locator("select[name=kind]")).to_be_hidden()
        type_query(page, "dang ky khai sinh")
        first = page.locator("#ck-search-results > li").first
        bottom = first.evaluate("(el) => el.getBoundingClientRect().bottom + window.scrollY")
        assert bottom <= PHONE["height"], bottom
        assert page.evaluate("window.scrollY") == 0
        expect(first).to_be_in_viewport(ratio=1)
    finally:
        context.close()


# --- proof of the đ gap, on a two-page site ----------------------------------------------------


def _page(body: str) -> str:
    head = '<head><meta charset="utf-8"><title>x</title></head>'
    return f'<!doctype html><html lang="vi">{head}<body>{body}</body></html>'


def test_pagefind_alone_misses_d_and_the_folded_copy_closes_the_gap(page: Page, tmp_path: Path) -> None:
    """Two pages with the same visible text; only the second carries our hidden index block."""
    visible = f"<h1>{BIRTH}</h1><p>Sổ đăng ký khai sinh, cấp Giấy khai sinh.</p>"
    (tmp_path / "plain").mkdir()
    plain = _page(f"<main data-pagefind-body>{visible}</main>")
    (tmp_path / "plain" / "index.html").write_text(plain, "utf-8")
    entry = IndexEntry("procedure", BIRTH, "Ủy ban nhân dân phường Nha Trang", code="1.001193")
    block = environment().get_template("_pagefind.j2").render(index_data(entry, visible), body=visible)
    (tmp_path / "folded").mkdir()
    (tmp_path / "folded" / "index.html").write_text(_page(block), "utf-8")
    (tmp_path / "index.html").write_text(_page("<p>home</p>"), "utf-8")
    index_site(tmp_path)
    with serve(tmp_path) as url:
        page.goto(url)
        found = page.evaluate("""async (queries) => {
            const pagefind = await import('/pagefind/pagefind.js');
            const out = {};
            for (const q of queries) {
              const search = await pagefind.search(q);
              out[q] = (await Promise.all(search.results.map((r) => r.data()))).map((d) => d.url).sort();
            }
            return out; }""", ["đăng ký khai sinh", "dang ky khai sinh", "ky khai sinh"])
    assert found["ky khai sinh"] == ["/folded/", "/plain/"]  # tone marks: Pagefind folds them itself
    assert found["đăng ký khai sinh"] == ["/folded/", "/plain/"]
    assert found["dang ky khai sinh"] == ["/folded/"]  # đ: only the folded copy matches


# --- what is indexed ---------------------------------------------------------------------------


def test_site_chrome_is_not_indexed(page: Page, site: Site) -> None:
    """The indexed text of a procedure page is its content: no header, navigation, crumbs or footer."""
    page.goto(site.url + SEARCH)
    content = page.evaluate("""async () => {
        const pagefind = await import('../pagefind/pagefind.js');
        const search = await pagefind.search('1.001193');
        return (await search.results[0].data()).content; }""")
    assert "Thành phần hồ sơ" in content and "Tờ khai đăng ký khai sinh" in content
    chrome = ("Cổng công khai thủ tục hành chính tỉnh Khánh Hòa", "Made with", "MkDocs", "Trở lại mục lục",
              "Thanh điều hướng", "Trang chủ", "Tìm thủ tục, văn bản")
    for words in chrome:
        assert words not in content, words
    page.goto(site.url + "tim-kiem/?q=mkdocs")  # the footer's only word found nowhere else
    assert wait_for_status(page).startswith("Không tìm thấy kết quả")


def test_counter_sheets_and_list_pages_are_not_results(page: Page, site: Site) -> None:
    """"Bản niêm yết" is on every counter sheet; "niêm yết" also in plans' disclosure forms."""
    page.goto(site.url + "tim-kiem/?q=" + quote("niêm yết"))
    wait_for_status(page)
    hrefs = [r.href for r in results(page)]
    assert hrefs, "the plans posted at the agencies' offices should be found"
    assert not [h for h in hrefs if "/niem-yet/" in h or h.count("/") < 3], hrefs
