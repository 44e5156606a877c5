"""Property-based tests: whatever the input, the loader and the checks answer with values.

Never an unhandled exception: either a record whose problems are located, or a located load
error. `make test` runs a bounded budget; `make fuzz` (CONGKHAI_FUZZ=thorough) a larger one.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import check_record
from generator.check.rules import Index
from generator.check.timeliness import Settings
from generator.load import load_file
from generator.model import Problem, Record
from generator.prepare.history import MAX_LINES, diff

pytestmark = pytest.mark.slow

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("CONGKHAI_FUZZ", "ci"))

SAMPLES = {
    "procedure": "procedures/phuong-nha-trang/1.001193.yaml",
    "plan": "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030.yaml",
    "agency": "hotlines/phuong-nha-trang.yaml",
}
INDEX = Index.from_paths([p.relative_to(VALID).as_posix() for p in VALID.rglob("*.yaml")])
TODAY = Settings(date(2026, 11, 26))
YAMLISH = st.text(alphabet=st.sampled_from(list(
    "abcđĐăâêôơưáàảãạ :-[]{},&*!|>'\"#%@`\t\n\r\x00\ufeff\u200b\u00a0\u0301?0123456789.~")),
    max_size=400)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=60),
                    st.sampled_from(["Không", "Đang cập nhật", "...", "2026-02-30", "01/01/2026",
                                     "javascript:alert(1)", "<script>x</script>", "1.001193"]))


def assert_located(outcome: Record | Problem, source: str) -> list[Problem]:
    problems = [outcome] if isinstance(outcome, Problem) else check_record(outcome, INDEX, TODAY)
    for p in problems:
        assert p.file == source and p.line >= 1 and p.column >= 1
        assert p.message and p.rule.startswith("CK-")
    return problems


@given(YAMLISH)
def test_arbitrary_text_never_crashes(tmp_path_factory: Any, text: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    rel = "procedures/phuong-nha-trang/1.001193.yaml"
    (root / rel).parent.mkdir(parents=True)
    (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_located(load_file(root, rel, "procedure"), rel)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(tmp_path_factory: Any, raw: bytes) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "hotlines").mkdir()
    (root / "hotlines/x.yaml").write_bytes(raw)
    assert_located(load_file(root, "hotlines/x.yaml", "agency"), "hotlines/x.yaml")


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += paths_of(item, (*prefix, i))
    return out


def mutate(data: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    if not path:
        return data
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = value
    elif action == "wrap":
        parent[path[-1]] = [parent[path[-1]], value]
    else:
        parent[path[-1]] = {"x": parent[path[-1]]}
    return data


@given(st.sampled_from(sorted(SAMPLES)), st.data(),
       st.sampled_from(["delete", "replace", "wrap", "nest"]), SCALARS)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_mutated_records_are_valid_or_located(tmp_path: Path, kind: str, data: st.DataObject,
                                              action: str, value: Any) -> None:
    rel = SAMPLES[kind]
    original = yaml.safe_load((VALID / rel).read_text("utf-8"))
    path = data.draw(st.sampled_from(paths_of(original)))
    mutated = mutate(original, path, action, value)
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(mutated, allow_unicode=True), "utf-8")
    outcome = load_file(tmp_path, rel, kind)  # type: ignore[arg-type]
    problems = assert_located(outcome, rel)
    if action == "delete" and isinstance(outcome, Record) and len(path) == 1:
        # Deleting a mandatory top-level key must be reported, naming that key.
        required = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8"))["required"]
        if path[0] in required:
            assert any(p.field == path[0] for p in problems)


HISTORY_SAMPLES = {  # a record of each kind whose changes a page shows (prepare/history.py)
    "procedure": VALID / SAMPLES["procedure"],
    "plan": VALID / SAMPLES["plan"],
    "catalogue": REPO / "catalogue" / "1.001612.yaml",
    "implementation": REPO / "procedures" / "phuong-nha-trang" / "1.001612.yaml",
}


@given(st.sampled_from(sorted(HISTORY_SAMPLES)), st.data(),
       st.sampled_from(["delete", "replace", "wrap", "nest"]), SCALARS)
def test_any_two_versions_of_a_record_compare_as_lines(kind: str, data: st.DataObject, action: str,
                                                       value: Any) -> None:
    """An old revision may hold anything that parses: the history says how it differs, in lines."""
    original = yaml.safe_load(HISTORY_SAMPLES[kind].read_text("utf-8"))
    path = data.draw(st.sampled_from(paths_of(original)))
    mutated = mutate(original, path, action, value)
    for old, new in ((original, mutated), (mutated, original)):
        lines = diff(old, new, kind)  # type: ignore[arg-type]
        assert all(isinstance(line, str) and line for line in lines) and len(lines) <= MAX_LINES
