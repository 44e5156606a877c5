"""Search and page weight, measured (not asserted): on the sample site and a 5,000-procedure site.

For each site it reports
  - Pagefind's indexing time (the last step of `congkhai build`, timed again on the built site)
    and the whole build's time;
  - bytes transferred for the first search on the search page (search.js, Pagefind's script,
    WebAssembly, index chunks, the fragments of the results shown) and for a typical second
    query, measured in Chromium; as served (no HTTP compression: Python's server) and as a
    gzip-enabled server would send them (Pagefind's index files are compressed already);
  - the HTML bytes of a procedure page (the document only: Material's CSS and JavaScript are
    shared, cached assets), typical and largest, with the counter sheet's.
Goals: first search and a typical query ≤ 300 KB; procedure page HTML ≤ 60 KB.

The synthetic site copies the sample's procedures under new codes until there are N, so the
words people search for are real; `--synth` uses benchmarks/synth.py's generated records instead.

    python benchmarks/search.py               # sample + 5,000 copied procedures
    python benchmarks/search.py --n 1000 --synth --keep /tmp/sites
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser.support import serve  # noqa: E402

from generator.publish.pagefind import BUNDLE, index_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_QUERY = "đăng ký khai sinh"
TYPICAL_QUERY = "cap giay phep xay dung"
TODAY = "2026-11-26"
COMPRESSIBLE = (".js", ".json", ".html", ".css", ".svg")


@dataclass
class Transfer:
    """Responses of one step: URL -> (bytes as served, bytes a gzip server would send)."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def served(self) -> int:
        return sum(s for s, _ in self.files.values())

    @property
    def gzipped(self) -> int:
        return sum(g for _, g in self.files.values())


@dataclass
class Figures:
    name: str
    procedures: int
    build_s: float
    index_s: float
    pages_indexed: int
    first: Transfer
    typical: Transfer
    page_html: list[int]
    sample_page: tuple[int, int]  # the 1.001193 page (or the first): bytes, gzipped
    counter_html: int


def copied_repo(target: Path, n: int) -> None:
    """The sample repository with its procedures copied under new codes up to `n` procedures."""
    for folder in ("hotlines", "plans_and_policies"):
        shutil.copytree(REPO / folder, target / folder)
    originals = sorted((REPO / "procedures").rglob("*.yaml"))
    for i in range(n):
        source = originals[i % len(originals)]
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        if i >= len(originals):
            data["code"] = f"9.{i:06d}"
        out = target / "procedures" / source.parent.name / f"{data['code']}.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build(root: Path, out: Path) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "generator.cli", "build", "--root", str(root), "--out", str(out),
               "--today", TODAY]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def reindex(site: Path) -> tuple[float, int]:
    shutil.rmtree(site / BUNDLE)
    stats = index_site(site)
    return stats.seconds, stats.pages


def _gzip_size(url: str, body: bytes) -> int:
    if url.split("?")[0].endswith(COMPRESSIBLE):
        return len(gzip.compress(body, 6))
    return len(body)


def measure_transfers(url: str) -> tuple[Transfer, Transfer]:
    """Bytes for the first search (from the search page's load) and for a second query."""
    from playwright.sync_api import Response, sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        seen: list[Response] = []
        page.on("response", lambda response: seen.append(response))

        def step() -> Transfer:
            """The search files received since the previous step (the status line is written
            once the results shown, and so their fragments, have arrived)."""
            page.wait_for_timeout(300)
            done = Transfer()
            for response in seen:
                if "/pagefind/" in response.url or response.url.endswith("search.js"):
                    headers = response.request.sizes()["responseHeadersSize"]
                    body = response.body()  # Python's server sends files as they are on disk
                    done.files[response.url] = (len(body) + headers, _gzip_size(response.url, body) + headers)
            seen.clear()
            return done

        status = "document.getElementById('ck-search-status').textContent"
        page.goto(url + "tim-kiem/?q=" + quote(FIRST_QUERY))
        page.wait_for_function(f"{status}.startsWith('Có')")
        first = step()
        page.get_by_label("Tìm thủ tục, văn bản hoặc cơ quan (gõ có dấu hoặc không dấu)").fill(TYPICAL_QUERY)
        page.keyboard.press("Enter")
        page.wait_for_function(f"{status}.startsWith('Có') && {status}.includes('{TYPICAL_QUERY}')")
        typical = step()
        browser.close()
        return first, typical


def page_sizes(site: Path) -> tuple[list[int], tuple[int, int], int]:
    pages = [p for p in site.glob("thu-tuc/*/*/index.html")]
    sizes = [p.stat().st_size for p in pages]
    typical = next((p for p in pages if "/1.001193-" in p.as_posix()), pages[0])
    body = typical.read_bytes()
    counter = typical.parent / "niem-yet" / "index.html"
    return sizes, (len(body), len(gzip.compress(body, 6))), counter.stat().st_size


def run(name: str, root: Path, work: Path) -> Figures:
    site = work / f"{name.split()[0]}-site"
    build_s = build(root, site)
    index_s, pages = reindex(site)
    with serve(site) as url:
        first, typical = measure_transfers(url)
    sizes, sample, counter = page_sizes(site)
    procedures = sum(1 for _ in root.glob("procedures/*/*.yaml"))
    return Figures(name, procedures, build_s, index_s, pages, first, typical, sizes, sample, counter)


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


def report(figures: Figures) -> str:
    f = figures
    lines = [
        f"## {f.name}: {f.procedures} procedures, {f.pages_indexed} pages indexed",
        f"- build (`congkhai build`, whole): {f.build_s:.1f} s; Pagefind indexing: {f.index_s:.2f} s",
        f"- first search ({FIRST_QUERY!r}, from the search page's load): {len(f.first.files)} files, "
        f"{kb(f.first.served)} as served, {kb(f.first.gzipped)} with gzip",
        f"- typical query afterwards ({TYPICAL_QUERY!r}): {len(f.typical.files)} files, "
        f"{kb(f.typical.served)} as served, {kb(f.typical.gzipped)} with gzip",
        f"- procedure page HTML: 1.001193 page {kb(f.sample_page[0])} ({kb(f.sample_page[1])} gzipped); "
        f"median {kb(statistics.median(f.page_html))}, largest {kb(max(f.page_html))}",
        f"- counter sheet HTML (1.001193): {kb(f.counter_html)}",
        "",
        "| first search: file | as served | gzip |",
        "|---|---:|---:|",
    ]
    for url, (served, zipped) in sorted(f.first.files.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| {url.split('/', 3)[-1]} | {kb(served)} | {kb(zipped)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="procedures of the large site (default 5000)")
    parser.add_argument("--synth", action="store_true",
                        help="generate the large site with benchmarks/synth.py")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the sites in DIR and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="congkhai-search-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.skip_sample:
            print(report(run("sample", REPO, work)), flush=True)
        large = work / "large-repo"
        if args.synth:
            from synth import write_repo  # benchmarks/, this script's folder

            write_repo(large, args.n)
        else:
            copied_repo(large, args.n)
        print(report(run(f"{args.n} procedures ({'synth.py' if args.synth else 'copies of the sample'})",
                         large, work)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
