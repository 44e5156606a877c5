"""Dossier results as the pages show them: each agency's months, findings, procedures and chart,
and the province ranking by the gap between reported and recomputed on-time rates.

Computed once per build from dossiers.results.load_results. Every figure is formatted here; the
chart's geometry (an inline SVG, drawn at build time so that it reads without JavaScript) too.
The open-data exports read the same views' `result` (the figures as numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.dossiers import spec
from generator.dossiers.results import Figures, MonthResult
from generator.labels import DOSSIER_SERIES, DOSSIER_WORDS
from generator.prepare.format import number
from generator.prepare.views import ProcedureView
from generator.textnorm import fold

FIGURES = (*spec.REPORTED, "withdrawn")  # the columns of a month, in order
NONE = DOSSIER_WORDS["no_value"]


# --- numbers as text -----------------------------------------------------------------------


def count(value: int) -> str:
    return number(value)


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal: 0.5568 -> "55,7%"; None -> "—"."""
    return NONE if share is None else f"{number(round(share * 100, 1))}%"


def points(gap: float | None) -> str:
    """A difference of two shares in percentage points, signed: 0.283 -> "+28,3"."""
    if gap is None:
        return NONE
    value = round(gap * 100, 1)
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + number(abs(value))


def month_label(month: str) -> str:
    """"2026-07" -> "07/2026"."""
    year, number_ = month.split("-")
    return f"{number_}/{year}"


def moment(text: str) -> str:
    """"2026-09-30T23:59" -> "23:59 ngày 30/09/2026"."""
    day, _, clock = text.partition("T")
    year, month, date_ = day.split("-")
    return f"{clock} ngày {date_}/{month}/{year}" if clock else f"{date_}/{month}/{year}"


def total(figures: Iterable[Figures]) -> Figures | None:
    """The sum of several months' figures (None for none)."""
    items = list(figures)
    if not items:
        return None
    return Figures(*(sum(getattr(f, key) for f in items) for key in FIGURES))


# --- the views -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reported:
    """A figure the agency reported, beside the recomputed one when they differ."""

    text: str
    differs: bool
    recomputed: str  # the recomputed figure, when it differs


@dataclass(frozen=True, slots=True)
class MonthView:
    result: MonthResult  # the figures as numbers (open data)
    label: str  # 07/2026
    recomputed: tuple[str, ...]  # the six FIGURES ("—" each without an import for the month)
    reported: tuple[Reported, ...]  # the five reported figures; () when the agency reported none
    rate: str  # recomputed on-time rate
    reported_rate: str
    gap: str  # reported minus recomputed, in percentage points


@dataclass(frozen=True, slots=True)
class FindingCell:
    text: str  # dossiers (DS-REPORT-MISMATCH: figures) found; "—" when the month was not judged
    example: str  # the short hash of one dossier's code, or ""


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: str
    anchor: str  # the row's id on the page
    title: str
    why: str
    legal: str  # the citation ("" when the rule cites none)
    legal_id: str  # its entry on the legal registry page
    cells: tuple[FindingCell, ...]  # one per month
    total: str


@dataclass(frozen=True, slots=True)
class ProcedureRow:
    code: str
    title: str  # the procedure's name on the portal, or that it has no page
    view: ProcedureView | None  # its page, when the portal publishes it
    figures: tuple[str, ...]  # the six FIGURES over every month
    rate: str
    findings: str


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    text: str  # "07/2026: 55,7%"


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # recomputed | reported
    name: str
    lines: tuple[str, ...]  # SVG polyline points of each run of consecutive months with a rate
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # x or y in the SVG's coordinates
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    """The on-time rate by month, in SVG coordinates (viewBox 0 0 width height)."""

    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge (0 %)
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    title: str
    description: str  # the text alternative: every value of every series


@dataclass(frozen=True, slots=True)
class AgencyDossiers:
    agency: str  # the agency's id
    name: str
    months: tuple[MonthView, ...]  # oldest first
    rules: tuple[RuleRow, ...]  # every rule of the contract, in its order
    procedures: tuple[ProcedureRow, ...]  # by code
    chart: Chart
    as_of: str  # when pending dossiers were judged (every distinct moment, joined)
    notes: tuple[str, ...]  # the imports' notes (e.g. that the data is illustrative)
    reported_months: int
    # The ranking line: over the months both the agency and the portal have figures for (or, when
    # the agency reported none, the recomputed figures of every month).
    compared: int  # months compared
    received: str
    rate: str
    reported_rate: str
    gap: str
    gap_value: float | None
    findings: str  # findings over every month (dossiers; report mismatches count figures)


@dataclass(slots=True)
class DossierViews:
    agencies: dict[str, AgencyDossiers]  # by id, biggest gap first (the ranking's order)

    def __bool__(self) -> bool:
        return bool(self.agencies)


# --- building them -------------------------------------------------------------------------


def _reported(month: MonthResult) -> tuple[Reported, ...]:
    if month.reported is None:
        return ()
    mine = month.recomputed
    out = []
    for key in spec.REPORTED:
        theirs = getattr(month.reported, key)
        other = getattr(mine, key) if mine is not None else theirs
        out.append(Reported(count(theirs), other != theirs, count(other) if other != theirs else ""))
    return tuple(out)


def month_view(month: MonthResult) -> MonthView:
    mine, theirs = month.recomputed, month.reported
    return MonthView(
        result=month,
        label=month_label(month.month),
        recomputed=tuple(count(getattr(mine, key)) if mine else NONE for key in FIGURES),
        reported=_reported(month),
        rate=percent(mine.on_time_rate) if mine else NONE,
        reported_rate=percent(theirs.on_time_rate) if theirs else DOSSIER_WORDS["not_reported"],
        gap=points(month.gap),
    )


def judged(month: MonthResult, rule: str) -> bool:
    """Was the month judged by `rule`? When its figures were recomputed (and, for the report
    rule, when the agency reported): otherwise no finding means nothing."""
    return month.recomputed is not None and (rule != "DS-REPORT-MISMATCH" or month.reported is not None)


def _rule_rows(months: Sequence[MonthResult]) -> tuple[RuleRow, ...]:
    rows = []
    for rule in spec.rules().values():
        cells = []
        for month in months:
            found = month.findings.get(rule.id, 0)
            cells.append(FindingCell(count(found) if judged(month, rule.id) else NONE,
                                     month.examples.get(rule.id, "")))
        rows.append(RuleRow(
            id=rule.id, anchor=rule.id.lower(), title=rule.title, why=rule.why,
            legal=rule.legal.cite() if rule.legal else "", legal_id=rule.legal.id if rule.legal else "",
            cells=tuple(cells), total=count(sum(m.findings.get(rule.id, 0) for m in months))))
    return tuple(rows)


def _procedure_rows(months: Sequence[MonthResult], views: Mapping[str, ProcedureView]
                    ) -> tuple[ProcedureRow, ...]:
    by_code: dict[str, list[Figures]] = {}
    found: dict[str, int] = {}
    for month in months:
        for code, figures in month.procedures.items():
            by_code.setdefault(code, []).append(figures)
            found[code] = found.get(code, 0) + sum(month.procedure_findings.get(code, {}).values())
    rows = []
    for code in sorted(by_code):
        summed = total(by_code[code])
        assert summed is not None
        view = views.get(code)
        rows.append(ProcedureRow(code, view.title if view else DOSSIER_WORDS["unknown_procedure"], view,
                                 tuple(count(getattr(summed, key)) for key in FIGURES),
                                 percent(summed.on_time_rate), count(found[code])))
    return tuple(rows)


# The chart's frame: a phone's width in SVG units, so that its text stays legible at 360 px.
WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 344, 12, 184
X_LABELS = 4  # at most this many month labels ("07/2026" is some 56 units wide) fit under the plot


def _x(index: int, months: int) -> float:
    if months == 1:
        return (LEFT + RIGHT) / 2
    inset = 24  # the first and last points (and their labels) clear the edges
    return LEFT + inset + index * (RIGHT - LEFT - 2 * inset) / (months - 1)


def _y(share: float) -> float:
    return BOTTOM - share * (BOTTOM - TOP)


def _series(key: str, labels: Sequence[str], rates: Sequence[float | None]) -> Series:
    lines: list[str] = []
    run: list[str] = []
    marks = []
    for index, (label, rate) in enumerate(zip(labels, rates, strict=True)):
        if rate is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        x, y = round(_x(index, len(labels)), 1), round(_y(rate), 1)
        run.append(f"{x},{y}")
        marks.append(Point(x, y, f"{label}: {percent(rate)}"))
    if len(run) > 1:
        lines.append(" ".join(run))
    return Series(key, DOSSIER_SERIES[key], tuple(lines), tuple(marks))


def chart(months: Sequence[MonthResult]) -> Chart:
    labels = [month_label(m.month) for m in months]
    mine = [m.recomputed.on_time_rate if m.recomputed else None for m in months]
    theirs = [m.reported.on_time_rate if m.reported else None for m in months]
    series = [_series("recomputed", labels, mine)]
    if any(rate is not None for rate in theirs):
        series.append(_series("reported", labels, theirs))
    step = max(1, math.ceil(len(labels) / X_LABELS))
    x_ticks = tuple(Tick(round(_x(i, len(labels)), 1), label) for i, label in enumerate(labels)
                    if (len(labels) - 1 - i) % step == 0)  # the newest month is always labelled
    y_ticks = tuple(Tick(round(_y(share), 1), f"{round(share * 100)}%") for share in (0, 0.25, 0.5, 0.75, 1))
    description = ". ".join(
        f"{s.name}: " + "; ".join(p.text for p in s.points) if s.points else
        f"{s.name}: {DOSSIER_WORDS['no_value']}" for s in series) + "."
    return Chart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, x_ticks, y_ticks, tuple(series),
                 "Tỷ lệ giải quyết đúng hạn theo tháng", description)


def agency_dossiers(agency: str, name: str, months: Sequence[MonthResult],
                    procedures: Mapping[str, ProcedureView]) -> AgencyDossiers:
    both = [m for m in months if m.recomputed is not None and m.reported is not None]
    counted = both or [m for m in months if m.recomputed is not None]
    mine = total(m.recomputed for m in counted if m.recomputed is not None)
    theirs = total(m.reported for m in both if m.reported is not None)
    gap = None
    if mine is not None and theirs is not None and mine.on_time_rate is not None \
            and theirs.on_time_rate is not None:
        gap = theirs.on_time_rate - mine.on_time_rate
    everything = total(m.recomputed for m in months if m.recomputed is not None)
    return AgencyDossiers(
        agency=agency,
        name=name,
        months=tuple(month_view(m) for m in months),
        rules=_rule_rows(months),
        procedures=_procedure_rows(months, procedures),
        chart=chart(months),
        as_of="; ".join(moment(a) for a in sorted({m.as_of for m in months if m.as_of})) or NONE,
        notes=tuple(dict.fromkeys(m.note for m in months if m.note)),
        reported_months=sum(m.reported is not None for m in months),
        compared=len(both),
        received=count(everything.received if everything else 0),
        rate=percent(mine.on_time_rate if mine else None),
        reported_rate=percent(theirs.on_time_rate) if theirs else DOSSIER_WORDS["not_reported"],
        gap=points(gap),
        gap_value=gap,
        findings=count(sum(sum(m.findings.values()) for m in months)),
    )


def _rank(view: AgencyDossiers) -> tuple[int, float, float, str, str]:
    """Biggest gap either way first (of two as big, the one flattering the agency); agencies with
    nothing to compare last; then by name."""
    gap = view.gap_value
    if gap is None:
        return (1, 0.0, 0.0, fold(view.name), view.agency)
    return (0, -round(abs(gap), 6), -gap, fold(view.name), view.agency)


def dossier_views(results: Mapping[str, Sequence[MonthResult]], names: Mapping[str, str],
                  procedures: Iterable[ProcedureView]) -> DossierViews:
    """Every agency's results (`names`: agency id -> name; an agency without one shows its id)."""
    by_agency: dict[str, dict[str, ProcedureView]] = {}
    for view in procedures:
        by_agency.setdefault(view.agency, {}).setdefault(view.key, view)
    views = [agency_dossiers(agency, names.get(agency, agency), months, by_agency.get(agency, {}))
             for agency, months in results.items() if months]
    return DossierViews({v.agency: v for v in sorted(views, key=_rank)})
