"""Record types and error values: the ground floor every stage builds on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["procedure", "plan", "agency", "catalogue", "dossier_stats", "dossier_report"]
# error: the record itself is invalid (held back from the site); gap: a disclosure duty of an
# agency not met (published on the scorecard, never blocks a build); warning: worth fixing.
Severity = Literal["error", "gap", "warning"]
Path = tuple[str | int, ...]

# Top-level folder of each record kind, relative to the repository root.
FOLDERS: dict[str, Kind] = {
    "procedures": "procedure",
    "plans_and_policies": "plan",
    "hotlines": "agency",
    "catalogue": "catalogue",
}
# Kinds kept one file per record directly in their folder (the others: one folder per agency).
FLAT_KINDS: frozenset[Kind] = frozenset({"agency", "catalogue"})
# Data files that are validated but are not records of the site: dossier results recomputed
# by `congkhai dossiers import`, and the figures agencies report themselves (DOSSIERS.md).
DATA_FOLDERS: dict[str, Kind] = {
    "dossier_stats": "dossier_stats",
    "dossier_reports": "dossier_report",
}


# What a citation says when its basis is not confirmed against the legal text, and what a rule
# that is the portal's own choice cites instead of a law.
UNCONFIRMED_MARK = "(căn cứ cần xác nhận)"
PORTAL_POLICY = "quy định của cổng"


@dataclass(frozen=True, slots=True)
class LegalRef:
    """One entry of the legal registry (generator/data/legal.yaml)."""

    id: str
    instrument: str  # e.g. "Nghị định 63/2010/NĐ-CP"; "" for a portal policy
    article: str  # e.g. "Điều 8 khoản 2 điểm i"; "" when the whole instrument is meant
    description: str  # what the provision requires, in Vietnamese
    confidence: str  # "confirmed" | "secondary" | "unconfirmed"
    kind: str = "law"  # "law", or "policy": the portal's own rule, which no law sets
    valid_from: date | None = None  # first day the provision applies (None: no start known)
    valid_until: date | None = None  # last day it applies (None: still in force)
    replaced_by: str | None = None  # id of the entry that applies after valid_until
    also: tuple[LegalRef, ...] = ()  # further provisions cited with this one
    note: str = ""  # a caveat shown on the public registry page

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day <= self.valid_until)

    def cite(self) -> str:
        """The citation every printer shows: the one place that words a basis and its doubt."""
        if self.kind == "policy":
            return PORTAL_POLICY
        return "; ".join(ref._cite_one() for ref in (self, *self.also))

    def _cite_one(self) -> str:
        text = f"{self.article}, {self.instrument}" if self.article else self.instrument
        return text if self.confidence == "confirmed" else f"{text} {UNCONFIRMED_MARK}"


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
    # The text as written of each plain scalar YAML read as a number, boolean or null ("010",
    # "7:30", "50.000"): checks tell what was typed, not what YAML made of it.
    written: dict[Path, str] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[: -len(".yaml")] if name.endswith(".yaml") else name

    @property
    def folder_agency(self) -> str:
        """Agency id implied by the location: folder for procedures/plans, file name for agencies,
        none for a catalogue entry (performed by the agencies its `implemented_by` names)."""
        if self.kind == "catalogue":
            return ""
        return agency_of_path(self.path) or self.stem

    @property
    def key(self) -> str:
        """The record's own identifier: `code` for procedures and catalogue entries, `id` otherwise."""
        value = self.data.get("code" if self.kind in ("procedure", "catalogue") else "id")
        return value if isinstance(value, str) else self.stem

    @property
    def title(self) -> str:
        """A plan's `title`, any other record's `name`, on one line; its key when it has none."""
        value = self.data.get("title" if self.kind == "plan" else "name")
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else self.key

    @property
    def agency(self) -> str:
        if self.kind == "agency":
            return self.key
        if self.kind == "catalogue":
            return ""
        value = self.data.get("agency")
        return value if isinstance(value, str) else self.folder_agency

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of `path`, or of its nearest located ancestor."""
        while True:
            pos = self.positions.get(path)
            if pos is not None or not path:
                return pos or (1, 1)
            path = path[:-1]


def agency_of_path(path: str) -> str:
    """The agency a record's location names: its folder ("procedures/<agency>/<code>.yaml"), or
    its file name ("hotlines/<agency>.yaml"); "" for a path outside that layout."""
    parts = path.split("/")
    kind = FOLDERS.get(parts[0]) or DATA_FOLDERS.get(parts[0])
    if kind == "agency" and len(parts) == 2:
        return parts[1].removesuffix(".yaml")
    return parts[1] if kind is not None and len(parts) == 3 else ""


def plan_reference(ref: str, agency: str, paths: Iterable[str]) -> list[str]:
    """The record paths a reference to a plan or policy (`superseded_by`) may name: "<agency>/<id>"
    exactly; "<id>" is the same agency's document, else any agency's document with that id."""
    if "/" in ref:
        exact = f"plans_and_policies/{ref}.yaml"
        return [p for p in paths if p == exact]
    plans = [p for p in paths if p.startswith("plans_and_policies/") and p.count("/") == 2]
    own = f"plans_and_policies/{agency}/{ref}.yaml"
    return [own] if own in plans else sorted(p for p in plans if p.rsplit("/", 1)[1] == f"{ref}.yaml")


def field_path(path: Path) -> str:
    """("channels", 0, "fees") -> "channels[0].fees"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
