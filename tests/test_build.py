"""Build real sites with mkdocs and check the published HTML."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import posixpath
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Built, sheets_on

import generator.publish as publish
from generator.check import check_repository
from generator.check.corpus import Corpus
from generator.check.places import publishable
from generator.check.timeliness import Settings
from generator.labels import (
    CURRENCIES,
    DISCLOSURE,
    LEVELS,
    METHODS,
    NOTICES,
    ONLINE_LEVELS,
    PLAN_KINDS,
    PLAN_STATUS,
    PROCEDURE_STATUS,
    UNITS,
    VALUES,
)
from generator.model import FOLDERS, Record
from generator.prepare import format as labels
from generator.prepare import prepare
from generator.publish import PublishError, build_site
from generator.publish.mkdocs import DEFAULT_SITE_URL, MkdocsSettings
from generator.render.pages import PLACES_SECTION, PROCEDURE_SECTIONS
from generator.render.site import TOP_PAGES, url_of

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "valid"


def _plain(value: Any) -> Any:
    """What the real loader hands over: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def load_fixtures(root: Path = FIXTURES) -> Corpus:
    records = []
    for file in sorted(root.rglob("*.yaml")):
        rel = file.relative_to(root).as_posix()
        data = _plain(yaml.safe_load(file.read_text(encoding="utf-8")))
        records.append(Record(kind=FOLDERS[rel.split("/")[0]], path=rel, data=data))
    return Corpus(records)


class Page(HTMLParser):
    """What the tests need from one built page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.sources: list[str] = []  # data-source of the h1 (the record shown)
        self.h1: list[str] = []
        self.h2_ids: list[str] = []
        self.hrefs: list[str] = []
        self.nav_hrefs: list[str] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []  # <script type="application/ld+json">: data, not code
        self._nav_depth = 0  # inside Material's primary navigation
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "nav" and (self._nav_depth or "md-nav--primary" in classes):
            self._nav_depth += 1
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"] or "")
            if self._nav_depth:
                self.nav_hrefs.append(a["href"] or "")
        if tag == "h1":
            self.h1.append("")
            self._in = "h1"
            if a.get("data-source"):
                self.sources.append(a["data-source"] or "")
        if tag == "h2" and a.get("id"):
            self.h2_ids.append(a["id"] or "")
        if tag == "script" and a.get("type") == "application/ld+json":
            self.data_blocks.append("")
            self._in = "data"
        elif tag == "script":
            self.scripts.append("")
            self._in = "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag in ("h1", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h1":
            self.h1[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data
        elif self._in == "data":
            self.data_blocks[-1] += data


def pages(site: Path) -> dict[str, Page]:
    """Every built page by its URL ("" for the home page)."""
    out = {}
    for file in sorted(site.rglob("index.html")):
        url = file.parent.relative_to(site).as_posix()
        out["" if url == "." else url + "/"] = Page(file.read_text(encoding="utf-8"))
    return out


def resolve(url: str, href: str) -> str:
    """Site URL of a relative link on page `url`."""
    path = href.split("#", 1)[0]
    joined = posixpath.normpath(posixpath.join(url or ".", path))
    return "" if joined == "." else joined.strip("/") + "/"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_fixtures()


@pytest.fixture(scope="module")
def built(small_site: Built) -> dict[str, Page]:
    """The valid fixtures' site (conftest.small_site), page by page."""
    return pages(small_site.root)


def test_every_record_has_exactly_one_page(corpus: Corpus, built: dict[str, Page]) -> None:
    shown = Counter(src for page in built.values() for src in page.sources)
    assert shown == Counter(r.path for r in corpus.records)


def test_urls_are_folded_slugs(built: dict[str, Page]) -> None:
    assert "thu-tuc/phuong-nha-trang/1.001193-dang-ky-khai-sinh/" in built
    assert "co-quan/so-tai-chinh/" in built
    assert "van-ban/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030/" in built
    assert all(url.isascii() for url in built)


HISTORY = "lich-su-thay-doi"  # the change history, last on a page whose record git knows


def sections(page: Page) -> list[str]:
    """A page's section ids before its change history, which must be last when there is one."""
    ids = page.h2_ids
    assert HISTORY not in ids[:-1]
    return ids[:-1] if ids[-1:] == [HISTORY] else ids


# The order issue 16 asks: the answer first; what a citizen reads before going; where to go;
# then what an inspector checks, the decision (in Thông tin chung) and the legal basis, last
# before the date and the change history.
ORDER = ["tom-tat", "thanh-phan-ho-so", "trinh-tu-thuc-hien", "cach-thuc-thuc-hien", "yeu-cau-dieu-kien",
         "doi-tuong-thuc-hien", "ket-qua-thuc-hien", "noi-tiep-nhan-va-lien-he", "thong-tin-chung",
         "can-cu-phap-ly", "ngay-cap-nhat"]


def test_procedure_sections_in_fixed_order(corpus: Corpus, built: dict[str, Page]) -> None:
    expected = [section_id for _, section_id, _ in PROCEDURE_SECTIONS]
    assert expected == ORDER
    procedures = [p for p in built.values() if any(s.startswith("procedures/") for s in p.sources)]
    assert len(procedures) == len(corpus.of_kind("procedure"))
    for page in procedures:
        assert sections(page) == expected


def test_catalogue_procedure_sections_in_the_same_order(sample_site: Built) -> None:
    """A catalogue procedure's page has its places where a self-contained record has its contact."""
    expected = [PLACES_SECTION[1] if s == "noi-tiep-nhan-va-lien-he" else s for s in ORDER]
    built = pages(sample_site.root)
    catalogue = [p for p in built.values() if any(s.startswith("catalogue/") for s in p.sources)]
    assert len(catalogue) == len(list((REPO / "catalogue").glob("*.yaml")))
    for page in catalogue:
        assert sections(page) == expected


def test_procedure_page_content(built: dict[str, Page]) -> None:
    page = built["thu-tuc/phuong-nha-trang/1.001193-dang-ky-khai-sinh/"]
    assert "tel:02583822111" in page.hrefs
    assert "mailto:ubndnhatrang@khanhhoa.gov.vn" in page.hrefs
    assert "https://example.gov.vn/mau/to-khai-khai-sinh.docx" in page.hrefs


def test_labels() -> None:
    assert labels.money(50000) == "50.000 đồng"
    assert labels.money(0) == "Miễn phí"
    assert labels.date("2025-07-01") == "01/07/2025"
    assert labels.duration(15, "working_days") == "15 ngày làm việc"
    assert labels.duration(0.5, "days") == "0,5 ngày"
    assert labels.tel("0258 3822 111") == "tel:02583822111"
    assert labels.tel("1022") == "tel:1022"
    for bad in ("javascript:alert(1)", " JAVASCRIPT:x", "data:text/html,x", "//evil.example", "vbscript:x"):
        assert labels.safe_href(bad) is None
    assert labels.safe_href("https://dichvucong.gov.vn/a?b=1") == "https://dichvucong.gov.vn/a?b=1"
    form = labels.link("Tờ khai", "https://example.gov.vn/a.docx")
    assert (form.text, form.href, form.titled()) == ("Tờ khai", "https://example.gov.vn/a.docx",
                                                     "Tờ khai: https://example.gov.vn/a.docx")
    bare = labels.link(None, "javascript:alert(1)")
    assert (bare.text, bare.href, bare.raw, bare.web, bare.titled()) == (
        "javascript:alert(1)", None, "javascript:alert(1)", None, "javascript:alert(1)")
    assert labels.link("Thư", "mailto:a@b.vn").web is None  # a link, but not a web page


def test_label_tables_are_one_vocabulary() -> None:
    """Every enumerated value has one label (`congkhai new` looks them up without their table),
    and every status but "active" has the notice its pages show."""
    tables = (LEVELS, UNITS, METHODS, ONLINE_LEVELS, PROCEDURE_STATUS, PLAN_KINDS, PLAN_STATUS, DISCLOSURE,
              CURRENCIES)
    assert len(VALUES) == sum(map(len, tables)) and all(VALUES.values())
    assert set(NOTICES) == set(PROCEDURE_STATUS) - {"active"}
    assert all(n.title and n.text and n.tone in ("warning", "danger") for n in NOTICES.values())


def test_suspended_procedure_says_so_on_its_page_sheet_and_lists(sample_site: Built) -> None:
    notice = NOTICES["suspended"]
    built = pages(sample_site.root)
    source = "catalogue/2.001770.yaml"
    url = next(u for u, p in built.items() if source in p.sources)
    page = built[url].text
    assert ('<div class="admonition warning ck-status" role="note"><p class="admonition-title">'
            f"{notice.title}</p><p>{notice.text}</p></div>") in page
    assert page.count("ck-status") == 1
    sheet = sheets_on(sample_site.root / url / "niem-yet/index.html")["so-nong-nghiep-va-moi-truong"]
    assert f'<p class="ck-counter-warning">{notice.title}.</p>' in sheet
    agency = built["co-quan/so-nong-nghiep-va-moi-truong/"].text
    entry = next(line for line in agency.splitlines() if url.split("/")[-2] in line and "<li>" in line)
    assert f"<strong>({notice.note})</strong>" in entry


def test_hotline_directory_lists_every_agency_with_tel(corpus: Corpus, built: dict[str, Page]) -> None:
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", built["duong-day-nong/"].text, re.S)
    for agency in corpus.of_kind("agency"):
        row = next(r for r in rows if f">{agency.data['name']}</a>" in r)
        assert 'href="tel:' in row


def test_legal_registry_page_is_public_and_linked_from_every_page(built: dict[str, Page]) -> None:
    from generator import legal

    page = built["can-cu-phap-ly/"]
    rows = dict(re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page.text, re.S))
    assert set(rows) == set(legal.registry())
    replaced = rows["tt01-2018-art20"]  # law, confirmed, with its dates and successor
    assert "Thông tư 01/2018/TT-VPCP" in replaced and "Điều 20" in replaced
    assert "Đã đối chiếu với văn bản" in replaced and "đến 14/09/2025" in replaced
    assert 'Thay bằng: <a href="#tt03-2025">Thông tư 03/2025/TT-VPCP (căn cứ cần xác nhận)</a>' in replaced
    assert "từ 15/09/2025" in rows["tt03-2025"] and "Chưa kiểm chứng, cần xác nhận" in rows["tt03-2025"]
    assert "Theo nguồn thứ cấp, cần xác nhận" in rows["nd63-art15-2"]
    policies = page.text.split('id="quy-dinh-cua-cong"', 1)[1]
    assert all(f'<tr id="{e.id}">' in policies for e in legal.registry().values() if e.kind == "policy")
    assert rows["policy-review"].count("<td>") == 2  # content, note, id: no instrument, no article
    for url, other in built.items():
        if not url.endswith("/niem-yet/"):  # counter sheets are print pages without the footer
            assert "can-cu-phap-ly/" in {resolve(url, href) for href in other.hrefs}, url


def test_only_top_pages_in_nav(built: dict[str, Page]) -> None:
    top = {url_of(src) for _, src in TOP_PAGES}
    for url, page in built.items():
        if url.endswith("/niem-yet/"):  # counter sheets: standalone print pages, no site chrome
            assert not page.nav_hrefs
            continue
        targets = {resolve(url, href) for href in page.nav_hrefs if not href.startswith("#")}
        assert targets == top, url


def test_internal_links_resolve(built: dict[str, Page]) -> None:
    for url, page in built.items():
        for href in page.hrefs:
            if re.match(r"^(https?:|mailto:|tel:|#)", href) or href.startswith(("assets/", "../assets")):
                continue
            if href.endswith((".css", ".js", ".xml", ".json", ".gz", ".png", ".svg", ".ico", ".csv",
                              ".jsonld")):
                continue
            assert resolve(url, href) in built, f"{url}: {href}"


def test_no_mkdocs_warnings(small_site: Built, sample_site: Built, agency_site: Built) -> None:
    """The shared builds logged nothing, at INFO or above, from mkdocs or anything else."""
    assert (small_site.logged, sample_site.logged, agency_site.logged) == ([], [], [])


def test_agency_site(corpus: Corpus, agency_site: Built) -> None:
    own = corpus.only_agency("phuong-nha-trang")
    built = pages(agency_site.root)
    assert Counter(s for p in built.values() for s in p.sources) == Counter(r.path for r in own.records)
    test_internal_links_resolve(built)


def _hostile(corpus: Corpus) -> Corpus:
    records = [copy.deepcopy(r) for r in corpus.records]
    proc = next(r for r in records if r.kind == "procedure")
    data = proc.data
    data["name"] = "<script>alert(1)</script> *đậm* _nghiêng_ & `mã`"
    data["field"] = "Hộ tịch <b>x</b>"
    data["documents"][0]["form"]["url"] = "javascript:alert(1)"
    data["documents"][1]["name"] = '"><img src=x onerror=alert(1)>'
    data["channels"][1]["url"] = " JaVaScRiPt:alert(1)"
    data["steps"] = ["Bước *một*\n\n    thụt lề <i>x</i>", "[liên kết](javascript:alert(1))"]
    data["result"] = "<a href='javascript:alert(1)'>bấm</a>"
    agency = next(r for r in records if r.key == "phuong-nha-trang")
    agency.data["website"] = "javascript:alert(1)"
    agency.data["email"] = "x@y.vn?body=<script>"
    # The same code at another agency, repealed there.
    other = copy.deepcopy(proc)
    other.path = "procedures/so-tai-chinh/1.001193.yaml"
    other.data.update(agency="so-tai-chinh", name="Đăng ký khai sinh", field="Hộ tịch", status="repealed")
    return Corpus([*records, other])


@pytest.fixture(scope="module")
def hostile_site(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "out"
    build_site(prepare(_hostile(corpus)), out)
    return out


@pytest.mark.slow
def test_escaping(hostile_site: Path) -> None:
    built = pages(hostile_site)
    test_internal_links_resolve(built)
    for file in hostile_site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text
        assert "<img src=x" not in text
        assert "<b>x</b>" not in text
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", text, re.I), file
        page = Page(text)
        assert not any("alert(1)" in s for s in page.scripts), file
        for block in page.data_blocks:  # hostile text stays data: escaped, and still valid JSON
            assert "<" not in block and json.loads(block), file
        assert not any(h.strip().lower().startswith("javascript:") for h in page.hrefs), file
    page_url = next(u for u, p in built.items() if "procedures/phuong-nha-trang/1.001193.yaml" in p.sources)
    text = (hostile_site / page_url / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *đậm* _nghiêng_ &amp; `mã`" in text
    assert "<em>" not in text.split("<article", 1)[1]
    assert "javascript:alert(1)" in text  # shown as text, not as a link


@pytest.mark.slow
def test_repealed_procedure(hostile_site: Path) -> None:
    built = pages(hostile_site)
    url = next(u for u, p in built.items() if "procedures/so-tai-chinh/1.001193.yaml" in p.sources)
    text = (hostile_site / url / "index.html").read_text(encoding="utf-8")
    assert "Thủ tục đã bãi bỏ" in text
    agency = (hostile_site / "co-quan" / "so-tai-chinh" / "index.html").read_text(encoding="utf-8")
    current, _, repealed = agency.partition('id="da-bai-bo"')
    assert url.split("/")[-2] not in current.split('id="thu-tuc"', 1)[1]
    assert url.split("/")[-2] in repealed


@pytest.mark.slow
def test_failed_build_keeps_previous_site(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "marker.txt").write_text("cũ", encoding="utf-8")
    (out / publish.SITE_MARK).write_text("", encoding="utf-8")  # a site built before

    broken = tmp_path / "mkdocs.yml"
    broken.write_text("site_name: [\n", encoding="utf-8")
    with pytest.raises(PublishError):
        build_site(prepare(corpus), out, settings=MkdocsSettings(broken, DEFAULT_SITE_URL))

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("hỏng")

    monkeypatch.setattr(publish, "render_docs", boom)
    with pytest.raises(PublishError, match="hỏng"):
        build_site(prepare(corpus), out)
    monkeypatch.undo()

    # Nothing but the site and the QR codes kept for the next build (build/qr beside mkdocs.yml),
    # if the sheets' process (stopped when the build failed) got as far as making one.
    assert {p.name for p in tmp_path.iterdir()} - {"build"} == {"mkdocs.yml", "public"}
    kept = tmp_path / "build"
    assert not kept.exists() or [p.name for p in kept.iterdir()] in ([], ["qr"])
    assert sorted(p.name for p in out.iterdir()) == [publish.SITE_MARK, "marker.txt"]

    build_site(prepare(corpus), out)
    assert not (out / "marker.txt").exists()
    assert (out / "index.html").is_file()
    assert {p.name for p in tmp_path.iterdir()} - {"build"} == {os.readlink(out), "mkdocs.yml", "public"}


def test_sample_repository(sample_site: Built) -> None:
    checked = check_repository(REPO, Settings(date(2026, 11, 26)))
    assert checked.records and not checked.failed_files
    sample = publishable(checked)
    assert sample_site.logged == []
    built = pages(sample_site.root)
    shown = Counter(v.path for v in prepare(sample).views)
    assert Counter(s for p in built.values() for s in p.sources) == shown
    expected = [section_id for _, section_id, _ in PROCEDURE_SECTIONS]
    for page in built.values():
        if any(s.startswith("procedures/") for s in page.sources):
            assert sections(page) == expected
    test_internal_links_resolve(built)
