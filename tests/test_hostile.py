"""Hostile input: each case of tests/fixtures/hostile/ gets a located error, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, run_process

HOSTILE = FIXTURES / "hostile"
TARGET = "procedures/phuong-nha-trang/1.001193.yaml"

# fixture -> (rule, line) of the first error
REJECTED = {
    "alias_bomb": ("CK-YAML-LIMIT", 2),
    "alias_scalar_flood": ("CK-YAML-LIMIT", 2),
    "deep_nesting": ("CK-YAML-LIMIT", 1),
    "deep_nesting_block": ("CK-YAML-LIMIT", 21),
    "tag_python_object": ("CK-YAML-TAG", 2),
    "tag_custom": ("CK-YAML-TAG", 45),
    "tag_binary": ("CK-YAML-TAG", 45),
    "duplicate_key_top": ("CK-YAML-DUPKEY", 56),
    "duplicate_key_nested": ("CK-YAML-DUPKEY", 23),
    "duplicate_key_in_list_item": ("CK-YAML-DUPKEY", 37),
    "invalid_utf8": ("CK-ENCODING", 2),
    "utf16": ("CK-ENCODING", 1),
    "nul_byte": ("CK-YAML", 7),
    "mixed_tabs": ("CK-YAML", 22),
    "multiple_documents": ("CK-YAML", 57),
    "empty": ("CK-YAML", 1),
    "only_comments": ("CK-YAML", 1),
    "top_level_list": ("CK-YAML", 1),
    "top_level_scalar": ("CK-YAML", 1),
    "date_dd_mm_yyyy": ("CK-FORMAT", 55),
    "date_impossible": ("CK-DATE", 55),
    "date_with_time": ("CK-FORMAT", 55),
    "number_where_text": ("CK-TYPE", 45),
    "unquoted_code_number": ("CK-TYPE", 1),
    "text_where_number": ("CK-TYPE", 44),
    "boolean_where_text": ("CK-TYPE", 46),
    "code_path_traversal": ("CK-FORMAT", 1),
    "code_slash": ("CK-FORMAT", 1),
    "code_space": ("CK-FORMAT", 1),
    "agency_uppercase": ("CK-FORMAT", 3),
    "agency_path_traversal": ("CK-FORMAT", 3),
    "huge_string": ("CK-YAML-LIMIT", 45),
    "syntax_error": ("CK-YAML", 45),
}
ACCEPTED = ["accepted_bom", "accepted_crlf", "accepted_nfd", "accepted_nbsp", "accepted_zero_width"]


def test_catalogue_is_complete() -> None:
    assert {p.stem for p in HOSTILE.glob("*.yaml")} == set(REJECTED) | set(ACCEPTED)


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_rejected_with_located_error(case: str, repo: Path) -> None:
    shutil.copy(HOSTILE / f"{case}.yaml", repo / TARGET)
    result = run_cli("validate", "--root", repo, "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    errors = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    rule, line = REJECTED[case]
    assert errors[0]["file"] == TARGET
    assert (errors[0]["rule"], errors[0]["line"]) == (rule, line)
    assert errors[0]["message"]


def test_rejected_in_a_real_process(repo: Path) -> None:
    """The alias bomb through `congkhai validate` in a shell: exit 1, a located error, no traceback."""
    shutil.copy(HOSTILE / "alias_bomb.yaml", repo / TARGET)
    result = run_process("validate", "--root", repo, "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    first = json.loads(result.stdout)["problems"][0]
    assert (first["file"], first["rule"], first["line"]) == (TARGET, *REJECTED["alias_bomb"])


@pytest.mark.parametrize("case", ACCEPTED)
def test_accepted_and_normalised(case: str, repo: Path) -> None:
    shutil.copy(HOSTILE / f"{case}.yaml", repo / TARGET)
    result = run_cli("validate", "--root", repo)
    assert result.returncode == 0, result.stdout

    from generator.load import load_file

    record = load_file(repo, TARGET, "procedure")
    assert record.data["name"] == "Đăng ký khai sinh"  # NFC, no invisible characters, plain spaces
    assert record.data["field"] == "Hộ tịch"


def test_huge_file_refused(repo: Path) -> None:
    path = repo / TARGET
    path.write_text(path.read_text("utf-8") + "# " + "x" * 1_200_000 + "\n", "utf-8")
    result = run_cli("validate", "--root", repo, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["problems"][0]["rule"] == "CK-YAML-LIMIT"


def test_symlink_out_of_repository_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(repo / TARGET, outside)
    os.symlink(outside, repo / "procedures/phuong-nha-trang/1.001194.yaml")
    result = run_cli("validate", "--root", repo, "--format", "json")
    assert result.returncode == 1
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["rule"] == "CK-FILE" and "symlink" in problem["message"]


def test_misplaced_and_misnamed_files(repo: Path) -> None:
    shutil.copy(repo / TARGET, repo / "procedures/1.001193.yaml")
    shutil.copy(repo / TARGET, repo / "procedures/phuong-nha-trang/1.001195.yml")
    result = run_cli("validate", "--root", repo, "--format", "json")
    files = {p["file"] for p in json.loads(result.stdout)["problems"] if p["rule"] == "CK-FILE"}
    assert files == {"procedures/1.001193.yaml", "procedures/phuong-nha-trang/1.001195.yml"}
