"""One printer per output format for a list of problems."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from generator.check.problem import SEVERITIES
from generator.labels import SEVERITIES as _SEVERITY_VI
from generator.model import Problem

# GitHub annotations: only errors fail a pull request; a gap is the agency's, shown beside the
# line, like a warning.
_GITHUB = {"error": "error", "gap": "warning", "warning": "warning"}


def _where(p: Problem) -> str:
    if not p.field:
        return ""
    return f"{p.field} ({p.label}): " if p.label else f"{p.field}: "


def _citation(p: Problem) -> str:
    return f" — {p.legal.cite()}" if p.legal else ""


def text(problems: Sequence[Problem]) -> str:
    lines = [
        f"{p.file}:{p.line}:{p.column}: {_SEVERITY_VI[p.severity]}: {_where(p)}{p.message} "
        f"[{p.rule}]{_citation(p)}"
        for p in problems
    ]
    lines.append(summary(problems))
    return "\n".join(lines) + "\n"


def counts(problems: Sequence[Problem]) -> dict[str, int]:
    """How many problems of each severity."""
    return {severity: sum(p.severity == severity for p in problems) for severity in SEVERITIES}


def summary(problems: Sequence[Problem]) -> str:
    if not problems:
        return "Không có lỗi: mọi hồ sơ đủ thông tin bắt buộc."
    n = counts(problems)
    files = len({p.file for p in problems})
    return (f"{n['error']} lỗi, {n['gap']} thiếu sót công khai, {n['warning']} cảnh báo "
            f"trong {files} tệp.")


def as_dict(p: Problem) -> dict[str, object]:
    legal = None
    if p.legal:
        legal = {
            "id": p.legal.id,
            "kind": p.legal.kind,
            "instrument": p.legal.instrument,
            "article": p.legal.article,
            "description": p.legal.description,
            "confidence": p.legal.confidence,
            "from": _iso(p.legal.valid_from),
            "until": _iso(p.legal.valid_until),
            "also": [{"id": a.id, "confidence": a.confidence} for a in p.legal.also],
            "citation": p.legal.cite(),
        }
    return {
        "file": p.file, "line": p.line, "column": p.column, "field": p.field,
        "label": p.label, "severity": p.severity, "rule": p.rule, "message": p.message,
        "legal": legal,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def json_report(problems: Sequence[Problem], records_checked: int) -> str:
    n = counts(problems)
    doc = {
        "records_checked": records_checked,
        "errors": n["error"],
        "gaps": n["gap"],
        "warnings": n["warning"],
        "problems": [as_dict(p) for p in problems],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation on the line of each problem."""
    out = []
    for p in problems:
        command = _GITHUB[p.severity]
        prefix = f"{_SEVERITY_VI[p.severity]}: " if p.severity == "gap" else ""
        title = _escape_property(f"{prefix}{p.rule} {p.field}".strip())
        body = _escape_data(f"{_where(p)}{p.message}{_citation(p)}")
        out.append(f"::{command} file={_escape_property(p.file)},line={p.line},col={p.column},"
                   f"title={title}::{body}")
    out.append(summary(problems))
    return "\n".join(out) + "\n"
