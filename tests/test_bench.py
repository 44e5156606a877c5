"""The benchmark tools: synthetic repositories validate; the results table has every column.

Timings are printed by `make bench` (QUICK=1 for small sizes), never run or asserted here.
"""

from __future__ import annotations

import gzip
import json
import sys
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, Built, all_sheets, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
import page_weight
from bench import (
    COLUMNS,
    DOSSIER_COLUMNS,
    SITE_PARTS,
    CatalogueResult,
    Figure,
    Part,
    Row,
    catalogue_floor_docs,
    count_sheets,
    growth,
    site_part,
    table,
    weigh_site,
    write_section,
)
from province import Province, write_province
from synth import write_repo


def test_synthetic_repository_is_valid_and_deterministic(tmp_path: Path) -> None:
    write_repo(tmp_path / "a", 60)
    write_repo(tmp_path / "b", 60)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len([f for f in files if f.parts[0] == "procedures"]) == 60
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    result = run_cli("validate", "--root", tmp_path / "a", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout[-2000:]


def _row(n: int, validate: float, build: float) -> Row:
    figures = {key: f"{n}-{key}" for key, _ in COLUMNS if key != "n"}
    return Row(n, {**figures, "validate_s": f"{validate:.2f}", "build_s": f"{build:.2f}"})


def test_results_table_has_a_cell_for_every_column() -> None:
    rows = [_row(5000, 2.0, 10.0), _row(10000, 4.2, 19.0)]
    lines = table(rows).splitlines()
    assert lines[0] == "| " + " | ".join(title for _, title in COLUMNS) + " |"
    assert lines[1].count("|") == len(COLUMNS) + 1
    for line, row in zip(lines[2:], rows, strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells == [str(row.n) if key == "n" else row.figures[key] for key, _ in COLUMNS]
    assert growth(rows).splitlines() == [
        "- validate: time(10,000) / time(5,000) = 2.10 (goal ≤ 2.2)",
        "- build: time(10,000) / time(5,000) = 1.90 (goal ≤ 2.2)",
    ]
    assert growth(rows[:1]) == ""  # growth needs both sizes


def test_dossier_table_has_a_cell_for_every_column() -> None:
    row = Row(1_000_000, {key: f"{key}-figure" for key, _ in DOSSIER_COLUMNS if key != "n"})
    header, rule, line = table([row], DOSSIER_COLUMNS).splitlines()
    assert header == "| " + " | ".join(title for _, title in DOSSIER_COLUMNS) + " |"
    assert rule.count("|") == len(DOSSIER_COLUMNS) + 1
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells == [str(row.n) if key == "n" else row.figures[key] for key, _ in DOSSIER_COLUMNS]


# The synthetic province of the catalogue benchmark (benchmarks/province.py).
TINY = 0.005  # 10 provincial and 3 commune-level entries, every one of the 105 agencies


def _load(path: Path) -> Any:
    return yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _pairs(root: Path) -> set[tuple[str, str]]:
    """The agency–procedure pairs, read from the files as CATALOGUE.md defines them."""
    levels = {p.stem: _load(p)["level"] for p in (root / "hotlines").glob("*.yaml")}
    pairs = set()
    for path in (root / "catalogue").glob("*.yaml"):
        by = _load(path)["implemented_by"]
        named = set(by.get("agencies", [])) | {a for a, level in levels.items() if level == by.get("level")}
        pairs |= {(a, path.stem) for a in named - set(by.get("except", []))}
    return pairs


def test_synthetic_province_has_the_real_communes_and_its_counts(tmp_path: Path) -> None:
    province = write_province(tmp_path / "a", TINY)
    write_province(tmp_path / "b", TINY)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)

    root = tmp_path / "a"
    entries = [_load(p) for p in sorted((root / "catalogue").glob("*.yaml"))]
    assert (province.provincial_entries, province.commune_entries) == (10, 3)
    assert [e["levels"] for e in entries].count(["commune"]) == 3 and len(entries) == province.entries
    agencies = {p.stem: _load(p) for p in (root / "hotlines").glob("*.yaml")}
    units = _load(REPO / "benchmarks/data/khanh-hoa-communes.yaml")["units"]
    assert {a for a, d in agencies.items() if d["level"] == "commune"} == {u["slug"] for u in units}
    assert {agencies[u["slug"]]["name"] for u in units} \
        == {f"Ủy ban nhân dân {u['kind']} {u['name']}" for u in units}
    assert len(agencies) == province.agencies == 105
    assert province.pairs == len(_pairs(root)) == 3 * 65 + sum(
        len(e["implemented_by"]["agencies"]) for e in entries if "agencies" in e["implemented_by"])

    implementations = sorted((root / "procedures").glob("*/*.yaml"))
    assert len(implementations) == province.implementations > 0
    assert {(p.parent.name, p.stem) for p in implementations} <= _pairs(root)
    assert {"location", "channels"} & {k for p in implementations for k in _load(p)}


def test_synthetic_province_is_valid_with_real_disclosure_gaps(tmp_path: Path) -> None:
    province = write_province(tmp_path, TINY)
    result = run_cli("validate", "--root", tmp_path, "--today", "2026-11-26", "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == 0 and report["warnings"] == 0
    rules = Counter(p["rule"] for p in report["problems"])
    assert rules["CK-POSTING-LATE"] == province.postings_late > 0
    assert rules["CK-POSTING-MISSING"] == province.postings_missing > 0
    assert rules["CK-COUNTER-FACTS"] > 0


@pytest.mark.slow
def test_synthetic_province_at_scale_one_is_the_real_size(tmp_path: Path) -> None:
    province = write_province(tmp_path, 1.0)
    assert (province.provincial_entries, province.commune_entries) == (2000, 600)
    assert (province.communes, province.provincial_agencies) == (65, 40)
    assert 40_000 <= province.pairs == len(_pairs(tmp_path)) <= 42_000


def test_site_parts_hold_for_both_page_layouts() -> None:
    # One page per pair (main today) and one page per catalogue procedure (issue 14).
    page = "1.001193-dang-ky-khai-sinh"
    assert site_part(("thu-tuc", "xa-a", page, "index.html")) == "catalogue procedure pages"
    assert site_part(("thu-tuc", "xa-a", page, "niem-yet", "index.html")) == "counter sheets"
    assert site_part(("thu-tuc", page, "index.html")) == "catalogue procedure pages"
    assert site_part(("thu-tuc", page, "niem-yet", "index.html")) == "counter sheets"
    assert site_part(("thu-tuc", "index.html")) == "other"
    tops = ("co-quan", "api", "du-lieu-mo", "pagefind", "assets", "van-ban")
    assert [site_part((top, "x")) for top in tops] \
        == ["agency pages", "open data", "open data", "search index", "assets", "other"]


def test_sheets_are_counted_one_per_place_on_each_sheets_page(sample_site: Built) -> None:
    # The figure "counter sheets (one per pair)": the catalogue's sheets (thu-tuc/<code>-<slug>/),
    # not the self-contained records' (thu-tuc/<agency>/<code>-<slug>/), read independently.
    catalogue = {(page, sheet) for page, sheet in all_sheets(sample_site.root)
                 if (sample_site.root / "thu-tuc" / page).is_dir()}
    assert count_sheets(sample_site.root) == len(catalogue) > 100


def test_site_weighing_counts_every_byte(tmp_path: Path) -> None:
    for rel, text in {"thu-tuc/1.0-a/index.html": "abc", "thu-tuc/1.0-a/niem-yet/index.html": "de",
                      "pagefind/x.pf": "f", "sitemap.xml": "ghij", "api/procedures/a.json": "kl",
                      "api/procedures/b.json": "m"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    parts, pieces = weigh_site(tmp_path)
    assert list(parts) == list(SITE_PARTS)
    assert (parts["catalogue procedure pages"].pages, parts["counter sheets"].size) == (1, 2)
    assert (parts["search index"].files, parts["search index"].pages) == (1, 0)
    assert pieces == Counter({("other", "sitemap.xml"): 4, ("open data", "api/procedures"): 3})


def test_floor_has_one_page_per_catalogue_procedure_with_its_places(tmp_path: Path) -> None:
    province = write_province(tmp_path / "repo", TINY)
    assert catalogue_floor_docs(tmp_path / "repo", tmp_path / "docs") == province.entries
    pages = sorted((tmp_path / "docs").glob("*.*.md"))
    assert len(pages) == province.entries
    places = sum(page.read_text("utf-8").count("\n### ") for page in pages)
    assert places == province.pairs


def test_catalogue_table_judges_goals_and_says_the_scale() -> None:
    figures = [Figure("validate (s)", 30.0, 60.0, "check-jsonschema", limit=20, digits=1),
               Figure("build (s)", 120.0, 100.0, "floor", ratio_limit=1.5, digits=1),
               Figure("build (s)", 0, failed="failed: exit 1", ratio_limit=1.5)]
    result = CatalogueResult(1.0, _province(), figures)
    rows = [line.split(" | ") for line in result.report().splitlines() if line.startswith("| ")][1:]
    assert [row[-1].rstrip(" |") for row in rows] == ["not met", "met", "not met"]
    assert rows[0][2:4] == ["60.0 (check-jsonschema)", "0.50×"]
    small = CatalogueResult(0.1, _province(), figures[:1]).report()
    assert "not judged (scale 0.1)" in small and "scale 0.1:" in small


def test_catalogue_report_weighs_each_part_and_names_the_largest_pieces() -> None:
    parts = {name: Part() for name in SITE_PARTS}
    parts["open data"], parts["other"] = Part(3, 0, 3_000_000), Part(1, 0, 1_000_000)
    pieces = Counter({("open data", "api/procedures"): 2_000_000,
                      ("open data", "api/cpsv-ap.jsonld"): 1_000_000, ("other", "sitemap.xml"): 1_000_000})
    lines = CatalogueResult(1.0, _province(), [], parts=parts, pieces=pieces).report().splitlines()
    assert "| open data | 3 | 0 | 3.0 | 75% |" in lines and "| other | 1 | 0 | 1.0 | 25% |" in lines
    assert "Largest in open data: api/procedures 2.0 MB, api/cpsv-ap.jsonld 1.0 MB." in lines
    assert "Largest in other: sitemap.xml 1.0 MB." in lines


def _province() -> Province:
    return Province(2000, 600, 40, 65, 41_000, 200, 10, 10)


def test_results_section_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nanalysis\n", "utf-8")
    write_section(results, "catalogue", "first\n")
    write_section(results, "catalogue", "second\n")
    text = results.read_text("utf-8")
    assert text.startswith("# Benchmark results\n\nanalysis\n") and "first" not in text
    assert text.count("<!-- bench:catalogue -->\nsecond\n<!-- /bench:catalogue -->") == 1


# Page weight on slow 3G (benchmarks/page_weight.py).
def _get(url: str, gzip_ok: bool) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def test_static_host_compresses_text_like_a_static_host(tmp_path: Path) -> None:
    text = "<!doctype html><title>t</title>" + "<p>Đăng ký khai sinh</p>" * 500
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(text, "utf-8")
    (tmp_path / "x.pf_index").write_bytes(bytes(range(256)) * 8)
    with page_weight.serve(tmp_path) as url:
        status, headers, body = _get(url + "a/", gzip_ok=True)
        assert (status, headers["Content-Encoding"], headers["Content-Type"]) == (200, "gzip", "text/html")
        assert gzip.decompress(body).decode("utf-8") == text and len(body) < len(text) / 10
        status, headers, body = _get(url + "a/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.decode("utf-8") == text
        status, headers, body = _get(url + "x.pf_index", gzip_ok=True)
        assert "Content-Encoding" not in headers and body == bytes(range(256)) * 8
        assert _get(url + "a", gzip_ok=True)[0] == 301  # a folder without its slash: redirected
        assert _get(url + "b/", gzip_ok=True)[0] == 404


def test_procedure_page_is_found_in_both_layouts(tmp_path: Path) -> None:
    per_pair = tmp_path / "one" / "thu-tuc" / "xa-a" / "1.001193-dang-ky-khai-sinh"
    per_procedure = tmp_path / "two" / "thu-tuc" / "1.001193-dang-ky-khai-sinh"
    for folder in (per_pair, per_procedure, per_procedure / "niem-yet" / "xa-a"):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("x", "utf-8")
    assert page_weight.procedure_page(tmp_path / "one") == "thu-tuc/xa-a/1.001193-dang-ky-khai-sinh/"
    assert page_weight.procedure_page(tmp_path / "two") == "thu-tuc/1.001193-dang-ky-khai-sinh/"


@pytest.mark.browser
def test_page_weight_counts_compressed_bytes_by_type_and_script_fetches(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    body = "<p>Thành phần hồ sơ gồm tờ khai và giấy chứng sinh.</p>" * 400
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=vi><link rel=stylesheet href=s.css><link rel=icon href=data:,>"
        f"<h1>Trang</h1>{body}<script>fetch('data.json').then(r => r.json())"
        ".then(d => {{ const p = document.createElement('p'); p.className = 'done';"
        " p.textContent = d.n; document.body.append(p); }});</script>", "utf-8")
    (tmp_path / "s.css").write_text("p { color: #222 }\n" * 200, "utf-8")
    (tmp_path / "data.json").write_text('{"n": "xong"}', "utf-8")
    html_size = (tmp_path / "index.html").stat().st_size
    assert page_weight.CHROMIUM.is_file(), f"Chromium not found at {page_weight.CHROMIUM}"

    def visit() -> page_weight.Weight:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(page_weight.CHROMIUM),
                                             args=page_weight.CHROMIUM_ARGS)
            try:
                with page_weight.serve(tmp_path) as url:
                    return page_weight.measure(browser, url, "tiny", network=None, cpu=1, ready=".done")
            finally:
                browser.close()

    # A thread of its own: the browser tests' session may hold Playwright's loop in this one.
    with ThreadPoolExecutor(1) as pool:
        weight = pool.submit(visit).result()
    assert weight.requests == 3 and set(weight.transferred) == {"Document", "Stylesheet", "Fetch"}
    assert 0 < weight.transferred["Document"] < html_size / 10 < weight.decoded  # gzip counted
    assert [path for path, _ in weight.fetched] == ["/data.json"]
    assert weight.fcp_ms and weight.fcp_ms > 0 and weight.ready_ms and weight.load_ms > 0


def test_page_weight_report_has_every_column_and_the_ratio_to_the_baseline() -> None:
    ours = page_weight.Weight("procedure", Counter({"Document": 7000, "Script": 36000, "XHR": 5000}),
                              decoded=500_000, requests=9, fcp_ms=2000, load_ms=2400,
                              fetched=[("/sitemap.xml", 5000)])
    floor = page_weight.Weight("baseline: bare mkdocs-material", Counter({"Document": 5000, "Script": 19000}),
                               decoded=200_000, requests=4, fcp_ms=1600, load_ms=2000)
    lines = page_weight.report([ours, floor], "thu-tuc/x/").splitlines()
    header = next(line for line in lines if line.startswith("| page |"))
    row = next(line for line in lines if line.startswith("| procedure |"))
    assert header.count("|") == row.count("|") == len(page_weight.TYPES) + 9
    assert "| 9 | 7.0 | 0.0 | 36.0 |" in row and "| 48.0 | 500.0 | 2.0 | 2.4 | — |" in row
    assert "Procedure page / baseline: 2.00× the bytes, 1.25× the first contentful paint." in lines
    assert "Fetched by scripts outside the search index: procedure: /sitemap.xml 5.0 KB." in lines
