"""The check stage: every rule over every loaded record, problems as values."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import legal
from generator.check import catalogue
from generator.check.rules import Index, check_identity, strip_placeholders
from generator.check.schema import check_schema
from generator.check.timeliness import Settings, check_dates, record_date
from generator.load import discover, load_file
from generator.model import FLAT_KINDS, Catalogue, Problem, Record


def check_record(record: Record, index: Index, settings: Settings) -> list[Problem]:
    copy = catalogue.duplicate(record, index)
    if copy is not None:  # a whole copy of a catalogue entry: one message, not one per key
        return [copy]
    as_kind = "implementation" if catalogue.is_implementation(record, index) else None
    data, problems = strip_placeholders(record, as_kind)
    masked = {p.field for p in problems if p.rule == "CK-PLACEHOLDER"}
    data, added = catalogue.departures(record, data, index)
    problems += added
    for problem in check_schema(record, data, as_kind):
        # A removed placeholder is already reported; its "missing" echo is not news.
        if problem.rule == "CK-REQ" and _masked(problem.field, masked):
            continue
        problems.append(problem)
    problems.extend(check_identity(record, data, index))
    problems.extend(check_dates(record, data, settings))
    problems.extend(catalogue.check(record, data, index, settings))
    return _dated(problems, record_date(record.kind, data, settings.today))


def _dated(problems: list[Problem], on: date) -> list[Problem]:
    """Each citation as the law stood on the record's own date (legal.yaml `record_dates`):
    a replaced decree is cited for the records it governed, its successor for the others."""
    out = []
    for problem in problems:
        cited = legal.at(problem.legal, on) if problem.legal else None
        out.append(problem if cited is problem.legal else replace(problem, legal=cited))
    return out


def _masked(field: str, masked: set[str]) -> bool:
    return field in masked or any(m.startswith(f"{field}[") for m in masked)


@dataclass(slots=True)
class Checked:
    """The outcome of the check stage over a repository."""

    records: list[Record]  # every record that loaded, valid or not (empty unless kept)
    problems: list[Problem]  # sorted by file, line, column
    files: list[str]  # every record path found
    loaded: int = 0  # how many records loaded
    catalogue: Catalogue | None = None  # who performs what, when the repository has a catalogue

    @property
    def failed_files(self) -> set[str]:
        return {p.file for p in self.problems if p.severity == "error"}

    def valid_records(self) -> list[Record]:
        failed = self.failed_files
        return [r for r in self.records if r.path not in failed]


# Records: from this many, checking is shared out between processors (validation only: records
# do not come back from the workers, and loading dominates the cost).
PARALLEL_FROM = 1000
_SHARED: tuple[Path, list[tuple[str, str]], Index, Settings, dict[str, Record | Problem]] | None = None


def check_repository(root: Path, settings: Settings, only: set[str] | None = None,
                     keep_records: bool = True) -> Checked:
    """Load and check the records under `root` (or only those in `only`).

    With `keep_records=False` (validation alone) a large repository is checked by several
    processes, and only the problems come back.
    """
    global _SHARED
    found, problems = discover(root)
    files = [rel for rel, _ in found]
    # The rules of the catalogue need who performs what, whichever records are checked: the
    # catalogue entries and the agencies are loaded first, and only once.
    preloaded = {rel: load_file(root, rel, kind) for rel, kind in found if kind in FLAT_KINDS}
    index = Index.from_paths(files, _who_performs(preloaded, files))
    selected = [(rel, kind) for rel, kind in found if only is None or rel in only]
    if only is not None:
        problems = [p for p in problems if p.file in only]
    workers = min(os.cpu_count() or 1, 4)
    if keep_records or workers == 1 or len(selected) < PARALLEL_FROM:
        records, found_problems = _check_files(root, selected, index, settings, preloaded)
        problems += found_problems
        loaded = len(records)
    else:
        _SHARED = (root, selected, index, settings, preloaded)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                shares = pool.map(_check_share, [(i, workers) for i in range(workers)])
        finally:
            _SHARED = None
        records, loaded = [], sum(count for count, _ in shares)
        for _, found_problems in shares:
            problems += found_problems
    problems.sort(key=Problem.sort_key)
    return Checked(records if keep_records else [], problems, files, loaded, index.catalogue)


def _who_performs(preloaded: dict[str, Record | Problem], files: list[str]) -> Catalogue | None:
    if not any(rel.startswith("catalogue/") for rel in files):
        return None
    loaded = [r for r in preloaded.values() if isinstance(r, Record)]
    return catalogue.who_performs([r for r in loaded if r.kind == "catalogue"],
                                  [r for r in loaded if r.kind == "agency"])


def _check_files(root: Path, selected: list[tuple[str, str]], index: Index, settings: Settings,
                 preloaded: dict[str, Record | Problem]) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for rel, kind in selected:
        loaded = preloaded.get(rel) or load_file(root, rel, kind)
        if isinstance(loaded, Problem):
            problems.append(loaded)
            continue
        records.append(loaded)
        problems += check_record(loaded, index, settings)
    return records, problems


def _check_share(share: tuple[int, int]) -> tuple[int, list[Problem]]:
    assert _SHARED is not None, "check workers are forked from check_repository"
    root, selected, index, settings, preloaded = _SHARED
    records, problems = _check_files(root, selected[share[0]::share[1]], index, settings, preloaded)
    return len(records), problems
