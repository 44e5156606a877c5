"""Hostile input: each case of tests/fixtures/hostile/ gets a located error, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run_cli, run_process

from generator import cli

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
    "syntax_error": ("CK-YAML", 44),
}
_QUOTE_IT = "; hãy đặt trong dấu nháy: "
_UNPRINTABLE = "giá trị chứa ký tự điều khiển không in được"
_SYNTAX = "lỗi cú pháp YAML: "
_CONTROL = ("; hãy xóa ký tự này (trong dấu nháy kép, cách viết như \\0, \\e hay \\x7f cũng tạo ra ký tự "
            "điều khiển)")
_INDENT = ("thụt lề: các khóa cùng một khối phải bắt đầu ở cùng một cột, các mục '- ' của cùng một "
           "danh sách cũng vậy")
_CODE_FORM = "mã thủ tục phải có dạng 1.001193 hoặc 1.001193.000.00.00.H32 (đặt trong dấu nháy)"
# Cases told in the clerk's words: fixture -> (rule, line, column, field, the whole message).
TOLD = {
    # Money and counts as written (a float or thousands separators are not numbers).
    "amount_thousands_dot": ("CK-NUMBER", 31, 9, "channels[1].fees[0].amount",
                             "'50.000' có dấu ngăn cách hàng nghìn nên YAML đọc thành 50; hãy viết liền "
                             "các chữ số, không dấu chấm, dấu phẩy hay dấu gạch: 50000"),
    "amount_thousands_comma": ("CK-TYPE", 31, 9, "channels[1].fees[0].amount",
                               "phải là số nguyên, không phải '50,000': hãy viết liền các chữ số, không "
                               "dấu chấm hay dấu phẩy ngăn cách hàng nghìn: 50000"),
    "amount_float": ("CK-NUMBER", 31, 9, "channels[1].fees[0].amount",
                     "'2500.5' không phải số nguyên viết bằng các chữ số liền nhau (YAML đọc thành "
                     "2500.5); hãy viết số nguyên, ví dụ 50000"),
    "originals_leading_zero": ("CK-NUMBER", 35, 5, "documents[0].originals",
                               "'010' bắt đầu bằng số 0 nên YAML đọc thành 8; hãy bỏ số 0 ở đầu: 10"),
    "processing_time_value_sexagesimal": (
        "CK-NUMBER", 19, 7, "channels[0].processing_time.value",
        "'1:30' không phải số viết theo cách thông thường (YAML đọc thành 90); hãy viết các chữ số, "
        "phần thập phân sau dấu chấm, ví dụ 15 hoặc 1.5"),
    # Identifiers are ASCII, on one line.
    "code_fullwidth_digits": ("CK-FORMAT", 1, 1, "code",
                              f"{_CODE_FORM} (đang là '１.００１１９３') — có chữ số không phải 0–9 ('０', "
                              "'１', '３', '９'): hãy gõ lại bằng chữ số thường trên bàn phím"),
    "code_arabic_indic_digits": ("CK-FORMAT", 1, 1, "code",
                                 f"{_CODE_FORM} (đang là '١.٠٠١١٩٣') — có chữ số không phải 0–9 ('٠', "
                                 "'١', '٣', '٩'): hãy gõ lại bằng chữ số thường trên bàn phím"),
    "code_trailing_newline": ("CK-FORMAT", 1, 1, "code", f"{_CODE_FORM} (đang là '1.001193\\n')"),
    # Control characters written as escapes.
    "name_escaped_delete": ("CK-CONTROL", 2, 7, "", f"{_UNPRINTABLE} U+007F{_CONTROL}"),
    "name_escaped_nul": ("CK-CONTROL", 2, 7, "", f"{_UNPRINTABLE} U+0000{_CONTROL}"),
    "name_escaped_escape": ("CK-CONTROL", 2, 7, "", f"{_UNPRINTABLE} U+001B{_CONTROL}"),
    "name_escaped_c1": ("CK-CONTROL", 2, 7, "", f"{_UNPRINTABLE} U+009B{_CONTROL}"),
    # A clerk's YAML mistakes, at the line to fix, saying what to type.
    "name_colon_unquoted": ("CK-YAML", 2, 24, "",
                            f"{_SYNTAX}giá trị có dấu ':' và dấu cách phải đặt trong dấu nháy: viết "
                            "name: \"Đăng ký khai sinh: trẻ em dưới 6 tuổi\""),
    "steps_item_colon_unquoted": ("CK-TYPE", 13, 5, "steps[0]",
                                  "phải là văn bản, nhưng dấu ':' và dấu cách khiến YAML đọc thành một khối; "
                                  "hãy đặt cả giá trị trong dấu nháy: \"Bước 1: Người yêu cầu nộp tờ khai và "
                                  "giấy tờ theo quy địn...\""),
    "field_indented_too_far": ("CK-YAML", 6, 3, "",
                               f"{_SYNTAX}dòng này lệch {_INDENT} (hoặc giá trị ở dòng trên có dấu "
                               "':' mà chưa đặt trong dấu nháy)"),
    "announcement_date_indented_less": ("CK-YAML", 9, 2, "", f"{_SYNTAX}dòng này lệch {_INDENT}"),
    "announcement_decision_tab_indent": ("CK-YAML", 8, 1, "",
                                         f"{_SYNTAX}không dùng phím Tab để thụt lề hoặc cách giá "
                                         "trị; hãy thay ký tự Tab bằng dấu cách"),
    "field_no_space_after_colon": ("CK-YAML", 6, 1, "",
                                   f"{_SYNTAX}sau dấu ':' phải có một dấu cách: viết 'field: Luật sư'"),
    "name_quote_inside_quotes": ("CK-YAML", 2, 17, "",
                                 f"{_SYNTAX}sau dấu nháy đóng còn chữ: giá trị có dấu nháy bên trong thì "
                                 "hãy bọc cả giá trị bằng loại dấu nháy kia, ví dụ 'Giấy \"A\" bản chính' "
                                 "hoặc \"Giấy 'A' bản chính\", hoặc bỏ dấu nháy bao ngoài"),
    "hotlines_number_octal": ("CK-TYPE", 8, 5, "hotlines[0].number",
                              "phải là văn bản; YAML đọc 02363721234 thành 332374684"
                              f"{_QUOTE_IT}\"02363721234\""),
    "hotlines_hours_sexagesimal": ("CK-TYPE", 10, 5, "hotlines[0].hours",
                                   f"phải là văn bản; YAML đọc 7:30 thành 450{_QUOTE_IT}\"7:30\""),
    "code_unquoted_trailing_zero": ("CK-TYPE", 1, 1, "code",
                                    "phải là văn bản; YAML đọc 1.001190 thành 1.00119"
                                    f"{_QUOTE_IT}\"1.001190\""),
    "level_vietnamese_label": ("CK-ENUM", 5, 1, "level",
                               "giá trị 'Cấp tỉnh' không hợp lệ; hãy ghi province (nghĩa là 'Cấp tỉnh'); "
                               "chọn một trong: central (Trung ương), province (Cấp tỉnh), commune (Cấp xã)"),
}
AGENCY_TARGET = "hotlines/phuong-nha-trang.yaml"
ACCEPTED = ["accepted_bom", "accepted_crlf", "accepted_nfd", "accepted_nbsp", "accepted_zero_width"]


def test_catalogue_is_complete() -> None:
    assert {p.stem for p in HOSTILE.glob("*.yaml")} == set(REJECTED) | set(TOLD) | set(ACCEPTED)


@pytest.mark.parametrize("case", sorted(TOLD))
def test_told_in_the_clerks_words(case: str, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The exact message, at the line and column of the mistake, and the only error of the file."""
    target = AGENCY_TARGET if case.startswith("hotlines_") else TARGET
    shutil.copy(HOSTILE / f"{case}.yaml", repo / target)
    assert cli.main(["validate", "--root", str(repo), "--format", "json", "--today", "2026-11-26"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["file"], p["rule"], p["line"], p["column"], p["field"], p["message"]) for p in problems] \
        == [(target, *TOLD[case])]


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


def test_50_mb_file_refused_before_it_is_read(repo: Path) -> None:
    import tracemalloc

    from generator.load import load_file

    path = repo / TARGET
    with open(path, "r+b") as stream:
        stream.truncate(50_000_000)  # sparse: costs no disk
    tracemalloc.start()
    try:
        problem = load_file(repo, TARGET, "procedure")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem.message == "tệp lớn 50,000,000 byte, vượt giới hạn 1,000,000 byte"
    assert problem.rule == "CK-YAML-LIMIT"
    assert peak < 2_000_000, f"{peak:,} bytes held: the file was read"


def test_a_pipe_is_not_waited_on(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = repo / "procedures/phuong-nha-trang/1.001194.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    assert cli.main(["validate", "--root", str(repo), "--format", "json"]) == 1
    problem = json.loads(capsys.readouterr().out)["problems"][0]
    assert problem["file"] == "procedures/phuong-nha-trang/1.001194.yaml" and problem["rule"] == "CK-FILE"
    assert problem["message"].startswith("không phải tệp thông thường")


def _validate(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = cli.main(["validate", "--root", str(repo), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["problems"]


def test_unreadable_agency_folder_is_an_error(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # Root reads every folder whatever its mode, so the refusal is simulated where os.walk lists.
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("procedures/phuong-nha-trang"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert _validate(repo, capsys) == (1, [{
        "file": "procedures/phuong-nha-trang", "line": 1, "column": 1, "field": "", "label": "",
        "severity": "error", "rule": "CK-FILE", "legal": None,
        "message": "không đọc được thư mục (không có quyền đọc): các hồ sơ trong đó sẽ không được kiểm "
                   "tra và không được xuất bản"}])
    assert cli.main(["build", "--root", str(repo), "--out", str(repo.parent / "site")]) == 1
    assert "Không xuất bản" in capsys.readouterr().err
    assert not (repo.parent / "site").exists()


def test_hidden_records_and_folders_are_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(repo / TARGET, repo / "procedures/phuong-nha-trang/.1.001193.yaml")
    (repo / "procedures/.cu").mkdir()
    shutil.copy(repo / TARGET, repo / "procedures/.cu/1.001193.yaml")
    code, problems = _validate(repo, capsys)
    assert code == 1
    assert [(p["file"], p["rule"], p["message"]) for p in problems] == [
        ("procedures/.cu", "CK-FILE", "thư mục ẩn '.cu' (tên bắt đầu bằng dấu chấm): các tệp trong đó "
                                      "không được đọc; hãy đổi tên bỏ dấu chấm hoặc xóa thư mục"),
        ("procedures/phuong-nha-trang/.1.001193.yaml", "CK-FILE",
         "tệp ẩn (tên bắt đầu bằng dấu chấm) không được đọc như một hồ sơ; hãy đổi tên bỏ dấu chấm "
         "đầu hoặc xóa tệp"),
    ]
