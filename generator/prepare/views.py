"""Display-ready views of the records: every value formatted once, for every output.

The pages and counter sheets, the CSV files, the linked data, the feeds, the search entries and
the nothing-lost check read these views, never the raw data for what they show: a fee, a
processing time, a hotline, a document, a record's title or whether it is current is decided
here only. Text is one line (whitespace collapsed), multi-line text is paragraphs of lines,
dates are dd/mm/yyyy (and ISO beside them where outputs need it), links are Link values whose
`href` is set only for http(s), mailto and tel. `record` keeps the data as written, which the
open-data exports publish as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.labels import (
    DISCLOSURE,
    LEVEL_PHRASES,
    LEVELS,
    METHODS,
    NOTICES,
    ONLINE_LEVELS,
    PLAN_KINDS,
    PLAN_STATUS,
    PROCEDURE_STATUS,
    WORDS,
    Notice,
)
from generator.model import Record
from generator.prepare import format as F
from generator.prepare.format import Link

Paragraphs = list[list[str]]


@dataclass(frozen=True, slots=True)
class Written:
    """A part of a record (a fee, a document, a hotline…) that keeps its values as written too.

    Its other fields are one line each, as the pages show them; the CSV files publish the values
    as written (a multi-line note keeps its line breaks).
    """

    data: Any = field(compare=False, repr=False)  # the part as the record gives it

    def written(self, key: str) -> str:
        return F.plain(self.data.get(key) if isinstance(self.data, dict) else self.data)


@dataclass(frozen=True, slots=True)
class Fee(Written):
    name: str
    amount: int | float | None  # in đồng; None when the record's amount is not a number
    shown: str  # "8.000 đồng", "Miễn phí"
    note: str


@dataclass(frozen=True, slots=True)
class Fees:
    """A channel's fees: its lines, or what to say when it lists none."""

    lines: tuple[Fee, ...]
    none: str  # without lines: "Không thu phí, lệ phí", or the value as text
    free: bool  # the record says there are none ("Không")
    written: str  # a value that is not a list, as text ("Không")


@dataclass(frozen=True, slots=True)
class Duration(Written):
    text: str  # "15 ngày làm việc", or the value as text when it is not a number and a unit
    note: str
    iso: str | None  # ISO 8601 duration


@dataclass(frozen=True, slots=True)
class Channel:
    method: str  # as written: direct, online, postal
    label: str  # "Trực tuyến"
    name: str  # "Trực tuyến (toàn trình)"
    online_level: str  # "Toàn trình", or ""
    url: Link | None  # where to submit online
    time: Duration
    fees: Fees

    @property
    def where(self) -> str:
        """The host of the submission address ("dichvucong.gov.vn"), "" without a safe one."""
        return urlsplit(self.url.href).netloc if self.url and self.url.href else ""


@dataclass(frozen=True, slots=True)
class Document(Written):
    name: str
    originals: str
    copies: str
    note: str
    form: Link | None


@dataclass(frozen=True, slots=True)
class LegalBasis(Written):
    number: str
    title: str
    date: str  # dd/mm/yyyy, or as written
    iso: str


@dataclass(frozen=True, slots=True)
class Hotline(Written):
    number: str
    href: str | None  # tel: URL
    purpose: str
    hours: str


@dataclass(frozen=True, slots=True)
class Person(Written):
    role: str  # "Trưởng bộ phận" for the head of the one-stop office
    name: str
    title: str
    field: str
    phone: str
    tel: str | None


@dataclass(frozen=True, slots=True)
class Attachment(Link):
    """A file a document links to, with what a reader should know before downloading it."""

    about: str = ""  # "PDF, 1,2 MB"; "PDF" when its size is not known; "" when neither is


@dataclass(frozen=True, slots=True)
class RecordView:
    """What every record shows: its title, its agency, its dates."""

    record: Record
    title: str
    agency: str  # the agency's id
    agency_name: str  # its name, or the id when the agency has no record
    updated: str  # dd/mm/yyyy
    updated_iso: str
    changed: str  # ISO date of the last change: the later of `updated` and (plans) `published`

    @property
    def path(self) -> str:
        return self.record.path

    @property
    def key(self) -> str:
        return self.record.key


@dataclass(frozen=True, slots=True)
class ProcedureView(RecordView):
    status: str  # as written; "active" when missing
    status_label: str
    current: bool  # not repealed: listed, posted at the counter
    notice: Notice | None  # suspended or repealed: the page's and the sheet's notice
    list_note: str  # beside a current procedure in lists ("tạm ngừng")
    level: str  # as written
    level_label: str  # "Cấp xã"
    level_phrase: str  # "cấp xã"
    field: str  # lĩnh vực ("Lĩnh vực khác" when missing)
    competent_authority: str
    announcement: str  # "Quyết định 123/QĐ-UBND ngày 01/07/2025"
    online: str  # the online levels offered, or that there is no online channel
    applicants: tuple[str, ...]
    documents: tuple[Document, ...]
    dossier_sets: str
    steps: tuple[Paragraphs, ...]
    channels: tuple[Channel, ...]
    result: Paragraphs
    requirements: Paragraphs  # "Không có yêu cầu, điều kiện." when there are none
    no_requirements: bool
    legal_basis: tuple[LegalBasis, ...]
    location: Paragraphs

    @property
    def performed_by(self) -> tuple[str, ...]:
        """The ids of the agencies performing the procedure: its own agency here."""
        return (self.agency,)


@dataclass(frozen=True, slots=True)
class PlanView(RecordView):
    kind: str  # planning, plan, policy or regulation ("plan" for anything else)
    kind_label: str
    number: str
    issuer: str
    issued: str
    published: str
    published_iso: str
    effective: str
    expires: str
    status: str  # as written: draft, in_force, expired, superseded
    status_label: str
    current: bool  # not expired or superseded: listed first in search results
    superseded_by: str  # the replacing document as the record names it ("<id>", "<agency>/<id>"), or ""
    business_related: bool
    business: str  # Có / Không
    summary: Paragraphs
    documents: tuple[Attachment, ...]
    maps: tuple[Attachment, ...]
    implementation: Paragraphs
    disclosure: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgencyView(RecordView):
    level: str  # as written
    level_label: str
    code: str  # mã định danh
    parent: str  # the parent agency's id, or ""
    address: str
    postal_address: str
    hotlines: tuple[Hotline, ...]
    email: Link | None  # href only for a well-formed address
    website: Link | None
    office_hours: str
    staff: tuple[Person, ...]


# --- the pieces ----------------------------------------------------------------------------


def _items(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list value (anything else in it, or a value that is no list, is skipped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def fees(value: Any) -> Fees:
    free = F.is_none(value) or value == []
    written = "" if isinstance(value, list) else F.text(value)
    if not isinstance(value, list) or not value:
        return Fees((), WORDS["no_fees"] if free or value is None else written, free, written)
    lines = tuple(
        Fee(f, F.text(f.get("name")), f.get("amount") if F.is_number(f.get("amount")) else None,
            F.money(f.get("amount")), F.text(f.get("note")))
        for f in _items(value)
    )
    return Fees(lines, "", free, written)


def duration(value: Any) -> Duration:
    if not isinstance(value, dict):
        return Duration(value, F.text(value), "", None)
    return Duration(value, F.duration(value.get("value"), value.get("unit")), F.text(value.get("note")),
                    F.iso_duration(value.get("value"), value.get("unit")))


def channel(data: dict[str, Any]) -> Channel:
    label = F.label(METHODS, data.get("method"))
    level = F.label(ONLINE_LEVELS, data.get("online_level")) if data.get("online_level") else ""
    return Channel(
        method=F.text(data.get("method")),
        label=label,
        name=f"{label} ({level.lower()})" if level else label,
        online_level=level,
        url=F.link(WORDS["online_url"], data.get("url")) if data.get("url") else None,
        time=duration(data.get("processing_time")),
        fees=fees(data.get("fees")),
    )


def hotlines(value: Any) -> tuple[Hotline, ...]:
    return tuple(Hotline(h, F.text(h.get("number")), F.tel(h.get("number")), F.text(h.get("purpose")),
                         F.text(h.get("hours"))) for h in _items(value))


def _document(data: dict[str, Any]) -> Document:
    form = data.get("form")
    return Document(data, F.text(data.get("name")), F.text(data.get("originals")), F.text(data.get("copies")),
                    F.text(data.get("note")),
                    F.link(form.get("title"), form.get("url")) if isinstance(form, dict) else None)


def _legal_basis(data: dict[str, Any]) -> LegalBasis:
    return LegalBasis(data, F.text(data.get("number")), F.text(data.get("title")), F.date(data.get("date")),
                      F.iso(data.get("date")))


# Formats named by a link's file extension when the record gives none (schema: `format`).
FILE_FORMATS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "zip", "rar", "7z", "jpg", "jpeg",
                "png", "tif", "tiff", "dwg", "dxf", "kmz", "kml", "shp", "csv", "xml", "json")


def attachment(data: dict[str, Any]) -> Attachment:
    """A document or map link; its format from the record, else from the URL's extension, and its
    size when the record gives it."""
    link = F.link(data.get("title"), data.get("url"))
    given = F.text(data.get("format"))
    extension = urlsplit(link.href or "").path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    kind = given.upper() if given else extension.upper() if extension in FILE_FORMATS else ""
    size = data.get("size")
    shown = F.size_text(size) if isinstance(size, int) and not isinstance(size, bool) and size > 0 else ""
    return Attachment(link.text, link.href, link.raw, link.title, link.url,
                      about=", ".join(part for part in (kind, shown) if part))


def person(role: str, data: dict[str, Any]) -> Person:
    return Person(data, role, F.text(data.get("name")), F.text(data.get("title")), F.text(data.get("field")),
                  F.text(data.get("phone")), F.tel(data.get("phone")))


def changed(rec: Record) -> str:
    """The date a record last changed: the later of `updated` and (plans) `published`."""
    return max(F.iso(rec.data.get("updated")), F.iso(rec.data.get("published")))


# --- the views -----------------------------------------------------------------------------


def _common(rec: Record, agency_name: str) -> dict[str, Any]:
    return {
        "record": rec,
        "title": rec.title,
        "agency": rec.agency,
        "agency_name": agency_name,
        "updated": F.date(rec.data.get("updated")),
        "updated_iso": F.iso(rec.data.get("updated")),
        "changed": changed(rec),
    }


def procedure_view(rec: Record, agency_name: str) -> ProcedureView:
    data = rec.data
    status = F.text(data.get("status")) or "active"
    notice = NOTICES.get(status)
    channels = tuple(channel(c) for c in _items(data.get("channels")))
    online = dict.fromkeys(c.online_level for c in channels if c.method == "online" and c.online_level)
    announcement = _mapping(data.get("announcement"))
    decision = F.text(announcement.get("decision"))
    if announcement.get("date"):
        decision = f"{decision} ngày {F.date(announcement.get('date'))}".strip()
    no_requirements = F.is_none(data.get("requirements"))
    requirements = [[WORDS["no_requirements"]]] if no_requirements else F.paragraphs(data.get("requirements"))
    level = F.text(data.get("level"))
    return ProcedureView(
        **_common(rec, agency_name),
        status=status,
        status_label=F.label(PROCEDURE_STATUS, status),
        current=status != "repealed",
        notice=notice,
        list_note=notice.note if notice else "",
        level=level,
        level_label=F.label(LEVELS, data.get("level")),
        level_phrase=F.label(LEVEL_PHRASES, level),
        field=F.text(data.get("field")) or WORDS["other_field"],
        competent_authority=F.text(data.get("competent_authority")),
        announcement=decision,
        online=", ".join(online) or WORDS["no_online"],
        applicants=tuple(F.text(a) for a in data.get("applicants") or []),
        documents=tuple(_document(d) for d in _items(data.get("documents"))),
        dossier_sets=F.text(data.get("dossier_sets")),
        steps=tuple(F.paragraphs(s) for s in data.get("steps") or []),
        channels=channels,
        result=F.paragraphs(data.get("result")),
        requirements=requirements,
        no_requirements=no_requirements,
        legal_basis=tuple(_legal_basis(b) for b in _items(data.get("legal_basis"))),
        location=F.paragraphs(data.get("location")),
    )


def plan_view(rec: Record, agency_name: str) -> PlanView:
    data = rec.data

    def links(key: str) -> tuple[Attachment, ...]:
        return tuple(attachment(d) for d in _items(data.get(key)))

    kind = data.get("kind")
    status = F.text(data.get("status"))
    replaced = data.get("superseded_by")
    return PlanView(
        **_common(rec, agency_name),
        kind=kind if isinstance(kind, str) and kind in PLAN_KINDS else "plan",
        kind_label=F.label(PLAN_KINDS, kind),
        number=F.text(data.get("number")),
        issuer=F.text(data.get("issuer")),
        issued=F.date(data.get("issued")),
        published=F.date(data.get("published")),
        published_iso=F.iso(data.get("published")),
        effective=F.date(data.get("effective")),
        expires=F.date(data.get("expires")),
        status=status,
        status_label=F.label(PLAN_STATUS, data.get("status")),
        current=status not in ("expired", "superseded"),
        superseded_by=replaced if isinstance(replaced, str) else "",
        business_related=data.get("business_related") is True,
        business=F.text(bool(data.get("business_related"))),
        summary=F.paragraphs(data.get("summary")),
        documents=links("documents"),
        maps=links("maps"),
        implementation=F.paragraphs(data.get("implementation")),
        disclosure=tuple(F.label(DISCLOSURE, d) for d in data.get("disclosure") or []),
    )


def agency_view(rec: Record) -> AgencyView:
    data = rec.data
    one_stop = _mapping(data.get("one_stop"))
    head = one_stop.get("head")
    staff = ([person(WORDS["one_stop_head"], head)] if isinstance(head, dict) else []) + [
        person("", officer) for officer in _items(one_stop.get("officers"))]
    email, website, parent = data.get("email"), data.get("website"), data.get("parent")
    return AgencyView(
        **_common(rec, rec.title),
        level=F.text(data.get("level")),
        level_label=F.label(LEVELS, data.get("level")),
        code=F.text(data.get("code")),
        parent=parent if isinstance(parent, str) else "",
        address=F.text(data.get("address")),
        postal_address=F.text(data.get("postal_address")),
        hotlines=hotlines(data.get("hotlines")),
        email=Link(F.text(email), F.mailto(email), url=F.text(email)) if email else None,
        website=F.link(website, website) if website else None,
        office_hours=F.text(data.get("office_hours")),
        staff=tuple(staff),
    )
