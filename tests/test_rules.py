"""Timeliness, consistency, review and link rules, on both sides of each boundary."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import VALID, run_cli

from generator.check import timeliness
from generator.check.timeliness import add_working_days, is_working_day
from generator.load import load_file
from generator.model import Problem

PLAN = "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030.yaml"
PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"


def edit(repo: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = repo / rel
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def rules(repo: Path, *extra: str, today: str = "2026-11-26", file: str | None = None
          ) -> dict[str, dict[str, object]]:
    """Problems by rule id (of one file, when given)."""
    result = run_cli("validate", "--root", repo, "--format", "json", "--today", today, *extra)
    assert result.stderr == ""
    return {p["rule"]: p for p in json.loads(result.stdout)["problems"]
            if file is None or p["file"] == file}


def test_working_days_skip_weekends_and_tet() -> None:
    assert not is_working_day(date(2026, 2, 17))  # Tết Bính Ngọ
    assert not is_working_day(date(2026, 9, 2))  # Quốc khánh
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert add_working_days(date(2026, 11, 23), 5) == date(2026, 12, 1)  # Tue 24/11 is a holiday
    # Friday before Tết 2026: the whole holiday week is skipped.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)  # and back, for "before"


@pytest.mark.parametrize(("published", "late"), [("2023-04-13", False), ("2023-04-14", True)])
def test_planning_published_within_15_days(repo: Path, published: str, late: bool) -> None:
    edit(repo, PLAN, ("published: 2023-04-10", f"published: {published}"))  # issued 2023-03-29
    found = rules(repo)
    assert ("CK-LATE-PLANNING" in found) is late
    if late:  # a disclosure gap: on the scorecard, never a reason to hold the plan back
        assert found["CK-LATE-PLANNING"]["severity"] == "gap"
        assert "21/2017/QH14" in found["CK-LATE-PLANNING"]["legal"]["citation"]
        assert found["CK-LATE-PLANNING"]["field"] == "published"


@pytest.mark.parametrize(("published", "late"), [
    ("2026-02-23", False),  # issued Thu 2026-02-12: Fri 13, then Tết, then Mon 23 .. = day 2
    ("2026-02-26", False),  # day 5
    ("2026-02-27", True),   # day 6
])
def test_policy_published_within_5_working_days_across_tet(repo: Path, published: str,
                                                           late: bool) -> None:
    edit(repo, PLAN, ("kind: planning", "kind: policy"), ("issued: 2023-03-29", "issued: 2026-02-12"),
         ("published: 2023-04-10", f"published: {published}"), ("effective: 2023-03-29\n", ""))
    found = rules(repo)
    assert ("CK-LATE-PUBLICATION" in found) is late
    if late:
        assert "104/2016/QH13" in found["CK-LATE-PUBLICATION"]["legal"]["citation"]


@pytest.mark.parametrize(("level", "today", "late"), [
    # Decision of Tue 2025-07-01: five working days end Tue 2025-07-08, ten Tue 2025-07-15.
    ("commune", "2025-07-08", False), ("commune", "2025-07-09", True),
    ("province", "2025-07-08", False), ("province", "2025-07-09", True),
    ("central", "2025-07-15", False), ("central", "2025-07-16", True),
])
def test_procedure_not_updated_after_its_decision(repo: Path, level: str, today: str,
                                                  late: bool) -> None:
    edit(repo, PROCEDURE, ("updated: 2026-10-01", "updated: 2025-06-30"),
         ("level: commune", f"level: {level}"))
    found = rules(repo, today=today)
    assert ("CK-LATE-PROCEDURE" in found) is late
    if late:
        assert found["CK-LATE-PROCEDURE"]["legal"]["article"] == "Điều 24"
        assert found["CK-LATE-PROCEDURE"]["legal"]["citation"].endswith("(căn cứ cần xác nhận)")


@pytest.mark.parametrize(("issued", "published", "late", "law"), [
    # Approved before 1 March 2026: Luật Quy hoạch 2017; from that day: Luật Quy hoạch 2025.
    ("2026-02-10", "2026-02-25", False, ""),
    ("2026-02-10", "2026-02-26", True, "Điều 38, Luật Quy hoạch 21/2017/QH14 (căn cứ cần xác nhận)"),
    ("2026-03-10", "2026-03-25", False, ""),
    ("2026-03-10", "2026-03-26", True,
     "Luật Quy hoạch 2025 (Quốc hội thông qua ngày 10/12/2025) (căn cứ cần xác nhận)"),
])
def test_planning_judged_by_the_law_in_force_on_its_approval(repo: Path, issued: str, published: str,
                                                             late: bool, law: str) -> None:
    edit(repo, PLAN, ("issued: 2023-03-29", f"issued: {issued}"),
         ("published: 2023-04-10", f"published: {published}"), ("effective: 2023-03-29\n", ""))
    found = rules(repo)
    assert ("CK-LATE-PLANNING" in found) is late
    if late:
        assert found["CK-LATE-PLANNING"]["legal"]["citation"] == law


def test_planning_deadline_comes_from_the_version_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each version of a rule carries its own limit: confirming the 2025 law's is a data change."""
    data = copy.deepcopy(timeliness.config())
    planning = next(r for r in data["rules"] if r["id"] == "CK-LATE-PLANNING")
    assert [v["legal"] for v in planning["versions"]] == ["lqh-2017-art38", "lqh-2025-publish"]
    planning["versions"][1]["limit"] = 30
    monkeypatch.setattr(timeliness, "config", lambda: data)
    record = load_file(VALID, PLAN, "plan")
    assert not isinstance(record, Problem)

    def late(issued: str, published: str) -> bool:
        dated = {**record.data, "issued": issued, "published": published}
        problems = timeliness.check_dates(record, dated, timeliness.Settings(date(2026, 11, 26)))
        return "CK-LATE-PLANNING" in {p.rule for p in problems}

    assert late("2026-02-10", "2026-02-26")  # 2017 law: 15 days
    assert not late("2026-03-10", "2026-04-09")  # this 2025 version: 30 days
    assert late("2026-03-10", "2026-04-10")


def test_maps_cite_the_planning_law_of_the_approval_date(repo: Path) -> None:
    edit(repo, PLAN, ("issued: 2023-03-29", "issued: 2026-03-10"),
         ("published: 2023-04-10", "published: 2026-03-12"), ("effective: 2023-03-29\n", ""),
         ("maps:\n", "old_maps:\n"))
    report = json.loads(run_cli("validate", "--root", repo, "--format", "json").stdout)
    missing = next(p for p in report["problems"] if p["rule"] == "CK-REQ")
    assert (missing["field"], missing["legal"]["id"]) == ("maps", "lqh-2025-maps")


LATER_BASIS = "    title: Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch\n"


@pytest.mark.parametrize(("level", "effective", "warned", "article"), [
    # Decision of Tue 2025-07-01. Province and commune: at least 5 working days before the
    # basis takes effect (QĐ 766 method, secondary); ministries: at least 20 days (confirmed).
    ("commune", "2025-07-08", False, ""),
    ("commune", "2025-07-07", True, "Điều 15 khoản 1, Nghị định 63/2010/NĐ-CP (sửa đổi bởi Nghị định "
                                    "92/2017/NĐ-CP) (căn cứ cần xác nhận)"),
    ("central", "2025-07-21", False, ""),
    ("central", "2025-07-20", True, "Điều 15 khoản 1, Nghị định 63/2010/NĐ-CP (sửa đổi bởi Nghị định "
                                    "92/2017/NĐ-CP)"),
])
def test_announcement_comes_before_its_legal_basis_takes_effect(
        repo: Path, level: str, effective: str, warned: bool, article: str) -> None:
    # The older basis took effect long before: only the latest effective date counts.
    edit(repo, PROCEDURE, ("level: commune", f"level: {level}"),
         ("    date: 2014-11-20\n", "    date: 2014-11-20\n    effective: 2016-01-01\n"),
         (LATER_BASIS, f"{LATER_BASIS}    effective: {effective}\n"))
    found = rules(repo, file=PROCEDURE)
    assert ("CK-ANNOUNCED-LATE" in found) is warned
    if warned:
        problem = found["CK-ANNOUNCED-LATE"]
        assert (problem["severity"], problem["field"], problem["legal"]["citation"]) == \
            ("warning", "announcement.date", article)
        assert f"có hiệu lực từ {effective[8:]}/{effective[5:7]}/{effective[:4]}" in problem["message"]
        assert run_cli("validate", "--root", repo).returncode == 0  # a warning does not block


def test_no_announcement_warning_without_an_effective_date(repo: Path) -> None:
    assert "CK-ANNOUNCED-LATE" not in rules(repo, today="2025-07-02")


def test_effective_date_is_checked_and_labelled(repo: Path) -> None:
    edit(repo, PROCEDURE, (LATER_BASIS, f"{LATER_BASIS}    effective: 01/07/2025\n"))
    problem = rules(repo, file=PROCEDURE)["CK-FORMAT"]
    assert (problem["field"], problem["label"]) == ("legal_basis[1].effective", "Ngày có hiệu lực")


def test_published_before_issued(repo: Path) -> None:
    edit(repo, PLAN, ("published: 2023-04-10", "published: 2023-03-28"))
    assert rules(repo)["CK-DATE-ORDER"]["line"] == 8


def test_expired_but_in_force(repo: Path) -> None:
    edit(repo, PLAN, ("effective: 2023-03-29", "effective: 2023-03-29\nexpires: 2026-11-25"))
    found = rules(repo, today="2026-11-26")
    # Only a date passed: a gap of the agency (on the scorecard), never a reason to hold it back.
    assert found["CK-EXPIRED-IN-FORCE"]["severity"] == "gap"
    assert "CK-EXPIRED-IN-FORCE" not in rules(repo, today="2026-11-25")


def test_review_age_is_a_gap_unless_strict(repo: Path) -> None:
    # updated 2026-10-01: twelve months end 2027-10-01
    assert "CK-REVIEW" not in rules(repo, today="2027-10-01", file=PROCEDURE)
    found = rules(repo, today="2027-10-02", file=PROCEDURE)
    assert found["CK-REVIEW"]["severity"] == "gap"
    assert run_cli("validate", "--root", repo, "--today", "2027-10-02").returncode == 0
    assert run_cli("validate", "--root", repo, "--today", "2027-10-02", "--strict").returncode == 1
    assert "CK-REVIEW" not in rules(repo, "--review-months", "6", today="2027-04-01", file=PROCEDURE)
    assert "CK-REVIEW" in rules(repo, "--review-months", "6", today="2027-04-02", file=PROCEDURE)


def test_text_output_shows_rule_severity_and_basis(repo: Path) -> None:
    result = run_cli("validate", "--root", repo, "--today", "2027-12-01")
    line = next(x for x in result.stdout.splitlines() if "[CK-REVIEW]" in x)
    # Reviewing after 12 months is the portal's own rule: it says so and cites no law. An overdue
    # review is a disclosure gap: on the scorecard, never a failure.
    assert ": thiếu sót công khai: " in line and line.endswith("[CK-REVIEW] — quy định của cổng")
    assert result.stdout.splitlines()[-1] == "0 lỗi, 5 thiếu sót công khai, 0 cảnh báo trong 5 tệp."
    assert result.returncode == 0


def test_http_link_warns_other_schemes_fail(repo: Path) -> None:
    edit(repo, PROCEDURE, ("url: https://example.gov.vn/mau/", "url: http://example.gov.vn/mau/"))
    found = rules(repo)
    assert found["CK-LINK-HTTP"]["severity"] == "warning"
    assert found["CK-LINK-HTTP"]["field"] == "documents[0].form.url"
    # The portal's own rule: no law cited.
    assert (found["CK-LINK-HTTP"]["legal"]["kind"], found["CK-LINK-HTTP"]["legal"]["citation"]) == \
        ("policy", "quy định của cổng")
    edit(repo, PROCEDURE, ("url: http://example.gov.vn/mau/", "url: ftp://example.gov.vn/mau/"))
    assert rules(repo)["CK-FORMAT"]["field"] == "documents[0].form.url"


def test_future_update_date(repo: Path) -> None:
    assert rules(repo, today="2026-09-30")["CK-DATE-FUTURE"]["field"] == "updated"


def test_bad_today_is_a_usage_error(repo: Path) -> None:
    assert run_cli("validate", "--root", repo, "--today", "26/11/2026").returncode == 2


# --- a superseded document names the one that replaced it ---------------------------------------

SUCCESSOR = "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2031-2040.yaml"
REPLACED = "superseded_by: quy-hoach-tinh-khanh-hoa-2031-2040"


def _successor(repo: Path) -> None:
    """A second document of the same agency, the one that replaces the fixture's plan."""
    text = (repo / PLAN).read_text("utf-8").replace("quy-hoach-tinh-khanh-hoa-2021-2030",
                                                    "quy-hoach-tinh-khanh-hoa-2031-2040")
    (repo / SUCCESSOR).write_text(text, "utf-8")


def test_superseded_by_a_document_of_the_portal_is_clean(repo: Path) -> None:
    _successor(repo)
    edit(repo, PLAN, ("status: in_force", f"status: superseded\n{REPLACED}"))
    found = rules(repo, file=PLAN)
    assert not {"CK-SUPERSEDED-UNKNOWN", "CK-SUPERSEDED-STATUS"} & set(found), found
    edit(repo, PLAN, ("superseded_by: quy", "superseded_by: so-tai-chinh/quy"))  # agency/id: the same
    assert "CK-SUPERSEDED-UNKNOWN" not in rules(repo, file=PLAN)


@pytest.mark.parametrize(("ref", "says"), [
    ("khong-co-van-ban-nay", "không có văn bản 'khong-co-van-ban-nay' trên cổng"),
    ("so-y-te/quy-hoach-tinh-khanh-hoa-2031-2040", "không có văn bản"),  # another agency has none
    ("quy-hoach-tinh-khanh-hoa-2021-2030", "không thể thay thế chính nó"),
])
def test_superseded_by_an_unknown_document_or_itself(repo: Path, ref: str, says: str) -> None:
    _successor(repo)
    edit(repo, PLAN, ("status: in_force", f"status: superseded\nsuperseded_by: {ref}"))
    problem = rules(repo, file=PLAN)["CK-SUPERSEDED-UNKNOWN"]
    assert problem["severity"] == "error" and problem["line"] == 11 and problem["field"] == "superseded_by"
    assert says in str(problem["message"])
    assert "CK-SUPERSEDED-STATUS" not in rules(repo, file=PLAN)


def test_a_replaced_document_must_say_it_is_superseded(repo: Path) -> None:
    _successor(repo)
    edit(repo, PLAN, ("status: in_force", f"status: in_force\n{REPLACED}"))
    problem = rules(repo, file=PLAN)["CK-SUPERSEDED-STATUS"]
    assert (problem["field"], problem["line"]) == ("status", 10)
    assert "tình trạng phải là superseded" in str(problem["message"])
