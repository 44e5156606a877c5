"""The import report: what was read and written, and per field how many values were parsed,
kept verbatim in the note, found disagreeing (listed for a clerk) or missing in the source."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TextIO

from generator.contract import schema_dir
from generator.importers.text import DISAGREEING, MISSING, NOTE, PARSED

OUTCOMES = (PARSED, NOTE, DISAGREEING, MISSING)
OUTCOME_VI = {PARSED: "đọc được", NOTE: "giữ trong note", DISAGREEING: "mâu thuẫn", MISSING: "thiếu"}
RECORDS, ROWS, ITEMS = "bản ghi", "dòng", "giấy tờ"
# Fields in the order of the report, with what one count is.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", RECORDS), ("levels", RECORDS), ("agency_names", RECORDS), ("implemented_by", RECORDS),
    ("competent_authority", RECORDS), ("field", RECORDS), ("announcement.decision", RECORDS),
    ("announcement.date", RECORDS), ("applicants", RECORDS), ("steps", RECORDS),
    ("channels", RECORDS), ("channels[].processing_time", ROWS), ("channels[].fees", ROWS),
    ("documents", RECORDS), ("documents[]", ITEMS), ("dossier_sets", RECORDS), ("result", RECORDS),
    ("requirements", RECORDS), ("legal_basis", RECORDS), ("legal_basis[].number", ROWS),
    ("legal_basis[].date", ROWS),
)
_SUB_LABELS = {
    "announcement.decision": "Số quyết định công bố",
    "announcement.date": "Ngày ký quyết định công bố",
    "channels[].processing_time": "Thời hạn giải quyết",
    "channels[].fees": "Phí, lệ phí",
    "documents[]": "Giấy tờ",
    "legal_basis[].number": "Số hiệu văn bản",
    "legal_basis[].date": "Ngày ban hành (lấy từ tên văn bản)",
}
OUTCOME_WRITE_VI = {
    "created": "ghi mới", "updated": "cập nhật", "unchanged": "không đổi",
    "refused": "từ chối ghi đè", "failed": "không ghi được",
}


@cache
def catalogue_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((schema_dir() / "catalogue.schema.json").read_text(encoding="utf-8"))
    return loaded


def field_label(path: str) -> str:
    if path in _SUB_LABELS:
        return _SUB_LABELS[path]
    return str(catalogue_schema()["properties"].get(path, {}).get("title", path))


@dataclass(slots=True)
class ImportReport:
    source: str
    read: int = 0
    selected: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    tally: Counter[tuple[str, str]] = field(default_factory=Counter)
    partial: Counter[str] = field(default_factory=Counter)
    partial_reasons: Counter[str] = field(default_factory=Counter)
    with_note: int = 0
    with_unparsed: int = 0
    disagreements: list[str] = field(default_factory=list)  # "code: what", for a clerk
    unmapped: Counter[str] = field(default_factory=Counter)  # agency name -> records
    agencies: set[str] = field(default_factory=set)
    agencies_without_hotline: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # per-file problems, Vietnamese

    def add(self, code: str, data: dict[str, Any], tally: Counter[tuple[str, str]],
            partial: dict[str, list[str]], disagreements: list[str], unmapped: list[str]) -> None:
        self.tally.update(tally)
        self.partial.update(partial.keys())
        for key, reasons in partial.items():
            self.partial_reasons.update(f"{key}: {reason}" for reason in set(reasons))
        self.with_note += "note" in data
        self.with_unparsed += bool(partial)
        self.disagreements += [f"{code}: {what}" for what in disagreements]
        self.unmapped.update(dict.fromkeys(unmapped, 1))
        self.agencies.update(data.get("implemented_by", {}).get("agencies", []))

    @property
    def written(self) -> int:
        return self.outcomes["created"] + self.outcomes["updated"]

    @property
    def failed(self) -> bool:
        return bool(self.outcomes["refused"] or self.outcomes["failed"] or self.skipped["dòng JSON lỗi"])

    def counts(self, path: str) -> dict[str, int]:
        return {outcome: self.tally[(path, outcome)] for outcome in OUTCOMES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "records_read": self.read,
            "records_selected": self.selected,
            "written": self.written,
            "outcomes": {key: self.outcomes[key] for key in OUTCOME_WRITE_VI},
            "skipped": dict(sorted(self.skipped.items())),
            "fields": {path: {"label": field_label(path), "unit": unit, **self.counts(path)}
                       for path, unit in FIELDS},
            "partial_reasons": dict(sorted(self.partial_reasons.items())),
            "records_with_note": self.with_note,
            "records_partly_parsed": self.with_unparsed,
            "disagreements": self.disagreements,
            "unmapped_agency_names": dict(sorted(self.unmapped.items(), key=lambda kv: (-kv[1], kv[0]))),
            "agencies": sorted(self.agencies),
            "agencies_without_hotline": self.agencies_without_hotline,
            "messages": self.messages,
        }


def print_text(report: ImportReport, out: TextIO | None = None) -> None:
    """The report for a person; on standard output unless `out` is given (read when called)."""
    w = (out or sys.stdout).write
    w(f"Nhập danh mục thủ tục từ Cổng Dịch vụ công quốc gia: {report.source}\n")
    w(f"Đã đọc {report.read:,} bản ghi; chọn {report.selected:,}; "
      f"đã ghi {report.written:,} ({report.outcomes['created']:,} mới, "
      f"{report.outcomes['updated']:,} cập nhật); {report.outcomes['unchanged']:,} không đổi.\n")
    if report.outcomes["refused"] or report.outcomes["failed"]:
        w(f"Từ chối ghi đè {report.outcomes['refused']:,} tệp đã sửa sau lần nhập trước; "
          f"{report.outcomes['failed']:,} tệp không ghi được.\n")
    for reason, count in sorted(report.skipped.items()):
        w(f"Bỏ qua {count:,} bản ghi: {reason}.\n")
    width = max(len(path) for path, _ in FIELDS)
    w("\n" + "Trường".ljust(width) + "  đơn vị  " + "".join(f"{OUTCOME_VI[o]:>15}" for o in OUTCOMES)
      + "  tên trường\n")
    for path, unit in FIELDS:
        counts = report.counts(path)
        w(f"{path.ljust(width)}  {unit:<7} " + "".join(f"{counts[o]:>15,}" for o in OUTCOMES)
          + f"  {field_label(path)}\n")
    w(f"\n{report.with_unparsed:,} bản ghi đọc một phần: phần không đọc được thành trường được giữ "
      f"nguyên văn trong ghi chú nhập dữ liệu (note); {report.with_note:,} bản ghi có note (kể cả "
      "thông tin nguồn không có trường tương ứng như loại thủ tục, mã kết quả).\n")
    if report.partial_reasons:
        w("Lý do đọc một phần (số bản ghi):\n")
        for reason, count in report.partial_reasons.most_common():
            w(f"  {count:>6,}  {reason}\n")
    if report.disagreements:
        w(f"\n{len(report.disagreements):,} giá trị mâu thuẫn, không đoán, cần cán bộ xem lại "
          "(giữ nguyên văn trong hồ sơ):\n")
        for line in report.disagreements:
            w(f"  {line}\n")
    if report.unmapped:
        w(f"\n{len(report.unmapped):,} tên cơ quan thực hiện chưa có trong bảng mã cơ quan "
          "(--agency-map), số bản ghi:\n")
        for name, count in sorted(report.unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
            w(f"  {count:>6,}  {name}\n")
    w(f"\n{len(report.agencies):,} cơ quan trong implemented_by")
    if report.agencies_without_hotline:
        names = ", ".join(report.agencies_without_hotline[:10])
        more = len(report.agencies_without_hotline) - 10
        w(f"; {len(report.agencies_without_hotline):,} chưa có hồ sơ hotlines/<mã>.yaml: {names}"
          + (f" và {more:,} cơ quan khác" if more > 0 else ""))
    w(".\n")
    for message in report.messages:
        w(f"{message}\n")


def print_json(report: ImportReport, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
