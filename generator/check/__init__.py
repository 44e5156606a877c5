"""The check stage: every rule over every loaded record, problems as values."""

from __future__ import annotations

from generator.check.rules import Index, check_identity, strip_placeholders
from generator.check.schema import check_schema
from generator.check.timeliness import Settings, check_dates
from generator.model import Problem, Record


def check_record(record: Record, index: Index, settings: Settings) -> list[Problem]:
    data, problems = strip_placeholders(record)
    masked = {p.field for p in problems if p.rule == "CK-PLACEHOLDER"}
    for problem in check_schema(record, data):
        # A removed placeholder is already reported; its "missing" echo is not news.
        if problem.rule == "CK-REQ" and _masked(problem.field, masked):
            continue
        problems.append(problem)
    problems.extend(check_identity(record, data, index))
    problems.extend(check_dates(record, data, settings))
    return problems


def _masked(field: str, masked: set[str]) -> bool:
    return field in masked or any(m.startswith(f"{field}[") for m in masked)


def check_all(records: list[Record], index: Index, settings: Settings) -> dict[str, list[Problem]]:
    """Problems per record path (an empty list for a clean record)."""
    return {record.path: check_record(record, index, settings) for record in records}
