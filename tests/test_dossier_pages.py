"""The published dossier results, read as a citizen or an inspector reads them: the built pages of
the repository's sample (conftest.sample_site), its open data, and the rule that a published
example names a dossier only by a short hash of its code.

Expected figures come from the committed aggregates and reports (dossier_stats/, dossier_reports/),
read here with PyYAML and computed here, not by the code under test.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TODAY, Built, build_ok
from jsonschema import Draft202012Validator

from generator.check import check_repository
from generator.check.corpus import Corpus
from generator.check.places import publishable
from generator.check.timeliness import Settings
from generator.dossiers import spec, synth
from generator.dossiers.aggregate import short_hash
from generator.dossiers.results import Figures, MonthResult, load_results
from generator.prepare import prepare
from generator.prepare.dossiers import agency_dossiers, chart, dossier_views
from generator.publish import verify
from generator.publish.mkdocs import MkdocsSettings
from generator.render import dossier_exports, dossier_pages, render_page
from generator.render.site import Site

MASSAGING, HONEST = "so-xay-dung", "so-tu-phap"
AGENCIES = [a.id for a in synth.SAMPLE_AGENCIES]
RANKING = "ket-qua-giai-quyet-ho-so/"
FIGURES = ("received", "resolved_on_time", "resolved_late", "pending_on_time", "pending_overdue", "withdrawn")


def results_url(agency: str) -> str:
    return f"co-quan/{agency}/ket-qua-ho-so/"


# --- the oracle: the committed files, read and computed here -------------------------------


def months_of(folder: str, agency: str) -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((REPO / folder / agency).glob("*.yaml"))}


def rate(data: dict[str, Any]) -> float:
    known = data["resolved_on_time"] + data["resolved_late"] + data["pending_overdue"]
    return data["resolved_on_time"] / known


def shown(share: float, sign: bool = False) -> str:
    """A share as the pages write it: 0.5833 -> "58,3"; with `sign`, "+41,7" or "−3,2"."""
    text = f"{abs(share) * 100:.1f}".removesuffix(".0").replace(".", ",")
    return (("+" if share > 0 else "−") if sign and round(share * 1000) else "") + text


def month_vi(month: str) -> str:
    year, number = month.split("-")
    return f"{number}/{year}"


# --- reading the built HTML ----------------------------------------------------------------


@dataclass
class Cell:
    tag: str
    text: str = ""
    label: str = ""  # data-label: the column a reflowed cell names
    hrefs: list[str] = field(default_factory=list)


@dataclass
class Table:
    caption: str = ""
    rows: list[list[Cell]] = field(default_factory=list)


class Tables(HTMLParser):
    """Every table of a page: its caption and its rows of cells (text collapsed)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._cell: Cell | None = None
        self._caption = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = Cell(tag, label=a.get("data-label") or "")
            self.tables[-1].rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.hrefs.append(a.get("href") or "")
        elif tag == "br" and self._cell is not None:
            self._cell.text += " "

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self._cell.text = " ".join(self._cell.text.split())
            self._cell = None
        elif tag == "caption":
            self._caption = False

    def handle_data(self, data: str) -> None:
        if self._caption:
            self.tables[-1].caption += data
        elif self._cell is not None:
            self._cell.text += data

    def named(self, start: str) -> Table:
        return next(t for t in self.tables if t.caption.startswith(start))


def page(site: Built, url: str) -> str:
    return (site.root / url / "index.html").read_text(encoding="utf-8")


def body_rows(table: Table) -> dict[str, list[Cell]]:
    """The rows of a table body by their header cell's text (the month, the rule…)."""
    return {row[0].text: row for row in table.rows[1:]}


def by_label(row: list[Cell]) -> dict[str, str]:
    return {cell.label: cell.text for cell in row if cell.label}


# --- the agency's page ---------------------------------------------------------------------


def test_agency_page_shows_recomputed_beside_reported_each_month(sample_site: Built) -> None:
    html = page(sample_site, results_url(MASSAGING))
    tables = Tables(html)
    months = body_rows(tables.named("Kết quả giải quyết hồ sơ theo tháng"))
    stats, reports = months_of("dossier_stats", MASSAGING), months_of("dossier_reports", MASSAGING)
    assert list(months) == [month_vi(m) for m in stats]
    for month, data in stats.items():
        row = by_label(months[month_vi(month)])
        assert [row[label] for label in ("Tiếp nhận", "Giải quyết đúng hạn", "Giải quyết trễ hạn",
                                         "Đang giải quyết trong hạn", "Đang giải quyết quá hạn",
                                         "Rút hồ sơ")] == [str(data[key]) for key in FIGURES]
        mine, theirs = rate(data), rate(reports[month])
        assert row["Tỷ lệ đúng hạn tính lại"] == shown(mine) + "%"
        assert row["Tỷ lệ đúng hạn cơ quan báo cáo"] == shown(theirs) + "%"
        assert row["Chênh lệch (điểm phần trăm)"] == shown(theirs - mine, sign=True)
    # the agency's own figures, each one that differs in bold with the recomputed one beside it
    reported = body_rows(tables.named("Số liệu cơ quan tự báo cáo"))
    july = by_label(reported["07/2026"])
    assert july["Giải quyết đúng hạn"] == f"{reports['2026-07']['resolved_on_time']} (tính lại: " \
                                          f"{stats['2026-07']['resolved_on_time']})"
    assert july["Tiếp nhận"] == str(stats["2026-07"]["received"])  # the same: shown once
    assert "Số liệu minh họa" in html  # the sample is synthetic and says so


def test_an_agency_without_report_says_so(sample_site: Built) -> None:
    html = page(sample_site, results_url(HONEST))
    months = body_rows(Tables(html).named("Kết quả giải quyết hồ sơ theo tháng"))
    assert {by_label(row)["Tỷ lệ đúng hạn cơ quan báo cáo"] for row in months.values()} == {"Chưa báo cáo"}
    assert "Cơ quan chưa gửi số liệu tự báo cáo nào để so sánh." in html
    rules = body_rows(Tables(html).named("Dấu hiệu bất thường"))
    mismatch = next(row for title, row in rules.items() if "DS-REPORT-MISMATCH" in title)
    assert [c.text for c in mismatch[1:-1]] == ["—"] * 3  # not judged, which is not "0"


def test_findings_per_rule_and_month_with_title_reason_and_citation(sample_site: Built) -> None:
    html = page(sample_site, results_url(MASSAGING))
    rules = body_rows(Tables(html).named("Dấu hiệu bất thường"))
    stats = months_of("dossier_stats", MASSAGING)
    reports = months_of("dossier_reports", MASSAGING)
    legal_page = page(sample_site, "can-cu-phap-ly/")
    assert len(rules) == len(spec.rules())
    for rule, (header, row) in zip(spec.rules().values(), rules.items(), strict=True):
        assert header.startswith(rule.title) and rule.why in header and header.endswith(rule.id)
        if rule.legal:
            assert f"Căn cứ: {rule.legal.cite()}" in header
            assert row[0].hrefs[0] == f"../../../can-cu-phap-ly/#{rule.legal.id}"
            assert f'id="{rule.legal.id}"' in legal_page
        cells = by_label(row)
        for month, data in stats.items():
            if rule.id == "DS-REPORT-MISMATCH":
                expected = sum(reports[month][k] != data[k] for k in spec.REPORTED)
            else:
                expected = data.get("findings", {}).get(rule.id, 0)
            example = data.get("examples", {}).get(rule.id)
            assert cells[month_vi(month)] == f"{expected}" + (f" ví dụ {example}" if example else "")


def test_procedures_are_named_and_linked(sample_site: Built) -> None:
    html = page(sample_site, results_url(MASSAGING))
    rows = body_rows(Tables(html).named("Kết quả giải quyết hồ sơ theo thủ tục"))
    stats = months_of("dossier_stats", MASSAGING)
    codes = sorted({code for data in stats.values() for code in data.get("procedures", {})})
    assert [header.rsplit(" ", 1)[1] for header in rows] == codes
    for code, (header, row) in zip(codes, rows.items(), strict=True):
        source = yaml.safe_load((REPO / f"catalogue/{code}.yaml").read_text(encoding="utf-8"))
        assert header == f"{source['name']} {code}"
        target = (sample_site.root / results_url(MASSAGING) / row[0].hrefs[0] / "index.html").resolve()
        assert f'data-source="catalogue/{code}.yaml' in target.read_text(encoding="utf-8")
        received = sum(d["procedures"].get(code, {}).get("received", 0) for d in stats.values())
        assert by_label(row)["Tiếp nhận"] == str(received)


SVG = re.compile(r'<figure class="ck-chart">\s*<svg [^>]*role="img" aria-labelledby="([^"]+)"[^>]*>'
                 r"(.*?)</svg>", re.S)


def test_chart_is_an_inline_svg_with_its_values_in_words(sample_site: Built) -> None:
    html = page(sample_site, results_url(MASSAGING))
    found = SVG.search(html)
    assert found is not None
    labelled, svg = found.groups()
    title_id, desc_id = labelled.split()
    description = re.search(f'<desc id="{desc_id}">(.*?)</desc>', svg)
    assert re.search(f'<title id="{title_id}">Tỷ lệ giải quyết đúng hạn theo tháng</title>', svg)
    assert description is not None
    stats, reports = months_of("dossier_stats", MASSAGING), months_of("dossier_reports", MASSAGING)
    for month in stats:
        assert f"{month_vi(month)}: {shown(rate(stats[month]))}%" in description.group(1)
        assert f"{month_vi(month)}: {shown(rate(reports[month]))}%" in description.group(1)
    # two series, one point per month each, higher on the chart for a higher rate
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(lines) == 2
    mine, theirs = ([float(p.split(",")[1]) for p in line.split()] for line in lines)
    assert len(mine) == len(theirs) == len(stats)
    assert all(b < a for a, b in zip(mine, theirs, strict=True))  # the report claims more
    expected = [rate(d) for d in stats.values()]
    assert sorted(range(3), key=lambda i: -mine[i]) == sorted(range(3), key=lambda i: expected[i])
    assert "<script" not in svg


def test_chart_breaks_its_line_where_a_month_has_no_rate() -> None:
    figures = Figures(10, 5, 5, 0, 0)
    empty = Figures(3, 0, 0, 3, 0)  # only pending within time: no known outcome, no rate
    months = [MonthResult(f"2026-0{n}", f, None) for n, f in enumerate([figures, figures, empty, figures], 1)]
    drawn = chart(months)
    (series,) = drawn.series
    assert len(series.points) == 3 and series.lines == (" ".join(
        f"{p.x},{p.y}" for p in series.points[:2]),)  # the lone fourth month is a marker only
    assert "03/2026: —" not in drawn.description and "04/2026: 50%" in drawn.description


# --- the province page and the links to it --------------------------------------------------


def test_ranking_puts_the_biggest_gap_first_and_links_each_agency(sample_site: Built) -> None:
    table = Tables(page(sample_site, RANKING)).named("Cơ quan xếp theo chênh lệch")
    rows = table.rows[1:]
    assert rows[0][1].hrefs[0] == f"../{results_url(MASSAGING)}"
    assert sorted(row[1].hrefs[0] for row in rows) == sorted(f"../{results_url(a)}" for a in AGENCIES)
    first = by_label(rows[0])
    stats, reports = months_of("dossier_stats", MASSAGING), months_of("dossier_reports", MASSAGING)
    mine = rate({k: sum(d[k] for d in stats.values()) for k in FIGURES})
    theirs = rate({k: sum(d[k] for d in reports.values()) for k in spec.REPORTED})
    assert first["Chênh lệch (điểm phần trăm)"] == shown(theirs - mine, sign=True)
    assert first["Số tháng so sánh"] == "3"
    assert [by_label(r)["Chênh lệch (điểm phần trăm)"] for r in rows[1:]] == ["—", "—"]  # no report


def test_scorecard_shows_each_agencys_gap_as_the_ranking_does(sample_site: Built) -> None:
    ranking = {row[1].text: by_label(row)["Chênh lệch (điểm phần trăm)"]
               for row in Tables(page(sample_site, RANKING)).named("Cơ quan xếp theo chênh lệch").rows[1:]}
    table = Tables(page(sample_site, "muc-do-cong-khai/")).named("Mức độ công khai theo cơ quan")
    headers = [cell.text for cell in table.rows[0]]
    column = headers.index("Chênh lệch tỷ lệ đúng hạn báo cáo và tính lại (điểm %)")
    shown_gaps = {name: row[column].text for name, row in body_rows(table).items() if name != "Toàn tỉnh"}
    assert {name: shown_gaps[name] for name in ranking} == ranking
    assert shown_gaps[next(iter(ranking))].startswith("+")  # the massaging agency flatters itself
    assert {gap for name, gap in shown_gaps.items() if name not in ranking} == {"—"}  # no dossiers


def test_ranking_is_linked_from_home_and_scorecard_and_results_from_the_agency(sample_site: Built) -> None:
    assert f'href="{RANKING}"' in page(sample_site, "")
    assert f'href="../{RANKING}"' in page(sample_site, "muc-do-cong-khai/")
    for agency in AGENCIES:
        assert 'href="ket-qua-ho-so/"' in page(sample_site, f"co-quan/{agency}/")
    assert "ket-qua-ho-so" not in page(sample_site, "co-quan/so-tai-chinh/")  # no results, no link


def test_ranking_order_by_size_of_gap_either_way() -> None:
    reports = {"a": Figures(10, 6, 4, 0, 0), "b": None, "c": Figures(10, 1, 9, 0, 0),
               "d": Figures(10, 9, 1, 0, 0), "e": Figures(10, 1, 9, 0, 0)}
    results = {key: [MonthResult("2026-07", Figures(10, 5, 5, 0, 0), report)]
               for key, report in reports.items()}
    names = {"a": "An", "b": "Bình", "c": "Cam", "d": "Diên", "e": "Ân"}
    views = dossier_views(results, names, []).agencies
    assert list(views) == ["d", "e", "c", "a", "b"]  # +40, −40 (Ân before Cam), −40, +10, none
    assert (views["c"].gap, views["d"].gap, views["b"].gap) == ("−40", "+40", "—")


# --- open data ------------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = path.read_bytes()
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return raw, list(csv.DictReader(stream))


def test_open_data_holds_every_month_as_the_pages(sample_site: Built) -> None:
    api = sample_site.root / "api"
    document = json.loads((api / "dossier_results.json").read_text(encoding="utf-8"))
    schema = json.loads((api / "dossier_results.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)
    raw, rows = read_csv(api / "dossier_results.csv")
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == len(rows) + 1
    assert list(rows[0]) == dossier_exports.headers()
    expected = [(a, m) for a in sorted(AGENCIES) for m in months_of("dossier_stats", a)]
    assert [(r["agency"], r["month"]) for r in document["records"]] == expected == \
        [(r["Mã cơ quan"], r["Tháng"]) for r in rows]
    assert document["count"] == len(expected)
    assert [r["id"] for r in document["rules"]] == list(spec.rules())
    for record, row in zip(document["records"], rows, strict=True):
        data = months_of("dossier_stats", record["agency"])[record["month"]]
        report = months_of("dossier_reports", record["agency"]).get(record["month"])
        assert {k: record["recomputed"][k] for k in FIGURES} == {k: data[k] for k in FIGURES}
        assert record["recomputed"]["on_time_rate"] == round(rate(data), 4)
        assert row["Tỷ lệ đúng hạn tính lại (%)"] == f"{rate(data) * 100:.1f}"
        assert row["Rút hồ sơ"] == str(data["withdrawn"])
        differ = sum(report[k] != data[k] for k in spec.REPORTED) if report else 0
        mismatch = {"DS-REPORT-MISMATCH": differ} if differ else {}
        assert record["findings"] == {**data.get("findings", {}), **mismatch}
        assert record["examples"] == data.get("examples", {})
        assert record["page_url"] == row["Trang trên cổng"] == \
            MkdocsSettings.read().site_url + results_url(record["agency"])
        if report is None:
            assert record["reported"] is None and record["gap"] is None
            assert row["Chênh lệch (điểm phần trăm)"] == row[
                "Số liệu cơ quan báo cáo khác số liệu tính lại (DS-REPORT-MISMATCH)"] == ""
        else:
            assert record["gap"] == round(rate(report) - rate(data), 4)
            assert row["Chênh lệch (điểm phần trăm)"] == f"{(rate(report) - rate(data)) * 100:.1f}"
            assert row["Cơ quan báo cáo – giải quyết đúng hạn"] == str(report["resolved_on_time"])
    _, procedures = read_csv(api / "dossier_results_procedures.csv")
    assert len(procedures) == sum(len(d.get("procedures", {})) for a in AGENCIES
                                  for d in months_of("dossier_stats", a).values())
    open_data = page(sample_site, "du-lieu-mo/")
    for rel in (dossier_exports.JSON, dossier_exports.CSV, dossier_exports.PROCEDURES_CSV):
        assert f'href="../{rel}"' in open_data
    assert dossier_exports.RULE in open_data


def test_csv_text_cannot_become_a_formula_but_a_negative_gap_stays_a_number() -> None:
    month = MonthResult("2026-07", Figures(10, 5, 5, 0, 0), Figures(10, 4, 6, 0, 0), note="=1+1")
    view = agency_dossiers("x", "=HYPERLINK(\"http://evil\")", [month], {})
    stream = io.StringIO(newline="")
    dossier_exports.write_csv(stream, iter([(view, month, "https://x/")]))
    row = next(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    assert row["Cơ quan"] == "'=HYPERLINK(\"http://evil\")" and row["Ghi chú"] == "'=1+1"
    assert row["Chênh lệch (điểm phần trăm)"] == "-10.0"


# --- a dossier is published by a short hash of its code only --------------------------------


TAIL = re.compile(r"\d{6}-\d{4}")  # a dossier code's date and sequence, whatever its unit


def codes_in(text: str, codes: set[str]) -> set[str]:
    """The codes whose date and sequence appear in `text` (with their unit or not)."""
    tails = set(TAIL.findall(text))
    return {code for code in codes if code.split("-", 1)[1] in tails}


def test_no_dossier_code_of_the_sample_export_anywhere_in_the_site(sample_site: Built) -> None:
    with open(REPO / synth.SAMPLE_CSV, encoding="utf-8-sig", newline="") as stream:
        codes = {row["dossier_code"] for row in csv.DictReader(stream)}
    assert len(codes) > 500
    units = {code.split("-")[0] for code in codes}  # the receiving units' codes ("GIALAP.SXD")
    sample = next(iter(sorted(codes)))
    assert sample in codes_in(f"<td>{sample}</td>", codes)  # the search finds a code when there is one
    hashes = {short_hash(code) for code in codes}
    seen_hashes: set[str] = set()
    for file in sorted(p for p in sample_site.root.rglob("*") if p.is_file()):
        data = file.read_bytes()
        if data[:2] == b"\x1f\x8b":  # gzip: the sitemap's copy, Pagefind's index
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        assert codes_in(text, codes) == set(), file
        assert not [unit for unit in units if unit in text], file
        seen_hashes |= {h for h in re.findall(r"\b[0-9a-f]{10}\b", text) if h in hashes}
    published = {h for a in AGENCIES for d in months_of("dossier_stats", a).values()
                 for h in d.get("examples", {}).values()}
    assert published and seen_hashes == published  # every example, and only by its hash


# --- nothing lost ---------------------------------------------------------------------------


def unlink(page: Path, href: str) -> None:
    """Take a link off a built page."""
    page.write_text(page.read_text(encoding="utf-8").replace(href, 'href="#"'), encoding="utf-8")


@pytest.fixture(scope="module")
def site_map() -> Site:
    results, _ = load_results(REPO)
    published = publishable(check_repository(REPO, Settings(date.fromisoformat(TODAY))))
    return Site(prepare(published, results), MkdocsSettings.read().site_url)


def test_nothing_lost_names_each_missing_piece(sample_site: Built, site_map: Site,
                                             tmp_path: Path) -> None:
    assert verify.missing_dossiers(site_map, sample_site.root) == []
    built = tmp_path / "site"
    for rel in ["co-quan", RANKING, "api"]:
        shutil.copytree(sample_site.root / rel, built / rel)
    shutil.rmtree(built / results_url(HONEST))
    unlink(built / f"co-quan/{MASSAGING}/index.html", 'href="ket-qua-ho-so/"')
    unlink(built / RANKING / "index.html", f'href="../{results_url("phuong-nha-trang")}"')
    sheet = built / dossier_exports.CSV
    lines = sheet.read_bytes().split(b"\r\n")
    august = f"{HONEST},".encode(), b",2026-08,"
    sheet.write_bytes(b"\r\n".join(line for line in lines if not all(part in line for part in august)))
    procedures = built / dossier_exports.PROCEDURES_CSV
    lines = procedures.read_bytes().split(b"\r\n")
    procedures.write_bytes(b"\r\n".join(lines[:-2] + lines[-1:]))
    missing = verify.missing_dossiers(site_map, built)
    assert missing[:3] == [
        f"Thiếu trang kết quả giải quyết hồ sơ của cơ quan {HONEST}",
        f"Trang {RANKING} không liệt kê kết quả giải quyết hồ sơ của cơ quan phuong-nha-trang",
        f"Trang cơ quan {MASSAGING} không dẫn tới kết quả giải quyết hồ sơ của cơ quan",
    ]
    assert f"Dữ liệu mở {dossier_exports.CSV} thiếu kết quả của cơ quan {HONEST} tháng 2026-08" in missing
    assert any(m.startswith(f"Dữ liệu mở {dossier_exports.PROCEDURES_CSV} thiếu kết quả của cơ quan "
                            f"{MASSAGING} tháng 2026-09 thủ tục ") for m in missing)
    (built / dossier_exports.JSON).unlink()
    assert verify.missing_dossiers(site_map, built)[-1].startswith("Không đọc được dữ liệu mở")


def test_an_agency_site_publishes_only_its_own_results(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_ok(out, "--root", REPO, "--agency", MASSAGING, "--today", "2026-11-26")
    assert (out / results_url(MASSAGING) / "index.html").is_file()
    assert not (out / results_url(HONEST)).exists()
    document = json.loads((out / dossier_exports.JSON).read_text(encoding="utf-8"))
    assert {r["agency"] for r in document["records"]} == {MASSAGING}


def test_imported_text_is_escaped_on_the_pages() -> None:
    """A note written into dossier_stats/ (free text) and an agency without a record (its id
    shown) reach the pages as text, never as markup."""
    note = '<script>alert(1)</script> "x" & <b>y</b>'
    month = MonthResult("2026-07", Figures(10, 5, 5, 0, 0), None, note=note)
    site = Site(prepare(Corpus([]), {"a<i>": [month]}), "https://example.gov.vn/")
    for made in (dossier_pages.dossier_page(site, "a<i>"), dossier_pages.dossier_ranking_page(site)):
        text = render_page(made)
        assert "<script>alert" not in text and "<b>y</b>" not in text and "a<i>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;x&#34; &amp; &lt;b&gt;y&lt;/b&gt;" in text
