"""The check stage: every rule over every loaded record, problems as values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.check.rules import Index, check_identity, strip_placeholders
from generator.check.schema import check_schema
from generator.check.timeliness import Settings, check_dates
from generator.load import load_repository
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


@dataclass(slots=True)
class Checked:
    """The outcome of the check stage over a repository."""

    records: list[Record]  # every record that loaded, valid or not
    problems: list[Problem]  # sorted by file, line, column
    files: list[str]  # every record path found

    @property
    def failed_files(self) -> set[str]:
        return {p.file for p in self.problems if p.severity == "error"}

    def valid_records(self) -> list[Record]:
        failed = self.failed_files
        return [r for r in self.records if r.path not in failed]


def check_repository(root: Path, settings: Settings, only: set[str] | None = None) -> Checked:
    """Load and check the records under `root` (or only those in `only`)."""
    records, problems, files = load_repository(root, only)
    index = Index.from_paths(files)
    for found in check_all(records, index, settings).values():
        problems.extend(found)
    problems.sort(key=Problem.sort_key)
    return Checked(records, problems, files)
