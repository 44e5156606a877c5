"""Each place of a catalogue procedure: one agency performing it, with its counter's facts.

A catalogue procedure is published for every agency that performs it (CATALOGUE.md), from the
catalogue entry, the agency's counter facts (hotlines/<agency>.yaml) and the agency's optional
implementation (procedures/<agency>/<code>.yaml). `place` gathers those facts for one
(agency, procedure) pair; `places_of` and `procedures_of` answer "where is this procedure
performed" and "what does this agency perform".

`publishable` gives the build what it publishes: the records without errors, and the catalogue
restricted to the published entries and agencies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.check import Checked
from generator.check.corpus import Corpus
from generator.check.performers import Catalogue
from generator.model import Record
from generator.textnorm import fold


@dataclass(frozen=True, slots=True)
class Place:
    """One agency performing one catalogue procedure, with what a citizen needs to go there."""

    code: str
    entry: Record  # catalogue/<code>.yaml
    agency: Record  # hotlines/<agency>.yaml
    implementation: Record | None  # procedures/<agency>/<code>.yaml, when the agency wrote one
    location: str  # the implementation's counter, else the one-stop address, else the head office
    hours: str  # the implementation's hours, else the one-stop hours ("" when not published)
    contact: dict[str, str]  # the implementation's contact: name, phone (may be empty)
    notes: str  # the implementation's notes for citizens
    channels: list[dict[str, Any]]  # the entry's channels with the local URL, level, shorter time
    officers: list[dict[str, Any]] = field(default_factory=list)  # one-stop officers for its field
    updated: str = ""  # the later of the entry's and the implementation's `updated`

    @property
    def agency_id(self) -> str:
        return self.agency.stem

    @property
    def path(self) -> str:
        """The id of the place: the catalogue file, at the agency."""
        return f"{self.entry.path}#{self.agency_id}"


def place(catalogue: Catalogue, agencies: dict[str, Record], code: str, agency_id: str) -> Place:
    """The place of `code` at `agency_id` (both must be in `catalogue`, the agency in `agencies`)."""
    entry, agency = catalogue.entries[code], agencies[agency_id]
    local = catalogue.implementation(agency_id, code)
    mine = local.data if local is not None else {}
    one_stop = _mapping(agency.data.get("one_stop"))
    contact = _mapping(mine.get("contact"))
    return Place(
        code=code, entry=entry, agency=agency, implementation=local,
        location=_first(mine.get("location"), one_stop.get("address"), agency.data.get("address")),
        hours=_first(mine.get("hours"), one_stop.get("hours")),
        contact={k: v for k, v in contact.items() if isinstance(v, str)},
        notes=_first(mine.get("notes")),
        channels=_channels(entry.data.get("channels"), mine.get("channels")),
        officers=[o for o in one_stop.get("officers") or []
                  if isinstance(o, dict) and serves(o.get("field"), entry.data.get("field"))],
        updated=max(str(entry.data.get("updated", "")), str(mine.get("updated", ""))),
    )


def places_of(corpus: Corpus, code: str) -> list[Place]:
    """Every published place of a catalogue procedure, by agency id."""
    catalogue = corpus.catalogue
    if catalogue is None or code not in catalogue.entries:
        return []
    agencies = corpus.agencies
    return [place(catalogue, agencies, code, a) for a in catalogue.places_of(code) if a in agencies]


def procedures_of(corpus: Corpus, agency_id: str) -> list[Place]:
    """Every catalogue procedure an agency performs, as its places, by code."""
    catalogue = corpus.catalogue
    agencies = corpus.agencies
    if catalogue is None or agency_id not in agencies:
        return []
    return [place(catalogue, agencies, code, agency_id) for code in catalogue.procedures_of(agency_id)]


def serves(officer_field: Any, procedure_field: Any) -> bool:
    """Whether an officer's fields ("Hộ tịch, chứng thực") cover a procedure's field ("Hộ tịch"):
    one of them equals it, or one holds the other as whole words, compared folded."""
    if not (isinstance(officer_field, str) and isinstance(procedure_field, str)):
        return False
    return _serves(officer_field, procedure_field)


@cache
def _serves(officer_field: str, procedure_field: str) -> bool:
    # The same few fields meet again at every place of the province (≈ 120,000 times): once each.
    wanted = f" {fold(procedure_field)} "
    for part in re.split(r"[,;/]", officer_field):
        folded = f" {fold(part)} "
        if folded.strip() and (folded in wanted or wanted in folded):
            return True
    return False


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first(*values: Any) -> str:
    return next((v for v in values if isinstance(v, str) and v.strip()), "")


def _channels(listed: Any, local: Any) -> list[dict[str, Any]]:
    """The entry's channels; a local channel of the same method brings its URL, online level
    and (shorter: check/catalogue.py refuses a longer one) processing time."""
    by_method = {c.get("method"): c for c in local or [] if isinstance(c, dict)}
    out = []
    for channel in listed if isinstance(listed, list) else []:
        if not isinstance(channel, dict):
            continue
        mine = by_method.get(channel.get("method"), {})
        out.append({**channel, **{k: mine[k] for k in ("url", "online_level", "processing_time")
                                  if k in mine}})
    return out


def publishable(checked: Checked) -> Corpus:
    """The records without errors (the others are held back and listed on the scorecard), with
    who performs what among them: the catalogue entries and agencies that are published, and the
    agencies' local records of those entries (which are no records of their own on the site)."""
    valid = checked.valid_records()
    if checked.catalogue is None:
        return Corpus(valid)
    codes = {path.split("/")[1].removesuffix(".yaml") for path in checked.files
             if path.startswith("catalogue/")}
    agencies = {r.stem: r for r in valid if r.kind == "agency"}
    entries = {r.stem for r in valid if r.kind == "catalogue"}
    local = {(r.folder_agency, r.stem): r for r in valid if r.kind == "procedure" and r.stem in codes}
    catalogue = checked.catalogue.restricted(entries, set(agencies), local)
    own = [r for r in valid
           if r.kind in ("agency", "plan") or (r.kind == "procedure" and r.stem not in codes)]
    return Corpus(own, catalogue)
