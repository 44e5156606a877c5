"""Prepared page data: URLs for every page and the plain dicts the templates format."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.model import Corpus, Record
from generator.render import jsonld
from generator.render import labels as L
from generator.search import KIND_LABELS, IndexEntry, citizen_phrases, filter_options
from generator.textnorm import fold, slugify

# The fixed order of a procedure page: (key, stable id, heading).
PROCEDURE_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("summary", "thong-tin-chung", "Thông tin chung"),
    ("applicants", "doi-tuong-thuc-hien", "Đối tượng thực hiện"),
    ("documents", "thanh-phan-ho-so", "Thành phần hồ sơ"),
    ("steps", "trinh-tu-thuc-hien", "Trình tự thực hiện"),
    ("channels", "cach-thuc-thuc-hien", "Cách thức thực hiện, thời hạn giải quyết, phí và lệ phí"),
    ("result", "ket-qua-thuc-hien", "Kết quả thực hiện"),
    ("requirements", "yeu-cau-dieu-kien", "Yêu cầu, điều kiện"),
    ("legal_basis", "can-cu-phap-ly", "Căn cứ pháp lý"),
    ("contact", "noi-tiep-nhan-va-lien-he", "Nơi tiếp nhận hồ sơ và liên hệ"),
    ("updated", "ngay-cap-nhat", "Ngày cập nhật"),
)

HOME = "index.md"
AGENCIES = "co-quan/index.md"
PROCEDURES = "thu-tuc/index.md"
PLANS = "van-ban/index.md"
HOTLINES = "duong-day-nong.md"
SCORECARD = "muc-do-cong-khai.md"
OPEN_DATA = "du-lieu-mo.md"
SEARCH = "tim-kiem/index.md"
# (nav title, source) of the only pages in the navigation; mkdocs.yml lists the same.
TOP_PAGES: tuple[tuple[str, str], ...] = (
    ("Trang chủ", HOME),
    ("Cơ quan", AGENCIES),
    ("Thủ tục hành chính", PROCEDURES),
    ("Quy hoạch – kế hoạch – chính sách", PLANS),
    ("Đường dây nóng", HOTLINES),
)
LATEST = 10
LEVEL_ORDER = ("central", "province", "commune")


@dataclass(slots=True)
class Page:
    src: str  # docs-relative source path, e.g. "co-quan/so-tai-chinh.md"
    template: str
    title: str
    context: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)  # more front matter, e.g. feed links
    search: IndexEntry | None = None  # record pages: indexed for search, with these filters
    standalone: bool = False  # a whole HTML document written beside the docs, not via mkdocs


@dataclass(slots=True)
class Group:
    """Procedures sharing a field or a level, with the page that lists them."""

    name: str
    src: str
    records: list[Record] = field(default_factory=list)


def url_of(src: str) -> str:
    """Site URL (directory style) of a docs source: "co-quan/x.md" -> "co-quan/x/"."""
    stem = src[:-3]
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else stem + "/"


class Linker:
    """Relative links from one page, so that the site works from any base URL and offline."""

    def __init__(self, src: str) -> None:
        self.base = url_of(src).split("/")[:-1]

    def __call__(self, src: str, anchor: str = "") -> str:
        target = url_of(src).split("/")[:-1]
        common = 0
        for a, b in zip(self.base, target, strict=False):
            if a != b:
                break
            common += 1
        parts = [".."] * (len(self.base) - common) + target[common:]
        return ("/".join(parts) + "/" if parts else "./") + (f"#{anchor}" if anchor else "")


def _name(rec: Record) -> str:
    return L.text(rec.data.get("title" if rec.kind == "plan" else "name")) or rec.key


def _current(rec: Record) -> bool:
    return rec.data.get("status") != "repealed"


class Site:
    """Every page's source path, decided once for the whole corpus."""

    def __init__(self, corpus: Corpus, scorecard: dict[str, Any] | None = None,
                 open_data: dict[str, Any] | None = None) -> None:
        self.scorecard = scorecard  # report.as_data(): the completeness page, when given
        # exports.Exports.page_data(): site URL, feeds and the "Dữ liệu mở" page, when given
        self.open_data = open_data
        self._taken = {src for _, src in TOP_PAGES} | {SCORECARD, OPEN_DATA, SEARCH}
        self.src: dict[str, str] = {}  # record path -> docs source
        agencies = sorted(corpus.agencies.values(), key=lambda r: (fold(_name(r)), r.key))
        self.agencies = {r.key: r for r in agencies}
        self.procedures = sorted(corpus.of_kind("procedure"), key=lambda r: (fold(_name(r)), r.key, r.agency))
        self.plans = sorted(
            corpus.of_kind("plan"),
            key=lambda r: (L.iso(r.data.get("published")), r.key),
            reverse=True,
        )
        for rec in agencies:
            self.src[rec.path] = self._claim("co-quan", slugify(rec.key))
        for rec in self.procedures:
            code = re.sub(r"\.{2,}", ".", re.sub(r"[^0-9a-z.]+", "-", rec.key.lower())).strip("-.")
            stem = "-".join(part for part in (code, slugify(_name(rec))) if part)
            self.src[rec.path] = self._claim(f"thu-tuc/{slugify(rec.agency)}", stem)
        for rec in self.plans:
            self.src[rec.path] = self._claim(f"van-ban/{slugify(rec.agency)}", slugify(rec.key))
        self.by_agency: dict[str, list[Record]] = {}  # procedures and plans of each agency
        for rec in self.procedures + self.plans:
            self.by_agency.setdefault(rec.agency, []).append(rec)
        self.fields: dict[str, Group] = {}  # by slug of the field name
        self.levels: dict[str, Group] = {}  # by level value
        self._field_of: dict[str, Group] = {}  # record path -> its field
        for rec in self.procedures:
            name = L.text(rec.data.get("field")) or "Lĩnh vực khác"
            key = slugify(name) or "khac"
            if key not in self.fields:
                self.fields[key] = Group(name, self._claim("linh-vuc", key))
            self.fields[key].records.append(rec)
            self._field_of[rec.path] = self.fields[key]
            level = L.text(rec.data.get("level"))
            if level not in self.levels:
                title = f"Thủ tục hành chính {L.label(L.LEVEL_PHRASES, level)}"
                slug = L.LEVEL_SLUGS.get(level) or slugify(level) or "khac"
                self.levels[level] = Group(title, self._claim("cap", slug))
            self.levels[level].records.append(rec)
        self.fields = dict(sorted(self.fields.items(), key=lambda kv: fold(kv[1].name)))
        order = {level: i for i, level in enumerate(LEVEL_ORDER)}
        self.levels = dict(sorted(self.levels.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])))

    def _claim(self, folder: str, stem: str) -> str:
        stem = stem or "trang"
        src, n = f"{folder}/{stem}.md", 1
        while src in self._taken:
            n += 1
            src = f"{folder}/{stem}-{n}.md"
        self._taken.add(src)
        return src

    def field_of(self, rec: Record) -> Group:
        return self._field_of[rec.path]

    def agency_name(self, agency_id: str) -> str:
        rec = self.agencies.get(agency_id)
        return _name(rec) if rec else agency_id

    def absolute(self, src: str) -> str | None:
        """Absolute URL of a page, for linked data; None without a site URL (no open data)."""
        return self.open_data["site_url"] + url_of(src) if self.open_data else None

    def feed_links(self, agency_id: str = "") -> list[dict[str, str]]:
        """Atom feeds of a page (site-relative): the whole portal's, and its agency's if any."""
        feeds = self.open_data["feeds"] if self.open_data else {}
        return [{"href": feeds[key]["path"], "title": feeds[key]["title"]}
                for key in dict.fromkeys(("", agency_id)) if key in feeds]

    def page_jobs(self) -> list[Callable[[], Page]]:
        """Every page, as a call that makes it: independent, so workers can share them out."""
        from generator.render.counter import counter_page_of  # builds on this module
        from generator.render.legal_page import legal_page  # builds on this module too

        jobs: list[Callable[[], Page]] = [partial(home_page, self), partial(agencies_page, self),
                                          partial(procedures_page, self), partial(plans_page, self),
                                          partial(hotlines_page, self), partial(search_page, self),
                                          legal_page]
        if self.scorecard is not None:
            jobs.append(partial(scorecard_page, self, self.scorecard))
        if self.open_data is not None:
            jobs.append(partial(open_data_page, self, self.open_data["page"]))
        jobs += [partial(agency_page, self, rec) for rec in self.agencies.values()]
        jobs += [partial(group_page, self, group, level=False) for group in self.fields.values()]
        jobs += [partial(group_page, self, group, level=True) for group in self.levels.values()]
        jobs += [partial(procedure_page, self, rec) for rec in self.procedures]
        jobs += [partial(counter_page_of, self, rec) for rec in self.procedures
                 if rec.data.get("status") != "repealed"]  # repealed procedures are not posted
        jobs += [partial(plan_page, self, rec) for rec in self.plans]
        return jobs

    def pages(self) -> Iterator[Page]:
        return (job() for job in self.page_jobs())


# --- shared pieces -----------------------------------------------------------------------


def _crumbs(here: Linker, *trail: tuple[str, str]) -> list[dict[str, str]]:
    return [{"text": "Trang chủ", "href": here(HOME)}] + [
        {"text": text, "href": here(src)} for text, src in trail
    ]


def _agency_link(site: Site, here: Linker, agency_id: str, anchor: str = "") -> dict[str, Any]:
    rec = site.agencies.get(agency_id)
    href = here(site.src[rec.path], anchor) if rec else None
    return {"text": site.agency_name(agency_id), "href": href, "raw": ""}


def _contact(site: Site, here: Linker, rec: Record | None) -> dict[str, Any] | None:
    """An agency's address, hotlines (tel:), e-mail (mailto:) and website."""
    if rec is None:
        return None
    data = rec.data
    email, website = data.get("email"), data.get("website")
    return {
        "agency": {"text": _name(rec), "href": here(site.src[rec.path]), "raw": ""},
        "address": L.text(data.get("address")),
        "postal_address": L.text(data.get("postal_address")),
        "hotlines": _hotlines(data),
        "email": {"text": L.text(email), "href": L.mailto(email), "raw": ""} if email else None,
        "website": L.link(website, website) if website else None,
        "office_hours": L.text(data.get("office_hours")),
    }


def _hotlines(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in data.get("hotlines") or []:
        if isinstance(item, dict):
            number = item.get("number")
            out.append(
                {
                    "number": L.text(number),
                    "href": L.tel(number),
                    "purpose": L.text(item.get("purpose")),
                    "hours": L.text(item.get("hours")),
                }
            )
    return out


def _entries(site: Site, here: Linker, records: Iterable[Record], places: bool) -> list[dict[str, Any]]:
    """Procedure list items; with `places`, one item per code listing the agencies offering it."""
    out: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for rec in records:
        note = "tạm ngừng" if rec.data.get("status") == "suspended" else ""
        place = {"text": site.agency_name(rec.agency), "href": here(site.src[rec.path]), "note": note}
        entry = by_code.get(rec.key) if places else None
        if entry is None:
            entry = {"name": _name(rec), "code": rec.key, "places": []}
            out.append(entry)
            if places:
                by_code[rec.key] = entry
        entry["places"].append(place)
    for entry in out:
        single = len(entry["places"]) == 1
        first = entry["places"][0]
        entry["href"] = first["href"] if single else None
        entry["note"] = first["note"] if single else ""
        entry["agency"] = first["text"] if single and places else ""
        if single:
            entry["places"] = []
    return out


def _by_field(site: Site, here: Linker, records: list[Record], places: bool) -> list[dict[str, Any]]:
    groups: dict[str, tuple[Group, list[Record]]] = {}
    for rec in records:
        group = site.field_of(rec)
        groups.setdefault(group.src, (group, []))[1].append(rec)
    return [
        {
            "name": group.name,
            "id": "linh-vuc-" + posixpath.basename(group.src)[:-3],
            "href": here(group.src),
            "entries": _entries(site, here, recs, places),
        }
        for group, recs in sorted(groups.values(), key=lambda item: fold(item[0].name))
    ]


def _plan_rows(site: Site, here: Linker, records: Iterable[Record]) -> list[dict[str, Any]]:
    return [
        {
            "kind": L.label(L.PLAN_KINDS, r.data.get("kind")),
            "number": L.text(r.data.get("number")),
            "title": _name(r),
            "href": here(site.src[r.path]),
            "issuer": L.text(r.data.get("issuer")),
            "issued": L.date(r.data.get("issued")),
            "published": L.date(r.data.get("published")),
            "status": L.label(L.PLAN_STATUS, r.data.get("status")),
            "business": L.text(bool(r.data.get("business_related"))),
        }
        for r in records
    ]


def _counts(site: Site) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for rec in site.procedures:
        if _current(rec):
            counts.setdefault(rec.agency, [0, 0])[0] += 1
    for rec in site.plans:
        counts.setdefault(rec.agency, [0, 0])[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _agencies_by_level(site: Site, item: Callable[[Record], dict[str, Any]]) -> list[dict[str, Any]]:
    levels: dict[str, list[dict[str, Any]]] = {}
    for rec in site.agencies.values():
        levels.setdefault(L.text(rec.data.get("level")), []).append(item(rec))
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    return [
        {
            "name": L.label(L.LEVELS, level),
            "id": "cap-" + (L.LEVEL_SLUGS.get(level) or slugify(level) or "khac"),
            "agencies": items,
        }
        for level, items in sorted(levels.items(), key=lambda kv: (order.get(kv[0], 9), kv[0]))
    ]


# --- the top pages ------------------------------------------------------------------------


def home_page(site: Site) -> Page:
    here = Linker(HOME)
    current = [r for r in site.procedures if _current(r)]
    latest = sorted(
        (r for r in site.procedures + site.plans),
        key=lambda r: (L.iso(r.data.get("updated")), r.path),
        reverse=True,
    )[:LATEST]
    return Page(
        HOME,
        "home.md.j2",
        "Trang chủ",
        {
            "search_action": here(SEARCH),
            "procedures": len(current),
            "plans": len(site.plans),
            "agencies": len(site.agencies),
            "links": {
                "agencies": here(AGENCIES),
                "procedures": here(PROCEDURES),
                "plans": here(PLANS),
                "hotlines": here(HOTLINES),
                "scorecard": here(SCORECARD) if site.scorecard is not None else "",
                "open_data": here(OPEN_DATA) if site.open_data is not None else "",
            },
            "levels": [
                {"name": g.name, "href": here(g.src), "count": sum(map(_current, g.records))}
                for g in site.levels.values()
            ],
            "fields": [
                {"name": g.name, "href": here(g.src), "count": sum(map(_current, g.records))}
                for g in site.fields.values()
            ],
            "latest": [
                {
                    "date": L.date(r.data.get("updated")),
                    "kind": L.label(L.PLAN_KINDS, r.data.get("kind"))
                    if r.kind == "plan"
                    else "Thủ tục hành chính",
                    "title": _name(r),
                    "href": here(site.src[r.path]),
                    "agency": site.agency_name(r.agency),
                    "note": "" if _current(r) else L.PROCEDURE_STATUS["repealed"],
                }
                for r in latest
            ],
        },
    )


def agencies_page(site: Site) -> Page:
    here = Linker(AGENCIES)
    counts = _counts(site)

    def item(rec: Record) -> dict[str, Any]:
        procedures, plans = counts.get(rec.key, (0, 0))
        return {
            "name": _name(rec),
            "href": here(site.src[rec.path]),
            "procedures": procedures,
            "plans": plans,
        }

    return Page(
        AGENCIES,
        "agencies.md.j2",
        "Cơ quan",
        {
            "crumbs": _crumbs(here),
            "levels": _agencies_by_level(site, item),
        },
    )


def procedures_page(site: Site) -> Page:
    here = Linker(PROCEDURES)
    return Page(
        PROCEDURES,
        "procedures.md.j2",
        "Thủ tục hành chính",
        {
            "crumbs": _crumbs(here),
            "fields": [
                {"name": g.name, "href": here(g.src), "count": sum(map(_current, g.records))}
                for g in site.fields.values()
            ],
            "levels": [
                {"name": g.name, "href": here(g.src), "count": sum(map(_current, g.records))}
                for g in site.levels.values()
            ],
            "agencies_href": here(AGENCIES),
        },
    )


def plans_page(site: Site) -> Page:
    here = Linker(PLANS)
    return Page(
        PLANS,
        "plans.md.j2",
        "Quy hoạch – kế hoạch – chính sách",
        {
            "crumbs": _crumbs(here),
            "rows": _plan_rows(site, here, site.plans),
        },
    )


def hotlines_page(site: Site) -> Page:
    here = Linker(HOTLINES)

    def item(rec: Record) -> dict[str, Any]:
        email = rec.data.get("email")
        return {
            "name": _name(rec),
            "href": here(site.src[rec.path], "lien-he"),
            "hotlines": _hotlines(rec.data),
            "email": {"text": L.text(email), "href": L.mailto(email), "raw": ""} if email else None,
        }

    return Page(
        HOTLINES,
        "hotlines.md.j2",
        "Đường dây nóng",
        {
            "crumbs": _crumbs(here),
            "levels": _agencies_by_level(site, item),
        },
    )


def group_page(site: Site, group: Group, *, level: bool) -> Page:
    """A field page (procedures grouped by code) or a level page (grouped by field, then code)."""
    here = Linker(group.src)
    current = [r for r in group.records if _current(r)]
    repealed = [r for r in group.records if not _current(r)]
    title = group.name if level else f"Lĩnh vực {group.name}"
    return Page(
        group.src,
        "group.md.j2",
        title,
        {
            "crumbs": _crumbs(here, ("Thủ tục hành chính", PROCEDURES)),
            "fields": _by_field(site, here, current, True) if level else [],
            "entries": [] if level else _entries(site, here, current, True),
            "repealed": _entries(site, here, repealed, True),
        },
    )


def counter_src(procedure_src: str) -> str:
    """The counter sheet of a procedure (render/counter.py): "thu-tuc/a/x.md" -> "thu-tuc/a/x/niem-yet.md"."""
    return procedure_src[: -len(".md")] + "/niem-yet.md"


def index_entry(site: Site, rec: Record) -> IndexEntry:
    """What a record page adds to the search index: its kind, filters and code (generator/search.py)."""
    data = rec.data
    agency = site.agencies.get(rec.agency)
    agency_level = L.label(L.LEVELS, agency.data.get("level")) if agency else ""
    if rec.kind == "procedure":
        status = L.text(data.get("status")) or "active"
        return IndexEntry("procedure", _name(rec), site.agency_name(rec.agency),
                          L.label(L.LEVELS, data.get("level")), site.field_of(rec).name, rec.key,
                          note="" if status == "active" else L.label(L.PROCEDURE_STATUS, status),
                          current=status != "repealed")
    if rec.kind == "plan":
        kind = data.get("kind") if data.get("kind") in KIND_LABELS else "plan"
        return IndexEntry(kind, _name(rec), site.agency_name(rec.agency), agency_level,
                          code=L.text(data.get("number")))
    return IndexEntry("agency", _name(rec), _name(rec), agency_level, code=L.text(data.get("code")))


def search_page(site: Site) -> Page:
    """"Tìm kiếm": the search box, its filters (every value in the index) and the results."""
    here = Linker(SEARCH)
    records = [*site.agencies.values(), *site.procedures, *site.plans]
    return Page(SEARCH, "search.md.j2", "Tìm kiếm", {
        "crumbs": _crumbs(here),
        "filters": filter_options([index_entry(site, r) for r in records]),
        "phrases": "|".join(citizen_phrases()),
        "script": "../assets/javascripts/search.js",
        "links": {"procedures": here(PROCEDURES), "agencies": here(AGENCIES), "plans": here(PLANS),
                  "hotlines": here(HOTLINES)},
    })


# --- record pages -------------------------------------------------------------------------


def _organization_jsonld(site: Site, rec: Record) -> str:
    """schema.org block of an agency page, escaped for a script element ("" without a site URL)."""
    url = site.absolute(site.src[rec.path])
    parent = site.agencies.get(rec.data.get("parent")) if isinstance(rec.data.get("parent"), str) else None
    if url is None:
        return ""
    parent_url = site.absolute(site.src[parent.path]) if parent else None
    return jsonld.script_json(jsonld.government_organization(rec, url, parent, parent_url))


def _service_jsonld(site: Site, rec: Record) -> str:
    """schema.org block of a procedure page, escaped for a script element ("" without a site URL)."""
    url = site.absolute(site.src[rec.path])
    agency = site.agencies.get(rec.agency)
    if url is None:
        return ""
    agency_url = site.absolute(site.src[agency.path]) if agency else None
    return jsonld.script_json(jsonld.government_service(rec, url, agency, agency_url))


def agency_page(site: Site, rec: Record) -> Page:
    src = site.src[rec.path]
    here = Linker(src)
    data = rec.data
    one_stop = data.get("one_stop") if isinstance(data.get("one_stop"), dict) else {}
    people = [("Trưởng bộ phận", one_stop.get("head"))] + [("", o) for o in one_stop.get("officers") or []]
    staff = [
        {
            "role": role,
            "name": L.text(p.get("name")),
            "title": L.text(p.get("title")),
            "field": L.text(p.get("field")),
            "phone": L.text(p.get("phone")),
            "tel": L.tel(p.get("phone")),
        }
        for role, p in people
        if isinstance(p, dict)
    ]
    parent = data.get("parent")
    own = site.by_agency.get(rec.key, [])
    procedures = [r for r in own if r.kind == "procedure"]
    return Page(
        src,
        "agency.md.j2",
        _name(rec),
        {
            "crumbs": _crumbs(here, ("Cơ quan", AGENCIES)),
            "source": rec.path,
            "level": L.label(L.LEVELS, data.get("level")),
            "code": L.text(data.get("code")),
            "parent": _agency_link(site, here, parent) if isinstance(parent, str) else None,
            "contact": _contact(site, here, rec),
            "staff": staff,
            "fields": _by_field(site, here, [r for r in procedures if _current(r)], False),
            "repealed": _entries(site, here, [r for r in procedures if not _current(r)], False),
            "plans": _plan_rows(site, here, [r for r in own if r.kind == "plan"]),
            "updated": L.date(data.get("updated")),
            "updated_iso": L.iso(data.get("updated")),
            "jsonld": _organization_jsonld(site, rec),
        },
        {"feeds": site.feed_links(rec.key)},
        search=index_entry(site, rec),
    )


def _fees(fees: Any) -> dict[str, Any]:
    if not isinstance(fees, list) or not fees:
        return {
            "none": L.NO_FEES if fees is None or L.is_none(fees) or fees == [] else L.text(fees),
            "lines": [],
        }
    items = [
        {"name": L.text(f.get("name")), "amount": L.money(f.get("amount")), "note": L.text(f.get("note"))}
        for f in fees
        if isinstance(f, dict)
    ]
    return {"none": "", "lines": items}


def procedure_page(site: Site, rec: Record) -> Page:
    src = site.src[rec.path]
    here = Linker(src)
    data = rec.data
    channels = [c for c in data.get("channels") or [] if isinstance(c, dict)]
    online = [
        L.label(L.ONLINE_LEVELS, c.get("online_level")) for c in channels if c.get("method") == "online"
    ]
    announcement = data.get("announcement") if isinstance(data.get("announcement"), dict) else {}
    decision = L.text(announcement.get("decision"))
    if announcement.get("date"):
        decision = f"{decision} ngày {L.date(announcement.get('date'))}".strip()
    field_group = site.field_of(rec)
    status = L.text(data.get("status")) or "active"
    return Page(
        src,
        "procedure.md.j2",
        _name(rec),
        {
            "crumbs": _crumbs(here, ("Thủ tục hành chính", PROCEDURES), (field_group.name, field_group.src)),
            "source": rec.path,
            "status": status,
            "status_label": L.label(L.PROCEDURE_STATUS, status),
            "code": rec.key,
            "field": {"text": field_group.name, "href": here(field_group.src), "raw": ""},
            "level": L.label(L.LEVELS, data.get("level")),
            "agency": _agency_link(site, here, rec.agency),
            "competent_authority": L.text(data.get("competent_authority")),
            "online_level": ", ".join(dict.fromkeys(o for o in online if o)) or "Chưa cung cấp trực tuyến",
            "announcement": decision,
            "applicants": [L.text(a) for a in data.get("applicants") or []],
            "documents": [
                {
                    "name": L.text(d.get("name")),
                    "originals": L.text(d.get("originals")),
                    "copies": L.text(d.get("copies")),
                    "form": L.link(d["form"].get("title"), d["form"].get("url"))
                    if isinstance(d.get("form"), dict)
                    else None,
                    "note": L.text(d.get("note")),
                }
                for d in data.get("documents") or []
                if isinstance(d, dict)
            ],
            "dossier_sets": L.text(data.get("dossier_sets")),
            "steps": [L.paragraphs(s) for s in data.get("steps") or []],
            "channels": [
                {
                    "method": L.label(L.METHODS, c.get("method")),
                    "online_level": L.label(L.ONLINE_LEVELS, c.get("online_level"))
                    if c.get("online_level")
                    else "",
                    "url": L.link("Nộp hồ sơ trực tuyến", c.get("url")) if c.get("url") else None,
                    "time": _time(c.get("processing_time")),
                    "fees": _fees(c.get("fees")),
                }
                for c in channels
            ],
            "result": L.paragraphs(data.get("result")),
            "requirements": [["Không có yêu cầu, điều kiện."]]
            if L.is_none(data.get("requirements"))
            else L.paragraphs(data.get("requirements")),
            "legal_basis": [
                {
                    "number": L.text(b.get("number")),
                    "title": L.text(b.get("title")),
                    "date": L.date(b.get("date")),
                }
                for b in data.get("legal_basis") or []
                if isinstance(b, dict)
            ],
            "location": L.paragraphs(data.get("location")),
            "contact": _contact(site, here, site.agencies.get(rec.agency)),
            "updated": L.date(data.get("updated")),
            "updated_iso": L.iso(data.get("updated")),
            "jsonld": _service_jsonld(site, rec),
            "counter_href": here(counter_src(src)) if status != "repealed" else "",
        },
        {"feeds": site.feed_links(rec.agency)},
        search=index_entry(site, rec),
    )


def _time(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {"text": L.text(value), "note": ""}
    return {"text": L.duration(value.get("value"), value.get("unit")), "note": L.text(value.get("note"))}


def plan_page(site: Site, rec: Record) -> Page:
    src = site.src[rec.path]
    here = Linker(src)
    data = rec.data

    def links(key: str) -> list[dict[str, Any]]:
        return [L.link(d.get("title"), d.get("url")) for d in data.get(key) or [] if isinstance(d, dict)]

    return Page(
        src,
        "plan.md.j2",
        _name(rec),
        {
            "crumbs": _crumbs(here, ("Quy hoạch – kế hoạch – chính sách", PLANS)),
            "source": rec.path,
            "kind": L.label(L.PLAN_KINDS, data.get("kind")),
            "number": L.text(data.get("number")),
            "issuer": L.text(data.get("issuer")),
            "agency": _agency_link(site, here, rec.agency),
            "issued": L.date(data.get("issued")),
            "published": L.date(data.get("published")),
            "effective": L.date(data.get("effective")),
            "expires": L.date(data.get("expires")),
            "status": L.label(L.PLAN_STATUS, data.get("status")),
            "business": L.text(bool(data.get("business_related"))),
            "summary": L.paragraphs(data.get("summary")),
            "documents": links("documents"),
            "maps": links("maps"),
            "implementation": L.paragraphs(data.get("implementation")),
            "disclosure": [L.label(L.DISCLOSURE, d) for d in data.get("disclosure") or []],
            "updated": L.date(data.get("updated")),
            "updated_iso": L.iso(data.get("updated")),
        },
        {"feeds": site.feed_links(rec.agency)},
        search=index_entry(site, rec),
    )


def scorecard_page(site: Site, card: dict[str, Any]) -> Page:
    """"Mức độ công khai": the report's table (report.as_data: same columns, same words), sortable
    in the browser, readable without it; then the postings and the records held back."""
    here = Linker(SCORECARD)

    def row(score: dict[str, Any], total: bool = False) -> dict[str, Any]:
        agency = {"text": score["name"], "href": None, "raw": ""} if total else \
            _agency_link(site, here, score["agency"])
        return {"agency": agency, "cells": [score["cells"][c["key"]] for c in card["columns"]]}

    postings = [{"agency": _agency_link(site, here, s["agency"]), "decision": p["decision"],
                 "procedures": len(p["procedures"]), "signed": L.date(p["signed"]), "due": L.date(p["due"]),
                 "posted": L.date(p["posted"]) or "—", "state": p["label"],
                 "overdue": p["state"] in ("late", "missing")}
                for s in card["agencies"] for p in s["postings"] if p["open"]]
    held = card["total"]["held_back"] + card["catalogue"].get("held_back", [])
    return Page(SCORECARD, "scorecard.md.j2", "Mức độ công khai", {
        "crumbs": _crumbs(here),
        "today": L.date(card["today"]),
        "note": card["share_note"],
        "columns": card["columns"],
        "rows": [row(s) for s in card["agencies"]],
        "total": row(card["total"], total=True),
        "postings": postings,
        "held_back": [{"file": h["file"], "errors": [e["text"] for e in h["errors"]]} for h in held],
    })


def open_data_page(site: Site, content: dict[str, Any]) -> Page:
    """"Dữ liệu mở": the downloads, their formats and sizes, the licence and the date of the data."""
    here = Linker(OPEN_DATA)

    def href(path: str) -> str:
        return posixpath.relpath(path, url_of(OPEN_DATA) or ".") if path else ""

    return Page(OPEN_DATA, "open_data.md.j2", "Dữ liệu mở", {
        **content,
        "crumbs": _crumbs(here),
        "downloads": [{**d, "href": href(d["path"]), "schema_href": href(d["schema"] or "")}
                      for d in content["downloads"]],
        "index_href": href(content["index"]),
        "record_files": [{**r, "schema_href": href(r["schema"])} for r in content["record_files"]],
        "site_feed_href": href(content["site_feed"]),
        "agency_feeds": [{**f, "href": href(f["path"])} for f in content["agency_feeds"]],
        "csv_columns": [{**c, "href": href(c["file"])} for c in content["csv_columns"]],
    }, {"feeds": site.feed_links()})
