"""Open data of every build: JSON API, CSV, CPSV-AP JSON-LD, Atom feeds, sitemap and robots.txt.

Layout, relative to the site root (<type> is procedures, plans_and_policies or agencies):

    api/index.json, api/index.schema.json       counts, schema version, dates, every file
    api/<type>.json, api/<type>.schema.json     every published record of a type
    api/<type>.csv                              the same, one row per record (tables.py)
    api/<type>/<agency>/<id>.json               one record (agencies: api/agencies/<id>.json)
    api/<type>/record.schema.json               the schema of one record
    api/cpsv-ap.jsonld, api/cpsv-ap.schema.json the procedures as CPSV-AP 3.2 PublicServices
    atom.xml, atom-<agency>.xml                 new and changed records, whole portal and per agency
    sitemap.xml (and .gz), robots.txt

`stage_exports` writes the files into a staging folder before the pages are rendered (the "Dữ
liệu mở" page shows their sizes); publish/sitewalk.py moves them into the built site and adds the
sitemap, which lists the pages mkdocs actually built.

Determinism: records are ordered by their path, feeds by date then path; JSON keys are sorted;
every date comes from the records (or the build date given on the command line), never from
the clock; gzip gets a zero timestamp. The same records give byte-identical files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote, urlsplit

from generator.labels import HISTORY_WORDS, RECORD_TYPES
from generator.model import Kind
from generator.prepare.format import date, size_text
from generator.prepare.history import History
from generator.prepare.places import CatalogueView, PlaceView
from generator.prepare.views import AgencyView, PlanView, ProcedureView, RecordView
from generator.render import dossier_exports, export_schemas, jsonld, tables
from generator.render.feeds import Entry, atom
from generator.render.site import DOSSIERS, Site, url_of
from generator.textnorm import fold

FEED_SIZE = 100  # newest entries per feed, unless ExportOptions says otherwise
FEED_CHANGES = 3  # latest changes in a feed entry's content (the page shows the others)
TAG_YEAR = "2025"  # the date part of the feeds' tag: URIs; never change it
LICENCE = {
    "name": "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.vi",
    "statement": (
        "Dữ liệu là thông tin công khai theo quy định của pháp luật. Mọi tổ chức, cá nhân được tự do "
        "sao chép, sử dụng, chia sẻ và xử lý lại, kể cả cho mục đích thương mại, với điều kiện ghi rõ "
        "nguồn: «{site_name}». Dữ liệu có giá trị tham khảo; văn bản có giá trị pháp lý là quyết định "
        "công bố, văn bản của cơ quan có thẩm quyền."
    ),
}
_SEGMENT = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class RecordType:
    kind: Kind
    name: str  # file and folder name under api/
    title: str  # Vietnamese


TYPES = (
    RecordType("catalogue", "catalogue", RECORD_TYPES["catalogue"]),
    RecordType("procedure", "procedures", RECORD_TYPES["procedure"]),
    RecordType("plan", "plans_and_policies", RECORD_TYPES["plan"]),
    RecordType("agency", "agencies", RECORD_TYPES["agency"]),
)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    site_url: str  # absolute, ends with "/"
    site_name: str
    build_date: str  # ISO date
    feed_size: int = FEED_SIZE  # newest entries per feed


@dataclass(frozen=True, slots=True)
class Download:
    """One file listed on the "Dữ liệu mở" page and in api/index.json."""

    path: str  # relative to the site root
    title: str
    format: str  # JSON, CSV, JSON-LD, Atom
    media_type: str
    bytes: int
    records: int | None = None
    schema: str | None = None  # path of its JSON Schema


@dataclass(slots=True)
class Exports:
    folder: Path  # staging folder, mirrored into the site by write_exports
    options: ExportOptions
    data_date: str  # the latest date among the records
    counts: dict[str, int]
    downloads: list[Download] = field(default_factory=list)
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)  # agency id ("" = all) -> path, title
    lastmod: dict[str, str] = field(default_factory=dict)  # page URL (site-relative) -> ISO date
    more_csv: list[dict[str, Any]] = field(default_factory=list)  # other CSV files: file, title, headers
    more_rules: list[str] = field(default_factory=list)  # how to read them

    def page_data(self) -> dict[str, Any]:
        """What the pages need: the feed links and the "Dữ liệu mở" page's content."""
        return {
            "feeds": self.feeds,
            "page": _open_data_content(self),
        }


# --- staging -------------------------------------------------------------------------------


class _Folder:
    """Writes files under the staging root, creating folders once.

    Creating a file costs more than serialising a record (about 0.3 ms on ext4): `write_soon`
    hands the one-file-per-record writes to a few threads while the main thread goes on.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="exports")
        self._pending: list[Future[int]] = []

    def __enter__(self) -> _Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        for future in self._pending:
            future.result()  # the first failed write fails the build

    def _target(self, rel: str) -> Path:
        target = self.root / rel
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def write(self, rel: str, data: bytes) -> int:
        return self._target(rel).write_bytes(data)

    @contextmanager
    def text(self, rel: str) -> Iterator[TextIO]:
        """A UTF-8 text file to stream into (newlines written as given)."""
        with open(self._target(rel), "w", encoding="utf-8", newline="") as stream:
            yield stream

    def size(self, rel: str) -> int:
        return (self.root / rel).stat().st_size

    def write_soon(self, rel: str, data: bytes) -> None:
        self._pending.append(self._pool.submit(self._target(rel).write_bytes, data))


def _dumps(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False, default=_iso
    )


def _iso(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"không xuất được giá trị kiểu {type(value).__name__}")


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _segment(text: str) -> str:
    return _SEGMENT.sub("-", text).strip(".-") or "x"


class _Links:
    """Absolute URLs of the pages and of each record's own JSON file."""

    def __init__(self, site: Site, by_type: dict[Kind, list[RecordView]], site_url: str) -> None:
        self.site = site
        self.base = site_url
        self._api: dict[str, str] = {}  # record path -> its own JSON file
        taken: set[str] = set()
        for rtype in TYPES:
            for view in by_type[rtype.kind]:
                flat = rtype.kind in ("agency", "catalogue")
                parts = [rtype.name] if flat else [rtype.name, _segment(view.agency)]
                stem, rel, n = _segment(view.record.stem), "", 1
                while not rel or rel in taken:
                    rel = "api/" + "/".join([*parts, stem + (f"-{n}" if n > 1 else "")]) + ".json"
                    n += 1
                taken.add(rel)
                self._api[view.path] = rel

    def url(self, rel: str) -> str:
        return self.base + rel

    def page_rel(self, view: RecordView) -> str:
        return url_of(self.site.page_of(view))

    def page(self, view: RecordView) -> str:
        return self.base + self.page_rel(view)

    def api_rel(self, view: RecordView) -> str:
        return self._api[view.path]

    def agency(self, agency_id: str) -> AgencyView | None:
        return self.site.agencies.get(agency_id)

    def agency_page(self, agency_id: str) -> str | None:
        agency = self.site.agencies.get(agency_id)
        return self.page(agency) if agency else None


def stage_exports(site: Site, folder: Path, options: ExportOptions) -> Exports:
    """Write every export of the records of `site` under `folder`; return what the pages and the
    sitemap need."""
    views = site.prepared.views
    by_type: dict[Kind, list[RecordView]] = {
        t.kind: sorted((v for v in views if v.record.kind == t.kind), key=lambda v: v.path) for t in TYPES}
    links = _Links(site, by_type, options.site_url)
    exports = Exports(folder, options, site.prepared.data_date,
                      {t.name: len(by_type[t.kind]) for t in TYPES})
    with _Folder(folder) as out:
        for rtype in TYPES:
            exports.downloads += _write_type(out, rtype, by_type[rtype.kind], links, options)
        exports.downloads.append(_write_cpsv(out, [*by_type["catalogue"], *by_type["procedure"]], links))
        exports.downloads += _write_dossiers(out, exports, links)
        exports.downloads += _write_feeds(out, exports, views, links)
        _write_index(out, exports, links)
    for view in views:
        exports.lastmod[links.page_rel(view)] = view.changed or exports.data_date
    for agency_id, agency in site.agencies.items():  # an agency page lists its records
        own = [exports.lastmod[links.page_rel(v)] for v in site.by_agency.get(agency_id, [])]
        exports.lastmod[links.page_rel(agency)] = max([exports.lastmod[links.page_rel(agency)], *own])
    return exports


def _write_type(
    out: _Folder, rtype: RecordType, records: list[RecordView], links: _Links, options: ExportOptions
) -> list[Download]:
    """The collection, one file per record, their schemas and the CSV of one record type.

    Each record is serialised once; the collection and the CSV are streamed, not held in memory.
    """
    json_rel, csv_rel = f"api/{rtype.name}.json", f"api/{rtype.name}.csv"
    meta = {
        "build_date": options.build_date,
        "count": len(records),
        "type": rtype.name,
        "schema_version": export_schemas.SCHEMA_VERSION,
    }
    with out.text(json_rel) as collection, out.text(csv_rel) as sheet:
        row = tables.csv_writer(rtype.kind, sheet)
        collection.write(_dumps(meta)[:-1] + ',"records":[')
        for n, view in enumerate(records):
            api, page = links.api_rel(view), links.page(view)
            data = view.record.data
            if isinstance(view, CatalogueView):  # as the catalogue announces it, and where it is performed
                data = {**data, "places": [_place(place, page) for place in view.places]}
            text = _dumps({**data, "page_url": page, "json_url": links.url(api), "source_path": view.path})
            out.write_soon(api, (text + "\n").encode("utf-8"))
            collection.write(("\n" if n == 0 else ",\n") + text)
            row(view, page)
        collection.write("\n]}\n")
    record_schema_rel, schema_rel = f"api/{rtype.name}/record.schema.json", f"api/{rtype.name}.schema.json"
    record_schema = export_schemas.record_schema(rtype.kind, links.url(record_schema_rel))
    out.write(record_schema_rel, _pretty(record_schema))
    collection_schema = export_schemas.collection_schema(
        rtype.name, rtype.title, links.url(schema_rel), record_schema
    )
    out.write(schema_rel, _pretty(collection_schema))
    return [
        Download(
            json_rel, rtype.title, "JSON", "application/json", out.size(json_rel), len(records), schema_rel
        ),
        Download(csv_rel, rtype.title, "CSV", "text/csv; charset=utf-8", out.size(csv_rel), len(records)),
    ]


def _place(place: PlaceView, page: str) -> dict[str, Any]:
    """One place of a catalogue procedure in the open data: the agency, its counter and what
    differs there (values as written; `processing_time` keyed by method, only where shortened)."""
    at = place.place
    local = at.implementation.data if at.implementation else {}
    out: dict[str, Any] = {"agency": place.agency, "agency_name": place.agency_name,
                           "location": at.location, "page_url": f"{page}#{place.anchor}"}
    if at.hours:
        out["hours"] = at.hours
    times = {c["method"]: c["processing_time"] for c in local.get("channels") or []
             if isinstance(c, dict) and "processing_time" in c}
    if times:
        out["processing_time"] = times
    if place.online and place.online.url:
        out["online_url"] = place.online.url
    if at.notes:
        out["notes"] = at.notes
    return out


def _write_cpsv(out: _Folder, procedures: list[RecordView], links: _Links) -> Download:
    """Every agency (organisation, contact point), then every procedure, one node per line."""
    rel, schema_rel = "api/cpsv-ap.jsonld", "api/cpsv-ap.schema.json"
    out.write(schema_rel, _pretty(export_schemas.cpsv_schema(links.url(schema_rel))))
    with out.text(rel) as stream:
        stream.write('{"@context":' + _dumps(jsonld.CPSV_CONTEXT) + ',\n"@graph":[')
        separator = "\n"
        for _, agency in sorted(links.site.agencies.items()):
            for node in jsonld.cpsv_organisation(agency, links.page(agency)):
                stream.write(separator + _dumps(node))
                separator = ",\n"
        for proc in procedures:
            assert isinstance(proc, ProcedureView)
            node = jsonld.cpsv_service(
                proc, links.page(proc), links.agency(proc.agency), links.agency_page(proc.agency)
            )
            stream.write(separator + _dumps(node))
            separator = ",\n"
        stream.write("\n]}\n")
    title = "Thủ tục hành chính theo chuẩn CPSV-AP 3.2"
    return Download(rel, title, "JSON-LD", "application/ld+json", out.size(rel), len(procedures), schema_rel)


def _write_dossiers(out: _Folder, exports: Exports, links: _Links) -> list[Download]:
    """The agencies' dossier results (render/dossier_exports.py), when there are any."""
    site, options = links.site, exports.options
    agencies = site.prepared.dossiers.agencies
    if not agencies:
        return []
    rows = [(view, month.result, links.url(url_of(site.dossier_src[agency])))
            for agency, view in sorted(agencies.items()) for month in view.months]
    meta = {"build_date": options.build_date, "count": len(rows), "type": dossier_exports.NAME,
            "schema_version": export_schemas.SCHEMA_VERSION, "rules": dossier_exports.rules()}
    json_rel, schema_rel = dossier_exports.JSON, dossier_exports.SCHEMA
    with out.text(json_rel) as stream:  # one record per line, as the other collections
        stream.write(_dumps(meta)[:-1] + ',"records":[')
        for n, (view, month, url) in enumerate(rows):
            stream.write(("\n" if n == 0 else ",\n") + _dumps(dossier_exports.record(view, month, url)))
        stream.write("\n]}\n")
    out.write(schema_rel, _pretty(dossier_exports.schema(links.url(schema_rel), export_schemas.DRAFT,
                                                         export_schemas.SCHEMA_VERSION)))
    with out.text(dossier_exports.CSV) as stream:
        dossier_exports.write_csv(stream, iter(rows))
    with out.text(dossier_exports.PROCEDURES_CSV) as stream:
        dossier_exports.write_procedures_csv(stream, iter(rows))
    exports.more_csv += [
        {"file": dossier_exports.CSV, "title": dossier_exports.TITLE, "headers": dossier_exports.headers()},
        {"file": dossier_exports.PROCEDURES_CSV, "title": dossier_exports.PROCEDURES_TITLE,
         "headers": dossier_exports.PROCEDURE_COLUMNS},
    ]
    exports.more_rules.append(dossier_exports.RULE)
    for agency, view in agencies.items():  # the pages are as new as the latest judgement
        exports.lastmod[url_of(site.dossier_src[agency])] = max(m.result.as_of[:10] for m in view.months)
    exports.lastmod[url_of(DOSSIERS)] = max(exports.lastmod[url_of(src)] for src in site.dossier_src.values())
    # No record count: the "Dữ liệu mở" page would call its rows "hồ sơ", which here means dossiers.
    csv_type = "text/csv; charset=utf-8"
    return [
        Download(json_rel, dossier_exports.TITLE, "JSON", "application/json", out.size(json_rel),
                 schema=schema_rel),
        Download(dossier_exports.CSV, dossier_exports.TITLE, "CSV", csv_type, out.size(dossier_exports.CSV)),
        Download(dossier_exports.PROCEDURES_CSV, dossier_exports.PROCEDURES_TITLE, "CSV", csv_type,
                 out.size(dossier_exports.PROCEDURES_CSV)),
    ]


# --- feeds ---------------------------------------------------------------------------------


def _newest(views: list[RecordView], size: int) -> list[RecordView]:
    """The `size` most recently changed records, newest first; ties by path."""
    ordered = sorted(views, key=lambda v: v.path)
    ordered.sort(key=lambda v: v.changed, reverse=True)
    return ordered[:size]


def _entry(view: RecordView, links: _Links, tag: str, history: dict[str, History], author: str = "") -> Entry:
    """A record's entry; `author` is the agency whose feed it is in (a catalogue procedure's view
    names how many places perform it, not who)."""
    if isinstance(view, ProcedureView):
        kind = RECORD_TYPES["procedure"]
        details = [f"Mã {view.key}", f"Lĩnh vực {view.field}", view.status_label]
    elif isinstance(view, PlanView):
        kind = view.kind_label
        details = [f"Số {view.number}", f"Ngày công khai {view.published}", view.status_label]
    else:
        kind, details = RECORD_TYPES["agency"], []
    summary = " · ".join([kind, view.agency_name, *details, f"Cập nhật ngày {date(view.changed)}"])
    path = quote(view.path.removesuffix(".yaml"), safe="/-._~")
    changes = history.get(view.path, ())[:FEED_CHANGES]
    return Entry(
        id=f"{tag}{path}",
        title=view.title,
        url=links.page(view),
        updated=view.changed,
        published=view.published_iso if isinstance(view, PlanView) else "",
        category=view.record.kind,
        category_label=kind,
        author=author or view.agency_name,
        summary=summary,
        content="\n".join(HISTORY_WORDS["feed"].format(date=c.date, lines="; ".join(c.lines))
                          for c in changes),
    )


def _write_feeds(out: _Folder, exports: Exports, views: list[RecordView], links: _Links) -> list[Download]:
    options = exports.options
    tag = f"tag:{urlsplit(options.site_url).hostname},{TAG_YEAR}:"
    rights = licence(options.site_name)["statement"]
    history = links.site.prepared.history
    groups: dict[str, list[RecordView]] = {"": list(views)}
    for view in views:
        # A catalogue procedure is news for every agency performing it: each one's feed has it.
        for agency_id in view.performed_by if isinstance(view, CatalogueView) else (view.agency,):
            if agency_id in links.site.agencies:
                groups.setdefault(agency_id, []).append(view)
    downloads = []
    for agency_id in sorted(groups):
        # At the root, where the feeds of every agency are found together.
        rel = f"atom-{_segment(agency_id)}.xml" if agency_id else "atom.xml"
        owner = links.site.agency_name(agency_id) if agency_id else options.site_name
        title = f"{owner}: hồ sơ mới và cập nhật"
        entries = [_entry(v, links, tag, history, owner if agency_id else "")
                   for v in _newest(groups[agency_id], options.feed_size)]
        home = links.agency_page(agency_id) if agency_id else options.site_url
        data = atom(
            feed_id=links.url(rel),
            title=title,
            self_url=links.url(rel),
            home_url=home or options.site_url,
            author=owner,
            rights=rights,
            updated=max((e.updated for e in entries), default=exports.data_date),
            entries=entries,
        )
        size = out.write(rel, data)
        exports.feeds[agency_id] = {"path": rel, "title": title, "owner": owner}
        if not agency_id:
            downloads.append(
                Download(
                    rel,
                    "Hồ sơ mới và cập nhật của toàn cổng",
                    "Atom",
                    "application/atom+xml",
                    size,
                    len(entries),
                )
            )
    return downloads


# --- index and the open-data page ----------------------------------------------------------


RECORD_FILES = {  # where each record's own file is, by type
    "catalogue": "api/catalogue/<mã thủ tục>.json",
    "procedures": "api/procedures/<mã cơ quan>/<mã thủ tục>.json",
    "plans_and_policies": "api/plans_and_policies/<mã cơ quan>/<mã văn bản>.json",
    "agencies": "api/agencies/<mã cơ quan>.json",
}


def licence(site_name: str) -> dict[str, str]:
    """The licence: name, URL and the statement naming the portal as the source."""
    return {**LICENCE, "statement": LICENCE["statement"].format(site_name=site_name)}


def _write_index(out: _Folder, exports: Exports, links: _Links) -> None:
    options = exports.options
    files = []
    for d in exports.downloads:
        entry: dict[str, Any] = {
            "path": d.path,
            "url": links.url(d.path),
            "title": d.title,
            "format": d.format,
            "media_type": d.media_type,
            "bytes": d.bytes,
        }
        if d.records is not None:
            entry["records"] = d.records
        if d.schema:
            entry["schema"] = d.schema
        files.append(entry)
    index = {
        "schema_version": export_schemas.SCHEMA_VERSION,
        "build_date": options.build_date,
        "data_date": exports.data_date,
        "site_name": options.site_name,
        "site_url": options.site_url,
        "licence": licence(options.site_name),
        "counts": exports.counts,
        "files": files,
        "record_files": RECORD_FILES,
        "feeds": {key: value["path"] for key, value in sorted(exports.feeds.items())},
    }
    out.write(
        "api/index.schema.json", _pretty(export_schemas.index_schema(links.url("api/index.schema.json")))
    )
    out.write("api/index.json", _pretty(index))


def _open_data_content(exports: Exports) -> dict[str, Any]:
    """The "Dữ liệu mở" page as prepared plain data; links are site-relative paths."""
    options = exports.options
    agency_feeds = [
        {"title": value["owner"], "path": value["path"]} for key, value in exports.feeds.items() if key
    ]
    return {
        "build_date": date(options.build_date),
        "data_date": date(exports.data_date),
        "feed_size": options.feed_size,
        "downloads": [
            {
                "title": d.title,
                "format": d.format,
                "path": d.path,
                "size": size_text(d.bytes),
                "bytes": d.bytes,
                "records": d.records,
                "schema": d.schema,
            }
            for d in exports.downloads
        ],
        "index": "api/index.json",
        "record_files": [
            {
                "title": t.title,
                "pattern": RECORD_FILES[t.name],
                "schema": f"api/{t.name}/record.schema.json",
                "count": exports.counts[t.name],
            }
            for t in TYPES
        ],
        "site_feed": exports.feeds.get("", {}).get("path", ""),
        "agency_feeds": sorted(agency_feeds, key=lambda f: (fold(f["title"]), f["path"])),
        "csv_rules": [*tables.RULES, *exports.more_rules],
        "csv_columns": [
            {"file": f"api/{t.name}.csv", "title": t.title, "headers": tables.headers(t.kind)} for t in TYPES
        ] + exports.more_csv,
        "licence": licence(options.site_name),
    }
