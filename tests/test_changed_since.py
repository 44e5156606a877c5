"""`validate --changed-since REF` on a real git repository with commits."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import run_cli


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def report(repo: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("validate", "--root", repo, "--format", "json", "--today", "2026-11-26", *args)
    assert result.stderr == ""
    return result.returncode, json.loads(result.stdout)["problems"]


def committed(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    return repo


def break_file(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def test_only_changed_records_are_checked_and_reported_like_a_full_run(repo: Path) -> None:
    committed(repo)
    # An old problem that the pull request did not touch...
    break_file(repo / "hotlines/so-tai-chinh.yaml", "name:", "nam:")
    git(repo, "commit", "-qam", "old mistake")
    git(repo, "tag", "base")
    # ...and a new one in a new commit, plus an uncommitted new file.
    proc = repo / "procedures/phuong-nha-trang/1.001193.yaml"
    break_file(proc, "    fees: Không\n", "")
    git(repo, "commit", "-qam", "drop fees")
    new = repo / "procedures/phuong-nha-trang/1.001194.yaml"
    shutil.copy(proc, new)
    break_file(new, '"1.001193"', '"1.001194"')

    code, changed = report(repo, "--changed-since", "base")
    assert code == 1
    assert {p["file"] for p in changed} == {"procedures/phuong-nha-trang/1.001193.yaml",
                                            "procedures/phuong-nha-trang/1.001194.yaml"}
    _, full = report(repo)
    assert [p for p in full if p["file"] in {p["file"] for p in changed}] == changed


def test_nothing_changed_is_clean(repo: Path) -> None:
    committed(repo)
    break_file(repo / "hotlines/so-tai-chinh.yaml", "name:", "nam:")
    git(repo, "commit", "-qam", "old mistake")
    assert report(repo, "--changed-since", "HEAD") == (0, [])


def test_changed_hotline_rechecks_its_agency(repo: Path) -> None:
    committed(repo)
    git(repo, "rm", "-q", "hotlines/phuong-nha-trang.yaml")
    code, problems = report(repo, "--changed-since", "HEAD")
    assert code == 1
    assert {(p["file"], p["rule"]) for p in problems} >= {
        ("procedures/phuong-nha-trang/1.001193.yaml", "CK-AGENCY-UNKNOWN")}


def test_misplaced_new_file_is_reported(repo: Path) -> None:
    committed(repo)
    shutil.copy(repo / "hotlines/so-tai-chinh.yaml", repo / "hotlines/so-tai-chinh.yml")
    code, problems = report(repo, "--changed-since", "HEAD")
    assert code == 1 and problems[0]["rule"] == "CK-FILE"


def test_unknown_ref_or_no_git_is_a_usage_error(repo: Path) -> None:
    assert run_cli("validate", "--root", repo, "--changed-since", "main").returncode == 2
    committed(repo)
    result = run_cli("validate", "--root", repo, "--changed-since", "no-such-ref")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_non_ascii_and_hidden_names_are_checked(repo: Path) -> None:
    """git quotes such names unless asked for NUL-separated output: they must not slip through."""
    committed(repo)
    (repo / "procedures/sở-tư-pháp").mkdir()
    shutil.copy(repo / "procedures/phuong-nha-trang/1.001193.yaml",
                repo / "procedures/sở-tư-pháp/1.001193.yaml")
    shutil.copy(repo / "procedures/phuong-nha-trang/1.001193.yaml",
                repo / "procedures/phuong-nha-trang/.1.001194.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "two sneaky files")
    code, problems = report(repo, "--changed-since", "HEAD~1")
    assert code == 1
    assert {(p["file"], p["rule"]) for p in problems} == {
        ("procedures/sở-tư-pháp/1.001193.yaml", "CK-AGENCY-FOLDER"),
        ("procedures/phuong-nha-trang/.1.001194.yaml", "CK-FILE")}


def test_a_change_to_the_rules_checks_every_record(repo: Path) -> None:
    committed(repo)
    break_file(repo / "hotlines/so-tai-chinh.yaml", "name:", "nam:")  # an old mistake
    git(repo, "commit", "-qam", "old mistake")
    for rel in ("schemas/procedure.schema.json", "generator/data/legal.yaml", "mkdocs.yml",
                "site_overrides/main.html", "pyproject.toml"):
        git(repo, "tag", "-f", "base")
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text("changed\n", "utf-8")
        result = run_cli("validate", "--root", repo, "--format", "json", "--today", "2026-11-26",
                         "--changed-since", "base")
        assert result.returncode == 1, rel
        assert {p["file"] for p in json.loads(result.stdout)["problems"]} == {"hotlines/so-tai-chinh.yaml"}
        assert result.stderr == (f"Lược đồ, mã nguồn hoặc cấu hình của cổng thay đổi ({rel}): "
                                 "kiểm tra toàn bộ hồ sơ.\n")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", f"change {rel}")


def test_deleted_parent_agency_is_caught(repo: Path) -> None:
    committed(repo)
    git(repo, "rm", "-q", "hotlines/ubnd-tinh-khanh-hoa.yaml")  # parent of phuong-nha-trang
    code, problems = report(repo, "--changed-since", "HEAD")
    assert code == 1
    assert ("hotlines/phuong-nha-trang.yaml", "parent", "CK-AGENCY-UNKNOWN") in {
        (p["file"], p["field"], p["rule"]) for p in problems}


def test_summary_names_every_agency_and_warns_across_agencies(repo: Path) -> None:
    committed(repo)
    summary = run_cli("report", "--root", repo, "--today", "2026-11-26", "--changed-since", "HEAD")
    assert summary.stdout.startswith("## Pull request này thay đổi\n\n- Không có tệp dữ liệu nào")
    break_file(repo / "procedures/phuong-nha-trang/1.001193.yaml", "Giấy khai sinh (bản chính)",
               "Giấy khai sinh")
    (repo / "hotlines/so-tai-chinh.yaml").write_text(
        (repo / "hotlines/so-tai-chinh.yaml").read_text("utf-8") + "# sửa\n", "utf-8")
    summary = run_cli("report", "--root", repo, "--today", "2026-11-26", "--changed-since", "HEAD")
    assert summary.returncode == 0, summary.stderr
    head = summary.stdout.split("## Mức độ công khai")[0]
    assert head == (
        "## Pull request này thay đổi\n\n"
        "- Tệp của 2 cơ quan: Ủy ban nhân dân phường Nha Trang (`phuong-nha-trang`), "
        "Sở Tài chính tỉnh Khánh Hòa (`so-tai-chinh`)\n\n"
        "> **⚠ Cảnh báo:** pull request này sửa tệp của **2 cơ quan**. Mỗi cơ quan chỉ sửa hồ sơ của "
        "mình: người duyệt hãy xác nhận từng cơ quan đã đồng ý với phần thay đổi của mình trước khi "
        "hợp nhất.\n\n")
    data = json.loads(run_cli("report", "--root", repo, "--format", "json",
                              "--changed-since", "HEAD").stdout)
    assert data["changes"] == {"agencies": ["phuong-nha-trang", "so-tai-chinh"], "catalogue": [],
                               "rules": []}
