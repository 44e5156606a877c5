"""The counter sheet (niêm yết) of a procedure: one A4 page to post at the one-stop counter.

Name, code, documents with counts, the steps in short, processing times and fees, where to
submit, the agency's hotlines, the date of the information and a QR code (segno, inline SVG,
made at build time) that opens the procedure's page on the portal. The page is a generated page
like the others, at `<procedure page>/niem-yet/`, outside the navigation and the search index.
It prints in the font the site ships, and fits itself to one page by measuring its own height in
the browser (assets/javascripts/niem-yet.js): nothing here guesses how long a sheet prints.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from generator.model import Record
from generator.render import labels as L
from generator.render.pages import (
    Linker,
    Page,
    Site,
    _fees,
    _hotlines,
    _name,
    _time,
    counter_src,
    url_of,
)
from generator.render.siteconfig import mkdocs_config, site_url

STEP_LIMIT = 200  # characters of a step shown on the sheet (the sheet's script may cut more)
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
_DARK = re.compile(rb"\x01+")


def public_url(site: Site, src: str) -> str:
    """The absolute URL of a page: the open-data site URL, else mkdocs.yml's `site_url`."""
    return site.absolute(src) or f"{site_url(mkdocs_config()).rstrip('/')}/{url_of(src)}"


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, sized by CSS: one path, a line per run of dark modules.

    Error correction M survives a worn, sun-faded sheet. The mask is fixed: choosing the best of
    eight costs four times the encoding and any mask reads well on a clean print. (segno is pure
    Python: about 2 ms a code; render_docs shares the pages out between processors.)
    """
    code = segno.make_qr(url, error="m", mask=0)
    size = code.symbol_size(border=QUIET_ZONE)[0]
    moves, x, y = [], 0, 0.0  # relative moves from the end of the previous run
    for row_index, row in enumerate(code.matrix):
        line = row_index + QUIET_ZONE + 0.5
        for run in _DARK.finditer(bytes(row)):
            start = run.start() + QUIET_ZONE
            moves.append(f"m{start - x} {line - y:g}h{run.end() - run.start()}")
            x, y = start + run.end() - run.start(), line
    path = "".join(moves).replace("m", "M", 1)
    return f'<svg viewBox="0 0 {size} {size}" class="ck-qr"><path stroke="#000" d="{path}"/></svg>'


def counter_page_of(site: Site, rec: Record) -> Page:
    """The counter sheet of one procedure, its QR code included."""
    url = public_url(site, site.src[rec.path])
    return counter_page(site, rec, url, qr_svg(url))


def short(text: str, limit: int = STEP_LIMIT) -> str:
    """The first sentence of a step, cut at a word boundary when longer than `limit`."""
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 < end < limit:
        return text[: end + 1]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _channel(channel: dict[str, Any]) -> dict[str, Any]:
    url = L.safe_href(channel.get("url"))
    return {
        "method": L.label(L.METHODS, channel.get("method")),
        "where": urlsplit(url).netloc if url else "",
        "time": _time(channel.get("processing_time")),
        "fees": _fees(channel.get("fees")),
    }


def channel_rows(channels: list[Any]) -> list[dict[str, Any]]:
    """One row per distinct time and fees: "Trực tiếp, Trực tuyến" share a row when they agree."""
    rows: dict[str, dict[str, Any]] = {}
    for channel in (_channel(c) for c in channels if isinstance(c, dict)):
        key = repr((channel["time"], channel["fees"]))
        if key in rows:
            row = rows[key]
            row["method"] += f", {channel['method'].lower()}"
            row["where"] = row["where"] or channel["where"]
        else:
            rows[key] = channel
    return list(rows.values())


def counter_page(site: Site, rec: Record, url: str, qr: str) -> Page:
    """The counter sheet of a procedure; `url` is its page's public address, `qr` that as a QR code."""
    proc_src = site.src[rec.path]
    src = counter_src(proc_src)
    here = Linker(src)
    data = rec.data
    field_group = site.field_of(rec)
    agency = site.agencies.get(rec.agency)
    name = _name(rec)
    steps = [L.text(s) for s in data.get("steps") or []]
    context = {
        "name": name,
        "back": here(proc_src),
        "assets": "../" * (len(url_of(src).split("/")) - 1) + "assets/",
        "suspended": data.get("status") == "suspended",
        "code": rec.key,
        "field": field_group.name,
        "level": L.label(L.LEVELS, data.get("level")),
        "agency": site.agency_name(rec.agency),
        "documents": [
            {
                "name": L.text(d.get("name")),
                "originals": L.text(d.get("originals")),
                "copies": L.text(d.get("copies")),
                "form": isinstance(d.get("form"), dict),
            }
            for d in data.get("documents") or []
            if isinstance(d, dict)
        ],
        "dossier_sets": L.text(data.get("dossier_sets")),
        "steps": [short(s) for s in steps],
        "channels": channel_rows(data.get("channels") or []),
        "location": [" ".join(lines) for lines in L.paragraphs(data.get("location"))],
        "hotlines": _hotlines(agency.data) if agency else [],
        "updated": L.date(data.get("updated")),
        "updated_iso": L.iso(data.get("updated")),
        "url": url,
        "qr": Markup(qr),  # made by qr_svg from the QR matrix alone: no record text in it
    }
    return Page(src, "counter.html.j2", f"Niêm yết: {name}", context, standalone=True)
