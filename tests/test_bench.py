"""The benchmark tools: synthetic repositories validate; the results table has every column.

Timings are printed by `make bench` (QUICK=1 for small sizes), never run or asserted here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from bench import COLUMNS, DOSSIER_COLUMNS, Row, growth, table
from synth import write_repo


def test_synthetic_repository_is_valid_and_deterministic(tmp_path: Path) -> None:
    write_repo(tmp_path / "a", 60)
    write_repo(tmp_path / "b", 60)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len([f for f in files if f.parts[0] == "procedures"]) == 60
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    result = run_cli("validate", "--root", tmp_path / "a", "--today", "2026-11-26")
    assert result.returncode == 0, result.stdout[-2000:]


def _row(n: int, validate: float, build: float) -> Row:
    figures = {key: f"{n}-{key}" for key, _ in COLUMNS if key != "n"}
    return Row(n, {**figures, "validate_s": f"{validate:.2f}", "build_s": f"{build:.2f}"})


def test_results_table_has_a_cell_for_every_column() -> None:
    rows = [_row(5000, 2.0, 10.0), _row(10000, 4.2, 19.0)]
    lines = table(rows).splitlines()
    assert lines[0] == "| " + " | ".join(title for _, title in COLUMNS) + " |"
    assert lines[1].count("|") == len(COLUMNS) + 1
    for line, row in zip(lines[2:], rows, strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells == [str(row.n) if key == "n" else row.figures[key] for key, _ in COLUMNS]
    assert growth(rows).splitlines() == [
        "- validate: time(10,000) / time(5,000) = 2.10 (goal ≤ 2.2)",
        "- build: time(10,000) / time(5,000) = 1.90 (goal ≤ 2.2)",
    ]
    assert growth(rows[:1]) == ""  # growth needs both sizes


def test_dossier_table_has_a_cell_for_every_column() -> None:
    row = Row(1_000_000, {key: f"{key}-figure" for key, _ in DOSSIER_COLUMNS if key != "n"})
    header, rule, line = table([row], DOSSIER_COLUMNS).splitlines()
    assert header == "| " + " | ".join(title for _, title in DOSSIER_COLUMNS) + " |"
    assert rule.count("|") == len(DOSSIER_COLUMNS) + 1
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells == [str(row.n) if key == "n" else row.figures[key] for key, _ in DOSSIER_COLUMNS]
