"""The publish stage: the rendered pages built into a site, indexed, checked and swapped in.

`build_site` renders the prepared records (render/), builds them with mkdocs-material
(publish/mkdocs.py), moves the open data in and writes the sitemap (publish/sitewalk.py), indexes
the pages with Pagefind (publish/pagefind.py), checks that nothing was lost (publish/verify.py)
while Pagefind runs, and moves in the counter sheets, which a forked process rendered meanwhile;
all in a temporary folder beside `out`. Only when every step succeeded does
`out`, a symbolic link, switch to it (one rename). Any failure leaves the previous site untouched and
surfaces as a PublishError with a Vietnamese message, never as a traceback. `out` may only be a
site this build published before, an empty folder or nothing (check_out).

`python -m generator.publish --serve` (`make serve`) previews the portal while records are edited.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path

from generator.check import check_repository
from generator.check.places import publishable
from generator.check.scorecard import Scorecard
from generator.check.timeliness import Settings
from generator.dossiers.results import load_results
from generator.parallel import Background
from generator.prepare import Prepared, prepare
from generator.publish import mkdocs, pagefind, sitewalk, verify
from generator.publish.mkdocs import MkdocsSettings
from generator.render import render_docs, render_sheets
from generator.render.counter import qr_cache_folder
from generator.render.exports import ExportOptions, stage_exports
from generator.render.site import Site
from generator.versions import read_versions

SITE_NAME = "Cổng công khai thủ tục hành chính tỉnh Khánh Hòa"


class PublishError(Exception):
    """The site could not be built or published; the message is Vietnamese, for the user."""


def _reason(exc: BaseException) -> str:
    """Why a step failed, for the clerk: a full disk is said in Vietnamese."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"ổ đĩa đã hết chỗ trống ({exc})"
    return str(exc)


# Every site this build publishes carries this file: a folder holding it was built here before
# and may be replaced; any other non-empty folder is refused (the build never deletes what it
# did not create).
SITE_MARK = ".congkhai-site"
_MARK_TEXT = "Trang web do congkhai build dựng; lần xây dựng sau thay thế toàn bộ thư mục này.\n"
# The counter sheets' process's niceness (os.nice): low enough a priority that the pages and
# mkdocs, on the build's critical path, are not slowed by it (make bench PART=catalogue).
SHEETS_NICE = 10
# Never an output folder, nor inside one: the records, and the repository they live in.
DATA_FOLDERS = ("procedures", "plans_and_policies", "hotlines", "catalogue", "dossier_reports")


def check_out(out: Path, root: Path | None = None) -> None:
    """Raise PublishError unless the build may publish at `out`.

    Allowed: nothing there yet, an empty folder, a site this build published before (marked),
    or the symbolic link to one. Refused: the repository root (`root`) or a folder holding it,
    a data folder or anything inside one, a git repository, any other file or folder.
    """
    reason = _unsafe_out(Path(os.path.abspath(out)), root)
    if reason:
        raise PublishError(f"--out {out}: {reason}; hãy chọn một thư mục riêng cho trang web, ví dụ "
                           "--out site")


def _unsafe_out(out: Path, root: Path | None) -> str:
    real = Path(os.path.realpath(out))
    if ".git" in out.parts or ".git" in real.parts:
        return "nằm trong một kho git (.git)"
    if root is not None:
        top = Path(os.path.realpath(root))
        if top == real or top.is_relative_to(real):
            return "đây là thư mục gốc của kho dữ liệu (hoặc chứa nó): xuất bản vào đó sẽ xóa các hồ sơ"
        for folder in DATA_FOLDERS:
            if real.is_relative_to(top / folder):
                return f"là thư mục dữ liệu {folder}/ hoặc nằm trong nó"
    if out.is_symlink():
        if not real.exists():
            return ""  # a dangling link: replacing it deletes nothing
        if not (real / SITE_MARK).is_file():
            return f"là liên kết tới {real}, không phải trang web do congkhai dựng"
    elif not out.exists():
        return ""
    elif not out.is_dir():
        return "là một tệp, không phải thư mục"
    try:
        names = {entry.name for entry in os.scandir(real)}
    except OSError as exc:
        return f"không đọc được thư mục: {exc.strerror}"
    held = sorted(names & {".git", "mkdocs.yml", *DATA_FOLDERS})
    if held:
        return f"thư mục chứa {', '.join(held)} (dữ liệu hoặc một kho git), không phải trang web"
    if names and SITE_MARK not in names:
        return ("thư mục không trống và không phải trang web do congkhai dựng (không có tệp "
                f"{SITE_MARK}): congkhai không xóa thứ nó không tạo ra (nếu chắc chắn không cần thư mục "
                "đó, tự xóa nó rồi chạy lại)")
    return ""


def _swap(new: Path, out: Path) -> None:
    """Publish the finished site `new` at `out` in one rename.

    `out` is a symbolic link to a sibling folder `.<out>.v-<id>`: the new site is moved beside
    it, a new link is made, and renamed over `out` (atomic: a reader or a crash sees the old site
    or the new one, never none). Then the old site's folder is deleted.
    """
    old = _live_folder(out)
    live = out.with_name(f".{out.name}.v-{uuid.uuid4().hex[:12]}")
    (new / SITE_MARK).write_text(_MARK_TEXT, encoding="utf-8")
    link = new.with_name(f"{new.name}.link")  # inside the build folder, which is removed anyway
    os.rename(new, live)
    retired: Path | None = None
    try:
        os.symlink(live.name, link)
        retired = _retire(out)  # a real folder (first publication at `out`): out of the way
        os.replace(link, out)
    except OSError:
        if retired is not None:
            os.rename(retired, out)
        shutil.rmtree(live, ignore_errors=True)
        raise
    for folder in (old, retired):
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _live_folder(out: Path) -> Path | None:
    """The folder `out` links to, when it is one this build published beside it."""
    if not out.is_symlink():
        return None
    target = out.parent / os.readlink(out)
    ours = target.parent == out.parent and target.name.startswith(f".{out.name}.v-")
    return target if ours and (target / SITE_MARK).is_file() else None


def _retire(out: Path) -> Path | None:
    """Move a real folder at `out` (empty, or a marked site) aside; None when `out` is a link."""
    if out.is_symlink() or not out.exists():
        return None
    retired = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:12]}")
    os.rename(out, retired)
    return retired


def clean_leftovers(out: Path) -> None:
    """Remove what earlier runs killed midway left beside `out`: build folders, retired sites
    and site folders no link points to. One build at a time per output folder."""
    live = _live_folder(out)
    prefixes = tuple(f".{out.name}.{kind}-" for kind in ("build", "old", "v"))
    try:
        entries = list(os.scandir(out.parent))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name.startswith(prefixes) and entry.is_dir(follow_symlinks=False) \
                and (live is None or entry.name != live.name):
            shutil.rmtree(entry.path, ignore_errors=True)


def build_site(prepared: Prepared, out: Path, *, settings: MkdocsSettings | None = None,
               site_name: str = SITE_NAME, scorecard: Scorecard | None = None,
               build_date: date | None = None) -> None:
    """Render `prepared`, build it with mkdocs and publish it at `out`.

    `settings` are mkdocs.yml's (default: the one beside the package). `scorecard` becomes the
    public "Mức độ công khai" page. The open data (render/exports.py) is staged before the pages,
    which show its sizes, and moved into the site after mkdocs; `build_date` is its date
    (default: the latest date among the records).
    """
    out = Path(os.path.abspath(out))
    check_out(out)
    clean_leftovers(out)
    settings = settings or MkdocsSettings.read()
    if not settings.config_file.is_file():
        raise PublishError(f"Không tìm thấy tệp cấu hình trang web {settings.config_file}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    except OSError as exc:
        raise PublishError(f"Không tạo được thư mục tạm bên cạnh {out}: {exc}") from exc
    try:
        sheets, site = work / "sheets", work / "site"
        # One page map for the exports and the pages.
        site_map = Site(prepared, settings.site_url, scorecard,
                        qr_cache=qr_cache_folder(settings.config_file.parent / "build" / "qr"))
        # The counter sheets (≈ 41,000 in the province) need neither mkdocs nor Pagefind: a
        # forked process renders them while this one makes the open data, the pages and the site,
        # at a lower priority, so that it takes the processor time they leave (mkdocs uses one,
        # Pagefind one and a half). The site is checked while Pagefind indexes it.
        with Background(partial(render_sheets, site_map, sheets, workers=1), nice=SHEETS_NICE) as sheets_job:
            _make_site(site_map, settings, work, site_name,
                       build_date.isoformat() if build_date else prepared.data_date)
            with _indexing(site) as indexing:
                try:
                    sheets_job.result()
                except Exception as exc:
                    raise PublishError(f"Lỗi khi tạo các bản niêm yết: {_reason(exc)}") from exc
                try:  # nothing lost: every record's page, sheet, listing entries and open data are there
                    verify.check_site(site_map, site, sheets)
                except verify.IncompleteSiteError as exc:
                    raise PublishError(str(exc)) from exc
                try:
                    indexing.wait()
                except pagefind.SearchIndexError as exc:
                    raise PublishError(f"Không tạo được chỉ mục tìm kiếm: {exc}") from exc
        try:  # the counter sheets: print pages, outside the search index and the sitemap
            sitewalk.move_into(sheets, site)
        except OSError as exc:
            raise PublishError(f"Lỗi khi chép các bản niêm yết vào trang web: {_reason(exc)}") from exc
        try:
            _swap(site, out)
        except OSError as exc:
            raise PublishError(f"Không thay được trang web cũ tại {out}: {_reason(exc)}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _make_site(site_map: Site, settings: MkdocsSettings, work: Path, site_name: str,
               build_date: str) -> None:
    """The open data staged, the pages rendered and built by mkdocs into work/site, and the
    open data moved in."""
    docs, site = work / "docs", work / "site"
    try:
        options = ExportOptions(site_url=settings.site_url, site_name=site_name, build_date=build_date)
        exports = stage_exports(site_map, work / "exports", options)
    except Exception as exc:
        raise PublishError(f"Lỗi khi tạo dữ liệu mở: {_reason(exc)}") from exc
    site_map.open_data = exports.page_data()
    try:
        render_docs(site_map, docs, sheets=False)
    except Exception as exc:
        raise PublishError(f"Lỗi khi tạo nội dung các trang: {_reason(exc)}") from exc
    try:
        mkdocs.build(settings, docs, site, site_name)
    except SystemExit as exc:  # mkdocs.exceptions.Abort derives from SystemExit
        raise PublishError(f"MkDocs dừng khi dựng trang web: {exc}") from exc
    except Exception as exc:
        raise PublishError(f"MkDocs không dựng được trang web: {_reason(exc)}") from exc
    if not (site / "index.html").is_file():
        raise PublishError("MkDocs không tạo ra trang chủ (index.html).")
    try:
        sitewalk.write_exports(exports, site)
    except Exception as exc:
        raise PublishError(f"Lỗi khi ghi dữ liệu mở vào trang web: {_reason(exc)}") from exc


def _indexing(site: Path) -> pagefind.Indexing:
    """Pagefind started on the finished pages."""
    try:
        return pagefind.Indexing(site)
    except pagefind.SearchIndexError as exc:
        raise PublishError(f"Không tạo được chỉ mục tìm kiếm: {exc}") from exc


def serve(root: Path, dev_addr: str | None = None) -> None:
    """Development preview: render into build/docs (mkdocs.yml's docs_dir), then `mkdocs serve`.

    Shows what `congkhai build` would publish today (records with errors are held back);
    `congkhai validate` says why.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    settings = MkdocsSettings.read()
    docs = settings.config_file.parent / "build" / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    published = publishable(check_repository(root, Settings(date.today())))
    render_docs(Site(prepare(published, load_results(root)[0], read_versions(root)), settings.site_url), docs)
    # mkdocs takes an option of None as not given: dev_addr then comes from mkdocs.yml.
    mkdocs_serve(config_file=str(settings.config_file), livereload=False, dev_addr=dev_addr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.publish")
    parser.add_argument("--serve", action="store_true", help="xem thử trang web trên máy")
    parser.add_argument("--root", type=Path, default=Path("."), help="thư mục dữ liệu (mặc định: .)")
    parser.add_argument("--dev-addr", default=None, help="địa chỉ máy chủ xem thử, ví dụ 127.0.0.1:8000")
    args = parser.parse_args(argv)
    if not args.serve:
        parser.error("dùng `congkhai build` để xuất bản; lệnh này chỉ có --serve")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        serve(args.root, args.dev_addr)
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        sys.stderr.write(f"Không chạy được máy chủ xem thử: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
