"""The province's catalogue (CATALOGUE.md), the way clerks and the portal use it.

tests/fixtures/catalogue/base is a small valid repository: three commune-level procedures and one
provincial in catalogue/, two communes (xa-a posted every decision and has a local record; xa-b
has no record and posted nothing), a department and a province committee that performs nothing.
tests/fixtures/catalogue/defects holds one file per rule and defect; its first line says what
validation must report, worked out by hand from the file and the catalogue lines it departs from.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, VALID, all_sheets

from generator.check import check_repository
from generator.check.places import places_of, procedures_of, publishable, serves
from generator.check.timeliness import Settings, add_working_days
from generator.cli import main

BASE = FIXTURES / "catalogue" / "base"
DEFECTS = sorted((FIXTURES / "catalogue" / "defects").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: rule=(\S+) severity=(\S+) field=(\S+) line=(\d+) source=(\S+) cites=(.+)$")
TODAY = "2026-11-26"
Cap = pytest.CaptureFixture[str]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(BASE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def validate(root: Path, capsys: Cap, *extra: str, today: str = TODAY
             ) -> tuple[int, list[dict[str, object]]]:
    code = main(["validate", "--root", str(root), "--format", "json", "--today", today, *extra])
    return code, json.loads(capsys.readouterr().out)["problems"]


def report(root: Path, capsys: Cap, today: str = TODAY) -> dict[str, object]:
    assert main(["report", "--root", str(root), "--format", "json", "--today", today]) == 0
    return json.loads(capsys.readouterr().out)


# --- each rule, from its fixture -----------------------------------------------------------


def test_the_base_repository_has_only_the_gaps_of_xa_b(base: Path, capsys: Cap) -> None:
    code, problems = validate(base, capsys)
    assert code == 0
    assert {(p["file"], p["rule"], p["severity"]) for p in problems} == {
        ("hotlines/xa-b.yaml", "CK-POSTING-MISSING", "gap")}
    assert len(problems) == 3  # one per announcing decision of its three procedures


@pytest.mark.parametrize("fixture", DEFECTS, ids=lambda p: p.stem)
def test_defect_is_reported_where_it_is(fixture: Path, base: Path, capsys: Cap) -> None:
    rule, severity, field, line, source, cites = EXPECT.match(
        fixture.read_text("utf-8").splitlines()[0]).groups()
    (base / source).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture, base / source)
    code, problems = validate(base, capsys)
    mine = [p for p in problems if p["file"] == source]
    assert [(p["rule"], p["severity"], p["field"], p["line"]) for p in mine] == [
        (rule, severity, field, int(line))]
    if cites != "-":
        assert cites in str(mine[0]["message"])
    assert code == (1 if severity == "error" else 0)
    assert main(["validate", "--root", str(base), "--strict", "--today", TODAY]) == 1  # gaps, warnings too
    text = capsys.readouterr().out
    assert f"{source}:{line}:" in text and f"[{rule}]" in text


def test_local_addition_names_the_catalogue_line_and_value(base: Path, capsys: Cap) -> None:
    shutil.copy(FIXTURES / "catalogue/defects/CK-LOCAL-ADDITION_longer_time.yaml",
                base / "procedures/xa-a/1.001193.yaml")
    _, problems = validate(base, capsys)
    message = next(p["message"] for p in problems if p["rule"] == "CK-LOCAL-ADDITION")
    assert message.startswith("thời hạn 2 ngày làm việc dài hơn danh mục: "
                              "catalogue/1.001193.yaml:23 danh mục cho thời hạn 1 ngày làm việc")


@pytest.mark.parametrize(("value", "unit", "allowed"), [
    (4, "hours", True),  # the base record: half a working day
    (8, "hours", True),  # a working day is 8 working hours
    (9, "hours", False),
    (1, "days", True),  # one calendar day never ends after one working day
    (2, "days", False),
    (0.5, "working_days", True),
])
def test_a_local_time_may_only_be_a_cut(base: Path, capsys: Cap, value: float,
                                        unit: str, allowed: bool) -> None:
    edit(base / "procedures/xa-a/1.001193.yaml", "      value: 4\n      unit: hours",
         f"      value: {value}\n      unit: {unit}")
    _, problems = validate(base, capsys)
    assert ("CK-LOCAL-ADDITION" in {p["rule"] for p in problems}) is not allowed


def test_no_catalogue_no_announcement_warning(capsys: Cap) -> None:
    """A repository without a catalogue keeps its self-contained records as they were."""
    code, problems = validate(VALID, capsys)
    assert code == 0 and problems == []


# --- who performs what -----------------------------------------------------------------------


def test_who_performs_what(base: Path) -> None:
    edit(base / "catalogue/1.000894.yaml", "  level: commune\n", "  level: commune\n  except:\n    - xa-b\n")
    checked = check_repository(base, Settings(date(2026, 11, 26)))
    catalogue = checked.catalogue
    assert catalogue is not None
    assert catalogue.places_of("1.001193") == ("xa-a", "xa-b")  # by level
    assert catalogue.places_of("1.000894") == ("xa-a",)  # minus except
    assert catalogue.places_of("2.001610") == ("so-x",)  # by name
    assert catalogue.procedures_of("xa-b") == ("1.001193", "2.000815")
    assert catalogue.procedures_of("ubnd-tinh") == ()


def test_places_gather_the_counter_facts_and_local_differences(base: Path) -> None:
    corpus = publishable(check_repository(base, Settings(date(2026, 11, 26))))
    at_a, at_b = places_of(corpus, "1.001193")
    assert (at_a.agency_id, at_b.agency_id) == ("xa-a", "xa-b")
    assert at_a.location == "Điểm tiếp nhận số 2 của xã A"  # the implementation's counter
    assert at_b.location == "Bộ phận Một cửa của Ủy ban nhân dân xã B"  # the one-stop address
    assert at_b.hours == "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"
    online = next(c for c in at_a.channels if c["method"] == "online")
    assert online["url"] == "https://dichvucong.example.gov.vn/1.001193?co-quan=xa-a"
    assert next(c for c in at_a.channels if c["method"] == "direct")["processing_time"] == {
        "value": 4, "unit": "hours"}
    assert at_b.channels == corpus.catalogue.entries["1.001193"].data["channels"]  # no local record
    assert [o["name"] for o in at_a.officers] == ["Công chức minh họa"]  # "Hộ tịch, chứng thực"
    assert [p.code for p in procedures_of(corpus, "xa-b")] == ["1.000894", "1.001193", "2.000815"]
    assert procedures_of(corpus, "ubnd-tinh") == []
    assert at_a.path == "catalogue/1.001193.yaml#xa-a"


@pytest.mark.parametrize(("officer", "field", "serves_it"), [
    ("Hộ tịch, chứng thực", "Hộ tịch", True),
    ("Hộ tịch, chứng thực", "Chứng thực", True),
    ("HỘ TỊCH", "Hộ tịch", True),
    ("Đất đai, xây dựng, hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", True),
    ("Đất đai, xây dựng, hộ kinh doanh", "Kinh doanh khí", False),
    ("Hộ tịch", "Quốc tịch", False),
])
def test_an_officer_serves_a_field(officer: str, field: str, serves_it: bool) -> None:
    assert serves(officer, field) is serves_it


# --- postings and counter facts, as dates pass -------------------------------------------------


def test_a_date_passing_turns_a_posting_due(base: Path, capsys: Cap) -> None:
    """858/QĐ-BTP of 07/04/2026: xa-b has posted nothing; the deadline is 5 working days later."""
    due = add_working_days(date(2026, 4, 7), 5).isoformat()
    assert due == "2026-04-14"

    def missing(today: str) -> list[str]:
        _, problems = validate(base, capsys, today=today)
        return [p["message"] for p in problems if p["rule"] == "CK-POSTING-MISSING"
                and p["file"] == "hotlines/xa-b.yaml" and "858/QĐ-BTP" in str(p["message"])]

    assert missing(due) == []
    assert len(missing("2026-04-15")) == 1
    card = report(base, capsys, today=due)
    xa_b = next(a for a in card["agencies"] if a["agency"] == "xa-b")
    assert [p["state"] for p in xa_b["postings"] if p["decision"] == "858/QĐ-BTP"] == ["pending"]


@pytest.mark.parametrize(("posted", "late"), [("2026-04-14", False), ("2026-04-15", True)])
def test_a_posting_after_the_deadline_is_late(base: Path, capsys: Cap,
                                              posted: str, late: bool) -> None:
    edit(base / "hotlines/xa-a.yaml", "posted: 2026-04-08", f"posted: {posted}")
    _, problems = validate(base, capsys)
    found = [p for p in problems if p["rule"] == "CK-POSTING-LATE"]
    assert bool(found) is late
    if late:
        assert found[0]["severity"] == "gap" and found[0]["field"] == "postings[2].posted"
        assert found[0]["file"] == "hotlines/xa-a.yaml" and found[0]["line"] == 29
        assert found[0]["legal"]["citation"] == "Chương III, Thông tư 02/2017/TT-VPCP (căn cứ cần xác nhận)"
        assert "căn cứ về thời hạn cần xác nhận" in str(found[0]["message"])


def test_a_posting_in_the_future_is_an_error(base: Path, capsys: Cap) -> None:
    edit(base / "hotlines/xa-a.yaml", "posted: 2026-04-08", "posted: 2026-12-01")
    code, problems = validate(base, capsys)
    assert code == 1
    assert [(p["rule"], p["field"]) for p in problems if p["file"] == "hotlines/xa-a.yaml"] == [
        ("CK-DATE-FUTURE", "postings[2].posted")]


def test_counter_facts_are_due_from_agencies_that_perform(base: Path, capsys: Cap) -> None:
    hours = '  hours: "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"\n'
    edit(base / "hotlines/xa-b.yaml", hours, "")
    _, problems = validate(base, capsys)
    facts = [(p["file"], p["field"], p["severity"]) for p in problems if p["rule"] == "CK-COUNTER-FACTS"]
    assert facts == [("hotlines/xa-b.yaml", "one_stop.hours", "gap")]  # not ubnd-tinh: performs nothing


# --- the scorecard ----------------------------------------------------------------------------


def test_an_agency_performing_without_records_is_not_100_percent(base: Path,
                                                                 capsys: Cap) -> None:
    card = report(base, capsys)
    rows = {a["agency"]: a for a in card["agencies"]}
    xa_b = rows["xa-b"]
    assert (xa_b["procedures"], xa_b["records"]) == (3, 0)
    assert (xa_b["postings_due"], xa_b["postings_on_time"]) == (3, 0)
    assert xa_b["share"] == 0.5  # counter facts 3 of 3, postings 0 of 3
    assert {g["rule"] for g in xa_b["gaps"]} == {"CK-POSTING-MISSING"}
    assert xa_b["cells"]["postings"]["text"] == "0/3"
    assert rows["ubnd-tinh"]["share"] is None and rows["ubnd-tinh"]["cells"]["share"]["text"] == "—"
    assert rows["xa-a"]["share"] == 1.0
    order = [a["agency"] for a in card["agencies"]]
    assert (order[0], order[-1]) == ("xa-b", "ubnd-tinh")  # worst first, "—" last

    assert main(["report", "--root", str(base), "--today", TODAY]) == 0
    markdown = capsys.readouterr().out
    row = next(x for x in markdown.splitlines() if "(`xa-b`)" in x)
    assert row == ("| Ủy ban nhân dân xã B (`xa-b`) | Cấp xã | **50%** | 3 | **0/3** | 0 | **3** | đủ "
                   "| — | 0 | 0 | 0 |")
    assert "| Ủy ban nhân dân tỉnh (`ubnd-tinh`) | Cấp tỉnh | — | 0 | — |" in markdown
    assert ("| Ủy ban nhân dân xã B (`xa-b`) | 858/QĐ-BTP | 1 | 07/04/2026 | 14/04/2026 | — "
            "| **chưa niêm yết** |") in markdown


# --- the build never stops for one agency --------------------------------------------------------


def build(root: Path, out: Path, capsys: Cap, *extra: str) -> tuple[int, str, str]:
    code = main(["build", "--root", str(root), "--out", str(out), "--today", TODAY, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_holds_back_invalid_records_and_publishes_the_rest(base: Path, tmp_path: Path,
                                                                 capsys: Cap) -> None:
    shutil.copy(FIXTURES / "catalogue/defects/CK-LOCAL-ADDITION_fee.yaml",
                base / "procedures/xa-a/1.001193.yaml")
    edit(base / "catalogue/2.000815.yaml", "dossier_sets: 1\n", "")  # the whole entry is held back
    out = tmp_path / "site"
    code, stdout, stderr = build(base, out, capsys)
    assert code == 0, stderr
    assert "procedures/xa-a/1.001193.yaml:5:5: lỗi: channels[0].fees" in stderr
    assert "catalogue/2.000815.yaml:1:1: lỗi: dossier_sets" in stderr
    assert ("Giữ lại 2 hồ sơ có lỗi, không xuất bản (xem lỗi ở trên và trang Mức độ công khai): "
            "catalogue/2.000815.yaml, procedures/xa-a/1.001193.yaml") in stdout
    sheets = all_sheets(out)
    # Birth registration is still published at xa-a, from the catalogue alone (the local fee is
    # not); the held-back entry is published nowhere; the rest is there: one page per procedure,
    # a counter sheet per place.
    assert {p.parent.name.split("-")[0] for p in out.glob("thu-tuc/*/index.html")} == {
        "1.001193", "1.000894", "2.001610"}
    assert {f"{page.split('-')[0]} {sheet}" for page, sheet in sheets} == {
        "1.001193 xa-a", "1.001193 xa-b", "1.000894 xa-a", "1.000894 xa-b", "2.001610 so-x"}
    birth = next(out.glob("thu-tuc/1.001193-*/index.html")).read_text("utf-8")
    assert "Phí tiếp nhận hồ sơ" not in birth and "Bộ phận Một cửa của Ủy ban nhân dân xã A" in birth
    assert 'id="noi-xa-a"' in birth and 'id="noi-xa-b"' in birth
    scorecard = (out / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert "Hồ sơ bị giữ lại, không xuất bản" in scorecard
    assert "<code>procedures/xa-a/1.001193.yaml</code>" in scorecard
    assert "<code>catalogue/2.000815.yaml</code>" in scorecard

    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    code, _, stderr = build(base, out, capsys, "--strict")
    assert code == 1 and "Không xuất bản (--strict)" in stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_gaps_never_stop_a_build_and_the_scorecard_is_as_of_the_build_date(
        base: Path, tmp_path: Path, capsys: Cap) -> None:
    out = tmp_path / "site"
    code, stdout, _ = build(base, out, capsys, "--strict")  # gaps are not errors, even --strict
    assert code == 0 and "3 thiếu sót công khai" in stdout
    assert "chưa niêm yết" in (out / "muc-do-cong-khai/index.html").read_text("utf-8")
    code = main(["build", "--root", str(base), "--out", str(out), "--build-date", "2026-04-14"])
    capsys.readouterr()
    page = (out / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert code == 0 and "ngày 14/04/2026" in page
    rows = page.split('id="niem-yet"')[1]
    assert "858/QĐ-BTP" in rows and "chưa đến hạn" in rows


def test_agency_site_has_its_places_only(base: Path, tmp_path: Path, capsys: Cap) -> None:
    out = tmp_path / "site"
    code, _, stderr = build(base, out, capsys, "--agency", "xa-b")
    assert code == 0, stderr
    # The same pages as the province's, with xa-b's place only; its sheets only.
    assert len(list(out.glob("thu-tuc/*/index.html"))) == 3
    assert sorted(sheet for _, sheet in all_sheets(out)) == ["xa-b"] * 3
    for page in out.glob("thu-tuc/*/index.html"):
        text = page.read_text("utf-8")
        assert 'id="noi-xa-b"' in text and 'id="noi-xa-a"' not in text and "noi-so-x" not in text
    scorecard = (out / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert "Ủy ban nhân dân xã B" in scorecard and "Ủy ban nhân dân xã A" not in scorecard


# --- the pull-request check ------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def test_changed_since_is_strict_for_changed_files_only(base: Path, capsys: Cap) -> None:
    git(base, "init", "-q", "-b", "main")
    git(base, "add", ".")
    git(base, "commit", "-qm", "base")
    # A change to xa-b's hotline file: its gaps are shown, and do not fail the check.
    edit(base / "hotlines/xa-b.yaml", "name: Ủy ban nhân dân xã B", "name: UBND xã B")
    code, problems = validate(base, capsys, "--changed-since", "HEAD")
    assert code == 0 and {p["rule"] for p in problems} == {"CK-POSTING-MISSING"}
    # The catalogue drops the online channel: xa-a's unchanged local record now adds a method.
    git(base, "commit", "-qam", "rename")
    text = (base / "catalogue/1.001193.yaml").read_text("utf-8")
    online = text.index("  - method: online")
    postal = text.index("  - method: postal")
    (base / "catalogue/1.001193.yaml").write_text(text[:online] + text[postal:], "utf-8")
    code, problems = validate(base, capsys, "--changed-since", "HEAD")
    assert code == 1
    assert [(p["file"], p["rule"], p["field"]) for p in problems] == [
        ("procedures/xa-a/1.001193.yaml", "CK-LOCAL-ADDITION", "channels[0].method")]


# --- printers -------------------------------------------------------------------------------------


def test_gaps_in_every_output_format(base: Path, capsys: Cap) -> None:
    assert main(["validate", "--root", str(base), "--today", TODAY]) == 0
    text = capsys.readouterr().out
    assert ("hotlines/xa-b.yaml:2:1: thiếu sót công khai: postings (Niêm yết theo quyết định công bố): "
            in text)
    assert text.endswith("0 lỗi, 3 thiếu sót công khai, 0 cảnh báo trong 1 tệp.\n")
    assert main(["validate", "--root", str(base), "--today", TODAY, "--format", "github"]) == 0
    annotation = capsys.readouterr().out.splitlines()[0]
    assert annotation.startswith("::warning file=hotlines/xa-b.yaml,line=2,col=1,"
                                 "title=thiếu sót công khai%3A CK-POSTING-MISSING postings::")
    assert main(["validate", "--root", str(base), "--today", TODAY, "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["errors"], counts["gaps"], counts["warnings"]) == (0, 3, 0)


# --- clerks' tools -----------------------------------------------------------------------------


def test_new_catalogue_entry_and_implementation(base: Path, capsys: Cap) -> None:
    assert main(["new", "catalogue", "--code", "1.004873", "--root", str(base)]) == 0
    entry = (base / "catalogue/1.004873.yaml").read_text("utf-8")
    assert entry.startswith("# yaml-language-server: $schema=../schemas/catalogue.schema.json\n")
    assert ("implemented_by:\n  # ghi một hoặc nhiều khóa sau (bỏ dấu #):\n"
            "  # level:  Mọi cơ quan của cấp") in entry
    assert main(["validate", "--root", str(base), str(base / "catalogue/1.004873.yaml"),
                 "--today", TODAY]) == 1
    capsys.readouterr()

    assert main(["new", "implementation", "--agency", "xa-b", "--code", "2.000815", "--root", str(base)]) == 0
    capsys.readouterr()
    local = base / "procedures/xa-b/2.000815.yaml"
    text = local.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/implementation.schema.json\n")
    assert "#   direct (trực tiếp): thời hạn 1 ngày làm việc" in text  # what the catalogue allows
    for key in ("location", "hours", "contact", "channels", "notes"):
        assert f"\n# {key}:  " in text
    assert 'code: "2.000815"' in text
    assert main(["validate", "--root", str(base), str(local), "--today", TODAY]) == 1  # until filled
    assert "updated (Ngày cập nhật): để trống" in capsys.readouterr().out
    edit(local, "updated:\n", "updated: 2026-11-20\n")
    assert main(["validate", "--root", str(base), str(local), "--today", TODAY]) == 0
    capsys.readouterr()

    assert main(["new", "implementation", "--agency", "xa-b", "--code", "1.004859", "--root", str(base)]) == 2
    assert "chưa có catalogue/1.004859.yaml" in capsys.readouterr().err
    assert main(["new", "procedure", "--agency", "xa-b", "--code", "1.001193", "--root", str(base)]) == 2
    assert "congkhai new implementation --agency xa-b --code 1.001193" in capsys.readouterr().err
    assert main(["new", "implementation", "--code", "1.001193", "--root", str(base)]) == 2


# --- the sample ----------------------------------------------------------------------------------


def test_the_sample_communes_are_real_units_of_resolution_1667() -> None:
    units = yaml.safe_load((REPO / "benchmarks/data/khanh-hoa-communes.yaml").read_text("utf-8"))
    assert "1667/NQ-UBTVQH15" in units["source"]
    kinds = [u["kind"] for u in units["units"]]
    assert (kinds.count("xã"), kinds.count("phường"), kinds.count("đặc khu")) == (48, 16, 1)
    assert len({u["slug"] for u in units["units"]}) == len({u["name"] for u in units["units"]}) == 65
    by_slug = {u["slug"]: u for u in units["units"]}
    communes = [yaml.safe_load(p.read_text("utf-8")) for p in (REPO / "hotlines").glob("*.yaml")]
    communes = [c for c in communes if c["level"] == "commune"]
    assert len(communes) >= 12
    for commune in communes:
        unit = by_slug[commune["id"]]
        assert commune["name"] == f"Ủy ban nhân dân {unit['kind']} {unit['name']}"


def test_the_sample_scorecard_shows_real_gaps(capsys: Cap) -> None:
    card = report(REPO, capsys)
    rows = card["agencies"]
    assert any(r["postings_late"] for r in rows) and any(r["postings_missing"] for r in rows)
    assert any(r["performs"] and r["facts_missing"] for r in rows)
    assert any(r["share"] is None for r in rows)  # an agency that performs nothing
    shares = [r["share"] for r in rows if r["share"] is not None]
    assert shares == sorted(shares) and shares[0] < 1
    catalogue = card["catalogue"]
    assert catalogue["entries"] == len(list((REPO / "catalogue").glob("*.yaml")))
    assert catalogue["held_back"] == []
