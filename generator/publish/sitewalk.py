"""The built site's last additions: the staged open data moved in, sitemap.xml and robots.txt.

These need the site mkdocs built: the sitemap lists the pages that are really there (with the
date of the record each shows), replacing mkdocs' own, which is dated by the clock.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from xml.sax.saxutils import escape

from generator.render.exports import Exports

SITEMAP_SIZE = 50_000  # URLs per sitemap file (sitemaps.org limit)


def _built_pages(site: Path) -> list[str]:
    """Site-relative URLs of every page in the built site (folders holding an index.html)."""
    urls = []
    for dirpath, dirnames, filenames in os.walk(site):
        if Path(dirpath) == site:
            dirnames[:] = [d for d in dirnames if d not in ("assets", "api", "search")]
        if "index.html" in filenames:
            rel = Path(dirpath).relative_to(site).as_posix()
            urls.append("" if rel == "." else rel + "/")
    return sorted(urls)


def _lastmod(exports: Exports, url: str) -> str:
    """A record page's date; a sub-page's (e.g. a printable sheet) its parent's; else the data date."""
    parent = url.rstrip("/").rpartition("/")[0]
    return (
        exports.lastmod.get(url) or exports.lastmod.get(parent + "/" if parent else "") or exports.data_date
    )


def _urlset(base: str, urls: list[str], exports: Exports) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [
        f"<url><loc>{escape(base + url)}</loc><lastmod>{_lastmod(exports, url)}</lastmod></url>"
        for url in urls
    ]
    return ("\n".join([*lines, "</urlset>"]) + "\n").encode("utf-8")


def sitemap_files(site: Path, exports: Exports) -> dict[str, bytes]:
    """sitemap.xml (an index of sitemap-N.xml beyond SITEMAP_SIZE pages) and its gzip copy."""
    base = exports.options.site_url
    urls = _built_pages(site)
    chunks = [urls[i : i + SITEMAP_SIZE] for i in range(0, len(urls), SITEMAP_SIZE)] or [[]]
    files: dict[str, bytes] = {}
    if len(chunks) == 1:
        files["sitemap.xml"] = _urlset(base, chunks[0], exports)
    else:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for n, chunk in enumerate(chunks, 1):
            files[f"sitemap-{n}.xml"] = _urlset(base, chunk, exports)
            newest = max(_lastmod(exports, url) for url in chunk)
            lines.append(
                f"<sitemap><loc>{escape(base)}sitemap-{n}.xml</loc><lastmod>{newest}</lastmod></sitemap>"
            )
        files["sitemap.xml"] = ("\n".join([*lines, "</sitemapindex>"]) + "\n").encode("utf-8")
    files["sitemap.xml.gz"] = gzip.compress(files["sitemap.xml"], mtime=0)
    return files


def write_exports(exports: Exports, site: Path) -> None:
    """Move the staged exports into the built `site`; write sitemap.xml (replacing mkdocs' own,
    which is dated by the clock) and robots.txt."""
    files = sitemap_files(site, exports)
    for entry in sorted(exports.folder.iterdir()):
        target = site / entry.name
        if target.exists():
            raise FileExistsError(f"{target} đã có trong trang web do MkDocs tạo")
        os.replace(entry, target)
    files["robots.txt"] = (
        f"User-agent: *\nAllow: /\n\nSitemap: {exports.options.site_url}sitemap.xml\n".encode()
    )
    for name, data in files.items():
        (site / name).write_bytes(data)


def move_into(source: Path, target: Path) -> None:
    """Move the tree `source` into `target`, one rename per folder that `target` lacks (a
    procedure's whole `niem-yet/` at once), descending only where both have the folder."""
    if not source.is_dir():
        return
    for entry in os.scandir(source):
        there = target / entry.name
        if entry.is_dir(follow_symlinks=False) and there.is_dir():
            move_into(Path(entry.path), there)
        elif not there.exists():
            os.rename(entry.path, there)
        else:
            raise FileExistsError(f"{there} đã có trong trang web")
