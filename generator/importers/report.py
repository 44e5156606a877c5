"""The import report: what was read, written and refused, and per field what is missing."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from generator.contract import schema

# Sub-fields counted besides the schema's required top-level keys: (path, parent, key).
_SUBFIELDS: tuple[tuple[str, str, str], ...] = (
    ("announcement.date", "announcement", "date"),
    ("channels[].processing_time", "channels", "processing_time"),
    ("channels[].processing_time.unit", "channels", "processing_time.unit"),
    ("channels[].fees", "channels", "fees"),
    ("channels[].fees[].amount", "channels", "fees[].amount"),
    ("channels[].url", "channels", "url"),
    ("channels[].online_level", "channels", "online_level"),
    ("documents[].name", "documents", "name"),
    ("legal_basis[].title", "legal_basis", "title"),
)
_SUB_LABELS = {
    "announcement.date": "Ngày ký quyết định công bố",
    "channels[].processing_time": "Thời hạn giải quyết",
    "channels[].processing_time.unit": "Đơn vị thời hạn",
    "channels[].fees": "Phí, lệ phí",
    "channels[].fees[].amount": "Mức thu (đồng)",
    "channels[].url": "Địa chỉ nộp trực tuyến",
    "channels[].online_level": "Mức độ trực tuyến",
    "documents[].name": "Tên giấy tờ",
    "legal_basis[].title": "Tên văn bản",
}
OUTCOME_VI = {
    "created": "ghi mới", "updated": "cập nhật", "unchanged": "không đổi",
    "refused": "từ chối ghi đè", "failed": "không ghi được",
}


def required_fields() -> list[str]:
    return list(schema("procedure")["required"])


def field_label(path: str) -> str:
    if path in _SUB_LABELS:
        return _SUB_LABELS[path]
    return str(schema("procedure")["properties"].get(path, {}).get("title", path))


def missing_fields(data: dict[str, Any]) -> list[str]:
    """Mandatory fields (and the sub-fields above) absent from one converted record."""
    missing = [key for key in required_fields() if key not in data]
    for path, parent, key in _SUBFIELDS:
        value = data.get(parent)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if any(_absent(item, key) for item in items if _applies(path, item)):
            missing.append(path)
    return missing


def _applies(path: str, item: dict[str, Any]) -> bool:
    if path in ("channels[].url", "channels[].online_level"):
        return item.get("method") == "online"
    return True


def _absent(item: dict[str, Any], key: str) -> bool:
    if key == "processing_time.unit":
        time = item.get("processing_time")
        return isinstance(time, dict) and "unit" not in time
    if key == "fees[].amount":
        fees = item.get("fees")
        return isinstance(fees, list) and any("amount" not in fee for fee in fees)
    return key not in item


@dataclass(slots=True)
class ImportReport:
    source: str
    read: int = 0
    selected: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)
    partial: Counter[str] = field(default_factory=Counter)
    partial_reasons: Counter[str] = field(default_factory=Counter)
    with_note: int = 0
    with_unparsed: int = 0
    agencies: set[str] = field(default_factory=set)
    agencies_without_hotline: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # per-file problems, Vietnamese

    def add(self, data: dict[str, Any], partial: dict[str, list[str]]) -> None:
        self.missing.update(missing_fields(data))
        self.partial.update(partial.keys())
        for key, reasons in partial.items():
            self.partial_reasons.update(f"{key}: {reason}" for reason in set(reasons))
        self.with_note += "note" in data
        self.with_unparsed += bool(partial)

    @property
    def written(self) -> int:
        return self.outcomes["created"] + self.outcomes["updated"]

    @property
    def failed(self) -> bool:
        return bool(self.outcomes["refused"] or self.outcomes["failed"] or self.skipped["dòng JSON lỗi"])

    def fields(self) -> list[str]:
        order = required_fields() + [p for p, _, _ in _SUBFIELDS]
        extra = sorted((set(self.missing) | set(self.partial)) - set(order))
        return [f for f in order + extra if self.missing[f] or self.partial[f]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "records_read": self.read,
            "records_selected": self.selected,
            "written": self.written,
            "outcomes": {key: self.outcomes[key] for key in OUTCOME_VI},
            "skipped": dict(sorted(self.skipped.items())),
            "fields": {
                f: {"label": field_label(f), "missing": self.missing[f], "partial": self.partial[f]}
                for f in self.fields()
            },
            "partial_reasons": dict(sorted(self.partial_reasons.items())),
            "records_with_note": self.with_note,
            "records_partly_parsed": self.with_unparsed,
            "agencies": len(self.agencies),
            "agencies_without_hotline": self.agencies_without_hotline,
            "messages": self.messages,
        }


def print_text(report: ImportReport, out: TextIO | None = None) -> None:
    """The report for a person; on standard output unless `out` is given (read when called)."""
    w = (out or sys.stdout).write
    w(f"Nhập dữ liệu từ Cổng Dịch vụ công quốc gia: {report.source}\n")
    w(f"Đã đọc {report.read:,} bản ghi; chọn {report.selected:,}; "
      f"đã ghi {report.written:,} ({report.outcomes['created']:,} mới, "
      f"{report.outcomes['updated']:,} cập nhật); {report.outcomes['unchanged']:,} không đổi.\n")
    if report.outcomes["refused"] or report.outcomes["failed"]:
        w(f"Từ chối ghi đè {report.outcomes['refused']:,} tệp đã sửa sau lần nhập trước; "
          f"{report.outcomes['failed']:,} tệp không ghi được.\n")
    for reason, count in sorted(report.skipped.items()):
        w(f"Bỏ qua {count:,} bản ghi: {reason}.\n")
    fields = report.fields()
    if fields:
        width = max(len(f) for f in fields)
        w("\nTrường (số bản ghi)".ljust(width + 2) + "  thiếu  đọc một phần  tên trường\n")
        for f in fields:
            w(f"{f.ljust(width)}  {report.missing[f]:>6,}  {report.partial[f]:>13,}  {field_label(f)}\n")
    w(f"\n{report.with_unparsed:,} bản ghi đọc một phần: phần không đọc được thành trường được giữ "
      f"nguyên văn trong ghi chú nhập dữ liệu (note); {report.with_note:,} bản ghi có note (kể cả "
      "thông tin nguồn không có trường tương ứng như tên cơ quan, loại thủ tục, mã kết quả).\n")
    if report.partial_reasons:
        w("Lý do đọc một phần (số bản ghi):\n")
        for reason, count in report.partial_reasons.most_common():
            w(f"  {count:>6,}  {reason}\n")
    w(f"{len(report.agencies):,} cơ quan")
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
