"""Helpers of the browser tests: the pages they visit, serving a folder over HTTP, watching a page."""

from __future__ import annotations

import http.server
import sys
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, Response

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import page_weight  # benchmarks/: the local static host the benchmark serves with

# The pages every check visits (site-relative URLs of the sample site).
HOME = ""
AGENCY = "co-quan/so-tu-phap/"
PROCEDURE = "thu-tuc/1.001193-dang-ky-khai-sinh/"  # a catalogue procedure, at every commune
PLANS = "van-ban/"
PLANS_FILTERED = "van-ban/loc/tat-ca/tat-ca/kinh-doanh/"  # business-related documents
SUPERSEDED = "van-ban/so-nong-nghiep-va-moi-truong/bang-gia-dat-2020-2024/"
SCORECARD = "muc-do-cong-khai/"
HOTLINES = "duong-day-nong/"
SEARCH = "tim-kiem/?q=%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh"  # "đăng ký khai sinh"
COUNTER = PROCEDURE + "niem-yet/#phuong-nha-trang"  # its sheet at one commune
# A self-contained record (not in the catalogue), and its sheet.
SELF_CONTAINED = "thu-tuc/phuong-bac-nha-trang/1.012796-dinh-chinh-giay-chung-nhan-da-cap-lan-dau-co-sai-sot/"
SELF_COUNTER = SELF_CONTAINED + "niem-yet/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(root: Path) -> AbstractContextManager[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread, as it is; yields the base URL."""
    return page_weight.serve(root, QuietHandler)


@dataclass
class Site:
    """The built sample site and where it is served."""

    root: Path
    url: str  # http://127.0.0.1:PORT/
    site_url: str  # mkdocs.yml's public address, which the QR codes hold

    def path_of(self, href: str) -> str:
        """Site-relative URL of a link found on a served page ("/thu-tuc/…/" or absolute)."""
        return href.removeprefix(self.url.rstrip("/")).lstrip("/")


@dataclass
class Watch:
    """Console errors, page errors, failed requests and HTTP errors seen by one page."""

    problems: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text} ({message.location.get('url', '')})")

    def page_error(self, error: Exception) -> None:
        self.problems.append(f"page error: {error}")

    def failed(self, request: Request) -> None:
        self.problems.append(f"failed request: {request.url} ({request.failure})")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def watched(page: Page) -> Watch:
    """Start recording what goes wrong on `page`."""
    watch = Watch()
    page.on("console", watch.console)
    page.on("pageerror", watch.page_error)
    page.on("requestfailed", watch.failed)
    page.on("response", watch.response)
    return watch
