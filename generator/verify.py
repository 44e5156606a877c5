"""Nothing lost: the built site holds every record's page, listing entries and export entries.

publish.build_site calls `check_site` on the finished site, before swapping it in: a record
whose page, counter sheet, listing entry or open-data entry is missing fails the build, and
the previous site stays. The check is linear and reads each file it needs once: it looks for
page files (one stat each), reads each listing page once (the agencies' pages, the fields'
pages, the register of plans, the hotline directory) and each export collection once.
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

from generator.model import Corpus, Record
from generator.render.exports import TYPES
from generator.render.pages import HOTLINES, PLANS, Site, counter_src, url_of

SHOWN = 10  # missing items named in the message; the rest are counted
SOURCE_COLUMN = "Tệp dữ liệu gốc"  # tables.py: the record's path, last column of every CSV
_HREF = re.compile(r'\shref="([^"]*)"')


class IncompleteSiteError(Exception):
    """The built site lacks some record's output; the message (Vietnamese) names what."""


def check_site(corpus: Corpus, site_map: Site, built: Path) -> None:
    """Raise IncompleteSiteError unless every record of `corpus` made it into `built`."""
    missing = [
        *missing_pages(corpus, site_map, built),
        *missing_listings(site_map, built),
        *missing_exports(corpus, site_map, built),
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


def missing_pages(corpus: Corpus, site_map: Site, built: Path) -> list[str]:
    """Records without their page; current procedures without their counter sheet."""
    out = []
    for rec in corpus.records:
        src = site_map.src.get(rec.path)
        if not _has_page(built, src):
            out.append(f"Thiếu trang của hồ sơ {rec.path}")
        elif rec.kind == "procedure" and _current(rec) and not _has_page(built, counter_src(str(src))):
            out.append(f"Thiếu bản niêm yết của thủ tục {rec.path}")
    return out


def _current(rec: Record) -> bool:
    return rec.data.get("status") != "repealed"


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
            path = html.unescape(href).split("#", 1)[0]
            if path and ":" not in path:
                joined = posixpath.normpath(posixpath.join(base, path))
                links.add("" if joined == "." else joined.strip("/") + "/")
        return links


def missing_listings(site_map: Site, built: Path) -> list[str]:
    """Current procedures absent from their agency's and their field's page, plans absent from
    the register and their agency's page, agencies absent from the hotline directory."""
    links = _Links(built)
    out: list[str] = []

    def expect(listing: str, what: str, records: Iterable[Record]) -> None:
        linked = links.of(listing)
        if linked is None:
            out.append(f"Thiếu trang danh sách {url_of(listing) or '/'} ({what})")
            return
        out.extend(f"Trang {url_of(listing)} ({what}) không liệt kê hồ sơ {rec.path}"
                   for rec in records if url_of(site_map.src[rec.path]) not in linked)

    for rec in site_map.procedures:
        if _current(rec):
            expect(site_map.field_of(rec).src, "lĩnh vực", [rec])
    for rec in [*site_map.procedures, *site_map.plans]:
        agency = site_map.agencies.get(rec.agency)
        if agency is not None and (rec.kind == "plan" or _current(rec)):
            expect(site_map.src[agency.path], "cơ quan", [rec])
    expect(PLANS, "văn bản", site_map.plans)
    expect(HOTLINES, "đường dây nóng", site_map.agencies.values())
    return out


def _collection(path: Path) -> Iterator[dict[str, Any]]:
    """The `source_path` and `json_url` of each record of a collection, read a line at a time.

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
                yield {"source_path": item.get("source_path"), "json_url": item.get("json_url")}


def _csv_sources(path: Path) -> set[str]:
    """The source path of every row of an exported CSV.

    A valid record may hold more text in one cell than the csv module's default field limit
    (131,072 characters: seven long steps joined): no field can be longer than the file.
    """
    csv.field_size_limit(max(csv.field_size_limit(), os.path.getsize(path)))
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream)
        column = next(rows).index(SOURCE_COLUMN)
        return {row[column] for row in rows if len(row) > column}


def missing_exports(corpus: Corpus, site_map: Site, built: Path) -> list[str]:
    """Records absent from their type's JSON collection, own JSON file or CSV."""
    base = site_map.open_data["site_url"] if site_map.open_data else ""
    out: list[str] = []
    for rtype in TYPES:
        paths = [r.path for r in corpus.of_kind(rtype.kind)]
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
            elif base and not os.path.isfile(os.path.join(built, files[path].removeprefix(base))):
                out.append(f"Thiếu tệp dữ liệu mở {files[path].removeprefix(base)} của hồ sơ {path}")
            if path not in in_csv:
                out.append(f"Dữ liệu mở {csv_rel} thiếu hồ sơ {path}")
    return out
