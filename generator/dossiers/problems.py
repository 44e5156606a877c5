"""Findings and input errors about dossier exports, as values the printers format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.model import LegalRef

# finding: the dossier shows a rule broken (exit 1); error: the input cannot be used (exit 2);
# warning: said, but changes nothing (a column outside the contract, ignored).
Severity = Literal["finding", "error", "warning"]


@dataclass(frozen=True, slots=True)
class DossierProblem:
    file: str
    line: int
    dossier_code: str  # "" when the problem is about the file or an agency's report
    rule: str
    message: str  # Vietnamese: what is wrong, then why it matters
    severity: Severity = "finding"
    legal: LegalRef | None = None

    def sort_key(self) -> tuple[str, int, str]:
        """By place, then rule; a stable sort keeps the rest in the order found (columns, rows)."""
        return (self.file, self.line, self.rule)


@dataclass(slots=True)
class Counts:
    """What happened to every row read: each is checked, an error or a blank line."""

    files: int = 0
    rows: int = 0
    checked: int = 0
    errors: int = 0  # rows that could not be used
    blank: int = 0
    files_refused: list[str] = field(default_factory=list)
