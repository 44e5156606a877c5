"""The check stage: every rule over every loaded record, problems as values.

`check_repository` drives the loader (load.py) and judges what it loads. Who performs what in
the province's catalogue (performers.py) is worked out first, from the catalogue entries and the
agencies, loaded once. Rules that do not depend on the day (placeholders, schema, identity, the
catalogue's rules) run once; the date rules (timeliness.py, and the agencies' postings) can run
again on the same records for another day (`Checked.as_of`), without loading anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from generator import legal
from generator.check import catalogue
from generator.check.data_files import check_data_file
from generator.check.performers import Catalogue, who_performs
from generator.check.rules import Index, check_identity, check_superseded, strip_placeholders
from generator.check.schema import check_schema
from generator.check.timeliness import Settings, check_dates, record_date
from generator.contract import SchemaName
from generator.load import discover, load_files
from generator.model import DATA_FOLDERS, FLAT_KINDS, Kind, Problem, Record, agency_of_path
from generator.parallel import share_out, worker_count

# Records: from this many, validation is shared out between processors (loading dominates its
# cost; records do not come back from the workers, only their problems).
PARALLEL_FROM = 1000


def check_content(record: Record, index: Index) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Placeholders, schema, identity and the catalogue's rules: the problems that do not depend
    on the day, and the record's data without its placeholders (what the date rules read; None
    for a whole copy of a catalogue entry, which has one message and no other rule)."""
    copy = catalogue.duplicate(record, index)
    if copy is not None:
        return None, [copy]
    kind = _schema_of(record, index)
    data, problems = strip_placeholders(record, kind)
    masked = {p.field for p in problems if p.rule in ("CK-PLACEHOLDER", "CK-NUMBER")}
    data, added = catalogue.departures(record, data, index)
    problems += added
    for problem in check_schema(record, data, kind):
        # A removed value is already reported; its "missing" echo is not news.
        if problem.rule == "CK-REQ" and _masked(problem.field, masked):
            continue
        problems.append(problem)
    problems.extend(check_identity(record, data, index))
    problems.extend(check_superseded(record, data, index))
    problems.extend(catalogue.check(record, data, index))
    return data, problems


def _schema_of(record: Record, index: Index) -> SchemaName:
    """An agency's record of a catalogue procedure is an implementation: only local facts."""
    return "implementation" if catalogue.is_implementation(record, index) else record.kind


def check_record(record: Record, index: Index, settings: Settings) -> list[Problem]:
    """Every problem of one record, its date rules judged on `settings.today`."""
    if record.kind in DATA_FOLDERS.values():
        return check_data_file(record, index)
    data, problems = check_content(record, index)
    if data is None:
        return problems
    on = record_date(record.kind, data, settings.today)
    return _dated(problems, on) + _dates_of(record, data, settings, index)


def _dates_of(record: Record, data: dict[str, Any], settings: Settings, index: Index) -> list[Problem]:
    """The date rules' findings on `settings.today`, each citing the law of the record's date:
    deadlines, review, and an agency's postings of the catalogue's decisions."""
    found = list(check_dates(record, data, settings))
    if record.kind == "agency":
        found += catalogue.check_agency_duties(record, index, settings)
    return _dated(found, record_date(record.kind, data, settings.today))


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
    undated: list[Problem]  # load problems and every problem that does not depend on the day
    dated: list[Problem]  # the date rules' findings on `settings.today`
    files: list[str]  # every record path found
    settings: Settings
    index: Index  # the file names, and who performs what in the catalogue
    loaded: int = 0  # how many records loaded
    problems: list[Problem] = field(init=False)  # all of them, sorted by file, line, column

    def __post_init__(self) -> None:
        self.problems = sorted([*self.undated, *self.dated], key=Problem.sort_key)

    @property
    def failed_files(self) -> set[str]:
        return {p.file for p in self.problems if p.severity == "error"}

    @property
    def unplaced(self) -> list[Problem]:
        """Errors on what is no record file: an unreadable folder, a misplaced, hidden or linked
        file. What they hold is unknown, so no record can be held back in their place."""
        return [p for p in self.problems if p.severity == "error" and p.file not in self.files
                and p.file.split("/")[0] not in DATA_FOLDERS]

    def valid_records(self) -> list[Record]:
        failed = self.failed_files
        return [r for r in self.records if r.path not in failed]

    @property
    def catalogue(self) -> Catalogue | None:
        """Who performs what, when the repository has a catalogue."""
        return self.index.catalogue

    def as_of(self, settings: Settings) -> Checked:
        """The same records judged on another day: only the date rules run again."""
        if settings == self.settings:
            return self
        dated = [p for rec in self.records if rec.kind not in DATA_FOLDERS.values()
                 and catalogue.duplicate(rec, self.index) is None
                 for p in _dates_of(rec, strip_placeholders(rec, _schema_of(rec, self.index))[0], settings,
                                    self.index)]
        return replace(self, dated=dated, settings=settings)

    def of_agency(self, agency_id: str) -> Checked:
        """Only the files, records and problems of one agency (its own site's scorecard)."""
        def mine(path: str) -> bool:
            return agency_of_path(path) == agency_id

        return replace(self, records=[r for r in self.records if mine(r.path)],
                       undated=[p for p in self.undated if mine(p.file)],
                       dated=[p for p in self.dated if mine(p.file)],
                       files=[f for f in self.files if mine(f)])


@dataclass(slots=True)
class _Share:
    """What checking one share of the files gives back."""

    records: list[Record]
    undated: list[Problem]
    dated: list[Problem]
    loaded: int


def check_repository(root: Path, settings: Settings, only: set[str] | None = None,
                     keep_records: bool = True) -> Checked:
    """Load and check the records under `root` (or only those in `only`).

    With `keep_records=False` (validation alone) a large repository is checked by several
    processes, and only the problems come back.
    """
    found, problems = discover(root)
    files = [rel for rel, kind in found if kind not in DATA_FOLDERS.values()]
    # The catalogue's rules need who performs what, whichever records are checked: the
    # catalogue entries and the agencies are loaded first, and only once.
    flat_records, flat_problems = load_files(root, [(rel, kind) for rel, kind in found if kind in FLAT_KINDS])
    flat: dict[str, Record | Problem] = {r.path: r for r in flat_records} | {p.file: p for p in flat_problems}
    index = Index.from_paths(files, _who_performs(flat, files))
    selected = [(rel, kind) for rel, kind in found if only is None or rel in only]
    if only is not None:
        problems = [p for p in problems if p.file in only]
    workers = 1 if keep_records else worker_count(len(selected), PARALLEL_FROM)
    work = partial(_check_share, root, index, settings, keep_records, flat)
    shares = share_out(work, selected, workers)
    return Checked([r for s in shares for r in s.records], problems + [p for s in shares for p in s.undated],
                   [p for s in shares for p in s.dated], files, settings, index,
                   sum(s.loaded for s in shares))


def _who_performs(flat: dict[str, Record | Problem], files: list[str]) -> Catalogue | None:
    if not any(rel.startswith("catalogue/") for rel in files):
        return None
    loaded = [r for r in flat.values() if isinstance(r, Record)]
    return who_performs([r for r in loaded if r.kind == "catalogue"],
                        [r for r in loaded if r.kind == "agency"])


def _check_share(root: Path, index: Index, settings: Settings, keep_records: bool,
                 flat: dict[str, Record | Problem], selected: Sequence[tuple[str, Kind]]) -> _Share:
    loaded, undated = load_files(root, [(rel, kind) for rel, kind in selected if rel not in flat])
    for rel, _ in selected:
        item = flat.get(rel)
        if isinstance(item, Record):
            loaded.append(item)
        elif item is not None:
            undated.append(item)
    order = {rel: n for n, (rel, _) in enumerate(selected)}
    loaded.sort(key=lambda record: order[record.path])
    records: list[Record] = []
    dated: list[Problem] = []
    for record in loaded:
        if record.kind in DATA_FOLDERS.values():  # data files are checked, not published
            undated += check_data_file(record, index)
            continue
        records.append(record)
        data, found = check_content(record, index)
        if data is None:
            undated += found
            continue
        undated += _dated(found, record_date(record.kind, data, settings.today))
        dated += _dates_of(record, data, settings, index)
    return _Share(records if keep_records else [], undated, dated, len(records))
