"""The dossier contract as data: columns, refused headers, rule wording and timing parameters.

Everything here comes from generator/data/dossiers.yaml and the `dossiers` block of
deadlines.yaml, so that a change of rule or parameter is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any

from generator import legal
from generator.check.timeliness import config as deadlines
from generator.model import LegalRef
from generator.textnorm import fold

_SEPARATORS = re.compile(r"[^a-z0-9]+")
# The figures an agency reports for a month (DOSSIERS.md); the recomputed ones add `withdrawn`.
REPORTED = ("received", "resolved_on_time", "resolved_late", "pending_on_time", "pending_overdue")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    required: bool = False
    time: bool = False
    count: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    message: str  # a template; placeholders are filled per dossier
    why: str
    legal: LegalRef | None


@dataclass(frozen=True, slots=True)
class Params:
    office_hours: tuple[tuple[int, int], ...]  # periods in minutes after midnight
    counter_open: int
    counter_close: int
    burst_count: int
    burst_seconds: int
    apology_working_days: int
    max_paused_days: int
    hash_digits: int
    years: tuple[int, int]  # a time outside these years is a typing error

    @property
    def office_minutes(self) -> int:
        """Office minutes in one working day (8 hours by default)."""
        return sum(end - start for start, end in self.office_hours)

    @property
    def day_end(self) -> int:
        return self.office_hours[-1][1]


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = legal.data_file("dossiers.yaml")
    return data


@cache
def columns() -> dict[str, Column]:
    return {key: Column(key, **value) for key, value in _data()["columns"].items()}


def channels() -> dict[str, str]:
    return {str(k): str(v) for k, v in _data()["channels"].items()}


def statuses() -> dict[str, str]:
    return {str(k): str(v) for k, v in _data()["statuses"].items()}


@cache
def rules() -> dict[str, Rule]:
    return {rid: Rule(rid, r["title"], r["message"], r["why"], legal.ref(r.get("legal")))
            for rid, r in _data()["rules"].items()}


def figure_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in _data()["figures"].items()}


def error_titles() -> dict[str, str]:
    return {str(k): str(v) for k, v in _data()["errors"].items()}


def header_form(text: str) -> str:
    """A header as compared: folded, every run of separators one space ("Mã_hồ sơ" -> "ma ho so")."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


@cache
def header_keys() -> dict[str, str]:
    """Each accepted header form (the key or its label) -> the column's key."""
    out: dict[str, str] = {}
    for column in columns().values():
        out[header_form(column.key)] = column.key
        out[header_form(column.label)] = column.key
    return out


def is_personal(header: str) -> bool:
    """Does this header name a column of the applicant's personal data?"""
    form = header_form(header)
    if form in header_keys():
        return False
    words = _data()["personal_data"]
    if form in words["exact"]:
        return True
    padded = f" {form} "
    return any(f" {phrase} " in padded for phrase in words["phrases"])


def _minutes(text: str) -> int:
    value = time.fromisoformat(text)
    return value.hour * 60 + value.minute


@cache
def params() -> Params:
    block = deadlines()["dossiers"]
    return Params(
        office_hours=tuple((_minutes(a), _minutes(b)) for a, b in block["office_hours"]),
        counter_open=_minutes(block["counter_hours"][0]),
        counter_close=_minutes(block["counter_hours"][1]),
        burst_count=int(block["burst"]["count"]),
        burst_seconds=int(block["burst"]["seconds"]),
        apology_working_days=int(block["apology_working_days"]),
        max_paused_days=int(block["max_paused_days"]),
        hash_digits=int(block["example_hash_digits"]),
        years=(int(block["years"][0]), int(block["years"][1])),
    )
