"""The public page "Căn cứ pháp lý của cổng": the legal registry, so that anyone can check
what the portal's messages cite, how sure each citation is and when it applies."""

from __future__ import annotations

from typing import Any

from generator import legal
from generator.model import LegalRef
from generator.render import labels as L
from generator.render.pages import HOME, Linker, Page

LEGAL_PAGE = "can-cu-phap-ly.md"  # site_overrides/partials/copyright.html links to it


def legal_page() -> Page:
    here = Linker(LEGAL_PAGE)
    entries = list(legal.registry().values())
    return Page(LEGAL_PAGE, "legal.md.j2", "Căn cứ pháp lý của cổng", {
        "crumbs": [{"text": "Trang chủ", "href": here(HOME)}],
        "version": L.date(legal.registry_version()),
        "confidences": [legal.confidence_label(c) for c in ("confirmed", "secondary", "unconfirmed")],
        "laws": [_row(e) for e in entries if e.kind == "law"],
        "policies": [_row(e) for e in entries if e.kind == "policy"],
    })


def _row(entry: LegalRef) -> dict[str, Any]:
    successor = legal.ref(entry.replaced_by)
    return {
        "id": entry.id,
        "instrument": entry.instrument,
        "article": entry.article or "—",
        "description": entry.description,
        "confidence": legal.confidence_label(entry.confidence),
        "doubtful": entry.confidence != "confirmed",
        "period": _period(entry),
        "replaced_by": _link(successor) if successor else None,
        "also": [_link(other) for other in entry.also],
        "note": entry.note,
    }


def _period(entry: LegalRef) -> str:
    start = f"từ {L.date(entry.valid_from)}" if entry.valid_from else ""
    end = f"đến {L.date(entry.valid_until)}" if entry.valid_until else ""
    return " ".join(part for part in (start, end) if part) or "Đang áp dụng"


def _link(entry: LegalRef) -> dict[str, str]:
    return {"text": entry.cite(), "href": f"#{entry.id}"}
