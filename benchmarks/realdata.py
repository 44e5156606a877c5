"""Proof on real data: the national portal's procedures imported as the province's catalogue,
measured against an independent reading of the same source.

    python benchmarks/realdata.py [--data FILE] [--keep DIR] [--updated YYYY-MM-DD]

1. writes an agency map that names every agency the source lists (illustrative ids);
2. imports every record through the real command line (`congkhai import national-portal`),
   then again: the second run must change nothing;
3. validates each catalogue/<code>.yaml against schemas/catalogue.schema.json;
4. compares each entry with tests/portal_oracle.py, a second, simpler reading of its source
   record (amounts, instrument numbers, dates, levels, agencies, steps, documents), and prints
   the targets of the import, the importer's report per field and the gaps validation finds.

Exit status: 0 when every target is met and every count agrees; 1 when one is missed; 2 when a
command could not run. Without the data file it says so and exits 0, so CI can call it
unconditionally. The data file is ../shared/data/national-portal/procedures.jsonl beside the
repository, or the path in CONGKHAI_REALDATA.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

try:  # libyaml when the wheel has it
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import portal_oracle as oracle  # noqa: E402

from generator.textnorm import slugify  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("CONGKHAI_REALDATA") or
                    REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl")
DEFAULT_UPDATED = "2026-11-26"


class CommandFailed(Exception):
    pass


@dataclass(slots=True)
class Run:
    seconds: float
    stdout: str


def run(*args: str | Path, ok: Sequence[int] = (0,)) -> Run:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONGKHAI_DEBUG", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *map(str, args)], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=3600)
    if done.returncode not in ok:
        raise CommandFailed(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stderr[-2000:]}")
    return Run(time.perf_counter() - start, done.stdout)


def agency_map(records: list[dict[str, Any]]) -> dict[str, str]:
    """Every agency name the source lists -> an illustrative id (its slug)."""
    names = {name: None for r in records for name in oracle.agency_names(r.get("co_quan_thuc_hien"))}
    ids: dict[str, str] = {}
    for name in names:
        base = slugify(name, max_length=60) or "co-quan"
        ids[name] = next(f"{base}-{n}" if n else base for n in range(len(ids) + 1)
                         if (f"{base}-{n}" if n else base) not in ids.values())
    return ids


def validate(catalogue: Path) -> tuple[dict[str, dict[str, Any]], Counter[str], Counter[str]]:
    """Entries by code; how often each required key is missing (once per entry, or per row of
    a list); entries failing the schema otherwise, by path and keyword."""
    schema = json.loads((REPO / "schemas" / "catalogue.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    entries: dict[str, dict[str, Any]] = {}
    missing: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for path in sorted(catalogue.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
        entries[data["code"]] = data
        failures: set[str] = set()
        for error in validator.iter_errors(data):
            where = ".".join("[]" if isinstance(p, int) else p for p in error.instance_path)
            where = where.replace(".[]", "[]")
            kind = type(error.kind).__name__
            if kind == "Required":
                missing[f"{where}.{error.kind.property}" if where else error.kind.property] += 1
            else:
                failures.add(f"{where} ({kind})")
        other.update(failures)
    return entries, missing, other


@dataclass(frozen=True, slots=True)
class Check:
    what: str
    expected: int
    actual: int

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def prove(data: Path, work: Path, updated: str) -> int:
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = agency_map(records)
    map_file = work / "bang-ma-co-quan.yaml"
    map_file.write_text("# Minh họa cho đo kiểm: mỗi tên cơ quan một mã, không phải bảng mã thật\n"
                        + yaml.safe_dump(ids, allow_unicode=True, width=1_000_000), encoding="utf-8")
    repo = work / "repo"
    command = ["-m", "generator.cli", "import", "national-portal", data, "--root", repo,
               "--agency-map", map_file, "--updated", updated, "--format", "json"]
    first = run(*command)
    report = json.loads(first.stdout)
    second = run(*command)
    again = json.loads(second.stdout)
    started = time.perf_counter()
    entries, missing, other = validate(repo / "catalogue")
    validation_seconds = time.perf_counter() - started

    figures = oracle.Figures()
    started = time.perf_counter()
    for record in records:
        oracle.compare(record, entries.get(str(record.get("ma_thu_tuc", "")).strip()), figures)
    oracle_seconds = time.perf_counter() - started
    targets = oracle.targets(figures)

    fields = report["fields"]
    checks = [
        Check("mục danh mục đã ghi = bản ghi nguồn", len(records), report["written"]),
        Check("lần nhập thứ hai: không đổi = đã ghi", report["written"], again["outcomes"]["unchanged"]),
        Check("tên cơ quan chưa có mã (bảng mã đủ mọi tên)", 0, len(report["unmapped_agency_names"])),
        Check("phí mâu thuẫn (báo cáo) = khoản phí không ghi mức thu (kiểm tra)",
              fields["channels[].fees"]["disagreeing"], missing["channels[].fees[].amount"]),
    ]
    for path in ("channels[].processing_time", "channels[].fees"):
        checks.append(Check(f"dòng thiếu {path}: báo cáo nhập (thiếu + giữ trong note) / kiểm tra",
                            fields[path]["missing"] + fields[path]["note"], missing[path]))
    for path, counts in fields.items():
        if counts["unit"] == "bản ghi" and path in _REQUIRED:
            checks.append(Check(f"thiếu {path}: báo cáo nhập / kiểm tra",
                                len(entries) - counts["parsed"], missing[path]))
    _print(records, report, first, second, validation_seconds, oracle_seconds, figures, targets,
           missing, other, checks, len(set(ids.values())))
    return 0 if all(t.met for t in targets) and all(c.ok for c in checks) else 1


_REQUIRED = ("name", "levels", "implemented_by", "field", "applicants", "steps", "channels", "documents",
             "dossier_sets", "result", "requirements", "legal_basis", "announcement.date")


def _print(records: list[dict[str, Any]], report: dict[str, Any], first: Run, second: Run,
           validation_seconds: float, oracle_seconds: float, figures: oracle.Figures,
           targets: list[oracle.Target], missing: Counter[str], other: Counter[str], checks: list[Check],
           agencies: int) -> None:
    w = sys.stdout.write
    w("Danh mục thủ tục từ dữ liệu thật (Cổng Dịch vụ công quốc gia), "
      "đối chiếu với một cách đọc độc lập\n\n")
    w(f"Bản ghi nguồn              {len(records):>8,}   ({agencies:,} tên cơ quan trong bảng mã minh họa)\n")
    w(f"Mục danh mục đã ghi        {report['written']:>8,}   (nhập {first.seconds:.1f} s; "
      f"nhập lại {second.seconds:.1f} s: {report['written']:,} mục không đổi)\n")
    w(f"Kiểm tra theo schema       {validation_seconds:>8.1f} s; "
      f"đối chiếu độc lập {oracle_seconds:.1f} s\n\n")

    w("Mục tiêu:\n")
    for t in targets:
        value = f"{t.value:.2%}" if t.goal == 1.0 or 0 < t.goal < 1 else f"{t.value:,.0f}"
        goal = f"{t.goal:.1%}" if t.goal == 1.0 or 0 < t.goal < 1 else f"{t.goal:,.0f}"
        w(f"  {'đạt ' if t.met else 'TRƯỢT'}  {t.what}: {value} ({'≥' if t.at_least else '≤'} {goal})\n")
    w("\nSố liệu đối chiếu (dòng, mục, bản ghi):\n")
    for key, count in sorted(figures.count.items()):
        w(f"  {count:>8,}  {key}\n")
    w("\nBáo cáo nhập theo trường:\n")
    w(f"  {'trường':<28}{'đơn vị':<9}{'đọc được':>10}{'giữ trong note':>16}{'mâu thuẫn':>11}{'thiếu':>8}\n")
    for path, c in report["fields"].items():
        w(f"  {path:<28}{c['unit']:<9}{c['parsed']:>10,}{c['note']:>16,}{c['disagreeing']:>11,}"
          f"{c['missing']:>8,}\n")
    w("\nThiếu theo trường bắt buộc khi kiểm tra (số mục; [] = mỗi dòng):\n")
    for path, count in missing.most_common():
        w(f"  {count:>8,}  {path}\n")
    if other:
        w("Lỗi khác khi kiểm tra (số mục):\n")
        for what, count in other.most_common():
            w(f"  {count:>8,}  {what}\n")
    w("\nĐối chiếu số liệu:\n")
    for c in checks:
        w(f"  {'đúng' if c.ok else 'SAI '}  {c.what}: {c.expected:,} / {c.actual:,}\n")
    missed = [t for t in targets if not t.met]
    if missed:
        w("\nVí dụ chỗ trượt mục tiêu:\n")
        for key, examples in sorted(figures.examples.items()):
            w(f"  {key}: {'; '.join(examples)}\n")
    bad = len(missed) + sum(not c.ok for c in checks)
    w("\nMọi mục tiêu đạt, mọi con số khớp.\n" if not bad else f"\n{bad} mục tiêu hoặc con số KHÔNG đạt.\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chứng minh trên dữ liệu thật: danh mục thủ tục.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--keep", type=Path, help="giữ kho tạm ở thư mục này (phải chưa tồn tại)")
    parser.add_argument("--updated", default=DEFAULT_UPDATED, help="ngày ghi vào updated")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"Không có dữ liệu thật ở {args.data}: bỏ qua.")
        return 0
    try:
        if args.keep:
            args.keep.mkdir(parents=True)
            return prove(args.data, args.keep, args.updated)
        with tempfile.TemporaryDirectory(prefix="congkhai-realdata-") as work:
            return prove(args.data, Path(work), args.updated)
    except (CommandFailed, FileExistsError, json.JSONDecodeError) as exc:
        sys.stderr.write(f"realdata: {exc}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
