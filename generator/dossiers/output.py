"""One printer per output format for the outcome of `congkhai dossiers check`."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from generator.check.output import _escape_data, _escape_property
from generator.dossiers import spec
from generator.dossiers.problems import Counts, DossierProblem

_SEVERITY_VI = {"finding": "dấu hiệu", "error": "lỗi", "warning": "cảnh báo"}
Stats = dict[str, dict[str, dict[str, Any]]]


def _citation(p: DossierProblem) -> str:
    return f" — {p.legal.cite()}" if p.legal else ""


def _line(p: DossierProblem) -> str:
    code = f"{p.dossier_code}: " if p.dossier_code else ""
    return f"{p.file}:{p.line}: {_SEVERITY_VI[p.severity]}: {code}{p.message} [{p.rule}]{_citation(p)}"


def text(problems: list[DossierProblem], counts: Counts, stats: Stats, as_of: datetime | None) -> str:
    lines = [_line(p) for p in problems]
    lines += _table(stats)
    lines += summary(problems, counts, as_of)
    return "\n".join(lines) + "\n"


def _rate(figures: dict[str, Any]) -> str:
    known = figures["resolved_on_time"] + figures["resolved_late"] + figures["pending_overdue"]
    return f"{100 * figures['resolved_on_time'] / known:.1f}%" if known else "—"


def _table(stats: Stats) -> list[str]:
    if not stats:
        return []
    out = ["", "Cơ quan | tháng | tiếp nhận | đúng hạn | trễ hạn | đang trong hạn | quá hạn | rút | "
           "tỷ lệ đúng hạn tính lại"]
    for agency, months in sorted(stats.items()):
        for month, f in sorted(months.items()):
            out.append(f"{agency} | {month} | {f['received']} | {f['resolved_on_time']} | "
                       f"{f['resolved_late']} | {f['pending_on_time']} | {f['pending_overdue']} | "
                       f"{f['withdrawn']} | {_rate(f)}")
    return [*out, ""]


def summary(problems: list[DossierProblem], counts: Counts, as_of: datetime | None) -> list[str]:
    findings = [p for p in problems if p.severity == "finding"]
    errors = [p for p in problems if p.severity == "error"]
    out = [f"Đã đọc {counts.rows} dòng trong {counts.files} tệp: {counts.checked} hồ sơ được kiểm tra, "
           f"{counts.errors} dòng lỗi không dùng được, {counts.blank} dòng trống."]
    if counts.files_refused:
        out.append(f"Tệp bị từ chối, không đọc dòng nào: {', '.join(counts.files_refused)}.")
    if as_of is not None:
        out.append(f"Hồ sơ đang giải quyết được xét tại thời điểm {as_of:%H:%M %d/%m/%Y}.")
    if findings:
        by_rule = Counter(p.rule for p in findings)
        dossiers = len({(p.file, p.line) for p in findings if p.dossier_code})
        out.append(f"{len(findings)} dấu hiệu ở {dossiers} hồ sơ: "
                   + ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())) + ".")
    if errors:
        out.append(f"{len(errors)} lỗi: hãy sửa tệp xuất rồi chạy lại.")
    if not findings and not errors:
        out.append("Không có dấu hiệu bất thường.")
    return out


def _entry(p: DossierProblem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "dossier_code": p.dossier_code, "rule": p.rule,
            "message": p.message}


def json_report(problems: list[DossierProblem], counts: Counts, stats: Stats,
                as_of: datetime | None) -> str:
    by = {s: [_entry(p) for p in problems if p.severity == s] for s in ("finding", "error", "warning")}
    doc = {
        "findings": by["finding"],
        "errors": by["error"],
        "warnings": by["warning"],
        "stats": stats,
        "counts": {"files": counts.files, "rows": counts.rows, "checked": counts.checked,
                   "errors": counts.errors, "blank": counts.blank,
                   "files_refused": counts.files_refused},
        "as_of": as_of.isoformat(timespec="seconds") if as_of else None,
        "rules": {**{rid: r.title for rid, r in spec.rules().items()}, **spec.error_titles()},
    }
    # Compact: a province's year can hold 100,000 findings, and the C encoder only works unindented.
    return json.dumps(doc, ensure_ascii=False) + "\n"


def github(problems: list[DossierProblem], counts: Counts, stats: Stats, as_of: datetime | None) -> str:
    """GitHub Actions workflow commands: one annotation on the line of each problem."""
    out = []
    for p in problems:
        command = "warning" if p.severity == "warning" else "error"
        title = _escape_property(f"{p.rule} {p.dossier_code}".strip())
        body = _escape_data(f"{p.message}{_citation(p)}")
        out.append(f"::{command} file={_escape_property(p.file)},line={p.line},title={title}::{body}")
    out += summary(problems, counts, as_of)
    return "\n".join(out) + "\n"


PRINTERS = {"text": text, "json": json_report, "github": github}
