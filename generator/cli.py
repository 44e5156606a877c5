"""The `congkhai` command: validate and build a disclosure portal from YAML records."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.check import check_all
from generator.check import output as printers
from generator.check.rules import Index
from generator.check.timeliness import Settings
from generator.load import discover, load_repository
from generator.model import Corpus, Problem, Record

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class UsageError(Exception):
    """A command-line mistake: exit 2 with the message."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="congkhai",
        description="Kiểm tra hồ sơ công khai và xây dựng cổng thông tin tĩnh.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    validate = sub.add_parser("validate", help="kiểm tra hồ sơ YAML")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="tệp hoặc thư mục cần kiểm tra (mặc định: mọi hồ sơ)")
    validate.add_argument("--root", type=Path, default=Path("."),
                          help="thư mục gốc của kho dữ liệu (mặc định: thư mục hiện tại)")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")
    validate.add_argument("--strict", action="store_true", help="cảnh báo cũng làm lệnh thất bại")
    _date_options(validate)

    build = sub.add_parser("build", help="kiểm tra rồi xây dựng trang web tĩnh")
    build.add_argument("--root", type=Path, default=Path("."))
    build.add_argument("--out", type=Path, default=Path("site"),
                       help="thư mục xuất bản (mặc định: site/)")
    build.add_argument("--agency", metavar="ID", help="chỉ xây dựng trang của một cơ quan")
    _date_options(build)
    return parser


def _date_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="ngày dùng để tính thời hạn (mặc định: hôm nay); giúp kết quả lặp lại được")
    parser.add_argument("--review-months", type=int, default=None, metavar="N",
                        help="số tháng tối đa giữa hai lần rà soát hồ sơ (mặc định 12)")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' phải có dạng YYYY-MM-DD") from None


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(today=args.today or date.today(), review_months=args.review_months)


def _select(root: Path, paths: Sequence[str]) -> set[str] | None:
    """Relative record paths named on the command line (files or folders), or None for all."""
    if not paths:
        return None
    files, _ = discover(root)
    known = [rel for rel, _ in files]
    chosen: set[str] = set()
    resolved_root = root.resolve()
    for given in paths:
        target = Path(given).resolve()
        if not target.exists():
            raise UsageError(f"không tìm thấy '{given}'")
        if not target.is_relative_to(resolved_root):
            raise UsageError(f"'{given}' không nằm trong thư mục gốc {root}")
        rel = target.relative_to(resolved_root).as_posix()
        matched = [k for k in known if k == rel or rel in ("", ".") or k.startswith(rel + "/")]
        if not matched:
            raise UsageError(f"'{given}' không phải hồ sơ trong procedures/, "
                             "plans_and_policies/ hoặc hotlines/")
        chosen.update(matched)
    return chosen


def run_checks(root: Path, settings: Settings, only: set[str] | None = None
               ) -> tuple[list[Record], list[Problem]]:
    """Load and check; returns the records and every problem, sorted by file and line."""
    if not root.is_dir():
        raise UsageError(f"thư mục gốc '{root}' không tồn tại")
    records, problems = load_repository(root, only)
    index = Index.from_paths([rel for rel, _ in discover(root)[0]])
    for found in check_all(records, index, settings).values():
        problems.extend(found)
    problems.sort(key=Problem.sort_key)
    return records, problems


def cmd_validate(args: argparse.Namespace) -> int:
    records, problems = run_checks(args.root, _settings(args), _select(args.root, args.paths))
    if args.format == "json":
        sys.stdout.write(printers.json_report(problems, len(records)))
    elif args.format == "github":
        sys.stdout.write(printers.github(problems))
    else:
        sys.stdout.write(printers.text(problems))
    failing = problems if args.strict else [p for p in problems if p.severity == "error"]
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.publish import PublishError, build_site  # mkdocs is heavy: only when building

    records, problems = run_checks(args.root, _settings(args))
    if any(p.severity == "error" for p in problems):
        sys.stderr.write(printers.text(problems))
        sys.stderr.write("Không xuất bản: hãy sửa các lỗi trên rồi chạy lại.\n")
        return EXIT_PROBLEMS
    corpus = Corpus(records)
    if args.agency:
        if args.agency not in corpus.agencies:
            raise UsageError(f"không có cơ quan '{args.agency}' trong hotlines/")
        corpus = corpus.only_agency(args.agency)
    try:
        build_site(corpus, args.out)
    except PublishError as exc:
        sys.stderr.write(f"lỗi xuất bản: {exc}\n")
        return EXIT_PROBLEMS
    print(f"Đã xuất bản {len(corpus.records)} hồ sơ vào {args.out}/")
    return EXIT_OK


COMMANDS = {"validate": cmd_validate, "build": cmd_build}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        sys.stderr.write(f"congkhai: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug must not show a clerk a traceback; CONGKHAI_DEBUG shows it
        if os.environ.get("CONGKHAI_DEBUG"):
            raise
        sys.stderr.write(f"congkhai: lỗi nội bộ ({type(exc).__name__}: {exc}); "
                         "chạy lại với CONGKHAI_DEBUG=1 để xem chi tiết\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
