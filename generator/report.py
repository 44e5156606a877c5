"""The scorecard: how fully and how timely each agency discloses, as of one date.

Per agency: the procedures it performs (its catalogue pairs and its own records), the posting
of each announcing decision (due, on time, late, missing), its counter facts, its own records
(complete, late, overdue for review) and the records held back from the site with their errors.
One share sums it up: the obligations met among those due. An agency that performs nothing and
keeps no record has no obligation here: its share is "—", never "100%". Rows go worst first.

`congkhai report` prints it (Markdown, JSON); the site's page "Mức độ công khai" formats the same
data (`as_data`), with the same column labels.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from generator.check import Checked
from generator.check.catalogue import missing_counter_facts, posting_duties
from generator.model import Catalogue, Problem, Record

# Rules that mean a mandatory disclosure is absent.
MISSING_RULES = {"CK-REQ", "CK-PLACEHOLDER", "CK-NONE"}
LATE_RULES = {"CK-LATE-PLANNING", "CK-LATE-PUBLICATION", "CK-LATE-PROCEDURE"}
REVIEW_RULES = {"CK-REVIEW"}
COUNTER_FACTS = ("one_stop.address", "one_stop.hours", "hotlines")
FACTS_VI = {"one_stop.address": "địa chỉ Một cửa", "one_stop.hours": "giờ tiếp nhận",
            "hotlines": "đường dây nóng"}
STATE_VI = {"on_time": "đúng hạn", "late": "chậm", "missing": "chưa niêm yết",
            "pending": "chưa đến hạn"}
OPEN_POSTINGS = ("late", "missing", "pending")  # listed one by one; the on-time ones are counted
LEVEL_VI = {"central": "Trung ương", "province": "Cấp tỉnh", "commune": "Cấp xã"}
NONE = "—"
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
    missing: dict[str, int] = field(default_factory=dict)  # field -> records missing it
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


def _agency_of(path: str) -> str:
    parts = path.split("/")
    if len(parts) < 2 or parts[0] == "catalogue":
        return ""
    return parts[1][: -len(".yaml")] if parts[0] == "hotlines" else parts[1]


def _brief(p: Problem) -> dict[str, Any]:
    where = f"dòng {p.line}" + (f", {p.field}" if p.field else "")
    return {"rule": p.rule, "file": p.file, "line": p.line, "field": p.field, "message": p.message,
            "severity": p.severity, "text": f"{where}: {p.message} [{p.rule}]"}


def scorecard(checked: Checked, today: date, agency: str | None = None) -> Scorecard:
    """The scorecard as of `today`, of every agency or of one (`agency`) for its own site."""
    if agency is not None:
        checked = Checked([r for r in checked.records if _agency_of(r.path) == agency],
                          [p for p in checked.problems if _agency_of(p.file) == agency],
                          [f for f in checked.files if _agency_of(f) == agency],
                          catalogue=checked.catalogue)
    by_file: dict[str, list[Problem]] = {}
    for problem in checked.problems:
        by_file.setdefault(problem.file, []).append(problem)
    records = {r.path: r for r in checked.records}
    catalogue = checked.catalogue
    listed = {f.split("/")[1][: -len(".yaml")] for f in checked.files if f.startswith("catalogue/")}
    scores: dict[str, AgencyScore] = {}

    def score(agency_id: str) -> AgencyScore:
        if agency_id not in scores:
            scores[agency_id] = AgencyScore(agency_id, agency_id)
        return scores[agency_id]

    for path in checked.files:
        agency_id = _agency_of(path)
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
            s.own_procedures += path.rsplit("/", 1)[1][: -len(".yaml")] not in listed
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
    total = _total(agencies, "Toàn tỉnh" if agency is None else "Tổng cộng")
    return Scorecard(today.isoformat(), agencies, total,
                     _catalogue_figures(checked, by_file, catalogue) if agency is None else {})


def _agency_facts(s: AgencyScore, record: Record, catalogue: Catalogue | None, today: date) -> None:
    s.name = str(record.data.get("name") or s.agency)
    level = record.data.get("level")
    s.level = level if isinstance(level, str) else ""
    if catalogue is not None:
        s.pairs = len(catalogue.active_procedures_of(record.stem))
    s.postings = [{"decision": d.decision, "signed": d.signed.isoformat(), "due": d.due.isoformat(),
                   "posted": d.posted.isoformat() if d.posted else None, "state": d.state,
                   "label": STATE_VI[d.state], "open": d.state in OPEN_POSTINGS,
                   "procedures": list(d.codes),
                   "rule": {"late": "CK-POSTING-LATE", "missing": "CK-POSTING-MISSING"}.get(d.state)}
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
# (key, label, numeric): the scorecard's columns after the agency, in `congkhai report` and on
# the site's page, in the same words.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("level", "Cấp", False),
    ("share", "Tỷ lệ đáp ứng", True),
    ("procedures", "Thủ tục thực hiện", True),
    ("postings", "Niêm yết đúng hạn", True),
    ("postings_late", "Niêm yết chậm", True),
    ("postings_missing", "Chưa niêm yết", True),
    ("counter", "Thông tin Một cửa", False),
    ("records", "Hồ sơ đầy đủ", True),
    ("late", "Công khai chậm", True),
    ("reviews", "Quá hạn rà soát", True),
    ("held_back", "Hồ sơ bị giữ lại", True),
)
SHARE_NOTE = ("Tỷ lệ đáp ứng: số nghĩa vụ đã thực hiện trên số nghĩa vụ đến hạn (niêm yết đúng hạn "
              "từng quyết định công bố; địa chỉ Một cửa, giờ tiếp nhận và đường dây nóng của cơ quan "
              "có thực hiện thủ tục; mỗi hồ sơ của cơ quan đầy đủ, đúng hạn). “—”: cơ quan không "
              "thực hiện thủ tục nào và chưa có hồ sơ, nên chưa có nghĩa vụ để tính.")
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


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def cells(s: AgencyScore) -> dict[str, dict[str, Any]]:
    """The formatted cells of one row: text, sort value, and whether it shows a shortfall."""
    share = s.share
    if not s.performs:
        counter = _cell(NONE)
    elif s.facts_missing:
        counter = _cell("thiếu " + ", ".join(dict.fromkeys(FACTS_VI[f] for f in s.facts_missing)),
                        strong=True)
    else:
        counter = _cell("đủ")
    return {
        "level": _cell(LEVEL_VI.get(s.level, s.level) or NONE),
        "share": _cell(_percent(share), round(share * 100), strong=share < 1) if share is not None
        else _cell(NONE, _NO_SHARE),
        "procedures": _cell(str(s.procedures), s.procedures),
        "postings": _fraction(s.postings_in("on_time"), s.postings_in("on_time", "late", "missing")),
        "postings_late": _count(s.postings_in("late")),
        "postings_missing": _count(s.postings_in("missing")),
        "counter": counter,
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
        f"## Mức độ công khai (tính đến {card.today})",
        "",
        SHARE_NOTE,
        "",
        "| Cơ quan | " + " | ".join(label for _, label, _ in COLUMNS) + " |",
        "|---|" + "|".join("---:" if numeric else "---" for _, _, numeric in COLUMNS) + "|",
    ]
    for s in [*card.agencies, card.total]:
        name = f"**{_escape(s.name)}**" if s is card.total else f"{_escape(s.name)} (`{s.agency}`)"
        row = cells(s)
        rows.append(f"| {name} | " + " | ".join(_md(row[key]) for key, _, _ in COLUMNS) + " |")
    rows += _postings_md(card)
    rows += _held_back_md(card)
    rows += _catalogue_md(card)
    if card.total.missing:
        rows += ["", "### Trường bắt buộc còn thiếu (số hồ sơ bị giữ lại)", ""]
        rows += [f"- `{name}`: {count}" for name, count in card.total.missing.items()]
    return "\n".join(rows) + "\n"


def _postings_md(card: Scorecard) -> list[str]:
    """The postings that are late, missing or not yet due, by agency (worst first)."""
    open_ = [(s, p) for s in card.agencies for p in s.postings if p["open"]]
    if not open_:
        return []
    out = ["", "### Niêm yết chậm, chưa niêm yết hoặc chưa đến hạn", "",
           "| Cơ quan | Quyết định công bố | Số thủ tục | Ngày ký | Hạn niêm yết | Ngày niêm yết "
           "| Tình trạng |", "|---|---|---:|---|---|---|---|"]
    for s, p in open_:
        shown = f"**{p['label']}**" if p["state"] in ("late", "missing") else p["label"]
        out.append(f"| {_escape(s.name)} (`{s.agency}`) | {_escape(p['decision'])} "
                   f"| {len(p['procedures'])} | {_vi(p['signed'])} | {_vi(p['due'])} "
                   f"| {_vi(p['posted'])} | {shown} |")
    return out


def _held_back_md(card: Scorecard, shown: int = 5) -> list[str]:
    held = card.total.held_back + card.catalogue.get("held_back", [])
    if not held:
        return []
    out = ["", "### Hồ sơ bị giữ lại, không xuất bản (cần sửa lỗi)", ""]
    for item in held:
        errors = item["errors"]
        listed = "; ".join(_escape(e["text"]) for e in errors[:shown])
        more = f"; và {len(errors) - shown} lỗi khác" if len(errors) > shown else ""
        out.append(f"- `{item['file']}`: {listed}{more}")
    return out


def _catalogue_md(card: Scorecard) -> list[str]:
    figures = card.catalogue
    if not figures:
        return []
    return ["", "### Danh mục thủ tục của tỉnh", "",
            f"{figures['entries']} thủ tục trong danh mục ({figures['active']} đang thực hiện), "
            f"{figures['pairs']} lượt cơ quan thực hiện thủ tục; {len(figures['held_back'])} thủ tục "
            f"bị giữ lại; {len(figures['gaps'])} thiếu sót công khai."]


def as_data(card: Scorecard) -> dict[str, object]:
    """Plain data: the JSON report (with the rule ids), and what the site's page formats."""
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

    return {"today": card.today, "share_note": SHARE_NOTE,
            "columns": [{"key": k, "label": label, "numeric": numeric} for k, label, numeric in COLUMNS],
            "agencies": [score(s) for s in card.agencies], "total": score(card.total),
            "catalogue": card.catalogue}


def as_json(card: Scorecard) -> str:
    return json.dumps(as_data(card), ensure_ascii=False, indent=2) + "\n"
