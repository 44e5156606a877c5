"""The scorecard: how fully and how timely each agency discloses, as of one date.

Per agency: the procedures it performs (its catalogue pairs and its own records), the posting
of each announcing decision (due, on time, late, missing), its counter facts, its own records
(complete, late, overdue for review) and the records held back from the site with their errors.
One share sums it up: the obligations met among those due. An agency that performs nothing and
keeps no record has no obligation here: its share is "—", never "100%". Rows go worst first.

`congkhai report` prints it (Markdown, JSON); the site's page "Mức độ công khai" shows the same
cells (`cells`), in the same words (labels.yaml `scorecard`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from generator.changes import Changes
from generator.check import Checked
from generator.check.catalogue import missing_counter_facts, posting_duties
from generator.check.performers import Catalogue
from generator.labels import LEVELS, SCORECARD_COLUMNS, SCORECARD_TABLES, SCORECARD_WORDS
from generator.model import Problem, Record, agency_of_path

# Rules that mean a mandatory disclosure is absent.
MISSING_RULES = {"CK-REQ", "CK-PLACEHOLDER", "CK-NONE"}
LATE_RULES = {"CK-LATE-PLANNING", "CK-LATE-PUBLICATION", "CK-LATE-PROCEDURE"}
REVIEW_RULES = {"CK-REVIEW"}
COUNTER_FACTS = ("one_stop.address", "one_stop.hours", "hotlines")
OPEN_POSTINGS = ("late", "missing", "pending")  # listed one by one; the on-time ones are counted
POSTING_RULES = {"late": "CK-POSTING-LATE", "missing": "CK-POSTING-MISSING"}
# Columns whose cells are numbers (sorted as numbers on the site, right-aligned in Markdown).
NUMERIC = frozenset({"share", "procedures", "postings", "postings_late", "postings_missing", "records",
                     "late", "reviews", "held_back"})
NONE = SCORECARD_WORDS["none"]
_INDEX = re.compile(r"\[\d+\]")


@dataclass(slots=True)
class AgencyScore:
    agency: str
    name: str
    level: str = ""
    pairs: int = 0  # active catalogue procedures the agency performs
    own_procedures: int = 0  # its self-contained procedure records (outside the catalogue)
    plans: dict[str, int] = field(default_factory=dict)  # by kind
    records: int = 0  # its own files under procedures/ and plans_and_policies/
    complete: int = 0  # of those, without error
    clean: int = 0  # of those, without error nor disclosure gap
    missing: dict[str, int] = field(default_factory=dict)  # field -> held-back records missing it
    postings: list[dict[str, Any]] = field(default_factory=list)  # one per announcing decision
    facts_missing: list[str] = field(default_factory=list)  # counter facts not published
    performs: bool = False  # performs any procedure: the counter facts are due
    late: int = 0
    overdue_reviews: int = 0
    hotline_complete: bool = False
    held_back: list[dict[str, Any]] = field(default_factory=list)  # files with their errors
    gaps: list[dict[str, Any]] = field(default_factory=list)  # disclosure gaps, with rule ids

    obligations: int = 0  # due postings, counter facts (when it performs anything), own records
    met: int = 0  # of those, met: posted on time, published, record without error nor gap

    @property
    def procedures(self) -> int:
        return self.pairs + self.own_procedures

    def postings_in(self, *states: str) -> int:
        return sum(p["state"] in states for p in self.postings)

    @property
    def share(self) -> float | None:
        return self.met / self.obligations if self.obligations else None

    def settle(self) -> None:
        """Work out the obligations once every file of the agency has been counted."""
        self.performs = self.procedures > 0
        if not self.performs:
            self.facts_missing = []
        facts = len(COUNTER_FACTS) - len(self.facts_missing) if self.performs else 0
        self.obligations = (self.postings_in("on_time", "late", "missing")
                            + (len(COUNTER_FACTS) if self.performs else 0) + self.records)
        self.met = self.postings_in("on_time") + facts + self.clean
        self.late = sum(g["rule"] in LATE_RULES for g in self.gaps)
        self.overdue_reviews = sum(g["rule"] in REVIEW_RULES for g in self.gaps)


@dataclass(slots=True)
class Scorecard:
    today: str
    agencies: list[AgencyScore]
    total: AgencyScore
    catalogue: dict[str, Any] = field(default_factory=dict)  # the catalogue's own figures

    @property
    def held_back(self) -> list[dict[str, Any]]:
        """Every file held back from the site, the agencies' and the catalogue's."""
        entries: list[dict[str, Any]] = self.catalogue.get("held_back", [])
        return self.total.held_back + entries

    @property
    def gaps(self) -> int:
        return len(self.total.gaps) + len(self.catalogue.get("gaps", []))


def _brief(p: Problem) -> dict[str, Any]:
    where = f"dòng {p.line}" + (f", {p.field}" if p.field else "")
    return {"rule": p.rule, "file": p.file, "line": p.line, "field": p.field, "message": p.message,
            "severity": p.severity, "text": f"{where}: {p.message} [{p.rule}]"}


def scorecard(checked: Checked, today: date, agency: str | None = None) -> Scorecard:
    """The scorecard as of `today`, of every agency or of one (`agency`) for its own site."""
    if agency is not None:
        checked = checked.of_agency(agency)
    by_file: dict[str, list[Problem]] = {}
    for problem in checked.problems:
        by_file.setdefault(problem.file, []).append(problem)
    records = {r.path: r for r in checked.records}
    catalogue = checked.catalogue
    listed = {f.split("/")[1].removesuffix(".yaml") for f in checked.files if f.startswith("catalogue/")}
    scores: dict[str, AgencyScore] = {}

    def score(agency_id: str) -> AgencyScore:
        if agency_id not in scores:
            scores[agency_id] = AgencyScore(agency_id, agency_id)
        return scores[agency_id]

    for path in checked.files:
        agency_id = agency_of_path(path)
        if not agency_id:
            continue
        s, problems, record = score(agency_id), by_file.get(path, []), records.get(path)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            s.held_back.append({"file": path, "errors": [_brief(p) for p in errors]})
        s.gaps += [_brief(p) for p in problems if p.severity == "gap"]
        if path.startswith("hotlines/"):
            s.hotline_complete = not errors
            if record is not None:
                _agency_facts(s, record, catalogue, today)
            continue
        if path.startswith("procedures/"):  # an agency's record of a listed code is not its own
            s.own_procedures += path.rsplit("/", 1)[1].removesuffix(".yaml") not in listed
        else:
            kind = str(record.data.get("kind", "?")) if record else "?"
            s.plans[kind] = s.plans.get(kind, 0) + 1
        s.records += 1
        s.complete += not errors
        s.clean += not [p for p in problems if p.severity in ("error", "gap")]
    for s in scores.values():
        s.settle()
        for held in s.held_back:
            for p in by_file[held["file"]]:
                if p.rule in MISSING_RULES and p.field:
                    key = _INDEX.sub("[]", p.field)
                    s.missing[key] = s.missing.get(key, 0) + 1
    agencies = sorted(scores.values(), key=_worst_first)
    total = _total(agencies, SCORECARD_WORDS["total_province" if agency is None else "total_agency"])
    return Scorecard(today.isoformat(), agencies, total,
                     _catalogue_figures(checked, by_file, catalogue) if agency is None else {})


def _agency_facts(s: AgencyScore, record: Record, catalogue: Catalogue | None, today: date) -> None:
    s.name = record.title
    level = record.data.get("level")
    s.level = level if isinstance(level, str) else ""
    if catalogue is not None:
        s.pairs = len(catalogue.active_procedures_of(record.stem))
    states = SCORECARD_TABLES["posting_states"]
    s.postings = [{"decision": d.decision, "signed": d.signed.isoformat(), "due": d.due.isoformat(),
                   "posted": d.posted.isoformat() if d.posted else None, "state": d.state,
                   "label": states[d.state], "open": d.state in OPEN_POSTINGS,
                   "procedures": list(d.codes), "rule": POSTING_RULES.get(d.state)}
                  for d in posting_duties(record, catalogue, today)]
    hotlines = record.data.get("hotlines")
    s.facts_missing = missing_counter_facts(record) + ([] if isinstance(hotlines, list) and hotlines
                                                       else ["hotlines"])


def _worst_first(s: AgencyScore) -> tuple[Any, ...]:
    share = s.share
    gaps = len(s.gaps) + len(s.held_back)
    return (share is None, share if share is not None else 0.0, -gaps, s.name, s.agency)


def _total(agencies: list[AgencyScore], name: str) -> AgencyScore:
    total = AgencyScore("", name)
    plans: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for s in agencies:
        for key in ("pairs", "own_procedures", "records", "complete", "clean", "late",
                    "overdue_reviews", "obligations", "met"):
            setattr(total, key, getattr(total, key) + getattr(s, key))
        total.postings += s.postings
        total.held_back += s.held_back
        total.gaps += s.gaps
        total.facts_missing += s.facts_missing
        plans.update(s.plans)
        missing.update(s.missing)
    total.performs = any(s.performs for s in agencies)
    total.plans, total.missing = dict(sorted(plans.items())), dict(missing.most_common())
    total.hotline_complete = all(s.hotline_complete for s in agencies)
    return total


def _catalogue_figures(checked: Checked, by_file: dict[str, list[Problem]],
                       catalogue: Catalogue | None) -> dict[str, Any]:
    if catalogue is None:
        return {}
    files = [f for f in checked.files if f.startswith("catalogue/")]
    held = [{"file": f, "errors": [_brief(p) for p in by_file.get(f, []) if p.severity == "error"]}
            for f in files]
    return {
        "entries": len(files),
        "active": sum(catalogue.is_active(code) for code in catalogue.entries),
        "pairs": sum(len(catalogue.active_procedures_of(a)) for a in catalogue.performed),
        "held_back": [h for h in held if h["errors"]],
        "gaps": [_brief(p) for f in files for p in by_file.get(f, []) if p.severity == "gap"],
    }


# --- the cells: the same text and sort value for the report and the site --------------------

# Sort value of "—": after every share when sorting from the lowest (the worst) up.
_NO_SHARE = 101


def _cell(text: str, value: float | None = None, strong: bool = False) -> dict[str, Any]:
    return {"text": text, "value": value, "strong": strong}


def _count(n: int) -> dict[str, Any]:
    return _cell(str(n), n, strong=n > 0)


def _fraction(part: int, whole: int) -> dict[str, Any]:
    if not whole:
        return _cell(NONE, _NO_SHARE)
    return _cell(f"{part}/{whole}", round(part * 100 / whole), strong=part < whole)


def _counter(s: AgencyScore) -> dict[str, Any]:
    if not s.performs:
        return _cell(NONE)
    if not s.facts_missing:
        return _cell(SCORECARD_WORDS["counter_complete"])
    facts = SCORECARD_TABLES["counter_facts"]
    missing = ", ".join(dict.fromkeys(facts[f] for f in s.facts_missing))
    return _cell(f"{SCORECARD_WORDS['counter_missing']} {missing}", strong=True)


def cells(s: AgencyScore) -> dict[str, dict[str, Any]]:
    """The formatted cells of one row, by column: text, sort value, and whether it shows a
    shortfall (in bold)."""
    share = s.share
    return {
        "level": _cell(LEVELS.get(s.level, s.level) or NONE),
        "share": _cell(f"{share * 100:.0f}%", round(share * 100), strong=share < 1) if share is not None
        else _cell(NONE, _NO_SHARE),
        "procedures": _cell(str(s.procedures), s.procedures),
        "postings": _fraction(s.postings_in("on_time"), s.postings_in("on_time", "late", "missing")),
        "postings_late": _count(s.postings_in("late")),
        "postings_missing": _count(s.postings_in("missing")),
        "counter": _counter(s),
        "records": _fraction(s.complete, s.records),
        "late": _count(s.late),
        "reviews": _count(s.overdue_reviews),
        "held_back": _count(len(s.held_back)),
    }


def _md(cell: dict[str, Any]) -> str:
    text = _escape(cell["text"])
    return f"**{text}**" if cell["strong"] else text


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _vi(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else NONE


def markdown(card: Scorecard) -> str:
    """GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY."""
    rows = [
        f"## {SCORECARD_WORDS['title']} (tính đến {card.today})",
        "",
        SCORECARD_WORDS["share_note"],
        "",
        f"| {SCORECARD_WORDS['agency']} | " + " | ".join(SCORECARD_COLUMNS.values()) + " |",
        "|---|" + "|".join("---:" if key in NUMERIC else "---" for key in SCORECARD_COLUMNS) + "|",
    ]
    for s in [*card.agencies, card.total]:
        name = f"**{_escape(s.name)}**" if s is card.total else f"{_escape(s.name)} (`{s.agency}`)"
        row = cells(s)
        rows.append(f"| {name} | " + " | ".join(_md(row[key]) for key in SCORECARD_COLUMNS) + " |")
    rows += _postings_md(card)
    rows += _held_back_md(card)
    rows += _catalogue_md(card)
    if card.total.missing:
        rows += ["", f"### {SCORECARD_WORDS['missing_fields']}", ""]
        rows += [f"- `{name}`: {count}" for name, count in card.total.missing.items()]
    return "\n".join(rows) + "\n"


def open_postings(card: Scorecard) -> list[tuple[AgencyScore, dict[str, Any]]]:
    """The postings that are late, missing or not yet due, by agency (worst first)."""
    return [(s, p) for s in card.agencies for p in s.postings if p["open"]]


def _postings_md(card: Scorecard) -> list[str]:
    listed = open_postings(card)
    if not listed:
        return []
    columns = SCORECARD_TABLES["posting_columns"]
    out = ["", f"### {SCORECARD_WORDS['postings_title']}", "",
           "| " + " | ".join(columns.values()) + " |", "|---|---|---:|---|---|---|---|"]
    for s, p in listed:
        shown = f"**{p['label']}**" if p["state"] in ("late", "missing") else p["label"]
        out.append(f"| {_escape(s.name)} (`{s.agency}`) | {_escape(p['decision'])} "
                   f"| {len(p['procedures'])} | {_vi(p['signed'])} | {_vi(p['due'])} "
                   f"| {_vi(p['posted'])} | {shown} |")
    return out


def _held_back_md(card: Scorecard, shown: int = 5) -> list[str]:
    if not card.held_back:
        return []
    out = ["", f"### {SCORECARD_WORDS['held_back_title']}", ""]
    for item in card.held_back:
        errors = item["errors"]
        listed = "; ".join(_escape(e["text"]) for e in errors[:shown])
        more = "; " + SCORECARD_WORDS["more_errors"].format(count=len(errors) - shown) \
            if len(errors) > shown else ""
        out.append(f"- `{item['file']}`: {listed}{more}")
    return out


def _catalogue_md(card: Scorecard) -> list[str]:
    figures = card.catalogue
    if not figures:
        return []
    return ["", f"### {SCORECARD_WORDS['catalogue_title']}", "",
            SCORECARD_WORDS["catalogue_figures"].format(
                entries=figures["entries"], active=figures["active"], pairs=figures["pairs"],
                held_back=len(figures["held_back"]), gaps=len(figures["gaps"]))]


def as_data(card: Scorecard) -> dict[str, object]:
    """Plain data: the JSON report, with the rule ids."""
    def score(s: AgencyScore) -> dict[str, object]:
        share = s.share
        return {
            **asdict(s),
            "procedures": s.procedures,
            "share": None if share is None else round(share, 4),
            "postings_due": s.postings_in("on_time", "late", "missing"),
            "postings_on_time": s.postings_in("on_time"),
            "postings_late": s.postings_in("late"),
            "postings_missing": s.postings_in("missing"),
            "cells": cells(s),
        }

    return {"today": card.today, "share_note": SCORECARD_WORDS["share_note"],
            "columns": [{"key": key, "label": label, "numeric": key in NUMERIC}
                        for key, label in SCORECARD_COLUMNS.items()],
            "agencies": [score(s) for s in card.agencies], "total": score(card.total),
            "catalogue": card.catalogue}


def as_json(card: Scorecard, changes: Changes | None = None) -> str:
    data = as_data(card)
    if changes is not None:
        data["changes"] = {"agencies": changes.agencies, "catalogue": changes.catalogue,
                           "rules": changes.rules}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def changes_markdown(changes: Changes, card: Scorecard) -> str:
    """Whose files a pull request changes, for the reviewer: a cross-agency edit stands out
    even where branch protection does not require each agency's own review."""
    names = {s.agency: s.name for s in card.agencies}
    agencies = changes.agencies
    rows = ["## Pull request này thay đổi", ""]
    if agencies:
        listed = ", ".join(_escape(f"{names.get(a, a)} (`{a}`)") for a in agencies)
        rows.append(f"- Tệp của {len(agencies)} cơ quan: {listed}")
    if changes.catalogue:
        rows.append(f"- Danh mục thủ tục của tỉnh (`catalogue/`): {len(changes.catalogue)} tệp")
    if changes.rules:
        shown = ", ".join(f"`{_escape(p)}`" for p in changes.rules[:10])
        more = f" và {len(changes.rules) - 10} tệp khác" if len(changes.rules) > 10 else ""
        rows.append(f"- Lược đồ, mã nguồn hoặc cấu hình của cổng: {shown}{more} (mọi hồ sơ được "
                    "kiểm tra lại)")
    if len(rows) == 2:
        rows.append("- Không có tệp dữ liệu nào của cơ quan thay đổi.")
    if len(agencies) > 1:
        rows += ["", f"> **⚠ Cảnh báo:** pull request này sửa tệp của **{len(agencies)} cơ quan**. Mỗi "
                 "cơ quan chỉ sửa hồ sơ của mình: người duyệt hãy xác nhận từng cơ quan đã đồng ý với "
                 "phần thay đổi của mình trước khi hợp nhất."]
    return "\n".join(rows) + "\n\n"
