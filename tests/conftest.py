"""Shared test helpers: paths, a copy of the valid fixture repository, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
VALID = FIXTURES / "valid"


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `congkhai` as a clerk would: a separate process, its exit code and output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONGKHAI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        cwd=cwd or REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A writable copy of the small valid repository."""
    target = tmp_path / "repo"
    shutil.copytree(VALID, target)
    return target
