"""Nothing lost: the built site holds every record's page, listing entries and export entries.

A catalogue procedure's page must hold each of its places (the `noi-<agency>` section), its page
of counter sheets a sheet for each place (`<agency>`), and each performing agency's page a link to
its place.

publish.build_site calls `check_site` on the finished site (its counter sheets still in their own
folder, while Pagefind indexes the pages), before swapping it in: a record
whose page, counter sheet, listing entry or open-data entry is missing fails the build, and
the previous site stays; so does a missing dossier results page of an agency, its place on the
province ranking or on its agency's page, or a month of its results in the open data. The check
is linear and reads each file it needs once: it looks for page files (one stat each), reads each
listing page once (the agencies' pages, the fields' pages, the register of plans, the hotline
directory, the ranking) and each export collection once.
"""

from __future__ import annotations

import csv
import html
import json
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from generator.labels import DOSSIER_COLUMNS
from generator.prepare.places import CatalogueView
from generator.prepare.views import ProcedureView, RecordView
from generator.render import dossier_exports
from generator.render.exports import TYPES
from generator.render.site import DOSSIERS, HOTLINES, PLANS, Site, counter_src, sheet_id, url_of

SHOWN = 10  # missing items named in the message; the rest are counted
SOURCE_COLUMN = "Tệp dữ liệu gốc"  # tables.py: the record's path, last column of every CSV
_HREF = re.compile(r'\shref="([^"]*)"')
# Read as bytes: a third of the time of decoding 400 MB of the province's pages of sheets.
_ID = re.compile(rb'\sid="([^"]*)"')
_SHEET_ID = re.compile(rb'<div class="ck-sheet" id="([^"]*)"')


class IncompleteSiteError(Exception):
    """The built site lacks some record's output; the message (Vietnamese) names what."""


def check_site(site_map: Site, built: Path, sheets: Path | None = None) -> None:
    """Raise IncompleteSiteError unless every record of `site_map` made it into `built`, its
    counter sheets into `sheets` (default: `built`; publish/ moves them in afterwards)."""
    missing = [
        *missing_pages(site_map, built, sheets or built),
        *missing_listings(site_map, built),
        *missing_exports(site_map, built),
        *missing_dossiers(site_map, built),
    ]
    if missing:
        more = f" (và {len(missing) - SHOWN} chỗ thiếu khác)" if len(missing) > SHOWN else ""
        raise IncompleteSiteError(
            f"Trang web vừa dựng còn thiếu nên không được xuất bản: {'; '.join(missing[:SHOWN])}{more}.")


def _page_file(built: Path, src: str) -> str:
    # os.path on strings: a third of the time pathlib takes, for 20,000 pages
    return os.path.join(built, url_of(src), "index.html")


def _has_page(built: Path, src: str | None) -> bool:
    return src is not None and os.path.isfile(_page_file(built, src))


def missing_pages(site_map: Site, built: Path, sheets: Path) -> list[str]:
    """Records without their page; current procedures without their counter sheet; catalogue
    procedures without a place's section on their page, or (current) a place's counter sheet."""
    out = []
    current = {proc.path for proc in site_map.procedures if proc.current}
    for view in site_map.prepared.views:
        src = site_map.src.get(view.path)
        if not _has_page(built, src):
            out.append(f"Thiếu trang của hồ sơ {view.path}")
        elif isinstance(view, CatalogueView):
            out += _missing_places(built, sheets, str(src), view, view.path in current)
        elif view.path in current and not _has_page(sheets, counter_src(str(src))):
            out.append(f"Thiếu bản niêm yết của thủ tục {view.path}")
    return out


def _missing_places(built: Path, sheets: Path, src: str, view: CatalogueView, current: bool) -> list[str]:
    on_page = _ids(_page_file(built, src), _ID)
    out = [f"Trang thủ tục {view.path} thiếu nơi thực hiện {place.agency}"
           for place in view.places if place.anchor not in on_page]
    if current and view.places:
        on_sheets = sheet_ids(_page_file(sheets, counter_src(src)))
        out += [f"Thiếu bản niêm yết của thủ tục {view.path} tại {place.agency}"
                for place in view.places if sheet_id(place.agency) not in on_sheets]
    return out


def sheet_ids(path: str | Path) -> set[str]:
    """The ids of the counter sheets on the sheets' page at `path` (`<agency>`); none when it is
    missing."""
    return _ids(path, _SHEET_ID)


def _ids(path: str | Path, pattern: re.Pattern[bytes]) -> set[str]:
    """The ids `pattern` finds on the page at `path`; none when it is missing."""
    try:
        with open(path, "rb") as stream:
            return {found.decode("utf-8", "replace") for found in pattern.findall(stream.read())}
    except FileNotFoundError:
        return set()


class _Links:
    """The pages each listing page links to (site-relative URLs), each listing read once."""

    def __init__(self, built: Path) -> None:
        self.built = built
        self._read: dict[str, set[str] | None] = {}

    def of(self, src: str) -> set[str] | None:
        """URLs linked from the page of `src`; None when that page is missing."""
        if src not in self._read:
            self._read[src] = self._parse(src)
        return self._read[src]

    def _parse(self, src: str) -> set[str] | None:
        try:
            with open(_page_file(self.built, src), encoding="utf-8") as stream:
                text = stream.read()
        except FileNotFoundError:
            return None
        base = url_of(src) or "."
        links = set()
        for href in _HREF.findall(text):
            path, _, anchor = html.unescape(href).partition("#")
            if path and ":" not in path:
                joined = posixpath.normpath(posixpath.join(base, path))
                url = "" if joined == "." else joined.strip("/") + "/"
                links.add(url)
                if anchor:  # a place on a catalogue procedure's page: "thu-tuc/x/#noi-a"
                    links.add(f"{url}#{anchor}")
        return links


def missing_listings(site_map: Site, built: Path) -> list[str]:
    """Current procedures absent from their agency's and their field's page, plans absent from
    the register and their agency's page, agencies absent from the hotline directory."""
    links = _Links(built)
    out: list[str] = []

    def expect(listing: str, what: str, views: Iterable[RecordView], agency_id: str = "") -> None:
        linked = links.of(listing)
        if linked is None:
            out.append(f"Thiếu trang danh sách {url_of(listing) or '/'} ({what})")
            return
        for view in views:
            anchor = site_map.anchor_of(view, agency_id)
            if url_of(site_map.page_of(view)) + (f"#{anchor}" if anchor else "") not in linked:
                out.append(f"Trang {url_of(listing)} ({what}) không liệt kê hồ sơ {view.path}"
                           + (f" tại {agency_id}" if anchor else ""))

    current = [proc for proc in site_map.procedures if proc.current]
    for proc in current:
        expect(site_map.field_of(proc).src, "lĩnh vực", [proc])
    for view in [*current, *site_map.plans]:
        for agency_id in view.performed_by if isinstance(view, ProcedureView) else (view.agency,):
            agency = site_map.agencies.get(agency_id)
            if agency is not None:
                expect(site_map.page_of(agency), "cơ quan", [view], agency_id)
    expect(PLANS, "văn bản", site_map.plans)
    expect(HOTLINES, "đường dây nóng", site_map.agencies.values())
    return out


def _records(path: Path, keys: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """The `keys` of each record of a collection, read a line at a time.

    The exporter writes one record per line (render/exports.py): reading it whole would hold
    hundreds of megabytes of objects at 10,000 procedures, just to check two fields.
    """
    with open(path, encoding="utf-8") as stream:
        header = next(stream)
        if not header.rstrip().endswith('"records":['):
            raise ValueError(f"{path.name}: dòng đầu không đúng dạng")
        for line in stream:
            line = line.rstrip("\n").removesuffix(",")
            if line.startswith("{"):
                item = json.loads(line)
                yield tuple(item.get(key) for key in keys)


def _collection(path: Path) -> Iterator[dict[str, Any]]:
    """The `source_path` and `json_url` of each record of a collection."""
    for source, url in _records(path, ("source_path", "json_url")):
        yield {"source_path": source, "json_url": url}


def _csv_keys(path: Path, headers: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The cells under `headers` of every row of an exported CSV.

    A valid record may hold more text in one cell than the csv module's default field limit
    (131,072 characters: seven long steps joined): no field can be longer than the file.
    """
    csv.field_size_limit(max(csv.field_size_limit(), os.path.getsize(path)))
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream)
        first = next(rows)
        columns = [first.index(header) for header in headers]
        return {tuple(row[c] for c in columns) for row in rows if len(row) > max(columns)}


def _csv_sources(path: Path) -> set[str]:
    """The source path of every row of an exported CSV."""
    return {key for key, in _csv_keys(path, (SOURCE_COLUMN,))}


def missing_exports(site_map: Site, built: Path) -> list[str]:
    """Records absent from their type's JSON collection, own JSON file or CSV."""
    base = site_map.site_url
    out: list[str] = []
    for rtype in TYPES:
        paths = [v.path for v in site_map.prepared.views if v.record.kind == rtype.kind]
        json_rel, csv_rel = f"api/{rtype.name}.json", f"api/{rtype.name}.csv"
        try:
            items = list(_collection(built / json_rel))
            in_csv = _csv_sources(built / csv_rel)
        except (OSError, ValueError, KeyError, StopIteration, csv.Error) as exc:
            out.append(f"Không đọc được dữ liệu mở {json_rel}, {csv_rel}: {exc}")
            continue
        files = {item.get("source_path"): str(item.get("json_url", "")) for item in items}
        for path in paths:
            if path not in files:
                out.append(f"Dữ liệu mở {json_rel} thiếu hồ sơ {path}")
            elif not os.path.isfile(os.path.join(built, files[path].removeprefix(base))):
                out.append(f"Thiếu tệp dữ liệu mở {files[path].removeprefix(base)} của hồ sơ {path}")
            if path not in in_csv:
                out.append(f"Dữ liệu mở {csv_rel} thiếu hồ sơ {path}")
    return out


def missing_dossiers(site_map: Site, built: Path) -> list[str]:
    """Agencies with dossier results: their page, on the ranking and on their agency's page; each
    month in the JSON and the CSV, each procedure's month in the procedures' CSV."""
    agencies = site_map.prepared.dossiers.agencies
    if not agencies:
        return []
    links = _Links(built)
    out = [f"Thiếu trang kết quả giải quyết hồ sơ của cơ quan {agency}"
           for agency, src in site_map.dossier_src.items() if not _has_page(built, src)]
    pages = [(agency, url_of(src)) for agency, src in site_map.dossier_src.items()]
    ranking = links.of(DOSSIERS)
    if ranking is None:
        out.append(f"Thiếu trang {url_of(DOSSIERS)} (kết quả giải quyết hồ sơ của các cơ quan)")
    else:
        out += [f"Trang {url_of(DOSSIERS)} không liệt kê kết quả giải quyết hồ sơ của cơ quan {agency}"
                for agency, url in pages if url not in ranking]
    for agency, url in pages:
        own = site_map.agencies.get(agency)
        linked = links.of(site_map.page_of(own)) if own else None
        if linked is not None and url not in linked:
            out.append(f"Trang cơ quan {agency} không dẫn tới kết quả giải quyết hồ sơ của cơ quan")
    months: set[tuple[str, ...]] = {(agency, m.result.month) for agency, view in agencies.items()
                                    for m in view.months}
    procedures: set[tuple[str, ...]] = {(agency, m.result.month, code) for agency, view in agencies.items()
                                        for m in view.months for code in m.result.procedures}
    keys = (DOSSIER_COLUMNS["agency_id"], DOSSIER_COLUMNS["month"])
    files = (dossier_exports.JSON, dossier_exports.CSV, dossier_exports.PROCEDURES_CSV)
    try:
        found: dict[str, set[tuple[str, ...]]] = {
            files[0]: {tuple(map(str, key)) for key in _records(built / files[0], ("agency", "month"))},
            files[1]: _csv_keys(built / files[1], keys),
            files[2]: _csv_keys(built / files[2], (*keys, DOSSIER_COLUMNS["procedure_code"])),
        }
    except (OSError, ValueError, KeyError, StopIteration, csv.Error) as exc:
        return [*out, f"Không đọc được dữ liệu mở {', '.join(files)}: {exc}"]
    for rel, expected in zip(files, (months, months, procedures), strict=True):
        out += [f"Dữ liệu mở {rel} thiếu kết quả của cơ quan {key[0]} tháng {key[1]}"
                + (f" thủ tục {key[2]}" if len(key) > 2 else "") for key in sorted(expected - found[rel])]
    return out
