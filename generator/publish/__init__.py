"""The publish stage: the rendered pages built into a site, indexed, checked and swapped in.

`build_site` renders the prepared records (render/), builds them with mkdocs-material
(publish/mkdocs.py), moves the open data in and writes the sitemap (publish/sitewalk.py), indexes
the pages with Pagefind (publish/pagefind.py) and checks that nothing was lost
(publish/verify.py), all in a temporary folder beside `out`. Only when every step succeeded does
the new site replace `out` (two renames). Any failure leaves the previous site untouched and
surfaces as a PublishError with a Vietnamese message, never as a traceback.

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
from pathlib import Path

from generator.check.scorecard import Scorecard
from generator.load import load_repository
from generator.model import Corpus
from generator.prepare import Prepared, prepare
from generator.publish import mkdocs, pagefind, sitewalk, verify
from generator.publish.mkdocs import MkdocsSettings
from generator.render import render_docs
from generator.render.exports import ExportOptions, stage_exports
from generator.render.site import Site

SITE_NAME = "Cổng công khai thủ tục hành chính tỉnh Khánh Hòa"


class PublishError(Exception):
    """The site could not be built or published; the message is Vietnamese, for the user."""


def _reason(exc: BaseException) -> str:
    """Why a step failed, for the clerk: a full disk is said in Vietnamese."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"ổ đĩa đã hết chỗ trống ({exc})"
    return str(exc)


def _swap(new: Path, out: Path) -> None:
    """Replace `out` by `new`: rename the old one away, rename the new one in, delete the old."""
    old: Path | None = None
    if out.exists() or out.is_symlink():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


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
    settings = settings or MkdocsSettings.read()
    if not settings.config_file.is_file():
        raise PublishError(f"Không tìm thấy tệp cấu hình trang web {settings.config_file}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    except OSError as exc:
        raise PublishError(f"Không tạo được thư mục tạm bên cạnh {out}: {exc}") from exc
    try:
        docs, site = work / "docs", work / "site"
        site_map = Site(prepared, settings.site_url, scorecard)  # one page map for the exports and the pages
        try:
            options = ExportOptions(site_url=settings.site_url, site_name=site_name,
                                    build_date=(build_date.isoformat() if build_date else prepared.data_date))
            exports = stage_exports(site_map, work / "exports", options)
        except Exception as exc:
            raise PublishError(f"Lỗi khi tạo dữ liệu mở: {_reason(exc)}") from exc
        site_map.open_data = exports.page_data()
        try:
            render_docs(site_map, docs)
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
        try:  # Pagefind indexes the finished pages
            pagefind.index_site(site)
        except pagefind.SearchIndexError as exc:
            raise PublishError(f"Không tạo được chỉ mục tìm kiếm: {exc}") from exc
        try:  # nothing lost: every record's page, listing entries and open data are there
            verify.check_site(site_map, site)
        except verify.IncompleteSiteError as exc:
            raise PublishError(str(exc)) from exc
        try:
            _swap(site, out)
        except OSError as exc:
            raise PublishError(f"Không thay được trang web cũ tại {out}: {_reason(exc)}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve(root: Path, dev_addr: str | None = None) -> None:
    """Development preview: render into build/docs (mkdocs.yml's docs_dir), then `mkdocs serve`.

    Shows every record that loads; `congkhai validate` is the judge of validity.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    settings = MkdocsSettings.read()
    docs = settings.config_file.parent / "build" / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    render_docs(Site(prepare(Corpus(load_repository(root)[0])), settings.site_url), docs)
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
