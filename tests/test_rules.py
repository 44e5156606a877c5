"""Timeliness, consistency, review and link rules, on both sides of each boundary."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli

from generator.check.timeliness import add_working_days, is_working_day

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


@pytest.mark.parametrize(("today", "late"), [("2025-07-08", False), ("2025-07-09", True)])
def test_procedure_not_updated_after_its_decision(repo: Path, today: str, late: bool) -> None:
    # Decision of Tue 2025-07-01; five working days end Tue 2025-07-08.
    edit(repo, PROCEDURE, ("updated: 2026-10-01", "updated: 2025-06-30"))
    assert ("CK-LATE-PROCEDURE" in rules(repo, today=today)) is late


def test_published_before_issued(repo: Path) -> None:
    edit(repo, PLAN, ("published: 2023-04-10", "published: 2023-03-28"))
    assert rules(repo)["CK-DATE-ORDER"]["line"] == 8


def test_expired_but_in_force(repo: Path) -> None:
    edit(repo, PLAN, ("effective: 2023-03-29", "effective: 2023-03-29\nexpires: 2026-11-25"))
    assert "CK-EXPIRED-IN-FORCE" in rules(repo, today="2026-11-26")
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
    assert ": thiếu sót công khai: " in line and "Nghị định 63/2010/NĐ-CP" in line
    assert result.stdout.splitlines()[-1] == "0 lỗi, 5 thiếu sót công khai, 0 cảnh báo trong 5 tệp."
    assert result.returncode == 0


def test_http_link_warns_other_schemes_fail(repo: Path) -> None:
    edit(repo, PROCEDURE, ("url: https://example.gov.vn/mau/", "url: http://example.gov.vn/mau/"))
    found = rules(repo)
    assert found["CK-LINK-HTTP"]["severity"] == "warning"
    assert found["CK-LINK-HTTP"]["field"] == "documents[0].form.url"
    edit(repo, PROCEDURE, ("url: http://example.gov.vn/mau/", "url: ftp://example.gov.vn/mau/"))
    assert rules(repo)["CK-FORMAT"]["field"] == "documents[0].form.url"


def test_future_update_date(repo: Path) -> None:
    assert rules(repo, today="2026-09-30")["CK-DATE-FUTURE"]["field"] == "updated"


def test_bad_today_is_a_usage_error(repo: Path) -> None:
    assert run_cli("validate", "--root", repo, "--today", "26/11/2026").returncode == 2
