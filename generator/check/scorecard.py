"""The completeness scorecard: how fully, how timely, how systematically each agency discloses."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from generator.changes import Changes
from generator.check import Checked
from generator.labels import SCORECARD_COLUMNS, SCORECARD_WORDS
from generator.model import agency_of_path

# Rules that mean a mandatory disclosure is absent.
MISSING_RULES = {"CK-REQ", "CK-PLACEHOLDER", "CK-NONE"}
LATE_RULES = {"CK-LATE-PLANNING", "CK-LATE-PUBLICATION", "CK-LATE-PROCEDURE"}
REVIEW_RULES = {"CK-REVIEW"}
_INDEX = re.compile(r"\[\d+\]")


@dataclass(slots=True)
class AgencyScore:
    agency: str
    name: str
    procedures: int = 0
    plans: dict[str, int] = field(default_factory=dict)  # by kind
    records: int = 0
    complete: int = 0
    missing: dict[str, int] = field(default_factory=dict)  # field -> records missing it
    late: int = 0
    overdue_reviews: int = 0
    hotline_complete: bool = False

    @property
    def complete_share(self) -> float:
        return self.complete / self.records if self.records else 1.0


@dataclass(slots=True)
class Scorecard:
    today: str
    agencies: list[AgencyScore]
    total: AgencyScore


def scorecard(checked: Checked, today: str, agency: str | None = None) -> Scorecard:
    """The scorecard of every agency, or of one (`agency`) for its own site."""
    if agency is not None:
        checked = checked.of_agency(agency)
    errors = checked.failed_files
    records = {r.path: r for r in checked.records}
    names = {r.key: r.title for r in checked.records if r.kind == "agency"}
    scores: dict[str, AgencyScore] = {}

    def score(agency: str) -> AgencyScore:
        if agency not in scores:
            scores[agency] = AgencyScore(agency, names.get(agency, agency))
        return scores[agency]

    for path in checked.files:
        parts = path.split("/")
        s = score(agency_of_path(path))
        if parts[0] == "hotlines":
            s.hotline_complete = path not in errors
            continue
        record = records.get(path)
        if parts[0] == "procedures":
            s.procedures += 1
        else:
            kind = str(record.data.get("kind", "?")) if record else "?"
            s.plans[kind] = s.plans.get(kind, 0) + 1
        s.records += 1
        s.complete += path not in errors
    for problem in checked.problems:
        if not agency_of_path(problem.file):
            continue
        s = score(agency_of_path(problem.file))
        if problem.rule in MISSING_RULES and problem.field:
            key = _INDEX.sub("[]", problem.field)
            s.missing[key] = s.missing.get(key, 0) + 1
        s.late += problem.rule in LATE_RULES
        s.overdue_reviews += problem.rule in REVIEW_RULES
    agencies = sorted(scores.values(), key=lambda s: s.agency)
    total = SCORECARD_WORDS["total_province" if agency is None else "total_agency"]
    return Scorecard(today, agencies, _total(agencies, total))


def _total(agencies: list[AgencyScore], name: str) -> AgencyScore:
    total = AgencyScore("", name)
    plans: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for s in agencies:
        total.procedures += s.procedures
        total.records += s.records
        total.complete += s.complete
        total.late += s.late
        total.overdue_reviews += s.overdue_reviews
        plans.update(s.plans)
        missing.update(s.missing)
    total.plans, total.missing = dict(sorted(plans.items())), dict(missing.most_common())
    total.hotline_complete = all(s.hotline_complete for s in agencies)
    return total


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the scorecard, as the site's page and `congkhai report` both show it."""

    agency: str  # the agency's id; "" for the total
    name: str
    procedures: int
    plans: int
    share: int  # percent of the records that are complete
    complete: int
    records: int
    missing: tuple[tuple[str, int], ...]  # the fields most often missing (at most three), most first
    late: int
    reviews: int
    hotline_complete: bool

    @property
    def hotline(self) -> str:
        return SCORECARD_WORDS["hotline_complete" if self.hotline_complete else "hotline_incomplete"]


TOP_MISSING = 3  # fields named in a row


def row(score: AgencyScore) -> Row:
    ranked = sorted(score.missing.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISSING]
    return Row(score.agency, score.name, score.procedures, sum(score.plans.values()),
               round(score.complete_share * 100),
               score.complete, score.records, tuple(ranked), score.late, score.overdue_reviews,
               score.hotline_complete)


def markdown(card: Scorecard) -> str:
    """GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY."""
    columns = SCORECARD_COLUMNS
    rows = [
        f"## {SCORECARD_WORDS['title']} (tính đến {card.today})",
        "",
        "| " + " | ".join(columns.values()) + " |",
        "|---|---:|---:|---:|---|---:|---:|---|",
    ]
    for score in [*card.agencies, card.total]:
        line = row(score)
        total = score is card.total
        name = f"**{line.name}**" if total else f"{line.name} (`{line.agency}`)"
        missing = ", ".join(f"`{field}` ({count})" for field, count in line.missing) or \
            SCORECARD_WORDS["nothing_missing"]
        hotline = line.hotline if line.hotline_complete else f"**{line.hotline}**"
        rows.append(
            f"| {_cell(name)} | {line.procedures} | {line.plans} | {line.share}% "
            f"({line.complete}/{line.records}) | {missing} | {line.late} "
            f"| {line.reviews} | {hotline} |")
    if card.total.missing:
        rows += ["", f"### {SCORECARD_WORDS['missing_fields']}", ""]
        rows += [f"- `{name}`: {count}" for name, count in card.total.missing.items()]
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_data(card: Scorecard) -> dict[str, object]:
    """Plain data: the JSON report."""
    def score(s: AgencyScore) -> dict[str, object]:
        return {**asdict(s), "complete_share": round(s.complete_share, 4)}

    return {"today": card.today, "agencies": [score(s) for s in card.agencies],
            "total": score(card.total)}


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
        listed = ", ".join(_cell(f"{names.get(a, a)} (`{a}`)") for a in agencies)
        rows.append(f"- Tệp của {len(agencies)} cơ quan: {listed}")
    if changes.catalogue:
        rows.append(f"- Danh mục thủ tục của tỉnh (`catalogue/`): {len(changes.catalogue)} tệp")
    if changes.rules:
        shown = ", ".join(f"`{_cell(p)}`" for p in changes.rules[:10])
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
