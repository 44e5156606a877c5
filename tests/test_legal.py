"""The legal registry: every citation exists, is dated and says how sure it is; and each
correction of the December 2026 legal review (shared/spec/LEGAL.md) stays made."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import REPO

from generator import legal
from generator.check.schema import info_for_data_path, schema
from generator.check.timeliness import config, judged_kinds, version_for
from generator.model import LegalRef

CONFIDENCES = {"confirmed", "secondary", "unconfirmed"}
LEVELS = ("central", "province", "commune")
SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))


def x_legal(node: Any) -> set[str]:
    """Every `x-legal` id in a schema."""
    if isinstance(node, dict):
        found = {node["x-legal"]} if "x-legal" in node else set()
        return found.union(*(x_legal(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(x_legal(v) for v in node))
    return set()


def schema_ids() -> set[str]:
    return set().union(*(x_legal(json.loads(p.read_text("utf-8"))) for p in SCHEMAS))


def fixed_rule_ids() -> set[str]:
    """Entries cited by rules whose basis takes no parameter (and by the review warning)."""
    return {legal.rule_basis(rule) for rule in legal.registry_rules()} | {config()["review"]["legal"]}


def deadline_rules() -> list[dict[str, Any]]:
    return config()["rules"]


def probe_days() -> list[date]:
    """Both sides of every boundary in the registry, and days far before and after them."""
    days = {date(2000, 1, 1), date(2035, 1, 1), legal.registry_version()}
    for entry in legal.registry().values():
        for bound in (entry.valid_from, entry.valid_until):
            if bound:
                days |= {bound - timedelta(days=1), bound, bound + timedelta(days=1)}
    return sorted(days)


# --- the registry check ------------------------------------------------------------------------


def test_every_cited_entry_exists_and_carries_a_confidence() -> None:
    cited = schema_ids() | fixed_rule_ids() | {v["legal"] for r in deadline_rules() for v in r["versions"]}
    assert len(cited) >= 30
    for legal_id in sorted(cited):
        entry = legal.ref(legal_id)  # raises KeyError for an unknown id
        assert entry is not None
        for cited_entry in (entry, *entry.also):
            assert cited_entry.confidence in CONFIDENCES, legal_id
            assert legal.confidence_label(cited_entry.confidence)


def test_entries_are_law_or_portal_policy() -> None:
    for entry in legal.registry().values():
        assert entry.kind in ("law", "policy"), entry.id
        assert entry.description, entry.id
        if entry.kind == "policy":  # no instrument, no article, no dates: nothing to look up
            assert (entry.instrument, entry.article, entry.valid_from, entry.valid_until) == \
                ("", "", None, None)
            assert entry.cite() == "quy định của cổng"
        else:
            assert entry.instrument, entry.id


def test_a_replaced_entry_ends_the_day_before_its_successor_starts() -> None:
    successors = [e.replaced_by for e in legal.registry().values() if e.replaced_by]
    assert len(successors) == len(set(successors)) >= 6
    for entry in legal.registry().values():
        if entry.valid_from and entry.valid_until:
            assert entry.valid_from <= entry.valid_until, entry.id
        if entry.replaced_by:
            after = legal.ref(entry.replaced_by)
            assert entry.valid_until is not None and after is not None, entry.id
            assert after.valid_from == entry.valid_until + timedelta(days=1), entry.id


@pytest.mark.parametrize("legal_id", sorted(schema_ids() | fixed_rule_ids()))
def test_no_citation_outside_its_dates(legal_id: str) -> None:
    """Whatever the record's date, a schema field or a fixed rule cites a provision in force then."""
    for day in probe_days():
        entry = legal.ref(legal_id, day)
        assert entry is not None
        assert entry.applies_on(day) and all(a.applies_on(day) for a in entry.also), (legal_id, day)


@pytest.mark.parametrize("rule", deadline_rules(), ids=lambda r: r["id"])
def test_each_deadline_rule_has_exactly_one_version_in_force(rule: dict[str, Any]) -> None:
    levels = LEVELS if "procedure" in judged_kinds(rule) else (None,)
    for day in probe_days():
        for level in levels:
            matching = [v for v in rule["versions"]
                        if level in v.get("levels", [level]) and legal.ref(v["legal"]).applies_on(day)]
            chosen = version_for(rule, day, level)
            assert len(matching) == 1 and chosen is not None, (rule["id"], day, level)
            assert legal.ref(chosen["legal"]).applies_on(day)


def test_a_replaced_decree_is_a_data_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ending an entry and adding its successor in legal.yaml re-cites every message: no code."""
    data = legal.data_file("legal.yaml")
    data["entries"]["nd20-2008-art13"] |= {"until": date(2027, 6, 30), "replaced_by": "nd-moi-2027"}
    data["entries"]["nd-moi-2027"] = {"instrument": "Nghị định 1/2027/NĐ-CP", "article": "Điều 3",
                                      "description": "x", "confidence": "confirmed",
                                      "from": date(2027, 7, 1)}
    monkeypatch.setattr(legal, "_legal_data", lambda: data)
    legal.registry.cache_clear()
    legal.versions.cache_clear()
    try:
        assert legal.ref("nd20-2008-art13", date(2027, 6, 30)).cite() == "Điều 13, Nghị định 20/2008/NĐ-CP"
        assert legal.ref("nd20-2008-art13", date(2027, 7, 1)).cite() == "Điều 3, Nghị định 1/2027/NĐ-CP"
    finally:
        legal.registry.cache_clear()
        legal.versions.cache_clear()


# --- each correction of LEGAL.md, one assertion per row -----------------------------------------

ND63 = "Nghị định 63/2010/NĐ-CP"
ND63_92 = f"{ND63} (sửa đổi bởi Nghị định 92/2017/NĐ-CP)"
ND63_I = f"{ND63} (sửa đổi, bổ sung bởi Nghị định 48/2013/NĐ-CP và Nghị định 92/2017/NĐ-CP)"
ND20 = "Nghị định 20/2008/NĐ-CP"
LATI = "Luật Tiếp cận thông tin 104/2016/QH13"
LQH17 = "Luật Quy hoạch 21/2017/QH14"
LQH25 = "Luật Quy hoạch 2025 (Quốc hội thông qua ngày 10/12/2025)"
DOUBT = " (căn cứ cần xác nhận)"
POLICY = "quy định của cổng"
POINT_H = f"nd63-art8-2h: Điều 8 khoản 2 điểm h, {ND63}"
POINT_I = f"nd63-art8-2i: Điều 8 khoản 2 điểm i, {ND63_I}"
ART15_2 = f"nd63-art15-2: Điều 15 khoản 2, {ND63_92}{DOUBT}"
ART13_ND20 = f"nd20-2008-art13: Điều 13, {ND20}"
HOTLINE = f"nd20-2008-art13-hotline: Điều 13, {ND20}; Điều 8 khoản 1, Nghị định 118/2025/NĐ-CP{DOUBT}"
BEFORE_2025_07, FROM_2025_07, DAY = date(2025, 6, 30), date(2025, 7, 1), date(2026, 1, 5)


def field_basis(kind: str, path: tuple[str | int, ...], on: date | None = None) -> LegalRef | None:
    """The entry an error on `path` of a `kind` record cites, for a record dated `on`."""
    root = json.loads((REPO / "schemas/catalogue.schema.json").read_text("utf-8")) \
        if kind == "catalogue" else schema(kind)  # type: ignore[arg-type]
    return legal.ref(info_for_data_path(root, path)[1], on)


def rule_basis(rule_id: str, on: date, level: str | None = None) -> LegalRef | None:
    rule = next(r for r in deadline_rules() if r["id"] == rule_id)
    version = version_for(rule, on, level)
    return legal.ref(version["legal"]) if version else None


def cited(ref: LegalRef | None) -> str:
    """What a clerk reads, with the entry's id."""
    assert ref is not None
    return f"{ref.id}: {ref.cite()}"


# (LEGAL.md row, {where the citation appears: (the entry cited there, what it must say)})
CORRECTIONS: list[tuple[str, dict[str, tuple[Any, str]]]] = [
    ("nd63-art8-2h: point h is only the result; forms, requirements, fees are point i", {
        "procedure result": (field_basis("procedure", ("result",)), POINT_H),
        "procedure fees": (field_basis("procedure", ("channels", 0, "fees")), POINT_I),
        "fee amount": (field_basis("procedure", ("channels", 0, "fees", 0, "amount")), POINT_I),
        "procedure form": (field_basis("procedure", ("documents", 0, "form", "url")), POINT_I),
        "procedure requirements": (field_basis("procedure", ("requirements",)), POINT_I),
        "catalogue result": (field_basis("catalogue", ("result",)), POINT_H),
        "catalogue fees": (field_basis("catalogue", ("channels", 0, "fees")), POINT_I),
        "catalogue requirements": (field_basis("catalogue", ("requirements",)), POINT_I),
    }),
    ("nd63-art13-2a: the decision's content, location included, is Điều 15 khoản 2", {
        "procedure location": (field_basis("procedure", ("location",)), ART15_2),
        "announcement": (field_basis("procedure", ("announcement", "decision")),
                         f"nd63-art13: Điều 13, {ND63}"),
    }),
    ("nd63-art15-1b: the legal basis is Điều 15 khoản 2; khoản 1 is the time to announce", {
        "procedure legal_basis": (field_basis("procedure", ("legal_basis", 0, "number")), ART15_2),
        "catalogue legal_basis": (field_basis("catalogue", ("legal_basis",)), ART15_2),
        "ministries: 20 days before": (rule_basis("CK-ANNOUNCED-LATE", DAY, "central"),
                                       f"nd63-art15-1: Điều 15 khoản 1, {ND63_92}"),
        "provinces: 5 working days": (rule_basis("CK-ANNOUNCED-LATE", DAY, "province"),
                                      f"nd63-art15-1-province: Điều 15 khoản 1, {ND63_92}{DOUBT}"),
    }),
    ("nd20-2008-art7-2a: hotlines are NĐ 20/2008 Điều 13, NĐ 118/2025 Điều 8 khoản 1 second", {
        "hotlines": (field_basis("agency", ("hotlines",), FROM_2025_07), HOTLINE),
        "hotline number": (field_basis("agency", ("hotlines", 0, "number"), FROM_2025_07), HOTLINE),
        "before NĐ 118/2025": (field_basis("agency", ("hotlines",), BEFORE_2025_07),
                               f"nd20-2008-art13-hotline: Điều 13, {ND20}"),
        "agency without a hotline file": (legal.ref(legal.rule_basis("CK-AGENCY-UNKNOWN")), ART13_ND20),
    }),
    ("nd20-2008-art13: contact fields only, not id or updated", {
        **{f"agency {f}": (field_basis("agency", (f,)), ART13_ND20)
           for f in ("address", "postal_address", "email", "website")},
        "agency id": (field_basis("agency", ("id",)), f"policy-record-id: {POLICY}"),
        "agency updated": (field_basis("agency", ("updated",)), f"policy-updated: {POLICY}"),
    }),
    ("nd42-2022: Điều 11 khoản 1 (toàn trình, một phần)", {
        "online level": (field_basis("procedure", ("channels", 1, "online_level")),
                         "nd42-2022-art11-1: Điều 11 khoản 1, Nghị định 42/2022/NĐ-CP (sửa đổi bởi "
                         f"Nghị định 118/2025/NĐ-CP và Nghị định 132/2025/NĐ-CP){DOUBT}"),
    }),
    ("lati-2016-art18-4: cite Điều 18 for the time of disclosure", {
        "5 working days": (rule_basis("CK-LATE-PUBLICATION", DAY),
                           f"lati-2016-art18-deadline: Điều 18, {LATI}{DOUBT}"),
        "forms of disclosure": (field_basis("plan", ("disclosure",)), f"lati-2016-art18: Điều 18, {LATI}"),
    }),
    ("kh-1424-ubnd-kstt: LATI Điều 17 khoản 1 a, d and NĐ 42/2022 Điều 4, not NĐ 20/2008 Điều 1", {
        "business_related": (field_basis("plan", ("business_related",)),
                             f"kh-1424-ubnd-kstt: Văn bản 1424/UBND-KSTT của UBND tỉnh Khánh Hòa{DOUBT}; "
                             f"Điều 17 khoản 1 điểm a, điểm d, {LATI}{DOUBT}; "
                             f"Điều 4, Nghị định 42/2022/NĐ-CP{DOUBT}"),
    }),
    ("CK-REVIEW cited nd63-art24-2: reviewing after 12 months is a portal policy", {
        "review": (legal.ref(config()["review"]["legal"]), f"policy-review: {POLICY}"),
        "plain http": (legal.ref(legal.rule_basis("CK-LINK-HTTP")), f"policy-https: {POLICY}"),
    }),
    ("NĐ 61/2018 (and NĐ 107/2021) replaced by NĐ 118/2025 from 1 July 2025", {
        "one-stop before": (field_basis("agency", ("one_stop", "head"), BEFORE_2025_07),
                            "nd61-2018-art9-7: Điều 9 khoản 7, Nghị định 61/2018/NĐ-CP "
                            "(sửa đổi bởi Nghị định 107/2021/NĐ-CP)"),
        "one-stop from": (field_basis("agency", ("one_stop", "head"), FROM_2025_07),
                          f"nd118-2025-one-stop: Nghị định 118/2025/NĐ-CP{DOUBT}"),
    }),
    ("TT 01/2018/TT-VPCP replaced by TT 03/2025/TT-VPCP", {
        "field before": (field_basis("procedure", ("field",), date(2025, 9, 14)),
                         "tt01-2018-art20: Điều 20, Thông tư 01/2018/TT-VPCP"),
        "field from": (field_basis("procedure", ("field",), date(2025, 9, 15)),
                       f"tt03-2025: Thông tư 03/2025/TT-VPCP{DOUBT}"),
    }),
    ("Luật Quy hoạch 2017 replaced by Luật Quy hoạch 2025 for plans approved from 1 March 2026", {
        "deadline, approved 2026-02-10": (rule_basis("CK-LATE-PLANNING", date(2026, 2, 10)),
                                          f"lqh-2017-art38: Điều 38, {LQH17}{DOUBT}"),
        "deadline, approved 2026-03-10": (rule_basis("CK-LATE-PLANNING", date(2026, 3, 10)),
                                          f"lqh-2025-publish: {LQH25}{DOUBT}"),
        "maps, approved 2026-02-28": (field_basis("plan", ("maps",), date(2026, 2, 28)),
                                      f"lqh-2017-art40-2b: Điều 40 khoản 2 điểm b, {LQH17}{DOUBT}"),
        "maps, approved 2026-03-01": (field_basis("plan", ("maps",), date(2026, 3, 1)),
                                      f"lqh-2025-maps: {LQH25}{DOUBT}"),
    }),
    ("Luật Quy hoạch đô thị 2009 replaced by Luật 47/2024/QH15 from 1 July 2025", {
        "before": (legal.ref("lqhdt-2009-art53-1", BEFORE_2025_07),
                   "lqhdt-2009-art53-1: Điều 53 khoản 1, Luật Quy hoạch đô thị 30/2009/QH12"),
        "from": (legal.ref("lqhdt-2009-art53-1", FROM_2025_07),
                 "lqhdtnt-2024: Luật Quy hoạch đô thị và nông thôn 47/2024/QH15 "
                 f"(sửa đổi bởi luật ngày 11/12/2025){DOUBT}"),
    }),
    ("Luật An toàn thông tin mạng 2015 replaced by Luật An ninh mạng 2025 from 1 July 2026", {
        "before": (legal.ref("lattm-2015", date(2026, 6, 30)),
                   f"lattm-2015: Luật An toàn thông tin mạng 86/2015/QH13{DOUBT}"),
        "from": (legal.ref("lattm-2015", date(2026, 7, 1)),
                 f"lanm-2025: Luật An ninh mạng 2025 (Quốc hội thông qua ngày 10/12/2025){DOUBT}"),
    }),
]


@pytest.mark.parametrize(("row", "expected"), CORRECTIONS, ids=[row.split(":")[0] for row, _ in CORRECTIONS])
def test_legal_review_correction(row: str, expected: dict[str, tuple[Any, str]]) -> None:
    assert {where: cited(ref) for where, (ref, _) in expected.items()} == \
        {where: text for where, (_, text) in expected.items()}


def test_entering_a_procedure_depends_on_its_level() -> None:
    """LEGAL.md "Deadlines that depend on who or when": 5 working days (province), 10 (ministry)."""
    rule = next(r for r in deadline_rules() if r["id"] == "CK-LATE-PROCEDURE")
    assert {level: (version_for(rule, DAY, level)["limit"], version_for(rule, DAY, level)["legal"])
            for level in LEVELS} == {"central": (10, "nd63-art24"), "province": (5, "nd63-art24"),
                                     "commune": (5, "nd63-art24")}


def test_wrong_ids_are_gone() -> None:
    gone = {"nd63-art13-2a", "nd63-art15-1b", "nd20-2008-art7-2a", "nd42-2022", "lati-2016-art18-4",
            "nd63-art24-2", "lqh-2017-art38-40"}
    assert gone.isdisjoint(legal.registry()) and gone.isdisjoint(schema_ids() | fixed_rule_ids())
