"""The benchmark tools: synthetic repositories validate, and the benchmark produces every row.

Timings are printed by `make bench`, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from bench import COLUMNS, DOSSIER_COLUMNS
from synth import write_repo


def test_synthetic_repository_is_valid_and_deterministic(tmp_path: Path) -> None:
    write_repo(tmp_path / "a", 60)
    write_repo(tmp_path / "b", 60)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len([f for f in files if f.parts[0] == "procedures"]) == 60
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    result = run_cli("validate", "--root", tmp_path / "a", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout[-2000:]


def test_quick_benchmark_produces_every_row_and_column(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/bench.py"), "--quick",
                           "--sizes", "60", "--results", str(tmp_path / "r.md")],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    tables = [[x for x in block.splitlines() if x.startswith("|")] for block in done.stdout.split("\n\n")]
    site, dossiers = (t for t in tables if t)
    for lines, columns, first in ((site, COLUMNS, "| 60 |"), (dossiers, DOSSIER_COLUMNS, "| 20000 |")):
        header, rows = lines[0], lines[2:]
        assert header.count("|") == len(columns) + 1
        assert len(rows) == 1 and rows[0].startswith(first)
        cells = [c.strip() for c in rows[0].strip("|").split("|")]
        assert len(cells) == len(columns) and all(cells)
