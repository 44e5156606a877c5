"""Open data of the dossier results: the figures of every agency and month as JSON (with its
schema) and CSV, and per procedure as CSV; render/exports.py writes them beside the others.

The same figures as the pages, as numbers: counts are integers; in JSON a rate is a share (0 to 1,
four decimals) and the gap a difference of shares; in CSV both are percentages with one decimal
and a decimal point. A dossier is named only by the short hash of its code (`examples`).
CSV files follow tables.py: UTF-8 with a byte order mark, CRLF, Vietnamese headers, and a text
cell that a spreadsheet would read as a formula starts with an apostrophe (numbers are ours, and a
negative gap stays a number).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from generator.dossiers import spec
from generator.dossiers.results import Figures, MonthResult
from generator.labels import DOSSIER_COLUMNS, DOSSIER_FIGURES
from generator.prepare.dossiers import FIGURES, AgencyDossiers, judged
from generator.render.tables import neutralise

NAME = "dossier_results"
JSON, SCHEMA = f"api/{NAME}.json", f"api/{NAME}.schema.json"
CSV, PROCEDURES_CSV = f"api/{NAME}.csv", f"api/{NAME}_procedures.csv"
TITLE = "Kết quả giải quyết hồ sơ theo cơ quan và tháng"
PROCEDURES_TITLE = "Kết quả giải quyết hồ sơ theo thủ tục và tháng"
# For the "Dữ liệu mở" page, beside tables.RULES.
RULE = ("Kết quả giải quyết hồ sơ: số hồ sơ là số nguyên; tỷ lệ đúng hạn và chênh lệch (tỷ lệ cơ quan "
        "báo cáo trừ tỷ lệ tính lại) ghi bằng phần trăm, một chữ số thập phân sau dấu chấm, chênh lệch "
        "có thể âm; ô trống là tháng không có số liệu đó; hồ sơ ví dụ chỉ ghi mã băm của mã hồ sơ.")
Cell = str | int | float | None


# --- values --------------------------------------------------------------------------------


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _figures(figures: Figures | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
    if figures is None:
        return None
    return {**{key: getattr(figures, key) for key in keys}, "on_time_rate": _share(figures.on_time_rate)}


def _procedures(view: AgencyDossiers) -> dict[str, str]:
    """Each procedure's name on the portal (only those it publishes)."""
    return {row.code: row.title for row in view.procedures if row.view is not None}


def record(view: AgencyDossiers, month: MonthResult, page_url: str) -> dict[str, Any]:
    """One agency's month, as the JSON publishes it."""
    names = _procedures(view)
    return {
        "agency": view.agency,
        "agency_name": view.name,
        "month": month.month,
        "page_url": page_url,
        "as_of": month.as_of or None,
        "note": month.note or None,
        "recomputed": _figures(month.recomputed, FIGURES),
        "reported": _figures(month.reported, spec.REPORTED),
        "gap": _share(month.gap),
        "findings": dict(month.findings),
        "examples": dict(month.examples),
        "mismatches": [{"figure": m.figure, "reported": m.reported, "recomputed": m.recomputed}
                       for m in month.mismatches],
        "procedures": [
            {"code": code, "name": names.get(code), **(_figures(figures, FIGURES) or {}),
             "findings": dict(month.procedure_findings.get(code, {}))}
            for code, figures in sorted(month.procedures.items())
        ],
    }


def rules() -> list[dict[str, Any]]:
    """What each rule id means, why it matters and what it cites."""
    return [{"id": r.id, "title": r.title, "why": r.why, "legal": r.legal.cite() if r.legal else None}
            for r in spec.rules().values()]


# --- CSV -----------------------------------------------------------------------------------

Row = tuple[AgencyDossiers, MonthResult, str]  # the agency, its month, its page's URL
Getter = Callable[[AgencyDossiers, MonthResult, str], Cell]


def _figure(key: str, reported: bool = False) -> Getter:
    def get(_: AgencyDossiers, month: MonthResult, __: str) -> Cell:
        figures = month.reported if reported else month.recomputed
        return getattr(figures, key) if figures is not None else None

    return get


def _rate(reported: bool) -> Getter:
    def get(_: AgencyDossiers, month: MonthResult, __: str) -> Cell:
        figures = month.reported if reported else month.recomputed
        return _percent(figures.on_time_rate) if figures is not None else None

    return get


def _finding(rule: str) -> Getter:
    def get(_: AgencyDossiers, month: MonthResult, __: str) -> Cell:
        return month.findings.get(rule, 0) if judged(month, rule) else None

    return get


def _examples(_: AgencyDossiers, month: MonthResult, __: str) -> Cell:
    return " | ".join(f"{rule}: {digest}" for rule, digest in month.examples.items())


def _rule_header(rule: spec.Rule) -> str:
    return f"{rule.title} ({rule.id})"


_REPORTED_HEADER = DOSSIER_COLUMNS["reported"]
COLUMNS: list[tuple[str, Getter]] = [
    (DOSSIER_COLUMNS["agency_id"], lambda v, _, __: v.agency),
    (DOSSIER_COLUMNS["agency"], lambda v, _, __: v.name),
    (DOSSIER_COLUMNS["month"], lambda _, m, __: m.month),
    *[(DOSSIER_FIGURES[key], _figure(key)) for key in FIGURES],
    (f"{DOSSIER_COLUMNS['rate']} (%)", _rate(False)),
    *[(f"{_REPORTED_HEADER} – {DOSSIER_FIGURES[key].lower()}", _figure(key, True)) for key in spec.REPORTED],
    (f"{DOSSIER_COLUMNS['reported_rate']} (%)", _rate(True)),
    (DOSSIER_COLUMNS["gap"], lambda _, m, __: _percent(m.gap)),
    *[(_rule_header(rule), _finding(rule.id)) for rule in spec.rules().values()],
    (DOSSIER_COLUMNS["examples"], _examples),
    (DOSSIER_COLUMNS["as_of"], lambda _, m, __: m.as_of),
    (DOSSIER_COLUMNS["note"], lambda _, m, __: m.note),
    (DOSSIER_COLUMNS["page"], lambda _, __, url: url),
]
PROCEDURE_COLUMNS: list[str] = [
    DOSSIER_COLUMNS["agency_id"], DOSSIER_COLUMNS["agency"], DOSSIER_COLUMNS["month"],
    DOSSIER_COLUMNS["procedure_code"], DOSSIER_COLUMNS["procedure"],
    *[DOSSIER_FIGURES[key] for key in FIGURES], f"{DOSSIER_COLUMNS['rate']} (%)",
    *[_rule_header(rule) for rule in spec.rules().values() if rule.id != "DS-REPORT-MISMATCH"],
    DOSSIER_COLUMNS["page"],
]


def headers() -> list[str]:
    return [header for header, _ in COLUMNS]


def _cell(value: Cell) -> str:
    """Text neutralised against formulas; numbers (ours) as they are; None empty."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else str(value)


def _writer(stream: TextIO, header: list[str]) -> Any:
    stream.write("\ufeff")  # the byte order mark, as tables.csv_writer writes it
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    return writer


def write_csv(stream: TextIO, rows: Iterator[Row]) -> None:
    writer = _writer(stream, headers())
    for view, month, url in rows:
        writer.writerow(_cell(get(view, month, url)) for _, get in COLUMNS)


def write_procedures_csv(stream: TextIO, rows: Iterator[Row]) -> None:
    writer = _writer(stream, PROCEDURE_COLUMNS)
    rules_ = [rule.id for rule in spec.rules().values() if rule.id != "DS-REPORT-MISMATCH"]
    for view, month, url in rows:
        names = _procedures(view)
        for code, figures in sorted(month.procedures.items()):
            found = month.procedure_findings.get(code, {})
            cells: list[Cell] = [view.agency, view.name, month.month, code, names.get(code),
                                 *[getattr(figures, key) for key in FIGURES], _percent(figures.on_time_rate),
                                 *[found.get(rule, 0) for rule in rules_], url]
            writer.writerow(map(_cell, cells))


# --- the JSON schema -----------------------------------------------------------------------


def schema(schema_id: str, draft: str, version: str) -> dict[str, Any]:
    """api/dossier_results.json: its records one agency-month each."""
    count = {"type": "integer", "minimum": 0}
    share = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    rule_id = {"type": "string", "pattern": "^DS-[A-Z]+(-[A-Z]+)*$"}
    findings = {"type": "object", "propertyNames": rule_id, "additionalProperties": count}

    def figures(keys: tuple[str, ...], title: str) -> dict[str, Any]:
        return {"title": title, "type": ["object", "null"], "additionalProperties": False,
                "required": [*keys, "on_time_rate"],
                "properties": {**{k: {"title": DOSSIER_FIGURES[k], **count} for k in keys},
                               "on_time_rate": {"title": DOSSIER_COLUMNS["rate"], **share}}}

    procedure = {
        "type": "object", "additionalProperties": False,
        "required": ["code", "name", *FIGURES, "on_time_rate", "findings"],
        "properties": {"code": {"type": "string", "minLength": 1},
                       "name": {"type": ["string", "null"]},
                       **{k: {"title": DOSSIER_FIGURES[k], **count} for k in FIGURES},
                       "on_time_rate": share, "findings": findings},
    }
    month = {
        "type": "object", "additionalProperties": False,
        "required": ["agency", "agency_name", "month", "page_url", "as_of", "note", "recomputed", "reported",
                     "gap", "findings", "examples", "mismatches", "procedures"],
        "properties": {
            "agency": {"title": DOSSIER_COLUMNS["agency_id"], "type": "string", "minLength": 1},
            "agency_name": {"title": DOSSIER_COLUMNS["agency"], "type": "string"},
            "month": {"title": DOSSIER_COLUMNS["month"], "type": "string",
                      "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
            "page_url": {"type": "string", "format": "uri", "pattern": "^https?://"},
            "as_of": {"title": DOSSIER_COLUMNS["as_of"], "type": ["string", "null"]},
            "note": {"title": DOSSIER_COLUMNS["note"], "type": ["string", "null"]},
            "recomputed": figures(FIGURES, "Tính lại từ hồ sơ"),
            "reported": figures(spec.REPORTED, "Cơ quan báo cáo"),
            "gap": {"title": "Tỷ lệ cơ quan báo cáo trừ tỷ lệ tính lại", "type": ["number", "null"],
                    "minimum": -1, "maximum": 1},
            "findings": findings,
            "examples": {"title": DOSSIER_COLUMNS["examples"], "type": "object", "propertyNames": rule_id,
                         "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{6,64}$"}},
            "mismatches": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["figure", "reported", "recomputed"],
                "properties": {"figure": {"enum": list(spec.REPORTED)}, "reported": count,
                               "recomputed": count}}},
            "procedures": {"type": "array", "items": procedure},
        },
    }
    return {
        "$schema": draft,
        "$id": schema_id,
        "title": TITLE,
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "build_date", "type", "count", "rules", "records"],
        "properties": {
            "schema_version": {"const": version},
            "build_date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "type": {"const": NAME},
            "count": count,
            "rules": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["id", "title", "why", "legal"],
                "properties": {"id": rule_id, "title": {"type": "string"}, "why": {"type": "string"},
                               "legal": {"type": ["string", "null"]}}}},
            "records": {"type": "array", "items": month},
        },
    }
