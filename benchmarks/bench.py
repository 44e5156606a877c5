"""Province-scale benchmark: validation and build against their baselines, in one run.

For each size N it writes a synthetic repository (benchmarks/synth.py) and measures, each as
a separate process so memory is per command:
  - `congkhai validate`, and `check-jsonschema` with the same procedure schema on the same
    procedure files (the ratio is the goal: ours does more, and must still be faster);
  - `congkhai build`, and the floor: a bare mkdocs-material build of the same number of
    pre-written Markdown pages kept out of the nav, plus the same search indexing;
  - `validate --changed-since` after changing one record in a git repository;
  - peak memory, the size of the built site and of a typical procedure page;
  - `congkhai dossiers check` on a synthetic one-stop export of 1,000,000 dossiers, against the
    same engine (Polars) reading the same CSV, every column, and counting it by agency and month;
  - the province's catalogue (benchmarks/province.py: 2,600 entries, 105 agencies, ≈ 41,000
    agency–procedure pairs at --scale 1): validate against check-jsonschema on the same files,
    build against a bare mkdocs-material + Pagefind build of one pre-written page per catalogue
    procedure, Pagefind alone on the built site, and the site's size part by part;
  - page weight (benchmarks/page_weight.py): the sample's home, procedure and search pages in
    Chromium on an emulated slow 3G phone, bytes transferred and first contentful paint, against
    the same procedure as a bare mkdocs-material page.
Ratios are taken within the run, so machine noise cancels; absolute times are reported only.

    python benchmarks/bench.py            # N = 1,000, 5,000, 10,000 -> benchmarks/RESULTS.md
    python benchmarks/bench.py --quick    # small N, for CI: checks every row is produced
    python benchmarks/bench.py --parts dossiers    # one part only (its section of RESULTS.md)
    python benchmarks/bench.py --parts catalogue --scale 0.1   # a smaller province
Each part rewrites only its own block of RESULTS.md (between `<!-- bench:PART -->` markers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from province import Province, write_province  # noqa: E402
from synth import write_repo  # noqa: E402

from generator.dossiers.synth import bench_rows, write_csv  # noqa: E402
from generator.publish.pagefind import BUNDLE, index_command  # noqa: E402
from generator.publish.verify import sheet_ids  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
# Runs a command and prints its peak memory (KiB) and CPU seconds last on stderr: one process
# per figure.
MEASURE = ("import resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
           "child = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(0, child.ru_maxrss, child.ru_utime + child.ru_stime, file=sys.stderr)\n"
           "sys.exit(code)\n")
# Runs `congkhai` in this process: its own peak apart from its helpers' (render workers, Pagefind).
MEASURE_CONGKHAI = ("import resource, sys\n"
                    "from generator.cli import main\n"
                    "code = main(sys.argv[4:])  # after: python -m generator.cli\n"
                    "own = resource.getrusage(resource.RUSAGE_SELF)\n"
                    "child = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
                    "print(own.ru_maxrss, child.ru_maxrss,\n"
                    "      own.ru_utime + own.ru_stime + child.ru_utime + child.ru_stime, file=sys.stderr)\n"
                    "sys.exit(code)\n")


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the measured process itself (congkhai), or the command run
    helpers_mb: float  # the largest process it started
    code: int
    cpu_s: float = 0.0  # CPU time of every process of the command (less sensitive to other load)


@dataclass
class Row:
    n: int
    figures: dict[str, str] = field(default_factory=dict)


class CommandFailed(SystemExit):
    """A measured command exited with a code it should not have (the message says which)."""


def run(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    inproc = cmd[:3] == [PYTHON, "-m", "generator.cli"]
    script = MEASURE_CONGKHAI if inproc else MEASURE
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", script, *cmd], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        raise CommandFailed(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    own, helpers, cpu = done.stderr.strip().splitlines()[-1].split()
    own_mb, helpers_mb = int(own) / 1024, int(helpers) / 1024
    return Run(seconds, own_mb if inproc else helpers_mb, helpers_mb if inproc else 0.0, done.returncode,
               float(cpu))


def congkhai(*args: str | Path) -> list[str]:
    # run() executes these in its measuring process, so congkhai's memory is told apart.
    return [PYTHON, "-m", "generator.cli", *map(str, args)]


def floor_docs(site: Path, docs: Path) -> int:
    """Pre-written Markdown equivalents of the built pages: same text, plain Markdown."""
    import html
    import re

    tag = re.compile(r"<[^>]+>")
    count = 0
    for page in site.rglob("index.html"):
        text = page.read_text("utf-8")
        body = text.split('<article', 1)[-1].split("</article>", 1)[0]
        lines = [html.unescape(tag.sub(" ", line)).strip() for line in body.splitlines()]
        rel = page.parent.relative_to(site)
        target = docs / (rel.as_posix() + ".md" if rel.parts else "index.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("# Trang\n\n" + "\n\n".join(x for x in lines if x), "utf-8")
        count += 1
    return count


def floor_config(docs: Path, site: Path, where: Path) -> Path:
    config = where / "mkdocs-floor.yml"
    config.write_text(
        f"site_name: Sàn so sánh\ndocs_dir: {docs}\nsite_dir: {site}\n"
        "theme:\n  name: material\n  language: vi\n  font: false\nplugins: []\n"
        "nav:\n  - index.md\nnot_in_nav: |\n  /**\n", "utf-8")
    return config




def procedure_page_bytes(site: Path) -> int:
    pages = sorted((site / "thu-tuc").glob("*/*/index.html"))
    sizes = sorted(p.stat().st_size for p in pages if p.parent.name != "niem-yet")
    return sizes[len(sizes) // 2] if sizes else 0


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def measure(n: int, work: Path) -> Row:
    row = Row(n)
    repo = work / f"repo-{n}"
    if not repo.exists():
        write_repo(repo, n)
    files = sorted(str(p) for p in (repo / "procedures").rglob("*.yaml"))

    ours = run(congkhai("validate", "--root", repo, "--today", "2026-11-26"))
    theirs = run([str(BIN / "check-jsonschema"), "--schemafile",
                  str(REPO / "schemas/procedure.schema.json"), *files])
    row.figures.update({
        "validate_s": f"{ours.seconds:.2f}",
        "check_jsonschema_s": f"{theirs.seconds:.2f}",
        "validate_speedup": f"{theirs.seconds / ours.seconds:.1f}×",
        "validate_peak_mb": f"{ours.peak_mb:.0f}",
    })

    site = work / f"site-{n}"
    build = run(congkhai("build", "--root", repo, "--out", site, "--today", "2026-11-26",
                         "--build-date", "2026-11-26"), ok=(0,))
    docs, floor_site = work / f"floor-docs-{n}", work / f"floor-site-{n}"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(floor_site, ignore_errors=True)
    pages = floor_docs(site, docs)
    floor = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(floor_config(docs, floor_site, work))])
    floor_index = run(index_command(floor_site))  # the same indexing `congkhai build` runs last
    floor_total = floor.seconds + floor_index.seconds
    row.figures.update({
        "build_s": f"{build.seconds:.2f}",
        "floor_s": f"{floor_total:.2f}",
        "build_vs_floor": f"{build.seconds / floor_total:.2f}×",
        "build_peak_mb": f"{build.peak_mb:.0f}",
        "helpers_peak_mb": f"{build.helpers_mb:.0f}",
        "pages": str(pages),
        "site_mb": f"{tree_bytes(site) / 1e6:.1f}",
        "procedure_page_kb": f"{procedure_page_bytes(site) / 1e3:.1f}",
    })

    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "base")
    changed = Path(files[len(files) // 2])
    original = changed.read_text("utf-8")
    changed.write_text(original.replace("dossier_sets: 1", "dossier_sets: 2"), "utf-8")
    try:
        one = run(congkhai("validate", "--root", repo, "--changed-since", "HEAD",
                           "--today", "2026-11-26"))
    finally:
        changed.write_text(original, "utf-8")
    row.figures.update({
        "changed_since_s": f"{one.seconds:.2f}",
        "changed_vs_full": f"{one.seconds / ours.seconds:.2f}×",
    })
    return row


# The floor of a dossier check: the same engine reads the same CSV (every column, as text, as
# the check must) and counts the dossiers by agency and month.
DOSSIER_BASELINE = ("import sys\n"
                    "import polars as pl\n"
                    "rows = pl.read_csv(sys.argv[1], infer_schema=False)\n"
                    "month = pl.col('received_at').str.slice(0, 7).alias('month')\n"
                    "print(rows.group_by('agency', month).agg(pl.len()).height)\n")
DOSSIER_AS_OF = "2026-09-30"


def remove_index(site: Path) -> None:
    shutil.rmtree(site / BUNDLE, ignore_errors=True)


def best_of(repeats: int, cmd: list[str], ok: tuple[int, ...] = (0,),
            before: Callable[[], object] = lambda: None) -> Run:
    """The fastest of a few runs (the least disturbed by other work on the machine), with the
    highest peak. `before` runs, untimed, before each: every run starts from the same state."""
    runs = []
    for _ in range(repeats):
        before()
        runs.append(run(cmd, ok=ok))
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(fastest.seconds, max(r.peak_mb for r in runs), fastest.helpers_mb, fastest.code,
               min(r.cpu_s for r in runs))


def measure_dossiers(rows: int, work: Path, repeats: int = 3) -> Row:
    """`congkhai dossiers check` on `rows` synthetic dossiers (its findings printed as JSON)."""
    row = Row(rows)
    export = work / f"dossiers-{rows}.csv"
    if not export.exists():
        write_csv(export, bench_rows(REPO, rows, seed=1))
    ours = best_of(repeats, congkhai("dossiers", "check", export, "--root", REPO, "--as-of",
                                     DOSSIER_AS_OF, "--format", "json"), ok=(0, 1))
    floor = best_of(repeats, [PYTHON, "-c", DOSSIER_BASELINE, str(export)])
    row.figures.update({
        "csv_mb": f"{export.stat().st_size / 1e6:.0f}",
        "check_s": f"{ours.seconds:.2f}",
        "floor_s": f"{floor.seconds:.2f}",
        "check_vs_floor": f"{ours.seconds / floor.seconds:.2f}×",
        "check_cpu_s": f"{ours.cpu_s:.2f}",
        "floor_cpu_s": f"{floor.cpu_s:.2f}",
        "cpu_vs_floor": f"{ours.cpu_s / floor.cpu_s:.2f}×",
        "check_peak_mb": f"{ours.peak_mb:.0f}",
        "floor_peak_mb": f"{floor.peak_mb:.0f}",
    })
    return row


# The province's catalogue (issue 14). The baseline of the build is bare mkdocs-material with
# Pagefind over one pre-written Markdown page per catalogue procedure (its content and places).
TODAY = "2026-11-26"
MEMORY_MB, SITE_MB = 2000, 1000  # goals: 2 GB of memory for each process, a 1 GB site
SITE_PARTS = ("catalogue procedure pages", "counter sheets", "agency pages", "open data",
              "search index", "assets", "other")
METHODS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}
UNITS = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "months": "tháng"}


def site_part(parts: tuple[str, ...]) -> str:
    """Which part of the site a file (its path's parts under the site) belongs to. Holds for
    the per-pair pages (thu-tuc/<agency>/<code>-<slug>/, sheet in niem-yet/) and for one page per
    procedure (thu-tuc/<code>-<slug>/, its sheets on niem-yet/)."""
    top = parts[0]
    if top == "thu-tuc" and len(parts) > 2:
        return "counter sheets" if "niem-yet" in parts else "catalogue procedure pages"
    return {"co-quan": "agency pages", "api": "open data", "du-lieu-mo": "open data",
            "pagefind": "search index", "assets": "assets"}.get(top, "other")


@dataclass
class Part:
    files: int = 0
    pages: int = 0
    size: int = 0


# Parts whose largest pieces the report names (by their first two path parts under the site).
DETAILED = ("open data", "other")


def weigh_site(site: Path) -> tuple[dict[str, Part], Counter[tuple[str, str]]]:
    """Files, pages and bytes of each part of the site; and the pieces of the DETAILED parts."""
    parts = {name: Part() for name in SITE_PARTS}
    pieces: Counter[tuple[str, str]] = Counter()
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).parts
        name, size = site_part(rel), path.stat().st_size
        part = parts[name]
        part.files += 1
        part.pages += path.name == "index.html"
        part.size += size
        if name in DETAILED:
            pieces[name, "/".join(rel[:2])] += size
    return parts, pieces


def count_sheets(site: Path) -> int:
    """The counter sheets on the site's pages of sheets (one page per procedure, a sheet per place)."""
    return sum(len(sheet_ids(page)) for page in site.glob("thu-tuc/*/niem-yet/index.html"))


def procedure_markdown(data: dict[str, Any], places: list[dict[str, Any]]) -> str:
    """A catalogue procedure as plain Markdown, the way an author of the floor would write it."""
    lines = [f"# {data['name']}", "",
             f"Mã thủ tục: {data['code']} · Lĩnh vực: {data['field']} · "
             f"Quyết định công bố: {data['announcement']['decision']}", "", "## Trình tự thực hiện", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(data["steps"], 1)]
    lines += ["", "## Cách thức thực hiện", "", "| Hình thức | Thời hạn | Phí, lệ phí |", "|---|---|---|"]
    for channel in data["channels"]:
        time_ = channel["processing_time"]
        fees = channel["fees"] if isinstance(channel["fees"], str) else "; ".join(
            f"{fee['name']}: {fee['amount']} đồng" for fee in channel["fees"])
        lines.append(f"| {METHODS[channel['method']]} | {time_['value']} {UNITS[time_['unit']]} | {fees} |")
    lines += ["", "## Thành phần hồ sơ", ""]
    lines += [f"- {doc['name']} (bản chính: {doc['originals']}, bản sao: {doc['copies']})"
              for doc in data["documents"]]
    lines += ["", "## Đối tượng thực hiện", "", *(f"- {who}" for who in data["applicants"]),
              "", "## Kết quả", "", data["result"], "", "## Yêu cầu, điều kiện", "", data["requirements"],
              "", "## Căn cứ pháp lý", ""]
    lines += [f"- {law['number']}: {law['title']}" for law in data["legal_basis"]]
    lines += ["", "## Nơi thực hiện", ""]
    for place in places:
        one_stop = place.get("one_stop", {})
        lines += [f"### {place['name']}", "", f"{one_stop.get('address', place['address'])}. "
                  f"{one_stop.get('hours', '')} Điện thoại: {place['hotlines'][0]['number']}", ""]
    return "\n".join(lines) + "\n"


def catalogue_floor_docs(repo: Path, docs: Path) -> int:
    """The floor's pre-written pages: one per catalogue procedure, with its places."""
    from generator.check.performers import who_performs
    from generator.model import Record

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def records(folder: str, kind: Literal["catalogue", "agency"]) -> list[Record]:
        return [Record(kind, f"{folder}/{path.name}", yaml.load(path.read_bytes(), Loader=loader))
                for path in sorted((repo / folder).glob("*.yaml"))]

    entries, agencies = records("catalogue", "catalogue"), records("hotlines", "agency")
    by_id = {agency.stem: agency.data for agency in agencies}
    catalogue = who_performs(entries, agencies)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Thủ tục hành chính\n", "utf-8")
    for entry in entries:
        places = [by_id[a] for a in catalogue.places_of(entry.stem)]
        (docs / f"{entry.stem}.md").write_text(procedure_markdown(entry.data, places), "utf-8")
    return len(entries)


def schema_check(repo: Path) -> Run:
    """check-jsonschema over the province's files, each folder with its schema: the validation
    floor (time summed, peak the highest)."""
    runs = []
    for folder, schema in (("catalogue", "catalogue"), ("hotlines", "agency"),
                           ("procedures", "implementation")):
        files = sorted(str(p) for p in (repo / folder).rglob("*.yaml"))
        if files:
            runs.append(run([str(BIN / "check-jsonschema"), "--schemafile",
                             str(REPO / f"schemas/{schema}.schema.json"), *files]))
    return Run(sum(r.seconds for r in runs), max(r.peak_mb for r in runs), 0.0, 0,
               sum(r.cpu_s for r in runs))


@dataclass
class Figure:
    """One line of the catalogue table: ours, the baseline, and the goal (a limit on the ratio
    or on the value)."""
    name: str
    ours: float
    baseline: float | None = None
    baseline_name: str = ""
    limit: float | None = None  # goal: value ≤ limit (absolute, judged at scale 1 only)
    ratio_limit: float | None = None  # goal: ours / baseline ≤ ratio_limit
    digits: int = 0
    failed: str = ""  # why there is no value

    def cells(self, scale: float) -> list[str]:
        if self.failed:
            return [self.name, self.failed, "", "", self.goal(), "not met"]
        ours = f"{self.ours:,.{self.digits}f}"
        base = ratio = ""
        if self.baseline is not None:
            base = f"{self.baseline:,.{self.digits}f} ({self.baseline_name})"
            ratio = f"{self.ours / self.baseline:.2f}×" if self.baseline else ""
        return [self.name, ours, base, ratio, self.goal(), self.verdict(scale)]

    def goal(self) -> str:
        if self.ratio_limit is not None:
            return f"≤ {self.ratio_limit}× baseline"
        return f"≤ {self.limit:,.0f}" if self.limit is not None else "—"

    def verdict(self, scale: float) -> str:
        if self.ratio_limit is not None and self.baseline:
            return "met" if self.ours / self.baseline <= self.ratio_limit else "not met"
        if self.limit is None:
            return "—"
        if scale != 1:
            return f"not judged (scale {scale:g})"
        return "met" if self.ours <= self.limit else "not met"


@dataclass
class CatalogueResult:
    scale: float
    province: Province
    figures: list[Figure]
    code: str = ""  # the commit measured
    parts: dict[str, Part] = field(default_factory=dict)
    pieces: Counter[tuple[str, str]] = field(default_factory=Counter)

    def report(self) -> str:
        p = self.province
        head = (f"Commit {self.code or '?'}, {os.cpu_count()} cores, "
                f"`python benchmarks/bench.py --parts catalogue --scale {self.scale:g}`. "
                f"Synthetic province at scale {self.scale:g}: {p.entries:,} catalogue entries "
                f"({p.provincial_entries:,} provincial, {p.commune_entries:,} commune-level), "
                f"{p.agencies} agencies ({p.communes} communes, {p.provincial_agencies} provincial), "
                f"{p.pairs:,} agency–procedure pairs, {p.implementations} implementation files, "
                f"{p.postings_late} late and {p.postings_missing} missing postings.")
        columns = ["figure", "congkhai", "baseline", "ratio", "goal", "met"]
        out = [head, "", "| " + " | ".join(columns) + " |", "|---|" + "---:|" * 4 + "---|"]
        out += ["| " + " | ".join(f.cells(self.scale)) + " |" for f in self.figures]
        if self.parts:
            total = sum(part.size for part in self.parts.values()) or 1
            out += ["", "| part of the site | files | pages | MB | share |", "|---|---:|---:|---:|---:|"]
            out += [f"| {name} | {part.files:,} | {part.pages:,} | {part.size / 1e6:,.1f} | "
                    f"{part.size / total:.0%} |" for name, part in self.parts.items()]
            for part in DETAILED:
                biggest = [(piece, size) for (name, piece), size in self.pieces.most_common() if name == part]
                named = ", ".join(f"{piece} {size / 1e6:,.1f} MB" for piece, size in biggest[:4])
                out += ["", f"Largest in {part}: {named}."] if named else []
        return "\n".join(out).rstrip() + "\n"


def measure_catalogue(scale: float, work: Path) -> CatalogueResult:
    """Validate, build, Pagefind and size of the synthetic province, each against its baseline."""
    repo = work / f"province-{scale:g}"
    shutil.rmtree(repo, ignore_errors=True)
    province = write_province(repo, scale)
    ours = run(congkhai("validate", "--root", repo, "--today", TODAY))
    floor_check = schema_check(repo)
    figures = [
        Figure("validate (s)", ours.seconds, floor_check.seconds, "check-jsonschema", limit=20, digits=2),
        Figure("validate peak memory (MB)", ours.peak_mb, floor_check.peak_mb, "check-jsonschema",
               limit=MEMORY_MB),
    ]
    docs, floor_site = work / "floor-docs-catalogue", work / "floor-site-catalogue"
    site = work / "site-catalogue"
    for path in (docs, floor_site, site):
        shutil.rmtree(path, ignore_errors=True)
    catalogue_floor_docs(repo, docs)
    # The floor is short, so other work on the machine weighs on it most: its best of three.
    floor = best_of(3, [str(BIN / "mkdocs"), "build", "-q", "-f", str(floor_config(docs, floor_site, work))])
    # Pagefind over its own earlier output is a third faster than over none (it rewrites only
    # what changed): each run, like the build's, starts without one.
    floor_index = best_of(3, index_command(floor_site), before=partial(remove_index, floor_site))
    floor_seconds = floor.seconds + floor_index.seconds
    floor_name = f"mkdocs {floor.seconds:.1f} + Pagefind {floor_index.seconds:.1f}"
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    result = CatalogueResult(scale, province, figures, commit)
    try:
        build = run(congkhai("build", "--root", repo, "--out", site, "--today", TODAY,
                             "--build-date", TODAY))
    except CommandFailed as exc:
        reason = f"failed: {str(exc).splitlines()[-1][:200]}"
        figures += [Figure("build (s)", 0, failed=reason, ratio_limit=1.5)]
        return result
    parts, result.pieces = weigh_site(site)
    result.parts = parts
    site_bytes = sum(part.size for part in parts.values())
    pages = sum(part.pages for part in parts.values())
    # Pagefind once more, alone, for its own time and peak memory, over what the build gives it:
    # the site before the counter sheets are moved in (publish/ moves them in after indexing).
    aside = work / "sheets-aside"
    shutil.rmtree(aside, ignore_errors=True)
    sheets = sorted(site.glob("thu-tuc/*/niem-yet"))
    for folder in sheets:
        (aside / folder.parent.name).mkdir(parents=True)
        folder.rename(aside / folder.parent.name / folder.name)
    try:
        remove_index(site)
        index = run(index_command(site))
    finally:
        for folder in sheets:
            (aside / folder.parent.name / folder.name).rename(folder)
    figures += [
        Figure("build (s)", build.seconds, floor_seconds, floor_name, ratio_limit=1.5, digits=1),
        # CPU time of every process: steadier than wall time on a machine shared with other work.
        Figure("build CPU time (s)", build.cpu_s, floor.cpu_s + floor_index.cpu_s, "floor", digits=1),
        Figure("congkhai build peak memory (MB)", build.peak_mb, floor.peak_mb, "mkdocs", limit=MEMORY_MB),
        Figure("largest process the build started (MB)", build.helpers_mb, floor_index.peak_mb,
               "Pagefind on the floor", limit=MEMORY_MB),  # a render worker or Pagefind
        Figure("Pagefind on the built pages (s)", index.seconds, floor_index.seconds, "Pagefind on the floor",
               digits=1),
        Figure("Pagefind peak memory (MB)", index.peak_mb, floor_index.peak_mb, "Pagefind on the floor",
               limit=MEMORY_MB),
        Figure("site (MB)", site_bytes / 1e6, tree_bytes(floor_site) / 1e6, "floor site", limit=SITE_MB,
               digits=1),
        Figure("pages", pages, sum(1 for _ in floor_site.rglob("index.html")), "floor pages"),
        Figure("counter sheets (one per pair)", count_sheets(site), province.pairs, "pairs in the catalogue"),
        Figure("pages of counter sheets (one per procedure)", parts["counter sheets"].pages,
               province.provincial_entries + province.commune_entries, "catalogue entries"),
    ]
    return result


DOSSIER_COLUMNS = [
    ("n", "dossiers"), ("csv_mb", "CSV (MB)"), ("check_s", "dossiers check (s)"),
    ("floor_s", "Polars read + group (s)"), ("check_vs_floor", "check / floor (goal ≤ 4×)"),
    ("check_cpu_s", "check CPU (s)"), ("floor_cpu_s", "floor CPU (s)"), ("cpu_vs_floor", "CPU ratio"),
    ("check_peak_mb", "check peak (MB, goal ≤ 1,000)"), ("floor_peak_mb", "floor peak (MB)"),
]

COLUMNS = [
    ("n", "N procedures"), ("validate_s", "validate (s)"),
    ("check_jsonschema_s", "check-jsonschema (s)"), ("validate_speedup", "validate speed-up"),
    ("changed_since_s", "--changed-since, 1 file (s)"), ("changed_vs_full", "vs full validate"),
    ("build_s", "build (s)"), ("floor_s", "floor (s)"), ("build_vs_floor", "build / floor"),
    ("validate_peak_mb", "validate peak (MB)"), ("build_peak_mb", "build peak (MB)"),
    ("helpers_peak_mb", "Pagefind / workers peak (MB)"),
    ("pages", "pages"), ("site_mb", "site (MB)"), ("procedure_page_kb", "procedure page (KB)"),
]


def table(rows: list[Row], columns: list[tuple[str, str]] = COLUMNS) -> str:
    out = ["| " + " | ".join(title for _, title in columns) + " |",
           "|" + "---:|" * len(columns)]
    for row in rows:
        cells = [str(row.n) if key == "n" else row.figures[key] for key, _ in columns]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def growth(rows: list[Row]) -> str:
    by_n = {r.n: r for r in rows}
    if 5000 not in by_n or 10000 not in by_n:
        return ""
    lines = []
    for key, name in (("validate_s", "validate"), ("build_s", "build")):
        ratio = float(by_n[10000].figures[key]) / float(by_n[5000].figures[key])
        lines.append(f"- {name}: time(10,000) / time(5,000) = {ratio:.2f} (goal ≤ 2.2)")
    return "\n".join(lines)


def write_section(results: Path, name: str, text: str) -> None:
    """Replaces the section between this part's markers in RESULTS.md (appends it the first
    time): the hand-written analysis around it stays."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    old = results.read_text("utf-8") if results.exists() else ""
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in old and end in old:
        new = old[: old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    results.write_text(new, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="congkhai province-scale benchmark")
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI (< 2 minutes)")
    parser.add_argument("--sizes", type=int, nargs="*")
    parser.add_argument("--work", type=Path, help="keep generated repositories here")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--parts", default="site,dossiers,catalogue,page-weight",
                        help="comma-separated: site (validate and build), dossiers, catalogue, page-weight")
    parser.add_argument("--dossiers", type=int, help="rows of the dossier export (default 1,000,000)")
    parser.add_argument("--scale", type=float,
                        help="size of the synthetic province (default 1: 2,600 entries, ≈ 41,000 pairs)")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    sizes = args.sizes or ([100, 300] if args.quick else [1000, 5000, 10000])
    work = args.work or Path(tempfile.mkdtemp(prefix="congkhai-bench-"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rows = []
    for n in sizes if "site" in parts else []:
        print(f"N = {n} …", file=sys.stderr, flush=True)
        rows.append(measure(n, work))
    dossiers = []
    if "dossiers" in parts:
        n = args.dossiers or (20_000 if args.quick else 1_000_000)
        print(f"dossiers = {n} …", file=sys.stderr, flush=True)
        dossiers.append(measure_dossiers(n, work, repeats=1 if args.quick else 3))
    catalogue = None
    if "catalogue" in parts:
        scale = args.scale or (0.02 if args.quick else 1.0)
        print(f"catalogue, scale {scale:g} …", file=sys.stderr, flush=True)
        catalogue = measure_catalogue(scale, work)
    weight = ""
    if "page-weight" in parts:
        import page_weight  # imports this module's helpers: only when the part runs

        print("page weight on slow 3G …", file=sys.stderr, flush=True)
        weight = page_weight.run()
    sections = {"site": rows and "\n\n".join(x for x in (table(rows), growth(rows)) if x),
                "dossiers": dossiers and table(dossiers, DOSSIER_COLUMNS),
                "catalogue": catalogue and catalogue.report(), "page-weight": weight}
    print("\n\n".join(text for text in sections.values() if text))
    for name, text in sections.items():
        if text and not args.quick:
            write_section(args.results, name, text)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
