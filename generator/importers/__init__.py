"""`congkhai import national-portal FILE`: the province's catalogue from the national portal's data.

Each procedure becomes `catalogue/<code>.yaml` (CATALOGUE.md). The CLI registers the command with
`add_import_parser(subparsers)`; the parsed arguments carry `func`, which runs the import and
returns the exit code: 0 done, 1 when an entry could not be written (an edited file refused
without `--force`, a write error, an unreadable input line), 2 for a usage mistake (the message
is printed in Vietnamese on stderr).

See `generator.importers.national_portal` for how each source field is mapped, and
`generator.importers.tables`, `.instruments` and `.money` for the parsers of the flattened tables.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.importers.instruments import clean_issuers
from generator.importers.national_portal import (
    CODE_PATTERN,
    AgencyMap,
    AgencyMapError,
    Conversion,
    Options,
    convert,
    text_of,
)
from generator.importers.report import ImportReport, print_json, print_text
from generator.importers.text import normalise
from generator.importers.writer import CATALOGUE, check_roundtrip, render, write_entry

__all__ = ["add_import_parser", "cmd_import_national_portal"]

EXIT_OK, EXIT_NOT_WRITTEN, EXIT_USAGE = 0, 1, 2
LEVEL_CHOICES = ("province", "commune", "central")
_PROGRESS_MIN = 200


class ImportUsageError(Exception):
    """A mistake in the command line or the input file's location: exit 2."""


def add_import_parser(subparsers: Any) -> None:
    """Register `import national-portal …` on the CLI's subparsers object."""
    parser = subparsers.add_parser("import", help="nhập danh mục thủ tục từ nguồn dữ liệu khác",
                                   description="Nhập danh mục thủ tục hành chính từ nguồn dữ liệu khác.")
    sources = parser.add_subparsers(dest="source", required=True, metavar="NGUỒN")
    national = sources.add_parser(
        "national-portal", help="tệp JSONL thủ tục lấy từ Cổng Dịch vụ công quốc gia",
        description="Chuyển mỗi dòng của tệp JSONL (một thủ tục của Cổng Dịch vụ công quốc gia) "
                    "thành một mục danh mục catalogue/<mã thủ tục>.yaml. Thông tin trống hoặc "
                    "'Không có thông tin' được để trống để bước kiểm tra báo thiếu; phần không đọc "
                    "được thành trường được giữ nguyên văn trong note.")
    national.add_argument("file", type=Path, metavar="FILE", help="tệp .jsonl, mỗi dòng một thủ tục")
    national.add_argument("--root", type=Path, default=Path("."),
                          help="thư mục gốc của kho dữ liệu (mặc định: thư mục hiện tại)")
    national.add_argument("--out", type=Path, default=None, metavar="DIR",
                          help="thư mục ghi danh mục (mặc định: thư mục gốc --root)")
    national.add_argument("--agency-map", type=Path, metavar="FILE",
                          help="tệp YAML 'tên cơ quan thực hiện: mã cơ quan' (hotlines/<mã>.yaml); "
                               "tên chưa có trong tệp được liệt kê trong báo cáo")
    national.add_argument("--level", choices=LEVEL_CHOICES, action="append",
                          help="chỉ nhập thủ tục thực hiện ở cấp này (có thể ghi nhiều lần)")
    national.add_argument("--code", nargs="+", action="extend", metavar="CODE",
                          help="chỉ nhập các mã thủ tục này")
    national.add_argument("--force", action="store_true",
                          help="ghi đè cả mục đã được sửa sau lần nhập trước")
    national.add_argument("--updated", metavar="YYYY-MM-DD",
                          help="ngày ghi vào trường updated (mặc định: hôm nay); "
                               "cùng một ngày thì hai lần nhập cho cùng một kết quả")
    national.add_argument("--format", choices=("text", "json"), default="text")
    national.set_defaults(func=cmd_import_national_portal)


def cmd_import_national_portal(args: argparse.Namespace) -> int:
    try:
        options, out, codes = _validated(args)
        lines = _read_lines(args.file)
    except ImportUsageError as exc:
        sys.stderr.write(f"congkhai import: {exc}\n")
        return EXIT_USAGE
    report = ImportReport(source=str(args.file))
    records = list(_records(lines, report))
    # Evidence from the whole file, so that an entry reads the same with or without --code.
    known = clean_issuers(normalise(text_of(source, "can_cu_phap_ly")) for _, source in records)
    options = replace(options, known_issuers=known)
    seen: set[str] = set()
    found: set[str] = set()
    progress = _Progress(len(records))
    for number, source in records:
        progress.step()
        code = str(source.get("ma_thu_tuc", "")).strip()
        if codes is not None:
            if code not in codes:
                continue
            found.add(code)
        _import_one(number, source, options, out, args.force, report, seen)
    progress.done()
    report.agencies_without_hotline = sorted(
        a for a in report.agencies if not (args.root / "hotlines" / f"{a}.yaml").is_file())
    if codes is not None:
        report.messages += [f"Không tìm thấy mã thủ tục {c} trong tệp nguồn." for c in sorted(codes - found)]
    (print_json if args.format == "json" else print_text)(report)
    return EXIT_NOT_WRITTEN if report.failed else EXIT_OK


def _import_one(number: int, source: dict[str, Any], options: Options, out: Path, force: bool,
                report: ImportReport, seen: set[str]) -> None:
    converted = convert(source, options)
    if not isinstance(converted, Conversion):
        report.skipped[converted.reason] += 1
        if converted.reason.startswith("mã"):
            report.messages.append(f"Dòng {number}: {converted.reason} '{converted.code}': bỏ qua.")
        return
    report.selected += 1
    if converted.code in seen:
        report.skipped["trùng mã thủ tục"] += 1
        report.messages.append(f"Dòng {number}: mã {converted.code} đã có ở dòng trước: bỏ qua.")
        return
    seen.add(converted.code)
    report.add(converted.code, converted.data, converted.tally, converted.partial,
               converted.disagreements, converted.unmapped)
    text = render(converted.data)
    problem = check_roundtrip(text, converted.data)
    if problem:
        report.outcomes["failed"] += 1
        report.messages.append(f"{CATALOGUE}/{converted.code}.yaml: không ghi: {problem}")
        return
    result = write_entry(out, converted.code, text, force)
    report.outcomes[result.outcome] += 1
    if result.message:
        report.messages.append(f"{result.path.as_posix()}: {result.message}")


def _validated(args: argparse.Namespace) -> tuple[Options, Path, set[str] | None]:
    codes = None
    if args.code:
        bad = [c for c in args.code if not CODE_PATTERN.match(c)]
        if bad:
            raise ImportUsageError(f"mã thủ tục '{bad[0]}' phải có dạng 1.001193 hoặc 1.001193.000.00.00.H32")
        codes = set(args.code)
    updated = args.updated or date.today().isoformat()
    try:
        date.fromisoformat(updated)
    except ValueError:
        raise ImportUsageError(f"ngày '{updated}' phải có dạng YYYY-MM-DD") from None
    if len(updated) != 10:
        raise ImportUsageError(f"ngày '{updated}' phải có dạng YYYY-MM-DD")
    agency_map = AgencyMap()
    if args.agency_map is not None:
        if not args.agency_map.is_file():
            raise ImportUsageError(f"không tìm thấy tệp bảng mã cơ quan '{args.agency_map}'")
        try:
            agency_map = AgencyMap.load(args.agency_map)
        except AgencyMapError as exc:
            raise ImportUsageError(str(exc)) from None
    out: Path = args.out if args.out is not None else args.root
    if out.exists() and not out.is_dir():
        raise ImportUsageError(f"'{out}' không phải thư mục")
    if args.root.exists() and not args.root.is_dir():
        raise ImportUsageError(f"'{args.root}' không phải thư mục")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImportUsageError(f"không tạo được thư mục '{out}': {exc.strerror or exc}") from None
    options = Options(updated=updated, levels=frozenset(args.level or ()), agency_map=agency_map)
    return options, out, codes


def _read_lines(path: Path) -> list[bytes]:
    if not path.is_file():
        raise ImportUsageError(f"không tìm thấy tệp '{path}'")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportUsageError(f"không đọc được '{path}': {exc.strerror or exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.splitlines()


def _records(lines: list[bytes], report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; bad lines are counted and reported."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        report.read += 1
        try:
            value = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.skipped["dòng JSON lỗi"] += 1
            report.messages.append(f"Dòng {number}: không đọc được JSON ({type(exc).__name__}).")
            continue
        if not isinstance(value, dict):
            report.skipped["dòng JSON lỗi"] += 1
            report.messages.append(f"Dòng {number}: không phải một đối tượng JSON.")
            continue
        yield number, value


class _Progress:
    """A one-line progress bar on stderr, only for long runs on a terminal."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.count = 0
        self.shown = -1
        self.active = total >= _PROGRESS_MIN and getattr(self.stream, "isatty", lambda: False)()

    def step(self) -> None:
        self.count += 1
        if not self.active:
            return
        percent = self.count * 100 // self.total
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            self.stream.write(f"\rĐang nhập [{bar}] {self.count:,}/{self.total:,}")
            self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
