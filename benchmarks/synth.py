"""Deterministic synthetic repositories of N procedures, sized like the national portal's.

Sizes follow distributions measured on ../shared/data/national-portal (2,642 procedures):
steps text median 1,230 characters (10th–90th percentile 470–3,700), documents median 4
(1–16), channels median 3 (1–3), legal references median 5 (1–11), requirements a short
"Không" for two thirds of records and about 1,000 characters otherwise. The words are our own.

    python benchmarks/synth.py 5000 /tmp/repo5000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when the wheel has it

_VOCABULARY = (
    "hồ sơ công dân cơ quan tiếp nhận giải quyết kiểm tra xác minh thông tin giấy tờ bản sao "
    "chứng thực đăng ký cấp đổi điều chỉnh bổ sung thời hạn ngày làm việc kết quả trả lời văn bản "
    "quyết định phê duyệt thẩm định đề nghị tổ chức cá nhân doanh nghiệp hộ kinh doanh đất đai "
    "xây dựng hộ tịch nộp trực tiếp trực tuyến bưu chính phí lệ phí theo quy định hướng dẫn "
    "trường hợp hợp lệ chưa đầy đủ thông báo lý do bộ phận một cửa ủy ban nhân dân phường xã tỉnh"
)
WORDS = _VOCABULARY.split()
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Thành lập và hoạt động của hộ kinh doanh",
          "Thành lập và hoạt động của doanh nghiệp", "Bảo trợ xã hội", "Giáo dục và đào tạo",
          "Y tế dự phòng", "An toàn thực phẩm", "Môi trường", "Tài nguyên nước"]
UNITS = ["working_days", "working_days", "working_days", "days", "hours", "months"]
KINDS = ["planning", "plan", "policy", "regulation"]


def sentence(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def spread(rng: random.Random, median: float, low: float, high: float) -> int:
    """A right-skewed size between low and high with the given median."""
    value = rng.lognormvariate(0, 0.8) * median
    return int(min(max(value, low), high))


def procedure(rng: random.Random, code: str, agency: str, level: str) -> dict[str, object]:
    steps_total = spread(rng, 1230, 200, 6000)
    n_steps = rng.randint(3, 8)
    channels = []
    for method in ["direct", "online", "postal"][: rng.choice([1, 2, 3, 3, 3])]:
        channel: dict[str, object] = {"method": method}
        if method == "online":
            channel["url"] = f"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"
            channel["online_level"] = rng.choice(["full", "partial"])
        channel["processing_time"] = {"value": rng.randint(1, 30), "unit": rng.choice(UNITS)}
        channel["fees"] = "Không" if rng.random() < 0.4 else [
            {"name": f"Lệ phí {sentence(rng, 20).lower()[:-1]}",
             "amount": rng.choice([0, 8000, 50000, 100000])}
            for _ in range(rng.randint(1, 2))
        ]
        channels.append(channel)
    documents = []
    for _ in range(spread(rng, 4, 1, 16)):
        doc: dict[str, object] = {"name": sentence(rng, spread(rng, 80, 20, 400)),
                                  "originals": rng.randint(0, 1), "copies": rng.randint(0, 2)}
        if rng.random() < 0.3:
            doc["form"] = {"title": "Mẫu tờ khai", "url": f"https://dichvucong.gov.vn/mau/{code}.docx"}
        documents.append(doc)
    return {
        "code": code,
        "name": sentence(rng, spread(rng, 81, 30, 250))[:-1],
        "agency": agency,
        "level": level,
        "field": rng.choice(FIELDS),
        "announcement": {"decision": f"{rng.randint(100, 3999)}/QĐ-UBND", "date": "2025-07-01"},
        "applicants": ["Công dân Việt Nam", "Tổ chức"][: rng.randint(1, 2)],
        "steps": [sentence(rng, steps_total // n_steps) for _ in range(n_steps)],
        "channels": channels,
        "documents": documents,
        "dossier_sets": 1,
        "result": sentence(rng, spread(rng, 300, 40, 800)),
        "requirements": "Không" if rng.random() < 0.66 else sentence(rng, spread(rng, 1000, 100, 4000)),
        "legal_basis": [{"number": f"{rng.randint(1, 400)}/20{rng.randint(10, 25)}/NĐ-CP",
                         "title": sentence(rng, 60)[:-1]} for _ in range(spread(rng, 5, 1, 11))],
        "location": "Bộ phận Một cửa " + sentence(rng, 40),
        "status": "active",
        "updated": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
    }


def agency(rng: random.Random, agency_id: str, level: str) -> dict[str, object]:
    return {
        "id": agency_id,
        "name": f"Cơ quan thử nghiệm {agency_id}",
        "level": level,
        "address": f"{rng.randint(1, 200)} đường thử nghiệm, tỉnh Khánh Hòa",
        "postal_address": "Như trên",
        "hotlines": [{"number": f"0258 3{rng.randint(100, 999)} {rng.randint(100, 999)}",
                      "purpose": "Tiếp nhận phản ánh, kiến nghị"}],
        "email": f"{agency_id}@khanhhoa.gov.vn",
        "website": f"https://{agency_id}.khanhhoa.gov.vn",
        "updated": "2026-10-01",
    }


def plan(rng: random.Random, plan_id: str, agency_id: str) -> dict[str, object]:
    kind = rng.choice(KINDS)
    record: dict[str, object] = {
        "id": plan_id, "kind": kind, "title": sentence(rng, 90)[:-1],
        "number": f"{rng.randint(1, 999)}/QĐ-UBND", "issuer": "Ủy ban nhân dân tỉnh Khánh Hòa",
        "agency": agency_id, "issued": "2026-03-02", "published": "2026-03-03", "status": "in_force",
        "summary": sentence(rng, 300), "business_related": rng.random() < 0.6,
        "documents": [{"title": "Toàn văn", "url": f"https://khanhhoa.gov.vn/van-ban/{plan_id}.pdf"}],
        "disclosure": ["portal"], "updated": "2026-06-01",
    }
    if kind == "planning":
        record["maps"] = [{"title": "Bản đồ", "url": f"https://khanhhoa.gov.vn/ban-do/{plan_id}.pdf"}]
    return record


def dump(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16),
                    encoding="utf-8")


def write_repo(root: Path, n: int, seed: int = 1) -> None:
    """A valid repository: n procedures, one agency per 40 of them, one plan per 5."""
    rng = random.Random(seed)
    agencies = [(f"co-quan-{i:03d}", "province" if i % 5 == 0 else "commune")
                for i in range(max(3, n // 40))]
    for agency_id, level in agencies:
        dump(root / "hotlines" / f"{agency_id}.yaml", agency(rng, agency_id, level))
    for i in range(n):
        agency_id, level = agencies[i % len(agencies)]
        code = f"{1 + i // 1_000_000}.{i % 1_000_000:06d}"
        dump(root / "procedures" / agency_id / f"{code}.yaml", procedure(rng, code, agency_id, level))
    for i in range(n // 5):
        agency_id = agencies[i % len(agencies)][0]
        dump(root / "plans_and_policies" / agency_id / f"van-ban-{i:05d}.yaml",
             plan(rng, f"van-ban-{i:05d}", agency_id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_repo(args.out, args.n, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
