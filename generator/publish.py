"""Build the static site with mkdocs and swap it in atomically.

The new site is rendered and built in a temporary folder beside `out`; only when everything
succeeded does it replace `out` (two renames). Any failure leaves the previous site untouched
and surfaces as a PublishError with a Vietnamese message, never as a traceback.
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from generator.model import Corpus
from generator.render import render_docs
from generator.render.exports import (
    ExportOptions,
    data_date,
    site_url_or_default,
    stage_exports,
    write_exports,
)
from generator.render.pages import Site
from generator.render.siteconfig import mkdocs_config, site_url
from generator.search import SearchIndexError, index_site
from generator.verify import IncompleteSiteError, check_site

SITE_NAME = "Cổng công khai thủ tục hành chính tỉnh Khánh Hòa"


class PublishError(Exception):
    """The site could not be built or published; the message is Vietnamese, for the user."""


@contextmanager
def _quiet_mkdocs() -> Iterator[None]:
    """Only warnings and errors from mkdocs and its plugins."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _mkdocs_build(config_file: Path, docs: Path, site: Path, site_name: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _quiet_mkdocs():
        cfg = load_config(
            config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), site_name=site_name
        )
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()


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


def build_site(corpus: Corpus, out: Path, *, site_name: str = SITE_NAME,
               scorecard: dict[str, Any] | None = None, build_date: date | None = None) -> None:
    """Render `corpus`, build it with mkdocs and publish it at `out`.

    `scorecard` (report.as_data) becomes the public "Mức độ công khai" page. The open data
    (render/exports.py) is staged before the pages, which show its sizes, and moved into the
    site after mkdocs; `build_date` is its date (default: the latest date among the records).
    """
    out = Path(os.path.abspath(out))
    config_file = mkdocs_config()
    if not config_file.is_file():
        raise PublishError(f"Không tìm thấy tệp cấu hình trang web {config_file}.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    except OSError as exc:
        raise PublishError(f"Không tạo được thư mục tạm bên cạnh {out}: {exc}") from exc
    try:
        docs, site = work / "docs", work / "site"
        try:
            options = ExportOptions(site_url=site_url_or_default(site_url(config_file)), site_name=site_name,
                                    build_date=(build_date.isoformat() if build_date else data_date(corpus)))
            site_map = Site(corpus)  # one page map for the exports and the pages
            exports = stage_exports(corpus, work / "exports", options, site_map)
        except Exception as exc:
            raise PublishError(f"Lỗi khi tạo dữ liệu mở: {_reason(exc)}") from exc
        try:
            render_docs(corpus, docs, scorecard, exports.page_data(), site=site_map)
        except Exception as exc:
            raise PublishError(f"Lỗi khi tạo nội dung các trang: {_reason(exc)}") from exc
        try:
            _mkdocs_build(config_file, docs, site, site_name)
        except SystemExit as exc:  # mkdocs.exceptions.Abort derives from SystemExit
            raise PublishError(f"MkDocs dừng khi dựng trang web: {exc}") from exc
        except Exception as exc:
            raise PublishError(f"MkDocs không dựng được trang web: {_reason(exc)}") from exc
        if not (site / "index.html").is_file():
            raise PublishError("MkDocs không tạo ra trang chủ (index.html).")
        try:
            write_exports(exports, site)
        except Exception as exc:
            raise PublishError(f"Lỗi khi ghi dữ liệu mở vào trang web: {_reason(exc)}") from exc
        try:  # the last step: Pagefind indexes the finished pages
            index_site(site)
        except SearchIndexError as exc:
            raise PublishError(f"Không tạo được chỉ mục tìm kiếm: {exc}") from exc
        try:  # nothing lost: every record's page, listing entries and open data are there
            check_site(corpus, site_map, site)
        except IncompleteSiteError as exc:
            raise PublishError(str(exc)) from exc
        try:
            _swap(site, out)
        except OSError as exc:
            raise PublishError(f"Không thay được trang web cũ tại {out}: {_reason(exc)}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve(root: Path, dev_addr: str | None = None) -> None:
    """Development preview (`make serve`): render into build/docs, then `mkdocs serve`.

    Shows what `congkhai build` would publish today (records with errors are held back);
    `congkhai validate` says why.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.check import check_repository
    from generator.check.timeliness import Settings
    from generator.places import publishable

    config_file = mkdocs_config()
    docs = config_file.parent / "build" / "docs"  # mkdocs.yml's docs_dir
    shutil.rmtree(docs, ignore_errors=True)
    render_docs(publishable(check_repository(root, Settings(date.today()))), docs)
    options = {"dev_addr": dev_addr} if dev_addr else {}
    mkdocs_serve(config_file=str(config_file), livereload=False, **options)


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
