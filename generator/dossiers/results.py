"""Each agency's dossier results by month, ready for the pages: recomputed beside reported.

Reads `dossier_stats/<agency>/<yyyy-mm>.yaml` (written by `congkhai dossiers import`) and
`dossier_reports/<agency>/<yyyy-mm>.yaml` (the agency's own figures), and compares them
(DS-REPORT-MISMATCH). The same comparison runs in `dossiers check` against freshly computed
figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.schema import check_schema
from generator.dossiers import spec
from generator.dossiers.problems import DossierProblem
from generator.load import load_file
from generator.model import Record

STATS, REPORTS = "dossier_stats", "dossier_reports"


@dataclass(frozen=True, slots=True)
class Figures:
    received: int
    resolved_on_time: int
    resolved_late: int
    pending_on_time: int
    pending_overdue: int
    withdrawn: int = 0

    @classmethod
    def of(cls, data: dict[str, Any]) -> Figures:
        return cls(*(int(data.get(k, 0)) for k in (*spec.REPORTED, "withdrawn")))

    @property
    def on_time_rate(self) -> float | None:
        """Resolved on time over every dossier whose outcome is known (see dossiers.yaml)."""
        known = self.resolved_on_time + self.resolved_late + self.pending_overdue
        return self.resolved_on_time / known if known else None


@dataclass(frozen=True, slots=True)
class Mismatch:
    figure: str  # a key of spec.REPORTED
    reported: int
    recomputed: int


@dataclass(slots=True)
class MonthResult:
    """One agency's month: what the pages show, all prepared."""

    month: str  # YYYY-MM, the month of receipt
    recomputed: Figures | None  # None: no import for this month
    reported: Figures | None  # None: the agency reported nothing for it
    findings: dict[str, int] = field(default_factory=dict)  # rule -> dossiers
    examples: dict[str, str] = field(default_factory=dict)  # rule -> short hash of a dossier code
    procedures: dict[str, Figures] = field(default_factory=dict)
    procedure_findings: dict[str, dict[str, int]] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    as_of: str = ""
    note: str = ""

    @property
    def gap(self) -> float | None:
        """Reported minus recomputed on-time rate (a share; > 0: the agency looks better)."""
        if self.recomputed is None or self.reported is None:
            return None
        mine, theirs = self.recomputed.on_time_rate, self.reported.on_time_rate
        return None if mine is None or theirs is None else theirs - mine


def compare(report: Record, recomputed: dict[str, Any], month: str) -> list[DossierProblem]:
    """DS-REPORT-MISMATCH for each reported figure that differs, at its line in the report."""
    rule = spec.rules()["DS-REPORT-MISMATCH"]
    labels = spec.figure_labels()
    out = []
    for key in spec.REPORTED:
        reported, mine = report.data.get(key), int(recomputed.get(key, 0))
        if reported == mine:
            continue
        what = rule.message.format(field_vi=labels[key], month=_month_vi(month), reported=reported,
                                   recomputed=mine)
        out.append(DossierProblem(report.path, report.position((key,))[0], "", rule.id,
                                  f"{what}; {rule.why}", "finding", rule.legal))
    return out


def read_report(root: Path, agency: str, month: str) -> Record | DossierProblem | None:
    """The agency's own figures for the month; a problem when the file is unusable."""
    rel = f"{REPORTS}/{agency}/{month}.yaml"
    if not (root / rel).is_file():
        return None
    loaded = load_file(root, rel, "dossier_report")
    if isinstance(loaded, Record) and not any(True for _ in check_schema(loaded, loaded.data)):
        return loaded
    return DossierProblem(rel, 1, "", "DS-REPORT-MISMATCH",
                          "báo cáo của cơ quan không hợp lệ nên không so sánh được; chạy congkhai "
                          "validate để xem lỗi", "warning")


def compare_reports(root: Path, stats: dict[str, dict[str, dict[str, Any]]]) -> list[DossierProblem]:
    """Compare every recomputed agency-month with the agency's report for it, if any."""
    out: list[DossierProblem] = []
    for agency, months in sorted(stats.items()):
        for month, figures in sorted(months.items()):
            report = read_report(root, agency, month)
            if isinstance(report, Record):
                out += compare(report, figures, month)
            elif report is not None:
                out.append(report)
    return out


def load_results(root: Path) -> tuple[dict[str, list[MonthResult]], list[DossierProblem]]:
    """Every agency's months, from the imported aggregates and the agencies' reports.

    Files that do not load or fail their schema are left out (`congkhai validate` reports them,
    and they stop the build).
    """
    results: dict[str, dict[str, MonthResult]] = {}
    problems: list[DossierProblem] = []
    for path in sorted((root / STATS).glob("*/*.yaml")):
        agency, month = path.parent.name, path.stem
        stats = load_file(root, path.relative_to(root).as_posix(), "dossier_stats")
        if not isinstance(stats, Record) or any(True for _ in check_schema(stats, stats.data)):
            continue
        data = stats.data
        result = MonthResult(month, Figures.of(data), None, dict(data.get("findings", {})),
                             dict(data.get("examples", {})), as_of=data["as_of"],
                             note=data.get("note", ""))
        for code, figures in data.get("procedures", {}).items():
            result.procedures[code] = Figures.of(figures)
            result.procedure_findings[code] = dict(figures.get("findings", {}))
        results.setdefault(agency, {})[month] = result
    for path in sorted((root / REPORTS).glob("*/*.yaml")):
        agency, month = path.parent.name, path.stem
        report = read_report(root, agency, month)
        if not isinstance(report, Record):
            problems += [report] if report else []
            continue
        result = results.setdefault(agency, {}).setdefault(month, MonthResult(month, None, None))
        result.reported = Figures.of(report.data)
        if result.recomputed is not None:
            recomputed = {k: getattr(result.recomputed, k) for k in spec.REPORTED}
            found = compare(report, recomputed, month)
            problems += found
            result.mismatches = [Mismatch(k, int(report.data[k]), recomputed[k])
                                 for k in spec.REPORTED if report.data[k] != recomputed[k]]
            if found:
                result.findings["DS-REPORT-MISMATCH"] = len(found)
    ordered = {agency: [months[m] for m in sorted(months)] for agency, months in sorted(results.items())}
    return ordered, problems


def _month_vi(month: str) -> str:
    year, number = month.split("-")
    return f"{number}/{year}"
