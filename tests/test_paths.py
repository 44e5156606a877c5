"""Record ids and codes can never make the generator write outside its output folder."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from conftest import VALID

from generator.check.corpus import Corpus
from generator.model import Record
from generator.prepare import prepare
from generator.publish.mkdocs import DEFAULT_SITE_URL
from generator.render import render_docs
from generator.render.site import Site

HOSTILE_KEYS = ["../../../escaped", "/tmp/absolute", "..", "a/../../b", "C:\\windows", "\x00nul",
                "%2e%2e%2fencoded", "con", "   ", ""]


def corpus_with(key: str) -> Corpus:
    agency = yaml.safe_load((VALID / "hotlines/phuong-nha-trang.yaml").read_text("utf-8"))
    procedure = yaml.safe_load(
        (VALID / "procedures/phuong-nha-trang/1.001193.yaml").read_text("utf-8"))
    plan = yaml.safe_load((VALID / "plans_and_policies/so-tai-chinh/"
                           "quy-hoach-tinh-khanh-hoa-2021-2030.yaml").read_text("utf-8"))
    agency2 = copy.deepcopy(agency) | {"id": key}
    return Corpus([
        Record("agency", "hotlines/phuong-nha-trang.yaml", agency),
        Record("agency", f"hotlines/{key}.yaml", agency2),
        Record("procedure", f"procedures/{key}/{key}.yaml", procedure | {"code": key, "agency": key}),
        Record("plan", f"plans_and_policies/{key}/{key}.yaml", plan | {"id": key, "agency": key}),
    ])


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_render_stays_inside_the_docs_folder(tmp_path: Path, key: str) -> None:
    docs = tmp_path / "out" / "docs"
    render_docs(Site(prepare(corpus_with(key)), DEFAULT_SITE_URL), docs)
    written = [Path(dirpath) / name for dirpath, _, names in os.walk(tmp_path) for name in names]
    assert written and all(p.resolve().is_relative_to(docs.resolve()) for p in written)
    assert not (tmp_path / "escaped").exists() and not Path("/tmp/absolute.md").exists()
