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

import segno
from markupsafe import Markup

from generator.prepare.format import line
from generator.prepare.views import Channel, ProcedureView
from generator.render.site import Linker, Page, Site, counter_src, url_of

STEP_LIMIT = 200  # characters of a step shown on the sheet (the sheet's script may cut more)
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
_DARK = re.compile(rb"\x01+")


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


def counter_page_of(site: Site, proc: ProcedureView) -> Page:
    """The counter sheet of one procedure, its QR code included."""
    url = site.absolute(site.page_of(proc))
    return counter_page(site, proc, url, qr_svg(url))


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
    """One row per distinct time and fees: "Trực tiếp, Trực tuyến" share a row when they agree."""
    rows: dict[tuple[object, ...], dict[str, Any]] = {}
    for channel in channels:
        fees = tuple((f.name, f.shown, f.note) for f in channel.fees.lines)
        key = (channel.time.text, channel.time.note, channel.fees.none, fees)
        if key in rows:
            row = rows[key]
            row["method"] += f", {channel.label.lower()}"
            row["where"] = row["where"] or channel.where
        else:
            rows[key] = {"method": channel.label, "where": channel.where, "time": channel.time,
                         "fees": channel.fees}
    return list(rows.values())


def counter_page(site: Site, proc: ProcedureView, url: str, qr: str) -> Page:
    """The counter sheet of a procedure; `url` is its page's public address, `qr` that as a QR code."""
    proc_src = site.page_of(proc)
    src = counter_src(proc_src)
    here = Linker(src)
    agency = site.agencies.get(proc.agency)
    steps = [line(step) for step in proc.steps]
    context = {
        "name": proc.title,
        "back": here(proc_src),
        "assets": "../" * (len(url_of(src).split("/")) - 1) + "assets/",
        "notice": proc.notice,
        "code": proc.key,
        "field": site.field_of(proc).name,
        "level": proc.level_label,
        "agency": proc.agency_name,
        "documents": proc.documents,
        "dossier_sets": proc.dossier_sets,
        "steps": [short(s) for s in steps],
        "channels": channel_rows(proc.channels),
        "location": [" ".join(lines) for lines in proc.location],
        "hotlines": agency.hotlines if agency else (),
        "updated": proc.updated,
        "updated_iso": proc.updated_iso,
        "url": url,
        "qr": Markup(qr),  # made by qr_svg from the QR matrix alone: no record text in it
    }
    return Page(src, "counter.html.j2", f"Niêm yết: {proc.title}", context, standalone=True)
