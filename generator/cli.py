"""The `congkhai` command: validate and build a disclosure portal from YAML records."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.changes import Changes, ChangesError, changes_since
from generator.check import Checked, check_repository
from generator.check import output as printers
from generator.check.corpus import Corpus
from generator.check.places import publishable
from generator.check.scorecard import as_json as report_json
from generator.check.scorecard import changes_markdown, scorecard
from generator.check.scorecard import markdown as report_markdown
from generator.check.timeliness import Settings
from generator.dossiers.cli import add_dossiers_parser, run_dossiers
from generator.dossiers.results import load_results
from generator.importers import add_import_parser, cmd_import_national_portal
from generator.load import discover
from generator.model import agency_of_path
from generator.prepare import data_date, prepare
from generator.scaffold import PLAN_KINDS, write_new
from generator.versions import read_versions

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
    validate.add_argument("--changed-since", metavar="REF",
                          help="chỉ kiểm tra hồ sơ thay đổi kể từ REF của git (ví dụ origin/main)")
    _date_options(validate)

    report = sub.add_parser("report", help="bảng đánh giá mức độ công khai theo cơ quan")
    report.add_argument("--root", type=Path, default=Path("."))
    report.add_argument("--format", choices=("markdown", "json"), default="markdown")
    report.add_argument("--changed-since", metavar="REF",
                        help="nêu các cơ quan có tệp thay đổi kể từ REF của git (tóm tắt pull request)")
    _date_options(report)

    new = sub.add_parser("new", help="tạo hồ sơ mới có đủ các trường bắt buộc để điền")
    new.add_argument("kind", choices=("procedure", *PLAN_KINDS, "agency", "catalogue", "implementation"),
                     help="catalogue: thủ tục trong danh mục của tỉnh; implementation: điểm khác "
                          "tại một cơ quan của thủ tục trong danh mục")
    new.add_argument("--agency", metavar="ID",
                     help="mã cơ quan, ví dụ so-tu-phap (mọi loại trừ catalogue)")
    new.add_argument("--code", metavar="CODE", help="mã thủ tục (1.001193) hoặc mã văn bản")
    new.add_argument("--root", type=Path, default=Path("."))

    add_import_parser(sub)
    add_dossiers_parser(sub, _iso_date)

    build = sub.add_parser("build", help="kiểm tra rồi xây dựng trang web tĩnh")
    build.add_argument("--root", type=Path, default=Path("."))
    build.add_argument("--out", type=Path, default=Path("site"),
                       help="thư mục xuất bản (mặc định: site/)")
    build.add_argument("--agency", metavar="ID", help="chỉ xây dựng trang của một cơ quan")
    build.add_argument("--build-date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                       help="ngày ghi trên dữ liệu mở (mặc định: ngày cập nhật mới nhất của các hồ sơ)")
    build.add_argument("--strict", action="store_true",
                       help="không xuất bản nếu có hồ sơ lỗi "
                            "(mặc định: giữ lại hồ sơ lỗi, xuất bản phần còn lại)")
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
                             "plans_and_policies/, hotlines/ hoặc catalogue/")
        chosen.update(matched)
    return chosen


def _check_root(root: Path) -> None:
    if not root.is_dir():
        raise UsageError(f"thư mục gốc '{root}' không tồn tại")


def cmd_validate(args: argparse.Namespace) -> int:
    _check_root(args.root)
    only = _select(args.root, args.paths)
    if args.changed_since:
        changes = _changes(args)
        changed = changes.records([rel for rel, _ in discover(args.root)[0]])
        if changed is None:
            named = ", ".join(changes.rules[:3]) + ("…" if len(changes.rules) > 3 else "")
            sys.stderr.write(f"Lược đồ, mã nguồn hoặc cấu hình của cổng thay đổi ({named}): "
                             "kiểm tra toàn bộ hồ sơ.\n")
        else:
            only = changed if only is None else only & changed
    checked = check_repository(args.root, _settings(args), only, keep_records=False)
    problems = checked.problems
    if args.format == "json":
        sys.stdout.write(printers.json_report(problems, checked.loaded))
    elif args.format == "github":
        sys.stdout.write(printers.github(problems))
    else:
        sys.stdout.write(printers.text(problems))
    failing = problems if args.strict else [p for p in problems if p.severity == "error"]
    return EXIT_PROBLEMS if failing else EXIT_OK


def _changes(args: argparse.Namespace) -> Changes:
    try:
        return changes_since(args.root, args.changed_since)
    except ChangesError as exc:
        raise UsageError(f"--changed-since {args.changed_since}: {exc}") from None


def cmd_build(args: argparse.Namespace) -> int:
    from generator.publish import PublishError, build_site, check_out  # mkdocs: only when building

    _check_root(args.root)
    try:  # before anything else: a wrong --out must not wait for validation to be refused
        check_out(args.out, args.root)
    except PublishError as exc:
        raise UsageError(str(exc)) from None
    checked = check_repository(args.root, _settings(args))
    if args.agency and args.agency not in checked.index.agencies:
        raise UsageError(f"không có cơ quan '{args.agency}' trong hotlines/")
    # The site is "as of" the build date (default: the date of the data), not the wall clock, so
    # that the same records build the same site: the date rules run again on that day (only
    # they), and a record that a passed date made invalid is held back as of then. Validation
    # (and `congkhai validate` in CI) judges deadlines against today.
    build_date = args.build_date or date.fromisoformat(data_date(_published(checked, args.agency)))
    as_of = Settings(args.today or build_date, args.review_months)
    checked = checked.as_of(as_of)
    corpus = _published(checked, args.agency)
    card = scorecard(checked, as_of.today, args.agency)
    errors = [p for p in checked.problems if p.severity == "error"
              and (not args.agency or agency_of_path(p.file) == args.agency)]
    if errors:
        sys.stderr.write(printers.text(errors))
    if checked.unplaced:
        sys.stderr.write("Không xuất bản: có thư mục hoặc tệp không đọc được như một hồ sơ (xem ở trên), "
                         "nên không biết hồ sơ nào bị thiếu; hãy sửa rồi chạy lại.\n")
        return EXIT_PROBLEMS
    if errors and args.strict:
        sys.stderr.write("Không xuất bản (--strict): hãy sửa các lỗi trên rồi chạy lại.\n")
        return EXIT_PROBLEMS
    # The dossier results (dossier_stats/, dossier_reports/) passed validation above; a
    # disagreeing report is a finding the pages publish, not an error.
    dossiers = load_results(args.root)[0]
    if args.agency:
        dossiers = {args.agency: dossiers[args.agency]} if args.agency in dossiers else {}
    try:
        prepared = prepare(corpus, dossiers, read_versions(args.root))  # the change histories from git
        build_site(prepared, args.out, scorecard=card, build_date=build_date)
    except PublishError as exc:
        sys.stderr.write(f"lỗi xuất bản: {exc}\n")
        return EXIT_PROBLEMS
    print(_build_summary(corpus, sorted({p.file for p in errors}), card.gaps, args.out))
    return EXIT_OK


def _published(checked: Checked, agency: str | None) -> Corpus:
    """What the build publishes: every valid record, or one agency's (`--agency`)."""
    corpus = publishable(checked)
    return corpus.only_agency(agency) if agency else corpus


def _build_summary(corpus: Corpus, held: list[str], gaps: int, out: Path) -> str:
    catalogue = corpus.catalogue
    places = sum(len(catalogue.places_of(code)) for code in catalogue.entries) if catalogue else 0
    listed = (f" và {len(catalogue.entries)} thủ tục trong danh mục ({places} nơi thực hiện)"
              if catalogue and catalogue.entries else "")
    lines = [f"Đã xuất bản {len(corpus.records)} hồ sơ{listed} vào {out}/."]
    if held:
        lines.append(f"Giữ lại {len(held)} hồ sơ có lỗi, không xuất bản (xem lỗi ở trên và trang "
                     f"Mức độ công khai): {', '.join(held)}")
    if gaps:
        lines.append(f"{gaps} thiếu sót công khai của các cơ quan (trang Mức độ công khai; "
                     "congkhai report để xem chi tiết).")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    _check_root(args.root)
    settings = _settings(args)
    card = scorecard(check_repository(args.root, settings), settings.today)
    changes = _changes(args) if args.changed_since else None
    if args.format == "json":
        sys.stdout.write(report_json(card, changes))
    else:
        sys.stdout.write((changes_markdown(changes, card) if changes else "") + report_markdown(card))
    return EXIT_OK


_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CODE = re.compile(r"^[0-9]\.[0-9]{6}(\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.H[0-9]{2})?$")


def cmd_new(args: argparse.Namespace) -> int:
    _check_root(args.root)
    if args.kind != "catalogue" and not (args.agency and _SLUG.fullmatch(args.agency)):
        raise UsageError(f"--agency '{args.agency or ''}' cần có: mã cơ quan chỉ gồm chữ thường "
                         "không dấu, số và gạch ngang")
    code_ok = _CODE if args.kind in ("procedure", "catalogue", "implementation") else _SLUG
    if args.kind != "agency" and not (args.code and code_ok.fullmatch(args.code)):
        raise UsageError(f"--code '{args.code or ''}' không hợp lệ cho loại {args.kind}")
    listed = (args.root / "catalogue" / f"{args.code}.yaml").is_file() if args.code else False
    if args.kind == "procedure" and listed:
        raise UsageError(f"thủ tục {args.code} đã có trong danh mục (catalogue/{args.code}.yaml): "
                         f"dùng `congkhai new implementation --agency {args.agency} --code {args.code}` "
                         "để ghi những điểm khác tại cơ quan")
    if args.kind == "implementation" and not listed:
        raise UsageError(f"chưa có catalogue/{args.code}.yaml: thủ tục ngoài danh mục thì dùng "
                         f"`congkhai new procedure --agency {args.agency} --code {args.code}`")
    try:
        path = write_new(args.root, args.kind, args.agency, args.code)
    except FileExistsError as exc:
        raise UsageError(f"{exc} đã tồn tại; hãy sửa tệp đó thay vì tạo mới") from None
    print(f"Đã tạo {path.relative_to(args.root).as_posix()}: điền các trường còn trống rồi chạy "
          "congkhai validate.")
    return EXIT_OK


COMMANDS = {"validate": cmd_validate, "build": cmd_build, "report": cmd_report, "new": cmd_new,
            "import": cmd_import_national_portal, "dossiers": run_dossiers}


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
