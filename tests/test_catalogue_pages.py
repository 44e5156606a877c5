"""The catalogue's own pages, read from the shared sample build: one page per catalogue procedure
with every place performing it, a counter sheet per place whose QR code opens that place, agency
pages linking to their places, and the nothing-lost check naming a missing piece."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
import zxingcpp
from conftest import REPO, Built, all_sheets, sheets_on
from PIL import Image
from test_search import _modules

from generator.check import check_repository
from generator.check.places import publishable, serves
from generator.check.timeliness import Settings
from generator.prepare import prepare
from generator.prepare.places import CatalogueView
from generator.publish import verify
from generator.publish.mkdocs import DEFAULT_SITE_URL
from generator.render import counter
from generator.render.site import Site
from generator.textnorm import fold

BIRTH = "thu-tuc/1.001193-dang-ky-khai-sinh"
SITE_URL = "https://congkhai.khanhhoa.gov.vn/"


def _yaml(path: str) -> Any:
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def _performers(code: str) -> list[str]:
    """The sample's agencies performing a catalogue procedure, read from the YAML."""
    levels = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (REPO / "hotlines").glob("*.yaml")}
    who = _yaml(f"catalogue/{code}.yaml")["implemented_by"]
    return sorted(a for a, data in levels.items()
                  if (data["level"] == who.get("level") or a in who.get("agencies", []))
                  and a not in who.get("except", []))


def _read(site: Built, url: str) -> str:
    return (site.root / url / "index.html").read_text(encoding="utf-8")


def test_one_page_per_catalogue_procedure_with_every_place_in_name_order(sample_site: Built) -> None:
    codes = sorted(p.stem for p in (REPO / "catalogue").glob("*.yaml"))
    pages = sorted(p.parent.name.split("-")[0] for p in sample_site.root.glob("thu-tuc/[0-9]*/index.html"))
    assert pages == codes  # once each; no page per agency any more
    assert not list(sample_site.root.glob("thu-tuc/*/1.001193-*"))
    page = _read(sample_site, BIRTH)
    assert '<h2 id="noi-thuc-hien">Nơi thực hiện</h2>' in page
    anchors = re.findall(r'<h3 id="noi-([a-z0-9-]+)">', page)
    assert sorted(anchors) == _performers("1.001193") and len(anchors) >= 12
    names = {a: _yaml(f"hotlines/{a}.yaml")["name"] for a in anchors}
    assert anchors == sorted(anchors, key=lambda a: (fold(names[a]), a))  # by name, folded


def test_a_place_shows_its_counter_hours_hotlines_officers_and_sheet(sample_site: Built) -> None:
    agency = _yaml("hotlines/phuong-nha-trang.yaml")
    page = _read(sample_site, BIRTH)
    place = page.split('<h3 id="noi-phuong-nha-trang">')[1].split("<h3 ")[0]
    assert f">{agency['name']}</a>" in place and 'href="../../co-quan/phuong-nha-trang/"' in place
    assert agency["one_stop"]["address"] in place and agency["one_stop"]["hours"] in place
    for hotline in agency["hotlines"]:
        assert f'href="tel:{re.sub(r"[^0-9+]", "", str(hotline["number"]))}"' in place
    officers = [o for o in agency["one_stop"].get("officers", []) if serves(o["field"], "Hộ tịch")]
    others = [o for o in agency["one_stop"].get("officers", []) if not serves(o["field"], "Hộ tịch")]
    assert all(o["name"] in place for o in officers) and not any(o["name"] in place for o in others)
    assert 'href="niem-yet/#phuong-nha-trang"' in place


def test_a_local_record_shows_its_differences_at_its_place_only(sample_site: Built) -> None:
    """procedures/phuong-phan-rang/1.001193.yaml: its online URL is shown at its place, not elsewhere."""
    url = _yaml("procedures/phuong-phan-rang/1.001193.yaml")["channels"][0]["url"]
    page = _read(sample_site, BIRTH)
    places = dict(re.findall(r'<h3 id="noi-([a-z0-9-]+)">(.*?)(?=<h3 |<h2 )', page, re.S))
    assert f'Nộp hồ sơ trực tuyến tại nơi này</dt><dd><a href="{url}">' in places["phuong-phan-rang"]
    assert not any(url in text for agency, text in places.items() if agency != "phuong-phan-rang")


def test_source_url_and_agency_names_are_shown(sample_site: Built) -> None:
    entry = _yaml("catalogue/2.000815.yaml")
    page = next(p for p in sample_site.root.glob("thu-tuc/2.000815-*/index.html")).read_text("utf-8")
    assert f'<a href="{entry["source_url"]}">Trang thủ tục trên Cổng Dịch vụ công quốc gia</a>' in page
    assert "; ".join(entry["agency_names"]) in page


def test_agency_page_links_each_performed_procedure_to_its_place(sample_site: Built) -> None:
    page = _read(sample_site, "co-quan/phuong-nha-trang")
    linked = set(re.findall(r'href="\.\./\.\./thu-tuc/([0-9.]+)-[a-z0-9-]+/#noi-phuong-nha-trang"', page))
    performed = {p.stem for p in (REPO / "catalogue").glob("*.yaml")
                 if "phuong-nha-trang" in _performers(p.stem)}
    assert linked == performed and performed
    own = _yaml("procedures/phuong-bac-nha-trang/1.012796.yaml")  # a self-contained record
    other = _read(sample_site, "co-quan/phuong-bac-nha-trang")
    assert 'href="../../thu-tuc/phuong-bac-nha-trang/1.012796-' in other and own["name"] in other


def _decoded(svg: str) -> str:
    modules = _modules(svg)
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    image = Image.new("L", (size * 6, size * 6), 255)
    for x, y in modules:
        image.paste(0, (x * 6, y * 6, x * 6 + 6, y * 6 + 6))
    return "".join(r.text for r in zxingcpp.read_barcodes(image))


def test_each_pair_has_a_lean_counter_sheet_whose_qr_opens_its_place(sample_site: Built) -> None:
    """One page of sheets per catalogue procedure, a sheet per place on it (`#<agency>`)."""
    pages = sorted(sample_site.root.glob("thu-tuc/[0-9]*/niem-yet/index.html"))
    pairs = sum(len(_performers(p.stem)) for p in (REPO / "catalogue").glob("*.yaml")
                if _yaml(f"catalogue/{p.stem}.yaml").get("status", "active") != "repealed")
    assert sum(len(sheets_on(page)) for page in pages) == pairs
    page = (sample_site.root / BIRTH / "niem-yet/index.html").read_text("utf-8")
    sheets = sheets_on(sample_site.root / BIRTH / "niem-yet/index.html")
    assert sorted(sheets) == sorted(_performers("1.001193"))
    sheet = sheets["phuong-nha-trang"]
    agency = _yaml("hotlines/phuong-nha-trang.yaml")
    place_url = f"{SITE_URL}{BIRTH}/#noi-phuong-nha-trang"
    assert agency["name"] in sheet and agency["one_stop"]["address"] in sheet
    assert agency["one_stop"]["hours"] in sheet
    assert f'<link rel="canonical" href="{SITE_URL}{BIRTH}/">' in page
    assert _decoded(sheet) == place_url
    # The page lists the places, each linking to its sheet.
    assert f'<li><a href="#phuong-nha-trang">{agency["name"]}</a></li>' in page
    assert "data-pagefind-body" not in page and "md-nav" not in page  # standalone, not indexed
    # Lean: no site chrome, one inline SVG a sheet.
    assert max(p.stat().st_size / len(sheets_on(p)) for p in pages) < 16_000


def test_qr_cache_keeps_each_code_whole_and_reuses_it(tmp_path: Path) -> None:
    url = f"{SITE_URL}{BIRTH}/#noi-phuong-nha-trang"
    made = counter.cached_qr(url, tmp_path)
    assert made == counter.qr_svg(url)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1 and not files[0].name.startswith(".")  # no partial file left behind
    files[0].write_text("<svg>kept</svg>", encoding="ascii")
    assert counter.cached_qr(url, tmp_path) == "<svg>kept</svg>"  # read, not made again
    assert counter.cached_qr(url + "x", tmp_path) == counter.qr_svg(url + "x")  # another key
    assert counter.cached_qr(url, None) == made  # no cache: made every time
    (tmp_path / "ro").write_text("a file where a folder should be", encoding="ascii")
    assert counter.cached_qr(url, tmp_path / "ro") == made  # an unusable cache costs only time


@pytest.fixture(scope="module")
def site_map() -> Site:
    return Site(prepare(publishable(check_repository(REPO, Settings(date(2026, 11, 26))))), DEFAULT_SITE_URL)


def test_nothing_lost_names_a_missing_place_sheet_link_or_row(sample_site: Built, site_map: Site,
                                                              tmp_path: Path) -> None:
    import shutil

    built = tmp_path / "site"
    shutil.copytree(sample_site.root, built, symlinks=False)
    assert verify.missing_pages(site_map, built, built) == []
    page = built / BIRTH / "index.html"
    page.write_text(page.read_text("utf-8").replace('id="noi-xa-cam-lam"', ""), "utf-8")
    sheets = built / BIRTH / "niem-yet/index.html"
    sheets.write_text(sheets.read_text("utf-8").replace('id="phuong-nha-trang"', ""), "utf-8")
    agency = built / "co-quan/phuong-ninh-hoa/index.html"
    agency.write_text(agency.read_text("utf-8").replace("1.001193-dang-ky-khai-sinh/#noi-phuong-ninh-hoa",
                                                        "1.001193-dang-ky-khai-sinh/"), "utf-8")
    rows = built / "api/catalogue.csv"
    rows.write_text("".join(line for line in rows.read_text("utf-8-sig").splitlines(keepends=True)
                            if "catalogue/1.000894.yaml" not in line), "utf-8-sig")
    with pytest.raises(verify.IncompleteSiteError) as failed:
        verify.check_site(site_map, built)
    message = str(failed.value)
    assert "Trang thủ tục catalogue/1.001193.yaml thiếu nơi thực hiện xa-cam-lam" in message
    assert "Thiếu bản niêm yết của thủ tục catalogue/1.001193.yaml tại phuong-nha-trang" in message
    assert ("Trang co-quan/phuong-ninh-hoa/ (cơ quan) không liệt kê hồ sơ catalogue/1.001193.yaml "
            "tại phuong-ninh-hoa") in message
    assert "Dữ liệu mở api/catalogue.csv thiếu hồ sơ catalogue/1.000894.yaml" in message


# --- the answer box under the title (prepare/answer.py) ------------------------------------------

ANSWER = re.compile(r'<section class="ck-answer".*?</section>', re.S)


def _answer(page: str) -> str:
    found = ANSWER.search(page)
    assert found, "no answer box"
    return found.group(0)


def test_agency_site_keeps_its_place_only(tmp_path: Path) -> None:
    """`congkhai build --agency X` on the sample: the same catalogue pages, X's place and sheet only."""
    from conftest import build_ok

    out = tmp_path / "site"
    done = build_ok(out, "--root", REPO, "--agency", "phuong-nha-trang", "--today", "2026-11-26")
    pages = list(out.glob("thu-tuc/[0-9]*/index.html"))
    performed = [p.stem for p in (REPO / "catalogue").glob("*.yaml")
                 if "phuong-nha-trang" in _performers(p.stem)]
    assert sorted(p.parent.name.split("-")[0] for p in pages) == sorted(performed)
    for page in pages:
        assert re.findall(r'<h3 id="(noi-[a-z0-9-]+)">', page.read_text("utf-8")) == ["noi-phuong-nha-trang"]
    assert {sheet for _, sheet in all_sheets(out)} == {"phuong-nha-trang"}
    # one place: its sheet is the page, no list of places to choose from
    assert "ck-sheet-places" not in next(out.glob("thu-tuc/[0-9]*/niem-yet/index.html")).read_text("utf-8")
    assert f"và {len(performed)} thủ tục trong danh mục ({len(performed)} nơi thực hiện)" in done.stdout
    # The answer under the title names that place, not "N nơi", and calls its officer for the field.
    facts = _yaml("hotlines/phuong-nha-trang.yaml")
    box = _answer((out / BIRTH / "index.html").read_text("utf-8"))
    assert f'<a href="#noi-phuong-nha-trang">{facts["name"]}</a>, {facts["one_stop"]["address"]}' in box
    assert f"Giờ tiếp nhận: {facts['one_stop']['hours']}" in box
    officer = next(o for o in facts["one_stop"]["officers"] if serves(o["field"], "Hộ tịch"))
    assert f'href="tel:{officer["phone"].replace(" ", "")}">Gọi {officer["phone"]}</a>' in box
    assert f"Gọi: {officer['name']} ({officer['title']})" in box


def test_catalogue_views_carry_every_performer_for_search(site_map: Site) -> None:
    birth = next(v for v in site_map.procedures if isinstance(v, CatalogueView) and v.key == "1.001193")
    entry = site_map.prepared.search[birth.path]
    names = [value for key, value in entry.filters() if key == "agency"]
    assert len(names) == len(birth.places) == len(_performers("1.001193"))
    assert entry.agency == f"{len(names)} nơi thực hiện"


def test_data_date_counts_the_catalogue_and_local_records(tmp_path: Path) -> None:
    """Without --build-date the site is as of the latest change, catalogue entries and local
    records included: none of them is then "updated in the future" and held back."""
    from conftest import build_ok

    from generator.prepare import data_date

    corpus = publishable(check_repository(REPO, Settings(date(2026, 11, 26))))
    assert corpus.catalogue is not None
    latest = max(str(r.data["updated"]) for r in [*corpus.catalogue.entries.values(),
                                                  *corpus.catalogue.implementations.values()])
    assert data_date(corpus) == prepare(corpus).data_date >= latest
    done = build_ok(tmp_path / "site", "--root", REPO)
    assert "Giữ lại" not in done.stdout, done.stderr


def test_answer_of_a_procedure_at_many_places(sample_site: Built) -> None:
    """Khai sinh at every commune: how many places, linking to them; the hotline of the agency the
    communes answer to; the online button from the online channel; every document by name."""
    page = _read(sample_site, BIRTH)
    box = _answer(page)
    assert page.index('<h1') < page.index('class="ck-answer"') < page.index('id="thanh-phan-ho-so"')
    entry = _yaml("catalogue/1.001193.yaml")
    places = len(_performers("1.001193"))
    assert f'<a href="#noi-thuc-hien">Thực hiện tại {places} nơi: chọn nơi gần bạn</a>' in box
    parent = _yaml("hotlines/ubnd-tinh-khanh-hoa.yaml")
    number = parent["hotlines"][0]["number"]
    assert f'href="tel:{number.replace(" ", "")}">Gọi {number}</a>' in box
    assert f"Gọi: {parent['name']}" in box
    online = next(c["url"] for c in entry["channels"] if c["method"] == "online")
    assert f'class="md-button ck-answer-online" href="{online}"' in box
    assert f"{len(entry['documents'])} giấy tờ" in box
    assert re.findall(r"<li>(.*?)</li>", box) == [d["name"] for d in entry["documents"]]
    assert "Lệ phí đăng ký khai sinh đúng hạn: Miễn phí<br>Phí cấp bản sao Giấy khai sinh: 8.000 đồng" in box
    assert "<dt>Thời hạn giải quyết</dt><dd>1 ngày làm việc</dd>" in box
    assert "niem-yet" not in page[:page.index('id="noi-thuc-hien"')]  # the print links come later


def test_answer_of_a_procedure_at_one_place(sample_site: Built) -> None:
    """Performed by one agency: its name, counter address and hours; three fees as their range."""
    code, agency = "1.014076", "so-y-te"
    [page] = sample_site.root.glob(f"thu-tuc/{code}-*/index.html")
    box = _answer(page.read_text("utf-8"))
    facts = _yaml(f"hotlines/{agency}.yaml")
    assert f'<a href="#noi-{agency}">{facts["name"]}</a>, {facts["one_stop"]["address"]}' in box
    assert f"Giờ tiếp nhận: {facts['one_stop']['hours']}" in box
    assert "3 mức, từ 500.000 đồng đến 4.000.000 đồng" in box
    assert 'href="tel:' in box


def test_answer_of_a_self_contained_record(sample_site: Built) -> None:
    """Not in the catalogue: its agency, its location and office hours, its agency's hotline; no
    online button when it has no online address; the print link at the end of where to go."""
    record = _yaml("procedures/phuong-bac-nha-trang/1.012796.yaml")
    facts = _yaml("hotlines/phuong-bac-nha-trang.yaml")
    [path] = sample_site.root.glob("thu-tuc/phuong-bac-nha-trang/1.012796-*/index.html")
    page = path.read_text("utf-8")
    box = _answer(page)
    assert f'<a href="#noi-tiep-nhan-va-lien-he">{facts["name"]}</a>' in box
    assert f"Giờ tiếp nhận: {facts['office_hours']}" in box
    number = facts["hotlines"][0]["number"]
    assert f'href="tel:{number.replace(" ", "")}">Gọi {number}</a>' in box
    online = [c for c in record["channels"] if c["method"] == "online" and c.get("url")]
    assert ("ck-answer-online" in box) == bool(online)
    assert page.index('id="noi-tiep-nhan-va-lien-he"') < page.index(">In để niêm yết</a>") \
        < page.index('id="thong-tin-chung"')
