"""The pages of the portal: each a template and the plain data it formats, from the prepared views.

Page functions only arrange what prepare/ made (titles, labels, lines, links) and add the links
between pages (relative, from the page map); they format no record value themselves.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import Any

from generator.check.scorecard import NUMERIC, AgencyScore, Scorecard, cells, open_postings
from generator.labels import (
    DOSSIER_WORDS,
    PLAN_NOTICES,
    RECORD_TYPES,
    SCORECARD_COLUMNS,
    SCORECARD_TABLES,
    SCORECARD_WORDS,
)
from generator.prepare.answer import procedure_answer
from generator.prepare.format import Link, date
from generator.prepare.places import CatalogueView, level_order
from generator.prepare.search import citizen_phrases, filter_options
from generator.prepare.views import AgencyView, PlanView, ProcedureView, RecordView
from generator.render import jsonld
from generator.render.registers import Choice, facets
from generator.render.site import (
    AGENCIES,
    DOSSIERS,
    HOME,
    HOTLINES,
    OPEN_DATA,
    PLANS,
    PROCEDURES,
    SCORECARD,
    SEARCH,
    Group,
    Linker,
    Page,
    Site,
    counter_src,
    level_slug,
    sheet_id,
    url_of,
)
from generator.textnorm import fold

# The fixed order of a procedure page: (key, stable id, heading). The answer first (what to bring,
# fees, time, where, whom to call), then the details a citizen reads before going, then what an
# inspector checks (code, decision, legal basis), then the date and the change history.
PROCEDURE_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("answer", "tom-tat", "Tóm tắt"),
    ("documents", "thanh-phan-ho-so", "Thành phần hồ sơ"),
    ("steps", "trinh-tu-thuc-hien", "Trình tự thực hiện"),
    ("channels", "cach-thuc-thuc-hien", "Cách thức thực hiện, thời hạn giải quyết, phí và lệ phí"),
    ("requirements", "yeu-cau-dieu-kien", "Yêu cầu, điều kiện"),
    ("applicants", "doi-tuong-thuc-hien", "Đối tượng thực hiện"),
    ("result", "ket-qua-thuc-hien", "Kết quả thực hiện"),
    ("contact", "noi-tiep-nhan-va-lien-he", "Nơi tiếp nhận hồ sơ và liên hệ"),
    ("summary", "thong-tin-chung", "Thông tin chung"),
    ("legal_basis", "can-cu-phap-ly", "Căn cứ pháp lý"),
    ("updated", "ngay-cap-nhat", "Ngày cập nhật"),
)
# A catalogue procedure's page has its places where a self-contained record has its contact.
PLACES_SECTION = ("places", "noi-thuc-hien", "Nơi thực hiện")
LATEST = 10  # records under "Mới cập nhật" on the home page


# --- shared pieces -----------------------------------------------------------------------


def _crumbs(here: Linker, *trail: tuple[str, str]) -> list[dict[str, str]]:
    return [{"text": "Trang chủ", "href": here(HOME)}] + [
        {"text": text, "href": here(src)} for text, src in trail
    ]


def _agency_link(site: Site, here: Linker, agency_id: str, anchor: str = "") -> Link:
    agency = site.agencies.get(agency_id)
    return Link(site.agency_name(agency_id), here(site.page_of(agency), anchor) if agency else None)


def _contact(site: Site, here: Linker, agency: AgencyView | None) -> dict[str, Any] | None:
    """An agency's address, hotlines (tel:), e-mail (mailto:) and website."""
    if agency is None:
        return None
    return {
        "agency": Link(agency.title, here(site.page_of(agency))),
        "address": agency.address,
        "postal_address": agency.postal_address,
        "hotlines": agency.hotlines,
        "email": agency.email,
        "website": agency.website,
        "office_hours": agency.office_hours,
    }


def _entries(site: Site, here: Linker, procedures: Iterable[ProcedureView], places: bool,
             agency_id: str = "") -> list[dict[str, Any]]:
    """Procedure list items; with `places`, one item per code listing the agencies offering it.
    On an agency's page (`agency_id`), a catalogue procedure links to that agency's place."""
    out: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for proc in procedures:
        place = {"text": proc.agency_name, "href": here(site.page_of(proc), site.anchor_of(proc, agency_id)),
                 "note": proc.list_note}
        entry = by_code.get(proc.key) if places else None
        if entry is None:
            entry = {"name": proc.title, "code": proc.key, "places": []}
            out.append(entry)
            if places:
                by_code[proc.key] = entry
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


def _by_field(site: Site, here: Linker, procedures: list[ProcedureView], places: bool,
              agency_id: str = "") -> list[dict[str, Any]]:
    groups: dict[str, tuple[Group, list[ProcedureView]]] = {}
    for proc in procedures:
        group = site.field_of(proc)
        groups.setdefault(group.src, (group, []))[1].append(proc)
    return [
        {
            "name": group.name,
            "id": "linh-vuc-" + posixpath.basename(group.src)[:-3],
            "href": here(group.src),
            "entries": _entries(site, here, procs, places, agency_id),
        }
        for group, procs in sorted(groups.values(), key=lambda item: fold(item[0].name))
    ]


def _plan_rows(site: Site, here: Linker, plans: Iterable[PlanView]) -> list[dict[str, Any]]:
    return [{"plan": plan, "href": here(site.page_of(plan))} for plan in plans]


def _counts(site: Site) -> dict[str, tuple[int, int]]:
    """Current procedures and plans of each agency."""
    counts: dict[str, list[int]] = {}
    for proc in site.procedures:
        if proc.current:
            for agency_id in proc.performed_by:
                counts.setdefault(agency_id, [0, 0])[0] += 1
    for plan in site.plans:
        counts.setdefault(plan.agency, [0, 0])[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _agencies_by_level(site: Site, item: Callable[[AgencyView], dict[str, Any]]) -> list[dict[str, Any]]:
    levels: dict[str, list[AgencyView]] = {}
    for agency in site.agencies.values():
        levels.setdefault(agency.level, []).append(agency)
    return [
        {"name": agencies[0].level_label, "id": "cap-" + level_slug(level),
         "agencies": list(map(item, agencies))}
        for level, agencies in sorted(levels.items(), key=lambda kv: level_order(kv[0]))
    ]


def _current(group: Group) -> int:
    return sum(proc.current for proc in group.procedures)


def _groups(here: Linker, groups: Iterable[Group]) -> list[dict[str, Any]]:
    return [{"name": g.name, "href": here(g.src), "count": _current(g)} for g in groups]


# --- the top pages ------------------------------------------------------------------------


def home_page(site: Site) -> Page:
    here = Linker(HOME)
    listed: list[ProcedureView | PlanView] = [*site.procedures, *site.plans]
    latest = sorted(listed, key=lambda v: (v.updated_iso, v.path), reverse=True)[:LATEST]
    return Page(HOME, "home.md.j2", "Trang chủ", {
        "search_action": here(SEARCH),
        "procedures": sum(proc.current for proc in site.procedures),
        "plans": len(site.plans),
        "agencies": len(site.agencies),
        "links": {
            "agencies": here(AGENCIES),
            "procedures": here(PROCEDURES),
            "plans": here(PLANS),
            "hotlines": here(HOTLINES),
            "scorecard": here(SCORECARD) if site.scorecard is not None else "",
            "open_data": here(OPEN_DATA) if site.open_data is not None else "",
            "dossiers": here(DOSSIERS) if site.dossier_src else "",
        },
        "levels": _groups(here, site.levels.values()),
        "fields": _groups(here, site.fields.values()),
        "latest": [
            {
                "date": v.updated,
                "kind": v.kind_label if isinstance(v, PlanView) else RECORD_TYPES["procedure"],
                "title": v.title,
                "href": here(site.page_of(v)),
                "agency": v.agency_name,
                "note": v.status_label if isinstance(v, ProcedureView) and not v.current else "",
            }
            for v in latest
        ],
    })


def agencies_page(site: Site) -> Page:
    here = Linker(AGENCIES)
    counts = _counts(site)

    def item(agency: AgencyView) -> dict[str, Any]:
        procedures, plans = counts.get(agency.key, (0, 0))
        return {"name": agency.title, "href": here(site.page_of(agency)), "procedures": procedures,
                "plans": plans}

    return Page(AGENCIES, "agencies.md.j2", "Cơ quan", {
        "crumbs": _crumbs(here),
        "levels": _agencies_by_level(site, item),
    })


def procedures_page(site: Site) -> Page:
    here = Linker(PROCEDURES)
    return Page(PROCEDURES, "procedures.md.j2", "Thủ tục hành chính", {
        "crumbs": _crumbs(here),
        "fields": _groups(here, site.fields.values()),
        "levels": _groups(here, site.levels.values()),
        "agencies_href": here(AGENCIES),
    })


def plans_page(site: Site, choice: Choice | None = None) -> Page:
    """The register of plans and policies, or one of its filtered pages (registers.py)."""
    choice = choice or Choice()
    src = site.plan_choices[choice]
    here = Linker(src)
    title = "Quy hoạch – kế hoạch – chính sách"
    chosen = choice.words
    return Page(src, "plans.md.j2", f"{title}: {', '.join(chosen)}" if chosen else title, {
        "crumbs": _crumbs(here, (title, PLANS)) if chosen else _crumbs(here),
        "chosen": chosen,
        "facets": facets(choice, site.plans, site.plan_choices, here),
        "rows": _plan_rows(site, here, [plan for plan in site.plans if choice.admits(plan)]),
    })


def hotlines_page(site: Site) -> Page:
    here = Linker(HOTLINES)

    def item(agency: AgencyView) -> dict[str, Any]:
        return {"name": agency.title, "href": here(site.page_of(agency), "lien-he"),
                "hotlines": agency.hotlines, "email": agency.email}

    return Page(HOTLINES, "hotlines.md.j2", "Đường dây nóng", {
        "crumbs": _crumbs(here),
        "levels": _agencies_by_level(site, item),
    })


def group_page(site: Site, group: Group, *, level: bool) -> Page:
    """A field page (procedures grouped by code) or a level page (grouped by field, then code)."""
    here = Linker(group.src)
    current = [p for p in group.procedures if p.current]
    repealed = [p for p in group.procedures if not p.current]
    return Page(group.src, "group.md.j2", group.name if level else f"Lĩnh vực {group.name}", {
        "crumbs": _crumbs(here, ("Thủ tục hành chính", PROCEDURES)),
        "fields": _by_field(site, here, current, True) if level else [],
        "entries": [] if level else _entries(site, here, current, True),
        "repealed": _entries(site, here, repealed, True),
    })


def search_page(site: Site) -> Page:
    """"Tìm kiếm": the search box, its filters (every value in the index) and the results."""
    here = Linker(SEARCH)
    views: list[RecordView] = [*site.agencies.values(), *site.procedures, *site.plans]
    return Page(SEARCH, "search.md.j2", "Tìm kiếm", {
        "crumbs": _crumbs(here),
        "filters": filter_options([site.prepared.search[v.path] for v in views]),
        "phrases": "|".join(citizen_phrases()),
        "script": "../assets/javascripts/search.js",
        "links": {"procedures": here(PROCEDURES), "agencies": here(AGENCIES), "plans": here(PLANS),
                  "hotlines": here(HOTLINES)},
    })


# --- record pages -------------------------------------------------------------------------


def _organization_jsonld(site: Site, agency: AgencyView) -> str:
    """schema.org block of an agency page, escaped for a script element."""
    parent = site.agencies.get(agency.parent)
    parent_url = site.absolute(site.page_of(parent)) if parent else None
    return jsonld.script_json(jsonld.government_organization(
        agency, site.absolute(site.page_of(agency)), parent, parent_url))


def _service_jsonld(site: Site, proc: ProcedureView) -> str:
    """schema.org block of a procedure page, escaped for a script element."""
    agency = site.agencies.get(proc.agency)
    agency_url = site.absolute(site.page_of(agency)) if agency else None
    return jsonld.script_json(jsonld.government_service(
        proc, site.absolute(site.page_of(proc)), agency, agency_url))


def agency_page(site: Site, agency: AgencyView) -> Page:
    src = site.page_of(agency)
    here = Linker(src)
    own = site.by_agency.get(agency.key, [])
    procedures = [v for v in own if isinstance(v, ProcedureView)]
    return Page(src, "agency.md.j2", agency.title, {
        "crumbs": _crumbs(here, ("Cơ quan", AGENCIES)),
        "source": agency.path,
        "agency": agency,
        "parent": _agency_link(site, here, agency.parent) if agency.parent else None,
        "contact": _contact(site, here, agency),
        "fields": _by_field(site, here, [p for p in procedures if p.current], False, agency.key),
        "repealed": _entries(site, here, [p for p in procedures if not p.current], False, agency.key),
        "plans": _plan_rows(site, here, [v for v in own if isinstance(v, PlanView)]),
        "jsonld": _organization_jsonld(site, agency),
        "dossiers_href": here(site.dossier_src[agency.key]) if agency.key in site.dossier_src else "",
    }, {"feeds": site.feed_links(agency.key)}, search=site.prepared.search[agency.path])


def _section_id(key: str) -> str:
    return next(id_ for k, id_, _ in PROCEDURE_SECTIONS if k == key)


def _places(site: Site, here: Linker, src: str, proc: CatalogueView) -> list[dict[str, Any]]:
    """The "Nơi thực hiện" of a catalogue procedure: each place, its agency's page and (while the
    procedure is current) its counter sheet."""
    return [{"place": place, "agency": _agency_link(site, here, place.agency),
             "counter_href": f"{here(counter_src(src))}#{sheet_id(place.agency)}" if proc.current else ""}
            for place in proc.places]


def procedure_page(site: Site, proc: ProcedureView) -> Page:
    src = site.page_of(proc)
    here = Linker(src)
    field_group = site.field_of(proc)
    catalogue = isinstance(proc, CatalogueView)
    return Page(src, "procedure.md.j2", proc.title, {
        "crumbs": _crumbs(here, ("Thủ tục hành chính", PROCEDURES), (field_group.name, field_group.src)),
        "source": proc.path,
        "proc": proc,
        "field": Link(field_group.name, here(field_group.src)),
        "agency": Link(proc.agency_name, f"#{PLACES_SECTION[1]}") if catalogue
        else _agency_link(site, here, proc.agency),
        "contact": None if catalogue else _contact(site, here, site.agencies.get(proc.agency)),
        "places": _places(site, here, src, proc) if isinstance(proc, CatalogueView) else [],
        "source_url": proc.source if isinstance(proc, CatalogueView) else None,
        "agency_names": proc.agency_names if isinstance(proc, CatalogueView) else (),
        "answer": procedure_answer(proc, site.agencies, {"places": PLACES_SECTION[1],
                                                         "contact": _section_id("contact")}),
        "jsonld": _service_jsonld(site, proc),
        "counter_href": here(counter_src(src)) if proc.current and not catalogue else "",
        "history": site.prepared.history.get(proc.path, ()),
    }, {"feeds": site.feed_links(proc.agency)}, search=site.prepared.search[proc.path])


def plan_page(site: Site, plan: PlanView) -> Page:
    src = site.page_of(plan)
    here = Linker(src)
    replaced_by = site.prepared.replaced_by

    def link(path: str) -> Link:
        view = site.plan_of(path)
        return Link(f"{view.title} ({view.number})" if view.number else view.title, here(site.page_of(view)))

    successor = replaced_by.get(plan.path)
    return Page(src, "plan.md.j2", plan.title, {
        "crumbs": _crumbs(here, ("Quy hoạch – kế hoạch – chính sách", PLANS)),
        "source": plan.path,
        "plan": plan,
        "agency": _agency_link(site, here, plan.agency),
        "notice": PLAN_NOTICES.get(plan.status),
        "successor": link(successor) if successor else (Link(plan.superseded_by, None) if plan.superseded_by
                                                        else None),
        "replaces": [link(old) for old, new in replaced_by.items() if new == plan.path],
        "history": site.prepared.history.get(plan.path, ()),
    }, {"feeds": site.feed_links(plan.agency)}, search=site.prepared.search[plan.path])


WORST_FIRST = {"share": "ascending"}  # the scorecard's order (check/scorecard.py _worst_first)


def scorecard_page(site: Site, card: Scorecard) -> Page:
    """"Mức độ công khai": the report's table (the same cells, the same words), sortable in the
    browser, readable without it; then the open postings and the records held back."""
    here = Linker(SCORECARD)

    dossiers = site.prepared.dossiers.agencies

    def gap(agency_id: str) -> dict[str, Any]:
        """The dossier results' column: reported minus recomputed on-time rate, linked to the page
        that shows why; a positive gap (the agency flatters itself) in bold."""
        result = dossiers.get(agency_id)
        if result is None:
            return {"text": DOSSIER_WORDS["no_value"], "value": None, "strong": False, "href": ""}
        return {"text": result.gap, "value": result.gap_value, "href": here(site.dossier_src[agency_id]),
                "strong": result.gap_value is not None and result.gap_value > 0}

    def line(score: AgencyScore, total: bool = False) -> dict[str, Any]:
        agency = Link(score.name, None) if total else _agency_link(site, here, score.agency)
        row = cells(score)
        extra = [gap(score.agency) if not total else {"text": ""}] if dossiers else []
        return {"agency": agency, "cells": [{"href": "", **row[key]} for key in SCORECARD_COLUMNS] + extra}

    postings = [{"agency": _agency_link(site, here, s.agency), "decision": p["decision"],
                 "procedures": len(p["procedures"]), "signed": date(p["signed"]), "due": date(p["due"]),
                 "posted": date(p["posted"]) or SCORECARD_WORDS["none"], "state": p["label"],
                 "overdue": p["state"] in ("late", "missing")}
                for s, p in open_postings(card)]
    return Page(SCORECARD, "scorecard.md.j2", SCORECARD_WORDS["title"], {
        "crumbs": _crumbs(here),
        "today": date(card.today),
        "words": SCORECARD_WORDS,
        # The rows come worst first: by the share of obligations met, from the lowest (aria-sort).
        "columns": [{"label": label, "numeric": key in NUMERIC, "sorted": WORST_FIRST.get(key, "")}
                    for key, label in SCORECARD_COLUMNS.items()]
        + ([{"label": DOSSIER_WORDS["scorecard_column"], "numeric": True, "sorted": ""}] if dossiers else []),
        "posting_columns": SCORECARD_TABLES["posting_columns"],
        "rows": [line(s) for s in card.agencies],
        "total": line(card.total, total=True),
        "postings": postings,
        "held_back": [{"file": h["file"], "errors": [e["text"] for e in h["errors"]]}
                      for h in card.held_back],
        "dossiers_href": here(DOSSIERS) if site.dossier_src else "",
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

