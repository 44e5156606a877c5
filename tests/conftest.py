"""Shared test helpers: paths, a copy of the valid fixture repository, the CLI, the shared builds.

`run_cli` runs `congkhai` in this process (generator.cli.main, its output captured): the tests
that need the process boundary itself (exit codes seen by a shell, no traceback on stderr) use
`run_process`. The sites that tests only read are built once per session (`sample_site`,
`small_site`, `agency_site`, `payload_site_direct`); a test that changes a site builds its own.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from payload_site import TODAY as PAYLOAD_DAY
from payload_site import Planted, payload_corpus

from generator import cli
from generator.prepare import prepare
from generator.publish import build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
VALID = FIXTURES / "valid"
TODAY = "2026-11-26"  # the sample data's "today": deadlines and the scorecard stay the same


@dataclass
class Ran:
    """What a `congkhai` command did: its exit code and its output."""

    returncode: int
    stdout: str
    stderr: str
    logged: list[str] = field(default_factory=list)  # log records (INFO and above), e.g. mkdocs'


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def sheets_on(page: Path) -> dict[str, str]:
    """The counter sheets on a procedure's sheets page (niem-yet/index.html), by id: "<agency>"."""
    parts = page.read_text("utf-8").split('<div class="ck-sheet" id="')[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def all_sheets(site: Path) -> set[tuple[str, str]]:
    """(procedure page folder, sheet id) of every counter sheet of a built site."""
    return {(page.parent.parent.name, sheet) for page in site.glob("thu-tuc/**/niem-yet/index.html")
            for sheet in sheets_on(page)}


def run_cli(*args: str | Path, cwd: Path | None = None) -> Ran:
    """`congkhai ARGS` in this process, from `cwd` (default: the repository), as a clerk runs it."""
    out, err, records = io.StringIO(), io.StringIO(), _Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.INFO)
    debug = os.environ.pop("CONGKHAI_DEBUG", None)
    try:
        with _cwd(cwd or REPO), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        root.removeHandler(records)
        root.setLevel(level)
        if debug is not None:
            os.environ["CONGKHAI_DEBUG"] = debug
    return Ran(code, out.getvalue(), err.getvalue(), records.messages)


def run_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`congkhai ARGS` as a separate process: what a shell sees (exit code, stderr)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONGKHAI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        cwd=cwd or REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )


def build_ok(out: Path, *args: str | Path) -> Ran:
    """`congkhai build --out OUT ARGS`, which must succeed."""
    done = run_cli("build", "--out", out, *args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A writable copy of the small valid repository."""
    target = tmp_path / "repo"
    shutil.copytree(VALID, target)
    return target


@dataclass(frozen=True)
class Built:
    """A site built once for the session, and what its build logged."""

    root: Path
    logged: list[str]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's own records, as `congkhai build --today TODAY --build-date TODAY`."""
    out = tmp_path_factory.mktemp("sample") / "site"
    done = build_ok(out, "--root", REPO, "--today", TODAY, "--build-date", TODAY)
    return Built(out, done.logged)


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The valid fixtures, built with no date given: the build date and the scorecard's date are
    the date of the data."""
    out = tmp_path_factory.mktemp("small") / "site"
    done = build_ok(out, "--root", VALID)
    return Built(out, done.logged)


AGENCY = "phuong-nha-trang"
AGENCY_BUILD_DATE = "2026-11-20"


@pytest.fixture(scope="session")
def agency_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One agency's own site from the valid fixtures, with a build date given and no --today."""
    out = tmp_path_factory.mktemp("agency") / "site"
    done = build_ok(out, "--root", VALID, "--agency", AGENCY, "--build-date", AGENCY_BUILD_DATE)
    return Built(out, done.logged)


@pytest.fixture(scope="session")
def payload_site_direct(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planted]]:
    """tests/payload_site.py's records, every payload in every field, built by publish.build_site
    with validation bypassed (what validation refuses reaches the renderers too)."""
    corpus, planted = payload_corpus()
    out = tmp_path_factory.mktemp("payloads-direct") / "site"
    build_site(prepare(corpus), out, build_date=PAYLOAD_DAY)
    return out, planted
