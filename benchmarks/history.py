"""The change histories at province scale: a synthetic git repository with a past, timed.

Writes a synthetic repository (synth.py: N procedures, one plan per five, one agency per 40),
commits it, then commits COMMITS days of changes, each to a share of the procedures (a fee or a
time) and of the plans (a number), so that each record has a few versions. Then it times, in
this process, against the baseline of reading and parsing every record once (what validation
and the build do first):

  - read_versions: `git rev-parse` and one `git log --raw` over the record folders;
  - histories: one `git cat-file --batch` streaming every kept version, parsed and compared.

    python benchmarks/history.py                 # 2,600 procedures, 6 days of changes
    python benchmarks/history.py --n 500 --commits 3
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import dump, write_repo  # noqa: E402

from generator.check.corpus import Corpus  # noqa: E402
from generator.load import load_repository  # noqa: E402
from generator.prepare.history import histories  # noqa: E402
from generator.versions import read_versions  # noqa: E402


def git(root: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+07:00"
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@example.org",
                    "-c", "commit.gpgsign=false", *args],
                   cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


def change(path: Path, rng: random.Random) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    if "channels" in data:
        channel = rng.choice(data["channels"])
        if isinstance(channel["fees"], list) and rng.random() < 0.5:
            channel["fees"][0]["amount"] = rng.choice([0, 8000, 30000, 50000, 100000])
        else:
            channel["processing_time"]["value"] = rng.randint(1, 30)
    else:
        data["number"] = f"{rng.randint(1, 999)}/QĐ-UBND"
    dump(path, data)


def make(root: Path, n: int, commits: int, share: float) -> int:
    """The repository with its past; the number of record files."""
    write_repo(root, n)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base", day="2026-01-05")
    files = sorted(path for folder in ("procedures", "plans_and_policies")
                   for path in (root / folder).rglob("*.yaml"))
    rng = random.Random(7)
    for day in range(commits):
        for path in rng.sample(files, int(len(files) * share)):
            change(path, rng)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"day {day}", day=f"2026-{2 + day // 28:02d}-{1 + day % 28:02d}")
    return len(files)


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2600, help="procedures")
    parser.add_argument("--commits", type=int, default=6, help="days of changes after the first")
    parser.add_argument("--share", type=float, default=0.5, help="share of records each day changes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "repo"
        files = make(root, args.n, args.commits, args.share)
        (records, _, _), load_s = timed(lambda: load_repository(root))
        versions, log_s = timed(lambda: read_versions(root))
        assert versions is not None
        found, history_s = timed(lambda: histories(versions, Corpus(records)))
    kept = sum(len(v) for v in versions.files.values())
    changes = sum(len(h) for h in found.values())
    print(f"{files:,} record files ({len(records):,} records with the agencies), "
          f"{args.commits + 1} commits; {kept:,} versions kept, {changes:,} changes on {len(found):,} pages")
    print(f"read and parse every record once (baseline): {load_s:.2f} s")
    print(f"git log over the record folders:      {log_s:.2f} s ({log_s / load_s:.2f} × baseline)")
    print(f"histories (cat-file, parse, compare): {history_s:.2f} s ({history_s / load_s:.2f} × baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
