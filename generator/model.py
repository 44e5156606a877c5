"""Record types and error values: the ground floor every stage builds on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["procedure", "plan", "agency", "catalogue"]
# error: the record itself is invalid (held back from the site); gap: a disclosure duty of an
# agency not met (published on the scorecard, never blocks a build); warning: worth fixing.
Severity = Literal["error", "gap", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "gap", "warning")
Path = tuple[str | int, ...]

# Top-level folder of each record kind, relative to the repository root.
FOLDERS: dict[str, Kind] = {
    "procedures": "procedure",
    "plans_and_policies": "plan",
    "hotlines": "agency",
    "catalogue": "catalogue",
}
# Kinds kept one file per record directly in their folder (the others: one folder per agency).
FLAT_KINDS: frozenset[str] = frozenset({"agency", "catalogue"})


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

    @property
    def stem(self) -> str:
        # A place of a catalogue procedure is "catalogue/<code>.yaml#<agency>" (places.py).
        name = self.path.rsplit("/", 1)[-1].split("#", 1)[0]
        return name[: -len(".yaml")] if name.endswith(".yaml") else name

    @property
    def folder_agency(self) -> str:
        """Agency id implied by the location: folder for procedures/plans, file name for agencies,
        none for a catalogue entry (performed by the agencies its `implemented_by` names)."""
        if self.kind == "catalogue":
            return ""
        parts = self.path.split("/")
        return parts[1] if self.kind != "agency" and len(parts) > 2 else self.stem

    @property
    def key(self) -> str:
        """The record's own identifier: `code` for procedures and catalogue entries, `id` otherwise."""
        value = self.data.get("code" if self.kind in ("procedure", "catalogue") else "id")
        return value if isinstance(value, str) else self.stem

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


def field_path(path: Path) -> str:
    """("channels", 0, "fees") -> "channels[0].fees"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Who performs what: the province's catalogue and the agencies that perform each entry.

    Computed once, in the check stage (check/catalogue.py), from catalogue/*.yaml and the levels
    in hotlines/*.yaml: an entry is performed by every agency of its `implemented_by.level`, and
    by those its `implemented_by.agencies` names, minus `except`.
    """

    entries: dict[str, Record]  # code (file name) -> catalogue/<code>.yaml
    places: dict[str, tuple[str, ...]]  # code -> ids of the agencies performing it, sorted
    performed: dict[str, tuple[str, ...]]  # agency id -> codes it performs, sorted
    # (agency id, code) -> procedures/<agency>/<code>.yaml: that agency's local facts, if any
    implementations: dict[tuple[str, str], Record] = field(default_factory=dict)

    def places_of(self, code: str) -> tuple[str, ...]:
        """The agencies that perform a catalogue procedure."""
        return self.places.get(code, ())

    def procedures_of(self, agency_id: str) -> tuple[str, ...]:
        """The catalogue procedures an agency performs (any status)."""
        return self.performed.get(agency_id, ())

    def active_procedures_of(self, agency_id: str) -> tuple[str, ...]:
        """The catalogue procedures an agency performs today (neither suspended nor repealed)."""
        return tuple(code for code in self.procedures_of(agency_id) if self.is_active(code))

    def is_active(self, code: str) -> bool:
        return self.entries[code].data.get("status", "active") == "active"

    def implementation(self, agency_id: str, code: str) -> Record | None:
        return self.implementations.get((agency_id, code))

    def restricted(self, codes: set[str], agencies: set[str],
                   implementations: dict[tuple[str, str], Record]) -> Catalogue:
        """The same catalogue with only these entries, agencies and implementations."""
        places = {code: tuple(a for a in self.places_of(code) if a in agencies)
                  for code in self.entries if code in codes}
        performed: dict[str, list[str]] = {}
        for code, agency_ids in places.items():
            for agency_id in agency_ids:
                performed.setdefault(agency_id, []).append(code)
        return Catalogue({code: self.entries[code] for code in places}, places,
                         {a: tuple(sorted(c)) for a, c in performed.items()},
                         {pair: rec for pair, rec in implementations.items()
                          if pair[1] in places and pair[0] in places[pair[1]]})


@dataclass(slots=True)
class Corpus:
    """The records of one repository that passed every check, ready to render.

    `catalogue` is who performs what among these records (None in a repository without one);
    places.publishable() builds both from the check stage's outcome.
    """

    records: list[Record]
    catalogue: Catalogue | None = None

    def of_kind(self, kind: Kind) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    @property
    def agencies(self) -> dict[str, Record]:
        return {r.key: r for r in self.records if r.kind == "agency"}

    def only_agency(self, agency_id: str) -> Corpus:
        """An agency's own site: its records plus its hotline record, and its catalogue places."""
        catalogue = self.catalogue
        if catalogue is not None:
            codes = set(catalogue.procedures_of(agency_id))
            catalogue = catalogue.restricted(codes, {agency_id}, catalogue.implementations)
        return Corpus([r for r in self.records if r.agency == agency_id], catalogue)
