"""Vietnamese labels, loaded once from generator/data/labels.yaml: their only owner.

Every stage that shows a value to a citizen or a clerk takes its words from here; formatting
(dates, money, durations, links) is prepare/format.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.legal import data_file

_DATA: dict[str, Any] = data_file("labels.yaml")


def _table(name: str) -> Mapping[str, str]:
    return {str(key): str(value) for key, value in _DATA[name].items()}


LEVELS = _table("levels")
LEVEL_PHRASES = _table("level_phrases")
UNITS = _table("units")
METHODS = _table("methods")
ONLINE_LEVELS = _table("online_levels")
PROCEDURE_STATUS = _table("procedure_status")
PLAN_KINDS = _table("plan_kinds")
PLAN_STATUS = _table("plan_status")
DISCLOSURE = _table("disclosure")
CURRENCIES = _table("currencies")
RECORD_TYPES = _table("record_types")
WORDS = _table("words")
SEVERITIES = _table("severities")  # of a problem: error, gap, warning
ANSWER_WORDS = _table("answer")  # the answer box of a procedure page (prepare/answer.py)
HISTORY_WORDS = _table("history")  # the change history of a page (prepare/history.py)
# The scorecard's words: its single values, and its tables of labels (columns, posting states…).
SCORECARD_WORDS = {str(key): str(value) for key, value in _DATA["scorecard"].items()
                   if not isinstance(value, dict)}
SCORECARD_TABLES = {str(name): {str(key): str(value) for key, value in table.items()}
                    for name, table in _DATA["scorecard"].items() if isinstance(table, dict)}
SCORECARD_COLUMNS = SCORECARD_TABLES["columns"]
_DOSSIERS: dict[str, Any] = _DATA["dossier_results"]
DOSSIER_WORDS = {str(key): str(value) for key, value in _DOSSIERS.items() if isinstance(value, str)}
DOSSIER_FIGURES = {str(key): str(value) for key, value in _DOSSIERS["figures"].items()}
DOSSIER_COLUMNS = {str(key): str(value) for key, value in _DOSSIERS["columns"].items()}
DOSSIER_SERIES = {str(key): str(value) for key, value in _DOSSIERS["series"].items()}
# Every enumerated value's label, for the comments of `congkhai new` (the values never clash).
VALUES: Mapping[str, str] = {
    key: value
    for table in (LEVELS, UNITS, METHODS, ONLINE_LEVELS, PROCEDURE_STATUS, PLAN_KINDS, PLAN_STATUS,
                  DISCLOSURE, CURRENCIES)
    for key, value in table.items()
}


@dataclass(frozen=True, slots=True)
class Notice:
    """What a page and a counter sheet say about a procedure that is not active."""

    tone: str  # "warning" | "danger": the admonition's colour
    title: str
    text: str
    note: str = ""  # beside a current procedure in lists


NOTICES: Mapping[str, Notice] = {
    str(status): Notice(**{key: str(value) for key, value in notice.items()})
    for status, notice in _DATA["procedure_notices"].items()
}
PLAN_NOTICES: Mapping[str, Notice] = {
    str(status): Notice(**{key: str(value) for key, value in notice.items()})
    for status, notice in _DATA["plan_notices"].items()
}
