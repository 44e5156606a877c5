"""What a build publishes: the records that passed every check, and who performs what among them."""

from __future__ import annotations

from dataclasses import dataclass

from generator.check.performers import Catalogue
from generator.model import Kind, Record


@dataclass(slots=True)
class Corpus:
    """The records of one repository that passed every check, ready to prepare.

    `records` are the agencies, plans and self-contained procedures; `catalogue` (None in a
    repository without one) holds the published catalogue entries, the agencies performing each
    and those agencies' local records.
    """

    records: list[Record]
    catalogue: Catalogue | None = None

    def of_kind(self, kind: Kind) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    @property
    def agencies(self) -> dict[str, Record]:
        return {r.key: r for r in self.records if r.kind == "agency"}

    def only_agency(self, agency_id: str) -> Corpus:
        """An agency's own site: its records and hotline record, and its places of the catalogue."""
        catalogue = self.catalogue
        if catalogue is not None:
            codes = set(catalogue.procedures_of(agency_id))
            catalogue = catalogue.restricted(codes, {agency_id}, catalogue.implementations)
        return Corpus([r for r in self.records if r.agency == agency_id], catalogue)

