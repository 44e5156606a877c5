"""Record types and error values: the ground floor every stage builds on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["procedure", "plan", "agency", "dossier_stats", "dossier_report"]
Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]

# Top-level folder of each record kind, relative to the repository root.
FOLDERS: dict[str, Kind] = {
    "procedures": "procedure",
    "plans_and_policies": "plan",
    "hotlines": "agency",
}
# Data files that are validated but are not records of the site: dossier results recomputed
# by `congkhai dossiers import`, and the figures agencies report themselves (DOSSIERS.md).
DATA_FOLDERS: dict[str, Kind] = {
    "dossier_stats": "dossier_stats",
    "dossier_reports": "dossier_report",
}


@dataclass(frozen=True, slots=True)
class LegalRef:
    """One entry of the legal registry (generator/data/legal.yaml)."""

    id: str
    instrument: str  # e.g. "Nghị định 63/2010/NĐ-CP"
    article: str  # e.g. "Điều 8 khoản 2 điểm h"
    description: str
    confidence: str  # "confirmed" | "secondary" | "unconfirmed"

    def cite(self) -> str:
        return f"{self.article}, {self.instrument}" if self.article else self.instrument


@dataclass(frozen=True, slots=True)
class Problem:
    """A located finding about one record; printers turn it into text, JSON or annotations."""

    file: str
    line: int
    column: int
    field: str  # dotted path, e.g. "channels[0].fees"; "" for the whole file
    message: str  # Vietnamese, for the clerk
    rule: str  # stable id, e.g. "CK-REQ"
    severity: Severity = "error"
    label: str = ""  # Vietnamese label of the field
    legal: LegalRef | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.field, self.rule)


@dataclass(slots=True)
class Record:
    """One loaded YAML record with the position of every key and value."""

    kind: Kind
    path: str  # posix path relative to the repository root
    data: dict[str, Any]
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[: -len(".yaml")] if name.endswith(".yaml") else name

    @property
    def folder_agency(self) -> str:
        """Agency id implied by the location: folder for procedures/plans, file name for agencies."""
        parts = self.path.split("/")
        return parts[1] if self.kind != "agency" and len(parts) > 2 else self.stem

    @property
    def key(self) -> str:
        """The record's own identifier: `code` for procedures, `id` otherwise."""
        value = self.data.get("code" if self.kind == "procedure" else "id")
        return value if isinstance(value, str) else self.stem

    @property
    def agency(self) -> str:
        if self.kind == "agency":
            return self.key
        value = self.data.get("agency")
        return value if isinstance(value, str) else self.folder_agency

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest located ancestor."""
        while True:
            pos = self.positions.get(path)
            if pos is not None or not path:
                return pos or (1, 1)
            path = path[:-1]


def field_path(path: Path) -> str:
    """("channels", 0, "fees") -> "channels[0].fees"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(slots=True)
class Corpus:
    """The records of one repository that passed every check, ready to render."""

    records: list[Record]

    def of_kind(self, kind: Kind) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    @property
    def agencies(self) -> dict[str, Record]:
        return {r.key: r for r in self.records if r.kind == "agency"}

    def only_agency(self, agency_id: str) -> Corpus:
        """An agency's own site: its records plus its hotline record."""
        return Corpus([r for r in self.records if r.agency == agency_id])
