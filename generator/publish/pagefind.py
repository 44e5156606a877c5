"""Pagefind, the build's search indexer: it runs on the finished site, before the nothing-lost check.

Pagefind (PyPI `pagefind[bin]`, which ships the binary: nothing is downloaded) indexes the built
HTML. Only record pages are indexed: render wraps their content in `data-pagefind-body` (with the
hidden data of prepare/search.py), so the header, navigation, footer and list pages stay out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"
# Inside indexed pages, never indexed: breadcrumbs, and lists of other records (an agency page
# lists its procedures; searching their names should find the procedures, not the agency).
EXCLUDE_SELECTORS = (".ck-crumbs", ".ck-list")
# Pagefind writes three ready-made interfaces; the portal uses its own small one (search.js).
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
INDEX_TIMEOUT = 1800  # seconds: far beyond the province's size (benchmarks/RESULTS.md)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message is Vietnamese, for the user."""


@dataclass(frozen=True, slots=True)
class IndexStats:
    pages: int
    seconds: float


def pagefind_executable() -> Path:
    """The binary that `pagefind[bin]` installs beside Python (pagefind_bin)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise SearchIndexError("thiếu gói pagefind[bin]; hãy cài lại bằng `make site`") from exc
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise SearchIndexError(f"không tìm thấy chương trình Pagefind: {exc}") from exc


def index_command(site: Path) -> list[str]:
    """The Pagefind command that indexes `site` (benchmarks run the same on their baseline)."""
    command = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE,
               "--force-language", "vi"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def index_site(site: Path) -> IndexStats:
    """Index the built site in place: writes `site/pagefind/`. Raises SearchIndexError."""
    with Indexing(site) as indexing:
        return indexing.wait()


class Indexing:
    """Pagefind indexing `site`, started here and running while the caller goes on (publish/
    checks the site meanwhile); `wait()` for its outcome. Leaving the `with` block stops it if it
    is still running."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.started = time.perf_counter()
        try:
            self.process = subprocess.Popen(index_command(site), stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                            errors="replace")
        except OSError as exc:
            raise SearchIndexError(f"không chạy được Pagefind: {exc}") from exc

    def wait(self) -> IndexStats:
        """Raises SearchIndexError when Pagefind fails or outlasts INDEX_TIMEOUT."""
        try:
            out, err = self.process.communicate(timeout=INDEX_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise SearchIndexError(f"không chạy được Pagefind: {exc}") from exc
        seconds = time.perf_counter() - self.started
        if self.process.returncode != 0:
            detail = (err or out).strip().splitlines()[-5:]
            raise SearchIndexError(f"Pagefind dừng với mã {self.process.returncode}: {' / '.join(detail)}")
        for name in UNUSED_BUNDLE_FILES:
            (self.site / BUNDLE / name).unlink(missing_ok=True)
        shutil.rmtree(self.site / BUNDLE / "playground", ignore_errors=True)
        match = re.search(r"Indexed (\d+) pages?", out)
        return IndexStats(pages=int(match.group(1)) if match else 0, seconds=seconds)

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
