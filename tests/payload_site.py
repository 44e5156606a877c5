"""Records full of attack payloads, for the output-safety tests.

Each payload becomes the value of every string of a copy of the valid fixtures' procedure, plan
and agency: text, enumerations, dates, URLs (`url`, `website`) and e-mail addresses alike. In a
first copy the identifiers (`code`, `id`, `agency`, `parent`) stay real; in a second, which only
the direct build gets (validation refuses it), they are the payload too: the three records still
refer to one another, and the agency is its own parent. Paths stay plain: hostile paths are
tests/test_paths.py's business. Used by tests/test_payloads.py and tests/browser/test_payloads.py.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.check import check_repository
from generator.check.corpus import Corpus
from generator.check.timeliness import Settings
from generator.load import load_repository
from generator.model import Record
from generator.render.exports import TYPES

VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
TODAY = date(2026, 11, 26)

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)",
    "@SUM(1)",
    "-2+3",
    # URL spellings a browser still runs, and a real URL that tries to break out of its attribute.
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    'https://example.gov.vn/"><svg onload=alert(1)>',
)
IDENTIFIERS = frozenset({"code", "id", "agency", "parent"})
SAMPLES = {
    "agency": "hotlines/phuong-nha-trang.yaml",
    "procedure": "procedures/phuong-nha-trang/1.001193.yaml",
    "plan": "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030.yaml",
}
PARENT = "ubnd-tinh-khanh-hoa"


@dataclass(frozen=True, slots=True)
class Planted:
    """The three records of one payload."""

    payload: str
    agency: Record
    procedure: Record
    plan: Record
    identifiers: bool = False  # the payload is also every identifier

    @property
    def records(self) -> tuple[Record, Record, Record]:
        return self.agency, self.procedure, self.plan


def fixture_records() -> list[Record]:
    records, problems, _ = load_repository(VALID)
    assert not [p for p in problems if p.severity == "error"], problems
    return records


def inject(value: Any, payload: str, keep: frozenset[str] = IDENTIFIERS) -> Any:
    """`value` with every string below it replaced by `payload` (the values of `keep` excepted)."""
    if isinstance(value, dict):
        return {k: v if k in keep else inject(v, payload, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [inject(v, payload, keep) for v in value]
    return payload if isinstance(value, str) else value


def plant(index: int, payload: str, samples: dict[str, Record]) -> Planted:
    """Copies of the sample records carrying `payload`, under their own agency `payload-<index>`."""
    agency_id, code, plan_id = f"payload-{index}", f"1.9{index:05d}", f"payload-plan-{index}"

    def copy_of(kind: str, path: str, ids: dict[str, str]) -> Record:
        data = inject(copy.deepcopy(samples[kind].data), payload) | ids
        return Record(samples[kind].kind, path, data)

    return Planted(
        payload,
        copy_of("agency", f"hotlines/{agency_id}.yaml", {"id": agency_id, "parent": PARENT}),
        copy_of("procedure", f"procedures/{agency_id}/{code}.yaml", {"code": code, "agency": agency_id}),
        copy_of("plan", f"plans_and_policies/{agency_id}/{plan_id}.yaml",
                {"id": plan_id, "agency": agency_id}),
    )


def plant_identifiers(index: int, payload: str, samples: dict[str, Record]) -> Planted:
    """Copies of the sample records in which every string is `payload`, identifiers included."""

    def copy_of(kind: str, path: str) -> Record:
        data = inject(copy.deepcopy(samples[kind].data), payload, keep=frozenset())
        return Record(samples[kind].kind, path, data)

    return Planted(payload, copy_of("agency", f"hotlines/ids-{index}.yaml"),
                   copy_of("procedure", f"procedures/ids-{index}/ids-{index}.yaml"),
                   copy_of("plan", f"plans_and_policies/ids-{index}/ids-plan-{index}.yaml"), identifiers=True)


def _samples(records: list[Record]) -> dict[str, Record]:
    return {kind: next(r for r in records if r.path == path) for kind, path in SAMPLES.items()}


def planted_all(payloads: tuple[str, ...] = PAYLOADS) -> tuple[list[Record], list[Planted]]:
    """The fixture records and one Planted per payload."""
    records = fixture_records()
    samples = _samples(records)
    return records, [plant(i, payload, samples) for i, payload in enumerate(payloads, 1)]


def payload_corpus() -> tuple[Corpus, list[Planted]]:
    """Every payload in every field: what validation would refuse (javascript: URLs, hostile
    identifiers) included. The Planted with real identifiers come first, in PAYLOADS order."""
    records, planted = planted_all()
    samples = _samples(records)
    planted += [plant_identifiers(i, payload, samples) for i, payload in enumerate(PAYLOADS, 1)]
    return Corpus(records + [r for p in planted for r in p.records]), planted


# --- a repository that passes validation -----------------------------------------------------

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_parts(field: str) -> tuple[str | int, ...]:
    """"channels[0].fees" -> ("channels", 0, "fees")."""
    return tuple(int(index) if index else key for key, index in _PART.findall(field))


def restore(data: Any, original: Any, parts: tuple[str | int, ...]) -> None:
    """Give the value at `parts` (or its nearest existing ancestor) its original value back."""
    for depth in range(len(parts), 0, -1):
        head, last = parts[: depth - 1], parts[depth - 1]
        target, source = data, original
        try:
            for part in head:
                target, source = target[part], source[part]  # type: ignore[index]
            target[last] = copy.deepcopy(source[last])  # type: ignore[index]
            return
        except (KeyError, IndexError, TypeError):
            continue
    raise AssertionError(f"cannot restore {parts}")


def _write(root: Path, rec: Record) -> None:
    target = root / rec.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(rec.data, allow_unicode=True, sort_keys=False, width=1 << 16),
                      encoding="utf-8")


def valid_payload_repository(root: Path) -> list[Planted]:
    """The valid fixtures plus the payload records at `root`, every value validation refuses
    given back its original: what a clerk could really publish through `congkhai build`."""
    shutil.copytree(VALID, root)
    records, planted = planted_all()
    originals = {r.path: r.data for r in records}
    sources = {p_rec.path: originals[SAMPLES[p_rec.kind]] for p in planted for p_rec in p.records}
    by_path = {r.path: r for p in planted for r in p.records}
    for rec in by_path.values():
        _write(root, rec)
    for _ in range(20):
        errors = [p for p in check_repository(root, Settings(TODAY)).problems if p.severity == "error"]
        if not errors:
            return planted
        for problem in errors:
            assert problem.file in by_path, problem
            restore(by_path[problem.file].data, sources[problem.file], field_parts(problem.field))
        for path in {p.file for p in errors}:
            _write(root, by_path[path])
    raise AssertionError("the payload records never became valid")


def walk_strings(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    """Every string below `value` with its path."""
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in walk_strings(v, (*prefix, k))]
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in walk_strings(v, (*prefix, i))]
    return [(prefix, value)] if isinstance(value, str) else []


def page_rel(site: Path, rec: Record) -> str:
    """Site-relative URL of a record's built page, found through its exported page_url."""
    rtype = next(t for t in TYPES if t.kind == rec.kind)
    doc = json.loads((site / "api" / f"{rtype.name}.json").read_text(encoding="utf-8"))
    base = json.loads((site / "api" / "index.json").read_text(encoding="utf-8"))["site_url"]
    item = next(r for r in doc["records"] if r["source_path"] == rec.path)
    return str(item["page_url"]).removeprefix(base)
