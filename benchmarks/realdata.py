"""Whole-system proof on real data: import the national portal's procedures, validate, report, build.

    python benchmarks/realdata.py [--data FILE] [--keep DIR] [--today YYYY-MM-DD]

1. imports every record of ../shared/data/national-portal/procedures.jsonl into a temporary
   repository (through the real command line, as a clerk would run it);
2. writes one hotline record per agency the import created (generated, with obviously
   illustrative contact values: they make the agency known, they do not describe it);
3. runs `congkhai validate` and `congkhai report` on it;
4. copies the records that pass validation (and their hotlines) to a second repository and
   builds the site with search there (`congkhai build` would hold the invalid records back
   itself; the second repository keeps the measure to what is published);
5. prints records imported, records passing validation, gaps per mandatory field, timings and
   the site's size.

Exit status: 0 when every count agrees with what the script computes from the source itself
(failing records are the expected finding, not a failure of this script); 1 when a number
disagrees; 2 when a command could not run. Without the data file it says so and exits 0, so CI
can call it unconditionally.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.importers.national_portal import agency_slug  # noqa: E402
from generator.importers.tables import LEVELS  # noqa: E402
from generator.legal import is_placeholder  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl"
DEFAULT_TODAY = "2026-11-26"
MISSING_RULES = {"CK-REQ", "CK-PLACEHOLDER"}
_INDEX = re.compile(r"\[\d+\]")


class CommandFailed(Exception):
    pass


@dataclass(slots=True)
class Run:
    seconds: float
    stdout: str
    stderr: str
    code: int


def run(*args: str | Path, ok: Sequence[int] = (0,)) -> Run:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONGKHAI_DEBUG", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *map(str, args)], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=3600)
    result = Run(time.perf_counter() - start, done.stdout, done.stderr, done.returncode)
    if done.returncode not in ok:
        raise CommandFailed(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stderr[-2000:]}")
    return result


def cli_has(command: str) -> bool:
    return run("-m", "generator.cli", command, "--help", ok=(0, 1, 2)).code == 0


def import_command() -> list[str]:
    """`congkhai import national-portal` once wired into the CLI, the module before that."""
    if cli_has("import"):
        return ["-m", "generator.cli", "import", "national-portal"]
    return ["-m", "generator.importers", "national-portal"]


# --- what the source itself says ---------------------------------------------------------------

def is_absent(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip() or is_placeholder(value.strip())


@dataclass(slots=True)
class SourceFacts:
    records: int = 0
    missing: Counter[str] = field(default_factory=Counter)  # exact expectations
    at_least: Counter[str] = field(default_factory=Counter)  # lower bounds (parsed tables)
    agency_names: dict[str, str] = field(default_factory=dict)


EXACT = {  # contract field -> source field whose absence must show as exactly that gap
    "name": "ten_thu_tuc", "agency": "co_quan_thuc_hien", "field": "linh_vuc",
    "announcement": "so_quyet_dinh", "requirements": "yeu_cau_dieu_kien", "location": "dia_chi_tiep_nhan",
}
AT_LEAST = {
    "steps": "trinh_tu_thuc_hien", "channels": "cach_thuc_thuc_hien", "documents": "thanh_phan_ho_so",
    "result": "ket_qua_xu_ly", "legal_basis": "can_cu_phap_ly", "applicants": "doi_tuong_thuc_hien",
}


def source_facts(path: Path) -> SourceFacts:
    facts = SourceFacts()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        facts.records += 1
        for contract, source in EXACT.items():
            facts.missing[contract] += is_absent(record.get(source))
        for contract, source in AT_LEAST.items():
            facts.at_least[contract] += is_absent(record.get(source))
        levels = [p.strip().lower() for p in str(record.get("cap_thuc_hien", "")).split(",")]
        facts.missing["level"] += not any(p in LEVELS for p in levels)
        facts.missing["announcement.date"] += 1  # the portal publishes no announcement date
        name = record.get("co_quan_thuc_hien")
        if not is_absent(name):
            facts.agency_names.setdefault(agency_slug(" ".join(name.split())), " ".join(name.split()))
    return facts


# --- the temporary repository --------------------------------------------------------------------

def write_hotlines(root: Path, names: dict[str, str], today: str) -> list[str]:
    """One illustrative hotline record per agency referenced by an imported record."""
    levels: dict[str, Counter[str]] = defaultdict(Counter)
    for path in (root / "procedures").glob("*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("agency"), str):
            levels[data["agency"]][data.get("level") or "central"] += 1
    (root / "hotlines").mkdir(exist_ok=True)
    for agency, counts in sorted(levels.items()):
        name = names.get(agency, agency)[:300].strip()
        record = {
            "id": agency,
            "name": name,
            "level": counts.most_common(1)[0][0],
            "address": "Địa chỉ minh họa — dữ liệu thử nghiệm, không phải địa chỉ thật",
            "postal_address": "Như trên",
            "hotlines": [{"number": "0123 456 789",
                          "purpose": "Số minh họa cho thử nghiệm — không gọi"}],
            "email": "thu-nghiem@example.invalid",
            "website": f"https://example.invalid/{agency}",
            "updated": today,
        }
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1_000_000)
        (root / "hotlines" / f"{agency}.yaml").write_text(
            "# Hồ sơ minh họa do benchmarks/realdata.py sinh ra, không phải thông tin thật\n" + text,
            encoding="utf-8")
    return sorted(levels)


def gaps(problems: list[dict[str, Any]]) -> dict[str, int]:
    """Records missing each field (indices folded: channels[2].fees -> channels[].fees)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for p in problems:
        if p["rule"] in MISSING_RULES and p["file"].startswith("procedures/"):
            seen[_INDEX.sub("[]", p["field"])].add(p["file"])
    return {f: len(files) for f, files in seen.items()}


def directory_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# --- the proof ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Check:
    what: str
    expected: int
    actual: int
    exact: bool = True

    @property
    def ok(self) -> bool:
        return self.actual == self.expected if self.exact else self.actual >= self.expected


def prove(data: Path, work: Path, today: str, scale_build: bool = True) -> int:
    facts = source_facts(data)
    repo, site_repo = work / "repo", work / "site-repo"
    repo.mkdir(parents=True)
    imported = run(*import_command(), data, "--root", repo, "--updated", today, "--format", "json",
                   ok=(0, 1))
    report = json.loads(imported.stdout)
    agencies = write_hotlines(repo, facts.agency_names, today)

    validated = run("-m", "generator.cli", "validate", "--root", repo, "--format", "json", "--today", today,
                    ok=(0, 1))
    result = json.loads(validated.stdout)
    problems = result["problems"]
    failing = {p["file"] for p in problems if p["severity"] == "error"}
    procedure_files = sorted(p.relative_to(repo).as_posix() for p in (repo / "procedures").glob("*/*.yaml"))
    passing = [f for f in procedure_files if f not in failing]
    field_gaps = gaps(problems)

    scorecard_note = "lệnh report chưa có trong congkhai: bỏ qua"
    report_seconds = 0.0
    report_checks: list[Check] = []
    if cli_has("report"):
        scored = run("-m", "generator.cli", "report", "--root", repo, "--format", "json", "--today", today,
                     ok=(0, 1))
        report_seconds = scored.seconds
        total = json.loads(scored.stdout).get("total", {})
        scorecard_note = (f"{len(json.loads(scored.stdout).get('agencies', [])):,} cơ quan; toàn bộ: "
                          f"{total.get('complete', 0):,}/{total.get('procedures', 0):,} thủ tục đủ thông tin")
        report_checks = [
            Check("report: số thủ tục = số đã nhập", len(procedure_files), total.get("procedures", -1)),
            Check("report: số thủ tục đủ = số đạt kiểm tra", len(passing), total.get("complete", -1)),
        ]
        report_checks += [Check(f"thiếu {name}: report / kiểm tra", field_gaps.get(name, 0), count)
                          for name, count in sorted(total.get("missing", {}).items())
                          if "[]" not in name]

    build_seconds, site_files, site_bytes, search = _build(repo, site_repo, passing, today)
    scale = _scale_build(repo, work / "scale-repo", today) if scale_build else None

    imported_count = report["written"] + report["outcomes"]["unchanged"]
    checks = [
        Check("bản ghi nguồn = bản ghi đã nhập", facts.records, imported_count),
        Check("bản ghi đã kiểm tra = thủ tục + cơ quan", len(procedure_files) + len(agencies),
              result["records_checked"]),
    ]
    for name, expected in sorted(facts.missing.items()):
        checks.append(Check(f"thiếu {name}: nguồn / kiểm tra", expected, field_gaps.get(name, 0)))
    for name, expected in sorted(facts.at_least.items()):
        checks.append(Check(f"thiếu {name}: nguồn ≤ kiểm tra", expected, field_gaps.get(name, 0),
                            exact=False))
    for name, entry in sorted(report["fields"].items()):
        if "[]" not in name and "." not in name:
            checks.append(Check(f"thiếu {name}: báo cáo nhập / kiểm tra", entry["missing"],
                                field_gaps.get(name, 0)))
    checks += report_checks

    _print(facts, report, result, passing, procedure_files, field_gaps, agencies, imported, validated,
           scorecard_note, report_seconds, build_seconds, site_files, site_bytes, search, checks, scale)
    return 0 if all(c.ok for c in checks) else 1


def _build(repo: Path, site_repo: Path, passing: list[str], today: str) -> tuple[float, int, int, str]:
    (site_repo / "hotlines").mkdir(parents=True)
    needed = set()
    for rel in passing:
        target = site_repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / rel, target)
        needed.add(rel.split("/")[1])
    for agency in sorted(needed):
        hotline = repo / "hotlines" / f"{agency}.yaml"
        if hotline.is_file():
            shutil.copy2(hotline, site_repo / "hotlines" / hotline.name)
    return _build_site(site_repo, today)


def _build_site(root: Path, today: str) -> tuple[float, int, int, str]:
    out = root / "site"
    built = run("-m", "generator.cli", "build", "--root", root, "--out", out, "--today", today, ok=(0, 1))
    if built.code != 0:
        raise CommandFailed(f"congkhai build -> {built.code}\n{built.stderr[-3000:]}")
    files, size = directory_size(out)
    indexes = [p for p in (out / "search" / "search_index.json", out / "pagefind") if p.exists()]
    search = ", ".join(p.relative_to(out).as_posix() for p in indexes) or "KHÔNG có chỉ mục tìm kiếm"
    return built.seconds, files, size, search


# --- load test: the same records, gaps filled with labelled illustrative values ----------------

ILLUSTRATIVE = "Minh họa cho đo tải — dữ liệu nguồn không có thông tin này"


def fill_gaps(data: dict[str, Any], today: str) -> bool:
    """Fill the gaps the national data always has, with visibly illustrative values, so that the
    site can be built at full scale. False when the record lacks something that cannot be filled
    without inventing its substance (agency, level, steps, documents, legal basis, result)."""
    if not all(k in data for k in ("agency", "level", "steps", "documents", "legal_basis", "result",
                                   "channels", "announcement", "applicants", "field", "name")):
        return False
    data["announcement"].setdefault("date", today)
    data.setdefault("dossier_sets", 1)
    data.setdefault("location", ILLUSTRATIVE)
    data.setdefault("requirements", ILLUSTRATIVE)
    for channel in data["channels"]:
        time = channel.setdefault("processing_time", {"value": 1, "note": ILLUSTRATIVE})
        time.setdefault("unit", "working_days")
        if not time.get("value"):
            time["value"] = 1
        fees = channel.setdefault("fees", "Không")
        if isinstance(fees, list):
            for fee in fees:
                fee.setdefault("amount", 0)
        if channel["method"] == "online":
            channel.setdefault("online_level", "partial")
            channel.setdefault("url", "https://example.invalid/")
    return True


@dataclass(slots=True)
class ScaleBuild:
    filled: int
    passing: int
    seconds: float
    files: int
    size: int
    search: str


def _scale_build(repo: Path, scale_repo: Path, today: str) -> ScaleBuild:
    (scale_repo / "procedures").mkdir(parents=True)
    shutil.copytree(repo / "hotlines", scale_repo / "hotlines")
    filled = 0
    for path in sorted((repo / "procedures").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not fill_gaps(data, today):
            continue
        target = scale_repo / path.relative_to(repo)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000),
                          encoding="utf-8")
        filled += 1
    checked = run("-m", "generator.cli", "validate", "--root", scale_repo, "--format", "json",
                  "--today", today, ok=(0, 1))
    for rel in {p["file"] for p in json.loads(checked.stdout)["problems"] if p["severity"] == "error"}:
        (scale_repo / rel).unlink()
    passing = len(list((scale_repo / "procedures").glob("*/*.yaml")))
    seconds, files, size, search = _build_site(scale_repo, today)
    return ScaleBuild(filled, passing, seconds, files, size, search)


def _print(facts: SourceFacts, report: dict[str, Any], result: dict[str, Any], passing: list[str],
           procedure_files: list[str], field_gaps: dict[str, int], agencies: list[str], imported: Run,
           validated: Run, scorecard_note: str, report_seconds: float, build_seconds: float,
           site_files: int, site_bytes: int, search: str, checks: list[Check],
           scale: ScaleBuild | None) -> None:
    w = sys.stdout.write
    w("Chứng minh toàn hệ thống trên dữ liệu thật (Cổng Dịch vụ công quốc gia)\n\n")
    w(f"Bản ghi nguồn                  {facts.records:>8,}\n")
    w(f"Bản ghi đã nhập                {report['written'] + report['outcomes']['unchanged']:>8,}"
      f"   ({imported.seconds:.1f} s)\n")
    w(f"Cơ quan (hồ sơ minh họa)       {len(agencies):>8,}\n")
    w(f"Bản ghi đạt kiểm tra           {len(passing):>8,} / {len(procedure_files):,}"
      f"   (validate {validated.seconds:.1f} s; {result['errors']:,} lỗi, {result['warnings']:,} cảnh báo)\n")
    w(f"Bảng mức độ công khai          {scorecard_note}"
      + (f" ({report_seconds:.1f} s)" if report_seconds else "") + "\n")
    w(f"Xây dựng trang (chỉ hồ sơ đạt) {build_seconds:>8.1f} s; {site_files:,} tệp, "
      f"{site_bytes / 1_000_000:.1f} MB; tìm kiếm: {search}\n")
    w("  (congkhai build giữ lại hồ sơ lỗi; ở đây trang được dựng từ một kho thứ hai "
      "chỉ gồm các hồ sơ đạt)\n")
    if scale:
        w(f"Đo tải (giá trị MINH HỌA điền vào chỗ thiếu, không phải kết quả công khai): "
          f"{scale.passing:,} thủ tục (điền được {scale.filled:,}); dựng trang {scale.seconds:.1f} s; "
          f"{scale.files:,} tệp, {scale.size / 1_000_000:.1f} MB; tìm kiếm: {scale.search}\n")
    w("\n")
    w("Thiếu theo trường bắt buộc (số thủ tục):\n")
    for name, count in sorted(field_gaps.items(), key=lambda kv: (-kv[1], kv[0])):
        w(f"  {count:>6,}  {name}\n")
    w(f"\nĐọc một phần (báo cáo nhập): {report.get('records_partly_parsed', 0):,} bản ghi; "
      f"phần không đọc được giữ nguyên văn trong note.\n")
    w("\nĐối chiếu với nguồn:\n")
    for c in checks:
        sign = "=" if c.exact else "≤"
        w(f"  {'đúng' if c.ok else 'SAI '}  {c.what}: {c.expected:,} {sign} {c.actual:,}\n")
    bad = [c for c in checks if not c.ok]
    w("\nMọi con số khớp với nguồn.\n" if not bad else f"\n{len(bad)} con số KHÔNG khớp với nguồn.\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chứng minh toàn hệ thống trên dữ liệu thật.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--keep", type=Path, help="giữ kho tạm ở thư mục này (phải chưa tồn tại)")
    parser.add_argument("--today", default=DEFAULT_TODAY, help="ngày dùng cho updated và kiểm tra hạn")
    parser.add_argument("--no-scale-build", action="store_true",
                        help="bỏ bước đo tải (dựng trang với giá trị minh họa điền vào chỗ thiếu)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"Không có dữ liệu thật ở {args.data}: bỏ qua.")
        return 0
    try:
        if args.keep:
            args.keep.mkdir(parents=True)
            return prove(args.data, args.keep, args.today, not args.no_scale_build)
        with tempfile.TemporaryDirectory(prefix="congkhai-realdata-") as work:
            return prove(args.data, Path(work), args.today, not args.no_scale_build)
    except (CommandFailed, FileExistsError, json.JSONDecodeError) as exc:
        sys.stderr.write(f"realdata: {exc}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
