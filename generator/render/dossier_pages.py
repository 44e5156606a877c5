"""The dossier results pages: each agency's "Kết quả giải quyết hồ sơ" and the province ranking.

They arrange what prepare/dossiers.py made (figures, rates, findings, the chart) and add the links
between pages; they format no value themselves.
"""

from __future__ import annotations

from typing import Any

from generator.dossiers import spec
from generator.labels import DOSSIER_COLUMNS, DOSSIER_FIGURES, DOSSIER_SERIES, DOSSIER_WORDS
from generator.prepare.dossiers import FIGURES, AgencyDossiers
from generator.prepare.format import Link
from generator.render.legal_page import LEGAL_PAGE
from generator.render.site import AGENCIES, DOSSIERS, HOME, OPEN_DATA, SCORECARD, Linker, Page, Site

REPORTED = FIGURES[:-1]  # an agency reports every figure but the withdrawn dossiers


def _labels() -> dict[str, Any]:
    return {
        "figures": [DOSSIER_FIGURES[key] for key in FIGURES],
        "reported": [DOSSIER_FIGURES[key] for key in REPORTED],
        "columns": DOSSIER_COLUMNS,
        "series": DOSSIER_SERIES,
    }


def _notes(views: list[AgencyDossiers]) -> list[str]:
    return list(dict.fromkeys(note for view in views for note in view.notes))


def dossier_page(site: Site, agency_id: str) -> Page:
    """An agency's results: months, the chart, the report beside them, findings, procedures."""
    src = site.dossier_src[agency_id]
    here = Linker(src)
    view = site.prepared.dossiers.agencies[agency_id]
    agency = site.agencies.get(agency_id)
    trail = [("Trang chủ", HOME), ("Cơ quan", AGENCIES)] + ([(agency.title, site.page_of(agency))]
                                                           if agency else [])
    return Page(src, "dossiers.md.j2", f"{DOSSIER_WORDS['title']}: {view.name}", {
        "crumbs": [{"text": text, "href": here(target)} for text, target in trail],
        "heading": DOSSIER_WORDS["title"],
        "view": view,
        "agency": Link(view.name, here(site.page_of(agency)) if agency else None),
        "labels": _labels(),
        "ranking_href": here(DOSSIERS),
        "open_data_href": here(OPEN_DATA, "tai-ve") if site.open_data is not None else "",
        "legal_href": here(LEGAL_PAGE),
        "hash_digits": spec.params().hash_digits,
        "procedures": [{"row": row, "href": here(site.page_of(row.view)) if row.view else ""}
                       for row in view.procedures],
    }, {"feeds": site.feed_links(agency_id)})


def dossier_ranking_page(site: Site) -> Page:
    """The province's agencies by the gap between their reported and recomputed on-time rates."""
    here = Linker(DOSSIERS)
    views = list(site.prepared.dossiers.agencies.values())
    return Page(DOSSIERS, "dossier_ranking.md.j2", DOSSIER_WORDS["ranking_title"], {
        "crumbs": [{"text": "Trang chủ", "href": here(HOME)}],
        "rows": [{"rank": n, "view": view, "href": here(site.dossier_src[view.agency])}
                 for n, view in enumerate(views, 1)],
        "notes": _notes(views),
        "labels": _labels(),
        "scorecard_href": here(SCORECARD) if site.scorecard is not None else "",
        "open_data_href": here(OPEN_DATA, "tai-ve") if site.open_data is not None else "",
    })
