"""Page weight on a phone over slow 3G: bytes transferred (compressed) and first contentful paint.

Builds the sample site (or takes a built one), serves it on 127.0.0.1 the way a static host does
(text types gzip-compressed when the browser accepts it; Pagefind's own files are compressed
already), and opens each page in Chromium at 360 × 740 with a cold cache, the network emulated
through the DevTools protocol (400 kbit/s down and up, 400 ms latency) and the CPU slowed 4×.
Reported per page: requests, bytes transferred by resource type (headers and compressed bodies,
as DevTools counts them), the uncompressed total, first contentful paint and the load event.
The baseline, in the same run: the procedure's own content as a bare mkdocs-material page
(same theme, pre-written Markdown, benchmarks/bench.py's floor) under the same conditions.

    python benchmarks/page_weight.py                  # builds the sample site in a temporary folder
    python benchmarks/page_weight.py --site site      # a site built already (make site)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Browser, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import BIN, REPO, catalogue_floor_docs, floor_config, write_section  # noqa: E402

CHROMIUM = Path(os.environ.get("CONGKHAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# DevTools protocol units: bytes per second and milliseconds.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
           "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
PHONE = (360, 740)
TIMEOUT_MS = 180_000  # a page of a few hundred KB takes tens of seconds at 50 KB/s
# What a static host (GitHub Pages, nginx's gzip_types) compresses: text, scripts, data, SVG.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/ld+json",
                "application/xml", "application/manifest+json", "image/svg+xml")
PROCEDURE = "1.001193"  # Đăng ký khai sinh, in the sample's catalogue
SEARCH_QUERY = "đăng ký khai sinh"
PART = "page-weight"  # its name in `make bench PART=…` and its block of RESULTS.md
RESULT = ".ck-result-title"  # a search result, drawn by assets/javascripts/search.js
# Resource types of the DevTools protocol, in the order of the table; the rest count as "other".
TYPES = ("Document", "Stylesheet", "Script", "Font", "Image", "Fetch", "XHR")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves a folder like a static host: compressible types gzip-compressed on request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts and content_type.startswith(COMPRESSIBLE)):
            super().do_GET()  # as is: directories' redirects, binaries, errors
            return
        body = compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@functools.lru_cache(maxsize=4096)
def compressed(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextmanager
def serve(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = StaticHost) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yields the base URL. (The browser
    tests serve their sites with it too, uncompressed.)"""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Weight:
    """What one cold visit of a page cost."""
    page: str
    transferred: Counter[str] = field(default_factory=Counter)  # resource type -> bytes
    decoded: int = 0  # bytes of the bodies once uncompressed
    requests: int = 0
    fcp_ms: float | None = None
    load_ms: float = 0.0
    ready_ms: float | None = None  # when the awaited element was seen (search: the first result)
    largest: list[tuple[str, int]] = field(default_factory=list)  # (path, bytes transferred)
    # Data fetched by scripts (XHR, fetch) outside the search index, path -> bytes, each time:
    # a page must not fetch a file that grows with the site (issue 14: sitemap.xml).
    fetched: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.transferred.values())


def measure(browser: Browser, url: str, page_name: str, network: dict[str, Any] | None = SLOW_3G,
            cpu: float = CPU_SLOWDOWN, ready: str | None = None) -> Weight:
    """Opens `url` once, cold, on an emulated phone; waits until the network is quiet (and the
    `ready` selector is shown)."""
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="vi-VN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if network:
            cdp.send("Network.emulateNetworkConditions", network)
        if cpu > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        kinds: dict[str, str] = {}
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        decoded: Counter[str] = Counter()

        def response(event: dict[str, Any]) -> None:
            kinds[event["requestId"]] = event.get("type", "Other")
            urls[event["requestId"]] = event["response"]["url"]

        cdp.on("Network.responseReceived", response)
        cdp.on("Network.dataReceived", lambda e: decoded.update({e["requestId"]: e["dataLength"]}))
        cdp.on("Network.loadingFinished",
               lambda e: sizes.update({e["requestId"]: int(e["encodedDataLength"])}))
        page.goto(url, wait_until="networkidle", timeout=TIMEOUT_MS)
        ready_ms = None
        if ready:
            page.locator(ready).first.wait_for(timeout=TIMEOUT_MS)
            ready_ms = page.evaluate("() => performance.now()")
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        timing = page.evaluate(
            "() => ({fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,"
            " load: performance.getEntriesByType('navigation')[0].loadEventEnd})")
    finally:
        context.close()
    weight = Weight(page_name, fcp_ms=timing["fcp"], load_ms=timing["load"], ready_ms=ready_ms)
    root = "/".join(url.split("/", 3)[:3])
    for request, size in sizes.items():
        kind, path = kinds.get(request, "Other"), urls.get(request, "?").removeprefix(root)
        weight.transferred[kind if kind in TYPES else "other"] += size
        weight.decoded += decoded[request]
        if kind in ("XHR", "Fetch") and not path.startswith("/pagefind/"):
            weight.fetched.append((path, size))
    weight.requests = len(sizes)
    biggest = sorted(sizes.items(), key=lambda item: -item[1])[:3]
    weight.largest = [(urls.get(r, "?").removeprefix(root), size) for r, size in biggest]
    return weight


def procedure_page(site: Path, code: str = PROCEDURE) -> str:
    """The site-relative URL of a catalogue procedure's page: thu-tuc/<code>-<slug>/ (one page
    per procedure), else the first agency's thu-tuc/<agency>/<code>-<slug>/ (one per pair)."""
    for pattern in (f"thu-tuc/{code}-*/index.html", f"thu-tuc/*/{code}-*/index.html"):
        found = sorted(site.glob(pattern))
        if found:
            return found[0].parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"no page of procedure {code} in {site}")


def floor_page(work: Path, code: str = PROCEDURE) -> Path:
    """The baseline: the same procedure, with its places, as a bare mkdocs-material page."""
    docs, site = work / "floor-docs", work / "floor-site"
    shutil.rmtree(docs, ignore_errors=True)
    repo = work / "one-procedure"
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "catalogue").mkdir(parents=True)
    shutil.copy(REPO / "catalogue" / f"{code}.yaml", repo / "catalogue")
    shutil.copytree(REPO / "hotlines", repo / "hotlines")
    catalogue_floor_docs(repo, docs)
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(floor_config(docs, site, work))],
                   check=True, capture_output=True)
    return site


def build_sample(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--out", str(out)],
                   cwd=REPO, check=True, capture_output=True)


def measure_site(site: Path, work: Path) -> list[Weight]:
    """Home, a procedure page and the search page, then the baseline page."""
    pages = [("home", "", None), ("procedure", procedure_page(site), None),
             ("search", f"tim-kiem/?q={quote(SEARCH_QUERY)}", RESULT)]
    floor = floor_page(work)
    weights = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            with serve(site) as url:
                for name, path, ready in pages:
                    print(f"{name}: {path or '/'} …", file=sys.stderr, flush=True)
                    weights.append(measure(browser, url + path, name, ready=ready))
            with serve(floor) as url:
                weights.append(measure(browser, url + f"{PROCEDURE}/", "baseline: bare mkdocs-material"))
        finally:
            browser.close()
    return weights


def report(weights: list[Weight], procedure: str) -> str:
    kb = 1000
    columns = ["page", "requests", *TYPES, "other", "total (KB)", "uncompressed (KB)",
               "first contentful paint (s)", "load (s)", "first result shown (s)"]
    out = [f"Chromium at {PHONE[0]} × {PHONE[1]}, cold cache, "
           f"{SLOW_3G['downloadThroughput'] * 8 / 1000:.0f} kbit/s down and up, {SLOW_3G['latency']} ms "
           f"latency, CPU {CPU_SLOWDOWN}× slower; gzip as a static host; KB transferred "
           f"(headers and compressed bodies). Procedure page: `{procedure}`; search: "
           f"\"{SEARCH_QUERY}\".", "",
           "| " + " | ".join(columns) + " |", "|---|" + "---:|" * (len(columns) - 1)]
    for w in weights:
        fcp, shown = (f"{ms / 1000:.1f}" if ms is not None else "—" for ms in (w.fcp_ms, w.ready_ms))
        cells = [w.page, str(w.requests), *(f"{w.transferred[t] / kb:.1f}" for t in (*TYPES, "other")),
                 f"{w.total / kb:.1f}", f"{w.decoded / kb:.1f}", fcp, f"{w.load_ms / 1000:.1f}", shown]
        out.append("| " + " | ".join(cells) + " |")
    ours = next((w for w in weights if w.page == "procedure"), None)
    floor = next((w for w in weights if w.page.startswith("baseline")), None)
    if ours and floor and floor.total and floor.fcp_ms and ours.fcp_ms:
        out += ["", f"Procedure page / baseline: {ours.total / floor.total:.2f}× the bytes, "
                    f"{ours.fcp_ms / floor.fcp_ms:.2f}× the first contentful paint."]
    out += ["", "Largest transfers: " + "; ".join(
        f"{w.page}: " + ", ".join(f"{path} {size / kb:.1f} KB" for path, size in w.largest) for w in weights)
        + "."]
    fetched = [f"{w.page}: " + ", ".join(f"{path} {size / kb:.1f} KB" for path, size in w.fetched)
               for w in weights if w.fetched]
    out += ["", "Fetched by scripts outside the search index: "
            + ("; ".join(fetched) if fetched else "nothing") + "."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args(argv)
    text = run(args.site)
    print(text)
    if not args.no_results:
        write_section(args.results, PART, text)
    return 0


def run(site: Path | None = None) -> str:
    """Measures and returns the report (bench.py's part of the same name calls this)."""
    with tempfile.TemporaryDirectory(prefix="congkhai-weight-") as tmp:
        work = Path(tmp)
        if site is None:
            site = work / "site"
            print("building the sample site …", file=sys.stderr, flush=True)
            build_sample(site)
        weights = measure_site(site, work)
        return report(weights, procedure_page(site))


if __name__ == "__main__":
    sys.exit(main())
