"""The answer first: what a procedure page says under its title, before the details.

What to bring (how many documents and their names), what it costs, how long it takes, where to
go and when, whom to call, and where to submit online. Worked out once here from the prepared
views; the page only formats it. A catalogue procedure performed at many places says how many
and points to them; built for one agency (`build --agency`) or performed at one place, it names
that place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.labels import ANSWER_WORDS
from generator.prepare import format as F
from generator.prepare.format import Link
from generator.prepare.places import CatalogueView, PlaceView
from generator.prepare.views import AgencyView, Channel, Hotline, Paragraphs, ProcedureView


@dataclass(frozen=True, slots=True)
class Call:
    """The call button: a number with its tel: link, and whom it reaches."""

    number: str
    href: str
    who: str  # a person, or the agency answering for many places; "" when it is the place itself


@dataclass(frozen=True, slots=True)
class Answer:
    documents: tuple[str, ...]  # the documents' names
    documents_count: str  # "4 giấy tờ"
    fees: tuple[str, ...]  # "Phí cấp bản sao Giấy khai sinh: 8.000 đồng", one line per distinct fee
    times: tuple[str, ...]  # "1 ngày làm việc", or per method when methods differ
    where: Link  # the place (or how many places), linking to it on the page
    address: str  # the counter's address; "" for many places
    hours: str  # its hours; "" when not published or many places
    call: Call | None
    online: Link | None  # a channel's submission address (never a form's)


def _distinct(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


FEE_LINES = 2  # more distinct fees than this are summed up as a range of amounts


def fee_lines(channels: tuple[Channel, ...]) -> tuple[str, ...]:
    """Each distinct fee with its name; more than FEE_LINES as the range of their amounts (the
    details list them all), so that a procedure with many fees still fits a phone's screen."""
    fees = {(fee.name, fee.shown): fee for channel in channels for fee in channel.fees.lines}
    lines = _distinct([f"{name}: {shown}" if name else shown for name, shown in fees]
                      + [channel.fees.none for channel in channels if not channel.fees.lines])
    amounts = sorted({fee.amount for fee in fees.values() if fee.amount is not None})
    if len(lines) <= FEE_LINES or len(amounts) != len(fees) or len(amounts) < 2:
        return lines
    return (ANSWER_WORDS["fee_range"].format(count=len(fees), low=F.money(amounts[0]),
                                             high=F.money(amounts[-1])),)


def time_lines(channels: tuple[Channel, ...]) -> tuple[str, ...]:
    """One time when every method takes the same; else each time after the methods taking it."""
    by_time: dict[str, list[str]] = {}
    for channel in channels:
        if channel.time.text:
            by_time.setdefault(channel.time.text, []).append(channel.label)
    if len(by_time) == 1:
        return tuple(by_time)
    return tuple(f"{', '.join([labels[0], *(label.lower() for label in labels[1:])])}: {text}"
                 for text, labels in by_time.items())


def _first_line(paragraphs: Paragraphs) -> str:
    return " ".join(paragraphs[0]) if paragraphs else ""


def _hotline_call(hotlines: tuple[Hotline, ...], who: str) -> Call | None:
    found = next((h for h in hotlines if h.href), None)
    return Call(found.number, found.href, who) if found and found.href else None  # href: for mypy


def _place_call(place: PlaceView) -> Call | None:
    """The place's contact for this procedure, else its officer for the field, else its hotline."""
    people = ([place.contact] if place.contact else []) + list(place.officers)
    person = next((p for p in people if p.tel), None)
    if person and person.tel:
        who = f"{person.name} ({person.title})" if person.title else person.name
        return Call(person.phone, person.tel, who)
    return _hotline_call(place.hotlines, "")


def _online(channels: tuple[Channel, ...], place: PlaceView | None = None) -> Link | None:
    if place and place.online and place.online.href:
        return place.online
    return next((c.url for c in channels if c.method == "online" and c.url and c.url.href), None)


def procedure_answer(proc: ProcedureView, agencies: dict[str, AgencyView], sections: dict[str, str]
                     ) -> Answer:
    """The answer of `proc`; `agencies` by id, `sections`: the page's ids of its places ("places")
    and of a self-contained record's contact ("contact")."""
    common: dict[str, Any] = {
        "documents": tuple(d.name for d in proc.documents),
        "documents_count": ANSWER_WORDS["documents_count"].format(count=len(proc.documents)),
        "fees": fee_lines(proc.channels), "times": time_lines(proc.channels)}
    if not isinstance(proc, CatalogueView):
        agency = agencies.get(proc.agency)
        return Answer(**common, where=Link(proc.agency_name, "#" + sections["contact"]),
                      address=_first_line(proc.location), hours=agency.office_hours if agency else "",
                      call=_hotline_call(agency.hotlines, "") if agency else None,
                      online=_online(proc.channels))
    if len(proc.places) == 1:
        place = proc.places[0]
        return Answer(**common, where=Link(place.agency_name, "#" + place.anchor),
                      address=_first_line(place.location), hours=place.hours, call=_place_call(place),
                      online=_online(place.channels, place))
    return Answer(**common, where=Link(ANSWER_WORDS["places"].format(count=len(proc.places)),
                                       "#" + sections["places"]),
                  address="", hours="", call=_common_parent_call(proc.places, agencies),
                  online=_online(proc.channels))


def _common_parent_call(places: tuple[PlaceView, ...], agencies: dict[str, AgencyView]) -> Call | None:
    """Many places: the hotline of the agency all of them answer to (the province's People's
    Committee for its communes), which takes a citizen's question wherever they live."""
    parents = {agencies[p.agency].parent if p.agency in agencies else "" for p in places}
    parent = agencies.get(parents.pop()) if len(parents) == 1 else None
    return _hotline_call(parent.hotlines, parent.title) if parent else None
