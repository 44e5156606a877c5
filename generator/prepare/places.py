"""Views of the catalogue's procedures: one page each, with every place that performs it.

A catalogue procedure (catalogue/<code>.yaml) is formatted once, as any procedure
(views.procedure_view); its places (check/places.py: one agency performing it, with that
agency's counter facts and local record) become PlaceViews, display-ready for the procedure's
"Nơi thực hiện" section, each pair's counter sheet and the open data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.check.places import Place
from generator.labels import LEVEL_PHRASES, LEVELS
from generator.model import Record
from generator.prepare import format as F
from generator.prepare.format import Link
from generator.prepare.views import (
    AgencyView,
    Channel,
    Hotline,
    Paragraphs,
    Person,
    ProcedureView,
    channel,
    person,
    procedure_view,
)
from generator.textnorm import fold

PLACE_ANCHOR = "noi-"  # + agency id: the id of a place on its procedure's page
LEVEL_ORDER = ("central", "province", "commune")


def level_order(level: str) -> tuple[int, str]:
    """Sort key of a level: central, province, commune, then anything else."""
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


@dataclass(frozen=True, slots=True)
class LocalTime:
    """A processing time the agency shortened: the method and its time there."""

    method: str  # "trực tiếp"
    time: str  # "1 ngày làm việc"


@dataclass(frozen=True, slots=True)
class PlaceView:
    """One agency performing a catalogue procedure, as a citizen needs it to go there."""

    place: Place = dataclasses.field(compare=False, repr=False)  # the facts as written
    agency: str  # the agency's id
    agency_name: str
    anchor: str  # "noi-<agency>", the place's id on the procedure page
    location: Paragraphs  # the counter's address
    hours: str  # "" when the agency publishes none
    hotlines: tuple[Hotline, ...]
    officers: tuple[Person, ...]  # one-stop officers serving the procedure's field
    contact: Person | None  # the local record's contact person
    local_times: tuple[LocalTime, ...]  # times shorter here than in the catalogue
    online: Link | None  # the local online submission address
    notes: Paragraphs  # the local record's notes for citizens
    channels: tuple[Channel, ...]  # the catalogue's channels as performed here (counter sheet)
    updated: str  # dd/mm/yyyy: the later of the entry's and the local record's
    updated_iso: str


@dataclass(frozen=True, slots=True)
class CatalogueView(ProcedureView):
    """A procedure announced once in the province's catalogue, with the places performing it."""

    places: tuple[PlaceView, ...] = ()  # by agency name (folded), then id
    source: Link | None = None  # the procedure's page on the national portal (http(s) only)
    agency_names: tuple[str, ...] = ()  # the agencies the national database names
    levels: tuple[str, ...] = ()  # as written, in the order central, province, commune

    @property
    def performed_by(self) -> tuple[str, ...]:
        return tuple(p.agency for p in self.places)


def _levels(value: Any) -> tuple[str, ...]:
    listed = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    return tuple(sorted(dict.fromkeys(listed), key=level_order))


def catalogue_view(entry: Record, places: list[Place], agencies: dict[str, AgencyView]) -> CatalogueView:
    """The view of a catalogue entry and its published places (`agencies`: their views by id)."""
    base = procedure_view(entry, "")
    levels = _levels(entry.data.get("levels"))
    first = levels[0] if levels else ""
    views = sorted((place_view(p, agencies[p.agency_id], base.channels) for p in places),
                   key=lambda v: (_folded(v.agency_name), v.agency))
    url = entry.data.get("source_url")
    return CatalogueView(
        **{f.name: getattr(base, f.name) for f in dataclasses.fields(ProcedureView)
           if f.name not in ("agency_name", "level", "level_label", "level_phrase", "changed")},
        # Changed when the entry or a place's local record changed.
        changed=max([base.changed, *(v.updated_iso for v in views)]),
        # Where lists and search results name the agency: the one place, or how many there are.
        agency_name=views[0].agency_name if len(views) == 1 else f"{len(views)} nơi thực hiện",
        level=first,
        level_label=", ".join(F.label(LEVELS, v) for v in levels),
        level_phrase=F.label(LEVEL_PHRASES, first),
        places=tuple(views),
        source=F.link("Trang thủ tục trên Cổng Dịch vụ công quốc gia", url) if url else None,
        agency_names=tuple(F.text(n) for n in entry.data.get("agency_names") or [] if F.text(n)),
        levels=levels,
    )


@cache
def _folded(name: str) -> str:
    """An agency's name folded for sorting: some 105 names, sorted again on every catalogue page."""
    return fold(name)


def place_view(at: Place, agency: AgencyView, entry_channels: tuple[Channel, ...]) -> PlaceView:
    """The view of one place; `entry_channels` are the entry's own, formatted once per entry: a
    place without a local record (most of the ≈ 41,000) performs them as they are."""
    if at.implementation is None:
        channels, local, listed = entry_channels, {}, {}
    else:
        listed = {c.get("method"): c for c in at.entry.data.get("channels") or [] if isinstance(c, dict)}
        channels = tuple(channel(c) for c in at.channels)
        local = {c.get("method"): c for c in (at.implementation.data.get("channels") or [])
                 if isinstance(c, dict)}
    times = tuple(LocalTime(c.label.lower(), c.time.text) for c in channels
                  if "processing_time" in local.get(c.method, {})
                  and local[c.method]["processing_time"] != listed.get(c.method, {}).get("processing_time"))
    online = next((c.url for c in channels if c.url and "url" in local.get(c.method, {})), None)
    return PlaceView(
        place=at,
        agency=at.agency_id,
        agency_name=agency.title,
        anchor=PLACE_ANCHOR + at.agency_id,
        location=F.paragraphs(at.location),
        hours=F.text(at.hours),
        hotlines=agency.hotlines,
        officers=tuple(person("", o) for o in at.officers),
        contact=person("", at.contact) if at.contact else None,
        local_times=times,
        online=online,
        notes=F.paragraphs(at.notes),
        channels=channels,
        updated=F.date(at.updated),
        updated_iso=F.iso(at.updated),
    )
