"""The one constructor of a located Problem, shared by every rule of the check stage."""

from __future__ import annotations

from generator import legal
from generator.model import Path, Problem, Record, Severity, field_path

SEVERITIES: tuple[Severity, ...] = ("error", "gap", "warning")


def severity(value: str) -> Severity:
    """A severity named in a rule data file ("error", "gap" or "warning")."""
    for known in SEVERITIES:
        if value == known:
            return known
    raise ValueError(f"unknown severity {value!r}")


def problem(record: Record, path: Path, message: str, rule: str, *, legal_id: str | None = None,
            label: str = "", severity: Severity = "error", located: Path | None = None) -> Problem:
    """A problem of the value at `path` of `record`, shown at the line of `located` (default:
    `path`, or its nearest ancestor that has a position), citing the registry entry `legal_id`."""
    line, column = record.position(path if located is None else located)
    return Problem(record.path, line, column, field_path(path), message, rule, severity, label,
                   legal.ref(legal_id))
