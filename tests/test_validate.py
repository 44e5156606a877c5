"""`congkhai validate`: fixtures per mandatory field and defect, formats, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

from generator.cli import main

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: field=(\S+) rule=(\S+) line=(\d+) legal=(.+?) source=(\S+)$")


def test_every_mandatory_field_has_missing_and_placeholder_fixtures() -> None:
    names = {p.name for p in INVALID}
    for kind, required in (("procedure", 16), ("plan", 14), ("agency", 9)):
        schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        assert len(schema["required"]) == required
        for field in schema["required"]:
            for defect in ("missing", "placeholder"):
                assert f"{kind}_{field}_{defect}.yaml" in names


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_reports_field_line_and_law(fixture: Path, repo: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    field, rule, line, instrument, source = EXPECT.match(
        fixture.read_text("utf-8").splitlines()[0]).groups()
    shutil.copy(fixture, repo / source)

    assert main(["validate", "--root", str(repo), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert [(p["file"], p["field"], p["rule"], p["line"]) for p in errors] == [
        (source, field, rule, int(line))]
    assert instrument in errors[0]["legal"]["citation"]
    assert errors[0]["label"]

    assert main(["validate", "--root", str(repo)]) == 1
    text = capsys.readouterr().out
    assert f"{source}:{line}:" in text
    assert f"{field} ({errors[0]['label']})" in text
    assert instrument in text


def test_valid_fixtures_pass(repo: Path) -> None:
    result = run_cli("validate", "--root", repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Không có lỗi" in result.stdout


def test_deleting_fees_names_file_line_label_and_decree(repo: Path) -> None:
    """The promise of the product, as the issue states it."""
    path = repo / "procedures/phuong-nha-trang/1.001193.yaml"
    lines = path.read_text("utf-8").splitlines()
    fees = next(i for i, text in enumerate(lines) if text.strip() == "fees: Không")
    del lines[fees]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run_cli("validate", "--root", repo)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("procedures/phuong-nha-trang/1.001193.yaml:17:5: lỗi: channels[0].fees")
    assert "Phí, lệ phí" in first and "[CK-REQ]" in first
    assert "— Điều 8 khoản 2 điểm i, Nghị định 63/2010/NĐ-CP" in first
    # The README explains this very line to clerks: it must be what validate prints.
    assert f"\n{first}\n" in (REPO / "README.md").read_text("utf-8")
    assert "Traceback" not in result.stderr


def test_github_format_annotates_lines(repo: Path) -> None:
    path = repo / "hotlines/so-tai-chinh.yaml"
    path.write_text(path.read_text("utf-8").replace("email: stc@khanhhoa.gov.vn\n", ""), "utf-8")
    result = run_cli("validate", "--root", repo, "--format", "github")
    assert result.returncode == 1
    annotation = result.stdout.splitlines()[0]
    assert annotation.startswith("::error file=hotlines/so-tai-chinh.yaml,line=1,col=1,title=CK-REQ email::")
    assert "Nghị định 20/2008/NĐ-CP" in annotation


def test_json_format_carries_every_field(repo: Path) -> None:
    path = repo / "procedures/phuong-nha-trang/1.001193.yaml"
    path.write_text(path.read_text("utf-8").replace("requirements: Không", "requirement: Không"), "utf-8")
    result = run_cli("validate", "--root", repo, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    unknown = next(p for p in problems if p["rule"] == "CK-UNKNOWN-KEY")
    assert "có phải ý bạn là 'requirements'" in unknown["message"]
    missing = next(p for p in problems if p["rule"] == "CK-REQ")
    assert set(missing) == {"file", "line", "column", "field", "label", "severity", "rule",
                            "message", "legal"}
    assert missing["legal"]["article"] == "Điều 8 khoản 2 điểm i"
    assert missing["legal"]["confidence"] == "confirmed"
    assert missing["legal"]["kind"] == "law"


def test_unconfirmed_basis_is_marked_in_every_format(repo: Path) -> None:
    """The location's basis (NĐ 63/2010 Điều 15 khoản 2) is from secondary sources: every
    printer says so, because all of them word a citation in one place (LegalRef.cite)."""
    path = repo / "procedures/phuong-nha-trang/1.001193.yaml"
    path.write_text(path.read_text("utf-8").replace("location: Bộ phận", "x_location: Bộ phận"), "utf-8")
    cited = ("Điều 15 khoản 2, Nghị định 63/2010/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP) "
             "(căn cứ cần xác nhận)")
    outputs = {fmt: run_cli("validate", "--root", repo, "--format", fmt).stdout
               for fmt in ("text", "json", "github")}
    missing = next(p for p in json.loads(outputs["json"])["problems"] if p["rule"] == "CK-REQ")
    assert (missing["field"], missing["legal"]["confidence"], missing["legal"]["citation"]) == \
        ("location", "secondary", cited)
    for fmt, where in (("text", "location ("), ("github", " location::")):
        assert next(line for line in outputs[fmt].splitlines() if where in line).endswith(f"— {cited}")


def test_problems_sorted_by_file_and_line(repo: Path) -> None:
    for rel in ("hotlines/so-tai-chinh.yaml", "procedures/phuong-nha-trang/1.001193.yaml"):
        path = repo / rel
        path.write_text(path.read_text("utf-8").replace("updated:", "updated: TBD\nold:"), "utf-8")
    report = json.loads(run_cli("validate", "--root", repo, "--format", "json").stdout)
    keys = [(p["file"], p["line"], p["column"]) for p in report["problems"]]
    assert keys == sorted(keys) and len({p["file"] for p in report["problems"]}) == 2


def test_paths_limit_the_check(repo: Path) -> None:
    bad = repo / "hotlines/so-tai-chinh.yaml"
    bad.write_text(bad.read_text("utf-8").replace("name:", "nam:"), "utf-8")
    good = repo / "procedures"
    assert run_cli("validate", "--root", repo, good).returncode == 0
    assert run_cli("validate", "--root", repo, bad).returncode == 1


def test_usage_errors_exit_2(repo: Path) -> None:
    assert run_cli("validate", "--root", repo / "nowhere").returncode == 2
    assert run_cli("validate", "--root", repo, repo / "missing.yaml").returncode == 2
    result = run_cli("validate", "--format", "xml")
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("edit", "rule"), [
    (("agency: phuong-nha-trang", "agency: so-tai-chinh"), "CK-AGENCY-FOLDER"),
    (('code: "1.001193"', 'code: "1.001194"'), "CK-ID-FILENAME"),
    (("parent: ubnd-tinh-khanh-hoa", "parent: ubnd-tinh-ninh-thuan"), "CK-AGENCY-UNKNOWN"),
    (("location: Bộ phận", "location: Không\nx_location: Bộ phận"), "CK-NONE"),
])
def test_cross_record_rules(repo: Path, edit: tuple[str, str], rule: str) -> None:
    for path in repo.rglob("*.yaml"):
        text = path.read_text("utf-8")
        if edit[0] in text:
            path.write_text(text.replace(edit[0], edit[1]), "utf-8")
    report = json.loads(run_cli("validate", "--root", repo, "--format", "json").stdout)
    assert rule in {p["rule"] for p in report["problems"]}


def test_duplicate_code_in_one_agency(repo: Path) -> None:
    folder = repo / "procedures/phuong-nha-trang"
    shutil.copy(folder / "1.001193.yaml", folder / "1.001194.yaml")
    report = json.loads(run_cli("validate", "--root", repo, "--format", "json").stdout)
    dup = [p for p in report["problems"] if p["rule"] == "CK-CODE-DUP"]
    assert [p["file"] for p in dup] == ["procedures/phuong-nha-trang/1.001194.yaml"]


def test_agency_without_hotline_record(repo: Path) -> None:
    (repo / "hotlines/phuong-nha-trang.yaml").unlink()
    report = json.loads(run_cli("validate", "--root", repo, "--format", "json").stdout)
    unknown = [p for p in report["problems"] if p["rule"] == "CK-AGENCY-UNKNOWN"]
    assert unknown and "hotlines/phuong-nha-trang.yaml" in unknown[0]["message"]
    assert "20/2008/NĐ-CP" in unknown[0]["legal"]["citation"]


def test_fast_and_explaining_validators_agree() -> None:
    """jsonschema-rs screens records; jsonschema explains. They must judge alike."""
    from generator.check.rules import strip_placeholders
    from generator.check.schema import fast_validator, validator
    from generator.load import load_file

    cases = 0
    for folder in ("valid", "invalid", "hostile"):
        for path in sorted((FIXTURES / folder).rglob("*.yaml")):
            kind = "procedure" if path.name.startswith("procedure") or "procedures" in path.parts \
                or folder == "hostile" else "plan" if path.name.startswith("plan") \
                or "plans_and_policies" in path.parts else "agency"
            record = load_file(path.parent, path.name, kind)
            if not hasattr(record, "data"):
                continue
            for data in (record.data, strip_placeholders(record)[0]):
                explained = next(validator(kind).iter_errors(data), None) is None
                assert fast_validator(kind).is_valid(data) == explained, path
                cases += 1
    assert cases > 150


def test_parallel_validation_reports_like_a_single_process(tmp_path: Path) -> None:
    """Past PARALLEL_FROM records, validation is shared between processes: same findings."""
    import sys
    from datetime import date

    from generator.check import PARALLEL_FROM, check_repository
    from generator.check.timeliness import Settings

    sys.path.insert(0, str(REPO / "benchmarks"))
    from synth import write_repo

    write_repo(tmp_path, PARALLEL_FROM + 20)
    for n, path in enumerate(sorted((tmp_path / "procedures").rglob("*.yaml"))[::97]):
        path.write_text(path.read_text("utf-8").replace("dossier_sets: 1", f"dossier_sets: x{n}"), "utf-8")
    settings = Settings(date(2026, 11, 26))
    alone = check_repository(tmp_path, settings, keep_records=True)
    shared = check_repository(tmp_path, settings, keep_records=False)
    assert shared.problems == alone.problems and len(shared.problems) >= 10
    assert shared.loaded == alone.loaded == len(alone.records) > PARALLEL_FROM


def test_every_mandatory_field_has_a_label_and_a_registered_legal_basis() -> None:
    """Each required property names its legal basis, itself or through the list it belongs to."""
    from generator import legal
    from generator.check.schema import SCHEMA_FILES, deref, schema

    def walk(root: dict, node: dict, inherited: str | None, where: str) -> int:
        node = deref(root, node)
        count = 0
        for branch in (node, node.get("then") or {}, node.get("else") or {}):
            for name in branch.get("required", []):
                prop = deref(root, node["properties"][name])
                basis = prop.get("x-legal", inherited)
                assert prop.get("title"), f"{where}.{name} has no Vietnamese title"
                assert basis and legal.ref(basis), f"{where}.{name} has no legal basis"
                count += 1
            for name, prop in branch.get("properties", {}).items():
                prop = deref(root, prop)
                basis = prop.get("x-legal", inherited)
                for child in (prop, prop.get("items") or {}, (prop.get("else") or {}).get("items") or {}):
                    if child is not prop or child.get("type") == "object":
                        count += walk(root, child, basis, f"{where}.{name}")
        return count

    for kind in SCHEMA_FILES:
        assert walk(schema(kind), schema(kind), None, kind) >= len(schema(kind)["required"])
