"""`congkhai dossiers check|import FILE...`: dossier exports checked, and their month aggregates
written into the repository.

Exit codes: 0 nothing to report (import: written), 1 findings (check only), 2 unusable input
(a refused file, a located error in a row, or a usage mistake); import then writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 70
HEADER = ("# Kết quả giải quyết hồ sơ tính lại bởi `congkhai dossiers import` từ tệp xuất của phần "
          "mềm một cửa.\n# Chỉ có số đếm, không có dữ liệu cá nhân; không sửa tay: nhập lại tệp xuất "
          "để cập nhật.\n")


def add_dossiers_parser(subparsers: Any, iso_date: Callable[[str], date]) -> None:
    """Register `dossiers check` and `dossiers import` on the CLI's subparsers object."""
    parser = subparsers.add_parser(
        "dossiers", help="kiểm tra tệp xuất hồ sơ của phần mềm một cửa và tổng hợp kết quả",
        description="Tính lại kết quả giải quyết hồ sơ từ tệp xuất CSV của phần mềm một cửa "
                    "và tìm dấu hiệu hợp thức hóa tỷ lệ đúng hạn.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="VIỆC")
    check = actions.add_parser("check", help="kiểm tra tệp xuất, in các dấu hiệu và số liệu tháng")
    imported = actions.add_parser("import", help="ghi số liệu tháng vào dossier_stats/ (không chép tệp xuất)")
    for sub in (check, imported):
        sub.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="tệp CSV xuất từ phần mềm một cửa")
        sub.add_argument("--root", type=Path, default=Path("."),
                         help="thư mục gốc của kho dữ liệu (mặc định: thư mục hiện tại)")
        sub.add_argument("--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD",
                         help="ngày xét hồ sơ đang giải quyết (mặc định: thời điểm mới nhất trong tệp)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.set_defaults(func=cmd_check)
    imported.add_argument("--note", metavar="TEXT",
                          help="ghi chú kèm số liệu, ví dụ 'Số liệu minh họa từ tệp xuất giả lập'")
    imported.set_defaults(func=cmd_import)


def run_dossiers(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        sys.stderr.write(f"congkhai: thư mục gốc '{args.root}' không tồn tại\n")
        return EXIT_UNUSABLE
    try:
        code: int = args.func(args)
        return code
    except (Exception, KeyboardInterrupt, SystemExit):
        raise  # the CLI's main() says what these are
    except BaseException as exc:  # a panic inside Polars (Rust) is not an Exception
        if os.environ.get("CONGKHAI_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        sys.stderr.write(f"congkhai: lỗi nội bộ của thư viện Polars ({type(exc).__name__}: {first}); "
                         "chạy lại với CONGKHAI_DEBUG=1 để xem chi tiết\n")
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> tuple[Any, dict[str, Any], list[Any]]:
    """Check every file (Polars is loaded only for these commands)."""
    from generator.dossiers.aggregate import stats
    from generator.dossiers.engine import check_files
    from generator.dossiers.results import compare_reports
    from generator.dossiers.times import ProcessingTimes

    outcome = check_files([(path, str(path)) for path in args.files], ProcessingTimes(args.root), args.as_of)
    figures = stats(outcome.judged)
    return outcome, figures, compare_reports(args.root, figures)


def cmd_check(args: argparse.Namespace) -> int:
    from generator.dossiers.output import PRINTERS

    outcome, figures, mismatches = _run(args)
    problems = outcome.problems + mismatches
    sys.stdout.write(PRINTERS[args.format](problems, outcome.counts, figures, outcome.as_of))
    if outcome.has_errors:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if any(p.severity == "finding" for p in problems) else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from generator.dossiers.aggregate import month_documents
    from generator.dossiers.output import summary, text

    outcome, _, mismatches = _run(args)
    if outcome.has_errors:
        errors = [p for p in outcome.problems if p.severity != "finding"]
        sys.stdout.write(text(errors, outcome.counts, {}, outcome.as_of))
        sys.stdout.write("Không ghi số liệu nào: hãy sửa các lỗi trên rồi nhập lại.\n")
        return EXIT_UNUSABLE
    if outcome.as_of is None or outcome.judged.height == 0:
        print("Tệp không có hồ sơ nào: không có số liệu để ghi.")
        return EXIT_OK
    documents = month_documents(outcome.judged, outcome.as_of, args.note)
    for (agency, month), document in sorted(documents.items()):
        rel = f"dossier_stats/{agency}/{month}.yaml"
        write_stats(args.root / rel, document)
        found = sum(document.get("findings", {}).values())
        print(f"Đã ghi {rel}: {document['received']} hồ sơ, {found} dấu hiệu.")
    for problem in mismatches:
        print(f"{problem.file}:{problem.line}: {problem.message} [{problem.rule}]")
    sys.stdout.write("\n".join(summary(outcome.problems + mismatches, outcome.counts, outcome.as_of)) + "\n")
    return EXIT_OK


def write_stats(path: Path, document: dict[str, Any]) -> None:
    """Write one month's aggregates after checking them against their schema; all or nothing."""
    import yaml
    from jsonschema.exceptions import ValidationError

    from generator.check.schema import validator

    error = next(iter(validator("dossier_stats").iter_errors(document)), None)
    if error is not None:  # the aggregates are ours: a failure here is a bug, not bad input
        raise ValidationError(f"dossier_stats {path.name}: {error.message}")
    body = HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
