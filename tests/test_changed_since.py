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
