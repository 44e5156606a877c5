"""Values as the clerk wrote them: numbers on both sides of "plain decimal", enum labels."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from generator import labels
from generator.check import check_record
from generator.check.rules import Index
from generator.check.timeliness import Settings
from generator.load import load_file

PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"
AMOUNT = ("amount: 0", "channels[1].fees[0].amount")
TIME = ("      value: 1\n      unit: working_days\n      note:", "channels[0].processing_time.value")
SETS = ("dossier_sets: 1", "dossier_sets")


def problems_after(repo: Path, old: str, new: str) -> list[tuple[str, str, str]]:
    path = repo / PROCEDURE
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    record = load_file(repo, PROCEDURE, "procedure")
    index = Index.from_paths([p.relative_to(repo).as_posix() for p in repo.rglob("*.yaml")])
    return [(p.field, p.rule, p.message) for p in check_record(record, index, Settings(date(2026, 11, 26)))]


@pytest.mark.parametrize(("where", "written", "accepted"), [
    (AMOUNT, "50000", True),
    (AMOUNT, "0", True),
    (AMOUNT, "50.000", False),  # thousands separator: YAML reads 50.0
    (AMOUNT, "1.500.000", False),  # not even a YAML number: text
    (AMOUNT, "50.0", False),
    (AMOUNT, "5e4", False),
    (AMOUNT, "1_000", False),
    (AMOUNT, "0x10", False),
    (AMOUNT, "+5", False),
    (AMOUNT, ".inf", False),
    (SETS, "2", True),
    (SETS, "02", False),  # octal
    (TIME, "15", True),
    (TIME, "1.5", True),  # the national portal has 1.5 working days
    (TIME, "0.5", True),
    (TIME, ".5", False),
    (TIME, "1.500", False),  # one and a half, or fifteen hundred?
    (TIME, "1:30", False),  # sexagesimal: 90
])
def test_numbers_must_be_plain_decimals(repo: Path, where: tuple[str, str], written: str,
                                        accepted: bool) -> None:
    old, field = where
    key = old.strip().split(":")[0]
    new = old.replace(f"{key}: {old.split(': ')[1].split()[0]}", f"{key}: {written}", 1)
    found = problems_after(repo, old, new)
    if accepted:
        assert found == []
    else:
        assert [(f, r) for f, r, _ in found] in ([(field, "CK-NUMBER")], [(field, "CK-TYPE")])
        assert f"'{written}'" in found[0][2] and "hãy" in found[0][2]


def test_thousands_in_a_processing_time_offers_both_readings(repo: Path) -> None:
    (_, _, message), = problems_after(repo, TIME[0], TIME[0].replace("value: 1", "value: 1.500"))
    assert message.endswith("hãy viết liền các chữ số, không dấu chấm, dấu phẩy hay dấu gạch: 1500 "
                            "(hoặc 1.5 nếu đó là phần thập phân)")


def test_every_enumerated_value_has_the_label_the_site_shows() -> None:
    shown = labels.VALUES  # what validation names beside an allowed value (check/schema.py)
    for path in (REPO / "schemas").glob("*.schema.json"):
        for values in _enums(json.loads(path.read_text("utf-8"))):
            assert set(values) <= set(shown), path.name


def _enums(node: object) -> list[list[str]]:
    if isinstance(node, dict):
        own = [node["enum"]] if "enum" in node else []
        return own + [e for value in node.values() for e in _enums(value)]
    if isinstance(node, list):
        return [e for value in node for e in _enums(value)]
    return []
