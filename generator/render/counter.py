"""The counter sheet (niêm yết) of a procedure: one A4 page to post at the one-stop counter.

Name, code, documents with counts and their notes (when a document is needed), the steps in
short, the conditions, processing times and fees, where to submit and its hours, the agency's
hotlines, the date of the information and a QR code (segno, inline SVG,
made at build time, kept between builds by `cached_qr`) that opens the procedure's page on the
portal. A catalogue procedure has one sheet per place, all on one page at `<procedure
page>/niem-yet/`, each at `#<agency>` with that agency's counter, hours, hotlines and local times,
its QR code opening the place on the procedure's page; a self-contained record has one, on the same
kind of page. Sheets are standalone pages, outside mkdocs, the navigation and the search index.
It prints in the font the site ships, and fits itself to one page by measuring its own height in
the browser (assets/javascripts/niem-yet.js): nothing here guesses how long a sheet prints.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import Any

import segno
from markupsafe import Markup

from generator.prepare.format import line
from generator.prepare.places import CatalogueView
from generator.prepare.views import Channel, Hotline, Paragraphs, ProcedureView
from generator.render.site import Linker, Page, Site, counter_src, sheet_id, url_of

STEP_LIMIT = 200  # characters of a step shown on the sheet (the sheet's script may cut more)
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
_DARK = re.compile(rb"\x01+")
QR_VERSION = "1"  # of qr_svg's drawing: part of each cached code's key


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, sized by CSS: one path, a line per run of dark modules.

    Error correction M survives a worn, sun-faded sheet. The mask is fixed: choosing the best of
    eight costs four times the encoding and any mask reads well on a clean print. (segno is pure
    Python: about 1.2 ms a code, 50 processor-seconds for a province's 41,000 sheets: `cached_qr`
    keeps each code between builds.)
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


def qr_cache_folder(default: Path) -> Path | None:
    """Where QR codes are kept between builds: $CONGKHAI_QR_CACHE if set (empty: nowhere), else
    `default` (publish: build/qr beside mkdocs.yml)."""
    chosen = os.environ.get("CONGKHAI_QR_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    return default


def cached_qr(url: str, folder: Path | None) -> str:
    """`qr_svg(url)`, read from `folder` when an earlier build made it, else made and kept there.

    Content-addressed: the file is named by the hash of the URL and of this module's drawing
    version, so a changed URL or drawing is a new file and a kept file is never stale. A new file
    is written under a unique name and renamed into place (atomic): concurrent workers and a
    build killed midway leave whole files or none. A cache that cannot be read or written only
    costs the time of making the code again.
    """
    if folder is None:
        return qr_svg(url)
    key = hashlib.sha256(f"{QR_VERSION}\n{url}".encode()).hexdigest()
    target = folder / key[:2] / f"{key}.svg"
    try:
        return target.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        pass
    svg = qr_svg(url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
        partial.write_text(svg, encoding="ascii")
        os.replace(partial, target)
    except OSError:
        pass
    return svg


def counter_page_of(site: Site, proc: ProcedureView) -> Page:
    """The counter sheet of a self-contained procedure, its QR code included."""
    url = site.absolute(site.page_of(proc))
    agency = site.agencies.get(proc.agency)
    return counter_page(site, proc, [_sheet(
        site, proc.agency, proc.agency_name, proc.location, agency.office_hours if agency else "",
        agency.hotlines if agency else (), proc.channels, proc.updated, proc.updated_iso, url)], url)


def places_counter_page(site: Site, proc: CatalogueView) -> Page:
    """The counter sheets of a catalogue procedure, one per place, on one page: `#<agency>`
    shows and prints that place's sheet alone (niem-yet.css), whose QR code opens the place on the
    procedure's page. One file per procedure, not per place: a province's 41,000 sheets are
    2,600 files to write and to host."""
    page_url = site.absolute(site.page_of(proc))
    return counter_page(site, proc, [_sheet(
        site, place.agency, place.agency_name, place.location, place.hours, place.hotlines, place.channels,
        place.updated, place.updated_iso, f"{page_url}#{place.anchor}") for place in proc.places], page_url)


def _sheet(site: Site, agency_id: str, agency_name: str, location: Paragraphs, hours: str,
           hotlines: tuple[Hotline, ...], channels: tuple[Channel, ...], updated: str, updated_iso: str,
           url: str) -> dict[str, Any]:
    """One sheet: where the procedure is performed, and the QR code opening `url`."""
    return {
        "id": sheet_id(agency_id),
        "agency": agency_name,
        "location": [" ".join(lines) for lines in location],
        "hours": hours,
        "hotlines": hotlines,
        "channels": channel_rows(channels),
        "updated": updated,
        "updated_iso": updated_iso,
        "url": url,
        "qr": Markup(cached_qr(url, site.qr_cache)),  # qr_svg: from the QR matrix alone, no record text
    }


def short(text: str, limit: int = STEP_LIMIT) -> str:
    """The first sentence of a step, cut at a word boundary when longer than `limit`."""
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 < end < limit:
        return text[: end + 1]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def channel_rows(channels: tuple[Channel, ...]) -> list[dict[str, Any]]:
    """One row per distinct time and fees as the sheet shows them (without their notes, which it
    leaves to the portal): "Trực tiếp, Trực tuyến" share a row when they agree."""
    rows: dict[tuple[object, ...], dict[str, Any]] = {}
    for channel in channels:
        fees = tuple((f.name, f.shown) for f in channel.fees.lines)
        key = (channel.time.text, channel.fees.none, fees)
        if key in rows:
            row = rows[key]
            row["method"] += f", {channel.label.lower()}"
            row["where"] = row["where"] or channel.where
        else:
            rows[key] = {"method": channel.label, "where": channel.where, "time": channel.time,
                         "fees": channel.fees}
    return list(rows.values())


def counter_page(site: Site, proc: ProcedureView, sheets: list[dict[str, Any]], url: str) -> Page:
    """The counter sheets of `proc`, each where it is performed (agency, location, hours,
    hotlines, channel rows, date, the public address its QR code opens); `url` is the page's
    canonical address. With more than one, the page lists the places, each linking to its sheet."""
    src = counter_src(site.page_of(proc))
    here = Linker(src)
    steps = [line(step) for step in proc.steps]
    # Several sheets: the page lists their places, each linking to its sheet.
    places = [{"id": sheet["id"], "name": sheet["agency"]} for sheet in sheets] if len(sheets) > 1 else []
    context = {
        "name": proc.title,
        "back": here(site.page_of(proc)),
        "assets": "../" * (len(url_of(src).split("/")) - 1) + "assets/",
        "notice": proc.notice,
        "code": proc.key,
        "field": site.field_of(proc).name,
        "level": proc.level_label,
        "documents": proc.documents,
        "dossier_sets": proc.dossier_sets,
        "steps": [short(s) for s in steps],
        "requirements": [" ".join(lines) for lines in proc.requirements],
        "url": url,
        "sheets": sheets,
        "places": places,
    }
    return Page(src, "counter.html.j2", f"Niêm yết: {proc.title}", context, standalone=True)
