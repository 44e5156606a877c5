"""Month aggregates of judged dossiers: what `check --format json` prints and `import` writes.

Only counts leave this module, and for each rule one example dossier named by a short hash of
its code: never a row of the export.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import polars as pl

from generator.dossiers import spec
from generator.dossiers.engine import FLAGS, OUTCOMES

FIGURES = ("received", *OUTCOMES)


def short_hash(code: str) -> str:
    """How a published example names a dossier: not its code, a prefix of its SHA-256."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[: spec.params().hash_digits]


def _counts(judged: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    return judged.group_by(by).agg(
        pl.len().alias("received"),
        *[pl.col(c).sum() for c in OUTCOMES],
        *[pl.col(flag).sum().alias(rule) for rule, flag in FLAGS.items()],
    ).sort(by)


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: int(row[key]) for key in FIGURES}
    findings = {rule: int(row[rule]) for rule in FLAGS if row[rule]}
    if findings:
        out["findings"] = findings
    return out


def stats(judged: pl.DataFrame) -> dict[str, dict[str, dict[str, Any]]]:
    """{agency: {"YYYY-MM": {received, resolved_on_time, …, withdrawn, findings: {rule: n}}}}."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    if judged.height == 0:
        return out
    for row in _counts(judged, ["agency", "month"]).iter_rows(named=True):
        out.setdefault(row["agency"], {})[row["month"]] = _figures(row)
    return out


def month_documents(judged: pl.DataFrame, as_of: datetime, note: str | None = None
                    ) -> dict[tuple[str, str], dict[str, Any]]:
    """One document per agency and month of receipt: dossier_stats/<agency>/<yyyy-mm>.yaml."""
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    if judged.height == 0:
        return documents
    for row in _counts(judged, ["agency", "month"]).iter_rows(named=True):
        document: dict[str, Any] = {"as_of": as_of.isoformat(timespec="minutes")}
        if note:
            document["note"] = note
        document.update(_figures(row))
        documents[(row["agency"], row["month"])] = document
    for (agency, month), examples in _examples(judged).items():
        documents[(agency, month)]["examples"] = examples
    for row in _counts(judged, ["agency", "month", "procedure_code"]).iter_rows(named=True):
        procedures = documents[(row["agency"], row["month"])].setdefault("procedures", {})
        procedures[row["procedure_code"]] = _figures(row)
    return documents


def _examples(judged: pl.DataFrame) -> dict[tuple[str, str], dict[str, str]]:
    """For each agency, month and rule, the dossier with the smallest code, by its short hash."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for rule, flag in FLAGS.items():
        first = (judged.filter(pl.col(flag)).group_by("agency", "month")
                 .agg(pl.col("dossier_code").min()).sort("agency", "month"))
        for agency, month, code in first.iter_rows():
            out.setdefault((agency, month), {})[rule] = short_hash(code)
    return out
