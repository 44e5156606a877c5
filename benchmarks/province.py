"""A deterministic synthetic province of the real size, catalogue-based (../shared/spec/CATALOGUE.md).

At scale 1: 2,600 catalogue entries (2,000 provincial, 600 commune-level), the 65 commune-level
units of Khánh Hòa (real names: benchmarks/data/khanh-hoa-communes.yaml, Nghị quyết
1667/NQ-UBTVQH15) and 40 provincial agencies, so about 41,000 agency–procedure pairs, plus an
implementation file for about one pair in 200 (a local counter or a shorter time). Agencies carry
counter facts and postings; some postings are late or missing and some agencies lack their
opening hours, so the scorecard has real gaps. A smaller scale keeps every agency and shrinks the
catalogue (pairs shrink with it). The procedures' content comes from synth.py (sizes of the
national portal, our own words); the provincial agencies after the sample's seven are numbered,
and every address, phone and decision number is illustrative.

    python benchmarks/province.py 0.1 /tmp/province
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import FIELDS, agency, dump, procedure  # noqa: E402

COMMUNES = HERE / "data" / "khanh-hoa-communes.yaml"
PROVINCIAL_ENTRIES, COMMUNE_ENTRIES, PROVINCIAL_AGENCIES = 2000, 600, 40
PROVINCE = "ubnd-tinh-khanh-hoa"
# The sample's provincial agencies (real names), then numbered ones up to PROVINCIAL_AGENCIES.
NAMED = {
    PROVINCE: "Ủy ban nhân dân tỉnh Khánh Hòa",
    "so-tu-phap": "Sở Tư pháp tỉnh Khánh Hòa",
    "so-y-te": "Sở Y tế tỉnh Khánh Hòa",
    "so-xay-dung": "Sở Xây dựng tỉnh Khánh Hòa",
    "so-cong-thuong": "Sở Công Thương tỉnh Khánh Hòa",
    "so-tai-chinh": "Sở Tài chính tỉnh Khánh Hòa",
    "so-nong-nghiep-va-moi-truong": "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa",
}
# Ministries announcing commune-level procedures; the province announces its own list.
MINISTRIES = ["BTP", "BNNMT", "BXD", "BCT", "BYT", "BTC", "BGDĐT", "BNV"]
DECISIONS_PER_LEVEL = 24
EXCEPTED = "dac-khu-truong-sa"  # left out of one commune-level entry in ten (`except`)
IMPLEMENTATION_EVERY = 200  # one pair in this many has procedures/<agency>/<code>.yaml
UPDATED = "2026-10-15"
HOURS = "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"


@dataclass(frozen=True, slots=True)
class Province:
    """What was written: the counts a benchmark reports and a test checks."""
    provincial_entries: int
    commune_entries: int
    provincial_agencies: int
    communes: int
    pairs: int
    implementations: int
    postings_late: int
    postings_missing: int

    @property
    def entries(self) -> int:
        return self.provincial_entries + self.commune_entries

    @property
    def agencies(self) -> int:
        return self.provincial_agencies + self.communes


@dataclass(frozen=True, slots=True)
class Decision:
    number: str
    date: dt.date


def decisions(level: str) -> list[Decision]:
    """Announcing decisions spread over July 2025 – June 2026."""
    start, first = dt.date(2025, 7, 1), 1000 if level == "province" else 200
    out = []
    for i in range(DECISIONS_PER_LEVEL):
        issuer = "UBND" if level == "province" else MINISTRIES[i % len(MINISTRIES)]
        out.append(Decision(f"{first + 37 * i}/QĐ-{issuer}", start + dt.timedelta(days=15 * i)))
    return out


def communes() -> list[tuple[str, str]]:
    """(id, name) of the 65 People's Committees, in the order of the resolution."""
    units = yaml.safe_load(COMMUNES.read_text("utf-8"))["units"]
    return [(u["slug"], f"Ủy ban nhân dân {u['kind']} {u['name']}") for u in units]


def provincial_agencies() -> list[tuple[str, str]]:
    numbered = [(f"co-quan-tinh-{i:02d}", f"Cơ quan cấp tỉnh thử nghiệm số {i:02d}")
                for i in range(len(NAMED), PROVINCIAL_AGENCIES)]
    return [*NAMED.items(), *numbered]


def entry(rng: random.Random, code: str, level: str, decision: Decision,
          implemented_by: dict[str, object]) -> dict[str, object]:
    """A catalogue entry: a synthetic procedure without agency, level and location."""
    record = procedure(rng, code, "", level)
    for key in ("agency", "level", "location"):
        del record[key]
    record.update({
        "levels": [level],
        "implemented_by": implemented_by,
        "competent_authority": "Chủ tịch Ủy ban nhân dân cấp xã" if level == "commune"
        else "Giám đốc cơ quan chuyên môn cấp tỉnh",
        "announcement": {"decision": decision.number, "date": decision.date.isoformat()},
        "source_url": f"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}",
        "updated": UPDATED,
    })
    return {"code": record.pop("code"), "name": record.pop("name"), **record}


def implementation(rng: random.Random, catalogue_entry: dict[str, object],
                   agency_name: str) -> dict[str, object]:
    """A local difference the contract allows: a shorter time when the entry has one to shorten,
    otherwise another counter."""
    channels = catalogue_entry["channels"]
    assert isinstance(channels, list)
    longer = [c for c in channels if c["processing_time"]["value"] > 1]
    record: dict[str, object] = {"code": catalogue_entry["code"]}
    if longer and rng.random() < 0.5:
        channel = rng.choice(longer)
        time = channel["processing_time"]
        record["channels"] = [{"method": channel["method"],
                               "processing_time": {"value": time["value"] - 1, "unit": time["unit"]}}]
    else:
        record["location"] = f"Điểm tiếp nhận số 2 của {agency_name}, tỉnh Khánh Hòa"
    record["updated"] = UPDATED
    return record


def counter_agency(rng: random.Random, agency_id: str, name: str, level: str,
                   due: list[Decision], gaps: Counter[str]) -> dict[str, object]:
    """An agency with its counter facts and a posting for each decision in `due` (some late, some
    missing); one agency in fifteen lacks its opening hours."""
    record = agency(rng, agency_id, level)
    record["name"] = name
    if agency_id != PROVINCE:
        record["parent"] = PROVINCE
    one_stop: dict[str, object] = {
        "head": {"name": "Người đứng đầu minh họa", "title": "Phó Chủ tịch"},
        "officers": [{"name": f"Công chức minh họa {i + 1}", "title": "Công chức tiếp nhận",
                      "field": field, "phone": f"0258 3{rng.randint(100, 999)} {rng.randint(100, 999)}"}
                     for i, field in enumerate(rng.sample(FIELDS, 3))],
        "address": f"Bộ phận Một cửa, {record['address']}",
    }
    if rng.random() >= 1 / 15:
        one_stop["hours"] = HOURS
    record["one_stop"] = one_stop
    postings = []
    for decision in due:
        roll = rng.random()
        if roll < 0.06:
            gaps["missing"] += 1
            continue
        days = 20 if roll < 0.14 else 2  # 20 calendar days is late, 2 never is
        gaps["late"] += days == 20
        postings.append({"decision": decision.number,
                         "posted": (decision.date + dt.timedelta(days=days)).isoformat()})
    if postings:
        record["postings"] = postings
    return record


def write_province(root: Path, scale: float = 1.0, seed: int = 1) -> Province:
    """Writes catalogue/, hotlines/ and procedures/ under root; returns what it wrote."""
    rng = random.Random(seed)
    provincial = provincial_agencies()
    local = communes()
    n_provincial = max(1, round(PROVINCIAL_ENTRIES * scale))
    n_commune = max(1, round(COMMUNE_ENTRIES * scale))
    province_decisions, commune_decisions = decisions("province"), decisions("commune")
    # A few agencies perform most provincial procedures, as in a real province.
    weights = [1 / (i + 1) for i in range(len(provincial))]
    performed: dict[str, list[tuple[dict[str, object], Decision]]] = {a: [] for a, _ in provincial + local}

    for i in range(n_provincial):
        decision = province_decisions[i % len(province_decisions)]
        ids = {rng.choices(provincial, weights)[0][0] for _ in range(2 if rng.random() < 0.05 else 1)}
        record = entry(rng, f"1.{i:06d}", "province", decision, {"agencies": sorted(ids)})
        dump(root / "catalogue" / f"{record['code']}.yaml", record)
        for agency_id in sorted(ids):
            performed[agency_id].append((record, decision))
    for i in range(n_commune):
        decision = commune_decisions[i % len(commune_decisions)]
        excepted = [EXCEPTED] if i % 10 == 9 else []
        by: dict[str, object] = {"level": "commune", **({"except": excepted} if excepted else {})}
        record = entry(rng, f"2.{i:06d}", "commune", decision, by)
        dump(root / "catalogue" / f"{record['code']}.yaml", record)
        for agency_id, _ in local:
            if agency_id not in excepted:
                performed[agency_id].append((record, decision))

    gaps: Counter[str] = Counter()
    pairs = implementations = 0
    names = dict(provincial + local)
    for agency_id, name in provincial + local:
        level = "commune" if agency_id in dict(local) else "province"
        records = performed[agency_id]
        due = sorted({d for _, d in records}, key=lambda d: (d.date, d.number))
        dump(root / "hotlines" / f"{agency_id}.yaml",
             counter_agency(rng, agency_id, name, level, due, gaps))
        for record, _ in records:
            pairs += 1
            if pairs % IMPLEMENTATION_EVERY == 0:
                implementations += 1
                dump(root / "procedures" / agency_id / f"{record['code']}.yaml",
                     implementation(rng, record, names[agency_id]))
    return Province(n_provincial, n_commune, len(provincial), len(local), pairs, implementations,
                    gaps["late"], gaps["missing"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", type=float)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(write_province(args.out, args.scale, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
