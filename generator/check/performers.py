"""Who performs what: the province's catalogue and the agencies that perform each entry.

Computed once in the check stage, before the records are checked (their rules need it), from
catalogue/*.yaml and the levels in hotlines/*.yaml (CATALOGUE.md): an entry is performed by
every agency of its `implemented_by.level` and by those its `implemented_by.agencies` names,
minus `except`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.model import Record


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The catalogue's entries, the agencies performing each, and their local records."""

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
        return bool(self.entries[code].data.get("status", "active") == "active")

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


def who_performs(entries: Iterable[Record], agencies: Iterable[Record]) -> Catalogue:
    """The agency–procedure pairs of the catalogue entries (by file name) and the agencies.

    Only well-formed values count: an unknown agency id or a malformed `implemented_by` is
    reported on the entry by check/catalogue.py, not guessed at here.
    """
    by_level: dict[str, list[str]] = {}
    for agency in agencies:
        level = agency.data.get("level")
        if isinstance(level, str):
            by_level.setdefault(level, []).append(agency.stem)
    known = {a for members in by_level.values() for a in members}
    entries_by_code = {entry.stem: entry for entry in entries}
    places: dict[str, tuple[str, ...]] = {}
    performed: dict[str, list[str]] = {}
    for code, entry in sorted(entries_by_code.items()):
        places[code] = tuple(sorted(_performers(entry.data.get("implemented_by"), by_level, known)))
        for agency_id in places[code]:
            performed.setdefault(agency_id, []).append(code)
    return Catalogue(entries_by_code, places, {a: tuple(codes) for a, codes in performed.items()})


def _performers(spec: Any, by_level: dict[str, list[str]], known: set[str]) -> set[str]:
    if not isinstance(spec, dict):
        return set()
    chosen = set(by_level.get(spec["level"], [])) if isinstance(spec.get("level"), str) else set()
    chosen |= {a for a in _ids(spec.get("agencies")) if a in known}
    return chosen - set(_ids(spec.get("except")))


def _ids(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
