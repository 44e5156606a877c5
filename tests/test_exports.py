"""Open data of every build, through the real CLI: API files, CSV, CPSV-AP, feeds, sitemap, JSON-LD."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import pytest
import yaml
from conftest import REPO, TODAY, VALID, Built, build_ok
from jsonschema import Draft202012Validator

from generator.check import check_repository
from generator.check.corpus import Corpus
from generator.check.places import publishable
from generator.check.timeliness import Settings
from generator.model import Record
from generator.prepare import format as labels
from generator.prepare import prepare
from generator.prepare.views import changed
from generator.publish import sitewalk
from generator.publish.mkdocs import DEFAULT_SITE_URL, MkdocsSettings
from generator.render import dossier_exports, exports, jsonld, render_page, tables
from generator.render.exports import FEED_SIZE, TYPES, size_text
from generator.render.pages import open_data_page
from generator.render.site import Site

BUILD_DATE = TODAY
# The sample's birth registration is a catalogue procedure: published once per commune, each
# place a procedure record of that commune; the valid fixtures keep a self-contained record.
SAMPLE_PROCEDURE = "catalogue/1.001193.yaml"  # a catalogue procedure of the sample, at 14 communes
FIXTURE_PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build(root: Path, out: Path, *extra: str) -> Path:
    build_ok(out, "--root", root, "--today", BUILD_DATE, *extra)
    return out


def records_of(root: Path) -> Corpus:
    """What `congkhai build` publishes from `root`."""
    checked = check_repository(root, Settings(date.fromisoformat(BUILD_DATE)))
    assert checked.records and not checked.failed_files
    return publishable(checked)


_CHANGED: dict[str, str] = {}  # record path -> the date its page last changed, by published()


def published(corpus: Corpus, kind: str = "") -> list[Record]:
    """The records a build publishes, each once: the agencies, plans and self-contained
    procedures, and the catalogue's procedures (whose places are parts of them)."""
    views = prepare(corpus).views
    _CHANGED.update((view.path, view.changed) for view in views)
    records = [view.record for view in views]
    return [r for r in records if r.kind == kind] if kind else records


def record_date(record: Record) -> str:
    """When a published record last changed: a catalogue procedure also when a place's local
    record did (read from published())."""
    return _CHANGED.get(record.path) or changed(record)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def site_file(site: Path, url: str) -> Path:
    """The file of an absolute URL of the built site."""
    base = read_json(site / "api" / "index.json")["site_url"]
    assert url.startswith(base), url
    rel = url[len(base) :].split("#", 1)[0]
    return site / rel / "index.html" if rel.endswith("/") or not rel else site / rel


class Head(HTMLParser):
    """Feed links in <head> and the JSON-LD blocks of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.feeds: list[str] = []
        self.blocks: list[str] = []
        self._in_ld = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        feed = a.get("type") == "application/atom+xml"
        if tag == "link" and "alternate" in (a.get("rel") or "").split() and feed:  # as feed readers read rel
            self.feeds.append(a.get("href") or "")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.blocks[-1] += data


def page_of(site: Path, rec: Record) -> tuple[Path, str]:
    """The built page of a record (found through its exported page_url)."""
    rtype = next(t for t in TYPES if t.kind == rec.kind)
    doc = read_json(site / "api" / f"{rtype.name}.json")
    item = next(r for r in doc["records"] if r["source_path"] == rec.path)
    path = site_file(site, item["page_url"])
    return path, path.read_text(encoding="utf-8")


@pytest.fixture
def sample(sample_site: Built) -> Path:
    """The repository's records, built with --build-date (conftest.sample_site)."""
    return sample_site.root


@pytest.fixture(scope="module")
def sample_again(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same records built a second time, elsewhere."""
    return build(REPO, tmp_path_factory.mktemp("again") / "public", "--build-date", BUILD_DATE)


@pytest.fixture
def small(small_site: Built) -> Path:
    """The valid fixtures, built without --build-date (conftest.small_site)."""
    return small_site.root


@pytest.fixture
def agency(agency_site: Built) -> Path:
    """phuong-nha-trang's own site (conftest.agency_site)."""
    return agency_site.root


@pytest.fixture(params=["sample", "small", "agency"])
def each_site(request: pytest.FixtureRequest) -> tuple[Path, Corpus]:
    site = request.getfixturevalue(request.param)
    corpus = records_of(REPO if request.param == "sample" else VALID)
    return site, corpus.only_agency("phuong-nha-trang") if request.param == "agency" else corpus


# --- completeness --------------------------------------------------------------------------


def test_every_record_exactly_once_in_each_export(each_site: tuple[Path, Corpus]) -> None:
    site, corpus = each_site
    index = read_json(site / "api" / "index.json")
    for rtype in TYPES:
        paths = sorted(r.path for r in published(corpus, rtype.kind))
        assert index["counts"][rtype.name] == len(paths)

        doc = read_json(site / "api" / f"{rtype.name}.json")
        assert doc["count"] == len(doc["records"]) == len(paths)
        assert [r["source_path"] for r in doc["records"]] == paths  # once each, in path order
        for item in doc["records"]:  # the record's own file holds the same record
            assert read_json(site_file(site, item["json_url"])) == item
            assert site_file(site, item["page_url"]).is_file()
        assert (
            len(list((site / "api" / rtype.name).rglob("*.json"))) == len(paths) + 1
        )  # + record.schema.json

        with open(site / "api" / f"{rtype.name}.csv", encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert sorted(row["Tệp dữ liệu gốc"] for row in rows) == paths

    graph = read_json(site / "api" / "cpsv-ap.jsonld")["@graph"]
    services = Counter(n["page"] for n in graph if n["@type"] == "PublicService")
    procedures = published(corpus, "procedure") + published(corpus, "catalogue")
    assert len(services) == len(procedures) and set(services.values()) <= {1}
    organisations = [n for n in graph if n["@type"] == "PublicOrganisation"]
    assert sorted(n["identifier"] for n in organisations) == sorted(corpus.agencies)


def test_exported_record_is_the_source_record(small: Path) -> None:
    source = yaml.safe_load((VALID / FIXTURE_PROCEDURE).read_text(encoding="utf-8"))
    doc = read_json(small / "api" / "procedures.json")
    item = next(r for r in doc["records"] if r["source_path"] == FIXTURE_PROCEDURE)
    assert item["name"] == source["name"] == "Đăng ký khai sinh"
    assert item["channels"][1]["fees"] == source["channels"][1]["fees"]
    assert item["updated"] == source["updated"].isoformat()
    assert set(item) - set(source) == {"page_url", "json_url", "source_path"}


def test_exported_catalogue_procedure_is_its_entry_with_its_places(sample: Path) -> None:
    """A catalogue procedure: the entry as written, once, with every place performing it."""
    source = yaml.safe_load((REPO / SAMPLE_PROCEDURE).read_text(encoding="utf-8"))
    agency = yaml.safe_load((REPO / "hotlines/phuong-nha-trang.yaml").read_text(encoding="utf-8"))
    doc = read_json(sample / "api" / "catalogue.json")
    item = next(r for r in doc["records"] if r["source_path"] == SAMPLE_PROCEDURE)
    assert item["name"] == source["name"] == "Đăng ký khai sinh"
    assert item["channels"] == source["channels"] and item["documents"] == source["documents"]
    assert item["updated"] == source["updated"].isoformat()
    assert set(item) - set(source) == {"page_url", "json_url", "source_path", "places"}
    assert item["json_url"].endswith("/api/catalogue/1.001193.json")
    places = {p["agency"]: p for p in item["places"]}
    assert len(places) == len(item["places"]) >= 12
    here = places["phuong-nha-trang"]
    assert here["agency_name"] == agency["name"] and here["location"] == agency["one_stop"]["address"]
    assert here["hours"] == agency["one_stop"]["hours"]
    assert here["page_url"] == item["page_url"] + "#noi-phuong-nha-trang"
    assert "processing_time" not in here  # no local record shortens it here
    assert not any(p["source_path"] == SAMPLE_PROCEDURE
                   for p in read_json(sample / "api" / "procedures.json")["records"])


# --- schemas -------------------------------------------------------------------------------


def _validate(document: Any, schema_path: Path) -> None:
    schema = read_json(schema_path)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


def test_exports_validate_against_their_schemas(each_site: tuple[Path, Corpus],
                                               request: pytest.FixtureRequest) -> None:
    site, _ = each_site
    api = site / "api"
    index = read_json(api / "index.json")
    _validate(index, api / "index.schema.json")
    with_schema = [f for f in index["files"] if "schema" in f]
    # Only the repository's sample has dossier results (dossier_stats/): the fixtures have none.
    dossiers = {dossier_exports.JSON} if request.node.callspec.params["each_site"] == "sample" else set()
    assert {f["path"] for f in with_schema} == {*(f"api/{t.name}.json" for t in TYPES), "api/cpsv-ap.jsonld",
                                                *dossiers}
    for entry in with_schema:
        _validate(read_json(site / entry["path"]), site / entry["schema"])
    for rtype in TYPES:
        schema = read_json(api / rtype.name / "record.schema.json")
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for file in sorted((api / rtype.name).rglob("*.json")):
            if file.name != "record.schema.json":
                validator.validate(read_json(file))


def test_schema_rejects_a_broken_export(sample: Path) -> None:
    """The schemas say something: a record without its name, or without its page, fails."""
    validator = Draft202012Validator(read_json(sample / "api" / "procedures.schema.json"))
    for field in ("name", "page_url"):
        doc = read_json(sample / "api" / "procedures.json")
        assert validator.is_valid(doc)
        del doc["records"][0][field]
        assert not validator.is_valid(doc), field


# --- CSV -----------------------------------------------------------------------------------


def test_csv_round_trips_with_vietnamese_text(sample: Path) -> None:
    corpus = records_of(REPO)
    raw = (sample / "api" / "procedures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert header == tables.headers("procedure")
    assert len(rows) == len(published(corpus, "procedure"))
    by_path = {row[header.index("Tệp dữ liệu gốc")]: dict(zip(header, row, strict=True)) for row in rows}
    for rec in published(corpus, "procedure"):
        row = by_path[rec.path]
        assert row["Tên thủ tục"] == rec.data["name"]
        assert unicodedata.is_normalized("NFC", row["Tên thủ tục"])
        assert row["Lĩnh vực"] == rec.data["field"]
        assert row["Ngày cập nhật"] == rec.data["updated"]
    with open(sample / "api" / "catalogue.csv", encoding="utf-8-sig", newline="") as stream:
        catalogue = list(csv.DictReader(stream))
    assert list(catalogue[0]) == tables.headers("catalogue")
    birth = next(row for row in catalogue if row["Tệp dữ liệu gốc"] == SAMPLE_PROCEDURE)
    assert birth["Tên thủ tục"] == "Đăng ký khai sinh"
    assert birth["Trực tiếp – phí, lệ phí"] == (
        "Lệ phí đăng ký khai sinh đúng hạn: 0 (Được miễn theo Luật Hộ tịch) | "
        "Phí cấp bản sao Giấy khai sinh: 8000 (Mỗi bản; chỉ thu khi người yêu cầu xin thêm bản sao)"
    )
    assert birth["Trực tuyến – mức độ"] == "Toàn trình"
    assert birth["Trực tiếp – thời hạn giải quyết"].startswith("1 ngày làm việc (Nộp trước 15 giờ")
    assert "phuong-nha-trang: Ủy ban nhân dân phường Nha Trang – " in birth["Nơi thực hiện"]
    assert birth["Nơi thực hiện"].count(" | ") == birth["Nơi thực hiện"].count(": Ủy ban nhân dân ") - 1
    assert (
        birth["Thành phần hồ sơ"].count(" | ")
        == len(next(r for r in published(corpus) if r.path == SAMPLE_PROCEDURE).data["documents"]) - 1
    )

    with open(sample / "api" / "agencies.csv", encoding="utf-8-sig", newline="") as stream:
        agencies = {row["Mã cơ quan"]: row for row in csv.DictReader(stream)}
    assert agencies["phuong-nha-trang"]["Tên cơ quan"] == "Ủy ban nhân dân phường Nha Trang"
    assert agencies["phuong-nha-trang"]["Đường dây nóng"].startswith("0258 3822 111: ")


def test_csv_keeps_the_line_breaks_the_pages_fold(tmp_path: Path) -> None:
    """A multi-line note is one line on the page (its view) and keeps its lines in the CSV cell."""
    corpus = records_of(VALID)
    rec = next(r for r in published(corpus) if r.path == FIXTURE_PROCEDURE)
    note = "- Trường hợp thứ nhất: 1 ngày.\n- Trường hợp thứ hai:  3 ngày."
    rec.data["channels"][0]["processing_time"]["note"] = note
    rec.data["documents"][0]["note"] = note
    view = next(v for v in prepare(corpus).procedures if v.path == FIXTURE_PROCEDURE)
    assert view.channels[0].time.note == view.documents[0].note == " ".join(note.split())
    stream = io.StringIO(newline="")
    tables.csv_writer("procedure", stream)(view, "https://example.gov.vn/")
    header, row = list(csv.reader(io.StringIO(stream.getvalue().lstrip("\ufeff"), newline="")))
    cells = dict(zip(header, row, strict=True))
    assert cells["Trực tiếp – thời hạn giải quyết"] == f"1 ngày làm việc ({note})"
    assert f"(bản chính: 1, bản sao: 0) ({note})" in cells["Thành phần hồ sơ"]


def test_neutralise() -> None:
    for cell in ("=1+1", "+84 258", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert tables.neutralise(cell) == "'" + cell
    for cell in ("", "Đăng ký", "1.001193", "0258 3822 111", "x=1"):
        assert tables.neutralise(cell) == cell


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The valid fixtures with a formula and a script-closing name, built through the CLI."""
    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(VALID, root)
    name = '=HYPERLINK("http://x") </script><script>alert(1)</script> & <!--'
    path = root / FIXTURE_PROCEDURE
    text = path.read_text(encoding="utf-8").replace("name: Đăng ký khai sinh", f"name: '{name}'", 1)
    path.write_text(text, encoding="utf-8")
    return build(root, root.parent / "site"), name


@pytest.mark.slow
def test_csv_cells_cannot_become_formulas(hostile: tuple[Path, str]) -> None:
    site, name = hostile
    with open(site / "api" / "procedures.csv", encoding="utf-8-sig", newline="") as stream:
        row = next(csv.DictReader(stream))
    assert row["Tên thủ tục"] == "'" + name
    doc = read_json(site / "api" / "procedures.json")
    assert doc["records"][0]["name"] == name  # the data itself is not altered


@pytest.mark.slow
def test_jsonld_cannot_close_its_script(hostile: tuple[Path, str]) -> None:
    site, name = hostile
    rec = next(r for r in records_of(site.parent / "repo").records if r.path == FIXTURE_PROCEDURE)
    _, text = page_of(site, rec)
    head = Head(text)
    assert len(head.blocks) == 1
    assert "<" not in head.blocks[0] and ">" not in head.blocks[0] and "&" not in head.blocks[0]
    assert json.loads(head.blocks[0])["name"] == name
    assert text.count("<script>alert(1)") == 0


# --- feeds ---------------------------------------------------------------------------------


def _expected_order(records: list[Record]) -> list[str]:
    ordered = sorted(records, key=lambda r: r.path)
    ordered.sort(key=record_date, reverse=True)
    return [r.path for r in ordered[:FEED_SIZE]]


def _entry_paths(feed: Any) -> list[str]:
    """Record paths from entry ids: a file's path without ".yaml", a place's quoted whole."""
    paths = [unquote(e.id.split(":", 2)[2]) for e in feed.entries]
    return [path if "#" in path else path + ".yaml" for path in paths]


def test_feeds_parse_and_list_the_newest_records_in_date_order(sample: Path) -> None:
    corpus = records_of(REPO)
    feed = feedparser.parse((sample / "atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.endswith("hồ sơ mới và cập nhật")
    assert _entry_paths(feed) == _expected_order(published(corpus))
    dates = [e.updated[:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.feed.updated[:10] == dates[0] == max(record_date(r) for r in published(corpus))
    for entry in feed.entries:
        assert site_file(sample, entry.link).is_file()

    index = read_json(sample / "api" / "index.json")
    assert set(index["feeds"]) == {"", *corpus.agencies}
    for agency_id, rel in index["feeds"].items():
        if not agency_id:
            continue
        own = feedparser.parse((sample / rel).read_bytes())
        assert not own.bozo
        catalogue = corpus.catalogue
        mine = [r for r in published(corpus) if r.agency == agency_id
                or (r.kind == "catalogue" and catalogue and agency_id in catalogue.places_of(r.stem))]
        assert _entry_paths(own) == _expected_order(mine)
        assert {e.author for e in own.entries} == {corpus.agencies[agency_id].data["name"]}


def test_feed_size_is_a_setting(tmp_path: Path) -> None:
    """ExportOptions.feed_size: how many entries a feed holds, and what the open-data page says."""
    corpus = records_of(VALID)
    site = Site(prepare(corpus), DEFAULT_SITE_URL)
    options = exports.ExportOptions(DEFAULT_SITE_URL, "Cổng thử", BUILD_DATE, feed_size=2)
    staged = exports.stage_exports(site, tmp_path, options)
    feed = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert _entry_paths(feed) == _expected_order(published(corpus))[:2] and len(published(corpus)) > 2
    page = render_page(open_data_page(site, staged.page_data()["page"]))
    assert "mỗi nguồn tin gồm tối đa 2 hồ sơ mới nhất" in page


def test_plan_entries_carry_their_publication_date(sample: Path) -> None:
    feed = feedparser.parse((sample / "atom.xml").read_bytes())
    plans = [e for e in feed.entries if e.tags[0].term == "plan"]
    assert plans and all(e.published[:10] <= e.updated[:10] for e in plans)


def test_pages_link_their_feeds(sample: Path) -> None:
    corpus = records_of(REPO)
    index = read_json(sample / "api" / "index.json")
    rec = next(r for r in published(corpus) if r.path == SAMPLE_PROCEDURE)
    path, text = page_of(sample, rec)
    feeds = {(path.parent / href).resolve() for href in Head(text).feeds}
    # A catalogue procedure is the province's: the portal's feed (an agency's page has its own).
    assert feeds == {(sample / index["feeds"][""]).resolve()}
    agency = Head((sample / "co-quan/phuong-nha-trang/index.html").read_text(encoding="utf-8"))
    assert {(sample / "co-quan/phuong-nha-trang" / href).resolve() for href in agency.feeds} == {
        (sample / index["feeds"][""]).resolve(), (sample / index["feeds"]["phuong-nha-trang"]).resolve()}
    home = Head((sample / "index.html").read_text(encoding="utf-8"))
    assert [(sample / href).resolve() for href in home.feeds] == [(sample / index["feeds"][""]).resolve()]


# --- sitemap and robots --------------------------------------------------------------------


def test_sitemap_lists_every_page_with_its_date(sample: Path) -> None:
    corpus = records_of(REPO)
    base = read_json(sample / "api" / "index.json")["site_url"]
    root = ET.fromstring((sample / "sitemap.xml").read_bytes())
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    pages = {
        base + ("" if f.parent == sample else f.parent.relative_to(sample).as_posix() + "/")
        for f in sample.rglob("index.html")
        if "niem-yet" not in f.parts  # counter sheets are print pages, not for search engines
    }
    assert set(entries) == pages and len(root) == len(pages)
    newest = max(record_date(r) for r in published(corpus))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) and d <= newest for d in entries.values())
    rec = next(r for r in published(corpus) if r.path == SAMPLE_PROCEDURE)
    page = read_json(sample / "api" / "catalogue.json")
    url = next(r["page_url"] for r in page["records"] if r["source_path"] == SAMPLE_PROCEDURE)
    assert entries[url] == rec.data["updated"]
    assert (sample / "robots.txt").read_text(encoding="utf-8").splitlines()[
        -1
    ] == f"Sitemap: {base}sitemap.xml"


def test_sitemap_splits_beyond_its_limit(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SITEMAP_SIZE pages, sitemap.xml becomes an index of sitemap-N.xml files."""
    index = read_json(small / "api" / "index.json")
    options = exports.ExportOptions(index["site_url"], index["site_name"], index["build_date"])
    site = Site(prepare(records_of(VALID)), MkdocsSettings.read().site_url)
    staged = exports.stage_exports(site, tmp_path / "staged", options)
    monkeypatch.setattr(sitewalk, "SITEMAP_SIZE", 5)
    files = sitewalk.sitemap_files(small, staged)
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = [u.findtext(f"{SITEMAP}loc").removeprefix(index["site_url"]) for u in root]
    pages = {u.findtext(f"{SITEMAP}loc") for part in parts for u in ET.fromstring(files[part])}
    built = {
        index["site_url"] + ("" if f.parent == small else f.parent.relative_to(small).as_posix() + "/")
        for f in small.rglob("index.html")
    }
    assert pages == built and len(parts) == -(-len(built) // 5)
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]


# --- linked data ---------------------------------------------------------------------------


def test_procedure_page_carries_government_service(sample: Path) -> None:
    corpus = records_of(REPO)
    rec = next(r for r in published(corpus) if r.path == SAMPLE_PROCEDURE)
    _, text = page_of(sample, rec)
    blocks = [json.loads(b) for b in Head(text).blocks]
    assert len(blocks) == 1
    service = blocks[0]
    assert service["@context"] == "https://schema.org" and service["@type"] == "GovernmentService"
    assert service["name"] == "Đăng ký khai sinh" and service["identifier"] == "1.001193"
    assert service["provider"]["@type"] == service["serviceOperator"]["@type"] == "GovernmentOrganization"
    # One page for every commune: the authority as the catalogue announces it (the places, with
    # their counters and phones, are on the page and in api/catalogue.json).
    assert service["provider"] == {"@type": "GovernmentOrganization", "name": "Ủy ban nhân dân cấp xã"}
    assert [a["audienceType"] for a in service["audience"]] == rec.data["applicants"]
    channels = service["availableChannel"]
    assert [c["name"] for c in channels] == ["Trực tiếp", "Trực tuyến (toàn trình)", "Dịch vụ bưu chính"]
    assert all(c["processingTime"] == "P1D" and c["@type"] == "ServiceChannel" for c in channels)
    assert channels[1]["serviceUrl"] == rec.data["channels"][1]["url"]
    assert not any("servicePhone" in c for c in channels)
    offers = service["offers"]
    assert [(o["price"], o["category"]) for o in offers] == [
        (0, "Trực tiếp"),
        (8000, "Trực tiếp"),
        (0, "Trực tuyến (toàn trình)"),
        (8000, "Trực tuyến (toàn trình)"),
        (0, "Dịch vụ bưu chính"),
    ]
    assert offers[1] == {
        "@type": "Offer",
        "name": "Phí cấp bản sao Giấy khai sinh",
        "price": 8000,
        "priceCurrency": "VND",
        "category": "Trực tiếp",
        "description": "Mỗi bản; chỉ thu khi người yêu cầu xin thêm bản sao",
    }
    assert "dateModified" not in service  # a property of creative works, not of services
    assert site_file(sample, service["url"]).is_file()


def test_agency_page_carries_government_organization(sample: Path) -> None:
    corpus = records_of(REPO)
    rec = corpus.agencies["phuong-nha-trang"]
    _, text = page_of(sample, rec)
    org = json.loads(Head(text).blocks[0])
    assert org["@type"] == "GovernmentOrganization" and org["name"] == rec.data["name"]
    phones = [p.get("telephone") for p in org["contactPoint"]]
    assert [h["number"] for h in rec.data["hotlines"]] == phones[: len(rec.data["hotlines"])]
    assert {
        "@type": "ContactPoint",
        "email": rec.data["email"],
        "contactType": "Tiếp nhận phản ánh, kiến nghị qua thư điện tử",
    } in org["contactPoint"]
    assert org["parentOrganization"]["name"] == corpus.agencies["ubnd-tinh-khanh-hoa"].data["name"]
    assert org["sameAs"] == rec.data["website"]


def test_cpsv_ap_public_service(sample: Path) -> None:
    corpus = records_of(REPO)
    rec = next(r for r in published(corpus) if r.path == SAMPLE_PROCEDURE)
    doc = read_json(sample / "api" / "cpsv-ap.jsonld")
    assert doc["@context"]["PublicService"] == "cpsv:PublicService"
    assert doc["@context"]["cpsv"] == "http://purl.org/vocab/cpsv#"
    service = next(
        n
        for n in doc["@graph"]
        if n["@type"] == "PublicService"
        and n["identifier"] == "1.001193"
    )
    assert service["name"] == "Đăng ký khai sinh" and "Trình tự thực hiện" in service["description"]
    # The catalogue names the authority as announced, for every commune alike.
    assert service["hasCompetentAuthority"] == {"@type": "PublicOrganisation",
                                                "prefLabel": "Ủy ban nhân dân cấp xã"}
    assert "contactPoint" not in service  # each place has its own: the agencies' nodes
    assert [e["name"] for e in service["hasInput"]] == [d["name"] for d in rec.data["documents"]]
    assert all(e["@type"] == "Evidence" for e in service["hasInput"])
    assert (
        service["produces"][0]["@type"] == "Output" and service["produces"][0]["name"] == rec.data["result"]
    )
    assert service["processingTime"] == "P1D"
    assert [c["@type"] for c in service["hasChannel"]] == ["Channel"] * len(rec.data["channels"])
    assert [c["hasValue"] for c in service["hasCost"]] == [0, 8000, 0, 8000, 0]
    assert all(c["currency"].endswith("/currency/VND") for c in service["hasCost"])
    assert service["hasCost"][0]["ifAccessedThrough"] == service["hasChannel"][0]["@id"]
    assert [r["identifier"] for r in service["hasLegalResource"]] == [
        b["number"] for b in rec.data["legal_basis"]
    ]


def test_iso_durations() -> None:
    cases = [
        ((15, "working_days"), "P15D"),
        ((1, "days"), "P1D"),
        ((0.5, "days"), "PT12H"),
        ((4, "hours"), "PT4H"),
        ((1.5, "hours"), "PT1H30M"),
        ((3, "months"), "P3M"),
        ((1.5, "months"), "P1M15D"),
        ((0, "days"), "P0D"),
    ]
    for (value, unit), expected in cases:
        assert labels.iso_duration(value, unit) == expected
    for value, unit in ((-1, "days"), ("mười", "days"), (True, "days"), (3, "weeks")):
        assert labels.iso_duration(value, unit) is None


def test_script_json_escapes_markup() -> None:
    text = jsonld.script_json({"x": "</script><!-- & -->"})
    assert text == '{"x":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e"}'
    assert json.loads(text) == {"x": "</script><!-- & -->"}


# --- the page, determinism, agency sites ---------------------------------------------------


def test_open_data_page_lists_downloads_with_sizes(sample: Path) -> None:
    page = sample / "du-lieu-mo" / "index.html"
    text = page.read_text(encoding="utf-8")
    index = read_json(sample / "api" / "index.json")
    assert "CC BY 4.0" in text and "Ngày của dữ liệu" in text
    assert f"mỗi nguồn tin gồm tối đa {FEED_SIZE} hồ sơ mới nhất" in text
    newest = max(record_date(r) for r in published(records_of(REPO)))
    assert f"<dd>{labels.date(newest)} " in text and f"<dd>{labels.date(BUILD_DATE)}</dd>" in text
    for entry in index["files"]:
        file = sample / entry["path"]
        assert entry["bytes"] == file.stat().st_size
        assert f'href="../{entry["path"]}"' in text
        assert size_text(entry["bytes"]) in text
        assert entry["format"] in text
    home = (sample / "index.html").read_text(encoding="utf-8")
    assert 'href="du-lieu-mo/"' in home


def _digest(site: Path) -> dict[str, str]:
    # Pagefind's index (pagefind/) is not wholly byte-stable from one run to the next: it is
    # compared apart, in test_search_index_differs_only_in_filter_and_metadata_files.
    return {
        f.relative_to(site).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(site.rglob("*"))
        if f.is_file() and f.relative_to(site).parts[0] != "pagefind"
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(sample: Path, sample_again: Path) -> None:
    """Exports, feeds, sitemap and every page: the same records give the same bytes."""
    first, second = _digest(sample), _digest(sample_again)
    assert {
        "api/index.json",
        "api/procedures.csv",
        "api/cpsv-ap.jsonld",
        "atom.xml",
        "sitemap.xml",
        "sitemap.xml.gz",
        "robots.txt",
        "du-lieu-mo/index.html",
    } <= first.keys()
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# Pagefind (1.5) writes its fragments and word index byte-stable; its filter and metadata
# indexes change from one run to the next, and so does the entry file naming the metadata
# (a known upstream limitation: Pagefind issue #638, "Other files will still change, such as
# the filter/metadata indexes").
PAGEFIND_UNSTABLE = re.compile(
    r"pagefind/(filter/vi_\w+\.pf_filter|pagefind\.vi_\w+\.pf_meta|pagefind-entry\.json)")


def _pagefind_digest(site: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Digests of the search index files: (byte-stable ones, the others)."""
    stable: dict[str, str] = {}
    unstable: dict[str, str] = {}
    for f in sorted((site / "pagefind").rglob("*")):
        if f.is_file():
            name = f.relative_to(site).as_posix()
            kept = unstable if PAGEFIND_UNSTABLE.fullmatch(name) else stable
            kept[name] = hashlib.sha256(f.read_bytes()).hexdigest()
    return stable, unstable


@pytest.mark.slow
def test_search_index_differs_only_in_filter_and_metadata_files(sample: Path, sample_again: Path) -> None:
    stable, unstable = _pagefind_digest(sample)
    stable_again, unstable_again = _pagefind_digest(sample_again)
    assert any(n.startswith("pagefind/fragment/") for n in stable)
    assert any(n.startswith("pagefind/index/") for n in stable)
    assert "pagefind/pagefind.js" in stable and "pagefind/pagefind-entry.json" in unstable
    assert [name for name in sorted(stable.keys() | stable_again.keys())
            if stable.get(name) != stable_again.get(name)] == []
    assert len(unstable) == len(unstable_again)  # as many filter and metadata files, maybe renamed

    def entry(site: Path) -> Any:  # the entry file: the same but for the metadata file's hash
        data = read_json(site / "pagefind" / "pagefind-entry.json")
        for language in data["languages"].values():
            language["hash"] = "…"
        return data

    assert entry(sample) == entry(sample_again)


def test_build_date_defaults_to_the_data(small: Path) -> None:
    """No --build-date: the date of the newest record, never today's."""
    corpus = records_of(VALID)
    index = read_json(small / "api" / "index.json")
    newest = max(record_date(r) for r in published(corpus))
    assert index["build_date"] == index["data_date"] == newest
    assert read_json(small / "api" / "procedures.json")["build_date"] == newest


def test_agency_site_exports_only_its_records(agency: Path) -> None:
    index = read_json(agency / "api" / "index.json")
    assert index["counts"] == {"catalogue": 0, "procedures": 1, "plans_and_policies": 0, "agencies": 1}
    assert set(index["feeds"]) == {"", "phuong-nha-trang"}
    both = [feedparser.parse((agency / rel).read_bytes()) for rel in index["feeds"].values()]
    assert _entry_paths(both[0]) == _entry_paths(both[1])
