"""`congkhai dossiers`: a clerk checks the one-stop export, an inspector compares the figures.

Fixtures in tests/fixtures/dossiers are named by rule (ds_<rule>.csv) or by defect
(bad_<defect>.csv); each is checked against the made-up agency in tests/fixtures/dossiers/repo,
whose procedures have a processing time in every unit.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import FIXTURES, REPO, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import timeliness
from generator.cli import main
from generator.dossiers import spec, synth
from generator.dossiers.engine import FLAGS, check_files
from generator.dossiers.results import load_results
from generator.dossiers.times import ProcessingTimes

DOSSIERS = FIXTURES / "dossiers"
ROOT = DOSSIERS / "repo"

# fixture -> the (rule, line) of every finding it must produce, and nothing else
RULE_CASES = {
    "ds_due_extended.csv": [("DS-DUE-EXTENDED", 3)],
    "ds_due_extended_units.csv": [("DS-DUE-EXTENDED", n) for n in range(3, 9)],
    "ds_late_no_apology.csv": [("DS-LATE-NO-APOLOGY", 3), ("DS-LATE-NO-APOLOGY", 4)],
    "ds_apology_late.csv": [("DS-APOLOGY-LATE", 3)],
    "ds_supplement_repeat.csv": [("DS-SUPPLEMENT-REPEAT", 3)],
    "ds_supplement_after_due.csv": [("DS-SUPPLEMENT-AFTER-DUE", 3)],
    "ds_backdated.csv": [("DS-BACKDATED", 3)],
    "ds_order.csv": [("DS-ORDER", 3), ("DS-ORDER", 4)],
    "ds_burst.csv": [("DS-BURST", n) for n in range(3, 13)],
    "ds_off_hours.csv": [("DS-OFF-HOURS", 3), ("DS-OFF-HOURS", 4)],
    "ds_status.csv": [("DS-STATUS", 3), ("DS-STATUS", 4)],
    "lines_multiline_blank.csv": [("DS-BACKDATED", 5)],
}
BAD_CASES = {
    "bad_missing_column.csv": [("DS-COLUMN", 1)],
    "bad_duplicate_column.csv": [("DS-COLUMN", 1)],
    "bad_personal_data.csv": [("DS-PERSONAL-DATA", 1)] * 3,
    "bad_time.csv": [("DS-TIME", 3), ("DS-TIME", 4), ("DS-TIME", 5), ("DS-TIME", 6)],
    "bad_unknown_procedure.csv": [("DS-PROCEDURE-UNKNOWN", 3)],
    "bad_unknown_agency.csv": [("DS-AGENCY-UNKNOWN", 3)],
    "bad_channel_not_offered.csv": [("DS-CHANNEL-UNKNOWN", 3), ("DS-CHANNEL-UNKNOWN", 4)],
    "bad_duplicate_code.csv": [("DS-DUPLICATE", 3), ("DS-DUPLICATE", 4)],
    "bad_status.csv": [("DS-VALUE", 3)],
    "bad_channel.csv": [("DS-VALUE", 3)],
    "bad_count.csv": [("DS-VALUE", 3), ("DS-VALUE", 4), ("DS-VALUE", 5)],
    "bad_code.csv": [("DS-CODE", 3), ("DS-CODE", 4)],
    "bad_missing_value.csv": [("DS-REQUIRED", 3), ("DS-REQUIRED", 4)],
    "bad_conditional_missing.csv": [("DS-REQUIRED", 3), ("DS-REQUIRED", 4)],
    "bad_ragged_rows.csv": [("DS-CSV", 3), ("DS-CSV", 4)],
    "bad_time_and_short_row.csv": [("DS-TIME", 3), ("DS-CSV", 4)],
    "bad_quote.csv": [("DS-CSV", 3)],
    "bad_encoding.csv": [("DS-CSV", 3)],
    "bad_utf16.csv": [("DS-CSV", 1)],
    "bad_empty.csv": [("DS-CSV", 1)],
}


def check(capsys: pytest.CaptureFixture[str], *args: str | Path, root: Path = ROOT,
          fmt: str = "json") -> tuple[int, Any]:
    code = main(["dossiers", "check", *map(str, args), "--root", str(root), "--format", fmt])
    out = capsys.readouterr().out
    return code, json.loads(out) if fmt == "json" else out


def csv_line(path: Path, line: int) -> str:
    return path.read_text("utf-8").splitlines()[line - 1]


def test_every_rule_has_a_fixture_named_after_it() -> None:
    names = {p.name for p in DOSSIERS.glob("ds_*.csv")}
    for rule in FLAGS:
        assert f"ds_{rule[3:].lower().replace('-', '_')}.csv" in names
    assert set(spec.rules()) == {*FLAGS, "DS-REPORT-MISMATCH"}


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_rule_fixture_reports_exactly_its_dossiers(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = DOSSIERS / name
    code, report = check(capsys, path)
    assert code == 1 and not report["errors"]
    found = [(f["rule"], f["line"]) for f in report["findings"]]
    assert found == RULE_CASES[name]
    for finding in report["findings"]:
        assert finding["file"] == str(path)
        assert csv_line(path, finding["line"]).startswith(finding["dossier_code"] + ",")
        what, why = finding["message"].split("; ", 1)  # what is wrong, then why it matters
        assert what and why
    counts = report["counts"]
    assert counts["rows"] == counts["checked"] + counts["errors"] + counts["blank"]

    code, text = check(capsys, path, fmt="text")
    rule, line = RULE_CASES[name][0]
    assert f"{path}:{line}: dấu hiệu: " in text and f"[{rule}]" in text


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_unusable_input_is_a_located_error(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, DOSSIERS / name)
    assert code == 2
    assert [(e["rule"], e["line"]) for e in report["errors"]] == BAD_CASES[name]
    assert all(e["file"] == str(DOSSIERS / name) and e["message"] for e in report["errors"])
    counts = report["counts"]
    # every row read is checked, an error, or blank; a refused file has no row read at all
    assert counts["rows"] == counts["checked"] + counts["errors"] + counts["blank"]
    if counts["files_refused"]:
        assert counts["rows"] == 0
    else:
        assert counts["errors"] == len({e["line"] for e in report["errors"]})


def test_clean_file_with_labels_bom_and_any_column_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, DOSSIERS / "labels_bom.csv")
    assert code == 0 and report["findings"] == [] and report["errors"] == []
    assert report["counts"]["checked"] == 1


def test_due_time_of_every_unit_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    """Appointments exactly at the legal due time pass; one minute later is DS-DUE-EXTENDED.

    Working days skip Tết 2026 (16–20/02); 4 hours count office hours across lunch; half a
    working day online counts 4 office hours into the next morning; 1 month from 30/01 ends
    28/02; 5 calendar days by post; 2 paused working days are added.
    """
    code, report = check(capsys, DOSSIERS / "due_units.csv")
    assert code == 0 and report["findings"] == [] and report["counts"]["checked"] == 7
    _, report = check(capsys, DOSSIERS / "ds_due_extended_units.csv")
    legal = [f["message"].split("thời hạn luật định ")[1].split(" (")[0] for f in report["findings"]]
    assert legal == ["17:00 25/02/2026", "16:00 02/03/2026", "10:00 03/03/2026", "17:00 28/02/2026",
                     "17:00 04/03/2026", "17:00 09/03/2026"]


def test_json_output_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = check(capsys, DOSSIERS / "ds_late_no_apology.csv")
    assert {k: type(v) for k, v in report["findings"][0].items()} == {
        "file": str, "line": int, "dossier_code": str, "rule": str, "message": str}
    assert report["stats"] == {"so-thu-nghiem": {"2026-03": {
        "received": 3, "resolved_on_time": 1, "resolved_late": 1, "pending_on_time": 0,
        "pending_overdue": 1, "withdrawn": 0, "findings": {"DS-LATE-NO-APOLOGY": 2}}}}
    assert report["as_of"] == "2026-03-06T09:00:00"


def test_github_format_annotates_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = check(capsys, DOSSIERS / "ds_backdated.csv", fmt="github")
    assert code == 1
    assert text.startswith(f"::error file={DOSSIERS / 'ds_backdated.csv'},line=3,"
                           "title=DS-BACKDATED GIALAP.TN-260301-0002::mã hồ sơ mang ngày 01/03/2026")


def test_as_of_decides_which_pending_dossiers_are_overdue(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["dossiers", "check", str(DOSSIERS / "ds_late_no_apology.csv"), "--root", str(ROOT),
            "--format", "json"]
    main([*args, "--as-of", "2026-03-04"])
    month = json.loads(capsys.readouterr().out)["stats"]["so-thu-nghiem"]["2026-03"]
    assert (month["pending_on_time"], month["pending_overdue"]) == (1, 0)
    main([*args, "--as-of", "2026-03-05"])  # judged at the end of the day: due at 17:00, overdue
    month = json.loads(capsys.readouterr().out)["stats"]["so-thu-nghiem"]["2026-03"]
    assert (month["pending_on_time"], month["pending_overdue"]) == (0, 1)


# --- personal data ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["Họ và tên", "HO_TEN", "ho ten nguoi nop", "Tên", "name",
                                    "Số điện thoại", "SĐT", "phone", "E-mail", "email",
                                    "Số CCCD", "cmnd", "so_dinh_danh", "Địa chỉ thường trú",
                                    "address", "Ngày sinh", "Số hộ chiếu"])
def test_personal_headers_are_recognised_folded(header: str) -> None:
    assert spec.is_personal(header)


@pytest.mark.parametrize("header", [*spec.columns(), *(c.label for c in spec.columns().values()),
                                    "Tên thủ tục", "ghi_chu", "linh_vuc"])
def test_contract_and_ordinary_headers_are_not_personal(header: str) -> None:
    assert not spec.is_personal(header)


def test_personal_data_is_refused_and_nothing_of_it_is_printed_or_written(tmp_path: Path) -> None:
    source = DOSSIERS / "bad_personal_data.csv"
    with source.open(encoding="utf-8") as handle:
        cells = [v for row in list(csv.reader(handle))[1:] for v in row if v]
    root = tmp_path / "repo"
    shutil.copytree(ROOT, root)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    for command in ("check", "import"):
        result = run_cli("dossiers", command, source, "--root", root)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert "dữ liệu cá nhân" in result.stdout
        for cell in cells:
            assert cell not in result.stdout and cell not in result.stderr
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


# --- the agency's own figures ----------------------------------------------------------------

def test_report_that_disagrees_is_a_located_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT, root)
    report = root / "dossier_reports/so-thu-nghiem/2026-03.yaml"
    report.parent.mkdir(parents=True)
    report.write_text("received: 3\nresolved_on_time: 2\nresolved_late: 0\npending_on_time: 0\n"
                      "pending_overdue: 1\nupdated: 2026-04-05\n", "utf-8")
    code, result = check(capsys, DOSSIERS / "ds_late_no_apology.csv", root=root)
    assert code == 1
    mismatches = [f for f in result["findings"] if f["rule"] == "DS-REPORT-MISMATCH"]
    assert [(f["file"], f["line"], f["dossier_code"]) for f in mismatches] == [
        ("dossier_reports/so-thu-nghiem/2026-03.yaml", 2, ""),
        ("dossier_reports/so-thu-nghiem/2026-03.yaml", 3, "")]
    assert "là 2, tính lại từ hồ sơ được 1" in mismatches[0]["message"]


# --- import ----------------------------------------------------------------------------------

def test_import_writes_only_counts_and_hashes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT, root)
    source = DOSSIERS / "ds_burst.csv"
    result = run_cli("dossiers", "import", source, "--root", root)
    assert result.returncode == 0, result.stdout + result.stderr
    written = root / "dossier_stats/so-thu-nghiem/2026-03.yaml"
    assert "Đã ghi dossier_stats/so-thu-nghiem/2026-03.yaml: 21 hồ sơ, 10 dấu hiệu." in result.stdout
    text = written.read_text("utf-8")
    for row in csv.DictReader(source.open(encoding="utf-8")):
        assert row["dossier_code"] not in text and row["officer"] not in text
    results, problems = load_results(root)
    month = results["so-thu-nghiem"][0]
    assert problems == [] and month.month == "2026-03"
    assert month.recomputed is not None and month.recomputed.received == 21
    assert month.findings == {"DS-BURST": 10}
    assert month.examples["DS-BURST"] == synth_hash("GIALAP.TN-260302-0010")
    assert month.procedures["9.900001"].resolved_on_time == 21
    assert sorted(p.name for p in root.rglob("*.csv")) == []  # the export itself is not copied

    again = run_cli("dossiers", "import", source, "--root", root)
    assert again.returncode == 0 and written.read_text("utf-8") == text  # the same export, the same file


def synth_hash(code: str) -> str:
    from generator.dossiers.aggregate import short_hash
    return short_hash(code)


def test_import_writes_nothing_when_a_row_is_unusable(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT, root)
    result = run_cli("dossiers", "import", DOSSIERS / "bad_time.csv", "--root", root)
    assert result.returncode == 2
    assert "bad_time.csv:3:" in result.stdout and "Không ghi số liệu nào" in result.stdout
    assert not (root / "dossier_stats").exists()


def test_written_aggregates_pass_their_schema_and_validate_checks_them(repo: Path) -> None:
    """`congkhai validate` checks the data folders: schema, month file name, agency, .yaml only."""
    stats = (REPO / "dossier_stats/so-xay-dung/2026-08.yaml").read_text("utf-8")
    target = repo / "dossier_stats/phuong-nha-trang/2026-08.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(stats, "utf-8")
    report = repo / "dossier_reports/phuong-nha-trang/2026-08.yaml"
    report.parent.mkdir(parents=True)
    report.write_text("received: 1\nresolved_on_time: 1\nresolved_late: 0\npending_on_time: 0\n"
                      "pending_overdue: 0\nupdated: 2026-09-05\n", "utf-8")
    assert run_cli("validate", "--root", repo).returncode == 0

    target.write_text(stats.replace("resolved_late: ", "resolved_late: nhiều ", 1), "utf-8")
    (target.parent / "xuat.csv").write_text("dossier_code\n", "utf-8")
    (repo / "dossier_reports/phuong-nha-trang/thang-8.yaml").write_text(report.read_text("utf-8"))
    unknown = repo / "dossier_reports/so-khong-co/2026-08.yaml"
    unknown.parent.mkdir(parents=True)
    unknown.write_text(report.read_text("utf-8"))
    result = run_cli("validate", "--root", repo, "--format", "json")
    assert result.returncode == 1
    found = {(p["file"], p["rule"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("dossier_stats/phuong-nha-trang/2026-08.yaml", "CK-TYPE"),
        ("dossier_stats/phuong-nha-trang/xuat.csv", "CK-FILE"),
        ("dossier_reports/phuong-nha-trang/thang-8.yaml", "CK-FILE"),
        ("dossier_reports/so-khong-co/2026-08.yaml", "CK-AGENCY-UNKNOWN"),
    }


def test_data_folders_are_not_records_of_the_scorecard(repo: Path) -> None:
    before = json.loads(run_cli("report", "--root", repo, "--format", "json",
                                "--today", "2026-11-26").stdout)
    target = repo / "dossier_stats/phuong-nha-trang/2026-08.yaml"
    target.parent.mkdir(parents=True)
    shutil.copy(REPO / "dossier_stats/so-xay-dung/2026-08.yaml", target)
    after = json.loads(run_cli("report", "--root", repo, "--format", "json",
                               "--today", "2026-11-26").stdout)
    assert after == before


# --- the sample ------------------------------------------------------------------------------

def test_sample_export_and_reports_are_reproduced_by_the_generator(tmp_path: Path) -> None:
    written = synth.write_sample(REPO, tmp_path)
    assert len(written) == 4  # the export and three monthly reports of the massaging agency
    for path in written:
        rel = path.relative_to(tmp_path)
        assert path.read_bytes() == (REPO / rel).read_bytes(), rel


def test_sample_aggregates_are_the_import_of_the_sample_export(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for folder in ("catalogue", "hotlines", "procedures", "dossier_reports"):
        shutil.copytree(REPO / folder, root / folder)
    result = run_cli("dossiers", "import", REPO / synth.SAMPLE_CSV, "--root", root,
                     "--as-of", "2026-09-30", "--note", synth.SAMPLE_NOTE)
    assert result.returncode == 0, result.stdout
    ours = sorted(p.relative_to(root) for p in (root / "dossier_stats").rglob("*.yaml"))
    assert ours == sorted(p.relative_to(REPO) for p in (REPO / "dossier_stats").rglob("*.yaml"))
    for rel in ours:
        assert (root / rel).read_bytes() == (REPO / rel).read_bytes(), rel


def test_prepared_results_put_recomputed_beside_reported() -> None:
    """What the agency page and the province ranking read (phase 2)."""
    results, problems = load_results(REPO)
    assert set(results) == {a.id for a in synth.SAMPLE_AGENCIES}
    massaging = results["so-xay-dung"]
    assert [m.month for m in massaging] == ["2026-07", "2026-08", "2026-09"]
    for month in massaging:
        assert month.reported is not None and month.recomputed is not None
        assert month.gap is not None and month.gap > 0.2  # it reports itself far better
        assert month.findings["DS-REPORT-MISMATCH"] == len(month.mismatches) > 0
        assert month.note == synth.SAMPLE_NOTE
    assert {m.figure for m in massaging[0].mismatches} >= {"resolved_on_time", "resolved_late"}
    assert all(p.rule == "DS-REPORT-MISMATCH" for p in problems)
    for month in results["so-tu-phap"]:
        assert month.reported is None and month.gap is None and month.findings == {}
        assert month.recomputed is not None and month.recomputed.on_time_rate is not None


# --- property: a clean export has no findings, whatever the dates and holidays ---------------

CLEAN_AGENCY = synth.Agency("so-thu-nghiem", "GIALAP.TN")
EXAMPLES = 300 if os.environ.get("CONGKHAI_FUZZ") == "thorough" else 25


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.dates(date(2020, 1, 1), date(2030, 12, 31)), days=st.integers(1, 45),
       seed=st.integers(0, 2**32 - 1), extra=st.sets(st.integers(-10, 90), max_size=8),
       per_day=st.integers(1, 12))
def test_clean_generated_export_has_no_findings(tmp_path_factory: pytest.TempPathFactory, first: date,
                                                days: int, seed: int, extra: set[int], per_day: int) -> None:
    """The engine's due times agree with the generator's day-by-day walk, boundaries included
    (appointments and results exactly at the legal due time), under extra holidays; an
    appointment one minute later than the walk's due time is flagged, on every dossier."""
    real = timeliness._holidays
    holidays = {first + timedelta(days=k) for k in extra}

    def with_extra(year: int) -> frozenset[date]:
        return real(year) | {d for d in holidays if d.year == year}

    last = first + timedelta(days=days)
    synth._due_day.cache_clear()
    try:
        with mock.patch.object(timeliness, "_holidays", with_extra):
            rows = synth.generate(ProcessingTimes(ROOT), [CLEAN_AGENCY], first, last, per_day, seed)
            path = tmp_path_factory.mktemp("clean") / "export.csv"
            synth.write_csv(path, rows)
            outcome = check_files([(path, "export.csv")], ProcessingTimes(ROOT), last)
            for row in rows:
                later_due = datetime.fromisoformat(row["due_at"]) + timedelta(minutes=1)
                row["due_at"] = f"{later_due:%Y-%m-%dT%H:%M}"
            synth.write_csv(path, rows)
            later = check_files([(path, "export.csv")], ProcessingTimes(ROOT), last)
    finally:
        synth._due_day.cache_clear()
    assert [p for p in outcome.problems if p.severity != "warning"] == []
    assert outcome.counts.checked == len(rows) == outcome.judged.height
    assert [(p.rule, p.line) for p in later.problems] == [("DS-DUE-EXTENDED", n + 2)
                                                          for n in range(len(rows))]


def test_generated_massaging_agency_shows_every_pattern(tmp_path: Path) -> None:
    first, last = date(2026, 3, 1), date(2026, 5, 31)
    agency = synth.Agency("so-thu-nghiem", "GIALAP.TN", massaging=True)
    rows = synth.generate(ProcessingTimes(ROOT), [agency], first, last, per_day=4, seed=3)
    synth.write_csv(tmp_path / "x.csv", rows)
    outcome = check_files([(tmp_path / "x.csv", "x.csv")], ProcessingTimes(ROOT), last)
    assert not outcome.has_errors
    assert {p.rule for p in outcome.problems} == set(FLAGS)


def test_oracle_and_engine_agree_on_a_known_date() -> None:
    """Received Friday before Tết 2026, three working days: Monday 23 to Wednesday 25/02."""
    received = datetime(2026, 2, 13, 10, 0)
    pt = ProcessingTimes(ROOT).lookup("so-thu-nghiem", "9.900001", "direct")
    assert pt is not None
    assert synth.legal_due(received, pt) == datetime.combine(date(2026, 2, 25), time(17, 0))


@pytest.mark.parametrize("name", ["lines_multiline_blank.csv", "ds_burst.csv", "bad_ragged_rows.csv",
                                  "bad_duplicate_code.csv", "ds_late_no_apology.csv"])
def test_reading_in_small_batches_changes_nothing(name: str, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are read a batch at a time: lines, duplicates, bursts and counts cross batches."""
    from generator.dossiers import read

    _, whole = check(capsys, DOSSIERS / name)
    monkeypatch.setattr(read, "BATCH", 2)
    _, batched = check(capsys, DOSSIERS / name)
    assert batched == whole


def test_a_panic_inside_polars_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import polars as pl

    from generator.dossiers import cli

    def panic(_: Any) -> None:
        raise pl.exceptions.PanicException("assertion failed: i < self.len()")

    monkeypatch.setattr(cli, "_run", panic)
    monkeypatch.delenv("CONGKHAI_DEBUG", raising=False)
    assert main(["dossiers", "check", str(DOSSIERS / "ds_backdated.csv"), "--root", str(ROOT)]) == 70
    assert "lỗi nội bộ của thư viện Polars (PanicException: assertion failed" in capsys.readouterr().err


def test_an_export_without_rows_writes_nothing(tmp_path: Path) -> None:
    export = tmp_path / "empty.csv"
    export.write_text(csv_line(DOSSIERS / "ds_backdated.csv", 1) + "\n", "utf-8")
    root = tmp_path / "repo"
    shutil.copytree(ROOT, root)
    result = run_cli("dossiers", "import", export, "--root", root)
    assert result.returncode == 0 and "không có hồ sơ nào" in result.stdout
    assert not (root / "dossier_stats").exists()
