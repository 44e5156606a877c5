"""The page map: every page's source path and URL, decided once for the whole portal.

The pages, the counter sheets, the open-data exports (page URLs) and the nothing-lost check all
read the same map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.scorecard import Scorecard
from generator.prepare import Prepared, field_key, title_order
from generator.prepare.places import PLACE_ANCHOR, CatalogueView, level_order
from generator.prepare.search import IndexEntry
from generator.prepare.views import AgencyView, PlanView, ProcedureView, RecordView
from generator.render.registers import Choice, choice_pages
from generator.textnorm import fold, slugify

HOME = "index.md"
AGENCIES = "co-quan/index.md"
PROCEDURES = "thu-tuc/index.md"
PLANS = "van-ban/index.md"
HOTLINES = "duong-day-nong.md"
SCORECARD = "muc-do-cong-khai.md"
OPEN_DATA = "du-lieu-mo.md"
SEARCH = "tim-kiem/index.md"
DOSSIERS = "ket-qua-giai-quyet-ho-so.md"  # the province ranking of the agencies' dossier results
DOSSIER_PAGE = "ket-qua-ho-so.md"  # an agency's dossier results, in its page's folder
# (nav title, source) of the only pages in the navigation; mkdocs.yml lists the same.
TOP_PAGES: tuple[tuple[str, str], ...] = (
    ("Trang chủ", HOME),
    ("Cơ quan", AGENCIES),
    ("Thủ tục hành chính", PROCEDURES),
    ("Quy hoạch – kế hoạch – chính sách", PLANS),
    ("Đường dây nóng", HOTLINES),
)
LEVEL_SLUGS = {"central": "trung-uong", "province": "tinh", "commune": "xa"}


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
    procedures: list[ProcedureView] = field(default_factory=list)


def url_of(src: str) -> str:
    """Site URL (directory style) of a docs source: "co-quan/x.md" -> "co-quan/x/"."""
    stem = src[:-3]
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else stem + "/"


def counter_src(procedure_src: str) -> str:
    """The counter sheets' page of a procedure: "thu-tuc/x.md" -> "thu-tuc/x/niem-yet.md"."""
    return f"{procedure_src[: -len('.md')]}/niem-yet.md"


def sheet_id(agency_id: str) -> str:
    """The id of an agency's sheet on a counter sheets' page: "niem-yet/#<id>" shows it alone."""
    return slugify(agency_id)


def level_slug(level: str) -> str:
    return LEVEL_SLUGS.get(level) or slugify(level) or "khac"


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


class Site:
    """Every page's source path, decided once for the whole portal.

    `site_url` is the public address (absolute, ending with "/") of the linked data and the
    counter sheets' QR codes (kept in `qr_cache` between builds, if given); `scorecard` makes the
    "Mức độ công khai" page, `open_data` (exports.Exports.page_data) the feed links and the "Dữ
    liệu mở" page.
    """

    def __init__(self, prepared: Prepared, site_url: str, scorecard: Scorecard | None = None,
                 open_data: dict[str, Any] | None = None, qr_cache: Path | None = None) -> None:
        self.prepared = prepared
        self.qr_cache = qr_cache  # where the counter sheets' QR codes are kept between builds
        self.site_url = site_url
        self.scorecard = scorecard
        self.open_data = open_data
        self._taken = {src for _, src in TOP_PAGES} | {SCORECARD, OPEN_DATA, SEARCH, DOSSIERS}
        self.src: dict[str, str] = {}  # record path -> docs source
        agencies = sorted(prepared.agencies.values(), key=lambda v: (fold(v.title), v.key))
        self.agencies: dict[str, AgencyView] = {v.key: v for v in agencies}
        self.procedures = sorted(prepared.procedures, key=title_order)
        self.plans = sorted(prepared.plans, key=lambda v: (v.published_iso, v.key), reverse=True)
        self._plans = {plan.path: plan for plan in self.plans}
        for agency in agencies:
            self.src[agency.path] = self._claim("co-quan", slugify(agency.key))
        self.dossier_src: dict[str, str] = {}  # agency id -> its dossier results page
        for agency_id in prepared.dossiers.agencies:
            own = self.agencies.get(agency_id)
            folder = (self.src[own.path] if own else self._claim("co-quan", slugify(agency_id)))[:-3]
            self.dossier_src[agency_id] = f"{folder}/{DOSSIER_PAGE}"
        for proc in self.procedures:
            code = re.sub(r"\.{2,}", ".", re.sub(r"[^0-9a-z.]+", "-", proc.key.lower())).strip("-.")
            stem = "-".join(part for part in (code, slugify(proc.title)) if part)
            # A catalogue procedure has one page for the province; a self-contained record, one in
            # its agency's folder (codes start with a digit, agency ids with a letter).
            folder = "thu-tuc" if isinstance(proc, CatalogueView) else f"thu-tuc/{slugify(proc.agency)}"
            self.src[proc.path] = self._claim(folder, stem)
        for plan in self.plans:
            self.src[plan.path] = self._claim(f"van-ban/{slugify(plan.agency)}", slugify(plan.key))
        # The register's pages, one per choice of its filters (the register itself: every plan).
        self.plan_choices: dict[Choice, str] = choice_pages(self.plans, PLANS, self._claim)
        self.by_agency: dict[str, list[ProcedureView | PlanView]] = {}  # procedures and plans
        listed: list[ProcedureView | PlanView] = [*self.procedures, *self.plans]
        for view in listed:
            for agency_id in view.performed_by if isinstance(view, ProcedureView) else (view.agency,):
                self.by_agency.setdefault(agency_id, []).append(view)
        self.fields: dict[str, Group] = {}  # by slug of the field name
        self.levels: dict[str, Group] = {}  # by level value
        self._field_of: dict[str, Group] = {}  # record path -> its field
        for proc in self.procedures:
            key = field_key(proc.field)
            if key not in self.fields:
                self.fields[key] = Group(prepared.fields[key], self._claim("linh-vuc", key))
            self.fields[key].procedures.append(proc)
            self._field_of[proc.path] = self.fields[key]
            if proc.level not in self.levels:
                title = f"Thủ tục hành chính {proc.level_phrase}"
                self.levels[proc.level] = Group(title, self._claim("cap", level_slug(proc.level)))
            self.levels[proc.level].procedures.append(proc)
        self.fields = dict(sorted(self.fields.items(), key=lambda kv: fold(kv[1].name)))
        self.levels = dict(sorted(self.levels.items(), key=lambda kv: level_order(kv[0])))

    def _claim(self, folder: str, stem: str) -> str:
        stem = stem or "trang"
        src, n = f"{folder}/{stem}.md", 1
        while src in self._taken:
            n += 1
            src = f"{folder}/{stem}-{n}.md"
        self._taken.add(src)
        return src

    def field_of(self, proc: ProcedureView) -> Group:
        return self._field_of[proc.path]

    def agency_name(self, agency_id: str) -> str:
        return self.prepared.agency_name(agency_id)

    def plan_of(self, path: str) -> PlanView:
        """The plan or policy whose record is at `path`."""
        return self._plans[path]

    def page_of(self, view: RecordView) -> str:
        """The docs source of a record's page."""
        return self.src[view.path]

    @staticmethod
    def anchor_of(view: RecordView, agency_id: str) -> str:
        """Where an agency's part of a record's page starts: its place on a catalogue procedure's
        page; "" (the page itself) for any other record."""
        return PLACE_ANCHOR + agency_id if isinstance(view, CatalogueView) and agency_id else ""

    def absolute(self, src: str) -> str:
        """The public URL of a page (linked data, QR codes)."""
        return self.site_url + url_of(src)

    def feed_links(self, agency_id: str = "") -> list[dict[str, str]]:
        """Atom feeds of a page (site-relative): the whole portal's, and its agency's if any."""
        feeds = self.open_data["feeds"] if self.open_data else {}
        return [{"href": feeds[key]["path"], "title": feeds[key]["title"]}
                for key in dict.fromkeys(("", agency_id)) if key in feeds]
