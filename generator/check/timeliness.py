"""Rules about dates: publication deadlines, consistency, review age, link schemes.

Parameters live in generator/data/deadlines.yaml with their legal basis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays

from generator import legal
from generator.check.problem import problem, severity
from generator.model import Path, Problem, Record


@dataclass(frozen=True, slots=True)
class Settings:
    today: date
    review_months: int | None = None  # None: the default from deadlines.yaml


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (before it, for a negative count)."""
    day, step = start, (1 if count >= 0 else -1)
    count = abs(count)
    while count > 0:
        day += timedelta(days=step)
        count -= is_working_day(day)
    return day


def deadline(start: date, limit: int, unit: str) -> date:
    """`limit` units after `start`, or before it when `limit` is negative."""
    return add_working_days(start, limit) if unit == "working_days" else start + timedelta(days=limit)


@cache
def config() -> dict[str, Any]:
    loaded: dict[str, Any] = legal.data_file("deadlines.yaml")
    return loaded


def _date(data: dict[str, Any], dotted: str) -> date | None:
    """The date at a dotted path; `list[].key` is the latest of the list's items."""
    head, _, rest = dotted.partition("[].")
    value: Any = data
    for part in head.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if rest:
        found = [d for item in value if isinstance(item, dict) and (d := _date(item, rest))] \
            if isinstance(value, list) else []
        return max(found, default=None)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None  # the schema reports it


def record_date(kind: str, data: dict[str, Any], today: date) -> date:
    """The record's own date, which decides the law that applies to it (legal.yaml)."""
    field = legal.record_date_field(kind)
    return (_date(data, field) if field else None) or today


def check_dates(record: Record, data: dict[str, Any], settings: Settings) -> Iterator[Problem]:
    for rule in config()["rules"]:
        if record.kind in judged_kinds(rule) and data.get("kind") in rule.get("kinds", [None]):
            yield from _deadline_rule(record, data, rule, settings)
    yield from _consistency(record, data, settings)
    yield from _review(record, data, settings)
    yield from _http_links(record, data, ())


def judged_kinds(rule: dict[str, Any]) -> list[str]:
    """The record kinds a deadline rule judges (`record`: one kind or a list)."""
    kinds = rule["record"]
    return kinds if isinstance(kinds, list) else [kinds]


def level_of(record: Record, data: dict[str, Any]) -> Any:
    """The level whose limits apply to a record: its `level`; for a catalogue entry, the
    province's (deadlines.yaml `catalogue_level`), whatever levels the procedure applies at."""
    return config()["catalogue_level"] if record.kind == "catalogue" else data.get("level")


def version_for(rule: dict[str, Any], on: date, level: Any) -> dict[str, Any] | None:
    """The rule's parameters for a record: the version whose legal basis is in force on `on`
    and whose levels (if it names any) include the record's `level`."""
    for version in rule["versions"]:
        if "levels" in version and level not in version["levels"]:
            continue
        basis = legal.ref(version["legal"])
        if basis is not None and basis.applies_on(on):
            return {"unit": rule.get("unit"), **version}
    return None


_UNITS = {"days": "ngày", "working_days": "ngày làm việc"}


def _deadline_rule(record: Record, data: dict[str, Any], rule: dict[str, Any],
                   settings: Settings) -> Iterator[Problem]:
    start = _date(data, rule["from"])
    end = settings.today if rule["to"] == "today" else _date(data, rule["to"])
    if start is None or end is None:
        return
    if "unless_after" in rule:
        done = _date(data, rule["unless_after"])
        if done is None or done >= start:  # without a valid date the schema has said enough
            return
    version = version_for(rule, start, level_of(record, data))
    if version is None:  # no known law applied on that day, or no valid level (schema reports it)
        return
    limit, unit = version["limit"], version["unit"]
    if rule.get("check") == "before":
        due, late = deadline(end, -limit, unit), start
    else:
        due, late = deadline(start, limit, unit), end
    if late <= due:
        return
    message = rule["message"].format(**{
        "from": _vi(start), "to": _vi(end), "limit": limit, "unit": _UNITS[unit], "due": _vi(due),
        "late": f"{(late - due).days} ngày (hạn cuối {_vi(due)})",
    })
    located = rule["from"] if rule["to"] == "today" or rule.get("check") == "before" else rule["to"]
    yield problem(record, tuple(located.split(".")), message, rule["id"],
                  severity=severity(rule["severity"]), legal_id=version["legal"])


def _consistency(record: Record, data: dict[str, Any], settings: Settings) -> Iterator[Problem]:
    if record.kind != "plan":
        return
    issued, published, expires = (_date(data, k) for k in ("issued", "published", "expires"))
    if issued and published and published < issued:
        yield problem(record, ("published",),
                      f"ngày công khai {_vi(published)} trước ngày ban hành {_vi(issued)}",
                      "CK-DATE-ORDER", legal_id=legal.rule_basis("CK-DATE-ORDER"))
    # Only the passing of a date makes this true: a gap of the agency, never a reason to hold
    # the plan back (its page must go on saying what the plan is).
    if expires and expires < settings.today and data.get("status") == "in_force":
        yield problem(record, ("status",),
                      f"văn bản hết hiệu lực từ {_vi(expires)} nhưng vẫn ghi 'in_force'; "
                      "hãy đổi thành expired hoặc superseded", "CK-EXPIRED-IN-FORCE",
                      legal_id=legal.rule_basis("CK-EXPIRED-IN-FORCE"), severity="gap")


def _review(record: Record, data: dict[str, Any], settings: Settings) -> Iterator[Problem]:
    review = config()["review"]
    months = settings.review_months or review["max_age_months"]
    updated = _date(data, "updated")
    if updated is None:
        return
    if updated > settings.today:
        yield problem(record, ("updated",), f"ngày cập nhật {_vi(updated)} ở tương lai",
                      "CK-DATE-FUTURE")
        return
    due = _add_months(updated, months)
    if settings.today > due:
        yield problem(record, ("updated",),
                      f"hồ sơ chưa được rà soát {months} tháng (cập nhật lần cuối {_vi(updated)}); "
                      "hãy kiểm tra lại và ghi ngày cập nhật mới", review["id"],
                      severity=severity(review["severity"]), legal_id=review["legal"])


def _http_links(record: Record, value: Any, path: Path) -> Iterator[Problem]:
    """Plain-http links work but can be tampered with on the way: a warning, not an error."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _http_links(record, item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _http_links(record, item, (*path, i))
    elif isinstance(value, str) and path and path[-1] in ("url", "website") \
            and value.startswith("http://"):
        yield problem(record, path, "đường dẫn dùng http, không mã hóa; hãy dùng https://",
                      "CK-LINK-HTTP", severity="warning", legal_id=legal.rule_basis("CK-LINK-HTTP"))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _vi(day: date) -> str:
    return day.strftime("%d/%m/%Y")

